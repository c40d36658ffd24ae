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
	"github.com/sentra-id/sentra/internal/laporan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// programSamples are the programme views, hostile text in every string.
func programSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	p := program.Program{ID: uuid.New(), Nama: h, Jenis: "pelatihan", AgensiID: uuid.New(), AgensiNama: h, Tahun: 2026,
		SumberDana: "apbd", RenjaKode: &h, RenjaIndikator: &h, Satuan: "usaha", Target: 1500, Kuota: 1200, Terisi: 1199,
		Status: "dibuka", Keterangan: &h, AturanVersi: 2, CreatedAt: at, UpdatedAt: at, Version: 3}
	isi := url.Values{}
	for _, f := range append(programFields, aturanFields...) {
		isi.Set(f.nama, h)
	}
	galat := map[string]string{}
	for k := range isi {
		galat[k] = h
	}
	sesi := program.Sesi{ID: uuid.New(), Judul: h, Tanggal: "2026-05-12", Tempat: &h, Hadir: 1, Version: 2}
	ya, tidak, versi := true, false, 2
	tgl, sert := "2026-06-01", h
	terpilih := BarisPeserta{Peserta: program.Peserta{ID: uuid.New(), Nama: h, NamaPemilik: &h, Pemohon: "perorangan", Status: "terpilih",
		Layak: &ya, LayakVersi: &versi, Hadir: []uuid.UUID{sesi.ID}, Version: 4}, StatusKata: h}
	ditolak := BarisPeserta{Peserta: program.Peserta{ID: uuid.New(), Nama: h, Status: "mendaftar", Layak: &tidak, LayakVersi: &versi,
		LayakAlasan: []program.Gagal{{Aturan: "punya_nib", Pesan: h}}, Version: 2}, StatusKata: h}
	selesai := BarisPeserta{Peserta: program.Peserta{ID: uuid.New(), Nama: h, Status: "selesai", Layak: &ya, SelesaiTanggal: &tgl,
		SertifikatNomor: &sert, AlasanTolak: &h, Version: 6}, StatusKata: h}
	tumpangan := BarisPeserta{Peserta: program.Peserta{ID: uuid.New(), Nama: h, Status: "mendaftar", Layak: &ya, LayakVersi: &versi, Version: 1},
		StatusKata: h, Tumpang: &tumpang.Cek{Jenis: "pelatihan", SamaJenis: 1, Items: []tumpang.Partisipasi{
			{Sumber: "luar", ProgramNama: h, AgensiNama: h, Tahun: 2025, Jenis: "pelatihan", SamaJenis: true},
			{Sumber: "kantor", ProgramNama: h, AgensiNama: h, Tahun: 2024, Jenis: "event"}}}}
	terpilih.TindakLanjut = []program.TindakLanjut{{Tanggal: "2026-07-01", Catatan: h}}
	terpilih.BAST = bastKelompok([]program.Barang{
		{NomorBAST: h, Tanggal: "2026-06-02", NamaBarang: h, Jumlah: 2, Satuan: h, HargaSatuan: 1_500_000, Nilai: 3_000_000},
		{NomorBAST: h, Tanggal: "2026-06-02", NamaBarang: h, Jumlah: 1, Satuan: h, HargaSatuan: 250_000, Nilai: 250_000}}, time.UTC)
	selesai.BAST = bastKelompok([]program.Barang{{NomorBAST: "027/BAST/2026", Tanggal: "2026-06-03", NamaBarang: h, Jumlah: 1, Satuan: h,
		HargaSatuan: 900_000, Nilai: 900_000, DiterimaNama: &h, DiterimaAt: &at}}, time.UTC)
	tid := terpilih.ID.String()
	ketik := url.Values{"sesi-judul": {h}, tid + "-sertifikat_nomor": {h}, "umkm_id": {h}, tid + "-tl-catatan": {h},
		tid + "-bast-barang[1].harga_satuan": {h}, tid + "-terima-" + h + "-nama": {h}}
	return map[string]viewModel{
		"program": &programListView{Halaman: frame("Program"), F: programFilter{Q: h, Tahun: h, Jenis: "pelatihan"},
			JenisOpsi: opsi(program.AllJenis, program.JenisLabel), StatusOpsi: opsi(program.AllStatus, labelStatusProgram),
			AgensiOpsi: []Opsi{{Nilai: uuid.NewString(), Label: h}}, AgensiJenisOpsi: opsi(program.AllAgensi, labelAgensi),
			Agensi: []BarisAgensi{{Agensi: program.Agensi{ID: uuid.New(), Nama: h, Jenis: "baznas"}, JenisKata: h}},
			Items:  []BarisProgram{barisProgram(p)}, Berikutnya: "/t/depok/program?cursor=x&q=" + h, Pertama: "/t/depok/program?q=" + h,
			Selesai: h, Lanjutan: true, Galat: map[string]string{"q": h, "tahun": h}, Pesan: h,
			AgensiBaru: isianForm{Isi: url.Values{"agensi_nama": {h}}, Galat: map[string]string{"agensi_nama": h, "agensi_jenis": h}}},
		"program-form": &programFormView{Halaman: frame(h), isianForm: isianForm{Isi: isi, Galat: galat}, ID: p.ID.String(), Versi: 3,
			Pesan: h, Lain: []Beda{{Label: h, Anda: h, Mereka: h}}, LainPada: at, JenisOpsi: opsi(program.AllJenis, program.JenisLabel),
			SumberOpsi: opsi(program.AllSumberDana, labelSumberDana), SatuanOpsi: opsi(program.AllSatuan, labelSatuan),
			StatusOpsi: opsi(program.AllStatus, labelStatusProgram), AgensiOpsi: []Opsi{{Nilai: uuid.NewString(), Label: h}},
			ProgramOpsi: []Opsi{{Nilai: uuid.NewString(), Label: h}}, Aturan: aturanIsian},
		"program-belum": &belumView{Halaman: frame(h), F: url.Values{"kecamatan": {h}}, Galat: map[string]string{},
			KecamatanOpsi: []Opsi{{Nilai: h, Label: h}}, Kelurahan: []Grup{{Label: h, Opsi: []Opsi{{Nilai: h, Label: h}}}},
			Kecamatan: []tumpang.Jumlah{{Kode: h, Nama: h, Level: "kecamatan", Belum: 1200, Terdaftar: 1500}}, Belum: 1200, Terdaftar: 1500,
			Items:      []tumpang.Usaha{{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h, Kecamatan: h, Kelurahan: h, Sektor: h, Terdaftar: at}},
			Berikutnya: "/t/depok/program/belum-pernah?cursor=" + h, Pesan: h},
		"laporan-program": laporanSample(frame(h), h),
		"program-tumpang": &tumpangLaporanView{Halaman: frame(h), Tahun: h, Jenis: h, JenisKata: h, JenisOpsi: opsi(program.AllJenis, program.JenisLabel),
			Galat: map[string]string{}, Pesan: h, Ringkas: tumpang.RingkasGanda{Usaha: 1200, Partisipasi: 2500, Agensi: 3},
			Items: []BarisGanda{{Ganda: tumpang.Ganda{UMKMID: uuid.New(), NamaUsaha: h, Jumlah: 2, JumlahAgensi: 2, Agensi: []string{h, h}, Program: []string{h}},
				Kecamatan: h, Kelurahan: h}}, Berikutnya: "/t/depok/program/tumpang?cursor=" + h},
		"program-rekam": &programRekamView{Halaman: frame(h), P: barisProgram(p), AgensiNama: h, Aturan: []string{h},
			Sesi: []BarisSesi{{Sesi: sesi, Hari: hari(sesi.Tanggal)}}, Peserta: []BarisPeserta{terpilih, ditolak, selesai, tumpangan},
			Berikutnya: "/t/depok/program/x?cursor=" + h, Selesai: h, Pesan: h, Rincian: []string{h},
			Galat: map[string]string{"cari": h, "umkm_id": h, "sesi-judul": h, terpilih.ID.String() + "-sertifikat_nomor": h,
				tumpangan.ID.String() + "-alasan_izin": h, tid + "-tl-catatan": h, tid + "-bast-barang": h, tid + "-bast-barang[1].harga_satuan": h,
				tid + "-bast-nomor_bast": h, tid + "-terima-" + h + "-nama": h},
			Cari: h, Calon: []BarisUMKM{{Record: umkm.Record{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h}, Sektor: h}},
			CalonKop: []koperasi.Koperasi{{ID: uuid.New(), Nama: h, NIKKoperasi: &h}},
			Ketik:    ketik, Hari: "2026-12-07", BisaCari: true, SedangCari: true, PesertaArah: "/t/depok/program/" + p.ID.String(), Bantuan: true},
	}
}

