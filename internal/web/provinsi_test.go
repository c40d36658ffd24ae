package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// noPersonalData fails when page shows any of the people's data.
func noPersonalData(t *testing.T, path, page string, people []string) {
	t.Helper()
	if s := webtest.ShowsPersonalData(page, people); s != "" {
		t.Errorf("%s shows personal data %q", path, s)
	}
}

// TestProvinsiViewerSeesOnlyTheirProvince: a province viewer of Jawa Barat
// gets its dashboard and its offices' dashboards, the same 404 as the API
// for another province, an office of another province, and every office
// or platform page; nothing they can reach shows personal data.
func TestProvinsiViewerSeesOnlyTheirProvince(t *testing.T) {
	srv := webtest.New(t)
	people := srv.PersonalData(t)
	c := srv.Client(t)
	c.Login(webtest.ProvinsiJabar)

	if r := c.Get("/"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/p/32/dasbor" {
		t.Errorf("home: %d → %q, want the province dashboard", r.Status, r.Header.Get("Location"))
	}
	r := c.Get("/p/32/dasbor")
	if r.Status != http.StatusOK {
		t.Fatalf("province dashboard: %d %s", r.Status, r.Body)
	}
	for _, want := range []string{"Kota Depok", "Kabupaten Karawang", `href="/p/32/dasbor/depok"`, `class="peta"`, "Jumlah provinsi"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("province dashboard lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "Medan") || strings.Contains(r.Body, "Tangerang") {
		t.Error("province dashboard shows an office of another province")
	}
	noPersonalData(t, "/p/32/dasbor", r.Body, people)

	r = c.Get("/p/32/dasbor/depok")
	if r.Status != http.StatusOK {
		t.Fatalf("office dashboard: %d %s", r.Status, r.Body)
	}
	noPersonalData(t, "/p/32/dasbor/depok", r.Body, people)

	for _, path := range []string{"/p/12/dasbor", "/p/32/dasbor/medan", "/p/12/dasbor/medan", "/p/3x/dasbor", "/p/32/dasbor/tidak-ada",
		"/t/depok/dasbor", "/t/depok/umkm", "/platform/kantor", "/platform/pengguna?q=depok"} {
		if r := c.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.Status)
		}
	}
	// The API answers the same.
	for path, want := range map[string]int{"/v1/provinces/12/dasbor": 404, "/v1/provinces/32/dasbor/medan": 404, "/v1/provinces/32/dasbor": 200} {
		if r := c.Get(path); r.Status != want {
			t.Errorf("API %s: %d, want %d", path, r.Status, want)
		}
	}
}

// TestProvinsiHidesSmallCellsAsTheAPI: the office page hides exactly the
// cells the API hides, each reading "disembunyikan", and shows every other
// count; kecamatan totals are the API's.
func TestProvinsiHidesSmallCellsAsTheAPI(t *testing.T) {
	srv := webtest.New(t)
	c := srv.Client(t)
	c.Login(webtest.ProvinsiJabar)
	r := c.Get("/v1/provinces/32/dasbor/depok")
	if r.Status != http.StatusOK {
		t.Fatalf("API: %d %s", r.Status, r.Body)
	}
	type sel struct {
		Jumlah        *int `json:"jumlah"`
		Disembunyikan bool `json:"disembunyikan"`
	}
	var api struct {
		Wilayah []struct {
			NamaWilayah string `json:"nama_wilayah"`
			UMKM        int    `json:"umkm"`
			Kelurahan   []struct {
				NamaWilayah string `json:"nama_wilayah"`
				UMKM        sel    `json:"umkm"`
				Koperasi    sel    `json:"koperasi"`
			} `json:"kelurahan"`
		} `json:"wilayah"`
	}
	if err := json.Unmarshal([]byte(r.Body), &api); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/p/32/dasbor/depok").Body
	// Each row of the table: the desa/kelurahan, then its two cells.
	row := regexp.MustCompile(`<th scope="row" class="desa">([^<]*)</th><td class="angka( sel-sembunyi)?">([^<]*)</td><td class="angka( sel-sembunyi)?">([^<]*)</td>`)
	rows := row.FindAllStringSubmatch(page, -1)
	var want [][2]string
	hidden := 0
	text := func(s sel) string {
		if s.Disembunyikan {
			hidden++
			return "disembunyikan"
		}
		return format.Angka(*s.Jumlah)
	}
	for _, k := range api.Wilayah {
		if !strings.Contains(page, "Kecamatan "+k.NamaWilayah+`</th><td class="angka">`+format.Angka(k.UMKM)+"<") {
			t.Errorf("kecamatan %s: total %d not shown", k.NamaWilayah, k.UMKM)
		}
		for _, l := range k.Kelurahan {
			want = append(want, [2]string{text(l.UMKM), text(l.Koperasi)})
		}
	}
	if hidden == 0 {
		t.Fatal("the API hides no cell of Depok's sample: the test proves nothing")
	}
	if len(rows) != len(want) {
		t.Fatalf("%d desa/kelurahan rows, want %d", len(rows), len(want))
	}
	for i, m := range rows {
		got := [2]string{m[3], m[5]}
		if got != want[i] {
			t.Errorf("%s: %v, want %v as the API", m[1], got, want[i])
		}
		if (m[2] != "") != (m[3] == "disembunyikan") || (m[4] != "") != (m[5] == "disembunyikan") {
			t.Errorf("%s: hidden cells must look alike: %q", m[1], m[0])
		}
	}
	// On the map every hidden desa is the same class and the same words.
	paths := regexp.MustCompile(`<path class="(q[^"]*)" data-kode="[^"]*" d="[^"]*"><title>[^<:]*: ([^<]*)</title>`).FindAllStringSubmatch(page, -1)
	if len(paths) == 0 {
		t.Fatal("no map of Depok")
	}
	n := 0
	for _, p := range paths {
		if (p[1] == "q-sembunyi") != (p[2] == "disembunyikan") {
			t.Errorf("map cell %q reads %q", p[1], p[2])
		}
		if p[1] == "q-sembunyi" {
			n++
		}
	}
	if n == 0 {
		t.Error("no hidden desa on the map")
	}
}

