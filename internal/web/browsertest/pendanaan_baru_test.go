package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPendanaanBaru: Depok's staf opens "Pengajuan baru" on the board,
// finds a business by part of its name, picks it, and files its interest
// subsidy; an amount typed as words comes back beside its field first.
// axe and the CSP on every page.
func TestPendanaanBaru(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	srv.SeedKelompok(t, 2)

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/pendanaan")
	if status := tb.login(webtest.StafDepok, webtest.Password); status != http.StatusOK {
		t.Fatalf("login: status %d", status)
	}
	if status := tb.submit("the new application", chromedp.Click(chromedp.CSS(`a[href="/t/depok/pendanaan/baru"]`))); status != http.StatusOK {
		t.Fatalf("form: status %d", status)
	}
	assertAccessible(t, tb)
	tb.do("type a name", chromedp.SendKeys(chromedp.CSS("#q"), "Mesra 2"))
	if status := tb.submit("search", chromedp.Click(chromedp.CSS(`form[method=get][action="/t/depok/pendanaan/baru"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("search: status %d", status)
	}
	assertAccessible(t, tb)
	if status := tb.submit("pick the business", chromedp.Click(chromedp.Search(`//a[normalize-space()="Usaha Mesra 2"]`))); status != http.StatusOK {
		t.Fatalf("pick: status %d", status)
	}
	tb.choose("#skema", "subsidi_bunga_depok")
	tb.do("amount and bank", chromedp.SendKeys(chromedp.CSS("#plafon"), "dua puluh juta"), chromedp.SendKeys(chromedp.CSS("#bank"), "bjb"))
	if status := tb.submit("file with words", chromedp.Click(chromedp.CSS(`form[method=post][action="/t/depok/pendanaan/baru"] button[type=submit]`))); status != http.StatusUnprocessableEntity {
		t.Fatalf("amount in words: status %d", status)
	}
	if msg := tb.text("#plafon-galat"); !strings.Contains(msg, "rupiah") {
		t.Errorf("beside the amount: %q", msg)
	}
	assertAccessible(t, tb)
	tb.do("retype the amount", chromedp.SetValue(chromedp.CSS("#plafon"), "20.000.000"))
	if status := tb.submit("file", chromedp.Click(chromedp.CSS(`form[method=post][action="/t/depok/pendanaan/baru"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("file: status %d", status)
	}
	if !strings.HasPrefix(tb.path(), "/t/depok/pendanaan/pengajuan/") || !strings.Contains(tb.text("main"), "Usaha Mesra 2") {
		t.Fatalf("at %s: %s", tb.path(), tb.text("main"))
	}
	assertAccessible(t, tb)
	if n := srv.Count(t, `select count(*) from pengajuan_dana where plafon = 20000000`); n != 1 {
		t.Errorf("%d applications of Rp20.000.000", n)
	}
}
