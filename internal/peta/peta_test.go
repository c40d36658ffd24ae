package peta

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/batas"
)

var offices = []struct{ kode, nama string }{
	{"12.71", "Medan"}, {"32.15", "Karawang"}, {"32.76", "Depok"}, {"36.74", "Tangerang Selatan"},
}

// sample gives every desa/kelurahan a figure but the first, so that q-none
// is drawn too.
func sample(t *testing.T, kabkota string) Data {
	t.Helper()
	w, err := batas.Load(kabkota)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Judul: "UMKM per kelurahan", Nilai: map[string]float64{}, Href: func(kode string) string {
		return "/dasbor/wilayah?kode=" + kode
	}}
	for i, desa := range w.Desa[1:] {
		d.Nilai[desa.Kode] = float64(i*37%500 + 1000)
	}
	return d
}

func parses(t *testing.T, s string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
	}
}

func gzipped(s string) int {
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	z.Write([]byte(s))
	z.Close()
	return b.Len()
}

func TestEveryOffice(t *testing.T) {
	for _, o := range offices {
		t.Run(o.nama, func(t *testing.T) {
			w, err := batas.Load(o.kode)
			if err != nil {
				t.Fatal(err)
			}
			h, err := Gambar(o.kode, sample(t, o.kode))
			if err != nil || !h.Ada {
				t.Fatalf("Gambar: ada %v, %v", h.Ada, err)
			}
			parses(t, h.SVG)
			if strings.Contains(h.SVG, "style=") {
				t.Error("a style= attribute, which the CSP blocks")
			}
			for _, d := range w.Desa {
				if !strings.Contains(h.SVG, `data-kode="`+d.Kode+`" d="M`) {
					t.Errorf("%s %s has no path", d.Kode, d.Nama)
				}
				if !strings.Contains(h.SVG, `<a href="/dasbor/wilayah?kode=`+d.Kode+`"><path`) {
					t.Errorf("%s %s has no link", d.Kode, d.Nama)
				}
			}
			if len(h.Baris) != len(w.Desa) {
				t.Errorf("%d rows for %d desa/kelurahan", len(h.Baris), len(w.Desa))
			}
			if !strings.Contains(h.SVG, Catatan) || !strings.Contains(h.SVG, `class="peta-kecamatan" fill="none"`) {
				t.Error("no note or no kecamatan outlines")
			}
			gz := gzipped(h.SVG)
			t.Logf("%s: %d desa/kelurahan, %d bytes raw, %d gzipped", o.nama, len(w.Desa), len(h.SVG), gz)
			if gz >= 150_000 {
				t.Errorf("%d bytes gzipped, want under 150 KB", gz)
			}
		})
	}
}

func TestHostileText(t *testing.T) {
	w, err := batas.Load("32.76")
	if err != nil {
		t.Fatal(err)
	}
	desa := slices.Clone(w.Desa)
	desa[0].Nama = `<script>alert(1)</script>" onmouseover="x" {{.Secret}}`
	g := build(desa, w.Box)
	d := sample(t, "32.76")
	d.Judul = `</title><script>`
	d.Format = func(float64) string { return `<b>"1"</b>` }
	d.Href = func(kode string) string {
		if kode == desa[1].Kode {
			return "javascript:alert(1)"
		}
		return "/dasbor/wilayah?kode=" + kode + "&a=<'>"
	}
	h := g.draw(d)
	parses(t, h.SVG)
	for _, bad := range []string{"<script", "<b>", `" onmouseover`, "{{", "javascript:", "&a=<"} {
		if strings.Contains(h.SVG, bad) {
			t.Errorf("%q came through unescaped", bad)
		}
	}
	if !strings.Contains(h.SVG, "&lt;script&gt;alert(1)") {
		t.Error("the hostile name was dropped instead of escaped")
	}
}

func TestNoBoundaries(t *testing.T) {
	h, err := Gambar("99.01", Data{Judul: "UMKM", Nilai: map[string]float64{"99.01.02.2001": 3, "99.01.01.2001": 5}})
	if err != nil || h.Ada || h.SVG != "" {
		t.Fatalf("want no map and no error: ada %v, %v", h.Ada, err)
	}
	if Ada("99.01") || !Ada("32.76") {
		t.Error("Ada is wrong")
	}
	if len(h.Baris) != 2 || h.Baris[0].Kode != "99.01.01.2001" || h.Baris[0].Teks != "5" {
		t.Errorf("rows for the table: %+v", h.Baris)
	}
}

func TestSteps(t *testing.T) {
	d := Data{Nilai: map[string]float64{}}
	var rows []Baris
	for i, v := range []float64{0, 0, 0, 1, 2, 3, 5, 8, 13, 21, 1500} {
		kode := "32.76.01.100" + string(rune('a'+i))
		d.Nilai[kode] = v
		rows = append(rows, Baris{Kode: kode})
	}
	g := &geometri{byKode: map[string]int{}}
	for _, r := range rows {
		g.byKode[r.Kode] = len(g.desa)
		g.desa = append(g.desa, desaGeo{kode: r.Kode})
	}
	g.desa = append(g.desa, desaGeo{kode: "32.76.01.2000"}) // no data
	g.byKode["32.76.01.2000"] = len(g.desa) - 1
	got, legend := classify(g, d)
	var labels []string
	for _, t := range legend {
		labels = append(labels, t.Kelas+" "+t.Label)
	}
	want := []string{"q0 0", "q1 1 – 2", "q2 3 – 5", "q3 8 – 13", "q4 21 – 1.500", "q-none " + TidakAdaData}
	if !slices.Equal(labels, want) {
		t.Errorf("legend %q, want %q", labels, want)
	}
	if got[len(got)-2].Kelas != "q4" || got[0].Kelas != "q0" || got[len(got)-1].Kelas != "q-none" {
		t.Errorf("rows: %+v", got)
	}

	// All equal: one step, no empty ones.
	_, legend = classify(nil, Data{Nilai: map[string]float64{"a": 4, "b": 4}})
	if len(legend) != 1 || legend[0].Label != "4" {
		t.Errorf("one value: %+v", legend)
	}

	// Fixed breaks keep their empty steps so maps compare.
	_, legend = classify(nil, Data{Nilai: map[string]float64{"a": 5, "b": 95.5}, Batas: []float64{20, 40, 60, 80}})
	labels = labels[:0]
	for _, t := range legend {
		labels = append(labels, t.Kelas+" "+t.Label)
	}
	want = []string{"q0 5", "q1 20 – 40", "q2 40 – 60", "q3 60 – 80", "q4 95,5"}
	if !slices.Equal(labels, want) {
		t.Errorf("fixed legend %q, want %q", labels, want)
	}
}

func BenchmarkGambarDepok(b *testing.B) {
	d := Data{Judul: "UMKM per kelurahan", Nilai: map[string]float64{}, Href: func(k string) string { return "/dasbor/wilayah?kode=" + k }}
	w, _ := batas.Load("32.76")
	for i, desa := range w.Desa {
		d.Nilai[desa.Kode] = float64(i * 13)
	}
	if _, err := Gambar("32.76", d); err != nil { // the geometry, once
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Gambar("32.76", d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildKarawang(b *testing.B) {
	w, _ := batas.Load("32.15")
	for b.Loop() {
		build(w.Desa, w.Box)
	}
}
