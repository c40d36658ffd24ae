// Package peta draws an office's choropleth by desa/kelurahan as an SVG
// fragment from the boundaries of internal/batas: one path per
// desa/kelurahan in a class per colour step, kecamatan outlines drawn over
// them, a legend, and the same figures as rows for the table beside it.
//
// Geometry is projected and simplified once per office (the first map asks
// for it); a request only writes precomputed path data. Like internal/grafik
// the result bypasses html/template, so every text is escaped here, and it
// has presentation attributes only (the CSP forbids style=).
//
// Classes the stylesheet fills: q0 … q4 (the steps, light to dark), q-none
// (no data), peta-desa (the group of desa/kelurahan paths: their thin
// stroke), peta-kecamatan (the outlines: a thicker stroke, fill="none" is
// set here), peta-judul, peta-legenda, peta-catatan.
package peta

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sentra-id/sentra/internal/grafik"
)

// Catatan is printed on every map: the boundaries are not authoritative
// (see internal/batas/data/SOURCE.md).
const Catatan = "batas wilayah indikatif"

// TidakAdaData labels the desa/kelurahan without a value.
const TidakAdaData = "tidak ada data"

// Disembunyikan labels a cell whose figure is hidden (a province view's
// small cells and those hidden to protect them): every such cell reads
// and is coloured the same (class q-sembunyi).
const Disembunyikan = "disembunyikan"

// Langkah is how many colour steps a map has: classes q0 … q4.
const Langkah = 5

// Data is what one map shows.
type Data struct {
	Judul string
	// Nilai is the figure of each desa/kelurahan by Kemendagri code; a code
	// absent has no data (q-none), which is not the same as 0.
	Nilai map[string]float64
	// Format writes a figure; nil writes Indonesian numbers, whole ones
	// without decimals (1.234) and others with one (12,5).
	Format func(float64) string
	// Batas, when set, are fixed breaks: the Langkah-1 ascending upper
	// bounds (inclusive) of q0 … q3. Nil breaks at the quintiles of Nilai.
	Batas []float64
	// Href is the link of a desa/kelurahan (its breakdown); nil or "" for
	// none.
	Href func(kode string) string
	// Sembunyi are the codes whose figure is hidden: drawn in q-sembunyi,
	// read as Disembunyikan, and left out of the steps (any Nilai they
	// have is ignored, so a hidden figure shapes no break).
	Sembunyi map[string]bool
}

// Hasil is a drawn map.
type Hasil struct {
	// Ada is false when the office has no boundaries: SVG is empty, and the
	// page shows the table and a bar chart instead.
	Ada     bool
	SVG     string
	Baris   []Baris   // every desa/kelurahan of the map, in code order
	Legenda []Tingkat // the steps used, then q-none if any desa lacks data
}

// Baris is one row of the table beside the map.
type Baris struct {
	Kode, Nama, Kecamatan string // Nama is "" for a code the boundaries lack
	Nilai                 float64
	AdaNilai              bool
	Teks                  string // Nilai formatted, or TidakAdaData
	Kelas                 string // q0 … q4 or q-none
}

// Tingkat is one step of the legend: the range of the figures in it.
type Tingkat struct {
	Kelas        string
	Dari, Sampai float64
	Jumlah       int    // desa/kelurahan in the step
	Label        string // "12 – 40", or TidakAdaData
}

// Ada says whether kabkota (Kemendagri code, "32.76") has a map.
func Ada(kabkota string) bool {
	_, ok := cache[kabkota]
	return ok
}

// Gambar draws the map of kabkota. An office without boundaries is no
// error: Ada is false and the rows list the codes of d.Nilai.
func Gambar(kabkota string, d Data) (Hasil, error) {
	load, ok := cache[kabkota]
	if !ok {
		h := Hasil{}
		h.Baris, h.Legenda = classify(nil, d)
		return h, nil
	}
	g, err := load()
	if err != nil {
		return Hasil{}, fmt.Errorf("peta %s: %w", kabkota, err)
	}
	return g.draw(d), nil
}

