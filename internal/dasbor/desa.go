package dasbor

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// AngkaDesa are a few breakdowns of every desa/kelurahan of an office, for
// a map: the office dashboard lists only totals at that level.
type AngkaDesa struct {
	DihitungAt *time.Time
	// Jumlah is kode → dimensi → nilai → count; the total of a dimension
	// without values (umkm.total) is under nilai "".
	Jumlah map[string]map[string]map[string]int
}

// Get is the count of nilai of dimensi in the desa/kelurahan kode.
func (a AngkaDesa) Get(kode, dimensi, nilai string) int { return a.Jumlah[kode][dimensi][nilai] }

// DesaDims are the breakdowns Desa reads: what a map of the office may
// show.
var DesaDims = []string{"umkm.total", "umkm.berkendala", DimStatusBinaan, DimKendala, "koperasi.total"}

// Desa reads the breakdowns dims (of DesaDims) of every desa/kelurahan of
// the tenant in scope, for its staff (no count hidden, as Tenant). One
// round trip over the rollups: its cost follows the number of regions.
func (s *Service) Desa(ctx context.Context, t *tenancy.Tenant, dims ...string) (AngkaDesa, error) {
	for _, d := range dims {
		if !slices.Contains(DesaDims, d) {
			return AngkaDesa{}, fmt.Errorf("dasbor desa: %q is not a breakdown of DesaDims", d)
		}
	}
	out := AngkaDesa{Jumlah: map[string]map[string]map[string]int{}}
	err := s.DB.ReadTenantBatch(ctx, t.ID, func(b *pgx.Batch) {
		b.Queue(`select wilayah_kode, dimensi, nilai, jumlah from dasbor_angka
			where tenant_id = $1 and tingkat = 2 and dimensi = any($2)`, t.ID, dims).Query(func(rows pgx.Rows) error {
			var (
				kode, dimensi, nilai string
				n                    int
			)
			_, err := pgx.ForEachRow(rows, []any{&kode, &dimensi, &nilai, &n}, func() error {
				k := out.Jumlah[kode]
				if k == nil {
					k = map[string]map[string]int{}
					out.Jumlah[kode] = k
				}
				if k[dimensi] == nil {
					k[dimensi] = map[string]int{}
				}
				k[dimensi][nilai] += n
				return nil
			})
			return err
		})
		b.Queue(`select max(dihitung_at) from dasbor_penyegaran where tenant_id = $1`, t.ID).QueryRow(func(row pgx.Row) error {
			return row.Scan(&out.DihitungAt)
		})
	})
	if err != nil {
		return AngkaDesa{}, fmt.Errorf("dasbor desa %s: %w", t.Slug, err)
	}
	out.DihitungAt = utc(out.DihitungAt)
	return out, nil
}
