package db_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/sentra-id/sentra/internal/db"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/migrations"
)

// migratedTo is an empty database migrated to version n, with River's
// tables (which the dashboards' triggers queue refreshes in; a deployment
// has them), as its owner.
func migratedTo(t *testing.T, n int32) (*pgx.Conn, *migrate.Migrator) {
	t.Helper()
	env := dbtest.New(t)
	ctx := t.Context()
	ownerURL, _ := emptyDatabase(t, env)
	owner, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	m, err := migrate.NewMigrator(ctx, owner, "public.schema_version")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		t.Fatal(err)
	}
	if err := m.MigrateTo(ctx, n); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "create schema river"); err != nil {
		t.Fatal(err)
	}
	rm, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: db.RiverSchema})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		t.Fatal(err)
	}
	return owner, m
}

// TestLegalitasMoveOntoTheirRecords runs migration 014 over a register
// written by 013: every tenant's documents land on their own record, in
// kind order, as the application reads them; a record without documents
// has none; no tenant's documents reach another's record.
func TestLegalitasMoveOntoTheirRecords(t *testing.T) {
	ctx := t.Context()
	owner, m := migratedTo(t, 13)

	// Two tenants with a record each holding the same kinds of document,
	// and a record without any.
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := owner.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`insert into provinces (code, name) values ('32', 'Jawa Barat') on conflict do nothing`)
	type rec struct{ tenant, id uuid.UUID }
	var withDocs, bare []rec
	for i, code := range []string{"32.76", "32.15"} {
		tid := uuid.New()
		exec(`insert into tenants (id, slug, name, kind, kemendagri_code, bps_code, province_code, timezone, locale)
			values ($1, $2, $3, 'kota', $4, $5, '32', 'Asia/Jakarta', 'id-ID')`, tid, fmt.Sprintf("t%d", i), fmt.Sprintf("Kota %d", i), code, fmt.Sprintf("32%d0", i))
		tx, err := owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1, true)", tid.String()); err != nil {
			t.Fatal(err)
		}
		kec, kel := code+".01", code+".01.1001"
		for _, q := range []string{
			`insert into wilayah (tenant_id, kode, nama, level) values ($1, '` + kec + `', 'Satu', 'kecamatan')`,
			`insert into wilayah (tenant_id, kode, nama, level, tipe, parent_kode) values ($1, '` + kel + `', 'Satu', 'desa_kelurahan', 'kelurahan', '` + kec + `')`,
		} {
			if _, err := tx.Exec(ctx, q, tid); err != nil {
				t.Fatal(err)
			}
		}
		r, b := rec{tid, uuid.New()}, rec{tid, uuid.New()}
		for _, x := range []rec{r, b} {
			if _, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, kecamatan_kode, kelurahan_kode, sumber)
				values ($1, $2, 'Siti', 'Keripik', 'kuliner', $3, $4, 'staf')`, x.tenant, x.id, kec, kel); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			`insert into umkm_legalitas (tenant_id, umkm_id, jenis, nomor, status, berlaku_sampai) values ($1, $2, 'pirt', '206327601234528', 'terbit', '2029-03-31')`,
			`insert into umkm_legalitas (tenant_id, umkm_id, jenis, status) values ($1, $2, 'sni', 'dalam_proses')`,
			`insert into umkm_legalitas (tenant_id, umkm_id, jenis, nomor, status) values ($1, $2, 'halal', 'ID32110000123450224', 'terbit')`,
		} {
			if _, err := tx.Exec(ctx, q, r.tenant, r.id); err != nil {
				t.Fatal(err)
			}
		}
		// Enough more to take the backfill past one batch of 1.000.
		if _, err := tx.Exec(ctx, `with m as (
				insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, kecamatan_kode, kelurahan_kode, sumber)
				select $1, gen_random_uuid(), 'Budi', 'Warung ' || g, 'jasa', $2, $3, 'impor' from generate_series(1, 1500) g
				returning id)
			insert into umkm_legalitas (tenant_id, umkm_id, jenis, nomor, status) select $1, id, 'nib', null, 'dalam_proses' from m`,
			r.tenant, kec, kel); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		withDocs, bare = append(withDocs, r), append(bare, b)
	}

	if err := m.MigrateTo(ctx, 14); err != nil {
		t.Fatal(err)
	}
	read := func(r rec) []umkm.Legal {
		t.Helper()
		tx, err := owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(context.Background()) //nolint:errcheck // read only
		var docs []umkm.Legal
		if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1, true)", r.tenant.String()); err != nil {
			t.Fatal(err)
		}
		if err := tx.QueryRow(ctx, "select legalitas from umkm where id = $1", r.id).Scan(&docs); err != nil {
			t.Fatal(err)
		}
		return docs
	}
	for _, r := range withDocs {
		got := read(r)
		want := []string{"halal ID32110000123450224 terbit -", "pirt 206327601234528 terbit 2029-03-31", "sni - dalam_proses -"}
		if len(got) != len(want) {
			t.Fatalf("tenant %s: %d documents, want %d: %+v", r.tenant, len(got), len(want), got)
		}
		for i, d := range got {
			nomor, sampai := "-", "-"
			if d.Nomor != nil {
				nomor = *d.Nomor
			}
			if d.BerlakuSampai != nil {
				sampai = d.BerlakuSampai.Format(time.DateOnly)
			}
			if s := fmt.Sprintf("%s %s %s %s", d.Jenis, nomor, d.Status, sampai); s != want[i] {
				t.Errorf("tenant %s, document %d: %s, want %s", r.tenant, i, s, want[i])
			}
		}
	}
	for _, r := range bare {
		if got := read(r); len(got) != 0 {
			t.Errorf("a record without documents has %+v", got)
		}
	}
	for _, r := range withDocs {
		var filled int
		if _, err := owner.Exec(ctx, "begin; select set_config('app.tenant_id', '"+r.tenant.String()+"', true)"); err != nil {
			t.Fatal(err)
		}
		err := owner.QueryRow(ctx, `select count(*) from umkm where legalitas = '[{"jenis": "nib", "status": "dalam_proses"}]'`).Scan(&filled)
		if _, rerr := owner.Exec(ctx, "rollback"); err != nil || rerr != nil {
			t.Fatal(err, rerr)
		}
		if filled != 1500 {
			t.Errorf("tenant %s: %d of 1500 records filled", r.tenant, filled)
		}
	}
	// The column refuses what the table refused, and what the application
	// could not read back.
	tx, err := owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // probe only
	if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1, true)", withDocs[0].tenant.String()); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`{}`, `[1]`, `[[]]`, `[{"jenis": "ktp", "status": "terbit"}]`, `[{"jenis": "nib", "status": "sudah"}]`,
		`[{"jenis": "nib"}]`, `[{"jenis": null, "status": "terbit"}]`, `[{"jenis": ["nib", "ktp"], "status": "terbit"}]`,
		`[{"jenis": 5, "status": "terbit"}]`, `[{"jenis": "nib", "status": ["terbit", "rusak"]}]`,
		`[{"jenis": "nib", "status": "terbit", "berlaku_sampai": "2030-01-01"}]`,
		`[{"jenis": "nib", "status": "terbit", "nomor": 1111111111111}]`,
		`[{"jenis": "sni", "status": "belum", "berlaku_sampai": "2029-02-30T00:00:00Z"}]`,
		`[{"jenis": "sni", "status": "belum", "berlaku_sampai": "2029-13-01T00:00:00Z"}]`} {
		if _, err := tx.Exec(ctx, "savepoint p"); err != nil {
			t.Fatal(err)
		}
		_, err := tx.Exec(ctx, "update umkm set legalitas = $1 where id = $2", bad, withDocs[0].id)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != pgerrcode.CheckViolation || pgErr.ConstraintName != "umkm_legalitas_check" {
			t.Errorf("legalitas %s: %v, want a check violation", bad, err)
		}
		if _, err := tx.Exec(ctx, "rollback to savepoint p"); err != nil {
			t.Fatal(err)
		}
	}
}
