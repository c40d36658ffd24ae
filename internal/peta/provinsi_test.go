package peta

import (
	"strings"
	"testing"
	"time"
)

// TestProvinsiDrawsEachOfficeAsOneShape: one linked path per kabupaten/kota
// with boundaries, coloured by its figure; an office without boundaries
// is a row only; the geometry is built once.
func TestProvinsiDrawsEachOfficeAsOneShape(t *testing.T) {
	nama := map[string]string{"32.15": "Kabupaten Karawang", "32.76": "Kota Depok", "32.99": "Kota <Contoh>"}
	d := Data{Judul: "UMKM per kabupaten/kota", Nilai: map[string]float64{"32.15": 10, "32.76": 60, "32.99": 5},
		Href: func(kk string) string { return "/p/32/dasbor/" + kk }}
	start := time.Now()
	h, err := Provinsi([]string{"32.76", "32.99", "32.15"}, nama, d)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	if !h.Ada {
		t.Fatal("no map, though Depok and Karawang have boundaries")
	}
	parses(t, h.SVG)
	if n := strings.Count(h.SVG, `<path class="q`); n != 2 {
		t.Errorf("%d filled paths, want 2 (one per office with boundaries)", n)
	}
	for _, want := range []string{`href="/p/32/dasbor/32.76"`, `data-kode="32.15"`, "<title>Kota Depok: 60</title>", `class="peta-kecamatan"`} {
		if !strings.Contains(h.SVG, want) {
			t.Errorf("map lacks %s", want)
		}
	}
	if strings.Contains(h.SVG, "32.99") || strings.Contains(h.SVG, "<Contoh>") {
		t.Error("an office without boundaries is drawn")
	}
	if len(h.Baris) != 3 || h.Baris[2].Kode != "32.99" || h.Baris[2].Teks != "5" {
		t.Errorf("rows %+v, want the three offices in code order", h.Baris)
	}
	start = time.Now()
	if _, err := Provinsi([]string{"32.15", "32.76", "32.99"}, nama, d); err != nil {
		t.Fatal(err)
	}
	if again := time.Since(start); again > first/4 && again > 20*time.Millisecond {
		t.Errorf("second map took %v (first %v): the geometry is not cached", again, first)
	}

	none, err := Provinsi([]string{"32.99"}, nama, d)
	if err != nil || none.Ada || none.SVG != "" || len(none.Baris) != 3 {
		t.Errorf("only offices without boundaries: %+v, %v; want no map and the rows", none, err)
	}
}

// TestHiddenCellsReadAlike: hidden codes are one class and one word,
// whatever figure they had, and shape no step of the legend.
func TestHiddenCellsReadAlike(t *testing.T) {
	d := sample(t, "32.76")
	var hidden []string
	for kode := range d.Nilai {
		if len(hidden) < 3 {
			hidden = append(hidden, kode)
		}
	}
	d.Sembunyi = map[string]bool{hidden[0]: true, hidden[1]: true, hidden[2]: true, "32.76.99.9999": true}
	d.Nilai[hidden[0]] = 1e9 // would be a step of its own if it counted
	h, err := Gambar("32.76", d)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range h.Baris {
		if d.Sembunyi[r.Kode] {
			n++
			if r.Kelas != "q-sembunyi" || r.Teks != Disembunyikan {
				t.Errorf("hidden %s: %s %q", r.Kode, r.Kelas, r.Teks)
			}
		} else if r.Teks == Disembunyikan {
			t.Errorf("%s reads %q but is not hidden", r.Kode, r.Teks)
		}
	}
	if n != 4 {
		t.Errorf("%d hidden rows, want 4 (with the code the map lacks)", n)
	}
	var found bool
	for _, l := range h.Legenda {
		if l.Kelas == "q-sembunyi" {
			found = l.Jumlah == 4 && l.Label == Disembunyikan
		} else if strings.Contains(l.Label, "1.000.000.000") {
			t.Errorf("legend step %q holds the hidden figure", l.Label)
		}
	}
	if !found {
		t.Errorf("legend %+v lacks the hidden entry", h.Legenda)
	}
	if strings.Count(h.SVG, `class="q-sembunyi"`) != 4 { // 3 paths and the legend's box
		t.Errorf("%d q-sembunyi in the SVG, want 4", strings.Count(h.SVG, `class="q-sembunyi"`))
	}
}
