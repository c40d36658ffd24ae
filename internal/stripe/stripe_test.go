package stripe_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/stripe"
	"github.com/sentra-id/sentra/internal/stripemock"
)

// TestRequestShapes sends every call Sentra makes to the official
// stripe-mock, which refuses a request whose shape the API would refuse
// (an unknown parameter, a wrong type): customer, price and tax rate,
// subscription, its change of plan and its end, fetch, out-of-band payment.
func TestRequestShapes(t *testing.T) {
	t.Parallel()
	mock := stripemock.ForTest(t)
	c, err := stripe.New(stripe.Config{Key: stripemock.Key, URL: mock.URL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Livemode() {
		t.Error("a test key is live")
	}
	ctx := context.Background()
	cus, err := c.CreateCustomer(ctx, langganan.Customer{TenantID: "0190-tenant", Name: "Kota Depok",
		Email: "keuangan@depok.go.id", NPWP: "012345678901000"}, "sentra/tenant/x/customer")
	if err != nil || !strings.HasPrefix(cus, "cus_") {
		t.Fatalf("create customer: %q %v", cus, err)
	}
	s, err := c.Subscribe(ctx, langganan.Subscription{TenantID: "0190-tenant", CustomerID: cus,
		Plan:         langganan.Plan{Code: "dasar", Name: "Dasar", LookupKey: "sentra_dasar_tahunan", YearlyPriceIDR: 36_000_000},
		DaysUntilDue: 30, ContractNumber: "027/SPK/DISKOP/2027", PPN: langganan.DefaultPPN}, "sentra/tenant/x/subscription/1")
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	if !strings.HasPrefix(s.SubscriptionID, "sub_") || !strings.HasPrefix(s.PriceID, "price_") || !strings.HasPrefix(s.TaxRateID, "txr_") {
		t.Errorf("subscribed %+v", s)
	}
	// The office moves to a larger plan under a new contract number.
	r, err := c.Resubscribe(ctx, langganan.Subscription{TenantID: "0190-tenant", CustomerID: cus, BillingEmail: "bendahara@depok.go.id",
		Plan:         langganan.Plan{Code: "menengah", Name: "Menengah", LookupKey: "sentra_menengah_tahunan", YearlyPriceIDR: 72_000_000},
		DaysUntilDue: 45, ContractNumber: "031/SPK/DISKOP/2027", PPN: langganan.DefaultPPN}, s.SubscriptionID, "sentra/tenant/x/subscription/2")
	if err != nil || r.SubscriptionID != s.SubscriptionID || !strings.HasPrefix(r.PriceID, "price_") {
		t.Fatalf("resubscribe: %+v %v", r, err)
	}
	if e, err := c.EndSubscription(ctx, s.SubscriptionID, "sentra/subscription/x/end"); err != nil || e.ID == "" {
		t.Fatalf("end the subscription: %+v %v", e, err)
	}
	f, err := c.Fetch(ctx, cus, s.SubscriptionID)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if f.Subscription == nil || f.Subscription.ID == "" || len(f.Invoices) == 0 || f.Invoices[0].ID == "" {
		t.Errorf("fetched %+v", f)
	}
	if err := c.PayOutOfBand(ctx, langganan.OutOfBand{InvoiceID: f.Invoices[0].ID, SP2DNumber: "00123/SP2D/LS/2027",
		PaidOn: "2027-04-20", ReceivedIDR: 39_240_000}, "sentra/invoice/x/out-of-band"); err != nil {
		t.Errorf("pay out of band: %v", err)
	}
}

// TestBillingOffWithoutKey: no key, no client, and the error says how to
// turn billing on.
func TestBillingOffWithoutKey(t *testing.T) {
	if _, err := stripe.New(stripe.Config{}, nil); !errors.Is(err, stripe.ErrOff) || !strings.Contains(err.Error(), "--stripe-key") {
		t.Errorf("no key: %v", err)
	}
	if _, err := stripe.New(stripe.Config{Key: "pk_test_123"}, nil); err == nil {
		t.Error("a publishable key was taken")
	}
	c, err := stripe.New(stripe.Config{Key: "sk_live_abc"}, nil)
	if err != nil || !c.Livemode() {
		t.Errorf("a live key: %v", err)
	}
}

func TestFormatNPWP(t *testing.T) {
	for in, want := range map[string]string{"012345678901000": "01.234.567.8-901.000", "3276012345678901": "3276012345678901"} {
		if got := stripe.FormatNPWP(in); got != want {
			t.Errorf("FormatNPWP(%s) = %s, want %s", in, got, want)
		}
	}
}

func event(id, typ, customer string, livemode bool, version string) []byte {
	return fmt.Appendf(nil, `{"id":%q,"object":"event","type":%q,"livemode":%t,"api_version":%q,"created":%d,
		"data":{"object":{"object":"invoice","id":"in_1","customer":%q}}}`, id, typ, livemode, version, time.Now().Unix(), customer)
}

// TestVerify: a signature from the current or the previous secret (a
// header with one v1= per secret while rotating) verifies; a wrong
// secret, a changed body, a stale timestamp or no header does not.
func TestVerify(t *testing.T) {
	const current, previous = "whsec_baru", "whsec_lama"
	body := event("evt_1", "invoice.paid", "cus_A", false, stripego.APIVersion)
	sign := func(secret string, at time.Time, payload []byte) string {
		return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
	}
	ev, err := stripe.Verify(body, sign(current, time.Now(), body), []string{current, previous})
	if err != nil || ev.ID != "evt_1" || ev.CustomerID != "cus_A" || ev.Type != "invoice.paid" || ev.APIVersion != stripego.APIVersion {
		t.Fatalf("verify: %+v %v", ev, err)
	}
	if _, err := stripe.Verify(body, sign(previous, time.Now(), body), []string{current, previous}); err != nil {
		t.Errorf("the previous secret while rotating: %v", err)
	}
	// Stripe signs with every secret of the endpoint while one rolls.
	now := time.Now()
	both := sign(current, now, body) + ",v1=" + strings.SplitN(sign(previous, now, body), "v1=", 2)[1]
	if _, err := stripe.Verify(body, both, []string{previous}); err != nil {
		t.Errorf("two v1= signatures: %v", err)
	}
	for name, c := range map[string]struct {
		header string
		body   []byte
	}{
		"wrong secret":    {sign("whsec_lain", time.Now(), body), body},
		"tampered body":   {sign(current, time.Now(), body), []byte(strings.Replace(string(body), "cus_A", "cus_B", 1))},
		"stale timestamp": {sign(current, time.Now().Add(-301*time.Second), body), body},
		"no header":       {"", body},
	} {
		if _, err := stripe.Verify(c.body, c.header, []string{current}); !errors.Is(err, stripe.ErrSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
	old := event("evt_2", "invoice.paid", "cus_A", false, "2020-08-27")
	if ev, err := stripe.Verify(old, sign(current, time.Now(), old), []string{current}); err != nil || ev.APIVersion != "2020-08-27" {
		t.Errorf("another API version verifies (and is then stored, changing nothing): %+v %v", ev, err)
	}
}
