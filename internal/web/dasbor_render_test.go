package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/dasbor"
)

func jumlahPtr(n int) dasbor.Sel { return dasbor.Sel{Jumlah: &n} }

// dasborProgramSample is the programme section of an office, hostile text
// in every region name and an unknown kind and stage among the values.
func dasborProgramSample() *DasborProgram {
	d := dasbor.Dasbor{UMKM: dasbor.AngkaUMKM{Total: 2500}, Wilayah: []dasbor.KecamatanDasbor{
		{Kode: "32.76.01", NamaWilayah: hostile, UMKM: 2000, BelumPernah: jumlahPtr(1500), Kelurahan: []dasbor.KelurahanDasbor{
			{Kode: "32.76.01.1001", NamaWilayah: hostile, UMKM: jumlahPtr(1200), BelumPernah: jumlahPtr(1000)},
			{Kode: "32.76.01.1002", NamaWilayah: "Depok", UMKM: jumlahPtr(800), BelumPernah: jumlahPtr(500)}}},
		{Kode: "32.76.02", NamaWilayah: "Cimanggis", UMKM: 500, BelumPernah: jumlahPtr(100)}},
		Program: dasbor.AngkaProgram{BelumPernah: jumlahPtr(1600),
			Peserta: []dasbor.PesertaProgram{{Tahun: 2026, Jenis: "pelatihan", Terpilih: jumlahPtr(1250), Selesai: jumlahPtr(1000)},
				{Tahun: 2025, Jenis: hostile, Terpilih: jumlahPtr(8), Selesai: jumlahPtr(0)}},
			Pendanaan: []dasbor.TahapPendanaan{{Tahap: "dikirim_bank", Jumlah: jumlahPtr(1300)}, {Tahap: hostile, Jumlah: jumlahPtr(2)}},
			Ganda: []dasbor.GandaTahunJenis{{Tahun: 2026, Jenis: "pelatihan", Jumlah: jumlahPtr(1100), Kecamatan: []dasbor.SelKecamatan{
				{Kode: "32.76.01", Jumlah: jumlahPtr(1000)}, {Kode: "32.76.02", Jumlah: jumlahPtr(100)}}}}}}
	return dasborProgram("depok", d, func(string) bool { return true })
}

// TestDashboardProgrammeSection: the programme section reads as an office
// writes (Indonesian numbers and shares), links each figure to the page
// listing it, and links nothing the caller may not open.
func TestDashboardProgrammeSection(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	v := samples()["dasbor"].(*dasborView)
	v.Program = dasborProgramSample()
	w := httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
	body := w.Body.String()
	for _, want := range []string{
		"Program dan bantuan", "UMKM belum pernah dibantu", "1.600", "64,0% dari 2.500",
		// Participants: selected, completed, share, linked to the programmes of that year and kind.
		`<a href="/t/depok/program?jenis=pelatihan&amp;tahun=2026">2026 · Pelatihan</a></th><td class="angka">1.250</td><td class="angka">1.000</td><td class="angka">80,0%</td>`,
		// Funding per stage, linked to the board's column.
		`<a href="/t/depok/pendanaan#kolom-dikirim_bank">Dikirim ke bank</a></th><td class="angka">1.300</td>`,
		// Never-helped per kecamatan and desa, linked to the list of that region.
		`<a href="/t/depok/program/belum-pernah?kecamatan=32.76.02">Cimanggis</a></th><td class="angka">100</td><td class="angka">500</td><td class="angka">20,0%</td>`,
		`<a href="/t/depok/program/belum-pernah?kecamatan=32.76.01&amp;kelurahan=32.76.01.1002">Depok</a></th><td class="angka">500</td><td class="angka">800</td><td class="angka">62,5%</td>`,
		// Overlap per kecamatan, and the office's total.
		`<th scope="row">Cimanggis</th><td class="angka">100</td>`, `<th scope="row">Jumlah kantor</th><td class="angka">1.100</td>`,
		`href="/t/depok/program/belum-pernah"`, `href="/t/depok/program"`, `href="/t/depok/pendanaan"`, `href="/t/depok/program/laporan"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the programme section lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a region name is not escaped")
	}

	// A viewer who may open none of those pages gets the figures unlinked.
	d := dasbor.Dasbor{Wilayah: []dasbor.KecamatanDasbor{{Kode: "32.76.02", NamaWilayah: "Cimanggis", UMKM: 5, BelumPernah: jumlahPtr(2)}},
		Program: dasbor.AngkaProgram{Peserta: []dasbor.PesertaProgram{{Tahun: 2026, Jenis: "event", Terpilih: jumlahPtr(3), Selesai: jumlahPtr(1)}},
			Pendanaan: []dasbor.TahapPendanaan{{Tahap: "aktif", Jumlah: jumlahPtr(1)}}}}
	v.Program = dasborProgram("depok", d, func(string) bool { return false })
	w = httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
	for _, link := range []string{"/program", "/pendanaan"} {
		if strings.Contains(w.Body.String(), `href="/t/depok`+link) {
			t.Errorf("links %s for a caller who may not open it", link)
		}
	}
	if !strings.Contains(w.Body.String(), "Belum ada usaha yang mendapat bantuan sejenis lebih dari sekali") {
		t.Error("no word for an office without overlap")
	}
}
