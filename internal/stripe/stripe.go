// Package stripe is Sentra's adapter of stripe-go v76: the invoice ledger
// of langganan.Ledger and the verification of webhook events. It is the
// only importer of stripe-go. Each Client has its own backends
// (client.New with BackendConfig.URL): the global stripe.Key and backend
// are never used, since a call through them would dial the real API.
//
// IDR is a two-decimal currency to Stripe and a whole one to Sentra: the
// amounts are multiplied or divided by 100 here, at the boundary, and
// nowhere else.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/sentra-id/sentra/internal/langganan"
)

// Config says how to reach Stripe. Without a key billing is off.
type Config struct {
	Key string // sk_live_..., sk_test_...; stripe-mock takes sk_test_123
	// URL replaces https://api.stripe.com (stripe-mock on loopback).
	URL string
	// WebhookSecrets verify events: the current one and, while rotating,
	// the previous one (whsec_...).
	WebhookSecrets []string
}

// Enabled reports whether billing talks to Stripe.
func (c Config) Enabled() bool { return c.Key != "" }

// ErrOff is billing without a Stripe key.
var ErrOff = errors.New("billing is off: no Stripe key is configured (--stripe-key / SENTRA_STRIPE_KEY)")

// Client is a Stripe account reached with one key.
type Client struct {
	api      *client.API
	livemode bool
	secrets  []string
}

// New builds a client on its own backends.
func New(cfg Config, logger *slog.Logger) (*Client, error) {
	if !cfg.Enabled() {
		return nil, ErrOff
	}
	if !strings.HasPrefix(cfg.Key, "sk_") && !strings.HasPrefix(cfg.Key, "rk_") {
		return nil, errors.New("the Stripe key must be a secret or restricted key (sk_... or rk_...)")
	}
	bc := &stripego.BackendConfig{
		HTTPClient:    &http.Client{Timeout: 30 * time.Second},
		LeveledLogger: leveled{logger},
	}
	if cfg.URL != "" {
		bc.URL = stripego.String(strings.TrimRight(cfg.URL, "/"))
	}
	backends := &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, bc),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, bc),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, bc),
	}
	return &Client{api: client.New(cfg.Key, backends), livemode: strings.Contains(cfg.Key, "_live_"), secrets: cfg.WebhookSecrets}, nil
}

var _ langganan.Ledger = (*Client)(nil)

// Livemode reports whether the key is live.
func (c *Client) Livemode() bool { return c.livemode }

// minor is rupiah in Stripe's IDR minor units.
func minor(idr int64) int64 { return idr * 100 }

// rupiah is Stripe's IDR minor units in whole rupiah, rounded half up (an
// amount Stripe computed, a tax, can carry sen).
func rupiah(minor int64) int64 { return (minor + 50) / 100 }

func params(ctx context.Context, p *stripego.Params, key string) {
	p.Context = ctx
	if key != "" {
		p.SetIdempotencyKey(key)
	}
}

// CreateCustomer creates the office's customer.
func (c *Client) CreateCustomer(ctx context.Context, cu langganan.Customer, key string) (string, error) {
	p := &stripego.CustomerParams{
		Name:             stripego.String(cu.Name),
		Email:            stripego.String(cu.Email),
		PreferredLocales: stripego.StringSlice([]string{"id"}),
		TaxIDData: []*stripego.CustomerTaxIDDataParams{{
			Type: stripego.String(string(stripego.TaxIDTypeIDNPWP)), Value: stripego.String(FormatNPWP(cu.NPWP)),
		}},
		Metadata: map[string]string{"tenant_id": cu.TenantID},
	}
	params(ctx, &p.Params, key)
	out, err := c.api.Customers.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create customer: %w", err)
	}
	return out.ID, nil
}

// FormatNPWP writes a 15-digit NPWP as Stripe's id_npwp expects it
// (01.234.567.8-901.000); a 16-digit one (an NIK-based NPWP) stays as is.
func FormatNPWP(digits string) string {
	if len(digits) != 15 {
		return digits
	}
	d := digits
	return d[0:2] + "." + d[2:5] + "." + d[5:8] + "." + d[8:9] + "-" + d[9:12] + "." + d[12:15]
}

