package batas

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLoadTheFourOffices: every office's file reads, with one outline per
// desa/kelurahan of its region list (data/SOURCE.md), each inside the
// kabupaten/kota's box.
func TestLoadTheFourOffices(t *testing.T) {
	for kk, want := range map[string]int{"32.76": 63, "32.15": 309, "36.74": 54, "12.71": 151} {
		w, err := Load(kk)
		if err != nil {
			t.Fatalf("%s: %v", kk, err)
		}
		if len(w.Desa) != want || w.KabKota != kk {
			t.Errorf("%s: %d desa/kelurahan, want %d", kk, len(w.Desa), want)
		}
		for _, d := range w.Desa {
			if got, ok := w.ByKode(d.Kode); !ok || got.Nama != d.Nama {
				t.Errorf("%s: ByKode(%s) = %v, %v", kk, d.Kode, got, ok)
			}
			if d.Box.MinLon < w.Box.MinLon || d.Box.MaxLat > w.Box.MaxLat {
				t.Errorf("%s: %s's box %+v is outside the kabupaten/kota's %+v", kk, d.Kode, d.Box, w.Box)
			}
		}
	}
	if len(KabKota()) != 4 {
		t.Errorf("KabKota() = %v, want the four offices", KabKota())
	}
	if _, err := Load("31.71"); !errors.Is(err, ErrTidakAda) {
		t.Errorf("Load(31.71) = %v, want ErrTidakAda", err)
	}
}

// interiors are points inside d: the middle of the first span inside the
// outer ring of horizontal lines across each polygon's box.
func interiors(d *Desa) []Point {
	var out []Point
	for k, poly := range d.Bentuk {
		out = append(out, spans(d, poly[0], d.boxes[k])...)
	}
	return out
}

func spans(d *Desa, outer Ring, b Box) []Point {
	var out []Point
	for f := 0.05; f < 1; f += 0.05 {
		lat := b.MinLat + f*(b.MaxLat-b.MinLat)
		var xs []float64
		for i, j := 0, len(outer)-1; i < len(outer); j, i = i, i+1 {
			a, c := outer[i], outer[j]
			if (a.Lat > lat) != (c.Lat > lat) {
				xs = append(xs, (c.Lon-a.Lon)*(lat-a.Lat)/(c.Lat-a.Lat)+a.Lon)
			}
		}
		lo, hi := math.Inf(1), math.Inf(1)
		for _, x := range xs { // the two westmost crossings bound a span inside
			if x < lo {
				lo, hi = x, lo
			} else if x < hi {
				hi = x
			}
		}
		if p := (Point{(lo + hi) / 2, lat}); len(xs) >= 2 && d.Contains(p) {
			out = append(out, p)
		}
	}
	return out
}

// TestEveryDesaLocatesItself: each desa/kelurahan has points that are found
// in it and in no other, 0 m from it. Neighbours overlap in slivers along
// their shared boundary (the source's imprecision), so a point there may be
// in two; Locate then answers one that contains it.
func TestEveryDesaLocatesItself(t *testing.T) {
	for _, kk := range KabKota() {
		w, err := Load(kk)
		if err != nil {
			t.Fatal(err)
		}
		for i := range w.Desa {
			d := &w.Desa[i]
			alone := 0
			for _, p := range interiors(d) {
				got, ok := w.Locate(p)
				if !ok || !got.Contains(p) {
					t.Fatalf("%s: a point inside %s (%s) is located in %v, %v", kk, d.Kode, d.Nama, got, ok)
				}
				if dist := d.Distance(p); dist != 0 {
					t.Errorf("%s: %s is %.0f m from a point inside it", kk, d.Kode, dist)
				}
				if got.Kode == d.Kode {
					alone++
					for j := range w.Desa {
						if j != i && w.Desa[j].Contains(p) {
							alone--
							break
						}
					}
				}
			}
			if p := d.Titik(); !d.Contains(p) {
				t.Errorf("%s: the label point of %s (%s) is not inside it", kk, d.Kode, d.Nama)
			}
			if alone < 3 {
				t.Errorf("%s: only %d sampled points are in %s (%s) and in no other desa/kelurahan", kk, alone, d.Kode, d.Nama)
			}
		}
	}
}

// TestPointsOutsideTheOffices: other cities, swapped coordinates, 0,0.
func TestPointsOutsideTheOffices(t *testing.T) {
	depok, err := Load("32.76")
	if err != nil {
		t.Fatal(err)
	}
	medan, err := Load("12.71")
	if err != nil {
		t.Fatal(err)
	}
	inDepok := interiors(&depok.Desa[0])[0]
	for name, c := range map[string]struct {
		w *Wilayah
		p Point
	}{
		"a Depok point in Medan":   {medan, inDepok},
		"Monas (Jakarta) in Depok": {depok, Point{106.8272, -6.1754}},
		"swapped":                  {depok, Point{inDepok.Lat, inDepok.Lon}},
		"zero":                     {depok, Point{0, 0}},
		"NaN":                      {depok, Point{math.NaN(), math.NaN()}},
	} {
		if d, ok := c.w.Locate(c.p); ok {
			t.Errorf("%s: located in %s", name, d.Kode)
		}
		if d, _, ok := c.w.Nearest(c.p, 100); ok {
			t.Errorf("%s: within 100 m of %s", name, d.Kode)
		}
	}
}

