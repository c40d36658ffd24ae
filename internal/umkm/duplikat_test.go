package umkm_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

// kdPairs is the rule for likely duplicates stated as plainly as SQL can:
// every pair of live records of one kelurahan, compared exhaustively.
func kdPairs(t testing.TB, b *bundle, slug, kelurahan string) []string {
	t.Helper()
	var out []string
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `select a.id::text || ' ' || b.id::text
			from umkm a join umkm b on b.kelurahan_kode = a.kelurahan_kode and b.id > a.id
			where a.archived_at is null and b.archived_at is null and ($1 = '' or a.kelurahan_kode = $1)
			  and (similarity(lower(a.nama_usaha), lower(b.nama_usaha)) >= 0.6
			    or (lower(a.nama_pemilik) = lower(b.nama_pemilik) and similarity(lower(a.nama_usaha), lower(b.nama_usaha)) >= 0.3))
			order by a.kelurahan_kode, a.id, b.id`, kelurahan)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// kdWalk follows next_cursor to the end and returns the pairs seen, and the
// most records any one page compared.
func kdWalk(t testing.TB, b *bundle, slug string, f umkm.DuplikatFilter, sc umkm.Scope) (pairs []string, items []umkm.Duplikat, pages, maxScan int) {
	t.Helper()
	budget := f.CompareBudget
	if budget == 0 {
		budget = umkm.DuplikatCompare
	}
	for {
		page, err := b.svc.ListDuplikat(context.Background(), b.tenants[slug], f, sc)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		maxScan = max(maxScan, page.Diperiksa)
		if page.Diperiksa > umkm.DuplikatScan || (page.Diperiksa > 1 && page.Dibandingkan > budget) ||
			(page.Diperiksa == 0 && page.NextCursor != "") {
			t.Fatalf("page %d compared %d records in %d comparisons: want 1–%d records, ≤ %d comparisons unless one record alone needs more",
				pages, page.Diperiksa, page.Dibandingkan, umkm.DuplikatScan, budget)
		}
		if len(page.Items) > f.Limit {
			t.Fatalf("page %d holds %d items, limit %d", pages, len(page.Items), f.Limit)
		}
		for _, d := range page.Items {
			pairs = append(pairs, d.A.ID.String()+" "+d.B.ID.String())
			items = append(items, d)
		}
		if page.NextCursor == "" {
			return pairs, items, pages, maxScan
		}
		if pages > 10_000 {
			t.Fatal("next_cursor never ends")
		}
		f.Cursor = page.NextCursor
	}
}

func randomWord(r *rand.Rand, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return strings.ToUpper(string(b[:1])) + string(b[1:])
}

// TestListDuplikat: the pairs listed, page by page, are exactly the pairs the
// rule gives, within one kelurahan, live records only, each pair once.
func TestListDuplikat(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	siti := kdRecord(t, b, "depok", kdInput("Keripik Singkong Bu Siti", "Siti Aminah", kecPancoran, kelDepok))
	typo := kdRecord(t, b, "depok", kdInput("Keripik Singkong Bu Sity", "Siti Amina", kecPancoran, kelDepok))
	kdRecord(t, b, "depok", kdInput("Bengkel Motor Jaya", "Budi Santoso", kecPancoran, kelDepok))
	warung := kdRecord(t, b, "depok", kdInput("Warung Nasi Bu Rina", "Rina Wati", kecPancoran, kelDepok))
	kedai := kdRecord(t, b, "depok", kdInput("Kedai Nasi Rina", "RINA WATI", kecPancoran, kelDepok))
	elsewhere := kdRecord(t, b, "depok", kdInput("Keripik Singkong Bu Siti", "Siti Aminah", kecPancoran, kelDepokJaya))
	archived := kdRecord(t, b, "depok", kdInput("Keripik Singkong Bu Siti", "Siti Aminah", kecPancoran, kelDepok))
	if _, err := b.svc.Archive(ctx, b.tenants["depok"], archived.ID, archived.Version, umkm.Scope{}); err != nil {
		t.Fatal(err)
	}
	kdRecord(t, b, "depok", kdInput("Kopi Tugu Abadi", "Andi", kecCimanggis, kelTugu))
	kdRecord(t, b, "depok", kdInput("Kopi Tugu Abadi Jaya", "Andi", kecCimanggis, kelTugu))
	// Medan's twin of Siti's business is not depok's concern.
	kdRecord(t, b, "medan", kdInput("Keripik Singkong Bu Siti", "Siti Aminah", "12.71.01", "12.71.01.1001"))

	want := kdPairs(t, b, "depok", "")
	got, items, _, _ := kdWalk(t, b, "depok", umkm.DuplikatFilter{Limit: 1}, umkm.Scope{})
	if !slices.Equal(got, want) {
		t.Fatalf("pairs listed one per page:\n%q\nwant\n%q", got, want)
	}
	found := map[string]umkm.Duplikat{}
	for _, d := range items {
		found[d.A.ID.String()+" "+d.B.ID.String()] = d
	}
	if d, ok := found[siti.ID.String()+" "+typo.ID.String()]; !ok || d.Kelurahan != "Depok" || d.Kecamatan != "Pancoran Mas" ||
		d.Kemiripan < 0.6 || d.A.NamaUsaha != "Keripik Singkong Bu Siti" || d.B.NamaPemilik != "Siti Amina" {
		t.Errorf("the typo twin: %+v (found %v)", d, ok)
	}
	if d, ok := found[warung.ID.String()+" "+kedai.ID.String()]; !ok || !d.PemilikSama || d.Kemiripan >= 0.6 {
		t.Errorf("same owner, similar names: %+v (found %v)", d, ok)
	}
	for pair := range found {
		if strings.Contains(pair, elsewhere.ID.String()) || strings.Contains(pair, archived.ID.String()) {
			t.Errorf("pair %s crosses kelurahan or holds an archived record", pair)
		}
	}
	if len(want) < 3 {
		t.Fatalf("the fixture yields %d pairs; the test needs several", len(want))
	}

	big, _, _, _ := kdWalk(t, b, "depok", umkm.DuplikatFilter{Limit: 500}, umkm.Scope{})
	if !slices.Equal(big, want) {
		t.Errorf("one big page: %q, want %q", big, want)
	}
	tugu, _, _, _ := kdWalk(t, b, "depok", umkm.DuplikatFilter{Kecamatan: kecCimanggis, Limit: 50}, umkm.Scope{})
	if len(tugu) != 1 || !slices.Equal(tugu, kdPairs(t, b, "depok", kelTugu)) {
		t.Errorf("Cimanggis only: %q", tugu)
	}
	mine, _, _, _ := kdWalk(t, b, "depok", umkm.DuplikatFilter{Limit: 50}, umkm.Scope{Wilayah: []string{kelTugu}})
	if !slices.Equal(mine, tugu) {
		t.Errorf("scope of Tugu: %q, want %q", mine, tugu)
	}
	for _, f := range []umkm.DuplikatFilter{
		{Kelurahan: "12.71.01.1001", Limit: 10},
		{Kecamatan: "32.76.99", Limit: 10},
		{Cursor: "bm90LWEtY3Vyc29y", Limit: 10},
	} {
		if _, err := b.svc.ListDuplikat(ctx, b.tenants["depok"], f, umkm.Scope{}); apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("%+v: %v, want invalid", f, err)
		}
	}
}

