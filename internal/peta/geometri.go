package peta

import (
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/sentra-id/sentra/internal/batas"
)

// lebar is the map's width in viewBox units: about a screen pixel, so
// rounding to whole units and simplifying to half a unit lose nothing a
// reader can see.
const (
	lebar   = 1000
	margin  = 4
	epsilon = 0.5 // Douglas–Peucker tolerance, in units
	// near is how close (in units) two desa/kelurahan outlines must run to
	// count as sharing a border: the source's neighbours do not share
	// their vertices exactly, so edges cannot be matched one to one.
	near = 1.5
)

type pt struct{ x, y float64 }

type ipt struct{ x, y int }

// desaGeo is one desa/kelurahan ready to draw.
type desaGeo struct {
	kode, nama, kecamatan string
	d                     string // the path data
	rings                 [][]ipt
	min, max              ipt
}

// geometri is an office's map, projected and simplified once.
type geometri struct {
	tinggi    int
	desa      []desaGeo
	byKode    map[string]int
	kecamatan string // path data of the kecamatan outlines
}

var cache = func() map[string]func() (*geometri, error) {
	m := map[string]func() (*geometri, error){}
	for _, kk := range batas.KabKota() {
		m[kk] = sync.OnceValues(func() (*geometri, error) {
			w, err := batas.Load(kk)
			if err != nil {
				return nil, err
			}
			return build(w.Desa, w.Box), nil
		})
	}
	return m
}()

// build projects (equirectangular, longitude scaled by the cosine of the
// middle latitude), simplifies and rounds every outline, and finds the
// kecamatan borders.
func build(desa []batas.Desa, box batas.Box) *geometri {
	k := math.Cos((box.MinLat + box.MaxLat) / 2 * math.Pi / 180)
	s := (lebar - 2*margin) / ((box.MaxLon - box.MinLon) * k)
	g := &geometri{
		tinggi: int(math.Ceil((box.MaxLat-box.MinLat)*s)) + 2*margin,
		byKode: make(map[string]int, len(desa)),
	}
	project := func(p batas.Point) pt {
		return pt{margin + (p.Lon-box.MinLon)*k*s, margin + (box.MaxLat-p.Lat)*s}
	}
	for _, d := range desa {
		dg := desaGeo{kode: d.Kode, nama: d.Nama, kecamatan: d.Kecamatan}
		var fine []batas.Ring // outer rings, kept for a desa too small to survive rounding
		for _, poly := range d.Bentuk {
			fine = append(fine, poly[0])
			for _, r := range poly {
				ps := make([]pt, len(r))
				for i, p := range r {
					ps[i] = project(p)
				}
				if ir := round(simplify(ps)); len(ir) >= 4 {
					dg.rings = append(dg.rings, ir)
				}
			}
		}
		var b strings.Builder
		if len(dg.rings) == 0 {
			// Smaller than a few units: drawn unsimplified at a tenth of a
			// unit so that it still has a path to hover and click.
			for _, r := range fine {
				for i, p := range r[:len(r)-1] {
					q := project(p)
					cmd := "L"
					if i == 0 {
						cmd = "M"
					}
					b.WriteString(cmd + strconv.FormatFloat(q.x, 'f', 1, 64) + " " + strconv.FormatFloat(q.y, 'f', 1, 64))
				}
				b.WriteByte('z')
			}
		}
		for _, r := range dg.rings {
			writeRing(&b, r)
		}
		dg.d = b.String()
		dg.min, dg.max = ipt{math.MaxInt, math.MaxInt}, ipt{math.MinInt, math.MinInt}
		for _, r := range dg.rings {
			for _, p := range r {
				dg.min = ipt{min(dg.min.x, p.x), min(dg.min.y, p.y)}
				dg.max = ipt{max(dg.max.x, p.x), max(dg.max.y, p.y)}
			}
		}
		g.byKode[dg.kode] = len(g.desa)
		g.desa = append(g.desa, dg)
	}
	g.kecamatan = g.borders()
	return g
}

