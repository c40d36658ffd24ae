package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestDashboard reads the office dashboard, the map and a region's
// breakdown in a real browser: one server, a tab (and cookies) per
// subtest.
func TestDashboard(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)

	t.Run("staf sees charts and tables; a sector bar opens the filtered register", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/t/depok/dasbor")
		tb.login(webtest.StafDepok, webtest.Password)
		if n := tb.count("section.grafik-kartu svg.grafik"); n < 7 {
			t.Errorf("%d charts, want at least 7", n)
		}
		if n := tb.count("section.grafik-kartu table.tabel-grafik tbody tr"); n < 20 {
			t.Errorf("%d table rows beside the charts", n)
		}
		if s := tb.text(".segar"); !strings.HasPrefix(s, "Dihitung pada ") || !strings.Contains(s, "WIB") {
			t.Errorf("freshness %q", s)
		}
		// Charts are drawn: a bar has a width on screen.
		w, err := chromedp.Run(tb.ctx, chromedp.Evaluate[float64](`document.querySelector('#sektor svg rect.g-1').getBoundingClientRect().height`))
		if err != nil || w <= 0 {
			t.Errorf("the sector chart's bar is not drawn: %v, %v", w, err)
		}
		assertAccessible(t, tb)
		if status := tb.submit("click the kuliner bar",
			chromedp.Click(chromedp.CSS(`#sektor svg a[href="/t/depok/umkm?sektor=kuliner"] rect`))); status != http.StatusOK {
			t.Fatalf("the filtered register: status %d", status)
		}
		if p := tb.path(); p != "/t/depok/umkm?sektor=kuliner" {
			t.Errorf("the bar lands on %s", p)
		}
		if v, _ := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS("#sektor"))); v != "kuliner" {
			t.Errorf("the list's sector filter shows %q", v)
		}
	})

	t.Run("the map renders its paths, htmx changes the figure, a click opens the breakdown", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/t/depok/peta")
		tb.login(webtest.ViewerDepok, webtest.Password)
		if n := tb.count("svg.peta .peta-desa path"); n != 63 {
			t.Errorf("%d desa/kelurahan drawn, want 63", n)
		}
		if n := tb.count("#peta-hasil table tbody tr"); n != 63 {
			t.Errorf("%d rows in the table, want 63", n)
		}
		assertAccessible(t, tb)
		tb.choose("#tampil", "binaan")
		tb.until("the binaan map", `document.querySelector('#peta-hasil h2').textContent.startsWith('Bagian UMKM binaan')`)
		if p := tb.path(); !strings.Contains(p, "tampil=binaan") {
			t.Errorf("the address does not keep the choice: %s", p)
		}
		assertAccessible(t, tb)
		first, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('svg.peta .peta-desa a').getAttribute('href')`))
		if err != nil || first == "" {
			t.Fatalf("no linked desa/kelurahan: %v", err)
		}
		if status := tb.submit("click a kelurahan", chromedp.Click(chromedp.CSS(`svg.peta .peta-desa a[href="`+first+`"] path`))); status != http.StatusOK {
			t.Fatalf("breakdown: status %d", status)
		}
		if p := tb.path(); p != first {
			t.Errorf("the click lands on %s, want %s", p, first)
		}
		if tb.count("section.grafik-kartu svg.grafik") < 6 {
			t.Error("the breakdown has no charts")
		}
		assertAccessible(t, tb)
	})

	t.Run("a petugas does not get the office dashboard", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		tb.login(webtest.PetugasDepok, webtest.Password)
		if status := tb.open("/t/depok/dasbor"); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
		if h := tb.text("h1"); h != "Tidak diizinkan" {
			t.Errorf("h1 %q", h)
		}
		if tb.count(`nav.menu a[href="/t/depok/peta"]`) != 0 {
			t.Error("the menu offers a petugas the map")
		}
	})
}

// TestDashboardProgramme reads the programme section of the office
// dashboard in a real browser, with help given through the services: the
// charts are drawn, the per-desa table unfolds, a kecamatan's bar opens
// its never-helped list, and the province's view of the office shows the
// hidden cells alike; accessible, no CSP violation.
func TestDashboardProgramme(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	b := srv.SeedBantuan(t)

	t.Run("staf sees participants, funding, never-helped and overlap; a bar opens the list", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/t/depok/dasbor")
		tb.login(webtest.StafDepok, webtest.Password)
		for _, id := range []string{"program-peserta", "program-dana", "program-belum", "program-ganda"} {
			h, err := chromedp.Run(tb.ctx, chromedp.Evaluate[float64](`(() => { const r = document.querySelector('#`+id+
				` svg rect.g-1'); return r ? r.getBoundingClientRect().height : 0 })()`))
			if err != nil || h <= 0 {
				t.Errorf("#%s: no bar drawn (%v, %v)", id, h, err)
			}
		}
		if s := tb.text("#program-peserta table tbody tr"); !strings.Contains(s, "2026 · Pelatihan") || !strings.Contains(s, "66,7%") {
			t.Errorf("participants row %q", s)
		}
		// The desa/kelurahan are folded until asked for.
		visible := `document.querySelector('#program-belum-desa table').checkVisibility({contentVisibilityAuto: true})`
		if open, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](visible)); open {
			t.Error("the per-desa table is open before it is asked for")
		}
		tb.do("unfold the desa", chromedp.Click(chromedp.CSS("#program-belum-desa summary")))
		if open, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](visible)); !open {
			t.Error("the per-desa table does not unfold")
		}
		if n := tb.count("#program-belum-desa tbody th.desa a"); n < 60 {
			t.Errorf("%d desa/kelurahan linked, want Depok's 63", n)
		}
		assertAccessible(t, tb)
		kec := b.Usaha[0].KecamatanKode
		href := "/t/depok/program/belum-pernah?kecamatan=" + kec
		if status := tb.submit("click the kecamatan's bar",
			chromedp.Click(chromedp.CSS(`#program-belum svg a[href="`+href+`"] rect`))); status != http.StatusOK {
			t.Fatalf("never-helped list: status %d", status)
		}
		if p := tb.path(); p != href {
			t.Errorf("the bar lands on %s, want %s", p, href)
		}
		if v, _ := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS("#kecamatan"))); v != kec {
			t.Errorf("the list's kecamatan filter shows %q", v)
		}
	})

	t.Run("the province sees the office's programme counts with the hidden cells alike", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/p/32/dasbor/depok")
		tb.login(webtest.ProvinsiJabar, webtest.Password)
		if n := tb.count("#program td.sel-sembunyi"); n == 0 {
			t.Error("no hidden programme cell on the province's view")
		}
		// Hidden cells read the same and look the same.
		texts, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('td.sel-sembunyi')].map(e => e.textContent + '|' + getComputedStyle(e).color)`))
		if err != nil || len(texts) == 0 {
			t.Fatalf("hidden cells: %v", err)
		}
		for _, s := range texts {
			if s != texts[0] || !strings.HasPrefix(s, "disembunyikan|") {
				t.Errorf("hidden cell %q, first %q", s, texts[0])
			}
		}
		assertAccessible(t, tb)
	})
}