// TestListDuplikatBoundsEachPage: no page compares more than DuplikatScan
// records, however far the next pair is; the walk still finds every pair.
func TestListDuplikatBoundsEachPage(t *testing.T) {
	b := setup(t)
	r := rand.New(rand.NewPCG(1, 2))
	n := umkm.DuplikatScan*2 + 17
	for range n {
		kdRecord(t, b, "depok", kdInput(randomWord(r, 12)+" "+randomWord(r, 9), randomWord(r, 10), kecPancoran, kelDepok))
	}
	// The only pair, registered last.
	kdRecord(t, b, "depok", kdInput("Batik Tulis Sekar Jagad", "Sri Lestari", kecPancoran, kelDepok))
	kdRecord(t, b, "depok", kdInput("Batik Tulis Sekar Jagat", "Sri Lestari", kecPancoran, kelDepok))

	want := kdPairs(t, b, "depok", kelDepok)
	if len(want) != 1 {
		t.Fatalf("fixture: %d pairs, want exactly the batik pair (random names collided?)", len(want))
	}
	first, err := b.svc.ListDuplikat(context.Background(), b.tenants["depok"], umkm.DuplikatFilter{Limit: 50}, umkm.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 0 || first.NextCursor == "" || first.Diperiksa != umkm.DuplikatScan {
		t.Errorf("first page: %d items, cursor %q, compared %d; want none, a cursor, %d compared",
			len(first.Items), first.NextCursor, first.Diperiksa, umkm.DuplikatScan)
	}
	got, _, pages, maxScan := kdWalk(t, b, "depok", umkm.DuplikatFilter{Limit: 50}, umkm.Scope{})
	if !slices.Equal(got, want) {
		t.Errorf("walk found %q, want %q", got, want)
	}
	if maxScan != umkm.DuplikatScan || pages < 3 {
		t.Errorf("%d pages comparing at most %d records each; want %d records per page", pages, maxScan, umkm.DuplikatScan)
	}
	// A small budget of comparisons: more pages, each within it, same pairs.
	got, _, small, _ := kdWalk(t, b, "depok", umkm.DuplikatFilter{Limit: 50, CompareBudget: 2000}, umkm.Scope{})
	if !slices.Equal(got, want) || small < 40 {
		t.Errorf("with 2.000 comparisons a page: %q in %d pages, want %q in ≥ 40 (%d records: ~%d comparisons)",
			got, small, want, n+2, (n+2)*(n+1)/2)
	}
	// Less than one record needs: still one record a page, never stuck.
	got, _, tiny, _ := kdWalk(t, b, "depok", umkm.DuplikatFilter{Limit: 50, CompareBudget: 1}, umkm.Scope{})
	if !slices.Equal(got, want) || tiny < n {
		t.Errorf("with 1 comparison a page: %q in %d pages, want %q in about one page per record (%d)", got, tiny, want, n+2)
	}
}
