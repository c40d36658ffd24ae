package web

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/langganan"
)

// Tagihan: the office's subscription for its admins (the API's
// list-tagihan, same Casbin action and the same read): the state in
// words, the plan and contract, the invoices with their payment and links
// to Stripe's copy, and how to pay. A read, so a read-only office opens
// it too.

// tagihanView is the office's billing.
type tagihanView struct {
	Halaman
	Ditagih   bool   // false: an office Sentra does not bill
	Keadaan   string // the state in words
	Kontrak   *langganan.ContractView
	Pemakaian langganan.Usage
	// Bundel is the full export once the office is closing (for those the
	// API's export-bundel allows).
	Bundel    *BagianBundel
	Items     []BarisTagihan
	CaraBayar string
}

// BarisTagihan is an invoice with its status in words.
type BarisTagihan struct {
	langganan.InvoiceView
	Status string
	Lewat  bool // open and past due
}

// statusTagihan are Stripe's invoice statuses in words; an open invoice
// is "belum dibayar" until its due date.
var statusTagihan = map[string]string{"draft": "Draf", "open": "Belum dibayar", "paid": "Lunas",
	"void": "Dibatalkan", "uncollectible": "Dihapusbukukan"}

func (a *App) tagihan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	var (
		tg     langganan.Tagihan
		bundle *BagianBundel
	)
	now := time.Now()
	err := a.DB.ReadTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		var err error
		if tg, err = langganan.ReadTagihan(q.ctx, tx, q.T.ID, q.T.Slug, now); err != nil || !q.Can("export-bundel") {
			return err
		}
		bundle, err = a.bundelKantor(q.ctx, tx, q.T, "/t/"+q.T.Slug+"/tagihan", q.loc)
		return err
	})
	if err != nil {
		return err
	}
	v := &tagihanView{Halaman: q.Halaman("Tagihan", "tagihan"), Ditagih: tg.Status.Billed, Kontrak: tg.Contract,
		Pemakaian: tg.Usage, CaraBayar: langganan.CaraBayar.ID, Bundel: bundle}
	v.Keadaan = keadaanDi(tg.Status.State, tg.Status.Reason, tg.Status.Until, q.loc)
	for _, in := range tg.Invoices {
		v.Items = append(v.Items, barisTagihan(in, now))
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// barisTagihan is in's row at now. A payment recorded from its SP2D pays
// it, even before Stripe hears of it (as langganan.Get decides).
func barisTagihan(in langganan.InvoiceView, now time.Time) BarisTagihan {
	b := BarisTagihan{InvoiceView: in, Status: statusTagihan[in.Status]}
	switch {
	case in.SP2DNumber != "":
		b.Status = statusTagihan["paid"]
	case in.Status == "open" && in.DueAt != nil && now.After(*in.DueAt):
		b.Status, b.Lewat = "Lewat jatuh tempo", true
	}
	return b
}
