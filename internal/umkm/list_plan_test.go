package umkm_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/umkm"
)

// TestSearchNeverScansUntilEnoughMatch: whatever the statistics say, a name
// search builds its candidates from a bitmap (the trigram index at scale),
// never from a sequential or index scan "until enough rows match", whose
// cost depends on where the tenant's rows lie in the table.
func TestSearchNeverScansUntilEnoughMatch(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	tn := b.tenants["tangsel"]
	if err := b.svc.Seed(ctx, tn, b.codes["tangsel"], 3000, 7); err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, b.env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "analyze umkm"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"warung", "keripk", "bakso siti", "toko kelontong"} {
		sql, args, err := umkm.ListingSQL(umkm.Filter{Q: q, Limit: 50}, umkm.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var plan []byte
		err = b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "explain (format json) "+sql, args...).Scan(&plan)
		})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var nodes []map[string]any
		var walk func(n map[string]any)
		walk = func(n map[string]any) {
			nodes = append(nodes, n)
			for _, c := range asSlice(n["Plans"]) {
				walk(c.(map[string]any))
			}
		}
		var top []struct{ Plan map[string]any }
		if err := json.Unmarshal(plan, &top); err != nil {
			t.Fatal(err)
		}
		walk(top[0].Plan)
		for _, n := range nodes {
			switch n["Node Type"] {
			case "Seq Scan", "Index Scan", "Index Only Scan":
				t.Errorf("%q: %s on %v; want a bitmap scan: %s", q, n["Node Type"], n["Relation Name"], plan)
			}
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// TestSearchedExportHasEveryMatch: an export filtered by a name search
// writes every match, not the first page of ranked candidates.
func TestSearchedExportHasEveryMatch(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	tn := b.tenants["depok"]
	if err := b.svc.Seed(ctx, tn, b.codes["depok"], 6000, 11); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"warung", "toko", "siti"} {
		var want int
		err := b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "select count(*) from umkm where $1 <% cari and archived_at is null", q).Scan(&want)
		})
		if err != nil {
			t.Fatal(err)
		}
		if want <= umkm.SearchCandidates {
			t.Logf("%q: %d matches, no more than the candidate bound; proves nothing", q, want)
			continue
		}
		got, err := b.svc.ExportRows(ctx, tn, umkm.ExportParams{Format: "csv", Filter: umkm.Filter{Q: q}})
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("export with q=%q: %d rows, want all %d matches", q, got, want)
		}
	}
}
