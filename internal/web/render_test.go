package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/peta"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
)

// hostile is stored text as an attacker would type it.
const hostile = `<script>alert(1)</script> "kutip" 'satu' {{.Judul}}`

// samples fill every view as a page would, hostile text in every string.
func samples() map[string]viewModel {
	kantor := &tenancy.Tenant{ID: uuid.New(), Slug: "depok", Name: "Kota Depok", TimeZone: "Asia/Jakarta"}
	frame := func(judul string) Halaman {
		return Halaman{Judul: judul, Pengguna: hostile, Kantor: kantor, BisaKeluar: true,
			Menu: []Menu{{Label: "Dasbor", Tautan: "/t/depok/dasbor", Aktif: true}},
			can:  func(string) bool { return true }, loc: wib}
	}
	at := time.Date(2026, 12, 6, 7, 5, 0, 0, time.UTC)
	total, berkas := 1234, uuid.New()
	total2 := hostile
	out := map[string]viewModel{
		"galat":   &galatView{Halaman: frame("Tidak ditemukan"), Pesan: hostile},
		"masuk":   &masukView{Halaman: Halaman{Judul: "Masuk"}, Email: hostile, Lanjut: "/t/depok/umkm", Pesan: hostile, Galat: map[string]string{"password": hostile}},
		"beranda": &berandaView{Halaman: frame("Beranda"), Pilihan: []Pilihan{{Nama: hostile, Peran: "Staf", Tautan: "/t/depok/dasbor"}, {Nama: "Provinsi 32", Keterangan: hostile}}},
		"dasbor": &dasborView{Halaman: frame("Dasbor Kota Depok"), DihitungAt: &at,
			Ringkasan:  []Ringkasan{{Label: "UMKM terdaftar", Nilai: 1500000}, {Label: "UMKM binaan", Nilai: 150, Dari: 1200}},
			Wilayah:    []dasbor.KecamatanDasbor{{Kode: "32.76.01", NamaWilayah: hostile, UMKM: 2500}},
			BisaDaftar: true, BisaWilayah: true,
			Grafik: tautan{slug: "depok", bisa: true}.umkm(dasbor.AngkaUMKM{Total: 10,
				Sektor:  []dasbor.Angka{{Nilai: "kuliner", Jumlah: 7}, {Nilai: hostile, Jumlah: 3}},
				Bulanan: []dasbor.Angka{{Nilai: "2026-11", Jumlah: 4}, {Nilai: "2026-12", Jumlah: 6}}}),
			Target: []GrafikTarget{tautan{slug: "depok", bisa: true}.target(dasbor.ProgresTarget{Nama: hostile, TahunMulai: 2025, TahunSelesai: 2026,
				Target: 100, Tercapai: 40, PerTahun: []dasbor.TargetTahun{{Tahun: 2025, Target: 50, Tercapai: 40}},
				PerKecamatan: []dasbor.TargetKecamatan{{Kode: "32.76.01", NamaWilayah: hostile, Tercapai: 40, PerTahun: []dasbor.TahunAngka{{Tahun: 2025, Jumlah: 40}}}}}, nil)}},
		"peta": &petaView{Halaman: frame("Peta Kota Depok"), Tampil: "kendala", Kategori: hostile, TampilOpsi: tampilOpsi,
			KategoriOpsi: []Opsi{{Nilai: "sdm", Label: hostile}}, DihitungAt: &at, Judul: hostile, Grafik: "<svg></svg>",
			Legenda: []peta.Tingkat{{Kelas: "q0", Label: hostile, Jumlah: 3}}, Catatan: peta.Catatan,
			Baris: []BarisPeta{{Kode: "32.76.01.1001", Nama: hostile, Kecamatan: hostile, Teks: "12", Href: "/t/depok/dasbor/wilayah/32.76.01.1001"}}},
		"dasbor-wilayah": &wilayahView{Halaman: frame(hostile), W: dasbor.WilayahDasbor{NamaWilayah: hostile, DihitungAt: &at},
			Induk: Opsi{Nilai: "32.76.01", Label: hostile}, Daftar: "/t/depok/umkm?kelurahan=32.76.01.1001",
			Ringkasan: []Ringkasan{{Label: "UMKM terdaftar", Nilai: 12}},
			Grafik:    tautan{slug: "depok", bisa: true, wilayah: url.Values{"kelurahan": {"32.76.01.1001"}}}.umkm(dasbor.AngkaUMKM{Total: 12})},
		"umkm": &umkmListView{Halaman: frame("Register UMKM"), F: umkmFilter{Q: hostile, Kecamatan: "32.76.01"},
			KecamatanOpsi: []Opsi{{Nilai: "32.76.01", Label: hostile}}, KelurahanGrup: []Grup{{Label: hostile, Opsi: []Opsi{{Nilai: "32.76.01.1001", Label: hostile}}}},
			SektorOpsi: []Opsi{{Nilai: "kuliner", Label: "Kuliner"}}, FilterTerpakai: []string{hostile},
			Items:      []BarisUMKM{{Record: umkm.Record{ID: uuid.New(), NamaUsaha: hostile, NamaPemilik: hostile, Sektor: "kuliner"}, NamaKecamatan: hostile}},
			Berikutnya: "/t/depok/umkm?cursor=abc&q=" + hostile, Pertama: "/t/depok/umkm?q=" + hostile, Lanjutan: true, Galat: map[string]string{"q": hostile}},

		"impor": &imporView{Halaman: frame("Impor UMKM"), UjiCoba: true, Pesan: hostile, Galat: map[string]string{"berkas": hostile}},
		"pekerjaan": &pekerjaanView{Halaman: frame("Impor UMKM"), Nama: hostile, UjiCoba: true, Hasil: umkm.HasilTidakValid,
			Job:     pekerjaan.Job{ID: uuid.New(), Jenis: "impor_umkm", Status: pekerjaan.Selesai, Selesai: 1234, Total: &total, CreatedAt: at, HasilBerkasID: &berkas},
			Ringkas: &umkm.ImportSummary{Baris: 1234, Baru: 1000, TidakValid: 234},
			Laporan: []BarisLaporan{{Baris: 7, Hasil: umkm.HasilTidakValid, Masalah: []Masalah{{Kolom: "NIK", Alasan: hostile}, {Kolom: "Sektor", Alasan: "x"}}},
				{Baris: 8, Hasil: umkm.HasilBaru, Peringatan: []Masalah{{Kolom: "KBLI", Alasan: hostile}}}},
			Lanjut: "/t/depok/pekerjaan/x?dari=8"},
		"daftar": &daftarView{Halaman: Halaman{Judul: "Pendaftaran UMKM binaan"}, Slug: "depok", NamaKantor: hostile, Kunci: "k",
			Isi:       url.Values{"nama_pemilik": {hostile}, "sektor": {"kuliner"}, "saluran_penjualan": {"shopee"}},
			Kelurahan: []Grup{{Label: hostile, Opsi: []Opsi{{Nilai: "32.76.01.1001", Label: hostile}}}},
			Pesan:     hostile, Galat: map[string]string{"nik": hostile, "nama_pemilik": hostile, "saluran_penjualan": hostile}},
		"lacak": &lacakView{Halaman: Halaman{Judul: "Lacak pendaftaran"}, Kode: hostile,
			Status: &umkm.RegistrasiStatus{KodeLacak: "DPK-7Q4MK-9X2AB", Status: "ditolak", TanggalDaftar: "2026-12-06", TanggalKeputusan: "2026-12-07", Alasan: hostile}},
		"registrasi": &registrasiView{Halaman: frame("Registrasi online"), Status: "menunggu", Selesai: hostile, Pesan: hostile,
			Items: []BarisRegistrasi{{Registrasi: umkm.Registrasi{ID: uuid.New(), KodeLacak: "DPK-7Q4MK-9X2AB", Status: "menunggu", CreatedAt: at,
				Data: umkm.RegistrasiData{NamaUsaha: hostile, NamaPemilik: hostile, Sektor: "kuliner", Alamat: &total2}}, NamaKecamatan: hostile,
				Duplikat: &umkm.Record{NamaUsaha: hostile, NamaPemilik: hostile}, Pesan: hostile, Galat: map[string]string{"alasan": hostile}, Ketikan: hostile}},
			Berikutnya: "/t/depok/registrasi?cursor=x"},
		"pekerjaan-saya": &pekerjaanListView{Halaman: frame("Pekerjaan saya"), Items: []BarisPekerjaan{{
			Job: pekerjaan.Job{Jenis: "impor_umkm", Status: pekerjaan.Berjalan, Selesai: 1500, CreatedAt: at}, Jenis: "Impor UMKM", Nama: hostile, Tautan: "/t/depok/pekerjaan/x"}}},
		"pengguna": &penggunaView{Halaman: frame("Pengguna"), Selesai: hostile, Berikutnya: "/t/depok/pengguna?cursor=x",
			Items: []BarisPengguna{{Member: account.Member{ID: uuid.New(), Name: hostile, Email: hostile, Role: tenancy.RolePetugas, CreatedAt: at},
				Peran: "Petugas wilayah", Wilayah: []string{hostile}}},
			Baru: penggunaForm{Nama: hostile, Email: hostile, Peran: "petugas", Pesan: hostile, Tugas: tugasSample(),
				Galat: map[string]string{"nama": hostile, "email": hostile, "sandi": hostile, "wilayah": hostile, "peran": hostile}}},
		"pengguna-rekam": &penggunaRekamView{Halaman: frame(hostile), M: account.Member{ID: uuid.New(), Name: hostile, Email: hostile, CreatedAt: at},
			Peran: "petugas", Aktif: true, Tugas: tugasSample(), Versi: 3, Pesan: hostile, Dirimu: true, AuditKu: "/t/depok/audit?oleh=x",
			Galat: map[string]string{"peran": hostile, "wilayah": hostile, "aktif": hostile},
			Lain:  &BarisPengguna{Member: account.Member{Name: hostile, Active: true}, Peran: "Staf", Wilayah: []string{hostile}}},
		"platform-kantor-rekam": func() viewModel {
			v := &kantorPlatformView{Halaman: frame(hostile), T: tenant.Tenant{Slug: "makassar", Name: hostile, ProvinceName: hostile},
				Status:  langganan.Status{Billed: true, Decision: langganan.Decision{State: langganan.ReadOnly, Reason: langganan.ReasonSuspended, Until: at}},
				Keadaan: hostile, Selesai: hostile, Pesan: hostile, Tautan: "/undangan/makassar/" + hostile,
				Galat:     map[string]string{"uji-coba-trial_until": hostile, "undangan-email": hostile, "batal-alasan": hostile, "akhiri-konfirmasi": hostile},
				BisaBatal: true, BisaAkhiri: true,
				Bundel: &BagianBundel{Keadaan: bundel.Keadaan{Job: pekerjaan.Job{Status: pekerjaan.Selesai, CreatedAt: at}, Persen: 100,
					Hasil:  &bundel.Hasil{Nama: hostile, Ukuran: 12 << 20, SHA256: hostile, Tabel: 27, Baris: 150000, Berkas: 3},
					Tautan: "/v1/public/makassar/bundel/" + hostile, Berlaku: at}, Muat: "/platform/kantor/makassar", loc: wib}}
			v.Undangan.Email = hostile
			received, paid := int64(39_240_000), at
			open := uuid.New()
			v.Langganan = tagihanPlatform{Paket: []langganan.Plan{{Code: "dasar", Name: hostile, YearlyPriceIDR: 36_000_000}},
				Kontrak: KontrakForm{Paket: "dasar", Nomor: hostile, NPWP: hostile, Email: hostile, JatuhTempo: hostile},
				Tagihan: []BarisTagihan{
					{InvoiceView: langganan.InvoiceView{ID: open, Number: hostile, Status: "open", AmountDueIDR: 39_960_000, TaxIDR: 3_960_000, DueAt: &at,
						HostedURL: "https://invoice.stripe.com/" + hostile, PDFURL: "https://pay.stripe.com/" + hostile}, Status: hostile, Lewat: true},
					{InvoiceView: langganan.InvoiceView{ID: uuid.New(), Status: "paid", SP2DNumber: hostile, PaidAt: &paid, ReceivedIDR: &received}, Status: hostile},
				},
				Pemakaian: langganan.Usage{Staff: 3, Records: 149_800},
				Bayar:     open, Dibayar: BayarForm{SP2D: hostile, Tanggal: hostile, Diterima: hostile, PPNNomor: hostile, PPhJenis: "pph22", PPhNomor: hostile}}
			for _, k := range []string{"kontrak-paket", "kontrak-npwp", "kontrak-jatuh_tempo", "bayar-sp2d", "bayar-diterima", "bayar-pph_nomor"} {
				v.Galat[k] = hostile
			}
			return v
		}(),
		"undangan": &undanganView{Halaman: Halaman{Judul: "Undangan"}, Aksi: "/undangan/depok/x", NamaKantor: hostile, Email: hostile, Nama: hostile,
			Pesan: hostile, Berlaku: true, Galat: map[string]string{"nama": hostile, "password": hostile}},
		"audit": &auditView{Halaman: frame("Log audit"), F: auditFilter{Jenis: "umkm", Oleh: hostile, Dari: hostile},
			Galat: map[string]string{"dari": hostile}, Oleh: []Opsi{{Nilai: uuid.NewString(), Label: hostile}}, Berikutnya: "/t/depok/audit?cursor=x",
			Items: []BarisLog{{BarisAudit: BarisAudit{At: at, Aksi: "Diubah", Oleh: hostile, Perubahan: []string{hostile}}, Jenis: "UMKM", Tautan: "/t/depok/umkm/x"},
				{BarisAudit: BarisAudit{At: at, Aksi: hostile, Oleh: "sistem"}, Jenis: hostile, Kode: hostile}}},
	}
	for k, v := range umkmSamples(frame, at) {
		out[k] = v
	}
	for k, v := range reklasifikasiSamples(frame, at) {
		out[k] = v
	}
	for k, v := range provinsiSamples(frame, at) {
		out[k] = v
	}
	for k, v := range koperasiSamples(frame, at) {
		out[k] = v
	}
	for k, v := range pendanaanSamples(frame, at) {
		out[k] = v
	}
	out["pendanaan-baru"] = pendanaanBaruSample(frame, at)
	out["pendanaan-skema"] = pendanaanSkemaSample(frame, at)
	for k, v := range programSamples(frame, at) {
		out[k] = v
	}
	for k, v := range pemasaranSamples(frame, at) {
		out[k] = v
	}
	for k, v := range konsinyasiSamples(frame, at) {
		out[k] = v
	}
	for k, v := range luarSamples(frame, at) {
		out[k] = v
	}
	for k, v := range klinikSamples(frame, at) {
		out[k] = v
	}
	for k, v := range pasarSamples(frame) {
		out[k] = v
	}
	out["tagihan"] = tagihanSample(frame, at)
	for name, v := range kemitraanSamples(frame, at) {
		out[name] = v
	}
	out["dasbor"].(*dasborView).Koperasi = dasborKoperasiSample()
	out["dasbor"].(*dasborView).Program = dasborProgramSample()
	return out
}

