package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/peta"
)

// provinsiSamples fill the province and platform views, hostile text in
// every string an office or a user could have typed.
func provinsiSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	n := 3
	row := BarisKantor{Nama: hostile, Href: "/p/32/dasbor/depok", UMKM: 1500, DihitungAt: &at, AdaBatas: true}
	pv := petaProvinsi{Judul: hostile, Ada: true, SVG: "<svg></svg>", Catatan: peta.Catatan,
		Legenda: []peta.Tingkat{{Kelas: "q0", Label: hostile, Jumlah: 1}, {Kelas: "q-sembunyi", Label: peta.Disembunyikan, Jumlah: 2}}}
	noMap := petaProvinsi{Judul: hostile}
	return map[string]viewModel{
		"provinsi": &provinsiView{Halaman: frame(hostile), Kode: "32", Nama: hostile, DihitungAt: &at, Ambang: 5,
			Program:   programKantor(provinsiProgramSample(), func(slug string) string { return "/p/32/dasbor/" + slug }),
			Ringkasan: []Ringkasan{{Label: hostile, Nilai: 10, Dari: 20}}, PerKantor: []BarisKantor{row, {Nama: hostile}}, Jumlah: row, Peta: pv,
			Grafik: tautan{}.umkm(dasbor.AngkaUMKM{Total: 3, Sektor: []dasbor.Angka{{Nilai: hostile, Jumlah: 3}}})},
		"provinsi-kantor": &provinsiKantorView{Halaman: frame(hostile), Kode: "32", NamaProvinsi: hostile,
			D: dasbor.Dasbor{NamaTenant: hostile, DihitungAt: &at, Ambang: 5}, Peta: noMap, GrafikKecamatan: "<svg></svg>", AdaSembunyi: true,
			Program:   programProvinsiKantor(provinsiKantorProgramSample()),
			Ringkasan: []Ringkasan{{Label: hostile, Nilai: 1}},
			Target:    []GrafikTarget{tautan{}.target(dasbor.ProgresTarget{Nama: hostile, Sumber: hostile, Target: 10, Tercapai: 3}, nil)},
			Wilayah: []KecamatanProvinsi{{KecamatanDasbor: dasbor.KecamatanDasbor{Kode: "32.76.01", NamaWilayah: hostile, UMKM: 9},
				Desa: []DesaProvinsi{{Kode: "32.76.01.1001", Nama: hostile, UMKM: peta.Disembunyikan, Koperasi: "0", SembunyiUMKM: true},
					{Kode: "32.76.01.1002", Nama: hostile, UMKM: "7", Koperasi: peta.Disembunyikan, SembunyiKop: true}}}}},
		"platform-kantor": &platformKantorView{Halaman: frame("Kantor"), Buka: &BukaForm{Kode: hostile, Slug: hostile, Pesan: hostile, Galat: map[string]string{"kode": hostile, "bps": hostile}}, Baris: []KantorPlatform{
			{Slug: "depok", Nama: hostile, Provinsi: hostile, KodeProvinsi: "32", UMKM: n, DihitungAt: &at, MasukTerakhir: &at, Dibuat: at},
			{Slug: "baru", Nama: hostile, Provinsi: hostile, KodeProvinsi: "32", Dibuat: at}}},
		"platform-pengguna": &platformPenggunaView{Halaman: frame("Pengguna"), Cari: hostile, Dicari: true, Penuh: true,
			Hasil: []PenggunaPlatform{{Nama: hostile, Email: hostile, Nonaktif: true, Peran: []PeranPlatform{
				{Tempat: hostile, Tautan: "/p/32/dasbor", Peran: "Pemantau provinsi", Aktif: true},
				{Tempat: hostile, Peran: "Petugas wilayah", Wilayah: []string{hostile, "32.76.01"}}}}, {Nama: hostile, Email: hostile}}},
	}
}

var hiddenSel = dasbor.Sel{Disembunyikan: true}

