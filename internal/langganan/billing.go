package langganan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
)

// Billing is the Stripe side of an office's life: the contract and its
// subscription, the mirror of its invoices, payments, webhook events.
// Every Stripe call runs in a River job (args below; the workers live in
// internal/jobs and call the Run methods).
type Billing struct {
	DB     *db.DB
	Ledger Ledger // nil: billing is off (no Stripe key)
	PPN    PPN
	// APIVersion is the one events must have (stripe-go v76's); an event
	// of another is stored and changes nothing.
	APIVersion string
	Now        func() time.Time
	Logger     *slog.Logger
}

// Inserter enqueues River jobs in the caller's transaction.
type Inserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// ErrBillingOff answers what needs Stripe when no key is configured.
var ErrBillingOff = &apperr.Error{Kind: apperr.KindUnavailable, Code: "billing_off", Message: apperr.T(
	"Penagihan tidak aktif: Stripe belum dikonfigurasi di server ini (--stripe-key).",
	"Billing is off: Stripe is not configured on this server (--stripe-key).")}

// Off reports whether billing is off.
func (b *Billing) Off() bool { return b == nil || b.Ledger == nil }

type actorKey struct{}

// WithActor names who changes a state when no user does: "stripe" (the
// sync), "system" (the daily clock). The audit row says it.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

func actorOf(ctx context.Context) string {
	a, _ := ctx.Value(actorKey{}).(string)
	return a
}

// The jobs. Each carries its tenant (the jobs' tenant middleware sets it).

// SubscribeArgs creates the office's Stripe customer and subscription for
// a recorded contract, or makes the subscription follow a changed one,
// then syncs. Unique by the contract and the version of the facts it was
// queued for: each change of the contract has its own job.
type SubscribeArgs struct {
	TenantID       uuid.UUID `json:"tenant_id"`
	ContractNumber string    `json:"contract_number"`
	Version        int64     `json:"version,omitempty"`
}

func (SubscribeArgs) Kind() string { return "langganan_subscribe" }

func (SubscribeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Tenant is the tenant of the job.
func (a SubscribeArgs) Tenant() uuid.UUID { return a.TenantID }

// SyncArgs mirrors a customer's subscription and invoices and applies the
// state. Unique by customer while queued or running, so a burst of events
// is one sync; an event that arrives while it runs makes it run again.
type SyncArgs struct {
	TenantID   uuid.UUID `json:"tenant_id"`
	CustomerID string    `json:"customer_id"`
}

func (SyncArgs) Kind() string { return "langganan_sync" }

func (SyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// Tenant is the tenant of the job.
func (a SyncArgs) Tenant() uuid.UUID { return a.TenantID }

// PayArgs sends a recorded payment to Stripe (SP2D on the invoice, paid
// out of band), then syncs.
type PayArgs struct {
	TenantID  uuid.UUID `json:"tenant_id"`
	InvoiceID uuid.UUID `json:"invoice_id"`
}

func (PayArgs) Kind() string { return "langganan_pay" }

func (PayArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Tenant is the tenant of the job.
func (a PayArgs) Tenant() uuid.UUID { return a.TenantID }

// Contract is what a platform admin records from the signed SPK.
type Contract struct {
	Plan           string
	ContractNumber string
	NPWP           string
	BillingEmail   string
	DaysUntilDue   int
}

var npwpSeparators = strings.NewReplacer(".", "", "-", "", " ", "")

var npwpDigits = regexp.MustCompile(`^[0-9]{15,16}$`)

// validate checks c against the price list, naming every field at fault.
func (c *Contract) validate(ctx context.Context, tx pgx.Tx) (Plan, error) {
	var fields []apperr.Field
	bad := func(field string, value any, id, en string) {
		fields = append(fields, apperr.Field{Location: "body." + field, Value: value, Message: apperr.T(id, en)})
	}
	var plan Plan
	err := tx.QueryRow(ctx, `select code, name, stripe_lookup_key, yearly_price_idr from plans where code = $1 and active`, c.Plan).
		Scan(&plan.Code, &plan.Name, &plan.LookupKey, &plan.YearlyPriceIDR)
	if errors.Is(err, pgx.ErrNoRows) {
		bad("plan", c.Plan, "Paket tidak dikenal: pilih dasar, menengah atau penuh.", "Unknown plan: choose dasar, menengah or penuh.")
	} else if err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	c.ContractNumber = strings.TrimSpace(c.ContractNumber)
	if c.ContractNumber == "" || len(c.ContractNumber) > 100 {
		bad("contract_number", c.ContractNumber, "Nomor kontrak (SPK) wajib diisi, paling panjang 100 karakter.",
			"The contract (SPK) number is required, at most 100 characters.")
	}
	if d := npwpSeparators.Replace(c.NPWP); npwpDigits.MatchString(d) {
		c.NPWP = d
	} else {
		bad("npwp", c.NPWP, "NPWP terdiri dari 15 atau 16 angka.", "An NPWP has 15 or 16 digits.")
	}
	c.BillingEmail = strings.ToLower(strings.TrimSpace(c.BillingEmail))
	if a, err := mail.ParseAddress(c.BillingEmail); err != nil || a.Address != c.BillingEmail {
		bad("billing_email", c.BillingEmail, "Alamat e-mail tidak valid.", "Not an e-mail address.")
	}
	if c.DaysUntilDue < 1 || c.DaysUntilDue > 365 {
		bad("days_until_due", c.DaysUntilDue, "Jatuh tempo antara 1 dan 365 hari setelah tagihan terbit.",
			"The due date is 1 to 365 days after the invoice.")
	}
	if len(fields) > 0 {
		return Plan{}, apperr.Invalid(apperr.T("Data kontrak tidak valid. Periksa isian yang disebutkan.",
			"Invalid contract. Check the fields listed."), fields...)
	}
	return plan, nil
}

// Plans are the plans on sale, cheapest first.
func Plans(ctx context.Context, tx pgx.Tx) ([]Plan, error) {
	rows, err := tx.Query(ctx, `select code, name, stripe_lookup_key, yearly_price_idr from plans where active order by yearly_price_idr`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Plan, error) {
		var p Plan
		err := r.Scan(&p.Code, &p.Name, &p.LookupKey, &p.YearlyPriceIDR)
		return p, err
	})
}

// RecordContract records the office's contract, applies the state (active)
// and queues its subscription, in one tenant transaction audited with the
// caller of ctx. The same contract again changes nothing and queues
// nothing new; another contract number replaces the plan's facts.
func (b *Billing) RecordContract(ctx context.Context, tenantID uuid.UUID, q Inserter, c Contract) (Status, error) {
	var st Status
	err := b.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		st, err = b.RecordContractTx(ctx, tx, tenantID, q, c)
		return err
	})
	return st, err
}