// tugasSample is a petugas's region choice with one kelurahan chosen.
func tugasSample() wilayahTugas {
	return wilayahTugas{Kecamatan: []TugasKecamatan{{Kode: "32.76.01", Nama: hostile, Kelurahan: []Opsi{{Nilai: "32.76.01.1001", Label: hostile}}}},
		Dipilih: []string{"32.76.01.1001"}}
}

var (
	styleAttr    = regexp.MustCompile(`(?i)<[^>]+\sstyle=`)
	inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]`)
	onHandler    = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+=`)
)

// TestEveryViewRenders renders each registered view with its sample: no
// template error, stored text escaped, nothing the CSP would block, and
// the formats of an Indonesian office.
func TestEveryViewRenders(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	s := samples()
	for name := range views {
		v, ok := s[name]
		if !ok {
			t.Errorf("view %s has no sample in samples(): add one", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, body)
			}
			if strings.Contains(body, "<script>alert") || strings.Contains(body, `"kutip"`) {
				t.Errorf("stored text not escaped:\n%s", body)
			}
			if !strings.Contains(body, "&lt;script&gt;") {
				t.Errorf("the hostile sample does not appear escaped; is every string shown?\n%s", body)
			}
			for what, re := range map[string]*regexp.Regexp{"style attribute": styleAttr, "inline script": inlineScript, "inline handler": onHandler} {
				if m := re.FindString(body); m != "" {
					t.Errorf("%s, blocked by the CSP: %s", what, m)
				}
			}
			if !strings.Contains(body, `<html lang="id">`) || !strings.Contains(body, "<h1>") {
				t.Errorf("no lang or h1:\n%s", body)
			}
		})
	}
	for name := range s {
		if _, ok := views[name]; !ok {
			t.Errorf("sample %s is not a registered view", name)
		}
	}
}

