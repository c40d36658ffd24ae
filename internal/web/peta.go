package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/peta"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The map (Peta) of an office by desa/kelurahan, drawn with internal/peta
// from the dashboards' rollups: businesses, businesses with open kendala
// (of a category, or any), or the share under guidance (binaan). A desa or
// kelurahan opens its breakdown (dasbor/wilayah/{kode}). The same figures
// are in a table; an office without boundary data gets the table and a
// bar chart.

// petaView is the map page.
type petaView struct {
	Halaman
	Tampil, Kategori string
	TampilOpsi       []Opsi
	KategoriOpsi     []Opsi
	Galat            map[string]string
	DihitungAt       *time.Time
	Judul            string // of the map
	Ada              bool   // the office has boundaries: SVG is the map
	SVG              template.HTML
	Grafik           template.HTML // the bar chart of an office without a map
	Legenda          []peta.Tingkat
	Baris            []BarisPeta
	Catatan          string
}

// BarisPeta is one desa/kelurahan of the map's table.
type BarisPeta struct {
	Kode, Nama, Kecamatan, Teks, Kelas, Href string
}

// Pilih is the select nama of the map's form.
func (v *petaView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

// What a map may show (tampil): the words of each.
var tampilOpsi = []Opsi{{Nilai: "umkm", Label: "Jumlah UMKM"}, {Nilai: "kendala", Label: "UMKM dengan kendala terbuka"},
	{Nilai: "binaan", Label: "Bagian UMKM binaan"}}

// petaData is the map's figures: what tampil (and kategori) name, of each
// desa/kelurahan in codes. A desa without businesses has 0 of a count and
// no binaan share (there is no whole to be part of).
func petaData(fig dasbor.AngkaDesa, codes []string, tampil, kategori string) peta.Data {
	d := peta.Data{Nilai: map[string]float64{}}
	for _, kode := range codes {
		total := fig.Get(kode, "umkm.total", "")
		switch tampil {
		case "umkm":
			d.Nilai[kode] = float64(total)
		case "kendala":
			if kategori == "" {
				d.Nilai[kode] = float64(fig.Get(kode, "umkm.berkendala", "ya"))
			} else {
				d.Nilai[kode] = float64(fig.Get(kode, dasbor.DimKendala, kategori))
			}
		case "binaan":
			if total > 0 {
				d.Nilai[kode] = 100 * float64(fig.Get(kode, dasbor.DimStatusBinaan, "binaan")) / float64(total)
			}
		}
	}
	switch tampil {
	case "umkm":
		d.Judul = "Jumlah UMKM per desa/kelurahan"
	case "kendala":
		d.Judul = "UMKM dengan kendala terbuka per desa/kelurahan"
		if kategori != "" {
			d.Judul = "UMKM dengan kendala " + lower(label(labelKendala, kategori)) + " per desa/kelurahan"
		}
	case "binaan":
		d.Judul = "Bagian UMKM binaan per desa/kelurahan"
		d.Format = func(v float64) string { return format.Desimal(v, 1) + "%" }
	}
	return d
}

func (a *App) peta(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	v := &petaView{Halaman: q.Halaman("Peta "+q.T.Name, "peta"), Tampil: in.Get("tampil"), Kategori: in.Get("kategori"),
		TampilOpsi: tampilOpsi, KategoriOpsi: opsi(umkm.KendalaCategories, labelKendala),
		Catatan: peta.Catatan}
	if v.Tampil == "" {
		v.Tampil = "umkm"
	}
	g := map[string]string{}
	if !slices.ContainsFunc(tampilOpsi, func(o Opsi) bool { return o.Nilai == v.Tampil }) {
		g["tampil"] = textPilihan
	}
	if v.Kategori != "" && !slices.Contains(umkm.KendalaCategories, v.Kategori) {
		g["kategori"] = textPilihan
	}
	if len(g) > 0 {
		v.Galat = g
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	t, err := a.Tenants.Resolve(q.ctx, q.T.Slug)
	if err != nil {
		return err
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	fig, err := a.Dasbor.Desa(q.ctx, q.T, "umkm.total", dasbor.DimStatusBinaan, dasbor.DimKendala, "umkm.berkendala")
	if err != nil {
		return err
	}
	var codes []string
	for _, grp := range reg.grup {
		for _, o := range grp.Opsi {
			codes = append(codes, o.Nilai)
		}
	}
	d := petaData(fig, codes, v.Tampil, v.Kategori)
	bisaWilayah := q.Can("get-dasbor-wilayah")
	href := func(kode string) string {
		if !bisaWilayah {
			return ""
		}
		return "/t/" + q.T.Slug + "/dasbor/wilayah/" + url.PathEscape(kode)
	}
	d.Href = href
	h, err := peta.Gambar(t.KemendagriCode, d)
	if err != nil {
		return err
	}
	v.DihitungAt, v.Judul, v.Ada, v.Legenda = fig.DihitungAt, d.Judul, h.Ada, h.Legenda
	v.SVG = template.HTML(h.SVG) // #nosec G203 -- peta escapes every text
	var bars []grafik.Batang
	for _, b := range h.Baris {
		nama := b.Nama
		if nama == "" {
			nama = reg.nama[b.Kode]
		}
		row := BarisPeta{Kode: b.Kode, Nama: nama, Kecamatan: reg.nama[reg.induk[b.Kode]], Teks: b.Teks, Kelas: b.Kelas, Href: href(b.Kode)}
		v.Baris = append(v.Baris, row)
		if b.AdaNilai {
			bars = append(bars, grafik.Batang{Label: nama, Nilai: int(b.Nilai + 0.5), Href: row.Href})
		}
	}
	if !h.Ada {
		v.Grafik = template.HTML(grafik.Mendatar(d.Judul, bars)) // #nosec G203 -- grafik escapes every text
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// wilayahView is the breakdown of one kecamatan or desa/kelurahan.
type wilayahView struct {
	Halaman
	W          dasbor.WilayahDasbor
	Induk      Opsi // the kecamatan of a desa/kelurahan
	Ringkasan  []Ringkasan
	Grafik     []Grafik
	Daftar     string // the register of the region; "" when not allowed
	BisaDaftar bool
	// BelumPernah is the region's never-helped list; "" when not allowed.
	BelumPernah string
}

func (a *App) dasborWilayah(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	kode := r.PathValue("kode")
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	// A region of another office is not found, as a missing one.
	if reg.nama[kode] == "" {
		return apperr.NotFound()
	}
	d, err := a.Dasbor.Wilayah(q.ctx, q.T, kode)
	if apperr.KindOf(err) == apperr.KindInvalid {
		return apperr.NotFound()
	} else if err != nil {
		return err
	}
	judul := "Kecamatan " + d.NamaWilayah
	filter := url.Values{"kecamatan": {kode}}
	v := &wilayahView{W: d, BisaDaftar: q.Can("list-umkm")}
	if d.Tingkat != "kecamatan" {
		judul = d.NamaWilayah
		filter = url.Values{"kelurahan": {kode}}
		v.Induk = Opsi{Nilai: reg.induk[kode], Label: reg.nama[reg.induk[kode]]}
	}
	v.Halaman = q.Halaman(judul, "dasbor")
	if v.BisaDaftar {
		v.Daftar = "/t/" + q.T.Slug + "/umkm?" + filter.Encode()
	}
	u := d.UMKM
	v.Ringkasan = []Ringkasan{
		{Label: "UMKM terdaftar", Nilai: u.Total},
		{Label: "UMKM binaan", Nilai: nilai(u.StatusBinaan, "binaan"), Dari: u.Total},
		{Label: "Legalitas lengkap", Nilai: nilai(u.LegalitasLengkap, "ya"), Dari: u.Total},
		{Label: "Punya kendala terbuka", Nilai: nilai(u.Berkendala, "ya"), Dari: u.Total},
		{Label: "Belum pernah dibantu program", Nilai: d.BelumPernah, Dari: u.Total},
		{Label: "Koperasi terdaftar", Nilai: d.Koperasi.Total},
	}
	if q.Can("list-belum-pernah") {
		v.BelumPernah = "/t/" + q.T.Slug + "/program/belum-pernah?" + filter.Encode()
	}
	v.Grafik = tautan{slug: q.T.Slug, bisa: v.BisaDaftar, wilayah: filter}.umkm(u)
	a.render(w, r, http.StatusOK, v)
	return nil
}
