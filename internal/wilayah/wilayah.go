// Package wilayah is a tenant's regions (kecamatan and desa/kelurahan) in
// memory: a few hundred rows that every write of a registry checks, and
// imports match by code or by name. Shared by the UMKM and cooperative
// registries, which both place a record in a kelurahan of the tenant.
package wilayah

import (
	"context"
	"fmt"
	"maps"
	"slices"
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

// Index is one tenant's regions by Kemendagri code and by name (see key).
type Index struct {
	ByKode map[string]Region
	byName map[string][]string // key of a name → kode (kecamatan and desa/kelurahan), in code order
}

// New indexes a tenant's regions, by Kemendagri code.
func New(regions map[string]Region) *Index {
	w := &Index{ByKode: regions, byName: map[string][]string{}}
	for _, kode := range slices.Sorted(maps.Keys(regions)) {
		k := key(regions[kode].Nama)
		w.byName[k] = append(w.byName[k], kode)
	}
	return w
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
	regions := map[string]Region{}
	var kode string
	var r Region
	_, err = pgx.ForEachRow(rows, []any{&kode, &r.Nama, &r.Level, &r.Parent}, func() error {
		regions[kode] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load wilayah: %w", err)
	}
	w := New(regions)
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
