package tenant_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestSyncLeavesTheLifecycleAlone: `tenants sync` of the tenants/ folder
// updates an office's name and regions, never its access state or its
// billing facts (BILLING.md: only Evaluate moves the state).
func TestSyncLeavesTheLifecycleAlone(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB}
	synced, err := store.Sync(ctx, cfgs)
	if err != nil {
		t.Fatal(err)
	}
	var depok tenant.SyncResult
	for _, s := range synced {
		if s.Slug == "depok" {
			depok = s
		}
	}
	svc := &langganan.Service{DB: env.DB, Now: time.Now}
	if _, err := svc.Record(ctx, depok.ID, "depok", langganan.StartTrial(time.Now().AddDate(0, 0, 30))); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Record(ctx, depok.ID, "depok", langganan.Suspend("uji sinkronisasi")); err != nil {
		t.Fatal(err)
	}
	read := func() (state, reason string, version int) {
		t.Helper()
		if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select t.state, t.state_reason, b.version from tenants t join tenant_billing b on b.tenant_id = t.id
				where t.id = $1`, depok.ID).Scan(&state, &reason, &version)
		}); err != nil {
			t.Fatal(err)
		}
		return state, reason, version
	}
	s0, r0, v0 := read()
	if s0 != "read_only" || r0 != "suspended" {
		t.Fatalf("before the sync: %s %s", s0, r0)
	}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	if s, r, v := read(); s != s0 || r != r0 || v != v0 {
		t.Errorf("after the sync: %s %s v%d, want %s %s v%d", s, r, v, s0, r0, v0)
	}
}
