// Package grafik draws small charts as SVG fragments on the server, so the
// dashboard needs no script and passes a CSP that forbids inline styles.
//
// Every chart is built only from numbers and labels escaped here, so the web
// layer may mark the result safe. Colours are classes, never style=: bars
// carry g-1 … g-8 (the palette, which the stylesheet fills), and the other
// parts the classes each function lists. The root <svg>
// has a viewBox and no size, so it scales to its container; role="img", an
// aria-label and a <title> name it for screen readers, and the page shows
// the same numbers in a table beside it.
package grafik

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Batang is one bar (or one point of a line): its label, its value, and an
// optional link, e.g. to the register filtered by that value.
type Batang struct {
	Label string
	Nilai int
	Href  string
}

// Ruas is one segment of a stacked bar.
type Ruas struct {
	Nilai int
	Href  string
}

// Baris is one stacked bar: Bagian[i] belongs to the chart's series i.
type Baris struct {
	Label  string
	Bagian []Ruas
}

// Palette is how many colour classes (g-1 … g-8) the stylesheet defines;
// series beyond it reuse them in turn.
const Palette = 8

// Kosong is the text of a chart without data.
const Kosong = "belum ada data"

const (
	lebar     = 640 // viewBox width of every chart
	fontSize  = 12
	charWidth = 7 // estimated width of a character at fontSize, for layout
)

func kelas(i int) string { return fmt.Sprintf("g-%d", i%Palette+1) }

type svg struct{ strings.Builder }

func (b *svg) f(format string, a ...any) { fmt.Fprintf(&b.Builder, format, a...) }

// done is the chart written. A chart with links is a group of them, not an
// image: the children of role="img" are presentational, so a screen reader
// would not reach the links (axe: nested-interactive).
func (b *svg) done() string { return Linked(b.String()) }

// Linked turns the root role="img" of an SVG holding links into
// role="group" (see done); internal/peta's maps use it too.
func Linked(svg string) string {
	if strings.Contains(svg, "<a href=") {
		return strings.Replace(svg, `role="img"`, `role="group"`, 1)
	}
	return svg
}

func open(b *svg, judul string, tinggi int, jenis string) {
	j := Escape(judul)
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" class="grafik grafik-%s" font-size="%d"><title>%s</title>`,
		lebar, tinggi, j, jenis, fontSize, j)
}

// link opens an <a> around what follows when href is usable; the returned
// closer ends it.
func link(b *svg, href string) (close func()) {
	h := SafeHref(href)
	if h == "" {
		return func() {}
	}
	b.f(`<a href="%s">`, h)
	return func() { b.WriteString(`</a>`) }
}

func kosong(judul, jenis string) string {
	var b svg
	open(&b, judul, 40, jenis)
	b.f(`<text x="%d" y="24" text-anchor="middle" class="g-kosong">%s</text></svg>`, lebar/2, Kosong)
	return b.done()
}

