package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// webProvinsi measures the province pages as a province viewer of t's
// province opens them: the province dashboard (each office and the sum,
// the map of its offices) and t as the province sees it (its desa and
// kelurahan with small cells hidden, the map). static is what the page's
// CSS and JS cost (Web measured it).
func webProvinsi(ctx context.Context, e *Env, base string, t tenant.Tenant, requests, static int) error {
	c, err := viewerSession(ctx, e, base, "provinsi@"+t.ProvinceCode+".bench", tenancy.ProvinceDomain(t.ProvinceCode))
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

// viewerSession creates a province viewer and signs in through /masuk.
func viewerSession(ctx context.Context, e *Env, base, email string, domain tenancy.Domain) (*http.Client, error) {
	const password = "bench-password-2026"
	if err := e.App.InTx(ctx, func(tx pgx.Tx) error {
		id, _, err := account.EnsureUser(ctx, tx, email, "Pemantau Bench", password)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, domain, tenancy.RoleProvinceViewer, nil, nil)
	}); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/masuk",
		strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("log in %s: %s", email, resp.Status)
	}
	return c, nil
}