// RecordContractTx is RecordContract in tx, a tenant transaction of
// tenantID that the caller commits.
func (b *Billing) RecordContractTx(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, q Inserter, c Contract) (Status, error) {
	if b.Off() {
		return Status{}, ErrBillingOff
	}
	now := b.Now()
	if _, err := c.validate(ctx, tx); err != nil {
		return Status{}, err
	}
	var version int64
	err := tx.QueryRow(ctx, `insert into tenant_billing (tenant_id, plan_code, contract_at, contract_number, npwp, billing_email, days_until_due)
			values ($1, $2, $3, $4, $5, $6, $7)
		on conflict (tenant_id) do update set plan_code = excluded.plan_code,
			contract_at = coalesce(tenant_billing.contract_at, excluded.contract_at), contract_number = excluded.contract_number,
			npwp = excluded.npwp, billing_email = excluded.billing_email, days_until_due = excluded.days_until_due,
			version = tenant_billing.version + 1, updated_at = now()
		where (tenant_billing.plan_code, tenant_billing.contract_number, tenant_billing.npwp, tenant_billing.billing_email,
			tenant_billing.days_until_due, tenant_billing.contract_at is null)
			is distinct from (excluded.plan_code, excluded.contract_number, excluded.npwp, excluded.billing_email,
			excluded.days_until_due, false)
		returning version`,
		tenantID, c.Plan, now, c.ContractNumber, c.NPWP, c.BillingEmail, c.DaysUntilDue).Scan(&version)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Status{}, db.MapError(err)
	}
	if err == nil {
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: tenantID, Action: "record_contract", Entity: "langganan",
			EntityID: tenantID.String(), After: map[string]any{"plan": c.Plan, "contract_number": c.ContractNumber,
				"days_until_due": c.DaysUntilDue, "billing_email": c.BillingEmail}}); err != nil {
			return Status{}, err
		}
		if _, err := q.InsertTx(ctx, tx, SubscribeArgs{TenantID: tenantID, ContractNumber: c.ContractNumber, Version: version}, nil); err != nil {
			return Status{}, fmt.Errorf("queue subscription: %w", err)
		}
	}
	st, _, err := Apply(ctx, tx, tenantID, now)
	return st, err
}

