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

// TestTagihan: Depok's admin, in grace with an invoice 12 days past due,
// sees the banner on the dashboard, follows the menu's Tagihan and finds
// the overdue invoice, its amount and its links to Stripe's copy opening
// in a new tab; axe and the CSP on both pages.
func TestTagihan(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	srv.Kontrak(t, "depok", langganan.StripeInvoice{ID: "in_lewat01", Number: "SNTR-0042", Status: langganan.InvoiceOpen,
		AmountDueIDR: 39_960_000, TaxIDR: 3_960_000, DueAt: time.Now().AddDate(0, 0, -12),
		HostedURL: "https://invoice.stripe.com/i/in_lewat01", PDFURL: "https://pay.stripe.com/invoice/in_lewat01/pdf"})

	tb := newTab(t, srv.URL)
	tb.open("/")
	if status := tb.login(webtest.AdminDepok, webtest.Password); status != http.StatusOK {
		t.Fatalf("login: status %d", status)
	}
	if p := tb.path(); p != "/t/depok/dasbor" {
		t.Fatalf("the admin lands on %s", p)
	}
	if msg := tb.text(".spanduk"); !strings.HasPrefix(msg, "Masa tenggang: ada tagihan yang lewat jatuh tempo, baca saja mulai ") ||
		!strings.Contains(msg, "halaman Tagihan") {
		t.Errorf("banner %q", msg)
	}
	assertAccessible(t, tb)

	if status := tb.submit("follow the menu", chromedp.Click(chromedp.CSS(`nav a[href="/t/depok/tagihan"]`))); status != http.StatusOK {
		t.Fatalf("Tagihan: status %d", status)
	}
	if p, h := tb.path(), tb.text("h1"); p != "/t/depok/tagihan" || h != "Tagihan" {
		t.Fatalf("at %s, h1 %q", p, h)
	}
	if n := tb.count("table.tagihan tbody tr"); n != 1 {
		t.Errorf("%d invoices shown, want 1", n)
	}
	if got := tb.text("table.tagihan tbody th"); got != "SNTR-0042" {
		t.Errorf("invoice number %q", got)
	}
	if got := tb.text("table.tagihan td.status-tagihan"); got != "Lewat jatuh tempo" {
		t.Errorf("status %q", got)
	}
	if got := tb.text("table.tagihan td.angka"); got != "Rp 39.960.000" {
		t.Errorf("amount %q", got)
	}
	links, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('table.tagihan a')].map(a => a.target + ' ' + a.rel + ' ' + a.href)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(links, "|") != "_blank noopener https://invoice.stripe.com/i/in_lewat01|_blank noopener https://pay.stripe.com/invoice/in_lewat01/pdf" {
		t.Errorf("links %q", links)
	}
	if !strings.Contains(tb.text(".spanduk"), "Masa tenggang") {
		t.Error("no banner on the Tagihan page")
	}
	assertAccessible(t, tb)
}
