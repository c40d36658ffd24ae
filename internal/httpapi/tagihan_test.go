package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

func contractBody() map[string]any {
	return map[string]any{"plan": "dasar", "contract_number": "027/SPK/DISKOP-UKM/IV/2027", "npwp": "01.234.567.8-901.000",
		"billing_email": "Bendahara@Depok.go.id", "days_until_due": 30}
}

// TestKontrakSubscribesInStripe: a platform admin records Depok's
// contract; the office is active at once and a real River worker creates
// its customer and subscription in stripe-mock, stores their ids and
// mirrors the invoices, which the office's admin reads with how to pay.
// The same contract again queues nothing; a larger plan moves the
// subscription to its price.
func TestKontrakSubscribesInStripe(t *testing.T) {
	t.Parallel()
	b := setup(t, withStripe)
	events := b.startUMKMWorkers(t)
	platform := b.login(t, b.platformAdmin.Email)
	const base = "/v1/admin/tenants/depok/langganan"

	r := b.do(t, http.MethodPost, base+"/kontrak", platform, contractBody())
	if r.status != http.StatusOK || r.body["state"] != "active" || r.body["billed"] != true {
		t.Fatalf("record the contract: %d %s", r.status, r.raw)
	}
	awaitJob(t, events, "langganan_subscribe")
	var customer, subscription, price, taxRate string
	if err := b.env.DB.InTx(context.Background(), func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select customer_id, subscription_id, price_id, tax_rate_id from stripe_customers where tenant = $1`,
			b.tenants["depok"]).Scan(&customer, &subscription, &price, &taxRate)
	}); err != nil {
		t.Fatalf("the Stripe ids: %v", err)
	}
	if !strings.HasPrefix(customer, "cus_") || !strings.HasPrefix(subscription, "sub_") || !strings.HasPrefix(price, "price_") || !strings.HasPrefix(taxRate, "txr_") {
		t.Errorf("stored %s %s %s %s", customer, subscription, price, taxRate)
	}
	if n := b.count(t, "depok", "select count(*) from invoices"); n == 0 {
		t.Error("no invoice mirrored")
	}
	if n := b.count(t, "depok", "select count(*) from tenant_billing where plan_code = 'dasar' and npwp = '012345678901000' and billing_email = 'bendahara@depok.go.id' and days_until_due = 30"); n != 1 {
		t.Error("the contract's facts are not stored")
	}

	again := b.do(t, http.MethodPost, base+"/kontrak", platform, contractBody())
	if again.status != http.StatusOK {
		t.Fatalf("the same contract again: %d %s", again.status, again.raw)
	}
	if n := b.count(t, "", "select count(*) from river.river_job where kind = 'langganan_subscribe'"); n != 1 {
		t.Errorf("%d subscription jobs after the same contract twice, want 1", n)
	}

	// A larger plan: the subscription follows (its own job, the same
	// customer and subscription, never a second one).
	larger := contractBody()
	larger["plan"] = "menengah"
	if r := b.do(t, http.MethodPost, base+"/kontrak", platform, larger); r.status != http.StatusOK {
		t.Fatalf("change the plan: %d %s", r.status, r.raw)
	}
	awaitJob(t, events, "langganan_subscribe")
	if n := b.count(t, "", "select count(*) from river.river_job where kind = 'langganan_subscribe' and state = 'completed'"); n != 2 {
		t.Errorf("%d completed subscription jobs after a change of plan, want 2", n)
	}
	if n := b.count(t, "", fmt.Sprintf("select count(*) from stripe_customers where customer_id = '%s' and subscription_id = '%s'", customer, subscription)); n != 1 {
		t.Error("a change of plan replaced the customer or the subscription")
	}
	if n := b.count(t, "depok", "select count(*) from tenant_billing where plan_code = 'menengah'"); n != 1 {
		t.Error("the new plan is not stored")
	}

	admin := b.login(t, b.depokAdmin.Email)
	tg := b.do(t, http.MethodGet, "/v1/tenants/depok/tagihan", admin, nil)
	items, _ := tg.body["items"].([]any)
	if tg.status != http.StatusOK || tg.body["state"] != "active" || len(items) == 0 || !strings.Contains(tg.body["cara_bayar"].(string), "SP2D") {
		t.Errorf("the office's invoices: %d %s", tg.status, tg.raw)
	}
	if c, _ := tg.body["contract"].(map[string]any); c["plan"] != "menengah" || c["contract_number"] != "027/SPK/DISKOP-UKM/IV/2027" ||
		c["yearly_price_idr"] != float64(72_000_000) || c["days_until_due"] != float64(30) {
		t.Errorf("the office's contract: %v", tg.body["contract"])
	}
	// The plan's soft limits, metered (the API's users of depok: admin, staf, viewer).
	if u, _ := tg.body["usage"].(map[string]any); u["plan"] != "menengah" || u["staff"] != float64(3) || u["max_staff"] != float64(30) ||
		u["records"] != float64(b.count(t, "depok", "select count(*) from umkm where archived_at is null")) || u["max_records"] != float64(100_000) {
		t.Errorf("the office's usage: %v", tg.body["usage"])
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/tagihan", b.login(t, b.depokStaf.Email), nil); r.status != http.StatusForbidden {
		t.Errorf("a staf reads the invoices: %d, want 403", r.status)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/tagihan", admin, nil); r.status != http.StatusNotFound {
		t.Errorf("depok's admin reads medan's invoices: %d, want 404", r.status)
	}

	// The contract canceled: a sync follows at once and ends the Stripe
	// subscription with its period (stripe-mock checks the request).
	if r := b.do(t, http.MethodPost, base+"/batal", platform, map[string]any{"alasan": "SPK tidak diperpanjang"}); r.status != http.StatusOK ||
		r.body["state"] != "canceled" {
		t.Fatalf("cancel: %d %s", r.status, r.raw)
	}
	awaitJob(t, events, "langganan_sync")
}

// TestKontrakBadInput: a plan that does not exist, days_until_due outside
// 1–365, a bad NPWP or e-mail → 422 naming the field, nothing written and
// nothing queued. Without Stripe the contract answers 503 billing_off.
func TestKontrakBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t, withStripe)
	platform := b.login(t, b.platformAdmin.Email)
	for _, c := range []struct {
		field string
		value any
	}{
		{"plan", "emas"}, {"days_until_due", 0}, {"days_until_due", 366}, {"npwp", "12345"}, {"billing_email", "bukan-email"},
		{"contract_number", " "},
	} {
		body := contractBody()
		body[c.field] = c.value
		r := b.do(t, http.MethodPost, "/v1/admin/tenants/depok/langganan/kontrak", platform, body)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s %v: %d, want 422: %s", c.field, c.value, r.status, r.raw)
		} else if _, ok := r.problem(t).field("body." + c.field); !ok {
			t.Errorf("%s %v: the problem does not name the field: %s", c.field, c.value, r.raw)
		}
	}
	if n := b.count(t, "depok", "select count(*) from tenant_billing"); n != 0 {
		t.Errorf("refused contracts wrote %d billing rows", n)
	}
	if n := b.count(t, "", "select count(*) from river.river_job where kind like 'langganan%'"); n != 0 {
		t.Errorf("refused contracts queued %d jobs", n)
	}
	if r := b.do(t, http.MethodPost, "/v1/admin/tenants/depok/langganan/kontrak", b.login(t, b.depokAdmin.Email), contractBody()); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("an office admin records a contract: %d", r.status)
	}

	off := setup(t)
	r := off.do(t, http.MethodPost, "/v1/admin/tenants/depok/langganan/kontrak", off.login(t, off.platformAdmin.Email), contractBody())
	if r.status != http.StatusServiceUnavailable || r.body["code"] != "billing_off" {
		t.Errorf("billing off: %d %s", r.status, r.raw)
	}
}

// customerOf gives the office a Stripe customer (as the subscription job
// would) and returns it.
func (b *testBundle) customerOf(t *testing.T, slug string) string {
	t.Helper()
	customer := "cus_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:14]
	if err := b.env.DB.InTx(context.Background(), func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `insert into stripe_customers (customer_id, tenant, livemode) values ($1, $2, false)`,
			customer, b.tenants[slug])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return customer
}

func stripeEvent(id, typ, customer string, livemode bool, version string) []byte {
	return fmt.Appendf(nil, `{"id":%q,"object":"event","type":%q,"livemode":%t,"api_version":%q,"created":%d,
		"data":{"object":{"object":"invoice","id":"in_uji","customer":%q,"status":"paid"}}}`, id, typ, livemode, version, time.Now().Unix(), customer)
}

// postEvent sends body to the webhook signed with secret at at.
func (b *testBundle) postEvent(t *testing.T, body []byte, secret string, at time.Time) response {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at})
	return b.do(t, http.MethodPost, "/v1/webhooks/stripe", "", body, "Stripe-Signature", signed.Header)
}

// TestStripeWebhook, offline with signed test payloads: a valid event is
// one event row and one sync job, in one transaction; a wrong secret, a
// tampered body or a stale timestamp → 400 and nothing stored; the same
// event twice → one row, one job; a burst for one customer → one sync;
// an unknown type, another mode or API version, an unknown customer →
// stored, 200, nothing queued.
func TestStripeWebhook(t *testing.T) {
	t.Parallel()
	b := setup(t, withStripe)
	customer := b.customerOf(t, "depok")
	events := func() int { return b.count(t, "", "select count(*) from stripe_events") }
	syncs := func() int {
		return b.count(t, "", "select count(*) from river.river_job where kind = 'langganan_sync' and args->>'customer_id' = $1", customer)
	}

	body := stripeEvent("evt_satu", "invoice.paid", customer, false, stripego.APIVersion)
	tampered := []byte(strings.Replace(string(body), "invoice.paid", "invoice.voided", 1))
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: webhookSecret})
	for name, send := range map[string]func() response{
		"wrong secret":    func() response { return b.postEvent(t, body, "whsec_lain", time.Now()) },
		"stale timestamp": func() response { return b.postEvent(t, body, webhookSecret, time.Now().Add(-301*time.Second)) },
		"tampered body": func() response {
			return b.do(t, http.MethodPost, "/v1/webhooks/stripe", "", tampered, "Stripe-Signature", signed.Header)
		},
		"no signature": func() response { return b.do(t, http.MethodPost, "/v1/webhooks/stripe", "", body) },
	} {
		if r := send(); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400: %s", name, r.status, r.raw)
		}
	}
	if n := events(); n != 0 {
		t.Fatalf("refused events stored: %d", n)
	}

	r := b.postEvent(t, body, webhookSecret, time.Now())
	if r.status != http.StatusOK || r.body["outcome"] != "queued" {
		t.Fatalf("a valid event: %d %s", r.status, r.raw)
	}
	if events() != 1 || syncs() != 1 {
		t.Fatalf("a valid event: %d events, %d syncs, want 1 and 1", events(), syncs())
	}
	if r := b.postEvent(t, body, webhookSecret, time.Now()); r.status != http.StatusOK {
		t.Errorf("the same event again: %d", r.status)
	}
	// A burst of other events of the customer, out of order.
	for i, typ := range []string{"invoice.finalized", "customer.subscription.updated", "invoice.sent", "invoice.payment_succeeded"} {
		if r := b.postEvent(t, stripeEvent(fmt.Sprintf("evt_burst%d", i), typ, customer, false, stripego.APIVersion), webhookSecret, time.Now()); r.status != http.StatusOK {
			t.Errorf("%s: %d", typ, r.status)
		}
	}
	if events() != 5 || syncs() != 1 {
		t.Errorf("after a duplicate and a burst: %d events, %d syncs, want 5 and 1", events(), syncs())
	}

	for _, c := range []struct {
		id, typ, customer string
		livemode          bool
		version, outcome  string
	}{
		{"evt_lain", "charge.refunded", customer, false, stripego.APIVersion, "ignored_type"},
		{"evt_live", "invoice.paid", customer, true, stripego.APIVersion, "livemode_mismatch"},
		{"evt_versi", "invoice.paid", customer, false, "2020-08-27", "api_version_mismatch"},
		{"evt_asing", "invoice.paid", "cus_BukanKantor", false, stripego.APIVersion, "unknown_customer"},
	} {
		r := b.postEvent(t, stripeEvent(c.id, c.typ, c.customer, c.livemode, c.version), webhookSecret, time.Now())
		if r.status != http.StatusOK || r.body["outcome"] != c.outcome {
			t.Errorf("%s: %d %s, want 200 %s", c.id, r.status, r.raw, c.outcome)
		}
		if n := b.count(t, "", "select count(*) from stripe_events where id = $1 and outcome = $2", c.id, c.outcome); n != 1 {
			t.Errorf("%s not stored as %s", c.id, c.outcome)
		}
	}
	if n := b.count(t, "", "select count(*) from river.river_job where kind = 'langganan_sync'"); n != 1 {
		t.Errorf("%d syncs queued in all, want 1", n)
	}
}

// addInvoice mirrors an open invoice of the office due at due, as the sync
// would, and returns its id.
func (b *testBundle) addInvoice(t *testing.T, slug string, due time.Time) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	if err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug], func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `insert into invoices (tenant_id, id, stripe_invoice_id, number, status, amount_due_idr, tax_idr, due_at)
			values ($1, $2, $3, 'SNTR-0001', 'open', 39960000, 3960000, $4)`, b.tenants[slug], id, "in_"+strings.ReplaceAll(id.String(), "-", "")[:16], due)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRecordPayment: Depok with a contract and an invoice 10 days past due
// is in grace; a payment with a bad amount, a future date, no SP2D, or on
// Medan's invoice is refused (4xx naming the field, or 404) with nothing
// written; the real payment makes the office active at once and queues
// its sending to Stripe, once.
func TestRecordPayment(t *testing.T) {
	t.Parallel()
	b := setup(t, withStripe)
	platform := b.login(t, b.platformAdmin.Email)
	if r := b.do(t, http.MethodPost, "/v1/admin/tenants/depok/langganan/kontrak", platform, contractBody()); r.status != http.StatusOK {
		t.Fatalf("contract: %d %s", r.status, r.raw)
	}
	invoice := b.addInvoice(t, "depok", time.Now().AddDate(0, 0, -10))
	medans := b.addInvoice(t, "medan", time.Now().AddDate(0, 0, -10))
	if r := b.do(t, http.MethodGet, "/v1/admin/tenants/depok/langganan", platform, nil); r.body["state"] != "grace" {
		t.Fatalf("an invoice 10 days past due: %s", r.raw)
	}
	path := func(id uuid.UUID) string { return "/v1/admin/tenants/depok/tagihan/" + id.String() + "/bayar" }
	pay := func() map[string]any {
		return map[string]any{"sp2d_number": "00123/SP2D/LS/2027", "paid_on": time.Now().AddDate(0, 0, -1).Format(time.DateOnly),
			"received_idr": 39_240_000, "tax_documents": []map[string]any{{"kind": "pph23", "number": "BP-0042", "amount_idr": 720_000}}}
	}
	for _, c := range []struct {
		field string
		value any
	}{
		{"received_idr", 39_240_000.5}, {"received_idr", 0}, {"received_idr", 50_000_000},
		{"paid_on", time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}, {"paid_on", "kemarin"}, {"sp2d_number", ""},
	} {
		body := pay()
		body[c.field] = c.value
		r := b.do(t, http.MethodPost, path(invoice), platform, body)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s %v: %d, want 422: %s", c.field, c.value, r.status, r.raw)
		} else if _, ok := r.problem(t).field("body." + c.field); !ok {
			t.Errorf("%s %v: the problem does not name the field: %s", c.field, c.value, r.raw)
		}
	}
	if r := b.do(t, http.MethodPost, path(medans), platform, pay()); r.status != http.StatusNotFound {
		t.Errorf("medan's invoice under depok: %d, want 404", r.status)
	}
	if r := b.do(t, http.MethodPost, path(uuid.New()), platform, pay()); r.status != http.StatusNotFound {
		t.Errorf("an invoice that does not exist: %d, want 404", r.status)
	}
	if n := b.count(t, "depok", "select count(*) from invoices where sp2d_number is not null or received_idr is not null"); n != 0 {
		t.Errorf("refused payments wrote %d invoices", n)
	}
	if n := b.count(t, "", "select count(*) from river.river_job where kind = 'langganan_pay'"); n != 0 {
		t.Errorf("refused payments queued %d jobs", n)
	}

	r := b.do(t, http.MethodPost, path(invoice), platform, pay())
	if r.status != http.StatusOK || r.body["sp2d_number"] != "00123/SP2D/LS/2027" || r.body["received_idr"] != float64(39_240_000) {
		t.Fatalf("record the payment: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/admin/tenants/depok/langganan", platform, nil); r.body["state"] != "active" {
		t.Errorf("after the payment: %s", r.raw)
	}
	if r := b.do(t, http.MethodPost, path(invoice), platform, pay()); r.status != http.StatusOK {
		t.Errorf("the same payment again: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "", "select count(*) from river.river_job where kind = 'langganan_pay'"); n != 1 {
		t.Errorf("%d payment jobs, want 1", n)
	}
	other := pay()
	other["sp2d_number"] = "00999/SP2D/LS/2027"
	if r := b.do(t, http.MethodPost, path(invoice), platform, other); r.status != http.StatusConflict {
		t.Errorf("another payment of a paid invoice: %d, want 409", r.status)
	}
}
