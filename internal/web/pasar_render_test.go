package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// pasarSamples are the market pages, hostile text in every string.
func pasarSamples(frame func(string) Halaman) map[string]viewModel {
	h := hostile
	bp, anggaran, kurang := int64(1734), int64(1_000_000_000), int64(226_543_208)
	c := pasar.CapaianBelanja{Tahun: 2026, Anggaran: &anggaran, AnggaranVer: 2, Jumlah: 3, Nilai: 173_456_792, PersenBP: &bp, TargetBP: 4000,
		KurangTarget: &kurang, PerOPD: []pasar.BagianBelanja{{Kunci: h, Jumlah: 2, Nilai: 173_456_789, PersenBP: &bp}}}
	id := uuid.New()
	return map[string]viewModel{
		"pasar": &pasarRingkasanView{Halaman: frame("Pasar & belanja"), R: pasar.RingkasanPasar{UsahaAktif: 1500, UsahaDaring: 2000},
			AktifSejak: "8 September 2026", Kecamatan: Grafik{ID: "k", Judul: h, Kepala: h, Kolom: []string{h}, Baris: []BarisAngka{{Label: h, Href: "/t/depok/umkm?kecamatan=" + h, Nilai: []string{h}}}, Catatan: h},
			Ritel:   []BarisRitel{{PeritelRingkas: pasar.PeritelRingkas{Peritel: "indomaret", Usaha: 6, Gerai: 24, Produk: 6}, Kata: h}},
			Belanja: []BarisTahun{{TahunBelanja: pasar.TahunBelanja{Tahun: 2026, Jumlah: 3, Nilai: 173_456_792, Anggaran: &anggaran, PersenBP: &bp}, Persen: "17,34%", Tautan: "/t/depok/pasar/belanja?tahun=2026"}}},
		"pasar-toko": &pasarTokoView{Halaman: frame(h), F: url.Values{"platform": {h}, "aktif": {"ya"}}, PlatformOpsi: opsi(pasar.AllPlatform, labelPlatform),
			KecamatanOpsi: []Opsi{{Nilai: "32.76.01", Label: h}}, Galat: map[string]string{"platform": h, "aktif": h}, Lanjut: "/t/depok/pasar/toko?cursor=" + h,
			Toko: []BarisTokoUsaha{{BarisToko: BarisToko{Toko: pasar.Toko{NamaUsaha: h, Tautan: "https://shopee.co.id/" + h, Aktif: true}, PlatformKata: h, DibinaKata: h, TerakhirAktif: h},
				Kecamatan: h, Usaha: "/t/depok/umkm/" + id.String()}}},
		"pasar-belanja": &pasarBelanjaView{Halaman: frame(h), Tahun: 2026, C: c, Persen: "17,34%", Kurang: "Rp 226.543.208", Bagan: "<svg></svg>",
			PerOPD: []BarisBagian{{Kata: h, Jumlah: "2", Nilai: h, Persen: h}}, PerSaluran: []BarisBagian{{Kata: h}},
			Belanja:  []BarisBelanja{{Belanja: pasar.Belanja{ID: id, OPD: h, Acara: &h, Penjual: h, Nilai: 50_000_000}, Hari: h, SaluranKata: h, Tautan: "/t/depok/umkm/" + id.String()}},
			Form:     isianForm{Isi: url.Values{"opd": {h}, "nilai": {h}, "penjual": {"umkm:" + id.String()}}, Galat: map[string]string{"nilai": h, "penjual": h, "cari": h}},
			Anggaran: isianForm{Isi: url.Values{"nilai": {h}}, Galat: map[string]string{"nilai": h}}, Cari: h,
			Calon: []BarisUMKM{{Record: umkm.Record{ID: id, NamaUsaha: h}, Sektor: h}}, CalonKop: []koperasi.Koperasi{{ID: uuid.New(), Nama: h}},
			SaluranOpsi: opsi(pasar.AllSaluran, labelSaluranBelanja), Kunci: h, Hari: "2026-12-06", Pesan: h, Selesai: h},
	}
}

// TestPasarRender: a shop's link on the record page is a link out with
// rel="noopener noreferrer nofollow", escaped, and one that is not https
// (were it ever stored) is never a live javascript: link; the purchases
// page says the share in Indonesian numbers with the 40% meter.
func TestPasarRender(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	render := func(v viewModel) string {
		w := httptest.NewRecorder()
		if err := a.write(w, http.StatusOK, v); err != nil {
			t.Fatal(err)
		}
		return w.Body.String()
	}
	p := &PasarUsaha{Aksi: "/t/depok/umkm/x", BisaToko: true, BisaRit: true, Kunci: "k",
		Toko: []BarisToko{{Toko: pasar.Toko{Tautan: `https://shopee.co.id/kue"><script>alert(1)</script>`, Aktif: true}, PlatformKata: "Shopee"},
			{Toko: pasar.Toko{Tautan: "javascript:alert(1)"}, PlatformKata: "Lainnya"}},
		FormToko:     isianForm{Isi: url.Values{"tautan": {"javascript:alert(2)"}}, Galat: map[string]string{"tautan": "Tautan harus diawali https://"}},
		FormGerai:    isianForm{Isi: url.Values{}, Galat: map[string]string{}},
		PlatformOpsi: opsi(pasar.AllPlatform, labelPlatform)}
	kantor := &tenancy.Tenant{ID: uuid.New(), Slug: "depok", Name: "Kota Depok", TimeZone: "Asia/Jakarta"}
	body := render(&umkmRekamView{Halaman: Halaman{Judul: "Kue Siti", Kantor: kantor, can: func(string) bool { return false }}, Pasar: p})
	for _, want := range []string{`rel="noopener noreferrer nofollow"`, `href="https://shopee.co.id/kue%22%3e%3cscript%3ealert%281%29%3c/script%3e"`,
		`href="#ZgotmplZ"`, `aria-describedby="toko-tautan-galat"`, "Tautan harus diawali https://", "Aktif", "Tidak aktif"} {
		if !strings.Contains(body, want) {
			t.Errorf("record page lacks %q", want)
		}
	}
	if strings.Contains(body, `href="javascript:`) || strings.Contains(body, "<script>alert") {
		t.Errorf("a live script or javascript: link on the record page")
	}
	b := render(pasarSamples(func(j string) Halaman {
		return Halaman{Judul: j, Kantor: kantor, can: func(string) bool { return true }}
	})["pasar-belanja"])
	for _, want := range []string{"<strong>17,34%</strong>", "Rp 1.000.000.000", "Rp 173.456.792", `value="1734"`, "Kurang Rp 226.543.208", "Rp 50.000.000"} {
		if !strings.Contains(b, want) {
			t.Errorf("purchases page lacks %q", want)
		}
	}
}

// TestPenjual: the seller select names a business or a cooperative; what
// names neither is no seller (the service then refuses naming the field).
func TestPasarPenjual(t *testing.T) {
	id := uuid.New()
	for _, tt := range []struct {
		in        string
		umkm, kop bool
	}{{"umkm:" + id.String(), true, false}, {"koperasi:" + id.String(), false, true}, {"bank:" + id.String(), false, false}, {"umkm:x", false, false}, {"", false, false}} {
		var in pasar.BelanjaInput
		penjual(tt.in, &in)
		if (in.UMKMID != nil) != tt.umkm || (in.KoperasiID != nil) != tt.kop {
			t.Errorf("%q: umkm %v koperasi %v", tt.in, in.UMKMID, in.KoperasiID)
		}
	}
}
