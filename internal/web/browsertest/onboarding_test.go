package browsertest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestOnboarding: a platform admin opens Kota Makassar in the browser,
// starts its trial and makes the first admin's invitation link, which the
// invitee opens and accepts; axe and the CSP on each page.
func TestOnboarding(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	tb := newTab(t, srv.URL)
	tb.open("/platform/kantor")
	tb.login(webtest.Platform, webtest.Password)
	assertAccessible(t, tb)
	tb.do("type the code", chromedp.SendKeys(chromedp.CSS("#kode"), "73.71"))
	if status := tb.submit("open", chromedp.Click(chromedp.CSS("form[action='/platform/kantor'] button[type=submit]"))); status != http.StatusOK {
		t.Fatalf("open: status %d", status)
	}
	if h := tb.text("h1"); h != "Kota Makassar" {
		t.Fatalf("h1 %q at %s", h, tb.path())
	}
	assertAccessible(t, tb)
	end := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('#uji-tanggal').value = '`+end+`'`)); err != nil {
		t.Fatal(err)
	}
	tb.submit("trial", chromedp.Click(chromedp.CSS("form[action$='/uji-coba'] button")))
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Uji coba") {
		t.Errorf("state after the trial: %q", got)
	}
	tb.do("invite", chromedp.SendKeys(chromedp.CSS("#undangan-nama"), "Andi Baso"),
		chromedp.SendKeys(chromedp.CSS("#undangan-email"), "kadis@makassar.test"))
	tb.submit("invite", chromedp.Click(chromedp.CSS("form[action$='/undangan'] button")))
	link, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('.bukti a').getAttribute('href')`))
	if err != nil || !strings.HasPrefix(link, "/undangan/makassar/") {
		t.Fatalf("no invitation link: %q %v", link, err)
	}
	assertAccessible(t, tb)

	invitee := newTab(t, srv.URL)
	invitee.open(link)
	assertAccessible(t, invitee)
	invitee.do("password", chromedp.SendKeys(chromedp.CSS("#password"), "kata-sandi-andi-2026"))
	invitee.submit("accept", chromedp.Click(chromedp.CSS("form button[type=submit]")))
	if p := invitee.path(); !strings.HasPrefix(p, "/masuk") {
		t.Fatalf("after accepting: %s", p)
	}
	invitee.login("kadis@makassar.test", "kata-sandi-andi-2026")
	if p := invitee.path(); p != "/t/makassar/pengguna" {
		t.Errorf("the new admin lands on %s", p)
	}
	if msg := invitee.text(".spanduk"); !strings.HasPrefix(msg, "Masa uji coba berakhir pada") {
		t.Errorf("banner %q", msg)
	}
	assertAccessible(t, invitee)
}

// TestOffboarding: a platform admin cancels depok and closes it in the
// browser, each behind its confirmation box; the bundle's progress polls
// (htmx, under the CSP) until its download link replaces it; axe and the
// CSP on each page.
func TestOffboarding(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	// Depok billed, in its trial.
	srv.Exec(t, `insert into tenant_billing (tenant_id, trial_until) values ($1, now() + interval '30 days')`, srv.Tenants["depok"].ID)
	tb := newTab(t, srv.URL)
	tb.open("/platform/kantor/depok")
	tb.login(webtest.Platform, webtest.Password)
	tb.do("cancel", chromedp.SendKeys(chromedp.CSS("#batal-alasan"), "SPK tidak diperpanjang"),
		chromedp.Click(chromedp.CSS("form[action$='/batal'] input[name=konfirmasi]")))
	tb.submit("cancel", chromedp.Click(chromedp.CSS("form[action$='/batal'] button")))
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Berakhir") {
		t.Fatalf("state after cancelling: %q", got)
	}
	assertAccessible(t, tb)
	tb.do("confirm", chromedp.Click(chromedp.CSS("form[action$='/akhiri'] input[name=konfirmasi]")))
	tb.submit("close", chromedp.Click(chromedp.CSS("form[action$='/akhiri'] button")))
	if n := tb.count("#bundel progress"); n != 1 {
		t.Fatalf("no progress of the bundle (%d) at %s", n, tb.path())
	}
	assertAccessible(t, tb)
	srv.Work(t)
	tb.until("the download link", `document.querySelector('#bundel a.tombol[href^="/v1/public/depok/bundel/"]') !== null`)
	if n := tb.count("#bundel progress"); n != 0 {
		t.Error("the progress bar stays after the bundle is made")
	}
	assertAccessible(t, tb)
}
