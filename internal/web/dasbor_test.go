package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// count is how many businesses of Depok's register f finds, as the list
// page would.
func count(t *testing.T, srv *webtest.Server, f umkm.Filter) int {
	t.Helper()
	f.Limit = 100
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], f, umkm.Scope{}, umkm.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.NextCursor != "" {
		t.Fatal("more than one page: raise the limit")
	}
	return len(page.Items)
}

// rowOf is the value cells of the table row whose header links to href.
func rowOf(body, href string) []string {
	re := regexp.MustCompile(`<tr><th scope="row"><a href="` + regexp.QuoteMeta(href) + `">[^<]*</a></th>((?:<td class="angka">[^<]*</td>)+)`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var out []string
	for _, c := range regexp.MustCompile(`<td class="angka">([^<]*)</td>`).FindAllStringSubmatch(m[1], -1) {
		out = append(out, c[1])
	}
	return out
}

// TestDashboardPages reads the office dashboard, the map and a region's
// breakdown over HTTP as the roles would.
func TestDashboardPages(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)

	t.Run("the dashboard shows each figure as a chart and a table, linked to the register", func(t *testing.T) {
		r := staf.Get("/t/depok/dasbor")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		for _, want := range []string{"Dihitung pada ", " WIB.", `class="grafik grafik-bertumpuk"`, `class="grafik grafik-mendatar"`,
			`class="grafik grafik-kolom"`, "UMKM per sektor", "Kendala terbuka per kategori", "Target program", `href="/t/depok/peta"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		// The number beside a sector is what the register filtered by it lists.
		for _, sektor := range []string{"kuliner", "jasa", "perdagangan"} {
			href := "/t/depok/umkm?sektor=" + sektor
			if !strings.Contains(r.Body, `<a href="`+href+`">`) {
				t.Errorf("the chart does not link %s", href)
			}
			cells := rowOf(r.Body, href)
			if want := format.Angka(count(t, srv, umkm.Filter{Sektor: sektor})); len(cells) == 0 || cells[0] != want {
				t.Errorf("sector %s: table shows %v, the register lists %s", sektor, cells, want)
			}
		}
		cells := rowOf(r.Body, "/t/depok/umkm?status_binaan=binaan")
		if want := format.Angka(count(t, srv, umkm.Filter{StatusBinaan: "binaan"})); len(cells) == 0 || cells[0] != want {
			t.Errorf("binaan: table shows %v, the register lists %s", cells, want)
		}
		if !strings.Contains(r.Body, `href="/t/depok/dasbor/wilayah/`+srv.PetugasKecamatan+`"`) {
			t.Error("the kecamatan table does not open the breakdown")
		}
	})

	t.Run("a petugas and another office do not get the dashboard", func(t *testing.T) {
		petugas := srv.Client(t)
		petugas.Login(webtest.PetugasDepok)
		for _, path := range []string{"/t/depok/dasbor", "/t/depok/peta", "/t/depok/dasbor/wilayah/" + srv.PetugasKecamatan} {
			if r := petugas.Get(path); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Tidak diizinkan") {
				t.Errorf("petugas %s: status %d", path, r.Status)
			}
		}
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		for _, path := range []string{"/t/depok/dasbor", "/t/depok/peta"} {
			if r := medan.Get(path); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Tidak ditemukan") {
				t.Errorf("staf of Medan %s: status %d", path, r.Status)
			}
		}
	})

	t.Run("the map draws every kelurahan with its number, legend and table", func(t *testing.T) {
		r := staf.Get("/t/depok/peta")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		paths := regexp.MustCompile(`<path class="q[0-4-][a-z]*" data-kode="32\.76\.`).FindAllString(r.Body, -1)
		if len(paths) != 63 {
			t.Errorf("%d desa/kelurahan drawn, want Depok's 63", len(paths))
		}
		for _, want := range []string{"batas wilayah indikatif", "Jumlah UMKM per desa/kelurahan", `class="legenda"`,
			`<a href="/t/depok/dasbor/wilayah/32.76.`, "<title>"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("map lacks %q", want)
			}
		}
		r = staf.Get("/t/depok/peta?tampil=binaan")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Bagian UMKM binaan per desa/kelurahan") || !strings.Contains(r.Body, "%</td>") {
			t.Errorf("binaan share: status %d", r.Status)
		}
		r = staf.Get("/t/depok/peta?tampil=kendala&kategori=permodalan")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "UMKM dengan kendala permodalan per desa/kelurahan") {
			t.Errorf("kendala permodalan: status %d", r.Status)
		}
	})

	t.Run("an unknown choice is shown beside its field, the choices kept", func(t *testing.T) {
		r := staf.Get("/t/depok/peta?tampil=kendala&kategori=cuaca")
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", r.Status)
		}
		if !strings.Contains(r.Body, `<p class="galat-isian" id="kategori-galat">Pilihan tidak dikenal; pilih dari daftar.</p>`) ||
			!strings.Contains(r.Body, `aria-describedby="kategori-galat"`) {
			t.Error("no message beside kategori")
		}
		if !strings.Contains(r.Body, `<option value="kendala" selected>`) {
			t.Error("the choice of tampil is lost")
		}
	})

	t.Run("a region's breakdown links to the register of that region", func(t *testing.T) {
		kec := srv.PetugasKecamatan
		r := staf.Get("/t/depok/dasbor/wilayah/" + kec)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "<h1>Kecamatan ") {
			t.Error("no kecamatan title")
		}
		href := fmt.Sprintf("/t/depok/umkm?kecamatan=%s&amp;sektor=kuliner", kec)
		cells := rowOf(r.Body, href)
		if want := format.Angka(count(t, srv, umkm.Filter{Kecamatan: kec, Sektor: "kuliner"})); len(cells) == 0 || cells[0] != want {
			t.Errorf("kuliner in %s: table shows %v, the register lists %s", kec, cells, want)
		}
		kel := regexp.MustCompile(`/t/depok/dasbor/wilayah/(` + regexp.QuoteMeta(kec) + `\.\d{4})`).FindStringSubmatch(staf.Get("/t/depok/peta").Body)
		if kel == nil {
			t.Fatal("the map links no kelurahan of the kecamatan")
		}
		r = staf.Get("/t/depok/dasbor/wilayah/" + kel[1])
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `href="/t/depok/dasbor/wilayah/`+kec+`"`) {
			t.Errorf("kelurahan %s: status %d, or no link to its kecamatan", kel[1], r.Status)
		}
		for _, kode := range []string{"12.71.01", "12.71.01.1001", "32.76", "x"} {
			if r := staf.Get("/t/depok/dasbor/wilayah/" + kode); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Tidak ditemukan") {
				t.Errorf("region %s of another office or none: status %d", kode, r.Status)
			}
		}
	})
}

