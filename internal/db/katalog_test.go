package db_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
)

// TestTenantTablesCatalogue: db.TenantTables names exactly the tables the
// isolation tests check, with their keys, and lists parents before the
// tables that reference them.
func TestTenantTablesCatalogue(t *testing.T) {
	env := dbtest.New(t)
	tables, err := db.TenantTables(t.Context(), env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	pos := map[string]int{}
	for i, tt := range tables {
		names = append(names, tt.Name)
		pos[tt.Name] = i
	}
	want := tenantTables(t, env.DB.Pool)
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Fatalf("catalogue %v\nwant %v", names, want)
	}
	for _, tt := range tables {
		if len(tt.Key) == 0 || tt.Key[0] != "tenant_id" {
			t.Errorf("%s: key %v does not start with tenant_id", tt.Name, tt.Key)
		}
		for _, p := range tt.Parents {
			if pos[p] >= pos[tt.Name] {
				t.Errorf("%s comes before its parent %s", tt.Name, p)
			}
		}
	}
	get := func(name string) db.TenantTable {
		t.Helper()
		i, ok := pos[name]
		if !ok {
			t.Fatalf("no %s in the catalogue", name)
		}
		return tables[i]
	}
	if w := get("wilayah"); !w.SelfRef || len(w.Parents) != 0 {
		t.Errorf("wilayah: self-referencing %v, parents %v", w.SelfRef, w.Parents)
	}
	if b := get("bundel_potongan"); !slices.Equal(b.Parents, []string{"pekerjaan"}) || !slices.Equal(b.Key, []string{"tenant_id", "pekerjaan_id", "no"}) {
		t.Errorf("bundel_potongan: parents %v, key %v", b.Parents, b.Key)
	}
	gen := map[string]bool{}
	for _, c := range get("umkm").Columns {
		gen[c.Name] = c.Generated
	}
	if !gen["kata"] || gen["nama_usaha"] {
		t.Errorf("umkm's generated columns: %v", gen)
	}
}

// TestTenantPurgeFunction: the purge's SECURITY DEFINER function deletes
// only in a tenant transaction of an office whose purge is due, never from
// the ledger or a platform table, only that office's rows, a batch at a
// time, and a desa before its kecamatan.
func TestTenantPurgeFunction(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a, b := newTenant(t, env.DB, "hapus-a"), newTenant(t, env.DB, "hapus-b")
	for _, id := range []uuid.UUID{a, b} {
		seed(t, env.DB, "umkm", id, 3)
		seed(t, env.DB, "audit_log", id, 1)
	}
	hapus := func(tenant uuid.UUID, table string, batas int) (int64, error) {
		var n int64
		fn := func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select sentra_hapus.hapus($1, $2)", table, batas).Scan(&n)
		}
		if tenant == uuid.Nil {
			return n, env.DB.InTx(ctx, fn)
		}
		return n, env.DB.InTenantTx(ctx, tenant, fn)
	}
	expect := func(step string, err error, code string) {
		t.Helper()
		if sqlState(err) != code {
			t.Errorf("%s: %v, want SQLSTATE %s", step, err, code)
		}
	}
	_, err := hapus(a, "umkm", 10)
	expect("an office not due", err, "55000")
	if _, err := env.DB.Pool.Exec(ctx, "update tenants set state = 'offboarding', state_reason = 'purge_due' where id = $1", a); err != nil {
		t.Fatal(err)
	}
	_, err = hapus(a, "umkm", 10)
	expect("a stored state its billing facts do not back", err, "55000")
	for _, when := range []string{"now() - interval '29 days'", "now() - interval '31 days'"} {
		if err := env.DB.InTenantTx(ctx, a, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, canceled_at, offboarding_at) values ($1, now(), `+when+`)
				on conflict (tenant_id) do update set offboarding_at = excluded.offboarding_at`, a)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if when == "now() - interval '29 days'" {
			_, err = hapus(a, "umkm", 10)
			expect("a purge date still to come", err, "55000")
		}
	}
	_, err = hapus(uuid.Nil, "umkm", 10)
	expect("no tenant", err, pgerrcode.InsufficientPrivilege)
	for _, table := range []string{"audit_log", "invoices", "tenant_billing", "users", "tenants", "no_such_table"} {
		_, err = hapus(a, table, 10)
		expect("table "+table, err, pgerrcode.InsufficientPrivilege)
	}
	_, err = hapus(a, "umkm", 0)
	expect("a batch of 0", err, pgerrcode.InvalidParameterValue)

	// The app role has no DELETE of its own on umkm: only the function.
	if err := env.DB.InTenantTx(ctx, a, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "delete from umkm")
		return err
	}); err == nil {
		t.Error("the application role deletes umkm rows itself")
	}

	count := func(tenant uuid.UUID, table string) int {
		t.Helper()
		conn := adminConn(t, env)
		var n int
		if err := conn.QueryRow(ctx, "select count(*) from "+pgx.Identifier{table}.Sanitize()+" where tenant_id = $1", tenant).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n, err := hapus(a, "umkm", 2); err != nil || n != 2 {
		t.Fatalf("first batch: %d, %v; want 2", n, err)
	}
	if n, err := hapus(a, "umkm", 2); err != nil || n != 1 {
		t.Fatalf("second batch: %d, %v; want the last 1", n, err)
	}
	// wilayah: the kelurahan goes before its kecamatan, each in a batch
	// large enough for both.
	if n, err := hapus(a, "wilayah", 100); err != nil || n != 1 {
		t.Fatalf("wilayah, first batch: %d, %v; want the kelurahan only", n, err)
	}
	if n, err := hapus(a, "wilayah", 100); err != nil || n != 1 {
		t.Fatalf("wilayah, second batch: %d, %v; want the kecamatan", n, err)
	}
	if n := count(a, "umkm") + count(a, "wilayah"); n != 0 {
		t.Errorf("%d rows of A left", n)
	}
	if n := count(a, "audit_log"); n != 1 {
		t.Errorf("A's audit log: %d rows, want kept", n)
	}
	if n := count(b, "umkm"); n != 3 {
		t.Errorf("B's umkm: %d, want 3 untouched", n)
	}
	var appOwns bool
	if err := env.DB.Pool.QueryRow(ctx, `select pg_has_role(current_user, p.proowner, 'MEMBER') from pg_proc p
		where p.oid = 'sentra_hapus.hapus(text, integer)'::regprocedure`).Scan(&appOwns); err != nil {
		t.Fatal(err)
	}
	if appOwns {
		t.Error("the application role owns the purge function")
	}
}

// TestTenantSelfReferencesAreIndexed: the purge deletes a table that
// references itself leaves first, asking of each row whether another
// points at it; without an index leading with the referencing columns
// every batch would scan the table once per row.
func TestTenantSelfReferencesAreIndexed(t *testing.T) {
	env := dbtest.New(t)
	rows, err := env.DB.Pool.Query(t.Context(), `select c.conrelid::regclass::text, c.conname from pg_constraint c
		where c.contype = 'f' and c.conrelid = c.confrelid and c.connamespace = 'public'::regnamespace
		and not exists (select from pg_index i where i.indrelid = c.conrelid
			and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey)`)
	if err != nil {
		t.Fatal(err)
	}
	missing, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var table, name string
		err := r.Scan(&table, &name)
		return table + "." + name, err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("self-referencing foreign key %s has no index leading with its columns", m)
	}
}
