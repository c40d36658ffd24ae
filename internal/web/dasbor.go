package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
)

// The office dashboard (Dasbor kantor): the figures of get-dasbor as
// charts of internal/grafik, each with the same numbers in a table beside
// it. A figure that the register can filter by links to the register
// filtered by it, with the API's filter names (list-umkm), for those who
// may open the register.

// dasborView is the office dashboard.
type dasborView struct {
	Halaman
	DihitungAt  *time.Time
	Ringkasan   []Ringkasan
	Grafik      []Grafik
	Target      []GrafikTarget
	Wilayah     []dasbor.KecamatanDasbor
	BisaDaftar  bool            // list-umkm: the figures link to the register
	BisaWilayah bool            // get-dasbor-wilayah: the kecamatan link to their breakdown
	Koperasi    *DasborKoperasi // the cooperatives' section (koperasi_dasbor.go)
	Program     *DasborProgram  // the programme section (dasbor_program.go)
}

// Ringkasan is one headline figure.
type Ringkasan struct {
	Label string
	Nilai int
	Dari  int // the whole it is part of; 0 for a total
}

// Grafik is one chart and its table: a first column of labels (each
// linked when Href is set) and the value columns Kolom.
type Grafik struct {
	ID, Judul string
	Kepala    string // the head of the labels' column
	SVG       template.HTML
	Kolom     []string
	Baris     []BarisAngka
	Catatan   string
}

// BarisAngka is one row of a chart's table.
type BarisAngka struct {
	Label, Href string
	Nilai       []string
}

// GrafikTarget is a programme target: its progress overall and per year,
// and what each kecamatan achieved.
type GrafikTarget struct {
	Nama, Sumber, Periode string
	Keterangan            string
	SVG                   template.HTML
	PerTahun              []TahunTarget
	Tahun                 []int
	PerKecamatan          []BarisAngka // a column per year, then the total
	GrafikKecamatan       template.HTML
}

// TahunTarget is one year of a target.
type TahunTarget struct {
	Tahun            int
	Target, Tercapai int
	SVG              template.HTML
}

// The words of the dashboards' own values.
var (
	labelYaTidak   = map[string]string{"ya": "Ya", "tidak": "Tidak"}
	labelTidakTahu = "Tidak diketahui"
	bulanPendek    = [...]string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}
)

// kata is the word of a dashboard value: its label, "Tidak diketahui"
// where the register does not know.
func kata(labels map[string]string, v string) string {
	if v == "tidak_diketahui" {
		return labelTidakTahu
	}
	return label(labels, v)
}

func nilai(list []dasbor.Angka, key string) int {
	for _, a := range list {
		if a.Nilai == key {
			return a.Jumlah
		}
	}
	return 0
}

// tautan links figures to the register (list-umkm) filtered by them,
// within a region when one is set.
type tautan struct {
	slug    string
	bisa    bool       // the caller may open the register
	wilayah url.Values // kecamatan= or kelurahan=; nil for the whole office
}

// daftar is the register filtered by the parameter and value given; ""
// when the caller may not open the register or the value is not one the
// register filters by.
func (l tautan) daftar(param, value string) string {
	if !l.bisa || value == "" || value == "tidak_diketahui" {
		return ""
	}
	q := url.Values{param: {value}}
	for k, v := range l.wilayah {
		q[k] = v
	}
	return "/t/" + l.slug + "/umkm?" + q.Encode()
}

// umkm are the charts of a region's businesses, as the dashboard and the
// region breakdown show them.
func (l tautan) umkm(u dasbor.AngkaUMKM) []Grafik {
	out := []Grafik{
		l.skala(u),
		l.mendatar("sektor", "UMKM per sektor", "Sektor", u.Sektor, labelSektor, "sektor", u.Total, ""),
		l.mendatar("jenis-kelamin", "Jenis kelamin pemilik", "Jenis kelamin", u.JenisKelamin, labelJenisKelamin, "jenis_kelamin", u.Total, ""),
		l.mendatar("binaan", "Status binaan", "Status", u.StatusBinaan, labelBinaan, "status_binaan", u.Total, ""),
		l.mendatar("legalitas", "Dokumen legalitas yang terbit", "Dokumen", u.Legalitas, labelLegal, "punya_legalitas", u.Total,
			"Satu usaha dapat memegang beberapa dokumen."),
		l.mendatar("kendala", "Kendala terbuka per kategori", "Kategori", u.KendalaTerbuka, labelKendala, "kendala", u.Total,
			"Usaha dengan sedikitnya satu kendala terbuka pada kategori itu; satu usaha dapat terhitung di beberapa kategori."),
	}
	if len(u.Bulanan) > 0 {
		out = append(out, bulanan(u.Bulanan))
	}
	return out
}

