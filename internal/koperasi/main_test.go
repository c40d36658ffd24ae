package koperasi_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// bundle is a migrated database with the four real tenants and the service.
type bundle struct {
	env     *dbtest.Env
	svc     *koperasi.Service
	tenants map[string]*tenancy.Tenant
}

func setup(t testing.TB) *bundle {
	t.Helper()
	ctx := context.Background()
	env := dbtest.New(t)
	l := slog.New(slog.DiscardHandler)
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB, Logger: l}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatalf("sync tenants: %v", err)
	}
	b := &bundle{env: env, svc: &koperasi.Service{DB: env.DB, Logger: l, Now: time.Now}, tenants: map[string]*tenancy.Tenant{}}
	for _, c := range cfgs {
		tt, err := store.BySlug(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		b.tenants[c.Slug] = tt.Scope()
	}
	return b
}

func (b *bundle) inTenant(t testing.TB, slug string, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, fn); err != nil {
		t.Fatal(err)
	}
}

func (b *bundle) count(t testing.TB, slug, sql string, args ...any) int {
	t.Helper()
	var n int
	b.inTenant(t, slug, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) })
	return n
}

// kop is a hand-made cooperative: its units as kind → volume of 2024.
type kop struct {
	nama     string
	kelompok string
	jenis    string // "" for none
	aktif    bool
	archived bool
	units    []koperasi.GenUnit
}

func unit(kind koperasi.UnitKind, volume int64) koperasi.GenUnit {
	return koperasi.GenUnit{ID: uuid.Must(uuid.NewV7()), Kind: kind, Volume: map[int]int64{2024: volume}}
}

// insert writes hand-made cooperatives into the first kelurahan of a
// tenant and returns their ids in order.
func (b *bundle) insert(t testing.TB, slug string, list ...kop) []uuid.UUID {
	t.Helper()
	ctx := context.Background()
	var ids []uuid.UUID
	b.inTenant(t, slug, func(tx pgx.Tx) error {
		var kel, kec string
		if err := tx.QueryRow(ctx, `select kode, parent_kode from wilayah where level = 'desa_kelurahan' order by kode limit 1`).Scan(&kel, &kec); err != nil {
			return err
		}
		var gen []koperasi.GenKoperasi
		for _, k := range list {
			g := koperasi.GenKoperasi{ID: uuid.Must(uuid.NewV7()), Nama: k.nama, KecamatanKode: kec, KelurahanKode: kel,
				BadanHukumNomor: "518/BH/XIII.3/2005", BadanHukumTanggal: time.Date(2005, 3, 1, 0, 0, 0, 0, time.UTC), Aktif: k.aktif, Units: k.units}
			if k.kelompok != "" {
				g.Kelompok = &k.kelompok
			}
			if k.jenis != "" {
				g.Jenis = &k.jenis
			}
			gen = append(gen, g)
			ids = append(ids, g.ID)
		}
		if err := koperasi.InsertGenerated(ctx, tx, b.tenants[slug].ID, gen); err != nil {
			return err
		}
		for i, k := range list {
			if k.archived {
				if _, err := tx.Exec(ctx, `update koperasi set archived_at = now() where id = $1`, ids[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return ids
}

// start starts (or finds) the tenant's campaign as the admin would.
func (b *bundle) start(t testing.TB, slug string) (koperasi.Kampanye, bool) {
	t.Helper()
	var (
		k   koperasi.Kampanye
		new bool
	)
	b.inTenant(t, slug, func(tx pgx.Tx) error {
		var err error
		k, _, new, err = b.svc.StartKampanye(context.Background(), tx, b.tenants[slug], uuid.New())
		return err
	})
	return k, new
}

// run runs a campaign to its end in batches of size batch; final must be
// called exactly once.
func (b *bundle) run(t testing.TB, slug string, id uuid.UUID, batch int) {
	t.Helper()
	calls := 0
	err := b.svc.RunKampanye(context.Background(), b.tenants[slug], id, batch, func(context.Context, pgx.Tx) error {
		calls++
		return nil
	})
	if err != nil || calls != 1 {
		t.Fatalf("run kampanye: %v, final called %d times", err, calls)
	}
}
