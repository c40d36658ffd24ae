package umkm

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Filter narrows and orders a list. Every filter is served by an index on
// (tenant_id, <field>, id) or by the trigram index; pages are keyset-based, so
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
	Q              string // typo-tolerant search in business and owner names
	Arsip          bool   // include archived records
	Sort           string // created (default) or -created; with Q: relevance
	Cursor         string
	Limit          int

	// allMatches lists every match of Q in id order instead of ranking
	// the first SearchCandidates: an export wants all of them, in any order.
	allMatches bool
}

// SearchCandidates bounds the matches a search ranks (see listTx).
const SearchCandidates = 200

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
	l, err := newListing(f, sc)
	if err != nil {
		return Page{}, err
	}
	// One round trip: a page is one read.
	var page Page
	err = s.DB.ReadTenantBatch(ctx, t.ID, func(b *pgx.Batch) {
		if l.search {
			b.Queue(db.TrigramSearch)
		}
		b.Queue(l.sql, l.args...).Query(func(rows pgx.Rows) error {
			var err error
			page, err = l.scan(rows)
			return err
		})
	})
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
	l, err := newListing(f, sc)
	if err != nil {
		return Page{}, err
	}
	if l.search {
		if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
			return Page{}, err
		}
	}
	rows, err := tx.Query(ctx, l.sql, l.args...)
	if err != nil {
		return Page{}, fmt.Errorf("list umkm: %w", err)
	}
	return l.scan(rows)
}

// listing is the query of one page.
type listing struct {
	sql    string
	args   []any
	search bool // a name search: needs db.TrigramSearch first
	limit  int
}

func newListing(f Filter, sc Scope) (listing, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return listing{}, err
	}
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
	if !f.Arsip {
		where = append(where, "archived_at is null")
	}
	if a := sc.sqlArg(); a != nil {
		p := arg(a)
		where = append(where, "(kecamatan_kode = any("+p+") or kelurahan_kode = any("+p+"))")
	}

	var order, score string
	q := strings.ToLower(strings.TrimSpace(f.Q))
	var parts []string
	if q != "" {
		// Every word of the query must match a word of the business or
		// owner name, typos tolerated (trigram word similarity, served by the
		// trigram index); results rank by how well they match.
		for _, w := range strings.Fields(q)[:min(len(strings.Fields(q)), 5)] {
			p := arg(w)
			where = append(where, p+" <% cari")
			parts = append(parts, "word_similarity("+p+", cari)")
		}
	}
	switch {
	case q != "" && !f.allMatches:
		score = "(" + strings.Join(parts, " + ") + ")::real"
		if cur != nil {
			where = append(where, fmt.Sprintf("(%s < %s or (%s = %s and id > %s))", score, arg(cur.Score), score, arg(cur.Score), arg(cur.ID)))
		}
		order = score + " desc, id"
	default:
		dir, cmp := "", ">"
		if f.Sort == "-created" {
			dir, cmp = " desc", "<"
		}
		if cur != nil {
			where = append(where, "id "+cmp+" "+arg(cur.ID))
		}
		order = "id" + dir
	}
	sql := "select " + recordCols
	if score != "" {
		sql += ", " + score
	} else {
		sql += ", 0::real"
	}
	sql += " from umkm"
	if len(where) > 0 {
		sql += " where " + strings.Join(where, " and ")
	}
	if score != "" {
		// Rank the first SearchCandidates matches the index yields, not all
		// of them: a common word ("warung") matches thousands of businesses,
		// and ranking them all would cost in proportion to the tenant. The
		// heap is roughly in registration order, so ties (exact matches)
		// still come oldest first; narrowing with filters finds the rest.
		// 200 rather than 500: each candidate costs two word_similarity
		// calls per word, and at 500 they were half of a search's time.
		// At least a page and one more, or a page longer than the bound
		// would never offer a next one.
		sql = "select * from (" + sql + " limit " + arg(max(SearchCandidates, f.Limit+1)) + ") c"
		order = strings.ReplaceAll(order, score, "c.word_score")
		sql = strings.Replace(sql, ", "+score+" from umkm", ", "+score+" as word_score from umkm", 1)
	}
	sql += " order by " + order + " limit " + arg(f.Limit+1)
	return listing{sql: sql, args: args, search: q != "", limit: f.Limit}, nil
}

// scan reads the page's rows (one more than the limit: the next cursor).
func (l listing) scan(rows pgx.Rows) (Page, error) {
	defer rows.Close()
	var (
		page   Page
		scores []float64
	)
	for rows.Next() {
		var score float32
		rec, err := scanRecordWith(rows, &score)
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, rec)
		scores = append(scores, float64(score))
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(page.Items) > l.limit {
		last := page.Items[l.limit-1]
		page.Items = page.Items[:l.limit]
		page.NextCursor = encodeCursor(cursor{ID: last.ID, Score: scores[l.limit-1]})
	}
	return page, nil
}
