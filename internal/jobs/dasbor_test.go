package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

// The dashboards' freshness: every committed change to a source table
// queues a refresh of its tenant (triggers of migration 010), which Sentra's
// River client works.

func realTenants(t *testing.T, env *dbtest.Env) map[string]*tenancy.Tenant {
	t.Helper()
	ctx := context.Background()
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	out := map[string]*tenancy.Tenant{}
	for _, c := range cfgs {
		tt, err := store.BySlug(ctx, c.Slug)
		if err != nil {
			t.Fatal(err)
		}
		out[c.Slug] = tt.Scope()
	}
	return out
}

// waitingRefreshes counts the refreshes of a tenant queued and not started.
func waitingRefreshes(t *testing.T, d pgx.Tx, id uuid.UUID) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `select count(*) from river.river_job
		where kind = $1 and queue = $2 and state = 'available' and args->>'tenant_id' = $3`,
		dasbor.JobKind, dasbor.Queue, id.String()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDasborFiguresFollowCommittedChanges(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	ts := realTenants(t, env)
	depok := ts["depok"]
	l := slog.New(slog.DiscardHandler)
	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	registry := &umkm.Service{DB: env.DB, Sealer: sealer, Logger: l, Now: time.Now}
	// The sync above queued a refresh per tenant (their regions changed):
	// let those run first.
	_, events := startClient(t, env, false)
	svc := &dasbor.Service{DB: env.DB, Logger: l, Now: time.Now}
	settled := func(want func(dasbor.Dasbor) bool) dasbor.Dasbor {
		t.Helper()
		var d dasbor.Dasbor
		awaitJobs(t, events, func(ev *river.Event) bool {
			if ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %d (%s) %s: %v", ev.Job.ID, ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			if ev.Job.Kind != dasbor.JobKind {
				return false
			}
			if d, err = svc.Tenant(ctx, depok); err != nil {
				t.Fatal(err)
			}
			return want(d)
		})
		return d
	}
	settled(func(d dasbor.Dasbor) bool { return d.DihitungAt != nil })

	// The register's bulk path (import, seed): 50 businesses in one statement.
	committed := time.Now()
	if err := registry.Seed(ctx, depok, "32.76", 50, 7); err != nil {
		t.Fatal(err)
	}
	d := settled(func(d dasbor.Dasbor) bool { return d.UMKM.Total == 50 })
	if d.DihitungAt.Before(committed) {
		t.Errorf("dihitung_at %v is before the change committed (%v)", d.DihitungAt, committed)
	}

	// An archive (as a merge or staff do), and a cooperative, each in their
	// own transaction.
	err = env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "update umkm set archived_at = now() where id = (select id from umkm order by id limit 1)")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, kelompok, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'KSU Segar', 'ksu', '32.76.01', '32.76.01.1006')`, depok.ID, uuid.Must(uuid.NewV7()))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	settled(func(d dasbor.Dasbor) bool {
		return d.UMKM.Total == 49 && d.Koperasi.Total == 1 && d.Koperasi.Reklasifikasi.Belum == 1
	})
	// Nothing of depok's reached another office's figures.
	m, err := svc.Tenant(ctx, ts["medan"])
	if err != nil {
		t.Fatal(err)
	}
	if m.UMKM.Total != 0 || m.Koperasi.Total != 0 {
		t.Errorf("medan: %d businesses, %d cooperatives, want none", m.UMKM.Total, m.Koperasi.Total)
	}
}

// TestDasborRefreshIsDebounced: however many writes, a tenant has at most
// one refresh waiting; a waiting refresh cannot start before a write that
// found it has committed; a write during a running refresh queues the next.
func TestDasborRefreshIsDebounced(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	ts := realTenants(t, env)
	depok, medan := ts["depok"], ts["medan"]
	write := func(tx pgx.Tx, tt *tenancy.Tenant, kel string) error {
		_, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Ani', 'Warung', 'kuliner', 'staf', left($3, 8), $3)`, tt.ID, uuid.Must(uuid.NewV7()), kel)
		return err
	}
	for range 5 {
		if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			for range 3 {
				if err := write(tx, depok, "32.76.01.1006"); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.DB.InTenantTx(ctx, medan.ID, func(tx pgx.Tx) error { return write(tx, medan, "12.71.01.1001") }); err != nil {
		t.Fatal(err)
	}
	check := func(tt *tenancy.Tenant, want int) {
		t.Helper()
		if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			if n := waitingRefreshes(t, tx, tt.ID); n != want {
				t.Errorf("%s: %d refreshes waiting, want %d", tt.Slug, n, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	check(depok, 1)
	check(medan, 1)

	// A writer in flight holds the waiting refresh: River's fetch (FOR
	// UPDATE SKIP LOCKED) cannot take it until the write commits.
	fetchable := func() int {
		var n int
		if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select count(*) from (select id from river.river_job
				where kind = $1 and state = 'available' and args->>'tenant_id' = $2 for update skip locked) j`,
				dasbor.JobKind, depok.ID.String()).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tx, err := env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // committed below
	if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1, true)", depok.ID.String()); err != nil {
		t.Fatal(err)
	}
	if err := write(tx, depok, "32.76.01.1007"); err != nil {
		t.Fatal(err)
	}
	if n := fetchable(); n != 0 {
		t.Errorf("while a write is in flight, %d refresh could start (it would miss the write)", n)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fetchable(); n != 1 {
		t.Errorf("after the write committed, %d refreshes can start, want 1", n)
	}
	check(depok, 1)

	// The refresh starts (River marks it running): the next write queues a
	// new one, which will see it.
	if _, err := env.DB.Pool.Exec(ctx, `update river.river_job set state = 'running', attempted_at = now(), attempt = 1
		where kind = $1 and args->>'tenant_id' = $2`, dasbor.JobKind, depok.ID.String()); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error { return write(tx, depok, "32.76.01.1006") }); err != nil {
		t.Fatal(err)
	}
	check(depok, 1)

	// The queued job is the one Sentra's worker works.
	var args jobs.DasborArgs
	if args.Kind() != dasbor.JobKind || args.InsertOpts().Queue != dasbor.Queue {
		t.Errorf("DasborArgs: kind %s queue %s, want what the triggers insert", args.Kind(), args.InsertOpts().Queue)
	}
}

// TestDasborRefreshesOfOneTenantDoNotInterleave: while a refresh of a
// tenant runs, a second one of the same tenant steps back at once (the
// worker snoozes it instead of holding a worker on a lock), and runs once
// the first has committed.
func TestDasborRefreshesOfOneTenantDoNotInterleave(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	real := realTenants(t, env)
	depok, medan := real["depok"], real["medan"]
	first, err := env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx) //nolint:errcheck // committed below
	if err := db.SetTenant(ctx, first, depok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := dasbor.Refresh(ctx, first, depok.ID); err != nil {
		t.Fatal(err)
	}
	second := func() error {
		return env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			_, err := dasbor.Refresh(ctx, tx, depok.ID)
			return err
		})
	}
	if err := second(); !errors.Is(err, dasbor.ErrBusy) {
		t.Fatalf("a second refresh while the first runs: %v, want ErrBusy", err)
	}
	// Another tenant is not held up by depok's refresh.
	if err := env.DB.InTenantTx(ctx, medan.ID, func(tx pgx.Tx) error {
		_, err := dasbor.Refresh(ctx, tx, medan.ID)
		return err
	}); err != nil {
		t.Fatalf("medan's refresh while depok's runs: %v", err)
	}
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := second(); err != nil {
		t.Fatalf("the second refresh after the first committed: %v", err)
	}
	var n int
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select count(*) from dasbor_penyegaran").Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d refreshes logged, want 2", n)
	}
}

// TestDasborRefreshIsPaced: after a refresh that took 1,5 s, the next one
// waits until 1,5 s after it ended, as a scheduled job that the writes
// meanwhile join, and then shows every one of them. A write in the moment
// the worker is snoozing the job (River records it a little later) queues a
// second one; none after that: at most two, whatever the writes.
func TestDasborRefreshIsPaced(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	ts := realTenants(t, env)
	depok := ts["depok"]
	_, events := startClient(t, env, false)
	l := slog.New(slog.DiscardHandler)
	svc := &dasbor.Service{DB: env.DB, Logger: l, Now: time.Now}
	awaitJobs(t, events, func(ev *river.Event) bool {
		d, err := svc.Tenant(ctx, depok)
		return err == nil && ev.Job.Kind == dasbor.JobKind && d.DihitungAt != nil
	})
	// As if a refresh of 1,5 s began now (the newest the tenant has).
	began := time.Now()
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into dasbor_penyegaran (tenant_id, province_code, dihitung_at, durasi_ms, baris_diubah)
			values ($1, '32', $2, 1500, 0)`, depok.ID, began)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var wait time.Duration
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) (err error) { wait, err = dasbor.Paced(ctx, tx); return err }); err != nil {
		t.Fatal(err)
	}
	if wait < 2500*time.Millisecond || wait > 3*time.Second {
		t.Errorf("Paced: %s, want until 1,5 s after the refresh ends (3 s after it began), less the moments since", wait)
	}
	for i := range 4 {
		if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
				values ($1, $2, 'Ani', 'Warung', 'kuliner', 'staf', '32.76.01', '32.76.01.1006')`, depok.ID, uuid.Must(uuid.NewV7()))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond) // the worker takes the first and snoozes it
		var pending int
		if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select count(*) from river.river_job where kind = $1 and state in ('available', 'scheduled', 'running')
				and args->>'tenant_id' = $2`, dasbor.JobKind, depok.ID.String()).Scan(&pending)
		}); err != nil {
			t.Fatal(err)
		}
		if pending < 1 || pending > 2 {
			t.Errorf("after write %d: %d refreshes pending, want 1 or 2", i+1, pending)
		}
	}
	d := func() dasbor.Dasbor {
		var d dasbor.Dasbor
		awaitJobs(t, events, func(ev *river.Event) bool {
			var err error
			d, err = svc.Tenant(ctx, depok)
			return err == nil && ev.Kind == river.EventKindJobCompleted && ev.Job.Kind == dasbor.JobKind && d.UMKM.Total == 4
		})
		return d
	}()
	if took := d.DihitungAt.Sub(began); took < 2900*time.Millisecond {
		t.Errorf("the next refresh began %s after the last began, want about 3 s", took)
	}
}
