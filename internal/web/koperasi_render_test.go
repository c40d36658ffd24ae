package web

import (
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/umkm"
)

// koperasiSamples are the register of cooperatives' views, hostile text in
// every string.
func koperasiSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	k := koperasi.Koperasi{ID: uuid.New(), Nama: h, NIKKoperasi: &h, NIKBerlakuSampai: &h, BadanHukumNomor: &h, BadanHukumTanggal: &h,
		PerubahanADNomor: &h, PerubahanADTanggal: &h, Bentuk: "primer", Jenis: &h, Kelompok: &h, Sektor: &h, Alamat: &h,
		AnggotaLaki: 1200, AnggotaPerempuan: 34, Aktif: true, Pilot: true, Peringkat: &h, RATTerakhir: &h, RATTerlambat: true,
		KesehatanPredikat: &h, CreatedAt: at, UpdatedAt: at, Version: 4}
	b := BarisKoperasi{Koperasi: k, NamaKecamatan: h, NamaKelurahan: h, Jenis: h, Kelompok: h, Predikat: h}
	isi := url.Values{}
	for _, f := range koperasiFields {
		isi.Set(f.nama, h)
	}
	isi.Set("skor_tata_kelola", h)
	isi.Set("volume_tahun_0", h)
	regime := koperasi.Regime{Kode: "permenkop_9_2020", Nama: h, Sumber: h,
		Aspek:    []koperasi.Aspek{{Kode: "tata_kelola", Nama: h, SkorMin: 0, SkorMaks: 100, Bobot: 25}},
		Predikat: []koperasi.Band{{Predikat: "sehat", SkorMin: 76, SkorMaks: 100}}}
	form := isianForm{Isi: isi, Galat: map[string]string{"nama": h, "skor_tata_kelola": h, "volume_tahun_0": h, "porsi": h, "cari": h}}
	bagian := func(kind string, baru bool) *bagianView {
		return &bagianView{Halaman: frame(h), isianForm: form, K: k, Bagian: kind, Aksi: "/t/depok/koperasi/x/" + kind, Baru: baru, Versi: 4,
			Pesan: h, Lain: []Beda{{Label: h, Anda: h, Mereka: h}}, Ada: "/t/depok/koperasi/x", UnitOpsi: []Opsi{{"toko", h}},
			PolaOpsi: []Opsi{{"close_loop", h}}, JabatanOpsi: []Opsi{{"ketua", h}}, Volume: []int{0, 1}, Porsi: []Opsi{{uuid.NewString(), h}},
			Regime: []koperasi.Regime{regime}, RegimeOpsi: []Opsi{{"permenkop_9_2020", h}}, Dipilih: &regime, Cari: h, NamaUMKM: h,
			Calon: []BarisUMKM{{Record: umkm.Record{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h}, Sektor: h}}}
	}
	out := map[string]viewModel{
		"koperasi": &koperasiListView{Halaman: frame("Register koperasi"), F: koperasiFilter{Q: h, Kecamatan: "32.76.01"},
			KecamatanOpsi: []Opsi{{Nilai: "32.76.01", Label: h}}, KelurahanGrup: []Grup{{Label: h, Opsi: []Opsi{{Nilai: "32.76.01.1001", Label: h}}}},
			JenisOpsi: opsi(jenisKode, labelJenisKop), FilterTerpakai: []string{h}, Items: []BarisKoperasi{b},
			Berikutnya: "/t/depok/koperasi?cursor=abc&q=" + h, Pertama: "/t/depok/koperasi?q=" + h, Lanjutan: true,
			Galat: map[string]string{"q": h}, Pesan: h},
		"koperasi-rekam": &koperasiRekamView{Halaman: frame(h), K: b, Bentuk: h, Peringkat: h,
			Unit:      []BarisUnit{{Unit: koperasi.Unit{ID: uuid.New(), Nama: &h, Volume: []koperasi.Volume{{Tahun: 2025, Volume: 150_000_000}}}, Jenis: h, Pola: h}},
			Komposisi: []BarisKomposisi{{Tahun: 2024, Porsi: []BarisPorsi{{Unit: h, Persen: h}}}},
			Pengurus:  []BarisPengurus{{Pengurus: koperasi.Pengurus{ID: uuid.New(), Nama: h, Mulai: &h}, Jabatan: h}},
			Pengawas:  []BarisPengurus{{Pengurus: koperasi.Pengurus{ID: uuid.New(), Nama: h, Selesai: &h}, Jabatan: h}},
			RAT:       []koperasi.RAT{{Tahun: 2025, Tanggal: h, Catatan: &h}},
			Kesehatan: []BarisPenilaian{{Penilaian: koperasi.Penilaian{ID: uuid.New(), Tahun: 2025}, Regime: h, Total: h, Predikat: h,
				Aspek: []BarisAspek{{Nama: h, Skor: h, Rentang: h, Bobot: h}}}},
			Anggota:     []koperasi.Anggota{{UMKMID: uuid.New(), NamaUsaha: h, Sejak: &h, Difasilitasi: true}},
			Program:     riwayatSample(h),
			AnggotaLagi: "/t/depok/koperasi/x?anggota_dari=" + h, AnggotaDari: "/t/depok/koperasi/x", Pesan: h, Galat: h, BisaUbah: true},
		"koperasi-form": &koperasiFormView{Halaman: frame(h), isianForm: form, ID: k.ID.String(), Versi: 4, Pesan: h,
			Lain: []Beda{{Label: h, Anda: h, Mereka: h}}, LainPada: at, Ada: "/t/depok/koperasi/x", Jenis: h,
			Kecamatan: []Opsi{{Nilai: "32.76.01", Label: h}}, Kelurahan: []Grup{{Label: h, Opsi: []Opsi{{Nilai: "32.76.01.1001", Label: h}}}},
			JenisOpsi: opsi(jenisKode, labelJenisKop), KelompokOpsi: []Opsi{{"ksu", h}}},
		"koperasi-arsip":  &koperasiArsipView{Halaman: frame(h), K: b, Pesan: h},
		"koperasi-bagian": bagian("kesehatan", true),
	}
	return out
}

// dasborKoperasiSample is the dashboard's cooperatives' section.
func dasborKoperasiSample() *DasborKoperasi {
	h := hostile
	return &DasborKoperasi{BisaDaftar: true, DaftarPilot: "/t/depok/koperasi?pilot=true",
		Ringkasan: []Ringkasan{{Label: h, Nilai: 3, Dari: 9}},
		Grafik:    []Grafik{batang("kop-jenis", h, h, h, []dasbor.Angka{{Nilai: h, Jumlah: 3}}, labelJenisKop, func(string) string { return "/t/depok/koperasi?jenis=" + h }, 3, h)},
		Reklas: Reklasifikasi{Sudah: 3, Belum: 4, Kampanye: h, Usulan: []BarisAngka{{Label: h, Nilai: []string{h}}},
			Keputusan: []BarisAngka{{Label: h, Nilai: []string{h}}}, BelumHref: "/t/depok/koperasi?jenis=belum"},
		Pilot: []BarisPilot{{Kecamatan: h, Koperasi: h, Href: "/t/depok/koperasi/x", Daftar: "/t/depok/koperasi?kecamatan=x"}, {Kecamatan: h}}}
}
