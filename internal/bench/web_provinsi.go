package bench

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// webProvinsi measures the province pages as a province viewer of t's
// province opens them: the province dashboard (each office and the sum,
// the map of its offices) and t as the province sees it (its desa and
// kelurahan with small cells hidden, the map). static is what the page's
// CSS and JS cost (Web measured it).
func webProvinsi(ctx context.Context, e *Env, base string, t tenant.Tenant, requests, static int) error {
	c, err := signIn(ctx, e, base, "provinsi@"+t.ProvinceCode+".bench", tenancy.ProvinceDomain(t.ProvinceCode), tenancy.RoleProvinceViewer)
	if err != nil {
		return err
	}
	b := &browser{base: base, c: c}
	prefix := "/p/" + t.ProvinceCode + "/dasbor"
	for _, m := range []struct{ name, path string }{
		{"province_dashboard", prefix},
		{"province_office", prefix + "/" + url.PathEscape(t.Slug)},
	} {
		var lat Latencies
		var html []byte
		for i := range requests + 5 {
			t0 := time.Now()
			body, err := b.get(ctx, m.path)
			if err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if i >= 5 { // warm-up: the map's geometry, caches, prepared statements
				lat.Add(time.Since(t0))
			}
			html = body
		}
		e.Metric("web_"+m.name+"_p50_ms", lat.Quantile(0.5))
		e.Metric("web_"+m.name+"_p95_ms", lat.Quantile(0.95))
		gz := gzipLen(html)
		e.Metric("web_"+m.name+"_html_gzip_kb", float64(gz)/1024)
		e.Metric("web_"+m.name+"_total_gzip_kb", float64(gz+static)/1024)
	}
	return nil
}
