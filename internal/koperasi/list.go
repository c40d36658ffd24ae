package koperasi

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// JenisBelum filters the cooperatives whose jenis is not yet set.
const JenisBelum = "belum"

// Filter narrows and orders the list. Each selective filter is served by an
// index in keyset order (migrations 007 and 008) or by the trigram index,
// so a page costs the same whatever the size of the tenant.
type Filter struct {
	Jenis        string // one of AllJenis, or JenisBelum
	Kelompok     string
	Kecamatan    string
	Kelurahan    string
	Predikat     string // predicate of the latest health assessment
	RATTerlambat *bool  // see rat.go for the rule
	Pilot        *bool
	Aktif        *bool
	Q            string // typo-tolerant search in the name
	Arsip        bool   // include archived cooperatives
	Sort         string // created (default) or -created; with Q: relevance
	Cursor       string
	Limit        int

	// allMatches lists every match of Q in id order instead of ranking
	// the first SearchCandidates: an export wants all of them, in any order.
	allMatches bool
}

// SearchCandidates bounds the matches a search ranks (see listTx).
const SearchCandidates = 500

// Page is a page of cooperatives.
type Page struct {
	Items      []Koperasi
	NextCursor string
}

// List returns a page of the tenant's cooperatives, presented for v.
func (s *Service) List(ctx context.Context, t *tenancy.Tenant, f Filter, v View) (Page, error) {
	var page Page
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		page, err = s.listTx(ctx, tx, t, f)
		return err
	})
	for i := range page.Items {
		Present(&page.Items[i], v)
	}
	return page, err
}

func checkFilter(f Filter) error {
	fe := &fieldErrs{prefix: "query"}
	if f.Jenis != "" && f.Jenis != JenisBelum {
		oneOf(fe, "jenis", &f.Jenis, AllJenis)
	}
	if f.Kelompok != "" {
		oneOf(fe, "kelompok", &f.Kelompok, AllKelompok)
	}
	_, err := keyset.Decode(f.Cursor)
	if err != nil {
		return err
	}
	return fe.err(apperr.T("Filter tidak valid.", "Invalid filter."))
}

// listTx reads a page in tx, a transaction of tenant t; records are not yet
// presented for a caller.
func (s *Service) listTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, f Filter) (Page, error) {
	if err := checkFilter(f); err != nil {
		return Page{}, err
	}
	cur, _ := keyset.Decode(f.Cursor)
	cutoff, err := s.ratCutoff(t)
	if err != nil {
		return Page{}, err
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
	switch f.Jenis {
	case "":
	case JenisBelum:
		where = append(where, "jenis is null")
	default:
		eq("jenis", f.Jenis)
	}
	eq("kelompok", f.Kelompok)
	eq("kecamatan_kode", f.Kecamatan)
	eq("kelurahan_kode", f.Kelurahan)
	eq("kesehatan_predikat", f.Predikat)
	flag := func(b *bool, yes, no string) {
		if b != nil && *b {
			where = append(where, yes)
		} else if b != nil {
			where = append(where, no)
		}
	}
	flag(f.Pilot, "pilot", "not pilot")
	flag(f.Aktif, "aktif", "not aktif")
	if f.RATTerlambat != nil {
		overdue := fmt.Sprintf(ratTerlambatSQL, arg(cutoff))
		flag(f.RATTerlambat, overdue, "not "+overdue)
	}
	if !f.Arsip {
		where = append(where, "archived_at is null")
	}

	var order, score string
	q := strings.ToLower(strings.TrimSpace(f.Q))
	if q != "" {
		// Every word of the query must match a word of the name, typos
		// tolerated (trigram word similarity, served by the trigram index);
		// results rank by how well they match.
		words := strings.Fields(q)
		var parts []string
		for _, w := range words[:min(len(words), 5)] {
			p := arg(w)
			where = append(where, p+" <% cari")
			parts = append(parts, "word_similarity("+p+", cari)")
		}
		score = "(" + strings.Join(parts, " + ") + ")::real"
	}
	if q == "" || f.allMatches {
		score = "0::real"
	}
	sql := "select " + recordCols + ", " + score + " as score from koperasi"
	if len(where) > 0 {
		sql += " where " + strings.Join(where, " and ")
	}
	var after []string
	if q != "" && !f.allMatches {
		// Rank the first SearchCandidates matches only: a common word
		// ("koperasi") matches most of a tenant, and ranking them all would
		// cost in proportion to it. Narrowing with filters finds the rest.
		// At least a page and one more, or a page longer than the bound
		// would never offer a next one.
		sql = "select * from (" + sql + " limit " + arg(max(SearchCandidates, f.Limit+1)) + ") c"
		if cur != nil {
			s, id := arg(cur.Score), arg(cur.ID)
			after = append(after, fmt.Sprintf("(c.score < %s or (c.score = %s and c.id > %s))", s, s, id))
		}
		order = "c.score desc, c.id"
	} else {
		dir, cmp := "", ">"
		if f.Sort == "-created" {
			dir, cmp = " desc", "<"
		}
		if cur != nil {
			after = append(after, "id "+cmp+" "+arg(cur.ID))
		}
		order = "id" + dir
		sql = "select * from (" + sql + ") c"
	}
	if len(after) > 0 {
		sql += " where " + strings.Join(after, " and ")
	}
	sql += " order by " + order + " limit " + arg(f.Limit+1)
	if q != "" {
		if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
			return Page{}, err
		}
	}
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list koperasi: %w", err)
	}
	defer rows.Close()
	var (
		page   Page
		scores []float32
	)
	for rows.Next() {
		var sc float32
		rec, err := scanRecord(rows, cutoff, &sc)
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, rec)
		scores = append(scores, sc)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(page.Items) > f.Limit {
		last := page.Items[f.Limit-1]
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: last.ID, Score: float64(scores[f.Limit-1])})
	}
	return page, nil
}
