package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/langganan"
)

// An office's contract and invoices as a platform admin records them: the
// contract (SPK) that makes it active and subscribes it in Stripe, and the
// payment of an invoice from its SP2D. The same services and Casbin
// actions as the API's /v1/admin/tenants/{tenant}/langganan/kontrak and
// .../tagihan/{id}/bayar.

func (a *App) tagihanPlatformRoutes() {
	a.platform("POST /platform/kantor/{slug}/kontrak", "create-kontrak", a.kontrakKantor)
	a.platform("POST /platform/kantor/{slug}/tagihan/{id}/bayar", "create-pembayaran", a.bayarTagihan)
}

// KontrakForm is the contract form, as recorded or as typed.
type KontrakForm struct {
	Paket, Nomor, NPWP, Email, JatuhTempo string
}

// BayarForm is the payment form of one invoice as typed.
type BayarForm struct {
	SP2D, Tanggal, Diterima       string
	PPNNomor, PPNJumlah           string
	PPhJenis, PPhNomor, PPhJumlah string
}

// tagihanPlatform is the billing part of an office's platform page.
type tagihanPlatform struct {
	Mati      bool // billing is off on this server
	Paket     []langganan.Plan
	Kontrak   KontrakForm
	Pemakaian langganan.Usage
	Tagihan   []BarisTagihan
	// Bayar is the invoice whose payment form was posted, with what was
	// typed (its messages in Galat, "bayar-<field>").
	Bayar   uuid.UUID
	Dibayar BayarForm
}

// loadTagihan fills the billing part of v (in the office's transaction).
func (a *App) loadTagihan(q *Permintaan, tx pgx.Tx, v *kantorPlatformView) error {
	t := &v.Langganan
	t.Mati = a.Billing.Off()
	var err error
	if t.Paket, err = langganan.Plans(q.ctx, tx); err != nil {
		return err
	}
	if t.Pemakaian, err = langganan.UsageOf(q.ctx, tx, v.T.ID, v.T.Slug); err != nil {
		return err
	}
	c, err := langganan.ContractOf(q.ctx, tx)
	if err != nil {
		return err
	}
	t.Kontrak = KontrakForm{JatuhTempo: "30"}
	if c != nil {
		t.Kontrak = KontrakForm{Paket: c.Plan, Nomor: c.ContractNumber, NPWP: c.NPWP, Email: c.BillingEmail, JatuhTempo: strconv.Itoa(c.DaysUntilDue)}
	}
	invoices, err := langganan.Invoices(q.ctx, tx)
	for _, in := range invoices {
		t.Tagihan = append(t.Tagihan, barisTagihan(in, time.Now()))
	}
	return err
}

// kontrakKantor records the office's contract; on a refusal the page
// again with the form as typed and the messages beside the fields.
func (a *App) kontrakKantor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	t, err := a.Tenants.Resolve(q.ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	f := KontrakForm{Paket: r.PostForm.Get("paket"), Nomor: r.PostForm.Get("nomor"), NPWP: r.PostForm.Get("npwp"),
		Email: r.PostForm.Get("email"), JatuhTempo: strings.TrimSpace(r.PostForm.Get("jatuh_tempo"))}
	days, err := strconv.Atoi(f.JatuhTempo)
	if err != nil {
		days = 0 // refused by the service, in its words
	}
	_, err = a.Billing.RecordContract(q.ctx, t.ID, a.Queue, langganan.Contract{Plan: f.Paket, ContractNumber: f.Nomor, NPWP: f.NPWP,
		BillingEmail: f.Email, DaysUntilDue: days})
	if err == nil {
		a.Tenants.Forget(t.Slug)
		http.Redirect(w, r, "/platform/kantor/"+t.Slug+"?pesan=kontrak", http.StatusSeeOther)
		return nil
	}
	return a.refuseOnKantor(w, r, q, t.Slug, err, "kontrak", map[string]string{"plan": "paket", "contract_number": "nomor",
		"billing_email": "email", "days_until_due": "jatuh_tempo"}, func(v *kantorPlatformView) { v.Langganan.Kontrak = f })
}

