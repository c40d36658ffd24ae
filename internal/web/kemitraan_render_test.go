package web

import (
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/kemitraan"
)

// kemitraanSamples are the partnership pages with hostile text wherever
// an office or a partner typed: a partner, an agreement over five years
// with a renewal, a late duty, an evaluation, reminders, forms refused.
func kemitraanSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	s := func(v string) *string { return &v }
	m := kemitraan.MitraKerjaSama{ID: uuid.New(), Jenis: "rumah_sakit", Nama: hostile, KontakNama: s(hostile), Telepon: s("0812****7890"), Alamat: s("***"),
		WilayahKode: s("32.76.01"), CreatedAt: at}
	old := uuid.New()
	p := kemitraan.Perjanjian{ID: uuid.New(), MitraID: m.ID, MitraNama: hostile, Jenis: "pks", Judul: hostile, NomorKantor: s(hostile), TanggalKantor: s("2026-01-02"),
		NomorMitra: s(hostile), TanggalMitra: s("2026-01-03"), RuangLingkup: s(hostile), Mulai: "2026-01-05", Berakhir: "2032-01-04", Status: "berlaku",
		MemperbaruiID: &old, EvaluasiTerakhir: s("2026-01-20"), EvaluasiTerlambat: true,
		Peringatan: []string{"Masa berlaku lebih dari 5 tahun: " + hostile}, CreatedAt: at, Version: 3}
	d := kemitraan.PerjanjianDetail{Perjanjian: p,
		Tugas: []kemitraan.TugasPerjanjian{{ID: uuid.New(), PerjanjianID: p.ID, Judul: hostile, JatuhTempo: "2026-12-05", Terlambat: true, Catatan: s(hostile), Version: 1},
			{ID: uuid.New(), PerjanjianID: p.ID, Judul: hostile, JatuhTempo: "2026-11-05", Selesai: s("2026-11-04"), Version: 2}},
		Evaluasi: []kemitraan.EvaluasiPerjanjian{{ID: uuid.New(), Tanggal: "2026-01-20", Hasil: hostile, Skor: new(int)}},
		Rantai:   []kemitraan.Perjanjian{{ID: old, Judul: hostile, Mulai: "2021-01-05", Berakhir: "2026-01-04", Status: "berakhir"}, p}}
	reminders := []kemitraan.PengingatKemitraan{{ID: uuid.New(), PerjanjianID: p.ID, Judul: hostile, MitraID: m.ID, MitraNama: hostile, Jenis: "akan_berakhir",
		Hari: "2027-01-05", Pesan: hostile, CreatedAt: at}}
	return map[string]viewModel{
		"kemitraan": &mitraListView{Halaman: frame("Mitra tanpa perjanjian"), Perjanjian: "tanpa", Jenis: "hotel", Items: []kemitraan.MitraKerjaSama{m},
			Berikut: "/t/depok/kemitraan?cursor=" + url.QueryEscape(hostile)},
		"kemitraan-mitra-form": &mitraFormView{Halaman: frame("Ubah mitra"), Aksi: "/t/depok/kemitraan/mitra/x/ubah", Versi: 2, Kecamatan: []Opsi{{Nilai: "32.76.01", Label: hostile}}, Kunci: "k",
			Isi:   url.Values{"jenis": {"hotel"}, "nama": {hostile}, "kontak_nama": {hostile}, "telepon": {hostile}, "alamat": {hostile}},
			Galat: map[string]string{"nama": hostile, "telepon": hostile}, Pesan: hostile},
		"kemitraan-mitra": &mitraRekamView{Halaman: frame(hostile), M: m, Wilayah: hostile, Perjanjian: []kemitraan.Perjanjian{p}, Pengingat: reminders, Dibuat: true},
		"kemitraan-perjanjian-form": &perjanjianFormView{Halaman: frame("Perbarui perjanjian"), Aksi: "/t/depok/kemitraan/perjanjian", Renews: &p,
			Isi:   url.Values{"judul": {hostile}, "mulai": {"2026-12-06"}, "berakhir": {"2026-12-01"}, "ruang_lingkup": {hostile}, "status": {"draf"}, "jenis": {"mou"}},
			Galat: map[string]string{"berakhir": hostile}, Pesan: hostile, Kunci: "k"},
		"kemitraan-perjanjian": &perjanjianRekamView{Halaman: frame(hostile), D: d, Pengingat: reminders, Hari: "2026-12-06", Kunci: "k",
			Isi: url.Values{"tugas_judul": {hostile}, "putus_alasan": {hostile}}, Galat: map[string]string{"tugas_jatuh_tempo": hostile, "putus_alasan": hostile}, Pesan: hostile},
		"kemitraan-pengingat": &pengingatKemitraanView{Halaman: frame("Pengingat kemitraan"), Items: reminders, Terlambat: d.Tugas},
		"kemitraan-kalender": &kalenderKemitraanView{Halaman: frame("Kalender perjanjian Desember 2026"), Bulan: "Desember 2026", Lalu: "/t/depok/kemitraan/kalender?bulan=2026-11",
			Berikutnya: "/t/depok/kemitraan/kalender?bulan=2027-01",
			Hari:       []hariKemitraan{{Tanggal: "6 Desember 2026", Acara: []acaraKata{{Jenis: "Berakhir", Judul: hostile, Mitra: hostile, Tautan: "/t/depok/kemitraan/perjanjian/x"}}}}},
	}
}
