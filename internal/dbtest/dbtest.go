// Package dbtest gives tests a real, migrated PostgreSQL database reached as
// the application role, so row-level security is exercised exactly as in
// production. Each test binary starts one private cluster (or attaches to
// DATABASE_URL, which must then be able to create roles and databases),
// migrates a template once, and hands out databases copied from it.
package dbtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pgembed"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/migrations"
)

const template = "sentra_template"

var (
	cluster  *pgembed.Cluster
	setup    sync.Once
	setupErr error
	counter  atomic.Int64
	tmpDir   string
)

// Main runs the package's tests with a cluster available and stops it
// afterwards. Call it from TestMain.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main for a TestMain with more to stop afterwards (a browser): it
// returns the exit code instead of exiting.
func Run(m *testing.M) int {
	code := m.Run()
	if cluster != nil && cluster.Attached() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_ = cluster.DropDatabase(ctx, fmt.Sprintf("%s_%d", template, os.Getpid()))
		cancel()
	}
	if cluster != nil {
		_ = cluster.Stop()
	}
	if tmpDir != "" {
		_ = os.RemoveAll(tmpDir)
	}
	return code
}

func start() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var err error
	if url := os.Getenv("DATABASE_URL"); url != "" {
		cluster, err = pgembed.Attach(ctx, url)
	} else {
		if tmpDir, err = os.MkdirTemp("", "sentra-test-pg-"); err != nil {
			return err
		}
		cluster, err = pgembed.Start(ctx, pgembed.Options{Dir: tmpDir, Fast: true})
	}
	if err != nil {
		return err
	}
	// A template per test binary: binaries run in parallel on one server.
	name := fmt.Sprintf("%s_%d", template, os.Getpid())
	if err := cluster.CreateDatabase(ctx, name, "", migrations.SuperuserSQL); err != nil {
		return err
	}
	if err := db.Migrate(ctx, cluster.OwnerURL(name), slog.New(slog.DiscardHandler)); err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	return nil
}

// Env is one fresh migrated database.
type Env struct {
	DB       *db.DB // as the application role
	Name     string
	AppURL   string
	OwnerURL string
	Admin    string // superuser URL, for tests that must look behind RLS
}

// New returns a fresh migrated database for t, closed when t ends.
func New(t testing.TB) *Env {
	t.Helper()
	setup.Do(func() { setupErr = start() })
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	ctx := context.Background()
	name := fmt.Sprintf("sentra_test_%d_%d", os.Getpid(), counter.Add(1))
	if err := cluster.CreateDatabase(ctx, name, fmt.Sprintf("%s_%d", template, os.Getpid()), ""); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// Cleanups run last first: the pool closes, then the database goes.
	if cluster.Attached() { // a private cluster goes whole when the tests end
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = cluster.DropDatabase(ctx, name)
		})
	}
	d, err := db.Open(ctx, cluster.AppURL(name), db.Options{SideConns: 2})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(d.Close)
	return &Env{DB: d, Name: name, AppURL: cluster.AppURL(name), OwnerURL: cluster.OwnerURL(name), Admin: cluster.SuperuserURL(name)}
}

var tenantSeq atomic.Int64

// NewTenant inserts a tenant (a platform table: no RLS, writable by the
// application role with no tenant set) in province 32 with a made-up
// Kemendagri code, for tests that need tenants but not the real four.
func NewTenant(t testing.TB, d *db.DB, slug string) *tenancy.Tenant {
	t.Helper()
	ctx := context.Background()
	id := uuid.New()
	n := tenantSeq.Add(1)
	err := d.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into provinces (code, name) values ('32', 'Jawa Barat') on conflict do nothing`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into tenants (id, slug, name, kind, kemendagri_code, bps_code, province_code, timezone, locale)
			values ($1, $2, $3, 'kota', $4, $5, '32', 'Asia/Jakarta', 'id-ID')`,
			id, slug, "Kota "+slug, fmt.Sprintf("%02d.%02d", 90+n/100%10, n%100), fmt.Sprintf("%04d", 9000+n%1000))
		return err
	})
	if err != nil {
		t.Fatalf("create tenant %s: %v", slug, err)
	}
	return &tenancy.Tenant{ID: id, Slug: slug, Name: "Kota " + slug, ProvinceCode: "32", TimeZone: "Asia/Jakarta"}
}

// AwaitLockWaits waits until at least n connections of the application role
// wait on a lock. It polls from a connection of its own (inside a
// transaction, pg_stat_activity is a snapshot taken at its first read) and
// fails t after 10 s, or at once when stop (if not nil) returns an error.
func (e *Env) AwaitLockWaits(t testing.TB, n int, stop func() error) {
	t.Helper()
	ctx := context.Background()
	watch, err := pgx.Connect(ctx, e.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := watch.QueryRow(ctx, `select count(*) from pg_stat_activity
			where datname = current_database() and usename = 'sentra_app' and wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
		if stop != nil {
			if err := stop(); err != nil {
				t.Fatal(err)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d connections reached a lock", waiting, n)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, not waiting for an outcome
	}
}
