package umkm

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Filter narrows and orders a list. Every filter is served by an index on
// (tenant_id, <field>, id) or by the word index; pages are keyset-based, so
// the cost of a page does not grow with the size of the tenant.
type Filter struct {
	Kecamatan      string
	Kelurahan      string
	Sektor         string
	Skala          string
	JenisKelamin   string
	StatusBinaan   string
	PunyaLegalitas string // has an issued document of this kind
	TanpaLegalitas string // lacks one
	Kendala        string // has an open constraint of this category
	Q              string // words of business and owner names, typos tolerated
	Arsip          bool   // include archived records
	Sort           string // created (default) or -created; with Q: as typed first
	Cursor         string
	Limit          int

	// allMatches lists every match of Q in id order, whatever its rank: an
	// export wants all of them, in any order.
	allMatches bool
}

// Sorts a list accepts.
var Sorts = []string{"created", "-created"}

// cursor is the keyset position after the last row of a page.
type cursor = keyset.Cursor

var (
	encodeCursor = keyset.Encode
	decodeCursor = keyset.Decode
)

// Page is a page of records.
type Page struct {
	Items      []Record
	NextCursor string
}

// List returns a page of the tenant's businesses.
func (s *Service) List(ctx context.Context, t *tenancy.Tenant, f Filter, sc Scope, v View) (Page, error) {
	var (
		page Page
		err  error
	)
	if strings.TrimSpace(f.Q) == "" {
		// One statement: one round trip with BEGIN and COMMIT.
		page, err = list(ctx, f, sc, func(queue func(*pgx.Batch)) error { return s.DB.ReadTenantBatch(ctx, t.ID, queue) })
	} else {
		// Several, each after the last: one connection for all of them,
		// BEGIN sent with the first.
		err = s.DB.ReadTenantSteps(ctx, t.ID, func(read func(func(*pgx.Batch)) error) error {
			page, err = list(ctx, f, sc, read)
			return err
		})
	}
	if err != nil {
		return Page{}, fmt.Errorf("list umkm: %w", err)
	}
	if err := s.hideMergesOutOfArea(ctx, t, page.Items, sc); err != nil {
		return Page{}, err
	}
	for i := range page.Items {
		s.Present(t, &page.Items[i], v, false)
	}
	return page, nil
}

// listTx reads a page in tx, a tenant transaction; records are not yet
// presented (masked) for a caller.
func listTx(ctx context.Context, tx pgx.Tx, f Filter, sc Scope) (Page, error) {
	page, err := list(ctx, f, sc, readInTx(ctx, tx))
	if err != nil {
		return Page{}, fmt.Errorf("list umkm: %w", err)
	}
	return page, nil
}

// readInTx runs each batch list queues as one round trip in tx.
func readInTx(ctx context.Context, tx pgx.Tx) func(func(*pgx.Batch)) error {
	return func(queue func(*pgx.Batch)) error {
		b := &pgx.Batch{}
		queue(b)
		return tx.SendBatch(ctx, b).Close()
	}
}

// list reads a page through read, which runs a batch of statements in one
// round trip. A page without a name search is one statement. A name search
// first looks its words up in the tenant's dictionary (one round trip),
// then reads the records that hold every word as typed, in registration
// order, and after them, if the page has room, those that hold a word the
// typist may have meant (a typo, or the start of a longer word) — each a
// keyset page on its own, so a page costs a few index probes however many
// records match.
func list(ctx context.Context, f Filter, sc Scope, read func(func(*pgx.Batch)) error) (Page, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return Page{}, err
	}
	var w words
	if q := strings.TrimSpace(f.Q); q != "" {
		if err := read(func(b *pgx.Batch) { w.queue(b, q) }); err != nil {
			return Page{}, err
		}
		if len(w.typed) == 0 {
			return Page{}, nil // only punctuation: no word to look for
		}
	}
	tiers := w.tiers(f.allMatches)
	// A cursor names the tier its record came from.
	for cur != nil && len(tiers) > 1 && tiers[0].rank > cur.Score {
		tiers = tiers[1:]
	}
	var page Page
	for i, t := range tiers {
		after := cur
		if i > 0 || (cur != nil && cur.Score != t.rank) {
			after = nil
		}
		part, err := readTier(f, sc, t, after, read)
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, part.Items...)
		page.NextCursor = part.NextCursor
		if page.NextCursor != "" {
			break
		}
		if f.Limit -= len(part.Items); f.Limit == 0 {
			// Full at the end of a tier: the next page begins the next one,
			// if it has anything.
			if i+1 < len(tiers) {
				page.NextCursor = encodeCursor(cursor{ID: part.Items[len(part.Items)-1].ID, Score: t.rank})
			}
			break
		}
	}
	return page, nil
}

