package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// tagihanSample is an office in grace with an invoice past due, one paid
// from its SP2D and one Stripe has not numbered yet; hostile text in what
// the office or Stripe could have typed.
func tagihanSample(frame func(string) Halaman, at time.Time) *tagihanView {
	due, paid := at, at.AddDate(0, 0, -20)
	received := int64(39_240_000)
	seats, records := 10, 25_000
	h := frame("Tagihan")
	h.Kantor = &tenancy.Tenant{ID: uuid.New(), Slug: "depok", Name: "Kota Depok", TimeZone: "Asia/Jakarta",
		State: string(langganan.Grace), StateReason: string(langganan.ReasonOverdue), StateUntil: at.AddDate(0, 0, 60)}
	return &tagihanView{Halaman: h, Ditagih: true,
		Keadaan: keadaanDi(langganan.Grace, langganan.ReasonOverdue, at.AddDate(0, 0, 60), wib),
		Kontrak: &langganan.ContractView{Plan: "dasar", PlanName: hostile, YearlyPriceIDR: 36_000_000, ContractNumber: hostile,
			ContractAt: at.AddDate(-1, 0, 0), DaysUntilDue: 30, BillingEmail: hostile},
		Pemakaian: langganan.Usage{Plan: "dasar", Staff: 12, MaxStaff: &seats, Records: 31_250, MaxRecords: &records},
		Bundel: &BagianBundel{Keadaan: bundel.Keadaan{Job: pekerjaan.Job{Status: pekerjaan.Berjalan, CreatedAt: at}, Persen: 40},
			Muat: "/t/depok/tagihan", loc: wib},
		Items: []BarisTagihan{
			barisTagihan(langganan.InvoiceView{Number: hostile, Status: "open", AmountDueIDR: 39_960_000, TaxIDR: 3_960_000, DueAt: &due,
				HostedURL: "https://invoice.stripe.com/i/uji?x=" + hostile, PDFURL: "https://pay.stripe.com/invoice/uji/pdf"}, at.AddDate(0, 0, 1)),
			barisTagihan(langganan.InvoiceView{Number: "SNTR-0001", Status: "open", AmountDueIDR: 39_960_000, TaxIDR: 3_960_000, DueAt: &paid,
				SP2DNumber: hostile, PaidAt: &paid, ReceivedIDR: &received}, at),
			barisTagihan(langganan.InvoiceView{Status: "draft", AmountDueIDR: 39_960_000}, at),
		},
		CaraBayar: langganan.CaraBayar.ID}
}

// TestTagihanRenders: the invoices in an Indonesian office's formats, the
// overdue one said so, the paid one with its SP2D, Stripe's copies in a new
// tab without an opener, the banner of grace and how to pay; an unbilled
// office says it plainly and shows no invoice table.
func TestTagihanRenders(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 7, 5, 0, 0, time.UTC)
	w := httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, tagihanSample(func(j string) Halaman {
		return Halaman{Judul: j, loc: wib}
	}, at))
	body := w.Body.String()
	for _, want := range []string{
		"Rp 39.960.000", "Rp 3.960.000", "6 Desember 2026", "<strong>Lewat jatuh tempo</strong>", "Lunas", "Draf",
		"SP2D &lt;script&gt;", "tanggal 16 November 2026", "diterima Rp 39.240.000", "Rp 36.000.000 per tahun",
		`target="_blank" rel="noopener">Lihat tagihan<span class="tersembunyi"> (tab baru)</span></a>`,
		`href="https://pay.stripe.com/invoice/uji/pdf" target="_blank" rel="noopener">Unduh PDF`,
		"<dd>Masa tenggang: ada tagihan yang lewat jatuh tempo, baca saja mulai 4 Februari 2027</dd>",
		`<div class="spanduk" role="status"><p>Masa tenggang: ada tagihan yang lewat jatuh tempo, baca saja mulai 4 Februari 2027. Semua fitur`,
		"Setelah SP2D terbit",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	w = httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, &tagihanView{Halaman: Halaman{Judul: "Tagihan"}})
	if body := w.Body.String(); !strings.Contains(body, "Kantor ini tidak ditagih oleh Sentra") || strings.Contains(body, "<table") ||
		strings.Contains(body, "Cara membayar") {
		t.Errorf("an unbilled office:\n%s", body)
	}
}

// TestKeadaan: every state and reason Evaluate gives has its own words;
// the end of a state is said when it has one.
func TestKeadaan(t *testing.T) {
	seen := map[string]string{}
	for _, c := range []struct {
		s langganan.State
		r langganan.Reason
	}{
		{langganan.Provisioning, langganan.ReasonSetup}, {langganan.Trialing, langganan.ReasonTrial},
		{langganan.Active, langganan.ReasonPaid}, {langganan.Grace, langganan.ReasonOverdue},
		{langganan.Grace, langganan.ReasonGraceExtended}, {langganan.ReadOnly, langganan.ReasonUnpaid},
		{langganan.ReadOnly, langganan.ReasonSuspended}, {langganan.ReadOnly, langganan.ReasonTrialExpired},
		{langganan.Canceled, langganan.ReasonCanceled}, {langganan.Canceled, langganan.ReasonExportWindowUp},
		{langganan.Offboarding, langganan.ReasonOffboarding}, {langganan.Archived, langganan.ReasonArchived},
	} {
		sampai := ""
		if c.s == langganan.Trialing || c.s == langganan.Grace || c.r == langganan.ReasonCanceled {
			sampai = "6 Desember 2026"
		}
		got := keadaan(c.s, c.r, sampai)
		if prev, dup := seen[got]; dup {
			t.Errorf("%s/%s and %s say the same: %q", c.s, c.r, prev, got)
		}
		seen[got] = string(c.s) + "/" + string(c.r)
		if sampai != "" && !strings.Contains(got, sampai) {
			t.Errorf("%s/%s: %q does not say when it ends", c.s, c.r, got)
		}
	}
	if got := keadaan("", "", ""); got != "Aktif" {
		t.Errorf("an unbilled office: %q", got)
	}
	if got := keadaan(langganan.Trialing, langganan.ReasonTrial, ""); got != "Masa uji coba" {
		t.Errorf("a trial without its end: %q", got)
	}
}
