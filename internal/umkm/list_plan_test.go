package umkm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/umkm"
)

// searchBundle is a register of 12.000 generated businesses in tangsel, of
// which 10.000 have "warung" in their names, and a few named ones.
func searchBundle(t *testing.T) (*bundle, map[string]umkm.Record) {
	t.Helper()
	b := setup(t)
	ctx := t.Context()
	tn := b.tenants["tangsel"]
	if err := b.svc.Seed(ctx, tn, b.codes["tangsel"], 12_000, 7); err != nil {
		t.Fatal(err)
	}
	err := b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update umkm set nama_usaha = 'Warung ' || nama_usaha
			where id in (select id from umkm where not kata @@ 'warung'::tsquery order by id limit 10000 - (select count(*) from umkm where kata @@ 'warung'))`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two named businesses in any kelurahan of tangsel.
	var kec, kel string
	err = b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select kecamatan_kode, kelurahan_kode from umkm limit 1").Scan(&kec, &kel)
	})
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]umkm.Record{}
	for _, n := range [][2]string{{"Keripik Pisang Zaitun Barokah", "Siti Qomariyah"}, {"Keripik Pisang Zaitun", "Sity Qomariah"}} {
		named[n[0]] = kdRecord(t, b, "tangsel", kdInput(n[0], n[1], kec, kel))
	}
	admin, err := pgx.Connect(ctx, b.env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	// As autovacuum leaves a register: its pages all visible, so that a
	// walk reads the words from umkm_kata_urut_idx alone.
	if _, err := admin.Exec(ctx, "vacuum analyze umkm, umkm_kata"); err != nil {
		t.Fatal(err)
	}
	return b, named
}

// TestSearchTypoAndRanking: a one-letter typo still finds the business, the
// start of a word finds its continuation, and the record holding every word
// as typed comes before one that holds them only as the typist may have
// meant them.
func TestSearchTypoAndRanking(t *testing.T) {
	b, named := searchBundle(t)
	ctx := t.Context()
	tn := b.tenants["tangsel"]
	barokah, other := named["Keripik Pisang Zaitun Barokah"].ID, named["Keripik Pisang Zaitun"].ID
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"zaitun barokah", []string{barokah.String()}},
		{"zaitn barokah", []string{barokah.String()}},                      // a letter missing
		{"zaitun barokha", []string{barokah.String()}},                     // two swapped
		{"siti qomariyah", []string{barokah.String(), other.String()}},     // the owner as typed, then as meant
		{"siti qomariah", []string{barokah.String(), other.String()}},      // neither as typed: each holds one word as meant
		{"zaitun qomar", []string{barokah.String(), other.String()}},       // the start of a word
		{"zaitun pisang sity", []string{other.String(), barokah.String()}}, // as typed first
		{"zaitun", []string{barokah.String(), other.String()}},
		{"ZAITUN, barokah!", []string{barokah.String()}},
		{"zaitun xylofon", nil},
		{"-- '\\", nil},
	} {
		page, err := b.svc.List(ctx, tn, umkm.Filter{Q: tc.q, Limit: 50}, umkm.Scope{}, umkm.View{})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, r := range page.Items {
			got = append(got, r.ID.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
	// Pages of one walk every match once, across the tiers.
	var walked []string
	f := umkm.Filter{Q: "zaitun pisang sity", Limit: 1}
	for range 5 {
		page, err := b.svc.List(ctx, tn, f, umkm.Scope{}, umkm.View{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			walked = append(walked, r.ID.String())
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	if want := []string{other.String(), barokah.String()}; !slices.Equal(walked, want) {
		t.Errorf("pages of one: %v, want %v", walked, want)
	}
}

// TestSearchCostDoesNotGrowWithTheWord: a page of a word common to 10.000
// businesses reads no more buffers than one of a rare word: the walk in id
// order fills the page after a few dozen records instead of reading every
// match, and then reads the page's records (each through the primary key:
// a few buffers apiece). A rare word walks the window, then reads its few
// matches from the word index.
func TestSearchCostDoesNotGrowWithTheWord(t *testing.T) {
	b, _ := searchBundle(t)
	ctx := t.Context()
	tn := b.tenants["tangsel"]
	buffers := func(q string) (total, matches int) {
		t.Helper()
		explain := func(tx pgx.Tx, sql string, args []any) (rows, bufs int) {
			t.Helper()
			var plan []byte
			if err := tx.QueryRow(ctx, "explain (analyze, buffers, format json) "+sql, args...).Scan(&plan); err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			var top []struct {
				Plan struct {
					Rows int `json:"Actual Rows"`
					Hit  int `json:"Shared Hit Blocks"`
					Read int `json:"Shared Read Blocks"`
				}
			}
			if err := json.Unmarshal(plan, &top); err != nil {
				t.Fatal(err)
			}
			return top[0].Plan.Rows, top[0].Plan.Hit + top[0].Plan.Read
		}
		err := b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
			st, err := umkm.SearchSQL(ctx, tx, umkm.Filter{Q: q, Limit: 50})
			if err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, "select count(*) from umkm where kata @@ $1::tsquery", st[0].Args[len(st[0].Args)-2]).Scan(&matches); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, st[0].WalkSettings); err != nil {
				return err
			}
			rows, bufs := explain(tx, st[0].Window, st[0].Args)
			total += bufs
			if rows <= 50 { // short: the index next, as the service does
				if _, err := tx.Exec(ctx, st[0].IndexSettings); err != nil {
					return err
				}
				_, bufs = explain(tx, st[0].Index, st[0].Args)
				total += bufs
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		return total, matches
	}
	common, n := buffers("warung")
	if n < 10_000 {
		t.Fatalf("warung matches %d, want at least 10.000: the test proves nothing", n)
	}
	rare, m := buffers("zaitun")
	t.Logf("buffers for a page: warung (%d matches) %d, zaitun (%d) %d", n, common, m, rare)
	if common > 5*51 {
		t.Errorf("a page of a word in %d businesses reads %d buffers; want it bounded by the page (≤ 5 a record)", n, common)
	}
	if common > rare {
		t.Errorf("common word %d buffers, rare %d: the common word costs more", common, rare)
	}
}

// TestSearchPagesWalkEveryMatchOnce: whichever way a page is read (walked
// in id order, walked on after the probe, or from the word index), pages of
// 50 list every match once, in id order: for a word in most records, one
// scattered through 1,5% of them (walked on), and one whose records all lie
// at the end of the register, past the probe (the index).
func TestSearchPagesWalkEveryMatchOnce(t *testing.T) {
	// nth appends a word to the records at the positions (n, in id order) that
	// where selects.
	nth := func(word, where string) string {
		return `update umkm set nama_usaha = nama_usaha || ` + word + ` where id in (select id from
			(select id, row_number() over (order by id) n from umkm where archived_at is null) x where ` + where + `)`
	}
	b, _ := searchBundle(t)
	ctx := t.Context()
	tn := b.tenants["tangsel"]
	err := b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
		for _, q := range []string{
			`update umkm set nama_usaha = nama_usaha || ' Melati' where id in (select id from umkm order by md5(id::text) limit 180)`,
			`update umkm set nama_usaha = nama_usaha || ' Kenanga' where id in (select id from umkm order by id desc limit 120)`,
			// A page exactly full in the probe's window, and more after it.
			nth(`' Cempaka'`, `(n <= 500 and n % 10 = 0) or n in (900, 950, 1000)`),
			// A few in the probe's window: thin after it (the index next),
			// or common (the walk on).
			nth(`' Dahlia'`, `(n <= 500 and n % 160 = 0) or (n > 500 and n % 400 = 0)`),
			nth(`' Anggrek'`, `n in (100, 200, 300) or (n > 500 and n % 50 = 0)`),
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"warung", "melati", "kenanga", "warung melati", "cempaka", "dahlia", "anggrek"} {
		var want []string
		err := b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, "select id::text from umkm where archived_at is null and kata @@ plainto_tsquery('simple', $1) order by id", q)
			if err != nil {
				return err
			}
			want, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		f := umkm.Filter{Q: q, Limit: 50}
		for range len(want)/50 + 2 {
			page, err := b.svc.List(ctx, tn, f, umkm.Scope{}, umkm.View{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				got = append(got, r.ID.String())
			}
			if f.Cursor = page.NextCursor; f.Cursor == "" {
				break
			}
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%q: %d listed, want all %d matches in id order", q, len(got), len(want))
		}
	}
}

// TestSearchedExportHasEveryMatch: an export filtered by a name search
// writes every match, of every tier, not one page.
func TestSearchedExportHasEveryMatch(t *testing.T) {
	b, _ := searchBundle(t)
	ctx := t.Context()
	tn := b.tenants["tangsel"]
	for _, q := range []string{"warung", "zaitn"} {
		var want int
		err := b.env.DB.InTenantTx(ctx, tn.ID, func(tx pgx.Tx) error {
			st, err := umkm.SearchSQL(ctx, tx, umkm.AllMatches(umkm.Filter{Q: q, Limit: 50}))
			if err != nil {
				return err
			}
			if len(st) != 1 {
				return fmt.Errorf("an export reads in one order, got %d queries", len(st))
			}
			return tx.QueryRow(ctx, "select count(*) from umkm where archived_at is null and kata @@ $1::tsquery", st[0].Args[len(st[0].Args)-2]).Scan(&want)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.svc.ExportRows(ctx, tn, umkm.ExportParams{Format: "csv", Filter: umkm.Filter{Q: q}})
		if err != nil {
			t.Fatal(err)
		}
		if got != want || want == 0 {
			t.Errorf("export with q=%q: %d rows, want all %d matches", q, got, want)
		}
	}
}

// TestSearchWalkStaysOnThePrimaryKey: in an office that is a quarter of the
// register, PostgreSQL would read a walk of SearchWalk records as every
// record of the office, sorted (it cannot know the page fills early),
// whenever it counts random reads dear. The walk's settings keep it in id
// order, without a sort: a search by words alone on umkm_kata_urut_idx, by
// words and another filter on the primary key.
func TestSearchWalkStaysOnThePrimaryKey(t *testing.T) {
	b, _ := searchBundle(t)
	ctx := t.Context()
	if err := b.svc.Seed(ctx, b.tenants["depok"], b.codes["depok"], 36_000, 8); err != nil {
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
	plan := func(f umkm.Filter, settings string) string {
		t.Helper()
		var out []byte
		err := b.env.DB.InTenantTx(ctx, b.tenants["tangsel"].ID, func(tx pgx.Tx) error {
			st, err := umkm.SearchSQL(ctx, tx, f)
			if err != nil {
				return err
			}
			// Costs as the loaded server saw them: random reads dear.
			if _, err := tx.Exec(ctx, "set local random_page_cost = 100"); err != nil {
				return err
			}
			if settings != "" {
				if _, err := tx.Exec(ctx, st[0].WalkSettings); err != nil {
					return err
				}
			}
			return tx.QueryRow(ctx, "explain (format json) "+st[0].Walk, st[0].Args...).Scan(&out)
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	words := umkm.Filter{Q: "warung", Limit: 50}
	if alone := plan(words, ""); !strings.Contains(alone, `"Sort"`) {
		t.Fatalf("PostgreSQL walks in id order on its own here: the test proves nothing\n%s", alone)
	}
	got := plan(words, "walk")
	if strings.Contains(got, `"Sort"`) || !strings.Contains(got, `"Index Only Scan"`) || !strings.Contains(got, `"umkm_kata_urut_idx"`) {
		t.Errorf("the walk is not a walk of umkm_kata_urut_idx in id order:\n%s", got)
	}
	filtered := umkm.Filter{Q: "warung", JenisKelamin: "P", Limit: 50}
	got = plan(filtered, "walk")
	if strings.Contains(got, `"Sort"`) || !strings.Contains(got, `"umkm_pkey"`) || strings.Contains(got, `"umkm_kata_urut_idx"`) {
		t.Errorf("the walk with a filter is not a walk of the primary key in id order:\n%s", got)
	}
}
