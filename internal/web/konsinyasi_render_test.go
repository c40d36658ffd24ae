package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
)

// konsinyasiSamples are the consignment views, hostile text in every string.
func konsinyasiSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	bp, lapor, batch := 1250, "2026-11-30", "2027-06-30"
	k := konsinyasi.Konsinyasi{KurasiID: uuid.New(), TitikID: uuid.New(), UMKMID: uuid.New(), NamaUsaha: h, ProdukID: uuid.New(), ProdukNama: h,
		KurasiStatus: "tampil", KomisiBP: &bp, Diterima: 1200, Terjual: 840, Dikembalikan: 100, Kedaluwarsa: 10, Selisih: -2, DiTangan: 248,
		Bruto: 71_400_000, Komisi: 8_925_000, Kompensasi: 425_000, Dibayar: 50_000_000, Terutang: 12_900_000, LaporSampai: &lapor, SelisihTerbuka: true, UpdatedAt: at}
	stok := barisStok(k)
	titik := barisTitik(pemasaran.Titik{ID: k.TitikID, Jenis: "galeri", Nama: h, OperatorJenis: "mitra", OperatorNama: &h, LaporKadens: "bulanan", Status: "aktif"})
	mulai, sumber, bruto, komisi, komp, dihitung := "2026-11-01", "verifikasi", int64(71_400_000), int64(8_925_000), int64(425_000), int64(248)
	gerak := []BarisGerak{
		barisGerak(konsinyasi.KonsinyasiGerak{ID: uuid.New(), Jenis: "terima", Tanggal: "2026-11-02", Jumlah: 1200, Batch: &h, TanggalKedaluwarsa: &batch, Keterangan: &h}),
		barisGerak(konsinyasi.KonsinyasiGerak{ID: uuid.New(), Jenis: "jual", Tanggal: "2026-12-03", Jumlah: 840, PeriodeMulai: &mulai, PeriodeSelesai: &lapor,
			Bruto: &bruto, Komisi: &komisi, Sumber: &sumber}),
		barisGerak(konsinyasi.KonsinyasiGerak{ID: uuid.New(), Jenis: "kedaluwarsa", Tanggal: "2026-12-04", Jumlah: 10, Kompensasi: &komp}),
		barisGerak(konsinyasi.KonsinyasiGerak{ID: uuid.New(), Jenis: "opname", Tanggal: "2026-12-05", Jumlah: -2, Dihitung: &dihitung}),
	}
	isi, galat := url.Values{}, map[string]string{}
	for _, c := range catatanGerak {
		for _, f := range c.isian {
			isi.Set(f.Nama, h)
			galat[f.Nama] = h
		}
	}
	for _, n := range []string{"kurasi_id", "komisi_persen", "biaya_bulanan", "sumber"} {
		isi.Set(n, h)
		galat[n] = h
	}
	form := &konsinyasiFormView{Halaman: frame(h), isianForm: isianForm{Isi: isi, Galat: galat}, TitikID: k.TitikID.String(), KurasiID: k.KurasiID.String(),
		Jenis: "jual", K: stok, Pesan: h}
	form.fill(catatanGerak["jual"])
	o := []Opsi{{Nilai: h, Label: h}}
	return map[string]viewModel{
		"konsinyasi-titik": &konsinyasiTitikView{Halaman: frame(h), isianForm: isianForm{Isi: isi, Galat: galat}, T: titik, Items: []BarisStok{stok}, KurasiOpsi: o, Pesan: h},
		"konsinyasi": &konsinyasiView{Halaman: frame(h), TitikID: k.TitikID.String(), K: stok, Gerak: gerak, Pesan: h,
			Setor: []BarisSetor{{KonsinyasiBayar: konsinyasi.KonsinyasiBayar{ID: uuid.New(), Jumlah: 50_000_000, Tanggal: "2026-12-06", NomorBukti: h, Keterangan: &h},
				TanggalKata: "6 Desember 2026", JumlahKata: "Rp 50.000.000"}}},
		"konsinyasi-form": form,
		"konsinyasi-terlambat": &konsinyasiTerlambatView{Halaman: frame(h), Items: []BarisOperator{{
			OperatorTerlambat: konsinyasi.OperatorTerlambat{OperatorJenis: "mitra", OperatorNama: h, Titik: 3, LaporTerlambat: 2, StokBelumCocok: 4, BelumDisetor: 12_900_000},
			OperatorKata:      "Mitra", BelumKata: "Rp 12.900.000",
			Terlambat: []BarisTerlambat{{Terlambat: konsinyasi.Terlambat{TitikID: k.TitikID, TitikNama: h}, Periode: "1 November 2026 – 30 November 2026", Sejak: "6 Desember 2026"}}}}},
	}
}

func TestKonsinyasiPagesReadAsAnOfficeWrites(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	s := samples()
	for name, want := range map[string][]string{
		"konsinyasi-titik":     {"1.200", "Rp 71.400.000", "Rp 12.900.000", "30 November 2026", "(belum dijelaskan)", "Buka buku"},
		"konsinyasi":           {"Komisi 12,50% dari penjualan", "Rp 8.925.000", "Periode 1 November 2026 – 30 November 2026", "diverifikasi staf", "kompensasi Rp 425.000", "dihitung 248", "Rp 50.000.000"},
		"konsinyasi-form":      {`name="periode_mulai"`, `name="bruto"`, `aria-describedby="sumber-galat"`, `id="bruto-galat"`, "Diverifikasi staf"},
		"konsinyasi-terlambat": {"Rp 12.900.000", "1 November 2026 – 30 November 2026", "Mitra"},
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