func (d Data) format(v float64) string {
	if d.Format != nil {
		return d.Format(v)
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return grafik.Angka(int(v))
	}
	return grafik.Desimal(v, 1)
}

// classify builds the rows (the map's desa/kelurahan, then codes of d.Nilai
// it lacks) and puts each in a step.
func classify(g *geometri, d Data) ([]Baris, []Tingkat) {
	var rows []Baris
	if g != nil {
		for _, dg := range g.desa {
			rows = append(rows, Baris{Kode: dg.kode, Nama: dg.nama, Kecamatan: dg.kecamatan})
		}
	}
	for kode := range d.Nilai {
		if g == nil {
			rows = append(rows, Baris{Kode: kode})
		} else if _, ok := g.byKode[kode]; !ok {
			rows = append(rows, Baris{Kode: kode})
		}
	}
	for kode := range d.Sembunyi {
		_, valued := d.Nilai[kode]
		if _, drawn := g.index(kode); !drawn && !valued {
			rows = append(rows, Baris{Kode: kode})
		}
	}
	slices.SortFunc(rows, func(a, b Baris) int { return strings.Compare(a.Kode, b.Kode) })

	var vals []float64
	for i := range rows {
		r := &rows[i]
		if d.Sembunyi[r.Kode] {
			continue
		}
		r.Nilai, r.AdaNilai = d.Nilai[r.Kode]
		if r.AdaNilai {
			vals = append(vals, r.Nilai)
		}
	}
	slices.Sort(vals)
	breaks, fixed := d.Batas, len(d.Batas) > 0
	if !fixed {
		breaks = quintiles(vals)
	}
	steps := len(breaks) + 1
	kelas := func(step int) string { // fewer steps spread over the palette
		if steps == 1 {
			return "q0"
		}
		return "q" + strconv.Itoa(int(math.Round(float64(step*(Langkah-1))/float64(steps-1))))
	}
	legend := make([]Tingkat, steps)
	for s := range legend {
		legend[s] = Tingkat{Kelas: kelas(s), Dari: math.Inf(1), Sampai: math.Inf(-1)}
	}
	none, hidden := 0, 0
	for i := range rows {
		r := &rows[i]
		if d.Sembunyi[r.Kode] {
			r.Kelas, r.Teks = "q-sembunyi", Disembunyikan
			hidden++
			continue
		}
		if !r.AdaNilai {
			r.Kelas, r.Teks = "q-none", TidakAdaData
			none++
			continue
		}
		s := 0
		for s < len(breaks) && r.Nilai > breaks[s] {
			s++
		}
		r.Kelas, r.Teks = legend[s].Kelas, d.format(r.Nilai)
		t := &legend[s]
		t.Jumlah++
		t.Dari, t.Sampai = math.Min(t.Dari, r.Nilai), math.Max(t.Sampai, r.Nilai)
	}
	out := legend[:0]
	for s, t := range legend {
		if t.Jumlah == 0 {
			if !fixed {
				continue
			}
			// An empty fixed step still shows its range, so that the
			// legend reads the same on every map with these breaks.
			t.Dari, t.Sampai = math.Inf(-1), math.Inf(1)
			if s > 0 {
				t.Dari = breaks[s-1]
			}
			if s < len(breaks) {
				t.Sampai = breaks[s]
			}
		}
		t.Label = label(d, t.Dari, t.Sampai)
		out = append(out, t)
	}
	if hidden > 0 {
		out = append(out, Tingkat{Kelas: "q-sembunyi", Jumlah: hidden, Label: Disembunyikan})
	}
	if none > 0 {
		out = append(out, Tingkat{Kelas: "q-none", Jumlah: none, Label: TidakAdaData})
	}
	return rows, out
}

