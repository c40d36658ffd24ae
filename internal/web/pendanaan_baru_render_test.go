package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// pendanaanBaruSample is the one-applicant form filled in, a group's grant
// refused, with hostile text wherever a user typed.
func pendanaanBaruSample(frame func(string) Halaman, _ time.Time) viewModel {
	return &baruView{Halaman: frame("Pengajuan pendanaan baru"), Cari: "kelompok", Pemohon: hostile, Kunci: "k",
		Skema: []pendanaan.Skema{{Kode: "hibah", Jenis: pendanaan.JenisHibah, Nama: hostile}},
		Isi:   url.Values{"nama_kelompok": {hostile}, "sk_kelompok": {hostile}, "plafon": {hostile}, "catatan": {hostile}, "skema": {"hibah"}},
		Galat: map[string]string{"sk_kelompok": hostile, "plafon": hostile, "pemohon": hostile}, Pesan: hostile}
}

// TestPendanaanBaruSearchRenders: the search step, with what was typed and
// what the register holds escaped, each result a link to its form.
func TestPendanaanBaruSearchRenders(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	id, kop := uuid.New(), uuid.New()
	for name, v := range map[string]*baruView{
		"umkm":     {Cari: "umkm", Q: hostile, Dicari: true, UMKM: []umkm.Record{{ID: id, NamaUsaha: hostile, NamaPemilik: hostile}}},
		"koperasi": {Cari: "koperasi", Q: hostile, Dicari: true, Koperasi: []koperasi.Koperasi{{ID: kop, Nama: hostile}}},
		"none":     {Cari: "umkm", Q: hostile, Dicari: true},
	} {
		v.Halaman = Halaman{Judul: "Pengajuan pendanaan baru", Kantor: &tenancy.Tenant{Slug: "depok", Name: "Kota Depok"},
			can: func(string) bool { return true }, loc: wib}
		w := httptest.NewRecorder()
		a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
		body := w.Body.String()
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s: hostile text not escaped or not shown:\n%s", name, body)
		}
		want := map[string]string{"umkm": "/pendanaan/baru?umkm_id=" + id.String(), "koperasi": "/pendanaan/baru?koperasi_id=" + kop.String(),
			"none": "Daftarkan dulu di register"}[name]
		if !strings.Contains(body, want) {
			t.Errorf("%s: no %q in\n%s", name, want, body)
		}
	}
}

// pendanaanSkemaSample is the schemes page with an override and the
// ceiling form refused, hostile text wherever an office typed.
func pendanaanSkemaSample(frame func(string) Halaman, _ time.Time) viewModel {
	s := pendanaan.Skema{Kode: "subsidi_bunga_depok", Jenis: pendanaan.JenisSubsidiBunga, Nama: hostile, DasarHukum: hostile, Sumber: hostile,
		BerlakuMulai: "2024-11-01", Ubahan: &pendanaan.Ubahan{BerlakuMulai: "2026-01-02", Alasan: hostile},
		Aturan: pendanaan.AturanSkema{PokokMin: 1_000_000, Pembulatan: "subsidi_ke_bawah",
			Syarat:    []pendanaan.SyaratDana{{Kode: "nib", Tahap: "lengkap", Nama: "NIB (13 digit)"}},
			Prioritas: []pendanaan.SyaratDana{{Kode: "pelatihan_pemkot", Nama: hostile}}, PaguTahunan: map[string]int64{"2026": 1_500_000_000},
			Tingkat: []pendanaan.TingkatSkema{{PokokMaks: 25_000_000, SubsidiBP: 9000}, {PokokMaks: 50_000_000, SubsidiBP: 8000}}}}
	m := pendanaan.Skema{Kode: "kredit_mesra", Jenis: pendanaan.JenisKreditMesra, Nama: "Kredit Mesra", BerlakuMulai: "2018-01-01",
		Aturan: pendanaan.AturanSkema{AnggotaMin: 5, AnggotaMaks: 10, PlafonMin: 500_000, PlafonMaks: 5_000_000,
			Biaya: []pendanaan.Biaya{{TenorBulan: 6, BiayaBP: 500}, {TenorBulan: 12, BiayaBP: 250}}, Rekomendasi: []string{hostile}}}
	return &skemaView{Halaman: frame("Skema pendanaan"), Items: []skemaBaris{{S: s, Angka: ringkas(s), Pagu: []paguTahun{{Tahun: "2026", Rupiah: "Rp 1.500.000.000"}}},
		{S: m, Angka: ringkas(m)}}, Subsidi: []pendanaan.Skema{s}, Isi: url.Values{"pagu": {hostile}, "alasan": {hostile}, "kode": {s.Kode}},
		Galat: map[string]string{"pagu": hostile, "berlaku_mulai": hostile}, Pesan: hostile}
}

// TestSkemaReadsAsAnOfficeSaysIt: tiers, fees and ceilings in rupiah and
// percent, dates in words.
func TestSkemaReadsAsAnOfficeSaysIt(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	v := pendanaanSkemaSample(func(j string) Halaman {
		return Halaman{Judul: j, Kantor: &tenancy.Tenant{Slug: "depok"}, can: func(string) bool { return true }, loc: wib}
	}, time.Time{})
	w := httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
	for _, want := range []string{"Pinjaman Rp 1.000.000 sampai Rp 25.000.000: 90% bunga disubsidi", "Rp 25.000.001 sampai Rp 50.000.000: 80%",
		"Kelompok 5 sampai 10 anggota, Rp 500.000 sampai Rp 5.000.000 per anggota", "Tenor 6 bulan: biaya administrasi 5%", "Tenor 12 bulan: biaya administrasi 2,5%",
		"Rp 1.500.000.000", "1 November 2024", "Syarat sebelum Berkas lengkap: NIB (13 digit)", "Diutamakan: &lt;script&gt;", "2 Januari 2026", `id="pagu-galat"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("no %q in\n%s", want, w.Body.String())
		}
	}
}