// pendek cuts a label that would not fit n characters; the full text stays
// in the <title>.
func pendek(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func maxNilai(data []Batang) int {
	m := 0
	for _, d := range data {
		m = max(m, d.Nilai)
	}
	return m
}

// scale is v's share of full in px, negative values drawn as none.
func scale(v, vmax int, full float64) float64 {
	if vmax <= 0 || v <= 0 {
		return 0
	}
	return float64(v) / float64(vmax) * full
}

// Mendatar is a horizontal bar chart, one row per item, the value after
// each bar: for categories (sectors, legal documents, kendala). Classes:
// g-1 (bars), g-label, g-nilai.
func Mendatar(judul string, data []Batang) string {
	if len(data) == 0 {
		return kosong(judul, "mendatar")
	}
	const (
		labelW, nilaiW, rowH, barH = 200, 80, 26, 18
	)
	full := float64(lebar - labelW - nilaiW)
	vmax := maxNilai(data)
	var b svg
	open(&b, judul, len(data)*rowH+4, "mendatar")
	for i, d := range data {
		y := 2 + i*rowH
		w := scale(d.Nilai, vmax, full)
		closeA := link(&b, d.Href)
		b.f(`<g class="g-baris"><title>%s: %s</title>`, Escape(d.Label), Angka(d.Nilai))
		b.f(`<text x="%d" y="%d" text-anchor="end" class="g-label">%s</text>`, labelW-8, y+barH/2+4, Escape(pendek(d.Label, 27)))
		b.f(`<rect x="%d" y="%d" width="%.1f" height="%d" class="g-1"/>`, labelW, y, w, barH)
		b.f(`<text x="%.1f" y="%d" class="g-nilai">%s</text></g>`, float64(labelW)+w+6, y+barH/2+4, Angka(d.Nilai))
		closeA()
	}
	b.WriteString(`</svg>`)
	return b.done()
}

// Bertumpuk is a stacked horizontal bar chart: one bar per Baris, one
// segment per series, the bars scaled to the largest total so different
// totals compare honestly (e.g. skala dilaporkan against skala dihitung).
// A legend names the series. Classes: g-1 … g-8, g-label, g-nilai, g-dalam
// (a value written inside its segment), g-legenda.
func Bertumpuk(judul string, seri []string, baris []Baris) string {
	if len(baris) == 0 || len(seri) == 0 {
		return kosong(judul, "bertumpuk")
	}
	const (
		labelW, nilaiW, rowH, barH = 120, 80, 30, 22
	)
	full := float64(lebar - labelW - nilaiW)
	totals := make([]int, len(baris))
	vmax := 0
	for i, r := range baris {
		for _, s := range r.Bagian {
			totals[i] += max(s.Nilai, 0)
		}
		vmax = max(vmax, totals[i])
	}
	// The legend wraps its items over as many lines as they need.
	type item struct{ x, y int }
	items := make([]item, len(seri))
	x, y := 0, 0
	for i, s := range seri {
		w := 20 + charWidth*utf8.RuneCountInString(pendek(s, 30)) + 16
		if x > 0 && x+w > lebar {
			x, y = 0, y+20
		}
		items[i] = item{x, y}
		x += w
	}
	top := y + 28
	var b svg
	open(&b, judul, top+len(baris)*rowH, "bertumpuk")
	b.WriteString(`<g class="g-legenda">`)
	for i, s := range seri {
		b.f(`<rect x="%d" y="%d" width="14" height="14" class="%s"/><text x="%d" y="%d">%s</text>`,
			items[i].x, items[i].y+2, kelas(i), items[i].x+20, items[i].y+14, Escape(pendek(s, 30)))
	}
	b.WriteString(`</g>`)
	for i, r := range baris {
		y := top + i*rowH
		b.f(`<text x="%d" y="%d" text-anchor="end" class="g-label">%s<title>%s</title></text>`,
			labelW-8, y+barH/2+4, Escape(pendek(r.Label, 16)), Escape(r.Label))
		x := float64(labelW)
		for j, s := range r.Bagian {
			if j >= len(seri) || s.Nilai <= 0 {
				continue
			}
			w := scale(s.Nilai, vmax, full)
			closeA := link(&b, s.Href)
			// Shares of a whole are rounded (not floored, as a target's
			// progress is) so that they add up to about 100%.
			b.f(`<g><title>%s, %s: %s (%s%%)</title><rect x="%.1f" y="%d" width="%.1f" height="%d" class="%s"/>`,
				Escape(r.Label), Escape(seri[j]), Angka(s.Nilai), Desimal(100*float64(s.Nilai)/float64(totals[i]), 0), x, y, w, barH, kelas(j))
			if v := Angka(s.Nilai); w >= float64(charWidth*len(v)+8) {
				b.f(`<text x="%.1f" y="%d" text-anchor="middle" class="g-dalam">%s</text>`, x+w/2, y+barH/2+4, v)
			}
			b.WriteString(`</g>`)
			closeA()
			x += w
		}
		b.f(`<text x="%.1f" y="%d" class="g-nilai">%s</text>`, x+6, y+barH/2+4, Angka(totals[i]))
	}
	b.WriteString(`</svg>`)
	return b.done()
}

// The plot area of Kolom and Garis, in viewBox units.
const (
	plotX, plotY, plotW, plotH = 56, 10, lebar - 56 - 10, 180
	plotTinggi                 = plotY + plotH + 30
)

// niceStep is a round tick step (1, 2 or 5 times a power of ten) that
// covers vmax in about four ticks.
func niceStep(vmax int) int {
	if vmax <= 4 {
		return 1
	}
	raw := float64(vmax) / 4
	p := 1
	for float64(p*10) <= raw {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if float64(m*p) >= raw {
			return m * p
		}
	}
	return 10 * p
}

// sumbu draws the value axis with its grid and returns the axis maximum.
// Classes: g-grid, g-sumbu, g-tick.
func sumbu(b *svg, vmax int) int {
	step := niceStep(vmax)
	top := step * ((max(vmax, 1) + step - 1) / step)
	for v := 0; v <= top; v += step {
		y := float64(plotY+plotH) - scale(v, top, plotH)
		cls := "g-grid"
		if v == 0 {
			cls = "g-sumbu"
		}
		b.f(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="%s" stroke="currentColor"/>`, plotX, y, plotX+plotW, y, cls)
		b.f(`<text x="%d" y="%.1f" text-anchor="end" class="g-tick">%s</text>`, plotX-6, y+4, Angka(v))
	}
	return top
}

// labelsX writes the category labels under the plot, every k-th one when
// they would overlap.
func labelsX(b *svg, data []Batang, cx func(i int) float64) {
	slot := float64(plotW) / float64(len(data))
	widest := 0
	for _, d := range data {
		widest = max(widest, utf8.RuneCountInString(pendek(d.Label, 12)))
	}
	k := max(1, int(float64(widest*charWidth+6)/slot)+1)
	for i := 0; i < len(data); i += k {
		b.f(`<text x="%.1f" y="%d" text-anchor="middle" class="g-label">%s</text>`, cx(i), plotY+plotH+18, Escape(pendek(data[i].Label, 12)))
	}
}

// plot opens a chart over an ordered axis with its value axis drawn,
// returning the axis maximum, each item's slot width and its centre.
func plot(judul, jenis string, data []Batang) (b *svg, top int, slot float64, cx func(int) float64) {
	b = &svg{}
	open(b, judul, plotTinggi, jenis)
	top = sumbu(b, maxNilai(data))
	slot = float64(plotW) / float64(len(data))
	return b, top, slot, func(i int) float64 { return plotX + slot*(float64(i)+0.5) }
}

// Kolom is a vertical bar chart over an ordered axis such as months
// (registrations per month). Classes: g-1, g-label, g-tick, g-grid, g-sumbu.
func Kolom(judul string, data []Batang) string {
	if len(data) == 0 {
		return kosong(judul, "kolom")
	}
	b, top, slot, cx := plot(judul, "kolom", data)
	gap := min(slot*0.2, 8)
	for i, d := range data {
		h := scale(d.Nilai, top, plotH)
		closeA := link(b, d.Href)
		b.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="g-1"><title>%s: %s</title></rect>`,
			cx(i)-slot/2+gap/2, float64(plotY+plotH)-h, slot-gap, h, Escape(d.Label), Angka(d.Nilai))
		closeA()
	}
	labelsX(b, data, cx)
	b.WriteString(`</svg>`)
	return b.done()
}

// Garis is a line chart over an ordered axis (growth history of a
// business), a dot per point carrying its value and link. Classes: g-garis
// (the line: the stylesheet sets its stroke, and must not fill it), g-1 and
// g-titik (the dots), g-label, g-tick, g-grid, g-sumbu.
func Garis(judul string, data []Batang) string {
	if len(data) == 0 {
		return kosong(judul, "garis")
	}
	b, top, _, cx := plot(judul, "garis", data)
	cy := func(i int) float64 { return float64(plotY+plotH) - scale(data[i].Nilai, top, plotH) }
	b.WriteString(`<path class="g-garis" fill="none" stroke="currentColor" stroke-width="2" d="`)
	for i := range data {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		b.f(`%s%.1f %.1f`, cmd, cx(i), cy(i))
	}
	b.WriteString(`"/>`)
	for i, d := range data {
		closeA := link(b, d.Href)
		b.f(`<circle cx="%.1f" cy="%.1f" r="4" class="g-1 g-titik"><title>%s: %s</title></circle>`, cx(i), cy(i), Escape(d.Label), Angka(d.Nilai))
		closeA()
	}
	labelsX(b, data, cx)
	b.WriteString(`</svg>`)
	return b.done()
}

// BelumAdaTarget is the text of a progress bar without a target.
const BelumAdaTarget = "belum ada target"

// Progres is a progress bar towards a target, the figures after it
// ("1.200 dari 1.500 (80%)"); beyond the target the bar is full and takes
// the class g-tercapai as well. Classes: g-latar (the track), g-1,
// g-tercapai, g-nilai.
func Progres(judul string, capai, target int, href string) string {
	var b svg
	open(&b, judul, 28, "progres")
	if target <= 0 {
		b.f(`<text x="0" y="18" class="g-kosong">%s</text></svg>`, BelumAdaTarget)
		return b.String()
	}
	const barW = 420
	p := Persen(capai, target)
	cls := "g-1"
	if capai >= target {
		cls = "g-1 g-tercapai"
	}
	teks := fmt.Sprintf("%s dari %s (%d%%)", Angka(capai), Angka(target), p)
	closeA := link(&b, href)
	b.f(`<g><title>%s: %s</title><rect x="0" y="4" width="%d" height="18" class="g-latar"/>`, Escape(judul), teks, barW)
	b.f(`<rect x="0" y="4" width="%.1f" height="18" class="%s"/>`, scale(min(capai, target), target, barW), cls)
	b.f(`<text x="%d" y="18" class="g-nilai">%s</text></g>`, barW+10, teks)
	closeA()
	b.WriteString(`</svg>`)
	return b.done()
}
