package web

import (
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// riwayatSample is a record's programme history: a completed office
// programme, one by the owner's NIK, another agency's row.
func riwayatSample(h string) *RiwayatProgram {
	id, tgl := uuid.New(), "2026-05-13"
	return &RiwayatProgram{Slug: "depok", Bisa: true, Items: []BarisRiwayat{
		{Partisipasi: tumpang.Partisipasi{Sumber: "kantor", ProgramID: &id, ProgramNama: h, AgensiNama: h, Tahun: 2026, Status: "selesai",
			Melalui: "usaha", SelesaiTanggal: &tgl, SertifikatNomor: &h}, JenisKata: h, StatusKata: h},
		{Partisipasi: tumpang.Partisipasi{Sumber: "kantor", ProgramID: &id, ProgramNama: h, AgensiNama: h, Tahun: 2025, Melalui: "nik"}, JenisKata: h, StatusKata: h},
		{Partisipasi: tumpang.Partisipasi{Sumber: "luar", ProgramNama: h, AgensiNama: h, Tahun: 2024, Melalui: "usaha"}, JenisKata: h, StatusKata: h}}}
}

// umkmSamples fill the register's views, hostile text in every string a
// person types and the register stores.
func umkmSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	rec := umkm.Record{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h, NIK: &h, Telepon: &h, Email: &h, Produk: &h, Alamat: &h,
		RT: &h, RW: &h, KBLI: &h, KBLIJudul: &h, NIB: &h, Sektor: "kuliner", StatusBinaan: "binaan", Sumber: "staf",
		SaluranPenjualan: []string{h}, Legalitas: []umkm.Legal{{Jenis: "pirt", Nomor: &h, Status: "terbit", BerlakuSampai: &at}},
		CreatedAt: at, UpdatedAt: at, Version: 3}
	isi := url.Values{}
	for _, f := range formFields {
		isi.Set(f.nama, h)
	}
	isi.Set("legalitas_nib_nomor", h)
	omzet := int64(150_000_000)
	return map[string]viewModel{
		"umkm-rekam": &umkmRekamView{Halaman: frame(h), R: rec, NamaKecamatan: h, NamaKelurahan: h, Sektor: "Kuliner",
			Saluran: []string{h}, Legal: []BarisLegal{{Jenis: "P-IRT", Nomor: h, Status: "Terbit", BerlakuSampai: &at, Kedaluwarsa: true}},
			KendalaTerbuka: []BarisKendala{{Kendala: umkm.Kendala{ID: uuid.New(), Catatan: &h}, Kategori: "Permodalan", Dilaporkan: at}},
			KendalaSelesai: []BarisKendala{{Kendala: umkm.Kendala{ID: uuid.New(), Catatan: &h, SelesaiAt: &at}, Kategori: "Pemasaran", Dilaporkan: at}},
			Kendala:        kendalaForm{Kategori: "permodalan", Catatan: h, Dilaporkan: h, Galat: map[string]string{"catatan": h}, Pesan: h},
			KategoriOpsi:   opsi(umkm.KendalaCategories, labelKendala),
			Riwayat:        []umkm.Riwayat{{DicatatAt: at, OmzetTahunan: &omzet}, {DicatatAt: at, OmzetTahunan: &omzet}},
			Koperasi:       []koperasi.Anggota{{NamaKoperasi: h, Sejak: &h}},
			Program:        riwayatSample(h),
			Audit:          []BarisAudit{{At: at, Aksi: "Diubah", Oleh: h, Perubahan: []string{h}}}, Pesan: h},
		"umkm-form": &umkmFormView{Halaman: frame(h), ID: rec.ID.String(), Versi: 3, Isi: isi, Galat: map[string]string{"nama_usaha": h, "legalitas_nib_nomor": h},
			Pesan: h, Lain: []Beda{{Label: "Nama usaha", Anda: h, Mereka: h}}, LainPada: at, Ada: "/t/depok/umkm/" + rec.ID.String(),
			Kecamatan: []Opsi{{Nilai: "32.76.01", Label: h}}, Kelurahan: []Grup{{Label: h, Opsi: []Opsi{{Nilai: "32.76.01.1001", Label: h}}}},
			Sektor: opsi(umkm.Sectors, labelSektor), Saluran: opsi(umkm.Channels, labelSaluran), Legal: opsi(umkm.LegalKinds, labelLegal),
			LegalState: opsi([]string{"terbit"}, labelLegalStatus)},
		"umkm-arsip": &arsipView{Halaman: frame(h), R: rec, NamaKecamatan: h, NamaKelurahan: h, Pesan: h},
		"umkm-duplikat": &duplikatView{Halaman: frame(h), KecamatanOpsi: []Opsi{{Nilai: "32.76.01", Label: h}},
			Items: []umkm.Duplikat{{A: umkm.DuplikatUMKM{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h}, B: umkm.DuplikatUMKM{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h},
				Kemiripan: 0.8, Kelurahan: h, Kecamatan: h}}, Berikutnya: "/t/depok/umkm/duplikat?cursor=" + h},
		"umkm-banding": &bandingView{Halaman: frame(h), A: rec, B: rec, Baris: []Beda{{Label: "Nama usaha", Anda: h, Mereka: h}}, Pesan: h, BisaGabung: true},
	}
}
