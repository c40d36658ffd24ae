package db_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/migrations"
)

// singleConnDB opens a pool of exactly one connection as the application
// role, so consecutive users of the pool are known to share a session.
func singleConnDB(t *testing.T, env *dbtest.Env) *db.DB {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), env.AppURL+"&pool_max_conns=1")
	if err != nil {
		t.Fatalf("open single-connection pool: %v", err)
	}
	t.Cleanup(pool.Close)
	if got := pool.Config().MaxConns; got != 1 {
		t.Fatalf("pool has MaxConns %d, want 1", got)
	}
	return &db.DB{Pool: pool}
}

// backend reports the server process of the pool's connection, the tenant
// setting it holds and how many wilayah rows it sees, outside any
// transaction the application opened.
func backend(t *testing.T, d *db.DB) (pid int32, setting *string, rows int) {
	t.Helper()
	if err := d.Pool.QueryRow(t.Context(), `select pg_backend_pid(), current_setting('app.tenant_id', true),
		(select count(*) from wilayah)`).Scan(&pid, &setting, &rows); err != nil {
		t.Fatalf("inspect connection: %v", err)
	}
	return pid, setting, rows
}

func TestPooledConnectionForgetsTenantAfterTransaction(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a")
	seed(t, env.DB, "wilayah", a, 3)
	d := singleConnDB(t, env)

	var pidInTx int32
	var seen int
	if err := d.InTenantTx(ctx, a, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select pg_backend_pid(), (select count(*) from wilayah)").Scan(&pidInTx, &seen)
	}); err != nil {
		t.Fatal(err)
	}
	if seen != 3 {
		t.Fatalf("as tenant A the transaction saw %d wilayah rows, want 3", seen)
	}

	// The same (only) connection, next user, no tenant set.
	pid, setting, rows := backend(t, d)
	if pid != pidInTx {
		t.Fatalf("backend %d after the transaction, want the same connection %d", pid, pidInTx)
	}
	if setting != nil && *setting != "" {
		t.Errorf("app.tenant_id = %q after the tenant's transaction ended, want '' or NULL", *setting)
	}
	if rows != 0 {
		t.Errorf("next user of the connection sees %d wilayah rows, want 0", rows)
	}
	if err := d.InTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select count(*) from wilayah").Scan(&rows)
	}); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("InTx on the reused connection sees %d wilayah rows, want 0", rows)
	}
}

// TestReadBatchForgetsTenant: a one-round-trip read sees the tenant's rows
// only; afterwards, and after one that failed midway, the connection holds
// no tenant and no open transaction.
func TestReadBatchForgetsTenant(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a")
	seed(t, env.DB, "wilayah", a, 3)
	d := singleConnDB(t, env)
	var seen int
	if err := d.ReadTenantBatch(ctx, a, func(b *pgx.Batch) {
		b.Queue("select count(*) from wilayah").QueryRow(func(r pgx.Row) error { return r.Scan(&seen) })
	}); err != nil {
		t.Fatal(err)
	}
	if seen != 3 {
		t.Fatalf("the read saw %d wilayah rows, want 3", seen)
	}
	if _, setting, rows := backend(t, d); (setting != nil && *setting != "") || rows != 0 {
		t.Errorf("after the read: app.tenant_id %v, %d rows visible; want none", setting, rows)
	}
	// A statement that fails inside the batch: the error comes back and the
	// next user gets a clean connection.
	err := d.ReadTenantBatch(ctx, a, func(b *pgx.Batch) {
		b.Queue("select 1/0")
		b.Queue("select count(*) from wilayah").QueryRow(func(r pgx.Row) error { return r.Scan(&seen) })
	})
	if err == nil {
		t.Fatal("a failing statement in the batch: no error")
	}
	if _, setting, rows := backend(t, d); (setting != nil && *setting != "") || rows != 0 {
		t.Errorf("after the failed read: app.tenant_id %v, %d rows visible; want none", setting, rows)
	}
	if err := d.ReadProvinceBatch(ctx, "3x", func(*pgx.Batch) {}); err == nil {
		t.Error("an invalid province code was accepted")
	}
}

