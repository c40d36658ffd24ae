package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/pemasaran"
)

// pemasaranSamples are the marketing views, hostile text in every string.
func pemasaranSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	kec, kel, v2 := "32.76.01", "32.76.01.1006", "2026-12-08"
	titik := barisTitik(pemasaran.Titik{ID: uuid.New(), Jenis: "pasar_mingguan", Nama: h, KecamatanKode: &kec, KecamatanNama: &h, KelurahanKode: &kel,
		KelurahanNama: &h, Alamat: &h, OperatorJenis: "mitra", OperatorNama: &h, Dijaga: true, LaporKadens: "mingguan", Status: "aktif", Keterangan: &h,
		Jadwal: pemasaran.TitikJadwal{Mingguan: []pemasaran.TitikJadwalMingguan{{Hari: 7, Mulai: "06:00", Selesai: "10:00"}},
			Tanggal: []pemasaran.TitikJadwalTanggal{{Tanggal: "2026-12-12", Mulai: "08:00", Selesai: "16:00"}}}, CreatedAt: at, UpdatedAt: at, Version: 2})
	kendala := uuid.New()
	kurasi := []BarisKurasi{
		barisKurasi(pemasaran.Kurasi{ID: uuid.New(), TitikID: titik.ID, TitikNama: h, UMKMID: uuid.New(), NamaUsaha: h, ProdukID: uuid.New(), ProdukNama: h,
			Status: "tampil", AturanKategori: "kerajinan", AturanVersi: 1, TanggalPutusan: "2026-12-06", Gagal: []pemasaran.KurasiGagal{}, TampilMulai: &v2, Version: 2}),
		barisKurasi(pemasaran.Kurasi{ID: uuid.New(), TitikID: titik.ID, TitikNama: h, UMKMID: uuid.New(), NamaUsaha: h, ProdukID: uuid.New(), ProdukNama: h,
			Status: "dirujuk_legalitas", AturanKategori: "makanan_olahan_rumah", AturanVersi: 3, TanggalPutusan: "2026-12-06",
			Gagal: []pemasaran.KurasiGagal{{Dokumen: "halal", Alasan: h}}, KendalaID: &kendala, Version: 1}),
		barisKurasi(pemasaran.Kurasi{ID: uuid.New(), TitikID: titik.ID, TitikNama: h, ProdukNama: h, NamaUsaha: h, Status: "diterima",
			AturanVersi: 1, TanggalPutusan: "2026-12-06", Alasan: &h, Version: 1}),
	}
	produk := barisProduk(pemasaran.Produk{ID: uuid.New(), UMKMID: uuid.New(), NamaUsaha: h, Nama: h, Kategori: "makanan_olahan_rumah", Harga: 1_500_000,
		Keterangan: &h, Foto: []pemasaran.ProdukFoto{{ID: uuid.New(), Tipe: "image/png", Ukuran: 1234, CreatedAt: at}}, CreatedAt: at, UpdatedAt: at, Version: 1})
	isi := url.Values{}
	galat := map[string]string{}
	for _, k := range []string{"jenis", "nama", "kecamatan_kode", "kelurahan_kode", "alamat", "operator_jenis", "koperasi_id", "operator_nama",
		"lapor_kadens", "hari", "mulai", "selesai", "tanggal", "status", "keterangan", "kategori", "harga", "titik_id", "keputusan", "alasan", "berkas"} {
		isi.Set(k, h)
		galat[k] = h
	}
	o := []Opsi{{Nilai: h, Label: h}}
	return map[string]viewModel{
		"pemasaran": &titikListView{Halaman: frame("Titik pemasaran"), F: url.Values{"q": {h}}, JenisOpsi: opsi(pemasaran.AllJenis, pemasaran.JenisLabel),
			StatusOpsi: o, KecOpsi: o, Items: []BarisTitik{titik}, Berikutnya: "/t/depok/pemasaran?cursor=x", Galat: galat, Pesan: h},
		"pemasaran-titik": &titikRekamView{Halaman: frame(h), T: titik, Kurasi: kurasi, Pesan: h, Galat: h},
		"pemasaran-titik-form": &titikFormView{Halaman: frame(h), isianForm: isianForm{Isi: isi, Galat: galat}, ID: uuid.NewString(), Versi: 2, Pesan: h,
			JenisOpsi: o, OperatorOpsi: o, KadensOpsi: o, StatusOpsi: o, KecOpsi: o, KoperasiOpsi: o, HariOpsi: o, KelGrup: []Grup{{Label: h, Opsi: o}}},
		"pemasaran-produk-umkm": &produkUMKMView{Halaman: frame(h), isianForm: isianForm{Isi: isi, Galat: galat}, UMKMID: uuid.NewString(), NamaUsaha: h,
			Items: []BarisProduk{produk}, KategoriOpsi: o, Pesan: h},
		"pemasaran-produk": &produkView{Halaman: frame(h), P: produk, Kurasi: kurasi, TitikOpsi: o, Foto: isianForm{Isi: isi, Galat: galat},
			Ajukan: isianForm{Isi: isi, Galat: galat}, Pesan: h, Selesai: h},
	}
}

func TestPemasaranPagesReadAsAnOfficeWrites(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	s := samples()
	for name, want := range map[string][]string{
		"pemasaran-titik":       {"Setiap Minggu, 06.00–10.00", "12 Desember 2026, 08.00–16.00", "8 Desember 2026", "(aturan versi 3)", "Selesai tampil", "Tampilkan", "Pasar mingguan"},
		"pemasaran-produk":      {"Rp 1.500.000", "Dirujuk ke meja legalitas", `enctype="multipart/form-data"`, `aria-describedby="berkas-galat"`, "Putuskan", "6 Desember 2026"},
		"pemasaran-produk-umkm": {"Rp 1.500.000", "Makanan olahan rumah tangga (P-IRT)", "Simpan produk"},
	} {
		w := httptest.NewRecorder()
		a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, s[name])
		for _, x := range want {
			if !strings.Contains(w.Body.String(), x) {
				t.Errorf("%s lacks %q", name, x)
			}
		}
	}
}