// mendatar is a horizontal bar chart of a breakdown with its table
// (Jumlah and share of total); param names the register's filter of it
// ("" for none).
func (l tautan) mendatar(id, judul, kepala string, list []dasbor.Angka, labels map[string]string, param string, total int, catatan string) Grafik {
	href := func(v string) string {
		if param == "" {
			return ""
		}
		return l.daftar(param, v)
	}
	return batang(id, judul, kepala, "Jumlah UMKM", list, labels, href, total, catatan)
}

// batang is a horizontal bar chart of a breakdown with its table (kolom,
// the count's head, and share of total); href links a value ("" for none).
func batang(id, judul, kepala, kolom string, list []dasbor.Angka, labels map[string]string, href func(string) string, total int, catatan string) Grafik {
	g := Grafik{ID: id, Judul: judul, Kepala: kepala, Kolom: []string{kolom, "Bagian"}, Catatan: catatan}
	bars := make([]grafik.Batang, 0, len(list))
	for _, a := range list {
		h := href(a.Nilai)
		l := kata(labels, a.Nilai)
		bars = append(bars, grafik.Batang{Label: l, Nilai: a.Jumlah, Href: h})
		g.Baris = append(g.Baris, BarisAngka{Label: l, Href: h, Nilai: []string{format.Angka(a.Jumlah), format.Persen(a.Jumlah, total)}})
	}
	g.SVG = template.HTML(grafik.Mendatar(judul, bars)) // #nosec G203 -- grafik escapes every text
	return g
}

// skala is the size as reported beside the size computed under PP 7/2021,
// one stacked bar each; the computed sizes link to the register (its
// skala filter is the computed one).
func (l tautan) skala(u dasbor.AngkaUMKM) Grafik {
	const judul = "Skala usaha: dilaporkan dan dihitung (PP 7/2021)"
	g := Grafik{ID: "skala", Judul: judul, Kepala: "Skala", Kolom: []string{"Dilaporkan", "Dihitung"},
		Catatan: "Skala dihitung dari omzet dan aset yang tercatat; tautan membuka register menurut skala dihitung."}
	var order []string
	for _, list := range [][]dasbor.Angka{u.SkalaDilaporkan, u.SkalaHitung} {
		for _, a := range list {
			if !slices.Contains(order, a.Nilai) {
				order = append(order, a.Nilai)
			}
		}
	}
	seri := make([]string, len(order))
	lapor, hitung := grafik.Baris{Label: "Dilaporkan"}, grafik.Baris{Label: "Dihitung"}
	for i, s := range order {
		seri[i] = kata(labelSkala, s)
		dl, dh := nilai(u.SkalaDilaporkan, s), nilai(u.SkalaHitung, s)
		href := l.daftar("skala", s)
		lapor.Bagian = append(lapor.Bagian, grafik.Ruas{Nilai: dl})
		hitung.Bagian = append(hitung.Bagian, grafik.Ruas{Nilai: dh, Href: href})
		g.Baris = append(g.Baris, BarisAngka{Label: seri[i], Href: href, Nilai: []string{format.Angka(dl), format.Angka(dh)}})
	}
	g.SVG = template.HTML(grafik.Bertumpuk(judul, seri, []grafik.Baris{lapor, hitung})) // #nosec G203 -- grafik escapes every text
	return g
}

// bulanan is the registrations per month.
func bulanan(list []dasbor.Angka) Grafik {
	const judul = "UMKM terdaftar per bulan"
	g := Grafik{ID: "bulanan", Judul: judul, Kepala: "Bulan", Kolom: []string{"Jumlah UMKM"},
		Catatan: "Bulan pencatatan di register (zona waktu kantor); hanya UMKM yang masih aktif."}
	bars := make([]grafik.Batang, 0, len(list))
	for _, a := range list {
		bars = append(bars, grafik.Batang{Label: bulanSingkat(a.Nilai), Nilai: a.Jumlah})
		g.Baris = append(g.Baris, BarisAngka{Label: format.Bulan(a.Nilai), Nilai: []string{format.Angka(a.Jumlah)}})
	}
	g.SVG = template.HTML(grafik.Kolom(judul, bars)) // #nosec G203 -- grafik escapes every text
	return g
}