// provinsiProgramSample is two offices of a province as the summary gives
// their programme figures: one with small cells hidden.
func provinsiProgramSample() []dasbor.RingkasanTenant {
	share := 72.5
	return []dasbor.RingkasanTenant{
		{Tenant: "depok", NamaTenant: hostile, Program: dasbor.AngkaProgram{BelumPernah: jumlahPtr(1450), PersenBelumPernah: &share,
			Ganda: []dasbor.GandaTahunJenis{{Tahun: 2026, Jenis: "pelatihan", Jumlah: jumlahPtr(12)}, {Tahun: 2025, Jenis: hostile, Jumlah: hiddenSel}}}},
		{Tenant: "karawang", NamaTenant: "Kabupaten Karawang", Program: dasbor.AngkaProgram{BelumPernah: hiddenSel,
			Ganda: []dasbor.GandaTahunJenis{{Tahun: 2026, Jenis: "pelatihan", Jumlah: hiddenSel}}}},
	}
}

// provinsiKantorProgramSample is an office as its province sees it, with
// hidden programme cells at every level.
func provinsiKantorProgramSample() dasbor.Dasbor {
	share := 75.0
	return dasbor.Dasbor{Ambang: 5, UMKM: dasbor.AngkaUMKM{Total: 2000},
		Wilayah: []dasbor.KecamatanDasbor{{Kode: "32.76.01", NamaWilayah: hostile}, {Kode: "32.76.02", NamaWilayah: "Cimanggis"}},
		Program: dasbor.AngkaProgram{BelumPernah: jumlahPtr(1500), PersenBelumPernah: &share,
			Peserta:   []dasbor.PesertaProgram{{Tahun: 2026, Jenis: "pelatihan", Terpilih: jumlahPtr(1200), Selesai: hiddenSel}},
			Pendanaan: []dasbor.TahapPendanaan{{Tahap: "diajukan", Jumlah: jumlahPtr(1100)}, {Tahap: "ditolak", Jumlah: hiddenSel}},
			Ganda: []dasbor.GandaTahunJenis{{Tahun: 2026, Jenis: "pelatihan", Jumlah: jumlahPtr(9), Kecamatan: []dasbor.SelKecamatan{
				{Kode: "32.76.01", Jumlah: hiddenSel}, {Kode: "32.76.02", Jumlah: hiddenSel}}}}}}
}

// TestProvinsiProgrammeCellsRender: the province pages write every hidden
// programme cell as the one word, in the hidden cells' class, and every
// shown one as an Indonesian number; the summary has no province sum.
func TestProvinsiProgrammeCellsRender(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	s := samples()
	render := func(name string) string {
		w := httptest.NewRecorder()
		a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, s[name])
		return w.Body.String()
	}
	hidden := `<td class="angka sel-sembunyi">disembunyikan</td>`
	top := render("provinsi")
	for _, want := range []string{
		`<a href="/p/32/dasbor/depok">` + "&lt;script&gt;", `<td class="angka">1.450</td><td class="angka">72,5%</td><td class="angka">12</td>` + hidden,
		`<a href="/p/32/dasbor/karawang">Kabupaten Karawang</a></th>` + hidden + `<td class="angka"></td>` + hidden + `<td class="angka">0</td>`,
		"Ganda 2026 · Pelatihan", "tidak ada jumlah provinsi",
	} {
		if !strings.Contains(top, want) {
			t.Errorf("province page lacks %q", want)
		}
	}
	office := render("provinsi-kantor")
	for _, want := range []string{
		`<span class="nilai">1.500</span> <span class="bagian">75,0% dari 2.000</span>`,
		`<th scope="row">2026 · Pelatihan</th><td class="angka">1.200</td>` + hidden,
		`<th scope="row">Diajukan</th><td class="angka">1.100</td>`, `<th scope="row">Ditolak</th>` + hidden,
		`<th scope="row">Cimanggis</th>` + hidden, `<th scope="row">Jumlah kantor</th><td class="angka">9</td>`,
	} {
		if !strings.Contains(office, want) {
			t.Errorf("office page lacks %q", want)
		}
	}
	if n := strings.Count(office, "disembunyikan"); n < 5 {
		t.Errorf("%d hidden cells on the office page", n)
	}
}