// Subscribe finds or creates the plan's price and the PPN tax rate, then
// subscribes the customer.
func (c *Client) Subscribe(ctx context.Context, s langganan.Subscription, key string) (langganan.Subscribed, error) {
	price, tax, err := c.priceAndTax(ctx, s)
	if err != nil {
		return langganan.Subscribed{}, err
	}
	p := &stripego.SubscriptionParams{
		Customer:         stripego.String(s.CustomerID),
		Items:            []*stripego.SubscriptionItemsParams{{Price: stripego.String(price)}},
		CollectionMethod: stripego.String(string(stripego.SubscriptionCollectionMethodSendInvoice)),
		DaysUntilDue:     stripego.Int64(int64(s.DaysUntilDue)),
		DefaultTaxRates:  stripego.StringSlice([]string{tax}),
		Metadata:         map[string]string{"tenant_id": s.TenantID, "plan": s.Plan.Code, "contract_number": s.ContractNumber},
	}
	params(ctx, &p.Params, key)
	sub, err := c.api.Subscriptions.New(p)
	if err != nil {
		return langganan.Subscribed{}, fmt.Errorf("stripe: create subscription: %w", err)
	}
	return langganan.Subscribed{SubscriptionID: sub.ID, PriceID: price, TaxRateID: tax}, nil
}

// Resubscribe makes the subscription follow a changed contract: the
// plan's price from the next yearly invoice (proration none: the year's
// invoice was budgeted and sent as it was), the days until due, the PPN
// rate, the contract in metadata, and the treasurer's address on the
// customer.
func (c *Client) Resubscribe(ctx context.Context, s langganan.Subscription, subscriptionID, key string) (langganan.Subscribed, error) {
	price, tax, err := c.priceAndTax(ctx, s)
	if err != nil {
		return langganan.Subscribed{}, err
	}
	gp := &stripego.SubscriptionParams{}
	gp.Context = ctx
	cur, err := c.api.Subscriptions.Get(subscriptionID, gp)
	if err != nil {
		return langganan.Subscribed{}, fmt.Errorf("stripe: get subscription: %w", err)
	}
	p := &stripego.SubscriptionParams{
		DaysUntilDue:      stripego.Int64(int64(s.DaysUntilDue)),
		DefaultTaxRates:   stripego.StringSlice([]string{tax}),
		ProrationBehavior: stripego.String("none"), // v76 names no constant for a subscription's
		Metadata:          map[string]string{"tenant_id": s.TenantID, "plan": s.Plan.Code, "contract_number": s.ContractNumber},
	}
	// One item, the plan: its price is swapped in place (a second item
	// would bill both plans).
	switch {
	case cur.Items == nil || len(cur.Items.Data) == 0:
		p.Items = []*stripego.SubscriptionItemsParams{{Price: stripego.String(price)}}
	case cur.Items.Data[0].Price == nil || cur.Items.Data[0].Price.ID != price:
		p.Items = []*stripego.SubscriptionItemsParams{{ID: stripego.String(cur.Items.Data[0].ID), Price: stripego.String(price)}}
	}
	params(ctx, &p.Params, key)
	if _, err := c.api.Subscriptions.Update(subscriptionID, p); err != nil {
		return langganan.Subscribed{}, fmt.Errorf("stripe: update subscription: %w", err)
	}
	if s.BillingEmail != "" {
		cp := &stripego.CustomerParams{Email: stripego.String(s.BillingEmail)}
		params(ctx, &cp.Params, key+"/customer")
		if _, err := c.api.Customers.Update(s.CustomerID, cp); err != nil {
			return langganan.Subscribed{}, fmt.Errorf("stripe: update customer: %w", err)
		}
	}
	return langganan.Subscribed{SubscriptionID: subscriptionID, PriceID: price, TaxRateID: tax}, nil
}

// priceAndTax are the subscription's plan price and PPN tax rate.
func (c *Client) priceAndTax(ctx context.Context, s langganan.Subscription) (price, tax string, err error) {
	if price, err = c.price(ctx, s.Plan); err != nil {
		return "", "", err
	}
	tax, err = c.taxRate(ctx, s.PPN)
	return price, tax, err
}