// key is an idempotency key from stable ids: the same step of the same
// office always sends the same key.
func key(parts ...string) string { return "sentra/" + strings.Join(parts, "/") }

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// stripeCustomer is an office's row of stripe_customers.
type stripeCustomer struct {
	CustomerID, SubscriptionID string
}

func customerOf(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) (stripeCustomer, bool, error) {
	var c stripeCustomer
	var sub *string
	err := tx.QueryRow(ctx, `select customer_id, subscription_id from stripe_customers where tenant = $1`, tenantID).Scan(&c.CustomerID, &sub)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if sub != nil {
		c.SubscriptionID = *sub
	}
	return c, err == nil, err
}

// RunSubscribe is the subscription job: the customer (stored as soon as
// Stripe made it, so a retry never makes another even after the
// idempotency key expired), the subscription, then the first sync. done
// completes the job in the last transaction.
func (b *Billing) RunSubscribe(ctx context.Context, a SubscribeArgs, done func(pgx.Tx) error) error {
	if b.Off() {
		return ErrBillingOff
	}
	var (
		c        Contract
		name     string
		plan     Plan
		cust     stripeCustomer
		haveCust bool
		current  bool
	)
	err := b.DB.InTenantTx(ctx, a.TenantID, func(tx pgx.Tx) error {
		var number, npwp, email, planCode *string
		err := tx.QueryRow(ctx, `select t.name, b.plan_code, b.contract_number, b.npwp, b.billing_email, b.days_until_due
			from tenant_billing b join tenants t on t.id = b.tenant_id where b.tenant_id = $1 and b.contract_at is not null`, a.TenantID).
			Scan(&name, &planCode, &number, &npwp, &email, &c.DaysUntilDue)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if number == nil || *number != a.ContractNumber || planCode == nil || npwp == nil || email == nil {
			return nil // a later contract has its own job
		}
		current = true
		c.ContractNumber, c.NPWP, c.BillingEmail, c.Plan = *number, *npwp, *email, *planCode
		if err := tx.QueryRow(ctx, `select code, name, stripe_lookup_key, yearly_price_idr from plans where code = $1`, c.Plan).
			Scan(&plan.Code, &plan.Name, &plan.LookupKey, &plan.YearlyPriceIDR); err != nil {
			return fmt.Errorf("plan %s: %w", c.Plan, err)
		}
		cust, haveCust, err = customerOf(ctx, tx, a.TenantID)
		return err
	})
	if err != nil {
		return err
	}
	if !current {
		return b.DB.InTenantTx(ctx, a.TenantID, done)
	}
	tenant := a.TenantID.String()
	if !haveCust {
		id, err := b.Ledger.CreateCustomer(ctx, Customer{TenantID: tenant, Name: name, Email: c.BillingEmail, NPWP: c.NPWP},
			key("tenant", tenant, "customer"))
		if err != nil {
			return err
		}
		err = b.DB.InTenantTx(ctx, a.TenantID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `insert into stripe_customers (customer_id, tenant, livemode) values ($1, $2, $3)
				on conflict (tenant) do nothing`, id, a.TenantID, b.Ledger.Livemode())
			if err != nil {
				return err
			}
			cust, _, err = customerOf(ctx, tx, a.TenantID)
			return err
		})
		if err != nil {
			return fmt.Errorf("store customer: %w", err)
		}
	}
	sub := Subscription{TenantID: tenant, CustomerID: cust.CustomerID, BillingEmail: c.BillingEmail, Plan: plan,
		DaysUntilDue: c.DaysUntilDue, ContractNumber: c.ContractNumber, PPN: b.PPN}
	var s Subscribed
	if cust.SubscriptionID == "" {
		s, err = b.Ledger.Subscribe(ctx, sub, key("tenant", tenant, "subscription", shortHash(c.ContractNumber)))
	} else {
		// A changed contract (plan, days until due, treasurer): the same
		// facts always send the same key.
		s, err = b.Ledger.Resubscribe(ctx, sub, cust.SubscriptionID, key("tenant", tenant, "subscription", cust.SubscriptionID,
			shortHash(fmt.Sprint(c.ContractNumber, "|", plan.Code, "|", plan.YearlyPriceIDR, "|", c.DaysUntilDue, "|", c.BillingEmail))))
	}
	if err != nil {
		return err
	}
	err = b.DB.InTenantTx(ctx, a.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update stripe_customers set subscription_id = coalesce(subscription_id, $2), price_id = $3, tax_rate_id = $4,
				updated_at = now() where tenant = $1`, a.TenantID, s.SubscriptionID, s.PriceID, s.TaxRateID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store subscription: %w", err)
	}
	return b.RunSync(ctx, SyncArgs{TenantID: a.TenantID, CustomerID: cust.CustomerID}, done)
}

// FollowCancel queues the sync of a canceled office's Stripe customer, in
// the transaction that canceled it: the sync ends the subscription with
// its period. Nothing without billing or a customer.
func (b *Billing) FollowCancel(ctx context.Context, tx pgx.Tx, q Inserter, tenantID uuid.UUID) error {
	if b.Off() {
		return nil
	}
	c, ok, err := customerOf(ctx, tx, tenantID)
	if err != nil || !ok {
		return err
	}
	_, err = q.InsertTx(ctx, tx, SyncArgs{TenantID: tenantID, CustomerID: c.CustomerID}, nil)
	return err
}

// ErrAgain is a sync that saw events arrive while it fetched: the job
// runs again (River snoozes it) so the last event is not missed.
var ErrAgain = errors.New("events arrived during the sync")

// RunSync is the sync job: it fetches the customer's subscription and
// invoices from Stripe (never trusting a webhook's payload), mirrors them
// and applies the state, so duplicates, replays and events out of order
// converge on what Stripe has now.
func (b *Billing) RunSync(ctx context.Context, a SyncArgs, done func(pgx.Tx) error) error {
	if b.Off() {
		return ErrBillingOff
	}
	var (
		cust     stripeCustomer
		known    bool
		started  time.Time
		canceled bool
	)
	err := b.DB.InTenantTx(ctx, a.TenantID, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `select clock_timestamp(),
				exists (select from tenant_billing where tenant_id = $1 and canceled_at is not null)`, a.TenantID).Scan(&started, &canceled); err != nil {
			return err
		}
		var err error
		cust, known, err = customerOf(ctx, tx, a.TenantID)
		return err
	})
	if err != nil {
		return err
	}
	if !known || cust.CustomerID != a.CustomerID {
		b.Logger.WarnContext(ctx, "stripe sync of a customer that is not the office's", "customer_id", a.CustomerID)
		return b.DB.InTenantTx(ctx, a.TenantID, done)
	}
	f, err := b.Ledger.Fetch(ctx, cust.CustomerID, cust.SubscriptionID)
	if err != nil {
		return err
	}
	// Sentra canceled the contract: Stripe must not invoice the next year.
	if s := f.Subscription; canceled && s != nil && s.Status != "canceled" && s.Status != "incomplete_expired" && !s.CancelAtPeriodEnd {
		ended, err := b.Ledger.EndSubscription(ctx, s.ID, key("subscription", s.ID, "end"))
		if err != nil {
			return err
		}
		f.Subscription = &ended
	}
	return b.DB.InTenantTx(ctx, a.TenantID, func(tx pgx.Tx) error {
		var again bool
		if err := tx.QueryRow(ctx, `select exists (select from stripe_events
			where customer_id = $1 and outcome = 'queued' and received_at > $2)`, cust.CustomerID, started).Scan(&again); err != nil {
			return err
		}
		if again {
			return ErrAgain
		}
		if _, _, err := Mirror(WithActor(ctx, "stripe"), tx, a.TenantID, f, b.Now()); err != nil {
			return err
		}
		return done(tx)
	})
}

// Mirror stores what Stripe says of an office (its invoices in rupiah; a
// subscription that ended as the cancellation) and applies the state, in
// the office's transaction. Sentra's own facts on an invoice (the SP2D,
// what was received, tax documents) are kept.
func Mirror(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, f Fetched, now time.Time) (Status, bool, error) {
	for _, in := range f.Invoices {
		switch in.Status {
		case InvoiceDraft, InvoiceOpen, InvoicePaid, InvoiceVoid, InvoiceUncollectible:
		default:
			return Status{}, false, fmt.Errorf("invoice %s: unknown status %q", in.ID, in.Status)
		}
		_, err := tx.Exec(ctx, `insert into invoices (tenant_id, id, stripe_invoice_id, number, status, amount_due_idr, tax_idr,
				due_at, hosted_url, pdf_url, paid_at)
			values ($1, $2, $3, nullif($4, ''), $5, $6, $7, $8, nullif($9, ''), nullif($10, ''), $11)
			on conflict (tenant_id, stripe_invoice_id) do update set number = excluded.number, status = excluded.status,
				amount_due_idr = excluded.amount_due_idr, tax_idr = excluded.tax_idr, due_at = excluded.due_at,
				hosted_url = excluded.hosted_url, pdf_url = excluded.pdf_url,
				paid_at = coalesce(invoices.paid_at, excluded.paid_at), updated_at = now()
			where (invoices.number, invoices.status, invoices.amount_due_idr, invoices.tax_idr, invoices.due_at,
				invoices.hosted_url, invoices.pdf_url) is distinct from (excluded.number, excluded.status, excluded.amount_due_idr,
				excluded.tax_idr, excluded.due_at, excluded.hosted_url, excluded.pdf_url)
				or (invoices.paid_at is null and excluded.paid_at is not null)`,
			tenantID, uuid.Must(uuid.NewV7()), in.ID, in.Number, string(in.Status), in.AmountDueIDR, in.TaxIDR,
			nullTime(in.DueAt), in.HostedURL, in.PDFURL, nullTime(in.PaidAt))
		if err != nil {
			return Status{}, false, fmt.Errorf("mirror invoice %s: %w", in.ID, err)
		}
	}
	if s := f.Subscription; s != nil && s.Status == "canceled" {
		ended := s.EndedAt
		if ended.IsZero() {
			ended = now
		}
		if _, err := tx.Exec(ctx, `update tenant_billing set canceled_at = $2, version = version + 1, updated_at = now()
			where tenant_id = $1 and canceled_at is null`, tenantID, ended); err != nil {
			return Status{}, false, err
		}
	}
	return Apply(ctx, tx, tenantID, now)
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Event is a verified Stripe webhook event as the webhook needs it.
type Event struct {
	ID         string
	Type       string
	Livemode   bool
	APIVersion string
	CustomerID string // of the object (an invoice's, a subscription's, a customer itself)
	Created    time.Time
}

// What the webhook did with an event (stripe_events.outcome).
const (
	OutcomeQueued          = "queued"
	OutcomeIgnoredType     = "ignored_type"
	OutcomeLivemode        = "livemode_mismatch"
	OutcomeAPIVersion      = "api_version_mismatch"
	OutcomeUnknownCustomer = "unknown_customer"
)

// syncs reports whether an event of type t says something of a customer's
// invoices or subscription.
func syncs(t string) bool {
	return strings.HasPrefix(t, "invoice.") || strings.HasPrefix(t, "customer.subscription.")
}

// Receive records a verified event once and, only when it is new and says
// something of a known office's invoices or subscription, queues that
// customer's sync in the same transaction. It reports the outcome and
// whether the event was new.
func (b *Billing) Receive(ctx context.Context, q Inserter, ev Event) (string, bool, error) {
	if b.Off() {
		return "", false, ErrBillingOff
	}
	outcome := OutcomeQueued
	switch {
	case ev.Livemode != b.Ledger.Livemode():
		outcome = OutcomeLivemode
	case ev.APIVersion != b.APIVersion:
		outcome = OutcomeAPIVersion
	case !syncs(ev.Type) || ev.CustomerID == "":
		outcome = OutcomeIgnoredType
	}
	created := ev.Created
	if created.IsZero() {
		created = b.Now()
	}
	var inserted bool
	err := b.DB.InTx(ctx, func(tx pgx.Tx) error {
		var tenant *uuid.UUID
		if outcome == OutcomeQueued {
			var id uuid.UUID
			err := tx.QueryRow(ctx, "select tenant from stripe_customers where customer_id = $1", ev.CustomerID).Scan(&id)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				outcome = OutcomeUnknownCustomer
			case err != nil:
				return err
			default:
				tenant = &id
			}
		}
		var customer *string
		if ev.CustomerID != "" {
			customer = &ev.CustomerID
		}
		tag, err := tx.Exec(ctx, `insert into stripe_events (id, type, livemode, api_version, customer_id, tenant, outcome, created_at)
			values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (id) do nothing`,
			ev.ID, ev.Type, ev.Livemode, ev.APIVersion, customer, tenant, outcome, created)
		if err != nil {
			return db.MapError(err)
		}
		inserted = tag.RowsAffected() == 1
		if inserted && outcome == OutcomeQueued {
			if _, err := q.InsertTx(ctx, tx, SyncArgs{TenantID: *tenant, CustomerID: ev.CustomerID}, nil); err != nil {
				return fmt.Errorf("queue sync: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return "", false, err
	}
	if inserted && outcome == OutcomeAPIVersion {
		b.Logger.ErrorContext(ctx, "stripe event of another API version: stored, nothing changed; update stripe-go or the webhook endpoint's version",
			"event_id", ev.ID, "api_version", ev.APIVersion, "want", b.APIVersion)
	}
	return outcome, inserted, nil
}

// TaxDocument is a PPN or PPh document the office's treasurer issued with
// the payment (a faktur pajak, a bukti potong).
type TaxDocument struct {
	Kind      string `json:"kind" enum:"ppn,pph22,pph23" doc:"ppn (faktur pajak), pph22 or pph23 (bukti potong)."`
	Number    string `json:"number" minLength:"1" maxLength:"100"`
	AmountIDR int64  `json:"amount_idr" minimum:"0" doc:"Whole rupiah."`
}

// taxKinds are the tax documents of a payment: the faktur pajak of the
// PPN and the bukti potong of a withheld PPh.
var taxKinds = map[string]bool{"ppn": true, "pph22": true, "pph23": true}

// Payment is a payment as a platform admin records it from the SP2D.
type Payment struct {
	SP2DNumber   string
	PaidOn       time.Time // the day (in the office's time zone), at its start
	ReceivedIDR  int64
	TaxDocuments []TaxDocument
}

// InvoiceView is an invoice as the office and the platform see it.
type InvoiceView struct {
	ID           uuid.UUID     `json:"id"`
	Number       string        `json:"number,omitempty"`
	Status       string        `json:"status" enum:"draft,open,paid,void,uncollectible"`
	AmountDueIDR int64         `json:"amount_due_idr" doc:"Whole rupiah, PPN included."`
	TaxIDR       int64         `json:"tax_idr" doc:"The PPN in it, whole rupiah."`
	DueAt        *time.Time    `json:"due_at,omitempty"`
	HostedURL    string        `json:"hosted_url,omitempty" doc:"Stripe's page of the invoice."`
	PDFURL       string        `json:"pdf_url,omitempty"`
	SP2DNumber   string        `json:"sp2d_number,omitempty"`
	PaidAt       *time.Time    `json:"paid_at,omitempty"`
	ReceivedIDR  *int64        `json:"received_idr,omitempty"`
	TaxDocuments []TaxDocument `json:"tax_documents"`
}

const invoiceColumns = `id, coalesce(number, ''), status, amount_due_idr, tax_idr, due_at, coalesce(hosted_url, ''), coalesce(pdf_url, ''),
	coalesce(sp2d_number, ''), paid_at, received_idr, tax_documents`

func scanInvoice(r pgx.Row) (InvoiceView, error) {
	var (
		v    InvoiceView
		docs []byte
	)
	err := r.Scan(&v.ID, &v.Number, &v.Status, &v.AmountDueIDR, &v.TaxIDR, &v.DueAt, &v.HostedURL, &v.PDFURL,
		&v.SP2DNumber, &v.PaidAt, &v.ReceivedIDR, &docs)
	if err != nil {
		return v, err
	}
	v.TaxDocuments = []TaxDocument{}
	return v, json.Unmarshal(docs, &v.TaxDocuments)
}

// Invoices lists the office's invoices, newest due first (in its tenant
// transaction).
func Invoices(ctx context.Context, tx pgx.Tx) ([]InvoiceView, error) {
	rows, err := tx.Query(ctx, `select `+invoiceColumns+` from invoices order by due_at desc nulls first, id desc limit 100`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (InvoiceView, error) { return scanInvoice(r) })
}

// ContractView is an office's plan and contract as it and the platform
// see them.
type ContractView struct {
	Plan           string    `json:"plan" example:"dasar"`
	PlanName       string    `json:"plan_name" example:"Dasar"`
	YearlyPriceIDR int64     `json:"yearly_price_idr" doc:"The plan's yearly price before PPN, whole rupiah."`
	ContractNumber string    `json:"contract_number" doc:"The signed contract (SPK)."`
	ContractAt     time.Time `json:"contract_at" doc:"When the contract was recorded."`
	DaysUntilDue   int       `json:"days_until_due" doc:"Days from an invoice to its due date."`
	BillingEmail   string    `json:"billing_email,omitempty" doc:"Where the invoices are sent (the treasurer)."`
	NPWP           string    `json:"npwp,omitempty" doc:"The office's NPWP on the invoices (digits)."`
}

// ContractOf is the office's contract, nil when none is recorded (in its
// tenant transaction).
func ContractOf(ctx context.Context, tx pgx.Tx) (*ContractView, error) {
	var c ContractView
	err := tx.QueryRow(ctx, `select b.plan_code, p.name, p.yearly_price_idr, coalesce(b.contract_number, ''), b.contract_at,
			b.days_until_due, coalesce(b.billing_email, ''), coalesce(b.npwp, '')
		from tenant_billing b join plans p on p.code = b.plan_code where b.contract_at is not null`).
		Scan(&c.Plan, &c.PlanName, &c.YearlyPriceIDR, &c.ContractNumber, &c.ContractAt, &c.DaysUntilDue, &c.BillingEmail, &c.NPWP)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	return &c, nil
}

// Tagihan is what an office reads of its billing (the API's list-tagihan
// and the office's Tagihan page): its state, contract and invoices.
type Tagihan struct {
	Status   Status
	Contract *ContractView // nil: no contract yet
	Invoices []InvoiceView
	Usage    Usage
}

// ReadTagihan reads the office's billing at now, in its tenant
// transaction (slug names its users' domain, for the usage).
func ReadTagihan(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, slug string, now time.Time) (Tagihan, error) {
	var (
		t   Tagihan
		err error
	)
	if t.Status, err = Get(ctx, tx, tenantID, now); err != nil || !t.Status.Billed {
		return t, err
	}
	if t.Contract, err = ContractOf(ctx, tx); err != nil {
		return t, err
	}
	if t.Usage, err = UsageOf(ctx, tx, tenantID, slug); err != nil {
		return t, err
	}
	t.Invoices, err = Invoices(ctx, tx)
	return t, err
}

// RecordPayment records a payment on an invoice of the office, in one
// tenant transaction (RecordPaymentTx).
func (b *Billing) RecordPayment(ctx context.Context, tenantID uuid.UUID, q Inserter, invoiceID uuid.UUID, p Payment, today time.Time) (InvoiceView, error) {
	var out InvoiceView
	err := b.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		out, err = b.RecordPaymentTx(ctx, tx, tenantID, q, invoiceID, p, today)
		return err
	})
	return out, err
}

// RecordPaymentTx records a payment on an invoice of the office, applies
// the state (the invoice is no longer owed) and queues its sending to
// Stripe, in tx, a tenant transaction of tenantID that the caller commits
// (with the request's Idempotency-Key), audited with the caller. An
// invoice of another office is not found, as one that does not exist.
func (b *Billing) RecordPaymentTx(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, q Inserter, invoiceID uuid.UUID, p Payment,
	today time.Time) (InvoiceView, error) {
	if b.Off() {
		return InvoiceView{}, ErrBillingOff
	}
	now := b.Now()
	in, err := scanInvoice(tx.QueryRow(ctx, `select `+invoiceColumns+` from invoices where id = $1 for update`, invoiceID))
	if errors.Is(err, pgx.ErrNoRows) {
		return InvoiceView{}, apperr.NotFound()
	}
	if err != nil {
		return InvoiceView{}, err
	}
	p.SP2DNumber = strings.TrimSpace(p.SP2DNumber)
	if in.SP2DNumber != "" {
		if in.SP2DNumber == p.SP2DNumber && in.ReceivedIDR != nil && *in.ReceivedIDR == p.ReceivedIDR {
			return in, nil // the same payment again
		}
		return InvoiceView{}, apperr.Conflict(apperr.T("Pembayaran tagihan ini sudah dicatat.", "A payment of this invoice is recorded already."), "")
	}
	if in.Status != string(InvoiceOpen) {
		return InvoiceView{}, apperr.Conflict(apperr.T("Hanya tagihan yang terbuka (belum dibayar) yang dapat dicatat pembayarannya.",
			"Only an open (unpaid) invoice can be paid."), "")
	}
	var fields []apperr.Field
	bad := func(field string, value any, id, en string) {
		fields = append(fields, apperr.Field{Location: "body." + field, Value: value, Message: apperr.T(id, en)})
	}
	if p.SP2DNumber == "" || len(p.SP2DNumber) > 100 {
		bad("sp2d_number", p.SP2DNumber, "Nomor SP2D wajib diisi, paling panjang 100 karakter.", "The SP2D number is required, at most 100 characters.")
	}
	if p.PaidOn.After(today) {
		bad("paid_on", p.PaidOn.Format(time.DateOnly), "Tanggal bayar tidak boleh setelah hari ini.", "The payment date cannot be after today.")
	}
	if p.ReceivedIDR < 1 || p.ReceivedIDR > in.AmountDueIDR {
		bad("received_idr", p.ReceivedIDR, "Jumlah diterima antara Rp 1 dan jumlah tagihan (PPh yang dipotong membuatnya lebih kecil).",
			"The amount received is between Rp 1 and the amount invoiced (withheld PPh makes it smaller).")
	}
	for i, d := range p.TaxDocuments {
		at := fmt.Sprintf("tax_documents[%d].", i)
		if !taxKinds[d.Kind] {
			bad(at+"kind", d.Kind, "Jenis dokumen pajak: ppn (faktur pajak), pph22 atau pph23 (bukti potong).",
				"A tax document is ppn (faktur pajak), pph22 or pph23 (bukti potong).")
		}
		if n := strings.TrimSpace(d.Number); n == "" || len(n) > 100 {
			bad(at+"number", d.Number, "Nomor dokumen pajak wajib diisi, paling panjang 100 karakter.",
				"The tax document's number is required, at most 100 characters.")
		}
		if d.AmountIDR < 0 || d.AmountIDR > in.AmountDueIDR {
			bad(at+"amount_idr", d.AmountIDR, "Jumlah pajak antara Rp 0 dan jumlah tagihan.", "The tax amount is between Rp 0 and the amount invoiced.")
		}
	}
	if len(fields) > 0 {
		return InvoiceView{}, apperr.Invalid(apperr.T("Data pembayaran tidak valid. Periksa isian yang disebutkan.", "Invalid payment. Check the fields listed."), fields...)
	}
	if p.TaxDocuments == nil {
		p.TaxDocuments = []TaxDocument{}
	}
	docs, err := json.Marshal(p.TaxDocuments)
	if err != nil {
		return InvoiceView{}, err
	}
	if _, err := tx.Exec(ctx, `update invoices set sp2d_number = $2, paid_at = $3, received_idr = $4, tax_documents = $5, updated_at = now()
		where id = $1`, invoiceID, p.SP2DNumber, p.PaidOn, p.ReceivedIDR, docs); err != nil {
		return InvoiceView{}, db.MapError(err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: tenantID, Action: "record_payment", Entity: "tagihan",
		EntityID: invoiceID.String(), After: map[string]any{"sp2d_number": p.SP2DNumber, "paid_on": p.PaidOn.Format(time.DateOnly),
			"received_idr": p.ReceivedIDR, "tax_documents": p.TaxDocuments}}); err != nil {
		return InvoiceView{}, err
	}
	if _, err := q.InsertTx(ctx, tx, PayArgs{TenantID: tenantID, InvoiceID: invoiceID}, nil); err != nil {
		return InvoiceView{}, fmt.Errorf("queue payment: %w", err)
	}
	if _, _, err := Apply(ctx, tx, tenantID, now); err != nil {
		return InvoiceView{}, err
	}
	return scanInvoice(tx.QueryRow(ctx, `select `+invoiceColumns+` from invoices where id = $1`, invoiceID))
}

// RunPay is the payment job: the SP2D onto the Stripe invoice, paid out
// of band, then the sync.
func (b *Billing) RunPay(ctx context.Context, a PayArgs, done func(pgx.Tx) error) error {
	if b.Off() {
		return ErrBillingOff
	}
	var (
		p        OutOfBand
		customer stripeCustomer
		found    bool
	)
	err := b.DB.InTenantTx(ctx, a.TenantID, func(tx pgx.Tx) error {
		var sp2d, paid *string
		var received *int64
		// The day paid as the office's calendar has it.
		err := tx.QueryRow(ctx, `select i.stripe_invoice_id, i.sp2d_number, i.received_idr, to_char(i.paid_at at time zone t.timezone, 'YYYY-MM-DD')
			from invoices i join tenants t on t.id = i.tenant_id where i.id = $1`, a.InvoiceID).
			Scan(&p.InvoiceID, &sp2d, &received, &paid)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if sp2d == nil || received == nil || paid == nil {
			return nil
		}
		p.SP2DNumber, p.ReceivedIDR, p.PaidOn = *sp2d, *received, *paid
		customer, found, err = customerOf(ctx, tx, a.TenantID)
		return err
	})
	if err != nil {
		return err
	}
	if p.SP2DNumber == "" || !found {
		return b.DB.InTenantTx(ctx, a.TenantID, done)
	}
	if err := b.Ledger.PayOutOfBand(ctx, p, key("invoice", a.InvoiceID.String(), "out-of-band")); err != nil {
		return err
	}
	return b.RunSync(ctx, SyncArgs{TenantID: a.TenantID, CustomerID: customer.CustomerID}, done)
}