func TestDashboardReadsAsAnOfficeWrites(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, samples()["dasbor"])
	for _, want := range []string{"1.500.000", "12,5% dari 1.200", "Dihitung pada 6 Desember 2026 14.05 WIB", "2.500",
		`<a href="/t/depok/umkm?sektor=kuliner">`, "70,0%", "Nov 2026", "November 2026", "40 dari 100 (40%)", `href="/t/depok/dasbor/wilayah/32.76.01"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

func TestRenderRefusesAnUnregisteredModel(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	type other struct{ Halaman }
	if err := a.write(httptest.NewRecorder(), http.StatusOK, &other{}); err == nil {
		t.Error("an unregistered view model rendered")
	}
}

func TestLanjutStaysOnThisSite(t *testing.T) {
	tests := map[string]string{
		"/t/depok/umkm?q=warung": "/t/depok/umkm?q=warung",
		"/":                      "/",
		"":                       "/",
		"//evil.example/x":       "/",
		"/\\evil.example":        "/",
		"https://evil.example/":  "/",
		"javascript:alert(1)":    "/",
		"t/depok":                "/",
		"/ok\x00":                "/",
	}
	for in, want := range tests {
		if got := lanjut(in); got != want {
			t.Errorf("lanjut(%q) = %q, want %q", in, got, want)
		}
	}
}
