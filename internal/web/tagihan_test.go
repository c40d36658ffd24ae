package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// overdue is an open invoice due days ago, as Stripe has it.
func overdue(id, number string, days int) langganan.StripeInvoice {
	return langganan.StripeInvoice{ID: id, Number: number, Status: langganan.InvoiceOpen, AmountDueIDR: 39_960_000, TaxIDR: 3_960_000,
		DueAt: time.Now().AddDate(0, 0, -days), HostedURL: "https://invoice.stripe.com/i/" + id, PDFURL: "https://pay.stripe.com/invoice/" + id + "/pdf"}
}

var tagihanRow = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th>`)

// TestTagihanPage: Depok's admin reads the office's billing — unbilled at
// first, said plainly; then in grace with an invoice past due and one paid
// earlier: the state in words, the plan and contract, exactly the invoices
// the database holds with their amounts and dates in the office's
// calendar, and how to pay. Staf and viewer are refused as the API refuses
// them (list-tagihan is the admins'), with no menu entry; another office's
// page is that of a missing one; a read-only office still shows it.
func TestTagihanPage(t *testing.T) {
	srv := webtest.New(t)
	admin := srv.Client(t)
	admin.Login(webtest.AdminDepok)

	r := admin.Get("/t/depok/tagihan")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Kantor ini tidak ditagih oleh Sentra") || strings.Contains(r.Body, "<table") {
		t.Fatalf("an unbilled office: status %d\n%s", r.Status, r.Body)
	}

	early := overdue("in_lunas01", "SNTR-0001", 400)
	early.Status, early.PaidAt = langganan.InvoicePaid, time.Now().AddDate(0, 0, -390)
	st := srv.Kontrak(t, "depok", early, overdue("in_lewat02", "SNTR-0002", 10))
	if st.State != langganan.Grace {
		t.Fatalf("an invoice 10 days past due: %s", st.State)
	}
	r = admin.Get("/t/depok/tagihan")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.Status, r.Body)
	}
	wib, _ := time.LoadLocation("Asia/Jakarta")
	due := format.Tanggal(time.Now().AddDate(0, 0, -10), wib)
	readOnly := format.Tanggal(st.Until, wib)
	for _, want := range []string{
		"<dd>Masa tenggang: ada tagihan yang lewat jatuh tempo, baca saja mulai " + readOnly + "</dd>",
		`<div class="spanduk" role="status"><p>Masa tenggang`,
		"Dasar: Rp 36.000.000 per tahun", "027/SPK/DISKOP-UKM/IV/2026", "30 hari setelah tagihan terbit",
		"<td>" + due + "</td>", "<strong>Lewat jatuh tempo</strong>", "Lunas", "Rp 39.960.000", "Rp 3.960.000",
		`<a href="https://invoice.stripe.com/i/in_lewat02" target="_blank" rel="noopener">`,
		`<a href="https://pay.stripe.com/invoice/in_lewat02/pdf" target="_blank" rel="noopener">`,
		langganan.CaraBayar.ID, `<a href="/t/depok/tagihan" aria-current="page">Tagihan</a>`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the page lacks %q\n%s", want, r.Body)
		}
	}
	// The invoices shown are the database's, newest due first.
	var stored []string
	if err := srv.Env.DB.InTenantTx(context.Background(), srv.Tenants["depok"].ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), "select number from invoices order by due_at desc")
		if err != nil {
			return err
		}
		stored, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, m := range tagihanRow.FindAllStringSubmatch(r.Body, -1) {
		shown = append(shown, m[1])
	}
	if strings.Join(shown, ",") != strings.Join(stored, ",") || len(stored) != 2 {
		t.Errorf("invoices shown %q, stored %q", shown, stored)
	}

	// Page = API, for each role of the office and a platform admin.
	for _, email := range []string{webtest.AdminDepok, webtest.StafDepok, webtest.ViewerDepok, webtest.Platform} {
		c := srv.Client(t)
		c.Login(email)
		page, api := c.Get("/t/depok/tagihan"), c.Get("/v1/tenants/depok/tagihan")
		if page.Status != api.Status {
			t.Errorf("%s: the page answers %d, the API %d", email, page.Status, api.Status)
		}
		shown := page.Body // the menu of a page they open
		if page.Status != http.StatusOK {
			shown = c.Get("/t/depok/dasbor").Body
		}
		menu := strings.Contains(shown, `<a href="/t/depok/tagihan"`)
		if (page.Status == http.StatusOK) != menu {
			t.Errorf("%s: page %d, menu entry shown: %t", email, page.Status, menu)
		}
		if admins := email == webtest.AdminDepok || email == webtest.Platform; admins != (page.Status == http.StatusOK) ||
			!admins && page.Status != http.StatusForbidden {
			t.Errorf("%s: %d, want 200 for admins and 403 for others (list-tagihan is the admins')", email, page.Status)
		}
	}

	other, missing := admin.Get("/t/medan/tagihan"), admin.Get("/t/tidak-ada/tagihan")
	if other.Status != http.StatusNotFound || requestID.ReplaceAllString(other.Body, "") != requestID.ReplaceAllString(missing.Body, "") {
		t.Errorf("medan's billing to depok's admin: %d\n%s", other.Status, other.Body)
	}

	srv.Record(t, "depok", langganan.Suspend("uji"))
	r = admin.Get("/t/depok/tagihan")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "<dd>Baca saja: akses kantor ini ditangguhkan") || !strings.Contains(r.Body, "SNTR-0002") {
		t.Errorf("a read-only office's billing: %d\n%s", r.Status, r.Body)
	}
}
