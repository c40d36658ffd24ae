package umkm

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// What makes two live records of one desa/kelurahan likely duplicates: the
// business names are similar (pg_trgm similarity of the lower-cased names),
// or the owner's name is the same and the business names are similar in
// pg_trgm's own default sense (its `%` threshold, 0.3).
const (
	DuplikatKemiripan            = 0.6
	DuplikatKemiripanPemilikSama = 0.3
)

// The work of one page of likely duplicates is bounded. Under row-level
// security no trigram index can serve similarity() (its operator is not
// LEAKPROOF; see migrations/superuser.sql), so each record is compared with
// every record registered after it in its desa/kelurahan (~3.000 at 150.000
// records per tenant, ~3 µs a comparison with the row read). A page stops
// after DuplikatCompare comparisons (about 0.3–0.5 s on two cores) or
// DuplikatScan records, whichever comes first, but always takes at least one
// record, so every page moves on. A page may therefore hold fewer pairs than
// asked, even none, and still carry a cursor; walking a whole kelurahan of n
// records costs n²/2 comparisons in total, spread over the pages.
const (
	DuplikatCompare = 100_000
	DuplikatScan    = 200
)

// DuplikatFilter narrows the search for likely duplicates.
type DuplikatFilter struct {
	Kecamatan     string
	Kelurahan     string
	Cursor        string
	Limit         int
	CompareBudget int // comparisons a page may make; 0 is DuplikatCompare
}

// DuplikatUMKM is one side of a likely duplicate: enough to recognise it,
// no personal data beyond the owner's name (no NIK, phone or address).
type DuplikatUMKM struct {
	ID          uuid.UUID `json:"id"`
	NamaUsaha   string    `json:"nama_usaha"`
	NamaPemilik string    `json:"nama_pemilik"`
}

// Duplikat is a pair of live records that look like the same business.
type Duplikat struct {
	A             DuplikatUMKM `json:"a" doc:"The record registered first."`
	B             DuplikatUMKM `json:"b" doc:"The record registered later."`
	Kemiripan     float64      `json:"kemiripan" doc:"Trigram similarity of the business names, 0–1."`
	PemilikSama   bool         `json:"pemilik_sama" doc:"The owners' names are the same (ignoring case)."`
	KecamatanKode string       `json:"kecamatan_kode"`
	Kecamatan     string       `json:"kecamatan"`
	KelurahanKode string       `json:"kelurahan_kode"`
	Kelurahan     string       `json:"kelurahan"`
}

// DuplikatPage is a page of likely duplicates in (kelurahan, a, b) order.
type DuplikatPage struct {
	Items        []Duplikat
	NextCursor   string
	Diperiksa    int // records compared with those after them on this page (≤ DuplikatScan)
	Dibandingkan int // comparisons that took at most (≤ the budget, unless one record alone needs more)
}

// duplikatSQL finds, for each live record a of kelurahan $1 with id in
// [$2, $3], the live records b registered after it in the same kelurahan
// whose names make the pair a likely duplicate, in (a.id, b.id) order. Both
// sides walk umkm_kelurahan_idx, so the plan is a nested loop that stops at
// the LIMIT. For the first record ($2), pairs up to b = $4 were on an earlier
// page. OFFSET 0 keeps similarity() from being computed twice per pair.
const duplikatSQL = `select a.id, a.nama_usaha, a.nama_pemilik, p.id, p.nama_usaha, p.nama_pemilik, p.kemiripan, p.pemilik_sama
	from umkm a
	cross join lateral (
		select * from (
			select b.id, b.nama_usaha, b.nama_pemilik,
				similarity(lower(a.nama_usaha), lower(b.nama_usaha)) as kemiripan,
				lower(a.nama_pemilik) = lower(b.nama_pemilik) as pemilik_sama
			from umkm b
			where b.kelurahan_kode = $1 and b.archived_at is null
			  and b.id > case when a.id = $2 then greatest($4::uuid, a.id) else a.id end
			order by b.id
			offset 0
		) c
		where c.kemiripan >= case when c.pemilik_sama then $6::real else $5::real end
	) p
	where a.kelurahan_kode = $1 and a.archived_at is null and a.id between $2 and $3
	order by a.id, p.id
	limit $7`

