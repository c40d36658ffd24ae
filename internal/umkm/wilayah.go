package umkm

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
)

// wilayahIndex is a tenant's regions in memory: a few hundred rows that
// every write checks, and imports match by code or by name.
type wilayahIndex struct {
	byKode map[string]region
	byName map[string][]string // folded name → kode (kecamatan and desa/kelurahan)
}

type region struct {
	nama, level, parent string
}

type regionProblem struct {
	field string
	value any
	text  apperr.Text
}

func (w *wilayahIndex) check(kecamatan, kelurahan string) *regionProblem {
	k, ok := w.byKode[kecamatan]
	if kecamatan == "" || !ok || k.level != "kecamatan" {
		return &regionProblem{"kecamatan_kode", kecamatan, apperr.T("Kecamatan tidak ditemukan di wilayah kantor ini.", "Kecamatan not found in this office's regions.")}
	}
	d, ok := w.byKode[kelurahan]
	if kelurahan == "" || !ok || d.level != "desa_kelurahan" {
		return &regionProblem{"kelurahan_kode", kelurahan, apperr.T("Desa/kelurahan tidak ditemukan di wilayah kantor ini.", "Desa/kelurahan not found in this office's regions.")}
	}
	if d.parent != kecamatan {
		return &regionProblem{"kelurahan_kode", kelurahan, apperr.T(
			fmt.Sprintf("Desa/kelurahan %s tidak berada di Kecamatan %s.", d.nama, k.nama),
			fmt.Sprintf("Desa/kelurahan %s is not in Kecamatan %s.", d.nama, k.nama))}
	}
	return nil
}

func fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// resolve finds a region by Kemendagri code first, then by exact name (after
// trimming and case-folding) within the parent, if given. A near miss is
// never taken: it comes back as a suggestion for a person to confirm.
func (w *wilayahIndex) resolve(value, level, parent string) (kode, suggestion string) {
	v := strings.TrimSpace(value)
	if r, ok := w.byKode[v]; ok && r.level == level {
		return v, ""
	}
	for _, k := range w.byName[fold(v)] {
		if r := w.byKode[k]; r.level == level && (parent == "" || r.parent == parent) {
			return k, ""
		}
	}
	best, bestD := "", 3 // at most two edits away
	for k, r := range w.byKode {
		if r.level != level || (parent != "" && r.parent != parent) {
			continue
		}
		if d := levenshtein(fold(v), fold(r.nama)); d < bestD {
			best, bestD = r.nama+" ("+k+")", d
		}
	}
	return "", best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

type wilayahCache struct {
	mu sync.Mutex
	m  map[uuid.UUID]*wilayahIndex
}

// wilayah returns the tenant's region index, loading it in tx on first use.
// Regions change only through `tenants sync`; a code missing from a cached
// index is not trusted blindly: reload picks up a sync made since.
func (c *wilayahCache) get(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, reload bool) (*wilayahIndex, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.m[tenantID]; ok && !reload {
		return w, nil
	}
	rows, err := tx.Query(ctx, "select kode, nama, level, coalesce(parent_kode, '') from wilayah")
	if err != nil {
		return nil, fmt.Errorf("load wilayah: %w", err)
	}
	w := &wilayahIndex{byKode: map[string]region{}, byName: map[string][]string{}}
	var kode string
	var r region
	_, err = pgx.ForEachRow(rows, []any{&kode, &r.nama, &r.level, &r.parent}, func() error {
		w.byKode[kode] = r
		w.byName[fold(r.nama)] = append(w.byName[fold(r.nama)], kode)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load wilayah: %w", err)
	}
	if c.m == nil {
		c.m = map[uuid.UUID]*wilayahIndex{}
	}
	c.m[tenantID] = w
	return w, nil
}
