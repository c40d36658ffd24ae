package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// pendanaanSamples are the funding pages with hostile text in all a user
// or a bank could have typed.
func pendanaanSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	fee, tenor, end := int64(950_000), 12, at.Add(72*time.Hour)
	p := pendanaan.Pengajuan{ID: uuid.New(), Skema: "kredit_mesra", SkemaBerlaku: "2018-01-01", Jenis: pendanaan.JenisKreditMesra,
		NamaKelompok: ptrTo(hostile), Pemohon: hostile, Plafon: 10_000_000, TenorBulan: &tenor, BiayaAdmin: &fee, Bank: ptrTo(hostile),
		Tahap: pendanaan.TahapDisurvei, TahapSejak: at, Catatan: ptrTo(hostile), NomorAkad: ptrTo(hostile), TanggalAkad: ptrTo("2026-12-01"),
		Berikutnya: []string{pendanaan.TahapDisetujui, pendanaan.TahapDitolak, pendanaan.TahapAkad, pendanaan.TahapSK, pendanaan.TahapLengkap, pendanaan.TahapDisurvei}, Version: 4, CreatedAt: at,
		Anggota: []pendanaan.AnggotaKelompok{{UMKMID: uuid.New(), NamaUsaha: hostile, NamaPemilik: hostile, Plafon: 2_000_000, BiayaAdmin: &fee}},
		Riwayat: []pendanaan.RiwayatTahap{{No: 0, Tahap: "diajukan", MulaiAt: at, SelesaiAt: &end, DurasiDetik: 3 * 86400, Catatan: ptrTo(hostile)},
			{No: 1, Tahap: "disurvei", MulaiAt: end, DurasiDetik: 5 * 3600}},
		Syarat: []pendanaan.SyaratDana{{Kode: "rekomendasi", Tahap: "lengkap", Nama: hostile}, {Kode: "slik_bersih", Tahap: "disetujui", Nama: hostile},
			{Kode: "tanpa_kredit_macet", Tahap: "lengkap", Nama: hostile}},
		SyaratKurang: []pendanaan.SyaratKurang{{Kode: "rekomendasi", Tahap: "lengkap", Pesan: hostile}, {Kode: "slik_bersih", Tahap: "disetujui", Pesan: "Hasil SLIK belum dicatat."}},
		Prioritas:    []pendanaan.PrioritasDana{{Kode: "pelatihan_pemkot", Nama: hostile, Terpenuhi: true}},
		JenisBerkas:  []string{"ktp", "rt", hostile}, PernyataanBukanASN: ptrTo(false), PernyataanTanpaKreditMacet: ptrTo(true), SLIK: ptrTo("bermasalah")}
	p.Berkas = []pendanaan.BerkasDana{{ID: uuid.New(), Jenis: "ktp", Nama: "KTP", UMKMID: &p.Anggota[0].UMKMID, Catatan: ptrTo(hostile)},
		{ID: uuid.New(), Jenis: hostile, Nama: hostile, Nomor: ptrTo(hostile), Tanggal: ptrTo("2026-11-30")}}
	klaim := uuid.New()
	sp2d := hostile
	calon := umkm.Record{ID: uuid.New(), NamaUsaha: hostile, NamaPemilik: hostile}
	return map[string]viewModel{
		"pendanaan-papan": &papanView{Halaman: frame("Pendanaan"), Jenis: "kredit_mesra", JenisOpsi: []Opsi{{Nilai: "kredit_mesra", Label: hostile}},
			Kolom: []pendanaan.Kolom{{Tahap: "disurvei", Nama: hostile, Jumlah: 21, Kartu: []pendanaan.Pengajuan{p}}, {Tahap: "aktif", Nama: "Aktif", Kartu: []pendanaan.Pengajuan{}}}},
		"pendanaan-rekam": &pengajuanView{Halaman: frame(hostile), P: p, Alasan: opsi(pendanaan.AlasanTolak, pendanaan.NamaAlasan), Pesan: hostile,
			Gagal: pendanaan.TahapAkad, Isi: url.Values{"nomor_akad": {hostile}}, Galat: map[string]string{"nomor_akad": hostile, "tanggal_akad": hostile},
			BerkasKunci: "k", BerkasIsi: url.Values{"jenis": {"rt"}, "nomor": {hostile}}, BerkasGalat: map[string]string{"nomor": hostile, "umkm_id": hostile}},
		"pendanaan-kelompok": &kelompokView{Halaman: frame("Pengajuan kelompok Kredit Mesra"), Kelurahan: "32.76.01.1006",
			KelurahanGrup: []Grup{{Label: hostile, Opsi: []Opsi{{Nilai: "32.76.01.1006", Label: hostile}}}}, Calon: []umkm.Record{calon},
			Dipilih: map[string]bool{calon.ID.String(): true}, Plafon: map[string]string{calon.ID.String(): hostile}, Nama: hostile, Tenor: "6", Kunci: "k",
			Galat: map[string]string{"anggota": hostile, "plafon-" + calon.ID.String(): hostile, "nama_kelompok": hostile}, Pesan: hostile, Lebih: true},
		"pendanaan-subsidi": &bukuView{Halaman: frame("Subsidi bunga"), Bank: hostile, Pesan: hostile, Galat: map[string]string{"bunga": hostile},
			B: pendanaan.Buku{Bulan: "2026-11", TotalBunga: 382_501, TotalSubsidi: 324_750, TotalDebitur: 57_751, BelumDiklaim: 156_000,
				Pagu: pendanaan.Pagu{Tahun: 2026, Pagu: 1_500_000_000, Terpakai: 168_750, Sisa: 1_499_831_250},
				Items: []pendanaan.Subsidi{{ID: uuid.New(), PengajuanID: p.ID, Debitur: hostile, NamaPemilik: hostile, Bank: hostile, Bulan: "2026-11",
					Pokok: 25_000_000, Bunga: 187_501, SubsidiBP: 9000, Subsidi: 168_750, BagianDebitur: 18_751, KlaimID: &klaim},
					{ID: uuid.New(), PengajuanID: p.ID, Debitur: hostile, Bank: "bjb", Bulan: "2026-11", Pokok: 26_000_000, Bunga: 195_000, SubsidiBP: 8000, Subsidi: 156_000, BagianDebitur: 39_000}},
				Klaim: []pendanaan.Klaim{{ID: klaim, Bank: hostile, Bulan: "2026-11", Jumlah: 168_750, Baris: 1, Status: "diverifikasi", Version: 2},
					{ID: uuid.New(), Bank: "bjb", Bulan: "2026-11", Jumlah: 1, Baris: 1, Status: "dibayar", NomorSP2D: &sp2d}}},
			Debitur: []pendanaan.Pengajuan{p}},
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestPendanaanPagesReadAsAnOfficeWrites: rupiah, the subsidy's share, the
// time in a stage, the budget bar.
func TestPendanaanPagesReadAsAnOfficeWrites(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	kantor := &tenancy.Tenant{ID: uuid.New(), Slug: "depok", Name: "Kota Depok", TimeZone: "Asia/Jakarta"}
	frame := func(j string) Halaman {
		return Halaman{Judul: j, Kantor: kantor, can: func(string) bool { return true }, loc: wib}
	}
	s := pendanaanSamples(frame, time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	for name, want := range map[string][]string{
		"pendanaan-subsidi": {"Rp 168.750 (90,0%)", "Rp 18.751", "Rp 324.750", `<meter id="bar-pagu" min="0" max="100" high="90" value="0">`, "November 2026", "Catat pembayaran"},
		"pendanaan-rekam": {"3 hari", "sudah 5 jam", "Rp 950.000", "Pindah ke: Disetujui", `name="alasan_tolak"`, `aria-invalid="true"`,
			"Syarat yang belum terpenuhi (2)", "Hasil SLIK belum dicatat. <span class=\"wajib\">(diperlukan sebelum Disetujui)</span>",
			`<option value="rt" selected>Rekomendasi RT</option>`, `id="berkas-nomor-galat"`, `id="berkas-umkm_id-galat"`, "Catat berkas",
			"<dt>Hasil SLIK</dt><dd>Bermasalah</dd>", "<dt>Pernyataan</dt><dd>tidak punya kredit bermasalah</dd>", ": ya</p>", `name="pernyataan_tanpa_kredit_macet" value="ya"`, `name="slik"`, "Hasil SLIK/BI checking dari bank</label>"},
		"pendanaan-papan": {"21", "dan 21 seluruhnya", "Rp 10.000.000"},
	} {
		w := httptest.NewRecorder()
		if err := a.write(w, http.StatusOK, s[name]); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, x := range want {
			if !strings.Contains(w.Body.String(), x) {
				t.Errorf("%s: no %q in\n%s", name, x, w.Body.String())
			}
		}
	}
}
