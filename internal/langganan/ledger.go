package langganan

import (
	"context"
	"time"
)

// Ledger is Stripe as billing needs it: the invoice ledger (internal/stripe
// implements it over stripe-go; behaviour tests feed objects). Every call
// that creates something carries an idempotency key derived from stable
// ids, so a retried job never makes a second customer or subscription.
// Amounts are whole rupiah here: the ×100 of Stripe's IDR is the
// implementation's, at the boundary, and nowhere else.
type Ledger interface {
	// Livemode reports whether the key is a live one (webhook events of the
	// other mode are refused).
	Livemode() bool
	// CreateCustomer creates the office's customer (NPWP as tax id, locale
	// id, the tenant id in metadata).
	CreateCustomer(ctx context.Context, c Customer, idempotencyKey string) (string, error)
	// Subscribe finds (or creates) the plan's yearly IDR price and the PPN
	// tax rate and subscribes the customer with send_invoice.
	Subscribe(ctx context.Context, s Subscription, idempotencyKey string) (Subscribed, error)
	// Resubscribe makes an existing subscription follow a changed
	// contract: the plan's price from the next yearly invoice (no
	// proration: the year's invoice was budgeted and issued), the days
	// until due, the contract number, and the treasurer's address on the
	// customer. Nothing changes what already matches.
	Resubscribe(ctx context.Context, s Subscription, subscriptionID string, idempotencyKey string) (Subscribed, error)
	// EndSubscription ends a canceled office's subscription at the end of
	// its period (the year invoiced stays as it was): Stripe sends no
	// further invoice.
	EndSubscription(ctx context.Context, subscriptionID string, idempotencyKey string) (StripeSubscription, error)
	// Fetch reads the customer's subscription and invoices as Stripe has
	// them now.
	Fetch(ctx context.Context, customerID, subscriptionID string) (Fetched, error)
	// PayOutOfBand puts the SP2D on the invoice and marks it paid out of
	// band (a bank transfer Stripe never saw).
	PayOutOfBand(ctx context.Context, p OutOfBand, idempotencyKey string) error
}

// Customer is an office as a Stripe customer.
type Customer struct {
	TenantID string
	Name     string
	Email    string
	NPWP     string // digits only
}

// Subscription is an office's contract as a Stripe subscription.
type Subscription struct {
	TenantID       string
	CustomerID     string
	BillingEmail   string // the treasurer's, on the customer
	Plan           Plan
	DaysUntilDue   int
	ContractNumber string
	PPN            PPN
}

// Plan is a tier of the price list (table plans).
type Plan struct {
	Code           string
	Name           string
	LookupKey      string // the Stripe price's lookup key
	YearlyPriceIDR int64  // before PPN
}

// PPN is Indonesia's VAT as Stripe applies it. Since 2025 the rate is 12 %
// on a tax base (DPP) of 11/12 of the price for most services, so 11 % of
// the price in effect. Stripe knows one percentage per tax rate and no
// base, so the tax rate carries the effective percentage and names the
// rate and the base in its description and metadata: the invoice shows
// "PPN 12% × DPP 11/12" and the amount an office's treasurer computes.
// Exclusive: the plans' prices are before PPN, as a pagu is planned.
type PPN struct {
	RatePercent      int // 12
	BaseNumerator    int // 11
	BaseDenominator  int // 12
	EffectivePercent float64
}

// DefaultPPN is the rule in force (PMK 131/2024).
var DefaultPPN = NewPPN(12, 11, 12)

// NewPPN is a PPN of rate percent on a base of num/den of the price.
func NewPPN(rate, num, den int) PPN {
	return PPN{RatePercent: rate, BaseNumerator: num, BaseDenominator: den,
		EffectivePercent: float64(rate*num) / float64(den)}
}

// Subscribed are the Stripe ids of a subscription.
type Subscribed struct {
	SubscriptionID string
	PriceID        string
	TaxRateID      string
}

// Fetched is what Stripe says of a customer now: the sync mirrors it and
// decides from it, never from a webhook's payload.
type Fetched struct {
	Subscription *StripeSubscription // nil: none (yet)
	Invoices     []StripeInvoice
}

// StripeSubscription is what the sync needs of a subscription.
type StripeSubscription struct {
	ID      string
	Status  string    // active, canceled, ...
	EndedAt time.Time // zero unless it ended
	// CancelAtPeriodEnd: it ends when its period does, invoicing no more.
	CancelAtPeriodEnd bool
}

// StripeInvoice is a Stripe invoice in whole rupiah.
type StripeInvoice struct {
	ID           string
	Number       string
	Status       InvoiceStatus
	AmountDueIDR int64
	TaxIDR       int64
	DueAt        time.Time // zero: none
	PaidAt       time.Time // zero: not paid
	HostedURL    string
	PDFURL       string
}

// OutOfBand is a payment as sent to Stripe.
type OutOfBand struct {
	InvoiceID   string // Stripe's
	SP2DNumber  string
	PaidOn      string // YYYY-MM-DD
	ReceivedIDR int64
}
