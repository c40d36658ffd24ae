package web

import (
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/klinik"
)

// klinikSamples are the clinic's views, hostile text in every string.
func klinikSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	tgl, jam, tl := "2026-12-14", "09:00", "2027-01-11"
	kid, tid := uuid.New(), uuid.New()
	kons := klinik.KlinikKonsultan{ID: kid, Nama: h, SlotMenit: 60, KuotaHarian: 2, Layanan: []uuid.UUID{kid},
		Jadwal: []klinik.KlinikJadwal{{Hari: 1, Mulai: "09:00", Selesai: "11:00", Tempat: h}}, Version: 2}
	hari := make([]klinik.KlinikHari, 7)
	for i := range hari {
		hari[i] = klinik.KlinikHari{Tanggal: time.Date(2026, 12, 14+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Slot: []klinik.KlinikSlotMinggu{}}
	}
	hari[0].Slot = []klinik.KlinikSlotMinggu{{KlinikSlot: klinik.KlinikSlot{Mulai: "09:00", Selesai: "10:00", Tempat: h}, TiketID: &tid, TiketKode: &h},
		{KlinikSlot: klinik.KlinikSlot{Mulai: "10:00", Selesai: "11:00", Tempat: h}}}
	hari[0].Terisi = 1
	tiket := klinik.KlinikTiket{ID: tid, Kode: h, Saluran: "walk_in", Nama: &h, Telepon: &h, NamaUsaha: &h, LayananID: kid, LayananNama: h,
		Pertanyaan: h, Status: "selesai", KonsultanID: &kid, KonsultanNama: &h, Tanggal: &tgl, Mulai: &jam, TindakLanjut: &tl, CreatedAt: at,
		Hasil: []klinik.KlinikHasil{{ID: uuid.New(), Jenis: "rujuk_instansi", Instansi: &h, InstansiNama: &h, Catatan: &h, TindakLanjut: &tl, CreatedAt: at},
			{ID: uuid.New(), Jenis: "dokumen_diperoleh", DokumenJenis: &h, DokumenNomor: &h, CreatedAt: at}}, Version: 3}
	baru := tiket
	baru.Status, baru.Hasil, baru.SKM = "dijadwalkan", nil, nil
	isi := url.Values{"nama": {h}, "telepon": {h}, "pertanyaan": {h}, "kelurahan_kode": {h}, "layanan_id": {h}, "u2": {"3"}, "saran": {h},
		"tanggal": {h}, "mulai": {h}, "konsultan_id": {h}, "catatan": {h}, "dokumen_nomor": {h}, "jadwal[0].mulai": {h}, "slot_menit": {h}, "kode": {h}}
	galat := map[string]string{}
	for k := range isi {
		galat[k] = h
	}
	galat["u1"], galat["layanan"] = h, h
	form := isianForm{Isi: isi, Galat: galat}
	n, nrr := 3.5, 87.5
	mutu, kinerja := "B", h
	opsiH := []Opsi{{Nilai: h, Label: h}}
	return map[string]viewModel{
		"klinik": &klinikMingguView{Halaman: frame("Klinik"), W: klinik.KlinikMinggu{Senin: "2026-12-14",
			Baris: []klinik.KlinikBarisMinggu{{Konsultan: kons, Hari: hari}}}, Lalu: "2026-12-07", Next: "2026-12-21", Tiket: &baru, Pesan: h},
		"klinik-tiket": &klinikTiketListView{Halaman: frame("Tiket"), klinikNav: klinikNav{"tiket"}, Items: []klinik.KlinikTiket{tiket, baru},
			Status: "baru", StatusOpsi: opsi(klinik.AllStatus, klinik.StatusLabel), NextCursor: h, Baru: form, LayananOpsi: opsiH,
			SaluranOpsi: opsiH, Kelurahan: []Grup{{Label: h, Opsi: opsiH}}, Pesan: h},
		"klinik-rekam": &klinikRekamView{Halaman: frame(h), K: baru, Jadwal: form, Hasil: form, SKM: form, KonsultanOpsi: opsiH, HasilOpsi: opsiH,
			InstansiOpsi: opsiH, DokumenOpsi: opsiH, ProgramOpsi: opsiH, Unsur: klinik.Unsur, Pesan: h, Beres: h},
		"klinik-konsultan": &klinikKonsultanView{Halaman: frame("Konsultan"), Items: []klinik.KlinikKonsultan{kons}, Layanan: map[uuid.UUID]string{kid: h},
			LayananOpsi: opsiH, HariOpsi: opsiH, Form: form, ID: kid.String(), Versi: 2, Baris: []int{0, 1}, Pesan: h},
		"klinik-layanan": &klinikLayananView{Halaman: frame("Layanan"), Items: []klinik.KlinikLayanan{{ID: kid, Kode: h, Nama: h, ArchivedAt: &at}}, Baru: form, Pesan: h},
		"klinik-skm": &klinikSKMView{Halaman: frame("SKM"), Tahun: []int{2026, 2025}, S: klinik.KlinikSKMTahun{Tahun: 2026, Responden: 1500, IKM: &nrr, Mutu: &mutu,
			Kinerja: &kinerja, Unsur: []klinik.KlinikSKMUnsur{{No: 1, Nama: h, Dijawab: 2, TidakDijawab: 1, NRR: &n, Nilai: &nrr}, {No: 2, Nama: h, TidakDijawab: 3}}}},
		"klinik-publik": &klinikPublikView{Halaman: Halaman{Judul: "Klinik"}, isianForm: form, Slug: "depok", NamaKantor: h, Kunci: "k", LayananOpsi: opsiH,
			Kelurahan: []Grup{{Label: h, Opsi: opsiH}}, Pesan: h},
		"klinik-lacak": &klinikLacakView{Halaman: Halaman{Judul: "Lacak"}, Kode: h, Galat: map[string]string{"kode": h}, SKM: form, Terima: true, Pesan: h,
			Status: &klinik.KlinikStatusPublik{Kode: "KDE-7Q4MK-9X2AB", Status: "selesai", Layanan: h, Tanggal: &tgl, Mulai: &jam, Selesai: &jam, Tempat: &h,
				Dibuat: "2026-12-08", Survei: true}},
	}
}
