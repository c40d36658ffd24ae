package web

import (
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/koperasi"
)

// reklasifikasiSamples fill the reclassification views, hostile text in
// every string a person types or the registry stores (a cooperative's
// name, reasons, the legal basis).
func reklasifikasiSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	total := 12000
	k := koperasi.Kampanye{ID: uuid.New(), Status: koperasi.KampanyeBerjalan, Kebijakan: koperasi.DefaultKebijakan, Total: &total,
		Diproses: 5000, DimulaiAt: at,
		Ringkasan: koperasi.Ringkasan{Tinggi: 3000, Sedang: 1000, PerluTinjauan: 600, PerluData: 400, FlagSimpanPinjam: 120,
			PerJenis: map[koperasi.Jenis]int{koperasi.JenisKonsumen: 2500, koperasi.JenisSimpanPinjam: 1500}},
		Keputusan: &koperasi.Keputusan{Menunggu: 4990, Disetujui: 8, Ditolak: 2}}
	sp, tinggi := koperasi.JenisSimpanPinjam, koperasi.KeyakinanTinggi
	ksu := "ksu"
	u := koperasi.Usulan{ID: uuid.New(), KampanyeID: k.ID, KoperasiNama: h, Kelompok: &ksu, KecamatanKode: "32.76.01", Hasil: koperasi.HasilUsulan,
		JenisUsulan: &sp, Keyakinan: &tinggi, Status: koperasi.UsulanMenunggu, Version: 1, CreatedAt: at, FlagSimpanPinjam: true,
		Porsi: koperasi.Porsi{Tahun: 2025, Sumber: koperasi.SumberVolume, Total: 1_000_000_000, Unit: 3, Pola: []string{"close_loop"},
			Jenis:   map[koperasi.Jenis]koperasi.PorsiJenis{sp: {Volume: 620_000_000, Persen: 62}, koperasi.JenisKonsumen: {Volume: 300_000_000, Persen: 30}},
			Lainnya: &koperasi.PorsiJenis{Volume: 80_000_000, Persen: 8}, Catatan: h, Tolak: &koperasi.PenolakanSebelumnya{Alasan: h}}}
	decided := u
	decided.ID, decided.Status, decided.JenisDisetujui, decided.Alasan, decided.DasarHukum = uuid.New(), koperasi.UsulanDisetujui, &sp, &h, &h
	baris := func(u koperasi.Usulan) BarisUsulan {
		b := BarisUsulan{Usulan: u, Kecamatan: h, Jenis: opsi(jenisCodes(), labelJenisKop), Tautan: "/t/depok/reklasifikasi/x/usulan/y",
			Kembali: "hasil=" + h, Berikut: uuid.NewString(), BisaSetujui: true, BisaTolak: true,
			Penjelasan: rationale(u, k.Kebijakan), aksi: "setujui", Pesan: h,
			galat: map[string]string{"jenis": h, "alasan": h, "dasar_hukum": h, "tanggal_dasar_hukum": h},
			isi:   map[string][]string{"jenis": {"jasa"}, "alasan": {h}, "dasar_hukum": {h}, "tanggal_dasar_hukum": {h}}}
		b.Grafik, b.TabelPorsi = porsiGrafik(u)
		return b
	}
	return map[string]viewModel{
		"reklasifikasi": &kampanyeListView{Halaman: frame("Reklasifikasi KSU"), Items: []koperasi.Kampanye{k}, Berjalan: &k, Kunci: h,
			Berikutnya: "/t/depok/reklasifikasi?sebelum=" + h},
		"reklasifikasi-kampanye": &kampanyeView{Halaman: frame(h), K: k, Berjalan: true, Selesai: h,
			PerJenis: []BarisAngka{{Label: h, Nilai: []string{"2.500"}}}},
		"reklasifikasi-usulan": &usulanListView{Halaman: frame("Tinjauan usulan reklasifikasi"), K: k, F: usulanFilter{Hasil: "usulan", Status: "semua"},
			Galat: map[string]string{"keyakinan": h}, Items: []BarisUsulan{baris(u), baris(decided)}, Berikutnya: "/t/depok/x?cursor=" + h,
			Pertama: "/t/depok/x?hasil=" + h, Selesai: h, Pesan: h, Kembali: h, Skrip: true},
		"reklasifikasi-rekam":  &usulanRekamView{Halaman: frame(h), K: k, U: baris(u)},
		"reklasifikasi-tinggi": &tinggiView{Halaman: frame("Setujui semua"), K: k, Jumlah: 3000, Pesan: h},
	}
}
