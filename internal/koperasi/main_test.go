package koperasi_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// Real regions (tenants/*/wilayah.csv).
const (
	kecPancoranMas = "32.76.01"
	kelDepok       = "32.76.01.1006" // in Pancoran Mas
	kelDepokJaya   = "32.76.01.1007" // in Pancoran Mas
	kecCimanggis   = "32.76.02"
	kelHarjamukti  = "32.76.02.1007" // in Cimanggis
	kelMedanPasar  = "12.71.01.1001" // Pasar Baru, Medan Kota
)

// now is the service's clock in these tests: 15 June 2026, in Jakarta.
var now = time.Date(2026, 6, 15, 3, 0, 0, 0, time.UTC)

// bundle is a migrated database with the four real tenants and the service.
type bundle struct {
	env          *dbtest.Env
	svc          *koperasi.Service
	depok, medan *tenancy.Tenant
	tenants      map[string]*tenancy.Tenant // by slug
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
	b := &bundle{env: env, tenants: map[string]*tenancy.Tenant{},
		svc: &koperasi.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}}
	for _, c := range cfgs {
		tt, err := store.BySlug(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		b.tenants[c.Slug] = tt.Scope()
	}
	b.depok, b.medan = b.tenants["depok"], b.tenants["medan"]
	return b
}

func ptr[T any](v T) *T { return &v }

// input is a valid cooperative in kelurahan kel.
func input(nama, kel string) koperasi.KoperasiInput {
	return koperasi.KoperasiInput{Nama: nama, KecamatanKode: kel[:8], KelurahanKode: kel, Kelompok: ptr("ksu")}
}

// create registers a cooperative in tenant tt, failing the test on error.
func (b *bundle) create(t *testing.T, tt *tenancy.Tenant, in koperasi.KoperasiInput) koperasi.Detail {
	t.Helper()
	d, err := b.tryCreate(tt, in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Nama, err)
	}
	return d
}

func (b *bundle) tryCreate(tt *tenancy.Tenant, in koperasi.KoperasiInput) (koperasi.Detail, error) {
	var d koperasi.Detail
	err := b.env.DB.InTenantTx(context.Background(), tt.ID, func(tx pgx.Tx) error {
		var err error
		d, err = b.svc.CreateTx(context.Background(), tx, tt, in)
		return err
	})
	return d, err
}

// inTx runs fn in a transaction of tenant tt and returns its error.
func (b *bundle) inTx(tt *tenancy.Tenant, fn func(tx pgx.Tx) error) error {
	return b.env.DB.InTenantTx(context.Background(), tt.ID, fn)
}

func (b *bundle) count(t *testing.T, tt *tenancy.Tenant, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := b.inTx(tt, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// umkm inserts a business of tenant tt directly (the UMKM registry is
// another package) and returns its id.
func (b *bundle) umkm(t *testing.T, tt *tenancy.Tenant, usaha, kel string) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	if err := b.inTx(tt, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Pemilik', $3, 'kuliner', 'staf', $4, $5)`, tt.ID, id, usaha, kel[:8], kel)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// wantKind fails unless err is a domain error of kind k.
func wantKind(t *testing.T, err error, k apperr.Kind) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != k {
		t.Fatalf("error %v, want kind %d", err, k)
	}
	return ae
}

// wantField fails unless err is Invalid naming location, in Indonesian.
func wantField(t *testing.T, err error, location string) {
	t.Helper()
	ae := wantKind(t, err, apperr.KindInvalid)
	for _, f := range ae.Fields {
		if f.Location == location {
			if f.Message.ID == "" || f.Message.ID == f.Message.EN {
				t.Errorf("%s: message %+v is not in Indonesian", location, f.Message)
			}
			return
		}
	}
	t.Fatalf("invalid, but %s not named: %+v", location, ae.Fields)
}

func (b *bundle) inTenant(t testing.TB, slug string, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, fn); err != nil {
		t.Fatal(err)
	}
}

func (b *bundle) countIn(t testing.TB, slug, sql string, args ...any) int {
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
