package grafik

import (
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// parses fails t unless s is well-formed XML.
func parses(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, s)
		}
	}
}

func charts(label, href string) map[string]string {
	bars := []Batang{{label, 1500000, href}, {"Kecil", 320, ""}, {"Menengah", 0, ""}}
	return map[string]string{
		"mendatar": Mendatar("Sektor "+label, bars),
		"bertumpuk": Bertumpuk("Skala "+label, []string{"mikro", label, "menengah"}, []Baris{
			{label, []Ruas{{1200, href}, {250, ""}, {50, ""}}},
			{"dihitung", []Ruas{{1000, ""}, {450, ""}, {50, href}}},
		}),
		"kolom":   Kolom("Registrasi "+label, bars),
		"garis":   Garis("Omzet "+label, bars),
		"progres": Progres("Target "+label, 1200, 1500, href),
	}
}

func TestGolden(t *testing.T) {
	for name, got := range charts("Mikro", "/umkm?skala=mikro&kecamatan=32.76.01") {
		t.Run(name, func(t *testing.T) {
			parses(t, got)
			path := filepath.Join("testdata", name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", path, got)
			}
		})
	}
}

func TestHostileLabels(t *testing.T) {
	const hostile = `<script>alert(1)</script>"' onload="x" {{.Secret}}`
	for name, got := range charts(hostile, `javascript:alert(1)`) {
		parses(t, got)
		for _, bad := range []string{"<script", `"'`, `onload="`, "{{", "javascript:"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: %q came through unescaped:\n%s", name, bad, got)
			}
		}
		if !strings.Contains(got, "&lt;script&gt;") {
			t.Errorf("%s: the label was dropped instead of escaped", name)
		}
	}
}

func TestNoStyleAttribute(t *testing.T) {
	for name, got := range charts("Mikro", "/umkm") {
		if strings.Contains(got, "style=") {
			t.Errorf("%s: a style= attribute, which the CSP blocks", name)
		}
		// Linked charts are groups of links (an image's children are
		// presentational: a screen reader would not reach them).
		if !strings.Contains(got, `role="group"`) || !strings.Contains(got, `aria-label="`) || !strings.Contains(got, "<title>") {
			t.Errorf("%s: not named for screen readers, or its links hidden in an image", name)
		}
		if unlinked := Mendatar("Sektor", []Batang{{Label: "Mikro", Nilai: 1}}); !strings.Contains(unlinked, `role="img"`) {
			t.Errorf("a chart without links is no image: %s", unlinked)
		}
	}
}

func TestLinks(t *testing.T) {
	got := Mendatar("Sektor", []Batang{{"Kuliner", 3, "/umkm?sektor=kuliner&skala=mikro"}, {"Jasa", 1, ""}})
	if strings.Count(got, "<a ") != 1 || !strings.Contains(got, `<a href="/umkm?sektor=kuliner&amp;skala=mikro">`) {
		t.Errorf("want one link, its & escaped:\n%s", got)
	}
}

func TestEmpty(t *testing.T) {
	for name, got := range map[string]string{
		"mendatar":  Mendatar("Sektor", nil),
		"bertumpuk": Bertumpuk("Skala", []string{"mikro"}, nil),
		"kolom":     Kolom("Registrasi", []Batang{}),
		"garis":     Garis("Omzet", nil),
	} {
		parses(t, got)
		if !strings.Contains(got, ">belum ada data<") {
			t.Errorf("%s: no %q:\n%s", name, Kosong, got)
		}
	}
	if got := Progres("Target", 5, 0, ""); !strings.Contains(got, BelumAdaTarget) {
		t.Errorf("progress without target: %s", got)
	}
}

func TestProgresBeyondTarget(t *testing.T) {
	got := Progres("Target", 1800, 1500, "")
	if !strings.Contains(got, `width="420.0" height="18" class="g-1 g-tercapai"`) || !strings.Contains(got, "1.800 dari 1.500 (120%)") {
		t.Errorf("a target passed: full bar, marked, true figures:\n%s", got)
	}
}

func TestAngka(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1500000: "1.500.000", -1234: "-1.234", 100000: "100.000"} {
		if got := Angka(n); got != want {
			t.Errorf("Angka(%d) = %q, want %q", n, got, want)
		}
	}
	for _, c := range []struct {
		x    float64
		d    int
		want string
	}{{12.5, 1, "12,5"}, {12, 1, "12"}, {1234.56, 2, "1.234,56"}, {-0.25, 2, "-0,25"}, {0.04, 1, "0"}, {99.95, 1, "100"}} {
		if got := Desimal(c.x, c.d); got != c.want {
			t.Errorf("Desimal(%v, %d) = %q, want %q", c.x, c.d, got, c.want)
		}
	}
	if Persen(1499, 1500) != 99 || Persen(3, 0) != 0 {
		t.Error("Persen must round down and survive a zero total")
	}
}

func TestNiceStep(t *testing.T) {
	for vmax, want := range map[int]int{0: 1, 3: 1, 10: 5, 100: 50, 1500000: 500000, 37: 10} {
		if got := niceStep(vmax); got != want {
			t.Errorf("niceStep(%d) = %d, want %d", vmax, got, want)
		}
	}
}
