package web

import (
	"time"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/peta"
)

// provinsiSamples fill the province and platform views, hostile text in
// every string an office or a user could have typed.
func provinsiSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	n := 3
	row := BarisKantor{Nama: hostile, Href: "/p/32/dasbor/depok", UMKM: 1500, DihitungAt: &at, AdaBatas: true}
	pv := petaProvinsi{Judul: hostile, Ada: true, SVG: "<svg></svg>", Catatan: peta.Catatan,
		Legenda: []peta.Tingkat{{Kelas: "q0", Label: hostile, Jumlah: 1}, {Kelas: "q-sembunyi", Label: peta.Disembunyikan, Jumlah: 2}}}
	noMap := petaProvinsi{Judul: hostile}
	return map[string]viewModel{
		"provinsi": &provinsiView{Halaman: frame(hostile), Kode: "32", Nama: hostile, DihitungAt: &at,
			Ringkasan: []Ringkasan{{Label: hostile, Nilai: 10, Dari: 20}}, PerKantor: []BarisKantor{row, {Nama: hostile}}, Jumlah: row, Peta: pv,
			Grafik: tautan{}.umkm(dasbor.AngkaUMKM{Total: 3, Sektor: []dasbor.Angka{{Nilai: hostile, Jumlah: 3}}})},
		"provinsi-kantor": &provinsiKantorView{Halaman: frame(hostile), Kode: "32", NamaProvinsi: hostile,
			D: dasbor.Dasbor{NamaTenant: hostile, DihitungAt: &at, Ambang: 5}, Peta: noMap, GrafikKecamatan: "<svg></svg>", AdaSembunyi: true,
			Ringkasan: []Ringkasan{{Label: hostile, Nilai: 1}},
			Target:    []GrafikTarget{tautan{}.target(dasbor.ProgresTarget{Nama: hostile, Sumber: hostile, Target: 10, Tercapai: 3}, nil)},
			Wilayah: []KecamatanProvinsi{{KecamatanDasbor: dasbor.KecamatanDasbor{Kode: "32.76.01", NamaWilayah: hostile, UMKM: 9},
				Desa: []DesaProvinsi{{Kode: "32.76.01.1001", Nama: hostile, UMKM: peta.Disembunyikan, Koperasi: "0", SembunyiUMKM: true},
					{Kode: "32.76.01.1002", Nama: hostile, UMKM: "7", Koperasi: peta.Disembunyikan, SembunyiKop: true}}}}},
		"platform-kantor": &platformKantorView{Halaman: frame("Kantor"), Buka: &BukaForm{Kode: hostile, Slug: hostile, Pesan: hostile, Galat: map[string]string{"kode": hostile, "bps": hostile}}, Baris: []KantorPlatform{
			{Slug: "depok", Nama: hostile, Provinsi: hostile, KodeProvinsi: "32", UMKM: n, DihitungAt: &at, MasukTerakhir: &at, Dibuat: at},
			{Slug: "baru", Nama: hostile, Provinsi: hostile, KodeProvinsi: "32", Dibuat: at}}},
		"platform-pengguna": &platformPenggunaView{Halaman: frame("Pengguna"), Cari: hostile, Dicari: true, Penuh: true,
			Hasil: []PenggunaPlatform{{Nama: hostile, Email: hostile, Nonaktif: true, Peran: []PeranPlatform{
				{Tempat: hostile, Tautan: "/p/32/dasbor", Peran: "Pemantau provinsi", Aktif: true},
				{Tempat: hostile, Peran: "Petugas wilayah", Wilayah: []string{hostile, "32.76.01"}}}}, {Nama: hostile, Email: hostile}}},
	}
}
