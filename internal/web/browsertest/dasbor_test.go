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