// simplify is Douglas–Peucker over a closed ring (first point = last).
func simplify(ps []pt) []pt {
	keep := make([]bool, len(ps))
	keep[0], keep[len(ps)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		best, at := -1.0, -1
		for m := i + 1; m < j; m++ {
			if d := segDist(ps[m], ps[i], ps[j]); d > best {
				best, at = d, m
			}
		}
		if at >= 0 && best > epsilon {
			keep[at] = true
			rec(i, at)
			rec(at, j)
		}
	}
	rec(0, len(ps)-1)
	out := make([]pt, 0, len(ps)/4)
	for i, p := range ps {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segDist is the distance from p to the segment a–b.
func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	}
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// round snaps a ring to whole units and drops the points that fall on
// their predecessor or on a straight line through their neighbours.
func round(ps []pt) []ipt {
	out := make([]ipt, 0, len(ps))
	for _, p := range ps {
		q := ipt{int(math.Round(p.x)), int(math.Round(p.y))}
		if n := len(out); n > 0 && out[n-1] == q {
			continue
		}
		if n := len(out); n >= 2 {
			a, b := out[n-2], out[n-1]
			if (b.x-a.x)*(q.y-a.y) == (b.y-a.y)*(q.x-a.x) {
				out[n-1] = q
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

// writeRing writes r as an absolute move and relative lines, the shortest
// text for paths whose steps are a few units long.
func writeRing(b *strings.Builder, r []ipt) {
	b.WriteString("M" + strconv.Itoa(r[0].x) + " " + strconv.Itoa(r[0].y) + "l")
	nums := make([]int, 0, 2*len(r))
	for i := 1; i < len(r)-1; i++ { // the last point repeats the first: z closes
		nums = append(nums, r[i].x-r[i-1].x, r[i].y-r[i-1].y)
	}
	writeNums(b, nums)
	b.WriteByte('z')
}

// writeNums writes numbers separated by a space, or by nothing before a
// minus sign.
func writeNums(b *strings.Builder, nums []int) {
	for i, n := range nums {
		if i > 0 && n >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(n))
	}
}

// borders is the path data of the kecamatan outlines: the edges of each
// desa/kelurahan that run along no other desa/kelurahan of its kecamatan
// (the outside, or a neighbouring kecamatan). A border between two
// kecamatan is drawn from one side only, the one of the lower code.
func (g *geometri) borders() string {
	var b strings.Builder
	for i := range g.desa {
		d := &g.desa[i]
		for _, r := range d.rings {
			open := false // whether the last edge was drawn, so the next continues it
			var run []int
			flush := func() {
				writeNums(&b, run)
				run = run[:0]
			}
			for j := 1; j < len(r); j++ {
				a, c := r[j-1], r[j]
				if !g.border(i, pt{float64(a.x+c.x) / 2, float64(a.y+c.y) / 2}) {
					open = false
					continue
				}
				if !open {
					flush()
					b.WriteString("M" + strconv.Itoa(a.x) + " " + strconv.Itoa(a.y) + "l")
					open = true
				}
				run = append(run, c.x-a.x, c.y-a.y)
			}
			flush()
		}
	}
	return b.String()
}

// border says whether the edge of desa i through m is drawn as a kecamatan
// border.
func (g *geometri) border(i int, m pt) bool {
	own := g.desa[i].kecamatan
	draw := true
	for j := range g.desa {
		o := &g.desa[j]
		if j == i || m.x < float64(o.min.x)-near || m.x > float64(o.max.x)+near ||
			m.y < float64(o.min.y)-near || m.y > float64(o.max.y)+near || !o.runsNear(m) {
			continue
		}
		if o.kecamatan == own {
			return false
		}
		if o.kecamatan < own {
			draw = false
		}
	}
	return draw
}

func (d *desaGeo) runsNear(m pt) bool {
	for _, r := range d.rings {
		for k := 1; k < len(r); k++ {
			a, b := pt{float64(r[k-1].x), float64(r[k-1].y)}, pt{float64(r[k].x), float64(r[k].y)}
			if segDist(m, a, b) <= near {
				return true
			}
		}
	}
	return false
}
