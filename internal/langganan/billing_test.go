package langganan_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/langganan"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// ledger feeds the sync objects as Stripe would have them now (stripe-mock
// cannot make an invoice past due, paid or a subscription canceled).
type ledger struct {
	now     langganan.Fetched
	onFetch func() // runs while "Stripe" is read
	fetches int
	ended   []string // the keys of EndSubscription calls
}

func (l *ledger) Livemode() bool { return false }
func (l *ledger) CreateCustomer(context.Context, langganan.Customer, string) (string, error) {
	return "", errors.New("not in this test")
}
func (l *ledger) Subscribe(context.Context, langganan.Subscription, string) (langganan.Subscribed, error) {
	return langganan.Subscribed{}, errors.New("not in this test")
}
func (l *ledger) Resubscribe(context.Context, langganan.Subscription, string, string) (langganan.Subscribed, error) {
	return langganan.Subscribed{}, errors.New("not in this test")
}
func (l *ledger) EndSubscription(_ context.Context, sub, key string) (langganan.StripeSubscription, error) {
	l.ended = append(l.ended, key)
	s := *l.now.Subscription
	s.CancelAtPeriodEnd = true
	l.now.Subscription = &s // as Stripe has it from now on
	return s, nil
}
func (l *ledger) PayOutOfBand(context.Context, langganan.OutOfBand, string) error { return nil }
func (l *ledger) Fetch(_ context.Context, customer, sub string) (langganan.Fetched, error) {
	l.fetches++
	if l.onFetch != nil {
		l.onFetch()
	}
	return l.now, nil
}

type bundle struct {
	d        *db.DB
	billing  *langganan.Billing
	ledger   *ledger
	tenant   uuid.UUID
	customer string
}

// setup is an office under contract with a Stripe customer.
func setup(t *testing.T) *bundle {
	t.Helper()
	env := dbtest.New(t)
	b := &bundle{d: env.DB, ledger: &ledger{}, customer: "cus_Uji" + uuid.NewString()[:8]}
	b.tenant = dbtest.NewTenant(t, env.DB, "kota-uji").ID
	b.billing = &langganan.Billing{DB: env.DB, Ledger: b.ledger, PPN: langganan.DefaultPPN, APIVersion: "2023-10-16",
		Now: time.Now, Logger: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	if err := env.DB.InTenantTx(ctx, b.tenant, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, plan_code, contract_at, contract_number, npwp, billing_email)
			values ($1, 'dasar', now() - interval '60 days', 'SPK-1', '012345678901000', 'bendahara@uji.go.id')`, b.tenant); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into stripe_customers (customer_id, tenant, subscription_id, livemode) values ($1, $2, 'sub_Uji', false)`,
			b.customer, b.tenant)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *bundle) sync(t *testing.T) error {
	t.Helper()
	completed := false
	err := b.billing.RunSync(context.Background(), langganan.SyncArgs{TenantID: b.tenant, CustomerID: b.customer},
		func(pgx.Tx) error { completed = true; return nil })
	if err == nil && !completed {
		t.Error("the sync did not complete its job")
	}
	return err
}

func (b *bundle) state(t *testing.T) (state, reason string) {
	t.Helper()
	if err := b.d.InTx(context.Background(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), "select state, state_reason from tenants where id = $1", b.tenant).Scan(&state, &reason)
	}); err != nil {
		t.Fatal(err)
	}
	return state, reason
}

func invoice(status langganan.InvoiceStatus, due time.Time) langganan.StripeInvoice {
	return langganan.StripeInvoice{ID: "in_Uji1", Number: "SNTR-0001", Status: status, AmountDueIDR: 39_960_000, TaxIDR: 3_960_000,
		DueAt: due, HostedURL: "https://invoice.stripe.com/i/uji", PDFURL: "https://pay.stripe.com/invoice/uji/pdf"}
}

