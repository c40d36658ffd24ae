package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestOffice walks the office's first pages in a real browser. One server
// for all (users are slow to make); each subtest has its own tab and
// cookies.
func TestOffice(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)

	t.Run("staf logs in and lands on the dashboard", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		if p := tb.path(); p != "/masuk" {
			t.Fatalf("without a session / shows %s, want /masuk", p)
		}
		assertAccessible(t, tb)
		if status := tb.login(webtest.StafDepok, webtest.Password); status != http.StatusOK {
			t.Fatalf("after login: status %d", status)
		}
		if p := tb.path(); p != "/t/depok/dasbor" {
			t.Fatalf("staf lands on %s, want /t/depok/dasbor", p)
		}
		if h := tb.text("h1"); h != "Dasbor Kota Depok" {
			t.Errorf("h1 %q", h)
		}
		if v := tb.text(".ringkasan li:first-child .nilai"); v != "60" {
			t.Errorf("UMKM terdaftar shows %q, want 60", v)
		}
		assertAccessible(t, tb)
	})

	t.Run("petugas lands on the register and searches", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		tb.login(webtest.PetugasDepok, webtest.Password)
		if p := tb.path(); p != "/t/depok/umkm" {
			t.Fatalf("petugas lands on %s, want /t/depok/umkm", p)
		}
		if tb.count("#hasil tbody tr") == 0 {
			t.Fatal("the petugas' list is empty")
		}
		if tb.count(`nav.menu a[href="/t/depok/dasbor"]`) != 0 {
			t.Error("the menu offers a petugas the dashboard")
		}
		assertAccessible(t, tb)
		// htmx replaces the results as one types, under the CSP.
		tb.do("search", chromedp.SendKeys(chromedp.CSS("#q"), "zzzqqq"),
			chromedp.WaitVisible(chromedp.CSS("#hasil .kosong")))
		if p := tb.path(); !strings.Contains(p, "q=zzzqqq") {
			t.Errorf("the address does not keep the search: %s", p)
		}
		assertAccessible(t, tb)
	})

	t.Run("staf pages the register with berikutnya", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/t/depok/umkm")
		tb.login(webtest.StafDepok, webtest.Password)
		first := tb.text("#hasil tbody tr:first-child th")
		if status := tb.submit("next page", chromedp.Click(chromedp.CSS(`a[rel="next"]`))); status != http.StatusOK {
			t.Fatalf("next page: status %d", status)
		}
		if p := tb.path(); !strings.Contains(p, "cursor=") {
			t.Errorf("next page at %s", p)
		}
		if tb.text("#hasil tbody tr:first-child th") == first {
			t.Error("the next page starts with the same business")
		}
	})

	t.Run("a wrong password shows the message beside the field", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/masuk")
		if status := tb.login(webtest.ViewerDepok, "bukan-kata-sandinya"); status != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", status)
		}
		if msg := tb.text("#password-galat"); msg != "Email atau kata sandi salah." {
			t.Errorf("beside the password: %q", msg)
		}
		described, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('#password').getAttribute('aria-describedby')`))
		if err != nil || described != "password-galat" {
			t.Errorf("the field does not name its message: %q, %v", described, err)
		}
		if v, _ := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS("#email"))); v != webtest.ViewerDepok {
			t.Errorf("the e-mail typed is lost: %q", v)
		}
		assertAccessible(t, tb)
	})

	t.Run("an expired session goes to masuk and back", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		tb.login(webtest.AdminDepok, webtest.Password)
		srv.ExpireSessions(t, webtest.AdminDepok)
		const want = "/t/depok/umkm?q=warung"
		tb.open(want)
		if p := tb.path(); p != "/masuk?lanjut="+url.QueryEscape(want) {
			t.Fatalf("an expired session shows %s", p)
		}
		tb.login(webtest.AdminDepok, webtest.Password)
		if p := tb.path(); p != want {
			t.Errorf("after logging in again: %s, want %s", p, want)
		}
	})

	t.Run("keluar ends the session", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		tb.login(webtest.ViewerDepok, webtest.Password)
		tb.submit("keluar", chromedp.Click(chromedp.CSS("form.keluar button")))
		if p := tb.path(); p != "/masuk" {
			t.Fatalf("after keluar: %s", p)
		}
		tb.open("/t/depok/dasbor")
		if p := tb.path(); !strings.HasPrefix(p, "/masuk?lanjut=") {
			t.Errorf("the dashboard after keluar shows %s", p)
		}
	})

	t.Run("a cross-origin POST gets 403", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		tb.login(webtest.StafDepok, webtest.Password)
		// Another origin (another port: same site, so the cookie goes along;
		// only the cross-origin check stands in the way).
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><title>x</title><form method="post" action="%s/keluar"><button id="kirim">Kirim</button></form>`, srv.URL)
		}))
		defer evil.Close()
		if _, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(evil.URL)); err != nil {
			t.Fatal(err)
		}
		if status := tb.submit("forged POST", chromedp.Click(chromedp.CSS("#kirim"))); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
		if status := tb.open("/t/depok/dasbor"); status != http.StatusOK || tb.path() != "/t/depok/dasbor" {
			t.Errorf("the forged logout ended the session: status %d at %s", status, tb.path())
		}
	})
}
