// Package wilayah is a tenant's regions (kecamatan and desa/kelurahan) in
// memory: a few hundred rows that every write of a registry checks, and
// imports match by code or by name. Shared by the UMKM and cooperative
// registries, which both place a record in a kelurahan of the tenant.
package wilayah

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Levels of a region below the tenant.
const (
	LevelKecamatan = "kecamatan"
	LevelKelurahan = "desa_kelurahan"
)

// Index is one tenant's regions by Kemendagri code and by folded name.
type Index struct {
	ByKode map[string]Region
	byName map[string][]string // folded name → kode (kecamatan and desa/kelurahan)
}

// Region is one kecamatan or desa/kelurahan.
type Region struct {
	Nama, Level, Parent string
}

// Problem is a region that does not fit: the field (kecamatan_kode or
// kelurahan_kode), the value given and why.
type Problem struct {
	Field string
	Value any
	Text  apperr.Text
}

// Check says whether kelurahan is a desa/kelurahan of this tenant inside
// kecamatan, a kecamatan of this tenant.
func (w *Index) Check(kecamatan, kelurahan string) *Problem {
	k, ok := w.ByKode[kecamatan]
	if kecamatan == "" || !ok || k.Level != LevelKecamatan {
		return &Problem{"kecamatan_kode", kecamatan, apperr.T("Kecamatan tidak ditemukan di wilayah kantor ini.", "Kecamatan not found in this office's regions.")}
	}
	d, ok := w.ByKode[kelurahan]
	if kelurahan == "" || !ok || d.Level != LevelKelurahan {
		return &Problem{"kelurahan_kode", kelurahan, apperr.T("Desa/kelurahan tidak ditemukan di wilayah kantor ini.", "Desa/kelurahan not found in this office's regions.")}
	}
	if d.Parent != kecamatan {
		return &Problem{"kelurahan_kode", kelurahan, apperr.T(
			fmt.Sprintf("Desa/kelurahan %s tidak berada di Kecamatan %s.", d.Nama, k.Nama),
			fmt.Sprintf("Desa/kelurahan %s is not in Kecamatan %s.", d.Nama, k.Nama))}
	}
	return nil
}

// Is says whether kode is a region of the given level.
func (w *Index) Is(kode, level string) bool {
	r, ok := w.ByKode[kode]
	return ok && r.Level == level
}

func fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// Resolve finds a region by Kemendagri code first, then by exact name (after
// trimming and case-folding) within the parent, if given. A near miss is
// never taken: it comes back as a suggestion for a person to confirm.
func (w *Index) Resolve(value, level, parent string) (kode, suggestion string) {
	v := strings.TrimSpace(value)
	if r, ok := w.ByKode[v]; ok && r.Level == level {
		return v, ""
	}
	for _, k := range w.byName[fold(v)] {
		if r := w.ByKode[k]; r.Level == level && (parent == "" || r.Parent == parent) {
			return k, ""
		}
	}
	best, bestD := "", 3 // at most two edits away
	for k, r := range w.ByKode {
		if r.Level != level || (parent != "" && r.Parent != parent) {
			continue
		}
		if d := levenshtein(fold(v), fold(r.Nama)); d < bestD {
			best, bestD = r.Nama+" ("+k+")", d
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

// Cache holds each tenant's Index. The zero Cache is ready to use.
type Cache struct {
	mu sync.Mutex
	m  map[uuid.UUID]*Index
}

// Get returns the tenant's region index, loading it in tx on first use.
// Regions change only through `tenants sync`; a code missing from a cached
// index is not trusted blindly: reload picks up a sync made since.
func (c *Cache) Get(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, reload bool) (*Index, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.m[tenantID]; ok && !reload {
		return w, nil
	}
	rows, err := tx.Query(ctx, "select kode, nama, level, coalesce(parent_kode, '') from wilayah")
	if err != nil {
		return nil, fmt.Errorf("load wilayah: %w", err)
	}
	w := &Index{ByKode: map[string]Region{}, byName: map[string][]string{}}
	var kode string
	var r Region
	_, err = pgx.ForEachRow(rows, []any{&kode, &r.Nama, &r.Level, &r.Parent}, func() error {
		w.ByKode[kode] = r
		w.byName[fold(r.Nama)] = append(w.byName[fold(r.Nama)], kode)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load wilayah: %w", err)
	}
	if c.m == nil {
		c.m = map[uuid.UUID]*Index{}
	}
	c.m[tenantID] = w
	return w, nil
}

// Checked returns the tenant's index with kecamatan and kelurahan checked
// against it, reloading once when they do not fit (a sync since the load).
func (c *Cache) Checked(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, kecamatan, kelurahan string) (*Index, *Problem, error) {
	w, err := c.Get(ctx, tx, tenantID, false)
	if err != nil {
		return nil, nil, err
	}
	if w.Check(kecamatan, kelurahan) != nil {
		if w, err = c.Get(ctx, tx, tenantID, true); err != nil {
			return nil, nil, err
		}
	}
	return w, w.Check(kecamatan, kelurahan), nil
}
