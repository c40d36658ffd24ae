package peta

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/sentra-id/sentra/internal/batas"
	"github.com/sentra-id/sentra/internal/grafik"
)

// The map of a province's offices: each kabupaten/kota that has boundaries
// is the union of its desa/kelurahan, filled by its figure, with the
// outlines between kabupaten/kota drawn over it (the same border finding
// as the kecamatan outlines of an office's map, grouped by kabupaten/kota).
// Data.Nilai and Data.Href are keyed by the kabupaten/kota code ("32.76").

// provinceMaps caches one geometry per set of kabupaten/kota (a province's
// offices change rarely; each set is projected once).
var provinceMaps sync.Map // "32.15,32.76" → func() (*geometri, error)

// Provinsi draws the kabupaten/kota of kabkota (Kemendagri codes) that
// have boundaries; the rows list every code of kabkota (Nama empty, for
// the caller to fill), in code order. Ada is false when none of them has
// boundaries: the page shows the table and a bar chart.
func Provinsi(kabkota []string, nama map[string]string, d Data) (Hasil, error) {
	var drawn []string
	for _, kk := range kabkota {
		if Ada(kk) {
			drawn = append(drawn, kk)
		}
	}
	slices.Sort(drawn)
	if len(drawn) == 0 {
		h := Hasil{}
		h.Baris, h.Legenda = classify(nil, d)
		return h, nil
	}
	key := strings.Join(drawn, ",")
	load, _ := provinceMaps.LoadOrStore(key, sync.OnceValues(func() (*geometri, error) { return buildProvinsi(drawn) }))
	g, err := load.(func() (*geometri, error))()
	if err != nil {
		return Hasil{}, fmt.Errorf("peta provinsi %s: %w", key, err)
	}
	return g.drawProvinsi(drawn, nama, d), nil
}

// buildProvinsi projects the desa/kelurahan of every kabupaten/kota
// together; each desa's group (its "kecamatan") is its kabupaten/kota.
func buildProvinsi(kabkota []string) (*geometri, error) {
	var all []batas.Desa
	box := batas.Box{}
	for i, kk := range kabkota {
		w, err := batas.Load(kk)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			box = w.Box
		} else {
			box = batas.Box{MinLon: min(box.MinLon, w.Box.MinLon), MinLat: min(box.MinLat, w.Box.MinLat),
				MaxLon: max(box.MaxLon, w.Box.MaxLon), MaxLat: max(box.MaxLat, w.Box.MaxLat)}
		}
		for _, ds := range w.Desa {
			ds.Kecamatan = kk
			all = append(all, ds)
		}
	}
	return build(all, box), nil
}

// drawProvinsi writes one path per kabupaten/kota (its desa/kelurahan
// joined: their shared edges vanish under one fill), the outlines, and
// the legend.
func (g *geometri) drawProvinsi(drawn []string, nama map[string]string, d Data) Hasil {
	rows, legend := classify(nil, d)
	byKode := make(map[string]*Baris, len(rows))
	for i := range rows {
		byKode[rows[i].Kode] = &rows[i]
	}
	paths := map[string]*strings.Builder{}
	for _, dg := range g.desa {
		b := paths[dg.kecamatan]
		if b == nil {
			b = &strings.Builder{}
			paths[dg.kecamatan] = b
		}
		b.WriteString(dg.d)
	}
	const top, fontSize = 40, 14
	items, tinggi := g.legendLayout(legend, top)
	var b strings.Builder
	judul := grafik.Escape(d.Judul)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" class="peta" font-size="%d"><title>%s</title>`,
		lebar, tinggi, judul, fontSize, judul)
	fmt.Fprintf(&b, `<text x="%d" y="26" font-size="20" class="peta-judul">%s</text>`, margin, judul)
	fmt.Fprintf(&b, `<g transform="translate(0 %d)"><g class="peta-desa peta-kabkota" fill-rule="evenodd" stroke-linejoin="round">`, top)
	for _, kk := range drawn {
		kelas, teks := "q-none", TidakAdaData
		if r := byKode[kk]; r != nil {
			kelas, teks = r.Kelas, r.Teks
		}
		href := ""
		if d.Href != nil {
			href = grafik.SafeHref(d.Href(kk))
		}
		if href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, href)
		}
		fmt.Fprintf(&b, `<path class="%s" data-kode="%s" d="%s"><title>%s: %s</title></path>`,
			kelas, grafik.Escape(kk), paths[kk].String(), grafik.Escape(nama[kk]), grafik.Escape(teks))
		if href != "" {
			b.WriteString(`</a>`)
		}
	}
	fmt.Fprintf(&b, `</g><path class="peta-kecamatan" fill="none" stroke-linejoin="round" d="%s"/></g>`, g.kecamatan)
	g.writeLegend(&b, legend, items, tinggi)
	return Hasil{Ada: true, SVG: grafik.Linked(b.String()), Baris: rows, Legenda: legend}
}