// price is the plan's yearly IDR price, by its lookup key, created with
// its product when missing (the product inline: ProductParams.Features is
// never sent, stripe-mock's newer spec refuses it).
func (c *Client) price(ctx context.Context, plan langganan.Plan) (string, error) {
	lp := &stripego.PriceListParams{LookupKeys: stripego.StringSlice([]string{plan.LookupKey}), Active: stripego.Bool(true)}
	lp.Context = ctx
	it := c.api.Prices.List(lp)
	for it.Next() {
		p := it.Price()
		if p.LookupKey == plan.LookupKey && p.Currency == stripego.CurrencyIDR && p.UnitAmount == minor(plan.YearlyPriceIDR) &&
			p.Recurring != nil && p.Recurring.Interval == stripego.PriceRecurringIntervalYear {
			return p.ID, nil
		}
	}
	if err := it.Err(); err != nil {
		return "", fmt.Errorf("stripe: find price %s: %w", plan.LookupKey, err)
	}
	p := &stripego.PriceParams{
		Currency:   stripego.String(string(stripego.CurrencyIDR)),
		UnitAmount: stripego.Int64(minor(plan.YearlyPriceIDR)),
		Recurring:  &stripego.PriceRecurringParams{Interval: stripego.String(string(stripego.PriceRecurringIntervalYear))},
		LookupKey:  stripego.String(plan.LookupKey),
		// The lookup key moves to this price when an older one (another
		// amount, from an earlier price list) holds it.
		TransferLookupKey: stripego.Bool(true),
		TaxBehavior:       stripego.String(string(stripego.PriceTaxBehaviorExclusive)),
		ProductData: &stripego.PriceProductDataParams{
			Name:     stripego.String("Sentra " + plan.Name + " (langganan tahunan)"),
			Metadata: map[string]string{"plan": plan.Code},
		},
		Metadata: map[string]string{"plan": plan.Code},
	}
	// The same price list asks for the same price: one price per amount.
	params(ctx, &p.Params, "sentra/price/"+plan.LookupKey+"/"+strconv.FormatInt(plan.YearlyPriceIDR, 10))
	out, err := c.api.Prices.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create price %s: %w", plan.LookupKey, err)
	}
	return out.ID, nil
}

// ppnKey names a PPN rule in a tax rate's metadata.
func ppnKey(ppn langganan.PPN) string {
	return fmt.Sprintf("ppn-%d-dpp-%d-%d", ppn.RatePercent, ppn.BaseNumerator, ppn.BaseDenominator)
}

// taxRate is the active PPN tax rate of the rule, created when missing.
func (c *Client) taxRate(ctx context.Context, ppn langganan.PPN) (string, error) {
	lp := &stripego.TaxRateListParams{Active: stripego.Bool(true)}
	lp.Context = ctx
	it := c.api.TaxRates.List(lp)
	for it.Next() {
		r := it.TaxRate()
		if r.Metadata["sentra"] == ppnKey(ppn) && !r.Inclusive {
			return r.ID, nil
		}
	}
	if err := it.Err(); err != nil {
		return "", fmt.Errorf("stripe: find tax rate: %w", err)
	}
	p := &stripego.TaxRateParams{
		DisplayName:  stripego.String("PPN"),
		Description:  stripego.String(fmt.Sprintf("PPN %d%% × DPP %d/%d", ppn.RatePercent, ppn.BaseNumerator, ppn.BaseDenominator)),
		Percentage:   stripego.Float64(ppn.EffectivePercent),
		Inclusive:    stripego.Bool(false),
		Country:      stripego.String("ID"),
		Jurisdiction: stripego.String("ID"),
		TaxType:      stripego.String(string(stripego.TaxRateTaxTypeVAT)),
		Metadata: map[string]string{"sentra": ppnKey(ppn), "rate_percent": strconv.Itoa(ppn.RatePercent),
			"dpp": fmt.Sprintf("%d/%d", ppn.BaseNumerator, ppn.BaseDenominator)},
	}
	params(ctx, &p.Params, "sentra/tax-rate/"+ppnKey(ppn))
	out, err := c.api.TaxRates.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe: create tax rate: %w", err)
	}
	return out.ID, nil
}