// ListDuplikat returns a page of pairs of live records in the same
// desa/kelurahan that are likely the same business, for a person to look at
// and merge (MergeDuplicate). Pairs are never across kelurahan: comparing
// only within one keeps the work proportional to the kelurahan, not the
// tenant.
func (s *Service) ListDuplikat(ctx context.Context, t *tenancy.Tenant, f DuplikatFilter, sc Scope) (DuplikatPage, error) {
	cur, err := decodeDuplikatCursor(f.Cursor)
	if err != nil {
		return DuplikatPage{}, err
	}
	var page DuplikatPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		w, err := s.wilayah.Get(ctx, tx, t.ID, false)
		if err != nil {
			return err
		}
		kels, err := duplikatKelurahan(w, f, sc)
		if err != nil {
			if w, err = s.wilayah.Get(ctx, tx, t.ID, true); err != nil {
				return err
			}
			if kels, err = duplikatKelurahan(w, f, sc); err != nil {
				return err
			}
		}
		// Plan each page with its real limit and bounds: a generic plan
		// does not know the LIMIT is small and sorts every pair of the page's
		// records before returning the first.
		if _, err := tx.Exec(ctx, "select set_config('plan_cache_mode', 'force_custom_plan', true)"); err != nil {
			return err
		}
		budget := f.CompareBudget
		if budget <= 0 {
			budget = DuplikatCompare
		}
		compare := budget
		scan := DuplikatScan
		for i, kel := range kels {
			if kel < cur.kel {
				continue
			}
			start, after := uuid.Nil, uuid.Nil
			if kel == cur.kel {
				start, after = cur.a, cur.b
			}
			// The next records of this kelurahan, each with how many live
			// records come after it (what comparing it costs).
			rows, err := tx.Query(ctx, `select id, (count(*) over ()) - row_number() over (order by id)
				from umkm where kelurahan_kode = $1 and archived_at is null and id >= $2
				order by id limit $3`, kel, start, scan+1)
			if err != nil {
				return fmt.Errorf("duplikat anchors: %w", err)
			}
			var ids []uuid.UUID
			var costs []int
			var id uuid.UUID
			var cost int
			if _, err := pgx.ForEachRow(rows, []any{&id, &cost}, func() error {
				ids, costs = append(ids, id), append(costs, cost)
				return nil
			}); err != nil {
				return fmt.Errorf("duplikat anchors: %w", err)
			}
			n := 0
			for n < len(ids) && n < scan && (page.Diperiksa+n == 0 || costs[n] <= compare) {
				compare -= costs[n]
				n++
			}
			if n > 0 {
				pairs, err := duplikatPairs(ctx, tx, w, kel, ids[0], ids[n-1], after, f.Limit+1-len(page.Items))
				if err != nil {
					return err
				}
				page.Items = append(page.Items, pairs...)
				page.Diperiksa += n
				scan -= n
				if len(page.Items) > f.Limit {
					last := page.Items[f.Limit-1]
					page.Items = page.Items[:f.Limit]
					page.NextCursor = encodeDuplikatCursor(last.KelurahanKode, last.A.ID, last.B.ID)
					break
				}
			}
			if n < len(ids) { // the budget ran out inside this kelurahan
				page.NextCursor = encodeDuplikatCursor(kel, ids[n], uuid.Nil)
				break
			}
			if (scan == 0 || compare <= 0) && i+1 < len(kels) {
				page.NextCursor = encodeDuplikatCursor(kels[i+1], uuid.Nil, uuid.Nil)
				break
			}
		}
		page.Dibandingkan = budget - compare
		return nil
	})
	if err != nil {
		return DuplikatPage{}, err
	}
	if page.Items == nil {
		page.Items = []Duplikat{}
	}
	return page, nil
}

// duplikatKelurahan lists, in code order, the desa/kelurahan to search: those
// of the filters and of the caller's scope.
func duplikatKelurahan(w *wilayahIndex, f DuplikatFilter, sc Scope) ([]string, error) {
	if r, ok := w.ByKode[f.Kecamatan]; f.Kecamatan != "" && (!ok || r.Level != "kecamatan") {
		return nil, apperr.InvalidField("query.kecamatan", f.Kecamatan, apperr.T(
			"Kecamatan tidak ditemukan di wilayah kantor ini.", "Kecamatan not found in this office's regions."))
	}
	if r, ok := w.ByKode[f.Kelurahan]; f.Kelurahan != "" && (!ok || r.Level != "desa_kelurahan") {
		return nil, apperr.InvalidField("query.kelurahan", f.Kelurahan, apperr.T(
			"Desa/kelurahan tidak ditemukan di wilayah kantor ini.", "Desa/kelurahan not found in this office's regions."))
	}
	var out []string
	for kode, r := range w.ByKode {
		if r.Level == "desa_kelurahan" && (f.Kelurahan == "" || kode == f.Kelurahan) &&
			(f.Kecamatan == "" || r.Parent == f.Kecamatan) && sc.allows(r.Parent, kode) {
			out = append(out, kode)
		}
	}
	slices.Sort(out)
	return out, nil
}

func duplikatPairs(ctx context.Context, tx pgx.Tx, w *wilayahIndex, kel string, first, last, after uuid.UUID, limit int) ([]Duplikat, error) {
	rows, err := tx.Query(ctx, duplikatSQL, kel, first, last, after, DuplikatKemiripan, DuplikatKemiripanPemilikSama, limit)
	if err != nil {
		return nil, fmt.Errorf("duplikat pairs: %w", err)
	}
	k := w.ByKode[kel]
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Duplikat, error) {
		d := Duplikat{KelurahanKode: kel, Kelurahan: k.Nama, KecamatanKode: k.Parent, Kecamatan: w.ByKode[k.Parent].Nama}
		var sim float32
		err := r.Scan(&d.A.ID, &d.A.NamaUsaha, &d.A.NamaPemilik, &d.B.ID, &d.B.NamaUsaha, &d.B.NamaPemilik, &sim, &d.PemilikSama)
		d.Kemiripan = math.Round(float64(sim)*1000) / 1000
		return d, err
	})
}

var errDuplikatCursor = apperr.InvalidField("query.cursor", nil, apperr.T(
	"Cursor tidak valid. Gunakan next_cursor dari halaman sebelumnya.", "Invalid cursor. Use next_cursor from the previous page."))

type duplikatCursor struct {
	kel  string
	a, b uuid.UUID
}

func encodeDuplikatCursor(kel string, a, b uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kel + "|" + a.String() + "|" + b.String()))
}

func decodeDuplikatCursor(s string) (duplikatCursor, error) {
	if s == "" {
		return duplikatCursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(raw), "|")
	if err != nil || len(parts) != 3 || parts[0] == "" {
		return duplikatCursor{}, errDuplikatCursor
	}
	a, errA := uuid.Parse(parts[1])
	b, errB := uuid.Parse(parts[2])
	if errors.Join(errA, errB) != nil {
		return duplikatCursor{}, errDuplikatCursor
	}
	return duplikatCursor{kel: parts[0], a: a, b: b}, nil
}