// TestSyncFollowsWhatStripeHasNow: the sync mirrors the fetched invoices
// in rupiah and decides from them, whatever events came and in whatever
// order: an invoice 10 days past due is grace, 61 days read-only, paid
// active again; a canceled subscription cancels. The audit says stripe.
func TestSyncFollowsWhatStripeHasNow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	now := time.Now()

	b.ledger.now = langganan.Fetched{Subscription: &langganan.StripeSubscription{ID: "sub_Uji", Status: "active"},
		Invoices: []langganan.StripeInvoice{invoice(langganan.InvoiceOpen, now.AddDate(0, 0, -10))}}
	if err := b.sync(t); err != nil {
		t.Fatal(err)
	}
	if s, r := b.state(t); s != "grace" || r != "invoice_overdue" {
		t.Errorf("an invoice 10 days past due: %s %s", s, r)
	}
	var amount, tax int64
	var hosted, pdf string
	if err := b.d.InTenantTx(context.Background(), b.tenant, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), "select amount_due_idr, tax_idr, hosted_url, pdf_url from invoices where stripe_invoice_id = 'in_Uji1'").
			Scan(&amount, &tax, &hosted, &pdf)
	}); err != nil {
		t.Fatal(err)
	}
	if amount != 39_960_000 || tax != 3_960_000 || hosted == "" || pdf == "" {
		t.Errorf("mirrored %d %d %q %q", amount, tax, hosted, pdf)
	}

	b.ledger.now.Invoices[0].DueAt = now.AddDate(0, 0, -61)
	if err := b.sync(t); err != nil {
		t.Fatal(err)
	}
	if s, r := b.state(t); s != "read_only" || r != "invoice_unpaid" {
		t.Errorf("61 days past due: %s %s", s, r)
	}

	// Paid. The events of the payment may come in any order, twice: each
	// sync reads Stripe, so the office ends active.
	b.ledger.now.Invoices[0].Status, b.ledger.now.Invoices[0].PaidAt = langganan.InvoicePaid, now
	for range 2 {
		if err := b.sync(t); err != nil {
			t.Fatal(err)
		}
	}
	if s, _ := b.state(t); s != "active" {
		t.Errorf("paid while read-only: %s", s)
	}
	var invoices, byStripe int
	if err := b.d.InTenantTx(context.Background(), b.tenant, func(tx pgx.Tx) error {
		if err := tx.QueryRow(context.Background(), "select count(*) from invoices").Scan(&invoices); err != nil {
			return err
		}
		return tx.QueryRow(context.Background(), "select count(*) from audit_log where entity = 'langganan' and after->>'oleh' = 'stripe'").Scan(&byStripe)
	}); err != nil {
		t.Fatal(err)
	}
	if invoices != 1 || byStripe != 3 {
		t.Errorf("%d invoices mirrored (want 1), %d state changes audited as stripe (want 3)", invoices, byStripe)
	}

	b.ledger.now.Subscription = &langganan.StripeSubscription{ID: "sub_Uji", Status: "canceled", EndedAt: now.Add(-time.Hour)}
	if err := b.sync(t); err != nil {
		t.Fatal(err)
	}
	if s, r := b.state(t); s != "canceled" || r != "canceled" {
		t.Errorf("the subscription ended: %s %s", s, r)
	}
}

// TestSyncAgainWhenAnEventArrivesMeanwhile: an event received while Stripe
// is read makes the sync run again rather than complete on what it read
// before; nothing is mirrored from the stale read.
func TestSyncAgainWhenAnEventArrivesMeanwhile(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ledger.now = langganan.Fetched{Invoices: []langganan.StripeInvoice{invoice(langganan.InvoiceOpen, time.Now().AddDate(0, 0, -10))}}
	b.ledger.onFetch = func() {
		b.ledger.onFetch = nil
		if _, _, err := b.billing.Receive(context.Background(), noQueue{}, langganan.Event{ID: "evt_Sela", Type: "invoice.paid",
			APIVersion: "2023-10-16", CustomerID: b.customer}); err != nil {
			t.Error(err)
		}
	}
	if err := b.sync(t); !errors.Is(err, langganan.ErrAgain) {
		t.Fatalf("an event during the sync: %v, want ErrAgain", err)
	}
	if s, _ := b.state(t); s != "active" {
		t.Errorf("the stale read changed the state: %s", s)
	}
	if err := b.sync(t); err != nil {
		t.Fatal(err)
	}
	if s, _ := b.state(t); s != "grace" || b.ledger.fetches != 2 {
		t.Errorf("the second sync: %s after %d fetches", s, b.ledger.fetches)
	}
}

// noQueue takes jobs and runs none (the test runs the sync itself).
type noQueue struct{}

func (noQueue) InsertTx(context.Context, pgx.Tx, river.JobArgs, *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return &rivertype.JobInsertResult{}, nil
}

// TestSyncEndsACanceledSubscription: once Sentra canceled the contract the
// sync sets the Stripe subscription to end with its period, once (the key
// stable, a later sync finding it ending calls nothing), and the office
// stays canceled.
func TestSyncEndsACanceledSubscription(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ledger.now = langganan.Fetched{Subscription: &langganan.StripeSubscription{ID: "sub_Uji", Status: "active"}}
	svc := &langganan.Service{DB: b.d, Now: time.Now}
	if _, err := svc.Record(context.Background(), b.tenant, "kota-uji", langganan.Cancel("SPK tidak diperpanjang", nil)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := b.sync(t); err != nil {
			t.Fatal(err)
		}
	}
	if len(b.ledger.ended) != 1 || b.ledger.ended[0] != "sentra/subscription/sub_Uji/end" {
		t.Errorf("EndSubscription calls: %v, want one with a stable key", b.ledger.ended)
	}
	if s, _ := b.state(t); s != "canceled" {
		t.Errorf("state %s, want canceled", s)
	}
}
