package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/sentra-id/sentra/migrations"
)

// RiverSchema is the schema holding River's queue tables. They are not under
// RLS: jobs carry their tenant in their args (see internal/jobs).
const RiverSchema = "river"

// AppRole is the role the application connects as.
const AppRole = "sentra_app"

const (
	versionTable = "public.schema_version"
	// migrateLock serialises whole migration runs (ours and River's), so two
	// `sentra migrate` started at once run one after the other.
	migrateLock = int64(0x5e7a_0001)
)

// Migrate brings the application schema and River's schema up to date. It
// must connect as the owner role; it is idempotent.
func Migrate(ctx context.Context, ownerURL string, logger *slog.Logger) error {
	pool, err := pgxpool.New(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("connect as owner: %w", err)
	}
	defer pool.Close()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("connect as owner: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "select pg_advisory_lock($1)", migrateLock); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock($1)", migrateLock) //nolint:errcheck // the session ends anyway

	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return fmt.Errorf("migrator: %w", err)
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	m.OnStart = func(seq int32, name, _, _ string) {
		logger.InfoContext(ctx, "migrating", "version", seq, "name", name)
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}

	if _, err := conn.Exec(ctx, `
		create schema if not exists river;
		grant usage on schema river to sentra_app;
		alter default privileges in schema river grant select, insert, update, delete on tables to sentra_app;
		alter default privileges in schema river grant usage, select on sequences to sentra_app;
		grant select on public.schema_version to sentra_app`); err != nil {
		return fmt.Errorf("prepare river schema: %w", err)
	}
	rm, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: RiverSchema, Logger: logger})
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	for _, v := range res.Versions {
		logger.InfoContext(ctx, "migrated river", "version", v.Version)
	}
	// Default privileges cover tables River creates from now on; this covers
	// those it created before (and is a no-op when nothing changed).
	if _, err := conn.Exec(ctx, `
		grant select, insert, update, delete on all tables in schema river to sentra_app;
		grant usage, select on all sequences in schema river to sentra_app`); err != nil {
		return fmt.Errorf("grant river tables: %w", err)
	}
	return nil
}

// ErrNotMigrated reports a database behind the binary's migrations.
var ErrNotMigrated = errors.New("database schema is not current: run `sentra migrate`")

// CheckMigrated reports whether both schemas are at the binary's versions.
// Used by /readyz, so a new binary never serves an old schema.
func (d *DB) CheckMigrated(ctx context.Context) error {
	want, err := migrationCount(migrations.FS)
	if err != nil {
		return err
	}
	var have int32
	if err := d.Pool.QueryRow(ctx, "select version from "+versionTable).Scan(&have); err != nil {
		return fmt.Errorf("%w: %v", ErrNotMigrated, err)
	}
	if int(have) < want {
		return fmt.Errorf("%w: application at %d of %d", ErrNotMigrated, have, want)
	}
	rm, err := rivermigrate.New(riverpgxv5.New(d.Pool), &rivermigrate.Config{Schema: RiverSchema})
	if err != nil {
		return err
	}
	all := rm.AllVersions()
	var river int
	if err := d.Pool.QueryRow(ctx, "select coalesce(max(version), 0) from river.river_migration where line = 'main'").Scan(&river); err != nil {
		return fmt.Errorf("%w: %v", ErrNotMigrated, err)
	}
	if river < all[len(all)-1].Version {
		return fmt.Errorf("%w: river at %d of %d", ErrNotMigrated, river, all[len(all)-1].Version)
	}
	return nil
}

func migrationCount(fsys fs.FS) (int, error) {
	paths, err := migrate.FindMigrations(fsys)
	if err != nil {
		return 0, fmt.Errorf("find migrations: %w", err)
	}
	return len(paths), nil
}