// TestSessionLevelSetLeaksToNextUser documents the pitfall invariant 4
// forbids: a session-level SET (or set_config(..., false), or a pool
// AfterConnect hook) stays on the connection, so the next request served by
// it, whoever it is for, sees the previous tenant's rows. Behind pgbouncer in
// transaction mode the next user may even be another application instance.
// If this test ever fails, PostgreSQL changed, not Sentra.
func TestSessionLevelSetLeaksToNextUser(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a")
	seed(t, env.DB, "wilayah", a, 2)
	d := singleConnDB(t, env)

	if _, err := d.Pool.Exec(ctx, "select set_config('app.tenant_id', $1, false)", a.String()); err != nil {
		t.Fatal(err)
	}
	if _, _, rows := backend(t, d); rows != 2 {
		t.Fatalf("after a session-level set, the next user sees %d rows, want A's 2 (the leak this test documents)", rows)
	}
	if _, err := d.Pool.Exec(ctx, "reset app.tenant_id"); err != nil {
		t.Fatal(err)
	}
	if _, _, rows := backend(t, d); rows != 0 {
		t.Fatalf("after reset, %d rows visible, want 0", rows)
	}
}

// TestTransactionEndsWhenCallbackPanics: a panic (or t.FailNow / Goexit)
// inside InTenantTx must not leave the transaction open on a connection that
// is never returned: with the tenant set and locks held, the pool would
// shrink by one on every such panic and Close would wait forever.
func TestTransactionEndsWhenCallbackPanics(t *testing.T) {
	env := dbtest.New(t)
	a := newTenant(t, env.DB, "tenant-a")
	// Not singleConnDB: if the connection leaks, Close would wait for it
	// forever, so the pool is closed only once it is known to be back.
	pool, err := pgxpool.New(t.Context(), env.AppURL+"&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	d := &db.DB{Pool: pool}

	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic inside InTenantTx was not propagated")
			}
		}()
		_ = d.InTenantTx(t.Context(), a, func(pgx.Tx) error { panic("handler bug") })
	}()

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		t.Fatalf("the only connection was not returned to the pool after the panic: %v", err)
	}
	defer pool.Close()
	defer conn.Release()
	var setting *string
	if err := conn.QueryRow(ctx, `select current_setting('app.tenant_id', true)`).Scan(&setting); err != nil {
		t.Fatal(err)
	}
	if setting != nil && *setting != "" {
		t.Errorf("after the panic the connection still holds tenant %q", *setting)
	}
}

func TestCheckMigratedOnMigratedDatabase(t *testing.T) {
	env := dbtest.New(t)
	if err := env.DB.CheckMigrated(t.Context()); err != nil {
		t.Fatalf("CheckMigrated on a migrated database: %v", err)
	}
}

// TestConcurrentMigrationsBothSucceed starts two `sentra migrate` at once on
// an empty database, then twice more on the migrated one: all succeed (the
// advisory lock serialises them, the second finds nothing to do) and the
// schema is current.
func TestConcurrentMigrationsBothSucceed(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	ownerURL, appURL := emptyDatabase(t, env)

	app, err := db.Open(ctx, appURL, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if err := app.CheckMigrated(ctx); !errors.Is(err, db.ErrNotMigrated) {
		t.Fatalf("CheckMigrated on an empty database = %v, want ErrNotMigrated", err)
	}

	for _, round := range []string{"empty database", "migrated database"} {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { errs[i] = db.Migrate(ctx, ownerURL, slog.New(slog.DiscardHandler)) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("%s: migration %d of 2 running concurrently: %v", round, i+1, err)
			}
		}
		if err := app.CheckMigrated(ctx); err != nil {
			t.Errorf("%s: CheckMigrated after concurrent migrations: %v", round, err)
		}
	}
	var tables int
	if err := app.Pool.QueryRow(ctx, "select count(*) from pg_tables where schemaname = 'public' and tablename = 'wilayah'").Scan(&tables); err != nil || tables != 1 {
		t.Errorf("wilayah table after migration: %d, %v", tables, err)
	}
}

