package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dbtest"
)

// TestWordDictionaryFilledFromTheRegister runs migration 017 over a
// register written by 016: each tenant's dictionary holds exactly the words
// of its own records (accents removed), the records' words are searchable,
// and umkm_legalitas is gone.
func TestWordDictionaryFilledFromTheRegister(t *testing.T) {
	ctx := t.Context()
	owner, m := migratedTo(t, 16)
	exec := func(tx pgx.Tx, sql string, args ...any) {
		t.Helper()
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := owner.Exec(ctx, `insert into provinces (code, name) values ('32', 'Jawa Barat') on conflict do nothing`); err != nil {
		t.Fatal(err)
	}
	names := map[string][2]string{"32.76": {"Pâtisserie Depok", "Siti Aminah"}, "32.15": {"Warung Karawang", "Budi Santoso"}}
	tenants := map[string]uuid.UUID{}
	for i, code := range []string{"32.76", "32.15"} {
		tid := uuid.New()
		tenants[code] = tid
		if _, err := owner.Exec(ctx, `insert into tenants (id, slug, name, kind, kemendagri_code, bps_code, province_code, timezone, locale)
			values ($1, $2, $3, 'kota', $4, $5, '32', 'Asia/Jakarta', 'id-ID')`, tid, fmt.Sprintf("t%d", i), fmt.Sprintf("Kota %d", i), code, fmt.Sprintf("32%d0", i)); err != nil {
			t.Fatal(err)
		}
		tx, err := owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kec, kel := code+".01", code+".01.1001"
		exec(tx, "select set_config('app.tenant_id', $1, true)", tid.String())
		exec(tx, `insert into wilayah (tenant_id, kode, nama, level) values ($1, $2, 'Satu', 'kecamatan')`, tid, kec)
		exec(tx, `insert into wilayah (tenant_id, kode, nama, level, tipe, parent_kode) values ($1, $2, 'Satu', 'desa_kelurahan', 'kelurahan', $3)`, tid, kel, kec)
		exec(tx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, kecamatan_kode, kelurahan_kode, sumber)
			values ($1, $2, $3, $4, 'kuliner', $5, $6, 'staf')`, tid, uuid.New(), names[code][1], names[code][0], kec, kel)
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}

	if err := m.MigrateTo(ctx, 17); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"32.76": {"aminah", "depok", "patisserie", "siti"}, "32.15": {"budi", "karawang", "santoso", "warung"}}
	for code, tid := range tenants {
		tx, err := owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		exec(tx, "select set_config('app.tenant_id', $1, true)", tid.String())
		rows, err := tx.Query(ctx, "select kata from umkm_kata order by kata")
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want[code]) {
			t.Errorf("%s: dictionary %v, want %v", code, got, want[code])
		}
		var found int
		if err := tx.QueryRow(ctx, "select count(*) from umkm where kata @@ $1::tsquery", want[code][0]).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if found != 1 {
			t.Errorf("%s: %d records hold %q, want 1", code, found, want[code][0])
		}
		_ = tx.Rollback(context.Background())
	}
	var gone bool
	if err := owner.QueryRow(ctx, "select to_regclass('umkm_legalitas') is null").Scan(&gone); err != nil || !gone {
		t.Errorf("umkm_legalitas still there (%v)", err)
	}
}

// TestNameWordsAreComputedInline: with the superuser setup, sentra_kata is
// inlined (unaccent marked immutable), so an import does not run it as a
// function of its own per record nor a search plan its body per query;
// the words stay those of the register.
func TestNameWordsAreComputedInline(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	var plan string
	if err := env.DB.Pool.QueryRow(ctx, "explain (verbose, format json) select sentra_kata(nama) from wilayah").Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plan, "sentra_kata") || !strings.Contains(plan, "to_tsvector") {
		t.Errorf("sentra_kata is not inlined:\n%s", plan)
	}
	var words []string
	if err := env.DB.Pool.QueryRow(ctx, "select tsvector_to_array(sentra_kata('Pâtisserie LAKI-laki'))").Scan(&words); err != nil {
		t.Fatal(err)
	}
	if want := []string{"laki", "laki-laki", "patisserie"}; !slices.Equal(words, want) {
		t.Errorf("words %v, want %v", words, want)
	}
}