// A page of a search costs whichever is less of two ways: walking the
// register in id order until the page is full (cheap per record, and short
// when the words are common: "kue kering" is in 3% of an office's
// businesses, so a page of 50 is full after ~1.700), or reading every match
// from the word index and sorting them (a heap page per match: cheap when
// the words are rare, 4.637 pages for "kue kering"). PostgreSQL picks by its
// estimate, which multiplies the words' frequencies as if they were
// independent: for words that go together it expects 134 matches where
// there are 4.637 and sorts them all (250 ms). So a page first walks
// SearchProbe records: the matches it finds there say how common the words
// are. With denseMatches or more (1,2% of the records or more) it walks on,
// at most SearchWalk records; with fewer it reads the index, whose matches
// are then few. Either way a page costs a few thousand records at most.
//
// Between the two, a probe that found a few (a word in ~1% of an office:
// "salon", "lele") says too little: a walk for such a word reads ~5.000
// records (10 ms), the index ~3.000 heap pages in an office of 300.000
// (25–30 ms), and below ~0,5% the index is cheaper. So a probe that found
// at least fewMatches reads searchProbeMore records further, and the
// walk goes on when the matches so far are 0,5% of the records read.
//
// These costs are of a walk on the primary key, which a search with other
// filters still is. A search by words alone walks umkm_kata_urut_idx at a
// quarter of the cost per record (5.589 records: 1,5 ms, not 4,9 ms), which
// moves its break-even with the index from ~1% to ~0,6% (estimated): the
// thresholds are kept, and between 0,5% and 0,6% either way costs about
// the same.
const (
	SearchProbe     = 500
	denseMatches    = 6
	fewMatches      = 2
	searchProbeMore = 2_500
	SearchWalk      = 60_000
)

// dense says whether n matches in read records are common enough to walk
// for the rest of the page (0,5% or more).
func dense(n, read int) bool { return n*200 >= read }

// readTier reads one tier's page: without a search, one statement; with
// one, the probe, then the walk on or the index.
func readTier(f Filter, sc Scope, t tier, after *cursor, read func(func(*pgx.Batch)) error) (Page, error) {
	run := func(l listing, sql string, settings ...string) (Page, error) {
		var part Page
		err := read(func(b *pgx.Batch) {
			for _, s := range settings {
				b.Queue(s)
			}
			b.Queue(sql, l.args...).Query(func(rows pgx.Rows) error {
				var err error
				part, err = l.scan(rows)
				return err
			})
		})
		return part, err
	}
	if t.match == "" {
		l := newListing(f, sc, t, after, 0)
		return run(l, l.sql)
	}
	// next reads the rest of the page after what part holds, walking at
	// most window records (0: from the index).
	next := func(part Page, window int) (Page, error) {
		g, from := f, after
		g.Limit -= len(part.Items)
		if n := len(part.Items); n > 0 {
			from = &cursor{ID: part.Items[n-1].ID}
		}
		full := g.Limit == 0 // whether a next page exists is one more match
		if full {
			g.Limit = 1
		}
		l := newListing(g, sc, t, from, window)
		sql, settings := l.sql, l.indexSettings
		if window > 0 {
			sql, settings = l.window, l.walkSettings
		}
		more, err := run(l, sql, settings)
		switch {
		case !full:
			part.Items, part.NextCursor = append(part.Items, more.Items...), more.NextCursor
		case len(more.Items) > 0:
			part.NextCursor = encodeCursor(cursor{ID: from.ID, Score: t.rank})
		}
		return part, err
	}
	part, err := next(Page{}, SearchProbe)
	if err != nil || part.NextCursor != "" {
		return part, err
	}
	walk := len(part.Items) >= denseMatches
	if !walk && len(part.Items) >= fewMatches {
		if part, err = next(part, searchProbeMore); err != nil || part.NextCursor != "" {
			return part, err
		}
		walk = dense(len(part.Items), SearchProbe+searchProbeMore)
	}
	if walk {
		if part, err = next(part, SearchWalk); err != nil || part.NextCursor != "" {
			return part, err
		}
	}
	// The rest from the index (the words are rare, or thin out after the
	// walk), as a bitmap (never a walk "until enough match": that is what
	// the probe found too costly), planned for these words (not a prepared
	// statement's generic plan).
	return next(part, 0)
}

const bitmapOnly = "select set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true), " +
	"set_config('enable_bitmapscan', 'on', true), set_config('enable_sort', 'on', true), " +
	"set_config('plan_cache_mode', 'force_custom_plan', true)"