// emptyDatabase creates a database with nothing but the one-time superuser
// setup every deployment runs before migrating, dropped when t ends, and
// returns its owner and application URLs.
func emptyDatabase(t *testing.T, env *dbtest.Env) (ownerURL, appURL string) {
	t.Helper()
	ctx := t.Context()
	admin := adminConn(t, env)
	name := "sentra_empty_" + uuid.NewString()[:8]
	if _, err := admin.Exec(ctx, fmt.Sprintf("create database %s owner sentra_owner", pgx.Identifier{name}.Sanitize())); err != nil {
		t.Fatalf("create empty database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), fmt.Sprintf("drop database if exists %s with (force)", pgx.Identifier{name}.Sanitize()))
	})
	setup, err := pgx.Connect(ctx, withDatabase(t, env.Admin, name))
	if err != nil {
		t.Fatal(err)
	}
	_, err = setup.Exec(ctx, migrations.SuperuserSQL)
	setup.Close(context.Background())
	if err != nil {
		t.Fatalf("superuser setup: %v", err)
	}
	return withDatabase(t, env.OwnerURL, name), withDatabase(t, env.AppURL, name)
}

func withDatabase(t *testing.T, raw, name string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestReadStepsSeeOneSnapshotAndForgetTenant: a read in steps (BEGIN sent
// with the first) sees the tenant's rows as of its first step, whatever
// commits between its steps; afterwards, after a step that failed and after
// a panic, the connection (the same one: it was cleaned, not discarded)
// holds no tenant and no open transaction.
func TestReadStepsSeeOneSnapshotAndForgetTenant(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a")
	seed(t, env.DB, "wilayah", a, 3)
	d := singleConnDB(t, env)
	count := func(read func(func(*pgx.Batch)) error) (n int, pid int32) {
		t.Helper()
		if err := read(func(b *pgx.Batch) {
			b.Queue("select count(*), pg_backend_pid() from wilayah").QueryRow(func(r pgx.Row) error { return r.Scan(&n, &pid) })
		}); err != nil {
			t.Fatal(err)
		}
		return n, pid
	}
	var pid int32
	err := d.ReadTenantSteps(ctx, a, func(read func(func(*pgx.Batch)) error) error {
		first, p := count(read)
		pid = p
		seed(t, env.DB, "wilayah", a, 2) // committed by another connection
		if second, _ := count(read); first != 3 || second != 3 {
			t.Errorf("steps saw %d, then %d wilayah rows; want 3 both times (one snapshot)", first, second)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	clean := func(when string) {
		t.Helper()
		p, setting, rows := backend(t, d)
		if (setting != nil && *setting != "") || rows != 0 || p != pid {
			t.Errorf("%s: backend %d (want %d), app.tenant_id %v, %d rows visible; want the same, clean connection", when, p, pid, setting, rows)
		}
	}
	clean("after the steps")

	err = d.ReadTenantSteps(ctx, a, func(read func(func(*pgx.Batch)) error) error {
		count(read)
		return read(func(b *pgx.Batch) { b.Queue("select 1/0") })
	})
	if err == nil {
		t.Fatal("a failing step: no error")
	}
	clean("after a failed step")

	func() {
		defer func() {
			if recover() == nil {
				t.Error("a panic inside the steps was not propagated")
			}
		}()
		_ = d.ReadTenantSteps(ctx, a, func(read func(func(*pgx.Batch)) error) error {
			count(read)
			panic("handler bug")
		})
	}()
	clean("after a panic")
	if err := d.ReadTenantSteps(ctx, uuid.Nil, func(func(func(*pgx.Batch)) error) error { return nil }); err == nil {
		t.Error("steps without a tenant were accepted")
	}
}
