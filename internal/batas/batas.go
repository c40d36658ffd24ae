// Package batas is the desa/kelurahan boundaries of the offices that have
// them (data/, see its SOURCE.md): which desa/kelurahan a point lies in,
// whether it lies in the office at all, how far it is from a boundary, and
// the outlines for drawing maps. The boundaries are indicative: a check
// against them allows for their imprecision with a tolerance in metres.
//
// Points are WGS84 longitude/latitude, in GeoJSON's order. Lookups are
// planar (ray casting on degrees), which at the scale of a kota is exact
// enough; distances use a local equirectangular projection.
package batas

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"sync"
)

//go:embed data/*.geojson
var files embed.FS

// Point is a longitude/latitude pair.
type Point struct{ Lon, Lat float64 }

// Box is a bounding box.
type Box struct{ MinLon, MinLat, MaxLon, MaxLat float64 }

// Contains says whether p lies in b (edges included).
func (b Box) Contains(p Point) bool {
	return p.Lon >= b.MinLon && p.Lon <= b.MaxLon && p.Lat >= b.MinLat && p.Lat <= b.MaxLat
}

// Grow is b widened by m metres on every side.
func (b Box) Grow(m float64) Box {
	dLat := m / metresPerDegLat
	dLon := m / (metresPerDegLat * math.Cos(math.Max(math.Abs(b.MinLat), math.Abs(b.MaxLat))*math.Pi/180))
	return Box{b.MinLon - dLon, b.MinLat - dLat, b.MaxLon + dLon, b.MaxLat + dLat}
}

func (b Box) extend(o Box) Box {
	return Box{math.Min(b.MinLon, o.MinLon), math.Min(b.MinLat, o.MinLat), math.Max(b.MaxLon, o.MaxLon), math.Max(b.MaxLat, o.MaxLat)}
}

func emptyBox() Box { return Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

// Ring is a closed line of points (the last repeats the first).
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// Desa is one desa/kelurahan with its outline: one or more polygons.
type Desa struct {
	Kode      string // Kemendagri code, PP.KK.CC.NNNN
	Nama      string
	Kecamatan string // the kecamatan's code
	Bentuk    []Polygon
	Box       Box
	boxes     []Box // each polygon's
}

// Contains says whether p lies inside d (in a polygon and not in its holes).
func (d *Desa) Contains(p Point) bool {
	if !d.Box.Contains(p) {
		return false
	}
	for i, poly := range d.Bentuk {
		if d.boxes[i].Contains(p) && poly.contains(p) {
			return true
		}
	}
	return false
}

// contains is even-odd ray casting over all the polygon's rings, so a point
// in a hole is outside.
func (poly Polygon) contains(p Point) bool {
	in := false
	for _, r := range poly {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
				in = !in
			}
		}
	}
	return in
}

const metresPerDegLat = 110_574.0 // near the equator; Indonesia spans 11° S to 6° N

// Distance is how far p lies from d in metres: 0 inside, else the distance to
// its nearest edge.
func (d *Desa) Distance(p Point) float64 {
	if d.Contains(p) {
		return 0
	}
	kx := metresPerDegLat * math.Cos(p.Lat*math.Pi/180) // metres per degree of longitude here
	best := math.Inf(1)
	for _, poly := range d.Bentuk {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				ax, ay := (r[i-1].Lon-p.Lon)*kx, (r[i-1].Lat-p.Lat)*metresPerDegLat
				bx, by := (r[i].Lon-p.Lon)*kx, (r[i].Lat-p.Lat)*metresPerDegLat
				best = math.Min(best, segmentDistance(ax, ay, bx, by))
			}
		}
	}
	return best
}

// segmentDistance is the distance from the origin to the segment a–b.
func segmentDistance(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}

// Wilayah is the desa/kelurahan of one kabupaten/kota.
type Wilayah struct {
	KabKota string // Kemendagri code, PP.KK
	Desa    []Desa
	Box     Box
	byKode  map[string]int
}

// ByKode finds a desa/kelurahan by its Kemendagri code.
func (w *Wilayah) ByKode(kode string) (*Desa, bool) {
	i, ok := w.byKode[kode]
	if !ok {
		return nil, false
	}
	return &w.Desa[i], true
}

// Locate finds the desa/kelurahan that contains p.
func (w *Wilayah) Locate(p Point) (*Desa, bool) {
	if !w.Box.Contains(p) {
		return nil, false
	}
	for i := range w.Desa {
		if w.Desa[i].Contains(p) {
			return &w.Desa[i], true
		}
	}
	return nil, false
}

// Nearest finds the desa/kelurahan nearest to p if one lies within m metres
// (the one containing p, at distance 0, if any).
func (w *Wilayah) Nearest(p Point, m float64) (*Desa, float64, bool) {
	if d, ok := w.Locate(p); ok {
		return d, 0, true
	}
	if !w.Box.Grow(m).Contains(p) {
		return nil, 0, false
	}
	var (
		best  *Desa
		bestD = math.Inf(1)
	)
	for i := range w.Desa {
		d := &w.Desa[i]
		if !d.Box.Grow(m).Contains(p) {
			continue
		}
		if dist := d.Distance(p); dist < bestD {
			best, bestD = d, dist
		}
	}
	if best == nil || bestD > m {
		return nil, 0, false
	}
	return best, bestD, true
}

// ErrTidakAda is Load's answer for a kabupaten/kota without boundary data.
var ErrTidakAda = errors.New("batas: no boundaries for this kabupaten/kota")

