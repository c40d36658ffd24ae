package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
)

// TestWorkWaitingOnThePoolForItselfFailsFast: a line of work that holds a
// transaction and asks the same pool for a second connection is refused at
// once with ErrSelfWait. Without the guard, two such lines on a pool of two
// wait for each other forever; with it, both return within a second.
func TestWorkWaitingOnThePoolForItselfFailsFast(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "selfwait")
	d, err := db.Open(t.Context(), env.AppURL, db.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var (
		wg   sync.WaitGroup
		held sync.WaitGroup // both lines hold their transaction before either nests
		errs = make([]error, 2)
	)
	held.Add(2)
	start := time.Now()
	for i := range errs {
		wg.Go(func() {
			work := db.WithWork(ctx)
			errs[i] = d.InTenantTx(work, tenant, func(pgx.Tx) error {
				held.Done()
				held.Wait()
				// Progress written the old way: beside its own transaction,
				// on the pool that is now full.
				return d.InTenantTx(work, tenant, func(pgx.Tx) error { return nil })
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, db.ErrSelfWait) {
			t.Errorf("line %d: nested transaction on a full pool: %v, want ErrSelfWait", i, err)
		}
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("refusal took %s: the work waited on the pool", took)
	}

	// A read batch counts as a transaction too.
	err = d.InTenantTx(db.WithWork(ctx), tenant, func(pgx.Tx) error { return nil })
	if err != nil {
		t.Fatalf("one transaction per line of work: %v", err)
	}
	work := db.WithWork(ctx)
	err = d.InTenantTx(work, tenant, func(pgx.Tx) error {
		return d.ReadTenantBatch(work, tenant, func(b *pgx.Batch) { b.Queue("select 1") })
	})
	if !errors.Is(err, db.ErrSelfWait) {
		t.Errorf("read batch inside the work's transaction: %v, want ErrSelfWait", err)
	}
}

// TestSideAndDetachedWorkMayHoldBesideTheirParent: what legitimately runs
// beside a held transaction does not trip the guard: a write on the side
// pool, a detached goroutine (an import's chunk writers), and consecutive
// transactions of one line of work.
func TestSideAndDetachedWorkMayHoldBesideTheirParent(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "beside")
	d, err := db.Open(t.Context(), env.AppURL, db.Options{MaxConns: 2, SideConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	work := db.WithWork(ctx)
	err = d.InTenantTx(work, tenant, func(pgx.Tx) error {
		if err := d.Side().InTenantTx(work, tenant, func(pgx.Tx) error { return nil }); err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() { done <- d.InTenantTx(db.Detach(work), tenant, func(pgx.Tx) error { return nil }) }()
		return <-done
	})
	if err != nil {
		t.Fatalf("side write and detached transaction beside the work's own: %v", err)
	}
	for range 3 {
		if err := d.InTenantTx(work, tenant, func(pgx.Tx) error { return nil }); err != nil {
			t.Fatalf("consecutive transactions of one line of work: %v", err)
		}
	}
	if d.Side() == d {
		t.Error("Side() is the main pool although a side pool was opened")
	}
}

// TestApplicationRoleHasTimeouts: nothing the application role starts can
// hold a connection without bound (migrations/superuser.sql).
func TestApplicationRoleHasTimeouts(t *testing.T) {
	env := dbtest.New(t)
	for setting, want := range map[string]string{
		"statement_timeout": "1min", "lock_timeout": "10s", "idle_in_transaction_session_timeout": "2min",
	} {
		var got string
		if err := env.DB.Pool.QueryRow(t.Context(), "select current_setting($1)", setting).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q for the application role, want %q", setting, got, want)
		}
	}
}

// TestTransactionsSurviveTerminatedBackends: after the server drops every
// connection of the application (pg_terminate_backend, as an operator or
// a failover would), the next transaction, read batch and row read succeed on fresh
// connections instead of failing on the dead ones; with the server
// unreachable, the error is one the API answers with 503.
func TestTransactionsSurviveTerminatedBackends(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	tenant := newTenant(t, env.DB, "terminated")
	d, err := db.Open(ctx, env.AppURL, db.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	warm := func() {
		var wg sync.WaitGroup
		for range 4 { // every connection of the pool, used just now (no ping on acquire)
			wg.Go(func() {
				_ = d.InTenantTx(ctx, tenant, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, "select pg_sleep(0.05)")
					return err
				})
			})
		}
		wg.Wait()
	}
	admin, err := pgx.Connect(ctx, env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	terminate := func() {
		var n int
		if err := admin.QueryRow(ctx, `select count(pg_terminate_backend(pid)) from pg_stat_activity
			where usename = 'sentra_app' and datname = current_database()`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("terminated %d backends: %v", n, err)
		}
		time.Sleep(50 * time.Millisecond) // the backends are gone
	}
	warm()
	terminate()
	for i := range 4 {
		if err := d.InTenantTx(ctx, tenant, func(pgx.Tx) error { return nil }); err != nil {
			t.Fatalf("transaction %d after the backends were terminated: %v", i, err)
		}
	}
	warm()
	terminate()
	for i := range 4 {
		var one int
		if err := d.ReadTenantBatch(ctx, tenant, func(b *pgx.Batch) {
			b.Queue("select 1").QueryRow(func(r pgx.Row) error { return r.Scan(&one) })
		}); err != nil || one != 1 {
			t.Fatalf("read batch %d after the backends were terminated: %d, %v", i, one, err)
		}
	}
	warm()
	terminate()
	for i := range 4 {
		var one int
		if err := d.ReadTenantSteps(ctx, tenant, func(read func(func(*pgx.Batch)) error) error {
			return read(func(b *pgx.Batch) {
				b.Queue("select 1").QueryRow(func(r pgx.Row) error { return r.Scan(&one) })
			})
		}); err != nil || one != 1 {
			t.Fatalf("read in steps %d after the backends were terminated: %d, %v", i, one, err)
		}
	}
	warm()
	terminate()
	for i := range 4 { // a request's session lookup, before its transaction
		var one int
		if err := d.ReadRow(ctx, "select $1::int", []any{1}, &one); err != nil || one != 1 {
			t.Fatalf("read row %d after the backends were terminated: %d, %v", i, one, err)
		}
	}

	// Nothing listens on the server's port any more.
	down, err := pgxpool.New(ctx, "postgres://sentra_app:x@127.0.0.1:1/none?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	err = (&db.DB{Pool: down}).InTenantTx(ctx, tenant, func(pgx.Tx) error { return nil })
	if ae, ok := apperr.As(db.MapError(err)); !ok || ae.Kind != apperr.KindUnavailable {
		t.Errorf("transaction with the server down: %v, want unavailable (503)", err)
	}
}