// square is a desa of one polygon: a 0.01° square at the equator with a
// 0.002° hole in its middle, and a second square to its east.
func square() *Wilayah {
	ring := func(x0, y0, x1, y1 float64) Ring {
		return Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	d := Desa{Kode: "99.01.01.1001", Nama: "Kotak", Kecamatan: "99.01.01",
		Bentuk: []Polygon{{ring(0, 0, 0.01, 0.01), ring(0.004, 0.004, 0.006, 0.006)}, {ring(0.02, 0, 0.03, 0.01)}}}
	d.Box = emptyBox()
	for _, poly := range d.Bentuk {
		b := emptyBox()
		for _, p := range poly[0] {
			b = b.extend(Box{p.Lon, p.Lat, p.Lon, p.Lat})
		}
		d.boxes = append(d.boxes, b)
		d.Box = d.Box.extend(b)
	}
	return &Wilayah{KabKota: "99.01", Desa: []Desa{d}, Box: d.Box, byKode: map[string]int{d.Kode: 0}}
}

func TestContainsHolesAndParts(t *testing.T) {
	w := square()
	d := &w.Desa[0]
	for _, c := range []struct {
		name string
		p    Point
		in   bool
		dist float64 // metres, ±1
	}{
		{"inside", Point{0.002, 0.002}, true, 0},
		{"in the hole", Point{0.005, 0.005}, false, 111},
		{"in the second part", Point{0.025, 0.005}, true, 0},
		{"between the parts", Point{0.015, 0.005}, false, 553},
		{"east of all", Point{0.031, 0.005}, false, 111},
		{"south-west corner, off", Point{-0.001, -0.001}, false, 156},
	} {
		if got := d.Contains(c.p); got != c.in {
			t.Errorf("%s: Contains = %v, want %v", c.name, got, c.in)
		}
		if got := d.Distance(c.p); math.Abs(got-c.dist) > 1 {
			t.Errorf("%s: Distance = %.1f m, want %.0f", c.name, got, c.dist)
		}
		_, dist, near := w.Nearest(c.p, 120)
		if wantNear := c.dist <= 120; near != wantNear || (near && math.Abs(dist-c.dist) > 1) {
			t.Errorf("%s: Nearest within 120 m = %.1f, %v; want %v", c.name, dist, near, wantNear)
		}
	}
}

func TestParseRefusesBrokenFiles(t *testing.T) {
	poly := `{"type":"Polygon","coordinates":[[[106.8,-6.4],[106.81,-6.4],[106.81,-6.39],[106.8,-6.4]]]}`
	feature := func(kode, kec, geom string) string {
		return `{"type":"Feature","properties":{"kode":"` + kode + `","nama":"X","kecamatan":"` + kec + `"},"geometry":` + geom + `}`
	}
	fc := func(fs ...string) []byte {
		s := `{"type":"FeatureCollection","features":[`
		for i, f := range fs {
			if i > 0 {
				s += ","
			}
			s += f
		}
		return []byte(s + "]}")
	}
	if _, err := parse("32.76", fc(feature("32.76.01.1001", "32.76.01", poly))); err != nil {
		t.Fatalf("a good file: %v", err)
	}
	for name, b := range map[string][]byte{
		"not json":        []byte("{"),
		"not a FC":        []byte(`{"type":"Feature"}`),
		"empty":           fc(),
		"other kab/kota":  fc(feature("32.15.01.1001", "32.15.01", poly)),
		"other kecamatan": fc(feature("32.76.01.1001", "32.76.02", poly)),
		"twice":           fc(feature("32.76.01.1001", "32.76.01", poly), feature("32.76.01.1001", "32.76.01", poly)),
		"a point":         fc(feature("32.76.01.1001", "32.76.01", `{"type":"Point","coordinates":[106.8,-6.4]}`)),
		"open ring":       fc(feature("32.76.01.1001", "32.76.01", `{"type":"Polygon","coordinates":[[[106.8,-6.4],[106.81,-6.4],[106.81,-6.39],[106.8,-6.3]]]}`)),
		"no polygons":     fc(feature("32.76.01.1001", "32.76.01", `{"type":"MultiPolygon","coordinates":[]}`)),
	} {
		if w, err := parse("32.76", b); err == nil {
			t.Errorf("%s: parsed into %d desa", name, len(w.Desa))
		}
	}
}

// BenchmarkLocate is the import's cost per row with coordinates in the
// largest office (Karawang, 309 desa): the row's own desa first (the common
// case), and a search of all of them (a point in another desa).
func BenchmarkLocate(b *testing.B) {
	w, err := Load("32.15")
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	pts := make([]Point, 1024)
	for i := range pts {
		pts[i] = Point{w.Box.MinLon + r.Float64()*(w.Box.MaxLon-w.Box.MinLon), w.Box.MinLat + r.Float64()*(w.Box.MaxLat-w.Box.MinLat)}
	}
	own := make([]*Desa, len(pts))
	for i, p := range pts {
		if d, ok := w.Locate(p); ok {
			own[i] = d
		} else {
			own[i] = &w.Desa[i%len(w.Desa)]
		}
	}
	b.Run("own desa", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			own[i%len(pts)].Contains(pts[i%len(pts)])
		}
	})
	b.Run("search", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			w.Locate(pts[i%len(pts)])
		}
	})
	b.Run("outside, nearest within 100 m", func(b *testing.B) {
		p := Point{w.Box.MinLon - 0.0005, (w.Box.MinLat + w.Box.MaxLat) / 2}
		for b.Loop() {
			w.Nearest(p, 100)
		}
	})
}