var loaders = func() map[string]func() (*Wilayah, error) {
	m := map[string]func() (*Wilayah, error){}
	names, _ := fs.Glob(files, "data/desa_kelurahan_*.geojson") // the pattern is valid
	for _, name := range names {
		kk := strings.TrimSuffix(strings.TrimPrefix(name, "data/desa_kelurahan_"), ".geojson")
		m[kk] = sync.OnceValues(func() (*Wilayah, error) {
			b, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			return parse(kk, b)
		})
	}
	return m
}()

// Load returns the boundaries of kabupaten/kota kabkota (Kemendagri code,
// "32.76"), read once; ErrTidakAda when there are none.
func Load(kabkota string) (*Wilayah, error) {
	l, ok := loaders[kabkota]
	if !ok {
		return nil, ErrTidakAda
	}
	return l()
}

// KabKota lists the kabupaten/kota that have boundaries.
func KabKota() []string {
	out := make([]string, 0, len(loaders))
	for kk := range loaders {
		out = append(out, kk)
	}
	return out
}

type featureCollection struct {
	Type     string `json:"type"`
	Features []struct {
		Properties struct {
			Kode      string `json:"kode"`
			Nama      string `json:"nama"`
			Kecamatan string `json:"kecamatan"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func parse(kabkota string, b []byte) (*Wilayah, error) {
	var fc featureCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("batas %s: %w", kabkota, err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("batas %s: type %q, want FeatureCollection", kabkota, fc.Type)
	}
	w := &Wilayah{KabKota: kabkota, Box: emptyBox(), byKode: map[string]int{}}
	for _, f := range fc.Features {
		d := Desa{Kode: f.Properties.Kode, Nama: f.Properties.Nama, Kecamatan: f.Properties.Kecamatan, Box: emptyBox()}
		if !strings.HasPrefix(d.Kode, kabkota+".") || !strings.HasPrefix(d.Kode, d.Kecamatan+".") {
			return nil, fmt.Errorf("batas %s: desa %q of kecamatan %q is not in it", kabkota, d.Kode, d.Kecamatan)
		}
		if _, dup := w.byKode[d.Kode]; dup {
			return nil, fmt.Errorf("batas %s: desa %s twice", kabkota, d.Kode)
		}
		var coords [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("batas %s: desa %s: %w", kabkota, d.Kode, err)
			}
			coords = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &coords); err != nil {
				return nil, fmt.Errorf("batas %s: desa %s: %w", kabkota, d.Kode, err)
			}
		default:
			return nil, fmt.Errorf("batas %s: desa %s: geometry %q", kabkota, d.Kode, f.Geometry.Type)
		}
		for _, pc := range coords {
			poly := make(Polygon, 0, len(pc))
			box := emptyBox()
			for _, rc := range pc {
				if len(rc) < 4 || rc[0] != rc[len(rc)-1] {
					return nil, fmt.Errorf("batas %s: desa %s: a ring of %d points that is not closed", kabkota, d.Kode, len(rc))
				}
				r := make(Ring, len(rc))
				for i, c := range rc {
					r[i] = Point{Lon: c[0], Lat: c[1]}
					box = box.extend(Box{c[0], c[1], c[0], c[1]})
				}
				poly = append(poly, r)
			}
			if len(poly) == 0 {
				return nil, fmt.Errorf("batas %s: desa %s: an empty polygon", kabkota, d.Kode)
			}
			d.Bentuk = append(d.Bentuk, poly)
			d.boxes = append(d.boxes, box)
			d.Box = d.Box.extend(box)
		}
		if len(d.Bentuk) == 0 {
			return nil, fmt.Errorf("batas %s: desa %s has no outline", kabkota, d.Kode)
		}
		w.byKode[d.Kode] = len(w.Desa)
		w.Desa = append(w.Desa, d)
		w.Box = w.Box.extend(d.Box)
	}
	if len(w.Desa) == 0 {
		return nil, fmt.Errorf("batas %s: no desa/kelurahan", kabkota)
	}
	return w, nil
}

// Titik is a point inside d where a map may put its label: the middle of the
// widest inside span of nine horizontal lines across d's largest polygon
// (its box's area), checked to be inside (not in a hole).
func (d *Desa) Titik() Point {
	best, bestArea := 0, -1.0
	for i, b := range d.boxes {
		if a := (b.MaxLon - b.MinLon) * (b.MaxLat - b.MinLat); a > bestArea {
			best, bestArea = i, a
		}
	}
	b, poly := d.boxes[best], d.Bentuk[best]
	var (
		p     Point
		width = -1.0
	)
	for f := 0.1; f < 0.95; f += 0.1 {
		lat := b.MinLat + f*(b.MaxLat-b.MinLat)
		var xs []float64
		for _, r := range poly {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				if (r[i].Lat > lat) != (r[j].Lat > lat) {
					xs = append(xs, (r[j].Lon-r[i].Lon)*(lat-r[i].Lat)/(r[j].Lat-r[i].Lat)+r[i].Lon)
				}
			}
		}
		slices.Sort(xs)
		for i := 0; i+1 < len(xs); i += 2 { // even-odd: spans [0,1], [2,3], … are inside
			if w := xs[i+1] - xs[i]; w > width {
				p, width = Point{(xs[i] + xs[i+1]) / 2, lat}, w
			}
		}
	}
	return p
}