// Fetch reads the subscription and every invoice of the customer.
func (c *Client) Fetch(ctx context.Context, customerID, subscriptionID string) (langganan.Fetched, error) {
	var f langganan.Fetched
	if subscriptionID != "" {
		sp := &stripego.SubscriptionParams{}
		sp.Context = ctx
		sub, err := c.api.Subscriptions.Get(subscriptionID, sp)
		if err != nil {
			return f, fmt.Errorf("stripe: get subscription: %w", err)
		}
		f.Subscription = subscriptionOf(sub)
	}
	lp := &stripego.InvoiceListParams{Customer: stripego.String(customerID)}
	lp.Context = ctx
	lp.Limit = stripego.Int64(100)
	it := c.api.Invoices.List(lp)
	for it.Next() {
		f.Invoices = append(f.Invoices, invoiceOf(it.Invoice()))
	}
	if err := it.Err(); err != nil {
		return f, fmt.Errorf("stripe: list invoices: %w", err)
	}
	return f, nil
}

func subscriptionOf(sub *stripego.Subscription) *langganan.StripeSubscription {
	return &langganan.StripeSubscription{ID: sub.ID, Status: string(sub.Status), EndedAt: unix(sub.EndedAt), CancelAtPeriodEnd: sub.CancelAtPeriodEnd}
}

// EndSubscription sets the subscription to end with its period: no
// proration and no credit, the year invoiced stays; no next invoice.
func (c *Client) EndSubscription(ctx context.Context, subscriptionID, key string) (langganan.StripeSubscription, error) {
	p := &stripego.SubscriptionParams{CancelAtPeriodEnd: stripego.Bool(true)}
	params(ctx, &p.Params, key)
	sub, err := c.api.Subscriptions.Update(subscriptionID, p)
	if err != nil {
		return langganan.StripeSubscription{}, fmt.Errorf("stripe: end subscription %s: %w", subscriptionID, err)
	}
	return *subscriptionOf(sub), nil
}

func invoiceOf(in *stripego.Invoice) langganan.StripeInvoice {
	out := langganan.StripeInvoice{ID: in.ID, Number: in.Number, Status: langganan.InvoiceStatus(in.Status),
		AmountDueIDR: rupiah(in.AmountDue), TaxIDR: rupiah(in.Tax), DueAt: unix(in.DueDate),
		HostedURL: in.HostedInvoiceURL, PDFURL: in.InvoicePDF}
	if in.StatusTransitions != nil {
		out.PaidAt = unix(in.StatusTransitions.PaidAt)
	}
	return out
}

func unix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// PayOutOfBand records the SP2D on the invoice (InvoicePayParams has no
// metadata of its own), then marks it paid out of band. An invoice Stripe
// already has as paid is left as it is: a retried job changes nothing.
func (c *Client) PayOutOfBand(ctx context.Context, p langganan.OutOfBand, key string) error {
	up := &stripego.InvoiceParams{Metadata: map[string]string{
		"sp2d_number": p.SP2DNumber, "paid_on": p.PaidOn, "received_idr": strconv.FormatInt(p.ReceivedIDR, 10)}}
	params(ctx, &up.Params, key+"/update")
	in, err := c.api.Invoices.Update(p.InvoiceID, up)
	if err != nil {
		return fmt.Errorf("stripe: put the SP2D on invoice %s: %w", p.InvoiceID, err)
	}
	if in.Status == stripego.InvoiceStatusPaid {
		return nil
	}
	pp := &stripego.InvoicePayParams{PaidOutOfBand: stripego.Bool(true)}
	params(ctx, &pp.Params, key+"/pay")
	if _, err := c.api.Invoices.Pay(p.InvoiceID, pp); err != nil {
		return fmt.Errorf("stripe: pay invoice %s out of band: %w", p.InvoiceID, err)
	}
	return nil
}

// leveled sends stripe-go's log lines to slog (at debug and above as
// stripe-go classifies them; it logs no keys).
type leveled struct{ l *slog.Logger }

func (l leveled) Debugf(format string, v ...any) { l.log(slog.LevelDebug, format, v...) }
func (l leveled) Infof(format string, v ...any)  { l.log(slog.LevelDebug, format, v...) }
func (l leveled) Warnf(format string, v ...any)  { l.log(slog.LevelWarn, format, v...) }
func (l leveled) Errorf(format string, v ...any) { l.log(slog.LevelWarn, format, v...) }

func (l leveled) log(level slog.Level, format string, v ...any) {
	if l.l == nil {
		return
	}
	l.l.Log(context.Background(), level, "stripe: "+fmt.Sprintf(format, v...))
}