// bayarTagihan records the payment of an invoice from its SP2D.
func (a *App) bayarTagihan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	t, err := a.Tenants.Resolve(q.ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	f := BayarForm{SP2D: r.PostForm.Get("sp2d"), Tanggal: r.PostForm.Get("tanggal"), Diterima: strings.TrimSpace(r.PostForm.Get("diterima")),
		PPNNomor: strings.TrimSpace(r.PostForm.Get("ppn_nomor")), PPNJumlah: strings.TrimSpace(r.PostForm.Get("ppn_jumlah")),
		PPhJenis: r.PostForm.Get("pph_jenis"), PPhNomor: strings.TrimSpace(r.PostForm.Get("pph_nomor")),
		PPhJumlah: strings.TrimSpace(r.PostForm.Get("pph_jumlah"))}
	keep := func(v *kantorPlatformView) { v.Langganan.Bayar, v.Langganan.Dibayar = id, f }
	aliases := map[string]string{"sp2d_number": "sp2d", "paid_on": "tanggal", "received_idr": "diterima",
		"tax_documents[0].number": "ppn_nomor", "tax_documents[0].amount_idr": "ppn_jumlah"}
	p, err := f.payment(t.Timezone, aliases)
	var today time.Time
	if err == nil {
		today, err = langganan.EndOfDay(time.Now().In(a.location(t.Timezone)).Format(time.DateOnly), t.Timezone, "body.paid_on")
		today = today.AddDate(0, 0, -1)
	}
	if err == nil {
		_, err = a.Billing.RecordPayment(q.ctx, t.ID, a.Queue, id, p, today)
	}
	if err == nil {
		a.Tenants.Forget(t.Slug)
		http.Redirect(w, r, "/platform/kantor/"+t.Slug+"?pesan=bayar", http.StatusSeeOther)
		return nil
	}
	return a.refuseOnKantor(w, r, q, t.Slug, err, "bayar", aliases, keep)
}

// payment reads the form as the API's body: an amount that does not read
// as rupiah has its message at once (the API's schema refuses it the
// same). The tax documents are the PPN's faktur, then the PPh's bukti
// potong, each when its number is typed.
func (f BayarForm) payment(tz string, aliases map[string]string) (langganan.Payment, error) {
	var (
		p      langganan.Payment
		fields []apperr.Field
	)
	rupiah := func(field, s string, dst *int64) {
		if s == "" {
			return
		}
		if n, ok := bacaRupiah(s); ok {
			*dst = n
			return
		}
		fields = append(fields, apperr.Field{Location: "body." + field, Value: s, Message: apperr.T(textRupiah, "Whole rupiah, e.g. 15.000.000.")})
	}
	p.SP2DNumber = f.SP2D
	day, err := langganan.EndOfDay(f.Tanggal, tz, "body.paid_on")
	if err != nil {
		ae, _ := apperr.As(err)
		if ae == nil {
			return p, err
		}
		fields = append(fields, ae.Fields...)
	} else {
		p.PaidOn = day.AddDate(0, 0, -1)
	}
	rupiah("received_idr", f.Diterima, &p.ReceivedIDR)
	if f.PPNNomor != "" || f.PPNJumlah != "" {
		d := langganan.TaxDocument{Kind: "ppn", Number: f.PPNNomor}
		rupiah("tax_documents[0].amount_idr", f.PPNJumlah, &d.AmountIDR)
		p.TaxDocuments = append(p.TaxDocuments, d)
	}
	if f.PPhNomor != "" || f.PPhJumlah != "" {
		i := len(p.TaxDocuments)
		aliases[taxField(i, "kind")], aliases[taxField(i, "number")], aliases[taxField(i, "amount_idr")] = "pph_jenis", "pph_nomor", "pph_jumlah"
		d := langganan.TaxDocument{Kind: f.PPhJenis, Number: f.PPhNomor}
		rupiah(taxField(i, "amount_idr"), f.PPhJumlah, &d.AmountIDR)
		p.TaxDocuments = append(p.TaxDocuments, d)
	}
	if len(fields) > 0 {
		return p, apperr.Invalid(apperr.T("Data pembayaran tidak valid. Periksa isian yang disebutkan.", "Invalid payment. Check the fields listed."), fields...)
	}
	return p, nil
}

func taxField(i int, name string) string { return "tax_documents[" + strconv.Itoa(i) + "]." + name }

// refuseOnKantor shows the office's page again after a refusal of the form
// named step: its message on top, each field's beside it ("<step>-<field>"),
// what was typed kept by keep.
func (a *App) refuseOnKantor(w http.ResponseWriter, r *http.Request, q *Permintaan, slug string, err error, step string,
	aliases map[string]string, keep func(*kantorPlatformView)) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict && ae.Kind != apperr.KindUnavailable {
		return err
	}
	v, verr := a.kantorPlatformView(q, slug)
	if verr != nil {
		return verr
	}
	if keep != nil {
		keep(v)
	}
	v.Pesan = ae.Message.ID
	for k, msg := range fieldErrors(ae, aliases) {
		v.Galat[step+"-"+k] = msg
	}
	status := httpStatus(ae.Kind)
	if ae.Kind == apperr.KindUnavailable {
		status = http.StatusServiceUnavailable
	}
	a.render(w, r, status, v)
	return nil
}