// bitmapByWords is bitmapOnly for a search by words alone, with the plan
// each connection made the first time: the word index is then the only
// index it can read, whatever the words, and planning the read (0,3 ms)
// cost a quarter of it.
const bitmapByWords = "select set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true), " +
	"set_config('enable_bitmapscan', 'on', true), set_config('enable_sort', 'on', true), " +
	"set_config('plan_cache_mode', 'force_generic_plan', true)"

// walkOnly keeps a walk on the primary key in id order. Asked for up to
// SearchWalk records, PostgreSQL would rather take every record of the
// office from the word index's tenant column and sort them (0,5 s in an
// office of 150.000 among four, measured under load) than walk the few
// thousand a page needs (3 ms): it cannot know the page fills early.
const walkOnly = "select set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'off', true), " +
	"set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true), " +
	"set_config('plan_cache_mode', 'force_custom_plan', true)"

// walkByWords is walkOnly for a walk of umkm_kata_urut_idx, with the plan
// each connection made the first time: its shape does not depend on the
// words, and planning its three reads of umkm (the two indexes and the
// page's records) cost 3 ms under load, the walk itself 1–2 ms.
const walkByWords = "select set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'off', true), " +
	"set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true), " +
	"set_config('plan_cache_mode', 'force_generic_plan', true)"

// listing is the query of one page (of one tier of a search). A search's
// window is the same page from the first n records after the cursor that
// pass the other filters (n given to newListing).
type listing struct {
	sql, window   string
	walkSettings  string // for window
	indexSettings string // for sql, in a search
	args          []any
	rank          float64
	limit         int
}

func newListing(f Filter, sc Scope, t tier, cur *cursor, window int) listing {
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	eq := func(col, v string) {
		if v != "" {
			where = append(where, col+" = "+arg(v))
		}
	}
	eq("kecamatan_kode", f.Kecamatan)
	eq("kelurahan_kode", f.Kelurahan)
	eq("sektor", f.Sektor)
	eq("skala_hitung", f.Skala)
	eq("jenis_kelamin", f.JenisKelamin)
	eq("status_binaan", f.StatusBinaan)
	if f.PunyaLegalitas != "" {
		where = append(where, arg(f.PunyaLegalitas)+" = any(legalitas_terbit)")
	}
	if f.TanpaLegalitas != "" {
		where = append(where, "not ("+arg(f.TanpaLegalitas)+" = any(legalitas_terbit))")
	}
	if f.Kendala != "" {
		where = append(where, arg(f.Kendala)+" = any(kendala_terbuka)")
	}
	// Only the words narrow the walk: it reads them from umkm_kata_urut_idx.
	byWords := len(where) == 0 && !f.Arsip && sc.sqlArg() == nil
	if !f.Arsip {
		where = append(where, "archived_at is null")
	}
	if a := sc.sqlArg(); a != nil {
		p := arg(a)
		where = append(where, "(kecamatan_kode = any("+p+") or kelurahan_kode = any("+p+"))")
	}
	var words []string
	if t.match != "" {
		words = append(words, "kata @@ "+arg(t.match)+"::tsquery")
	}
	if t.not != "" {
		words = append(words, "not kata @@ "+arg(t.not)+"::tsquery")
	}
	dir, cmp := "", ">"
	if f.Sort == "-created" && t.match == "" {
		dir, cmp = " desc", "<"
	}
	if cur != nil {
		where = append(where, "id "+cmp+" "+arg(cur.ID))
	}
	limit := " limit " + arg(f.Limit+1)
	l := listing{args: args, rank: t.rank, limit: f.Limit, walkSettings: walkOnly, indexSettings: bitmapOnly}
	l.sql = "select " + recordCols + " from umkm" + whereSQL(append(slices.Clip(where), words...)) + " order by id" + dir + limit
	n := strconv.Itoa(window)
	switch {
	case len(words) > 0 && byWords:
		// The window's ids and words from the index alone (the few long
		// names beside, in id order), then the page's matches from the heap.
		from := func(names string) string {
			return "(select id, kata from umkm" + whereSQL(append(slices.Clip(where), names)) + " order by id limit " + n + ")"
		}
		l.window = "select " + recordCols + " from (select id from (" + from(namaPendek) + " union all " + from(namaPanjang) +
			" order by id limit " + n + ") w" + whereSQL(words) + " order by id" + limit + ") m join umkm using (id) order by id"
		l.walkSettings, l.indexSettings = walkByWords, bitmapByWords
	case len(words) > 0:
		l.window = "select " + recordCols + " from (select * from umkm" + whereSQL(where) +
			" order by id limit " + n + ") w" + whereSQL(words) + " order by id" + limit
	}
	return l
}

