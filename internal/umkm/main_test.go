package umkm_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// bundle is a migrated database with the four real tenants and the service.
type bundle struct {
	env     *dbtest.Env
	svc     *umkm.Service
	tenants map[string]*tenancy.Tenant
	codes   map[string]string // slug → Kemendagri code
}

func setup(t testing.TB) *bundle {
	t.Helper()
	ctx := context.Background()
	env := dbtest.New(t)
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(make([]byte, pii.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	b := &bundle{env: env, tenants: map[string]*tenancy.Tenant{}, codes: map[string]string{},
		svc: &umkm.Service{DB: env.DB, Sealer: sealer, Logger: slog.New(slog.DiscardHandler), Now: time.Now}}
	for _, c := range cfgs {
		tt, err := store.BySlug(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		b.tenants[c.Slug], b.codes[c.Slug] = tt.Scope(), c.KemendagriCode
	}
	return b
}
