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

// TestProvinsiHidesProgrammeCellsAsTheAPI: with help given through the
// services, the province's pages show the never-helped and overlap counts
// (and the participants) of the API, each hidden cell reading
// "disembunyikan" exactly where the API hides it; no shown pair gives a
// small helped (businesses minus never-helped) or a small
// selected-not-completed by subtraction, and the province has no sum of
// them.
func TestProvinsiHidesProgrammeCellsAsTheAPI(t *testing.T) {
	srv := webtest.New(t)
	b := srv.SeedBantuan(t)
	c := srv.Client(t)
	c.Login(webtest.ProvinsiJabar)
	type sel struct {
		Jumlah        *int `json:"jumlah"`
		Disembunyikan bool `json:"disembunyikan"`
	}
	text := func(s sel) string {
		if s.Disembunyikan || s.Jumlah == nil {
			return "disembunyikan"
		}
		return format.Angka(*s.Jumlah)
	}
	var api struct {
		UMKM struct {
			Total int `json:"total"`
		} `json:"umkm"`
		Program struct {
			BelumPernah sel `json:"belum_pernah"`
			Ganda       []struct {
				Tahun     int    `json:"tahun"`
				Jenis     string `json:"jenis"`
				Jumlah    sel    `json:"jumlah"`
				Kecamatan []struct {
					Kode   string `json:"kode"`
					Jumlah sel    `json:"jumlah"`
				} `json:"kecamatan"`
			} `json:"ganda"`
			Peserta []struct {
				Tahun    int    `json:"tahun"`
				Jenis    string `json:"jenis"`
				Terpilih sel    `json:"terpilih"`
				Selesai  sel    `json:"selesai"`
			} `json:"peserta"`
		} `json:"program"`
		Wilayah []struct {
			Kode        string `json:"kode"`
			NamaWilayah string `json:"nama_wilayah"`
			UMKM        int    `json:"umkm"`
			BelumPernah sel    `json:"belum_pernah"`
			Kelurahan   []struct {
				Kode        string `json:"kode"`
				NamaWilayah string `json:"nama_wilayah"`
				UMKM        sel    `json:"umkm"`
				BelumPernah sel    `json:"belum_pernah"`
			} `json:"kelurahan"`
		} `json:"wilayah"`
	}
	r := c.Get("/v1/provinces/32/dasbor/depok")
	if r.Status != http.StatusOK {
		t.Fatalf("API: %d %s", r.Status, r.Body)
	}
	if err := json.Unmarshal([]byte(r.Body), &api); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/p/32/dasbor/depok")
	if page.Status != http.StatusOK {
		t.Fatalf("page: %d", page.Status)
	}
	body := page.Body
	cell := `<td class="angka( sel-sembunyi)?">([^<]*)</td>`
	small := func(n int) bool { return n >= 1 && n < 5 }
	check := func(what, class, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: page %q, API %q", what, got, want)
		}
		if (class != "") != (got == "disembunyikan") {
			t.Errorf("%s: a hidden cell must look like every other: class %q, %q", what, class, got)
		}
	}

	// Each kecamatan and desa/kelurahan: never-helped beside businesses.
	hidden, busiest := 0, false
	for _, k := range api.Wilayah {
		m := regexp.MustCompile(`<th scope="row">Kecamatan ` + regexp.QuoteMeta(k.NamaWilayah) + `</th><td class="angka">([^<]*)</td><td class="angka">[^<]*</td>` + cell).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("kecamatan %s: no row", k.NamaWilayah)
			continue
		}
		check("kecamatan "+k.NamaWilayah, m[2], m[3], text(k.BelumPernah))
		if k.BelumPernah.Jumlah != nil && small(k.UMKM-*k.BelumPernah.Jumlah) {
			t.Errorf("kecamatan %s: %d businesses, %d never-helped shown: %d helped", k.NamaWilayah, k.UMKM, *k.BelumPernah.Jumlah, k.UMKM-*k.BelumPernah.Jumlah)
		}
		for _, l := range k.Kelurahan {
			m := regexp.MustCompile(`<th scope="row" class="desa">` + regexp.QuoteMeta(l.NamaWilayah) + `</th>` + cell + `<td class="angka[^"]*">[^<]*</td>` + cell).FindStringSubmatch(body)
			if m == nil {
				t.Errorf("%s: no row", l.NamaWilayah)
				continue
			}
			check(l.NamaWilayah, m[3], m[4], text(l.BelumPernah))
			if m[4] == "disembunyikan" {
				hidden++
			}
			if l.UMKM.Jumlah != nil && l.BelumPernah.Jumlah != nil && small(*l.UMKM.Jumlah-*l.BelumPernah.Jumlah) {
				t.Errorf("%s: %d businesses, %d never-helped shown: %d helped", l.NamaWilayah, *l.UMKM.Jumlah, *l.BelumPernah.Jumlah, *l.UMKM.Jumlah-*l.BelumPernah.Jumlah)
			}
			if l.Kode == b.Kelurahan {
				// Many never-helped beside three helped: shown alone, the
				// count is no small cell, but with the businesses it
				// would give the three away.
				busiest = true
				if l.UMKM.Jumlah == nil || *l.UMKM.Jumlah < 8 || !l.BelumPernah.Disembunyikan || m[4] != "disembunyikan" {
					t.Errorf("%s: businesses %v, never-helped %q: want its 3 helped hidden", l.NamaWilayah, text(l.UMKM), m[4])
				}
			}
		}
	}
	if hidden == 0 || !busiest {
		t.Fatalf("no hidden never-helped (%d) or no row of %s: the test proves nothing", hidden, b.Kelurahan)
	}

	// The office: never-helped, the participants, the overlap.
	if want := "<span class=\"nilai\">" + text(api.Program.BelumPernah) + "</span>"; !strings.Contains(body, want) {
		t.Errorf("office never-helped: page lacks %s", want)
	}
	if len(api.Program.Peserta) != 1 {
		t.Fatalf("participants: %+v", api.Program.Peserta)
	}
	x := api.Program.Peserta[0]
	m := regexp.MustCompile(`<th scope="row">2026 · Pelatihan</th>` + cell + cell).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no participants' row")
	}
	check("selected", m[1], m[2], text(x.Terpilih))
	check("completed", m[3], m[4], text(x.Selesai))
	// Nine selected, six completed: six is no small cell, but nine minus
	// six is.
	if m[2] != "9" || m[4] != "disembunyikan" {
		t.Errorf("participants %q selected, %q completed: want 9 and the completed hidden (3 not completed)", m[2], m[4])
	}
	if len(api.Program.Ganda) != 1 {
		t.Fatalf("overlap: %+v", api.Program.Ganda)
	}
	g := api.Program.Ganda[0]
	names := map[string]string{}
	for _, k := range api.Wilayah {
		names[k.Kode] = k.NamaWilayah
	}
	hiddenKec := 0
	for _, k := range g.Kecamatan {
		m := regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(names[k.Kode]) + `</th>` + cell + `</tr>`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("overlap of %s: no row", names[k.Kode])
			continue
		}
		check("overlap "+names[k.Kode], m[1], m[2], text(k.Jumlah))
		if m[2] == "disembunyikan" {
			hiddenKec++
		}
	}
	if hiddenKec < 2 {
		t.Errorf("overlap: %d kecamatan hidden, want the 1 and a complement", hiddenKec)
	}
	if m := regexp.MustCompile(`<tr><th scope="row">Jumlah kantor</th>` + cell + `</tr>`).FindStringSubmatch(body); m == nil {
		t.Error("no office row of the overlap")
	} else {
		check("overlap of the office", m[1], m[2], text(g.Jumlah))
	}

	// The province page: each office's counts as the API, no sum.
	var prov struct {
		Tenant []struct {
			Tenant     string `json:"tenant"`
			NamaTenant string `json:"nama_tenant"`
			Program    struct {
				BelumPernah sel `json:"belum_pernah"`
			} `json:"program"`
		} `json:"tenant"`
	}
	if err := json.Unmarshal([]byte(c.Get("/v1/provinces/32/dasbor").Body), &prov); err != nil {
		t.Fatal(err)
	}
	top := c.Get("/p/32/dasbor").Body
	section := top[strings.Index(top, `id="program"`):]
	section = section[:strings.Index(section, "</section>")]
	for _, o := range prov.Tenant {
		m := regexp.MustCompile(`<a href="/p/32/dasbor/` + o.Tenant + `">` + regexp.QuoteMeta(o.NamaTenant) + `</a></th>` + cell).FindStringSubmatch(section)
		if m == nil {
			t.Errorf("province page: no programme row of %s", o.Tenant)
			continue
		}
		check("province page, "+o.Tenant, m[1], m[2], text(o.Program.BelumPernah))
	}
	if strings.Contains(section, "Jumlah provinsi") {
		t.Error("the province page sums the programme figures")
	}
	noPersonalData(t, "/p/32/dasbor/depok", body, srv.PersonalData(t))
}