// The records umkm_kata_urut_idx holds (names short enough for their words
// to fit an index entry) and those umkm_kata_panjang_idx holds, as the
// indexes' predicates spell them (migration 024).
const (
	namaPendek  = "octet_length(nama_usaha) + octet_length(nama_pemilik) <= 400"
	namaPanjang = "octet_length(nama_usaha) + octet_length(nama_pemilik) > 400"
)

func whereSQL(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " where " + strings.Join(conds, " and ")
}

// scan reads the page's rows (one more than the limit: the next cursor).
func (l listing) scan(rows pgx.Rows) (Page, error) {
	defer rows.Close()
	var page Page
	for rows.Next() {
		rec, err := scanRecord(rows)
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, rec)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(page.Items) > l.limit {
		last := page.Items[l.limit-1]
		page.Items = page.Items[:l.limit]
		page.NextCursor = encodeCursor(cursor{ID: last.ID, Score: l.rank})
	}
	return page, nil
}

// tier is one rank of a name search: the records whose words match, and do
// not match not (those were in a higher tier). A list without a search is
// one tier that matches everything.
type tier struct {
	match, not string // tsquery text
	rank       float64
}

// Ranks of a search's tiers, kept in the cursor.
const (
	rankAsTyped = 2 // every word as typed
	rankMeant   = 1 // every word as typed or as the typist may have meant it
)

// words is a name search: each word as the register's words are kept
// (sentra_kata), with the tenant's words it may stand for.
type words struct {
	typed []string
	known []bool     // per typed word: some record holds it
	meant [][]string // per typed word: dictionary words other than itself
}

// MaxSearchWords bounds the words of a query that count.
const MaxSearchWords = 5

// Words of 4 letters or more may stand for others: a shorter word's typos
// and continuations are too many to mean anything ("bu" begins budi, bunga,
// buah...).
const minMeantLen = 4

// queue adds the dictionary look-up of q to b. Similar words are those
// sharing 40% of their trigrams ("keripk" and "keripik" share 5 of 10,
// "hidyat" and "hidayat" 5 of 10); continuations are found in the word
// list's own order ("amina" → "aminah"). At most 8 per word, the most
// similar first.
func (w *words) queue(b *pgx.Batch, q string) {
	b.Queue("select set_config('pg_trgm.similarity_threshold', '0.4', true)")
	b.Queue(`select w.k, exists (select from umkm_kata d where d.kata = w.k), case when length(w.k) < $2 then '{}' else array(
			select d.kata from umkm_kata d
			where d.kata <> w.k and (d.kata % w.k or (d.kata > w.k and d.kata < w.k || chr(1114111)))
			order by similarity(d.kata, w.k) desc, d.kata limit 8) end
		from unnest(tsvector_to_array(sentra_kata($1))) w(k) limit $3`, q, minMeantLen, MaxSearchWords).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var (
				k     string
				known bool
				meant []string
			)
			if err := rows.Scan(&k, &known, &meant); err != nil {
				return err
			}
			w.typed, w.known, w.meant = append(w.typed, k), append(w.known, known), append(w.meant, meant)
		}
		return rows.Err()
	})
}

// tiers are the queries of a list: the records holding every word as typed,
// then those holding each word as typed or as meant. An export (all) wants
// every match in one order, whatever its tier.
func (w words) tiers(all bool) []tier {
	if len(w.typed) == 0 {
		return []tier{{}}
	}
	exact := make([]string, len(w.typed))
	broad := make([]string, len(w.typed))
	widened := false
	for i, k := range w.typed {
		exact[i] = lexeme(k)
		alts := []string{exact[i]}
		for _, m := range w.meant[i] {
			alts = append(alts, lexeme(m))
		}
		widened = widened || len(alts) > 1
		broad[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	asTyped := tier{match: strings.Join(exact, " & "), rank: rankAsTyped}
	if !widened {
		return []tier{asTyped}
	}
	meant := tier{match: strings.Join(broad, " & "), rank: rankMeant}
	if all {
		return []tier{meant}
	}
	// A word no record holds (the dictionary has every record's words)
	// leaves nothing as typed: only as meant.
	if slices.Contains(w.known, false) {
		return []tier{meant}
	}
	meant.not = asTyped.match
	return []tier{asTyped, meant}
}

// lexeme quotes a word for tsquery text: inside quotes a backslash escapes
// and a quote is doubled.
func lexeme(k string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(k, `\`, `\\`), "'", "''") + "'"
}
