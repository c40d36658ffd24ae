package browsertest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestOnboarding: a platform admin opens Kota Makassar in the browser,
// starts its trial and makes the first admin's invitation link, which the
// invitee opens and accepts; then records its contract (active), and when
// its invoice is overdue (grace, then read-only, as the Stripe sync
// mirrors it) records the payment from the SP2D: active again. axe and the
// CSP on each page.
func TestOnboarding(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t, webtest.WithStripe)
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
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Masa uji coba berakhir pada ") {
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

	// The contract: active.
	tb.open("/platform/kantor/makassar")
	tb.choose("#kontrak-paket", "menengah")
	tb.do("contract", chromedp.SendKeys(chromedp.CSS("#kontrak-nomor"), "050/SPK/DISKOP-UKM/2027"),
		chromedp.SendKeys(chromedp.CSS("#kontrak-npwp"), "01.234.567.8-901.000"),
		chromedp.SendKeys(chromedp.CSS("#kontrak-email"), "bendahara@makassar.test"))
	tb.submit("contract", chromedp.Click(chromedp.CSS("form[action$='/kontrak'] button")))
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Aktif") {
		t.Errorf("state after the contract: %q", got)
	}
	assertAccessible(t, tb)

	// Stripe's invoice as the sync mirrors it: overdue, then far overdue.
	makassar := srv.Tenant(t, "makassar")
	mirror := func(pastDue int) {
		t.Helper()
		srv.Mirror(t, makassar.ID, langganan.StripeInvoice{ID: "in_Makassar1", Number: "SNTR-0001", Status: langganan.InvoiceOpen,
			AmountDueIDR: 79_920_000, TaxIDR: 7_920_000, DueAt: time.Now().AddDate(0, 0, -pastDue)})
	}
	mirror(10)
	invitee.open("/t/makassar/pengguna")
	if msg := invitee.text(".spanduk"); !strings.Contains(msg, "jatuh tempo") {
		t.Errorf("grace banner %q", msg)
	}
	mirror(61)
	invitee.open("/t/makassar/pengguna")
	if msg := invitee.text(".spanduk"); !strings.Contains(msg, "baca saja") {
		t.Errorf("read-only banner %q", msg)
	}
	tb.open("/platform/kantor/makassar")
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Baca saja") {
		t.Errorf("state 61 days past due: %q", got)
	}
	tb.do("open the payment form", chromedp.Click(chromedp.CSS("details:has(form[action$='/bayar']) > summary")))
	tb.do("payment", chromedp.SendKeys(chromedp.CSS("input[name=sp2d]"), "00777/SP2D/LS/2027"),
		chromedp.SendKeys(chromedp.CSS("input[name=diterima]"), "77.920.000"))
	today := time.Now().In(time.FixedZone("WITA", 8*3600)).Format(time.DateOnly)
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector("form[action$='/bayar'] input[name=tanggal]").value = '`+today+`'`)); err != nil {
		t.Fatal(err)
	}
	tb.submit("payment", chromedp.Click(chromedp.CSS("form[action$='/bayar'] button")))
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Aktif") {
		t.Errorf("state after the payment: %q", got)
	}
	assertAccessible(t, tb)
	invitee.open("/t/makassar/pengguna")
	if n := invitee.count(".spanduk"); n != 0 {
		t.Errorf("a banner after the payment: %q", invitee.text(".spanduk"))
	}
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
	if got := tb.text(".rincian dd:nth-of-type(4)"); !strings.HasPrefix(got, "Langganan sudah berakhir") {
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
