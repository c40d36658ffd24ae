package umkm_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/umkm"
)

// BenchmarkKendalaAndDuplikat measures the constraint map and the
// likely-duplicate pages on a tenant of 150.000 generated businesses
// (Tangsel's size, seed 002; the generator gives 40% of them an open
// constraint):
//
//	go test ./internal/umkm -run '^$' -bench KendalaAndDuplikat -benchtime 10x -v
//
// "pemetaan" is the whole tenant's map.
// "first page" is the first 50 pairs; "full budget" a page with limit 500,
// which the generated names do not fill before the page's budget of
// comparisons is spent: the most any page costs; "largest kelurahan" the
// same inside the busiest kelurahan. After them, one whole kelurahan is
// walked page by page and its time logged (-v).
func BenchmarkKendalaAndDuplikat(b *testing.B) {
	bb := setup(b)
	ctx := context.Background()
	tangsel := bb.tenants["tangsel"]
	start := time.Now()
	if err := bb.svc.Seed(ctx, tangsel, bb.codes["tangsel"], 150_000, 42); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded 150.000 businesses in %v", time.Since(start).Round(time.Second))
	// What autovacuum does after a bulk load: measured in that steady state.
	admin, err := pgx.Connect(ctx, bb.env.Admin)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "vacuum analyze umkm, umkm_kendala"); err != nil {
		b.Fatal(err)
	}
	admin.Close(ctx)
	var kel string
	var size int
	if err := bb.env.DB.InTenantTx(ctx, tangsel.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select kelurahan_kode, count(*) from umkm group by 1 order by 2 desc limit 1`).Scan(&kel, &size)
	}); err != nil {
		b.Fatal(err)
	}
	b.Logf("largest kelurahan %s: %d businesses", kel, size)
	var open int
	if err := bb.env.DB.InTenantTx(ctx, tangsel.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select count(*) from umkm_kendala where selesai_at is null`).Scan(&open)
	}); err != nil {
		b.Fatal(err)
	}
	b.Run("pemetaan", func(b *testing.B) {
		for b.Loop() {
			m, err := bb.svc.Pemetaan(ctx, tangsel, "", umkm.Scope{})
			if err != nil {
				b.Fatal(err)
			}
			if m.Total.Kendala != open {
				b.Fatalf("map counts %d open constraints, the table %d", m.Total.Kendala, open)
			}
		}
		b.ReportMetric(float64(open), "open_kendala")
	})
	for _, c := range []struct {
		name string
		f    umkm.DuplikatFilter
	}{
		{"first page", umkm.DuplikatFilter{Limit: 50}},
		{"full budget", umkm.DuplikatFilter{Limit: 500}},
		{"largest kelurahan", umkm.DuplikatFilter{Kelurahan: kel, Limit: 500}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var items, scanned, compared int
			for b.Loop() {
				page, err := bb.svc.ListDuplikat(ctx, tangsel, c.f, umkm.Scope{})
				if err != nil {
					b.Fatal(err)
				}
				items, scanned, compared = len(page.Items), page.Diperiksa, page.Dibandingkan
			}
			b.ReportMetric(float64(items), "pairs/page")
			b.ReportMetric(float64(scanned), "records/page")
			b.ReportMetric(float64(compared), "comparisons/page")
		})
	}
	// Walking a whole kelurahan is many pages: timed once, not per loop.
	walkStart := time.Now()
	_, items, pages, maxScan := kdWalk(b, bb, "tangsel", umkm.DuplikatFilter{Kelurahan: kel, Limit: 500}, umkm.Scope{})
	took := time.Since(walkStart)
	b.Logf("walked kelurahan %s (%d businesses): %d pairs in %d pages (≤ %d records each) in %v, %.0f ms/page",
		kel, size, len(items), pages, maxScan, took.Round(time.Millisecond), took.Seconds()*1000/float64(pages))
}