func label(d Data, from, to float64) string {
	switch {
	case math.IsInf(from, -1):
		return "≤ " + d.format(to)
	case math.IsInf(to, 1):
		return "> " + d.format(from)
	case from == to:
		return d.format(from)
	}
	return d.format(from) + " – " + d.format(to)
}

// quintiles are the distinct breaks between fifths of the sorted vals,
// without one at the maximum (its step would be empty).
func quintiles(vals []float64) []float64 {
	var out []float64
	n := len(vals)
	for k := 1; k < Langkah && n > 0; k++ {
		b := vals[max(0, (k*n+Langkah-1)/Langkah-1)]
		if b < vals[n-1] && (len(out) == 0 || b > out[len(out)-1]) {
			out = append(out, b)
		}
	}
	return out
}

func (g *geometri) draw(d Data) Hasil {
	rows, legend := classify(g, d)
	byKode := make(map[string]*Baris, len(rows))
	for i := range rows {
		byKode[rows[i].Kode] = &rows[i]
	}
	const top, fontSize = 40, 14
	items, tinggi := g.legendLayout(legend, top)

	var b strings.Builder
	judul := grafik.Escape(d.Judul)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" class="peta" font-size="%d"><title>%s</title>`,
		lebar, tinggi, judul, fontSize, judul)
	fmt.Fprintf(&b, `<text x="%d" y="26" font-size="20" class="peta-judul">%s</text>`, margin, judul)
	fmt.Fprintf(&b, `<g transform="translate(0 %d)"><g class="peta-desa" fill-rule="evenodd" stroke-linejoin="round">`, top)
	for _, dg := range g.desa {
		r := byKode[dg.kode]
		href := ""
		if d.Href != nil {
			href = grafik.SafeHref(d.Href(dg.kode))
		}
		if href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, href)
		}
		fmt.Fprintf(&b, `<path class="%s" data-kode="%s" d="%s"><title>%s: %s</title></path>`,
			r.Kelas, grafik.Escape(dg.kode), dg.d, grafik.Escape(dg.nama), grafik.Escape(r.Teks))
		if href != "" {
			b.WriteString(`</a>`)
		}
	}
	fmt.Fprintf(&b, `</g><path class="peta-kecamatan" fill="none" stroke-linejoin="round" d="%s"/></g>`, g.kecamatan)
	g.writeLegend(&b, legend, items, tinggi)
	return Hasil{Ada: true, SVG: grafik.Linked(b.String()), Baris: rows, Legenda: legend}
}

// legendItem is where a legend entry sits.
type legendItem struct{ x, y int }

// legendLayout wraps the legend's items under the map (drawn from top);
// tinggi is the height of the whole picture.
func (g *geometri) legendLayout(legend []Tingkat, top int) (items []legendItem, tinggi int) {
	items = make([]legendItem, len(legend))
	x, y := margin, top+g.tinggi+12
	for i, t := range legend {
		w := 26 + 8*len([]rune(t.Label)) + 24
		if x > margin && x+w > lebar {
			x, y = margin, y+26
		}
		items[i] = legendItem{x, y}
		x += w
	}
	return items, y + 26 + 24
}

// writeLegend ends the picture: the legend, the note, </svg>.
func (g *geometri) writeLegend(b *strings.Builder, legend []Tingkat, items []legendItem, tinggi int) {
	b.WriteString(`<g class="peta-legenda">`)
	for i, t := range legend {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="18" height="18" class="%s"/><text x="%d" y="%d">%s</text>`,
			items[i].x, items[i].y, t.Kelas, items[i].x+26, items[i].y+14, grafik.Escape(t.Label))
	}
	fmt.Fprintf(b, `</g><text x="%d" y="%d" text-anchor="end" class="peta-catatan">%s</text></svg>`, lebar-margin, tinggi-8, Catatan)
}

// index is the position of kode among the drawn desa/kelurahan; false when
// the map has none or lacks it.
func (g *geometri) index(kode string) (int, bool) {
	if g == nil {
		return 0, false
	}
	i, ok := g.byKode[kode]
	return i, ok
}