// TestDashboardProgrammeFigures: help given through the services shows on
// the office dashboard once the figures are recomputed: participants
// selected and completed, the funding application at its stage, the
// never-helped of each kecamatan and desa/kelurahan as the never-helped
// list counts them, and the overlap in the kecamatan of the business
// selected twice; each linked to the page that lists it.
func TestDashboardProgrammeFigures(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	before := staf.Get("/t/depok/dasbor")
	if !strings.Contains(before.Body, "Program dan bantuan") || !strings.Contains(before.Body, "Belum ada usaha yang mendapat bantuan sejenis") {
		t.Fatalf("no programme section before any help: %d", before.Status)
	}
	b := srv.SeedBantuan(t)
	r := staf.Get("/t/depok/dasbor")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	body := r.Body
	// Nine selected in 2026 (eight in the first training, one in the
	// second), six completed.
	if cells := rowOf(body, "/t/depok/program?jenis=pelatihan&amp;tahun=2026"); fmt.Sprint(cells) != "[9 6 66,7%]" {
		t.Errorf("participants of 2026 training: %v, want selected 9, completed 6 (66,7%%)", cells)
	}
	if !strings.Contains(body, `<a href="/t/depok/program?jenis=pelatihan&amp;tahun=2026"><g><title>2026 · Pelatihan, Selesai: 6`) {
		t.Error("the participants' chart does not draw the completed, linked to the programmes")
	}
	if cells := rowOf(body, "/t/depok/pendanaan#kolom-diajukan"); len(cells) == 0 || cells[0] != "1" {
		t.Errorf("funding applications submitted: %v, want 1", cells)
	}
	// Eight took part; a funding application is no programme's help.
	total := len(b.Usaha)
	if want := fmt.Sprintf(`<span class="nilai">%s</span> <span class="bagian">%s dari %s</span>`,
		format.Angka(total-8), format.Persen(total-8, total), format.Angka(total)); !strings.Contains(body, want) {
		i := strings.Index(body, "UMKM belum pernah dibantu</span>")
		t.Errorf("the headline lacks %s never-helped of %d: %s", want, total, body[i:i+200])
	}

	// Every kecamatan and desa/kelurahan: the count the never-helped list
	// gives, linked to that list.
	list, err := (&tumpang.Service{DB: srv.Env.DB}).JumlahBelumPernah(context.Background(), srv.Tenants["depok"], tumpang.Filter{}, tumpang.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, j := range list {
		href := "/t/depok/program/belum-pernah?kecamatan=" + j.Kode
		if j.Level != "kecamatan" {
			href = "/t/depok/program/belum-pernah?kecamatan=" + j.ParentKode + "&amp;kelurahan=" + j.Kode
		}
		want := []string{format.Angka(j.Belum), format.Angka(j.Terdaftar), format.Persen(j.Belum, j.Terdaftar)}
		re := regexp.MustCompile(`<tr(?: class="kecamatan")?><th scope="row"(?: class="desa")?><a href="` + regexp.QuoteMeta(href) +
			`">[^<]*</a></th><td class="angka">([^<]*)</td><td class="angka">([^<]*)</td><td class="angka">([^<]*)</td>`)
		m := re.FindStringSubmatch(body)
		if m == nil || fmt.Sprint(m[1:]) != fmt.Sprint(want) {
			t.Errorf("%s %s: page %v, the list counts %v", j.Level, j.Nama, m, want)
			continue
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d regions checked", checked)
	}
	// The list the link opens shows that number too.
	first := b.Usaha[0]
	page := staf.Get("/t/depok/program/belum-pernah?kecamatan=" + first.KecamatanKode)
	if page.Status != http.StatusOK {
		t.Fatalf("never-helped list: %d", page.Status)
	}
	cells := rowOf(body, "/t/depok/program/belum-pernah?kecamatan="+first.KecamatanKode)
	if len(cells) < 2 || !strings.Contains(page.Body, "Belum pernah dibantu: "+cells[0]+" dari "+cells[1]+" (") {
		t.Errorf("the dashboard's %v is not what the list it links to counts", cells)
	}
	// The kecamatan's own page says the same, linked to its list.
	region := staf.Get("/t/depok/dasbor/wilayah/" + first.KecamatanKode)
	if len(cells) < 2 || !strings.Contains(region.Body, `<span class="label">Belum pernah dibantu program</span> <span class="nilai">`+cells[0]+`</span>`) ||
		!strings.Contains(region.Body, `href="/t/depok/program/belum-pernah?kecamatan=`+first.KecamatanKode+`"`) {
		t.Errorf("the kecamatan's page lacks its never-helped %v:\n%s", cells, region.Body)
	}

	// The overlap: the first business, in its kecamatan and the office.
	row := regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td class="angka">([^<]*)</td></tr>`).FindAllStringSubmatch(
		body[strings.Index(body, `id="program-ganda-kecamatan"`):], -1)
	got := map[string]string{}
	for _, m := range row {
		if m[2] != "0" && m[1] != "Jumlah kantor" {
			got[m[1]] = m[2]
		}
	}
	var kec string
	for _, j := range list {
		if j.Kode == first.KecamatanKode {
			kec = j.Nama
		}
	}
	if fmt.Sprint(got) != fmt.Sprintf("map[%s:1]", kec) || !strings.Contains(body, `<th scope="row">Jumlah kantor</th><td class="angka">1</td>`) {
		t.Errorf("overlap per kecamatan %v, want %s: 1 and the office 1", got, kec)
	}
	for _, href := range []string{`href="/t/depok/program/belum-pernah"`, `href="/t/depok/program"`, `href="/t/depok/pendanaan"`} {
		if !strings.Contains(body, href) {
			t.Errorf("the section does not link %s", href)
		}
	}
}