// TestPlatformPages: a platform admin lists the offices with their size and
// finds users across offices; the province pages of every province open to
// them; a tenant staf and a province viewer get 404 there, as from the API.
func TestPlatformPages(t *testing.T) {
	srv := webtest.New(t)
	c := srv.Client(t)
	c.Login(webtest.StafDepok) // a sign-in of Depok: its last activity
	for _, path := range []string{"/platform/kantor", "/platform/pengguna", "/p/32/dasbor", "/p/32/dasbor/depok"} {
		if r := c.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("staf %s: %d, want 404", path, r.Status)
		}
	}
	if r := c.Get("/v1/provinces/32/dasbor"); r.Status != http.StatusNotFound {
		t.Errorf("staf API province dashboard: %d, want 404", r.Status)
	}

	p := srv.Client(t)
	p.Login(webtest.Platform)
	if r := p.Get("/"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/platform/kantor" {
		t.Errorf("home: %d → %q, want the office list", r.Status, r.Header.Get("Location"))
	}
	r := p.Get("/platform/kantor")
	if r.Status != http.StatusOK {
		t.Fatalf("offices: %d %s", r.Status, r.Body)
	}
	for _, want := range []string{"Kota Depok", "Kota Medan", "Kabupaten Karawang", "Kota Tangerang Selatan", `href="/admin/jobs/"`,
		`<a href="/platform/kantor/depok">Kota Depok</a> · <a href="/p/32/dasbor/depok">dasbor</a></th><td><a href="/p/32/dasbor">Jawa Barat</a></td><td>Aktif</td><td class="angka">60</td>`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("office list lacks %q", want)
		}
	}
	depok := r.Body[strings.Index(r.Body, "/platform/kantor/depok"):]
	depok = depok[:strings.Index(depok, "</tr>")]
	if strings.Contains(depok, "belum ada") {
		t.Errorf("Depok's row %q: its staf signed in, want the time", depok)
	}
	for _, path := range []string{"/p/12/dasbor", "/p/36/dasbor/tangsel"} {
		if r := p.Get(path); r.Status != http.StatusOK {
			t.Errorf("platform %s: %d, want 200", path, r.Status)
		}
	}
	if r := p.Get("/t/depok/umkm"); r.Status != http.StatusNotFound {
		t.Errorf("platform admin opens the register: %d, want 404 (no register for the platform)", r.Status)
	}

	r = p.Get("/platform/pengguna?q=" + "DUA@kantor")
	if r.Status != http.StatusOK {
		t.Fatalf("user search: %d %s", r.Status, r.Body)
	}
	for _, want := range []string{webtest.Multi, "Kota Depok: Staf", "Kota Medan: Pembaca"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("user search lacks %q", want)
		}
	}
	if strings.Contains(r.Body, webtest.StafDepok) {
		t.Error("user search shows an account that does not match")
	}
	if r := p.Get("/platform/pengguna?q=jabar"); !strings.Contains(r.Body, `<a href="/p/32/dasbor">Provinsi Jawa Barat</a>: Pemantau provinsi`) {
		t.Errorf("province viewer's role not shown: %s", r.Body)
	}

	v := srv.Client(t)
	v.Login(webtest.ProvinsiJabar)
	if r := v.Get("/platform/kantor"); r.Status != http.StatusNotFound {
		t.Errorf("province viewer on the platform: %d, want 404", r.Status)
	}
}