func TestProgramPageReadsAsAnOfficeWrites(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, samples()["program-rekam"])
	body := w.Body.String()
	for _, want := range []string{"Kuota terisi: 1.199 dari 1.200", `<progress id="kuota-bar" max="1200" value="1199">`, "12 Mei 2026",
		"Selesai 1 Juni 2026", "Tidak layak", "(aturan versi 2)", `form="hadir-`, "Catat selesai", "Daftarkan dan periksa kelayakan",
		"Pernah menerima bantuan lain, 1 sejenis", "Izinkan dengan alasan", "Rp 1.500.000", "Rp 3.250.000", "1 Juli 2026", "Simpan catatan",
		"Catat BAST", "Catat diterima", "Diterima oleh", "Daftarkan koperasi dan periksa kelayakan", `name="barang[4].harga_satuan"`} {
		if !strings.Contains(body, want) {
			t.Errorf("programme page lacks %q", want)
		}
	}
}

// laporanSample is the report page with every chart and hostile text.
func laporanSample(fr Halaman, h string) *laporanProgramView {
	med, n := int64(-20_000_000), 7
	lp := laporan.LaporanProgram{Program: []laporan.Capaian{{ProgramID: uuid.New(), Nama: h, Satuan: "orang", Target: 1500, Realisasi: 1200, TakTerhitung: 1}},
		Renja:     []laporan.CapaianRenja{{Kode: h, Indikator: &h, Satuan: "usaha", Program: 2, Target: 10, Realisasi: 12}},
		Corong:    laporan.Corong{Mendaftar: 1500, Layak: 1400, Terpilih: 1200, Hadir: 1100, Selesai: 1000},
		Kecamatan: []laporan.Rincian{{Kode: h, Nama: h, Mendaftar: 1500, Terpilih: 2, Selesai: 1}}}
	d := laporan.LaporanDampak{Ambang: 10, Catatan: h, Total: laporan.Dampak{
		Peserta:    laporan.KelompokDampak{Usaha: 1500, Omzet: laporan.UkuranDampak{Jumlah: 1200, MedianPerubahan: &med}},
		Pembanding: laporan.KelompokDampak{Usaha: 3, Omzet: laporan.UkuranDampak{Jumlah: 3, Ditahan: true}}}}
	ld := laporan.LaporanPendanaan{Jumlah: 12, Alasan: []laporan.AlasanDana{{Kode: "slik", Jumlah: 3}},
		Tahap: []laporan.TahapDana{{Tahap: "diajukan", Sekarang: 1, Dicapai: 12, Selesai: 11, MedianHari: &n}}}
	return &laporanProgramView{Halaman: fr, Tahun: h, Jenis: h, JenisOpsi: opsi(program.AllJenis, program.JenisLabel), Galat: map[string]string{},
		Pesan: h, TahunKata: h, BisaDana: true, Dampak: &d, Corong: []laporan.CorongProgram{{ProgramID: uuid.New(), Nama: h, Corong: lp.Corong}},
		Strata: []barisDampak{{Label: h, Peserta: kataKelompok(d.Total.Peserta), Pembanding: kataKelompok(d.Total.Pembanding)}},
		Renja:  grafikRenja(lp), Grafik: []Grafik{grafikCapaian(lp, "depok"), grafikCorong(lp.Corong),
			grafikRincian("kecamatan", h, h, lp.Kecamatan), grafikAlasan(ld), grafikTahapDana(ld), grafikDampak(d)}}
}