// bulanSingkat is a month on a chart's axis: Des 2026.
func bulanSingkat(yyyymm string) string {
	t, err := time.Parse("2006-01", yyyymm)
	if err != nil {
		return yyyymm
	}
	return bulanPendek[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// target lays out a programme target.
func (l tautan) target(t dasbor.ProgresTarget, names map[string]string) GrafikTarget {
	g := GrafikTarget{Nama: t.Nama, Sumber: t.Sumber, Periode: strconv.Itoa(t.TahunMulai) + "–" + strconv.Itoa(t.TahunSelesai),
		SVG:        template.HTML(grafik.Progres(t.Nama, t.Tercapai, t.Target, "")), // #nosec G203 -- grafik escapes every text
		Keterangan: "Usaha yang mulai berdiri pada tahun program"}
	if t.JenisKelamin != "" {
		g.Keterangan += ", pemilik " + lower(label(labelJenisKelamin, t.JenisKelamin))
	}
	g.Keterangan += "; usaha yang tahun mulainya tidak diketahui tidak dihitung."
	for _, y := range t.PerTahun {
		g.Tahun = append(g.Tahun, y.Tahun)
		g.PerTahun = append(g.PerTahun, TahunTarget{Tahun: y.Tahun, Target: y.Target, Tercapai: y.Tercapai,
			SVG: template.HTML(grafik.Progres(t.Nama+" "+strconv.Itoa(y.Tahun), y.Tercapai, y.Target, ""))}) // #nosec G203
	}
	var bars []grafik.Batang
	for _, k := range t.PerKecamatan {
		nama := k.NamaWilayah
		if nama == "" {
			nama = names[k.Kode]
		}
		row := BarisAngka{Label: nama, Href: l.daftar("kecamatan", k.Kode)}
		for _, y := range g.Tahun {
			n := 0
			for _, ky := range k.PerTahun {
				if ky.Tahun == y {
					n = ky.Jumlah
				}
			}
			row.Nilai = append(row.Nilai, format.Angka(n))
		}
		row.Nilai = append(row.Nilai, format.Angka(k.Tercapai))
		g.PerKecamatan = append(g.PerKecamatan, row)
		bars = append(bars, grafik.Batang{Label: nama, Nilai: k.Tercapai, Href: row.Href})
	}
	if len(bars) > 0 {
		g.GrafikKecamatan = template.HTML(grafik.Mendatar(t.Nama+" per kecamatan", bars)) // #nosec G203
	}
	return g
}

func (a *App) dasbor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	d, err := a.Dasbor.Tenant(q.ctx, q.T)
	if err != nil {
		return err
	}
	u, k := d.UMKM, d.Koperasi
	v := &dasborView{Halaman: q.Halaman("Dasbor "+q.T.Name, "dasbor"), DihitungAt: d.DihitungAt, Wilayah: d.Wilayah,
		BisaDaftar: q.Can("list-umkm"), BisaWilayah: q.Can("get-dasbor-wilayah"),
		Ringkasan: []Ringkasan{
			{Label: "UMKM terdaftar", Nilai: u.Total},
			{Label: "UMKM binaan", Nilai: nilai(u.StatusBinaan, "binaan"), Dari: u.Total},
			{Label: "Legalitas lengkap", Nilai: nilai(u.LegalitasLengkap, "ya"), Dari: u.Total},
			{Label: "Punya kendala terbuka", Nilai: nilai(u.Berkendala, "ya"), Dari: u.Total},
			{Label: "Koperasi terdaftar", Nilai: k.Total},
			{Label: "Koperasi aktif", Nilai: nilai(k.Aktif, "ya"), Dari: k.Total},
		}}
	l := tautan{slug: q.T.Slug, bisa: v.BisaDaftar}
	v.Grafik = l.umkm(u)
	names := map[string]string{}
	for _, kec := range d.Wilayah {
		names[kec.Kode] = kec.NamaWilayah
	}
	for _, t := range d.Target {
		v.Target = append(v.Target, l.target(t, names))
	}
	v.Program = dasborProgram(q.T.Slug, d, q.Can)
	if v.Koperasi, err = a.dasborKoperasi(q, k, d.Wilayah); err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func lower(s string) string { return strings.ToLower(s) }
