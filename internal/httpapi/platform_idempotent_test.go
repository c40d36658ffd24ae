package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// TestEveryPlatformPOSTHonoursIdempotencyKey: each POST under /v1/admin/,
// sent twice with one Idempotency-Key, answers the second time with the
// first answer (status, body byte for byte, Location) marked
// Idempotent-Replayed, without doing its work again: one office opened,
// one invitation, no second write of a fact, no second audit row of a
// payment — even when a redo would now answer otherwise. The same key
// with another body, or for another office, is refused 422 in Indonesian
// naming the header. Keys are the caller's: another platform admin's same
// key is their own request.
func TestEveryPlatformPOSTHonoursIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t, withStripe)
	platform := b.login(t, b.platformAdmin.Email)
	ctx := context.Background()
	day := func(days int) string { return time.Now().AddDate(0, 0, days).Format(time.DateOnly) }
	version := func() int { return b.count(t, "depok", "select coalesce(max(version), 0) from tenant_billing") }
	invoice := b.addInvoice(t, "depok", time.Now().AddDate(0, 0, -10))
	pay := func(sp2d string) map[string]any {
		return map[string]any{"sp2d_number": sp2d, "paid_on": day(-1), "received_idr": 39_240_000}
	}
	type request struct {
		path string
		body any
	}
	depok := "/v1/admin/tenants/depok"
	cases := []struct {
		op    string
		first request
		other request // the same key, another request
		// work counts what the operation does: a redo would change it.
		work func() int
		// between changes the world so that a redo would answer otherwise.
		between func()
	}{
		{op: "create-tenant", first: request{"/v1/admin/tenants", map[string]any{"kode": "73.71"}},
			other: request{"/v1/admin/tenants", map[string]any{"kode": "72.71"}},
			work:  func() int { return b.count(t, "", "select count(*) from tenants") }},
		{op: "start-uji-coba", first: request{depok + "/langganan/uji-coba", map[string]any{"trial_until": day(30)}},
			other: request{depok + "/langganan/uji-coba", map[string]any{"trial_until": day(31)}}, work: version},
		{op: "extend-grace", first: request{depok + "/langganan/perpanjang", map[string]any{"grace_until": day(60)}},
			other: request{"/v1/admin/tenants/medan/langganan/perpanjang", map[string]any{"grace_until": day(60)}}, work: version},
		{op: "suspend-tenant", first: request{depok + "/langganan/tangguhkan", map[string]any{"alasan": "kontrak belum ditandatangani"}},
			other: request{depok + "/langganan/tangguhkan", map[string]any{"alasan": "alasan lain"}}, work: version},
		{op: "reactivate-tenant", first: request{depok + "/langganan/aktifkan", nil},
			other: request{"/v1/admin/tenants/medan/langganan/aktifkan", nil}, work: version},
		{op: "invite-admin", first: request{depok + "/undangan", map[string]any{"email": "kabid@depok.test", "name": "Bu Kabid"}},
			other: request{depok + "/undangan", map[string]any{"email": "sekretaris@depok.test", "name": "Pak Sekretaris"}},
			work:  func() int { return b.count(t, "depok", "select count(*) from undangan") }},
		{op: "create-kontrak", first: request{depok + "/langganan/kontrak", contractBody()},
			other: request{depok + "/langganan/kontrak", func() map[string]any { c := contractBody(); c["days_until_due"] = 45; return c }()},
			work: func() int {
				return b.count(t, "depok", "select count(*) from audit_log where action = 'record_contract'")
			},
			// Overdue for 90 days: read-only, were the contract recorded again.
			between: func() { b.addInvoice(t, "depok", time.Now().AddDate(0, 0, -90)) }},
		{op: "create-pembayaran", first: request{depok + "/tagihan/" + invoice.String() + "/bayar", pay("00123/SP2D/LS/2027")},
			other: request{depok + "/tagihan/" + invoice.String() + "/bayar", pay("00999/SP2D/LS/2027")},
			work: func() int {
				return b.count(t, "depok", "select count(*) from audit_log where action = 'record_payment'")
			},
			// Stripe now says paid: a redo would answer status paid.
			between: func() {
				if err := b.env.DB.InTenantTx(ctx, b.tenants["depok"], func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, "update invoices set status = 'paid' where id = $1", invoice)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}},
		{op: "cancel-langganan", first: request{depok + "/langganan/batal", map[string]any{"alasan": "SPK tidak diperpanjang"}},
			other: request{"/v1/admin/tenants/medan/langganan/batal", map[string]any{"alasan": "SPK tidak diperpanjang"}}, work: version},
		{op: "close-kantor", first: request{depok + "/langganan/akhiri", nil},
			other: request{"/v1/admin/tenants/medan/langganan/akhiri", nil},
			work:  func() int { return b.count(t, "depok", "select count(*) from pekerjaan where jenis = 'bundel_kantor'") }},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.op] = true
		key := "kunci-" + c.op
		before := c.work()
		first := b.do(t, http.MethodPost, c.first.path, platform, c.first.body, "Idempotency-Key", key)
		if first.status >= 300 || first.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("%s: %d (replayed %q) %s", c.op, first.status, first.header.Get("Idempotent-Replayed"), first.raw)
		}
		done := c.work()
		if done == before {
			t.Errorf("%s: the work counter did not move (%d): it cannot see a redo", c.op, done)
		}
		if c.between != nil {
			c.between()
		}
		again := b.do(t, http.MethodPost, c.first.path, platform, c.first.body, "Idempotency-Key", key)
		if again.status != first.status || !bytes.Equal(again.raw, first.raw) || again.header.Get("Location") != first.header.Get("Location") ||
			again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("%s retried: %d %q %q %s\nwant the first answer replayed: %d %q %s", c.op, again.status,
				again.header.Get("Location"), again.header.Get("Idempotent-Replayed"), again.raw, first.status, first.header.Get("Location"), first.raw)
		}
		if n := c.work(); n != done {
			t.Errorf("%s retried: the work was done again (%d → %d)", c.op, done, n)
		}
		reused := b.do(t, http.MethodPost, c.other.path, platform, c.other.body, "Idempotency-Key", key)
		if reused.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: the key for another request: %d, want 422: %s", c.op, reused.status, reused.raw)
		} else if msg, ok := reused.problem(t).field("header.Idempotency-Key"); !ok || !strings.HasPrefix(msg, "Idempotency-Key ini sudah dipakai") {
			t.Errorf("%s: the refusal does not name the key in Indonesian: %s", c.op, reused.raw)
		}
		if n := c.work(); n != done {
			t.Errorf("%s: the refused reuse did work (%d → %d)", c.op, done, n)
		}
	}
	for _, o := range operationsIn(t, b.srv.API(), scopePlatform) {
		if o.method == http.MethodPost && !covered[o.op.OperationID] {
			t.Errorf("platform POST %s %s is not probed here: give it a case", o.op.OperationID, o.path)
		}
	}
	if n := b.count(t, "", "select count(*) from tenants where kemendagri_code = '73.71'"); n != 1 {
		t.Errorf("%d offices of Makassar, want 1", n)
	}

	// Another platform admin's same key is another request: the office
	// exists, so theirs answers 409.
	var other testUser
	if err := b.env.DB.InTx(ctx, func(tx pgx.Tx) error {
		id, err := account.CreateUser(ctx, tx, "admin2@sentra.test", "Admin Platform Dua", testPassword)
		other = testUser{ID: id, Email: "admin2@sentra.test"}
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, tenancy.PlatformDomain, tenancy.RolePlatformAdmin, nil, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if r := b.do(t, http.MethodPost, "/v1/admin/tenants", b.login(t, other.Email), map[string]any{"kode": "73.71"},
		"Idempotency-Key", "kunci-create-tenant"); r.status != http.StatusConflict {
		t.Errorf("another admin's same key: %d, want 409: %s", r.status, r.raw)
	}
	// The invitation link is stored sealed, never in the clear.
	if n := b.count(t, "", "select count(*) from platform_idempotency_keys where response::text like '%undangan%'"); n != 0 {
		t.Errorf("%d stored answers hold an invitation link in the clear", n)
	}
	if n := b.count(t, "", "select count(*) from platform_idempotency_keys where user_id = $1", b.platformAdmin.ID); n != len(cases) {
		t.Errorf("%d keys stored for the platform admin, want %d", n, len(cases))
	}
}
