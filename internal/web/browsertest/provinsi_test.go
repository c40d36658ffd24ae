package browsertest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// links are the same-site pages the page shown links to, SVG links too (not the static
// files, not the API's /admin pages): where a person could go next.
func (tb *tab) links() []string {
	tb.t.Helper()
	hrefs, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('a[href]')]
		.map(a => new URL(a.getAttribute('href'), location.href).href).filter(h => h.startsWith(location.origin + '/'))`))
	if err != nil {
		tb.t.Fatalf("links: %v", err)
	}
	var out []string
	for _, h := range hrefs {
		u, err := url.Parse(h)
		if err != nil {
			continue
		}
		p := u.RequestURI()
		if strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/admin/") || u.Fragment != "" && u.Path == "" {
			continue
		}
		out = append(out, p)
	}
	return out
}

// walk opens every page reachable by links from start (which the tab
// shows), checking each with check; it returns the pages seen.
func (tb *tab) walk(start string, check func(path string)) []string {
	tb.t.Helper()
	seen, queue := []string{start}, []string{start}
	check(start)
	queue = append(queue, tb.links()...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if slices.Contains(seen, p) {
			continue
		}
		seen = append(seen, p)
		if status := tb.open(p); status != http.StatusOK {
			tb.t.Errorf("%s: status %d", p, status)
			continue
		}
		check(p)
		queue = append(queue, tb.links()...)
		if len(seen) > 40 {
			tb.t.Fatalf("more than 40 pages reachable: %v", seen)
		}
	}
	return seen
}

// TestProvinsiViewerWalk: a province viewer of Jawa Barat walks every page
// they can reach; none shows a name, NIK, phone or address of Depok's
// records, each passes axe, and the hidden small cells read and look
// alike, in the table and on the map.
func TestProvinsiViewerWalk(t *testing.T) {
	srv := webtest.New(t)
	people := srv.PersonalData(t)
	tb := newTab(t, srv.URL)
	tb.open("/")
	tb.login(webtest.ProvinsiJabar, webtest.Password)
	if p := tb.path(); p != "/p/32/dasbor" {
		t.Fatalf("after login at %s, want the province dashboard", p)
	}
	if n := tb.count("svg.peta .peta-kabkota path"); n != 2 {
		t.Errorf("%d offices drawn, want Depok and Karawang", n)
	}
	if n := tb.count("section.grafik-kartu svg.grafik"); n < 6 {
		t.Errorf("%d charts on the province dashboard", n)
	}
	seen := tb.walk(tb.path(), func(path string) {
		html, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML + '\n' + document.body.innerText`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if s := webtest.ShowsPersonalData(html, people); s != "" {
			t.Errorf("%s shows personal data %q", path, s)
		}
		assertAccessible(t, tb)
	})
	t.Logf("walked %v", seen)
	for _, want := range []string{"/p/32/dasbor/depok", "/p/32/dasbor/karawang"} {
		if !slices.Contains(seen, want) {
			t.Errorf("walk %v never reached %s", seen, want)
		}
	}
	for _, p := range seen {
		if !strings.HasPrefix(p, "/p/32/") && p != "/" {
			t.Errorf("a province viewer reached %s", p)
		}
	}

	tb.open("/p/32/dasbor/depok")
	// Hidden cells: one word, one look (what the page shows of them, as computed).
	looks, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.tabel-wilayah td.angka')]
		.filter(td => td.closest('tr:not(.kecamatan)'))
		.map(td => { const s = getComputedStyle(td); return [td.textContent.trim() === 'disembunyikan', td.textContent.trim(), s.color, s.fontStyle, s.backgroundColor].join('|') })`))
	if err != nil {
		t.Fatal(err)
	}
	hidden := map[string]int{}
	for _, l := range looks {
		if f := strings.SplitN(l, "|", 3); f[0] == "true" {
			hidden[f[1]+"|"+f[2]]++
		} else if strings.Contains(l, "disembunyikan") {
			t.Errorf("a shown cell mentions disembunyikan: %s", l)
		}
	}
	if len(hidden) != 1 {
		t.Errorf("hidden cells do not all read and look alike: %v", hidden)
	}
	fills, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll('svg.peta .peta-desa path.q-sembunyi')]
		.map(p => getComputedStyle(p).fill + '|' + p.querySelector('title').textContent.split(': ').pop()))]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(fills) != 1 || !strings.HasSuffix(fills[0], "|disembunyikan") {
		t.Errorf("hidden desa on the map: %v, want one fill and one word", fills)
	}
	if tb.count("svg.peta .peta-desa path.q-sembunyi") == 0 {
		t.Error("no hidden desa on the map of Depok")
	}
}

// TestPlatformAdminWalk: a platform admin lands on the offices, opens an
// office's province view from there, searches users across offices, and
// every page passes axe.
func TestPlatformAdminWalk(t *testing.T) {
	srv := webtest.New(t)
	tb := newTab(t, srv.URL)
	tb.open("/")
	tb.login(webtest.Platform, webtest.Password)
	if p := tb.path(); p != "/platform/kantor" {
		t.Fatalf("after login at %s, want the office list", p)
	}
	if n := tb.count("main table tbody tr"); n != 4 {
		t.Errorf("%d offices listed, want 4", n)
	}
	if tb.count(`nav.menu a[href="/admin/jobs/"]`) != 1 {
		t.Error("the menu does not link the jobs UI")
	}
	assertAccessible(t, tb)
	if status := tb.submit("open Medan", chromedp.Click(chromedp.CSS(`a[href="/p/12/dasbor/medan"]`))); status != http.StatusOK {
		t.Fatalf("Medan as its province sees it: %d", status)
	}
	assertAccessible(t, tb)
	if status := tb.submit("open Pengguna", chromedp.Click(chromedp.CSS(`nav.menu a[href="/platform/pengguna"]`))); status != http.StatusOK {
		t.Fatalf("user search: %d", status)
	}
	assertAccessible(t, tb)
	if status := tb.submit("search", chromedp.SendKeys(chromedp.CSS("#q"), "kantor"),
		chromedp.Click(chromedp.CSS("form.cari-pengguna button[type=submit]"))); status != http.StatusOK {
		t.Fatalf("search: %d", status)
	}
	if s := tb.text("main table tbody"); !strings.Contains(s, webtest.Multi) || !strings.Contains(s, "Kota Medan: Pembaca") {
		t.Errorf("search results %q", s)
	}
	assertAccessible(t, tb)
}
