package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// reklasKoperasi is the campaign: 10.000 KSU cooperatives.
const reklasKoperasi = 10_000

var reklasKunci = regexp.MustCompile(`name="kunci" value="([0-9a-f-]{36})"`)

// reklasifikasi measures the review queue of a campaign over
// reklasKoperasi cooperatives of office t as its admin opens it (with the
// decision forms): the office's cooperatives are generated, the campaign
// is started on the page and run by the River workers of Web, then the
// campaign page and the queue (first page, and a filtered one) are
// fetched requests times each.
func (b *browser) reklasifikasi(ctx context.Context, e *Env, t *tenancy.Tenant, prefix string, requests int) error {
	svc := &koperasi.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	t0 := time.Now()
	if err := svc.Seed(ctx, t, reklasKoperasi, 3, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		return err
	}
	e.Logger.Info("seeded", "koperasi", reklasKoperasi, "took", time.Since(t0).Round(time.Millisecond).String())
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze koperasi, koperasi_unit, koperasi_unit_volume, koperasi_unit_porsi"); err != nil {
		return err
	}
	domain := tenancy.TenantDomain(t.Slug)
	email := "admin@" + t.Slug + ".bench"
	c, err := signIn(ctx, e, b.base, email, domain, tenancy.RoleAdmin)
	if err != nil {
		return err
	}
	admin := &browser{base: b.base, c: c}

	list, err := admin.get(ctx, prefix+"/reklasifikasi")
	if err != nil {
		return err
	}
	kunci := reklasKunci.FindSubmatch(list)
	if kunci == nil {
		return fmt.Errorf("the campaigns page offers the admin no start form")
	}
	form := url.Values{"kunci": {string(kunci[1])}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.base+prefix+"/reklasifikasi", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	kampanye := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(kampanye, prefix+"/reklasifikasi/") {
		return fmt.Errorf("start a campaign: %s, Location %q", resp.Status, kampanye)
	}
	t0 = time.Now()
	for {
		var status string
		if err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select status from reklasifikasi_kampanye order by id desc limit 1").Scan(&status)
		}); err != nil {
			return err
		}
		if status == koperasi.KampanyeSelesai {
			break
		}
		if status != koperasi.KampanyeBerjalan || time.Since(t0) > 5*time.Minute {
			return fmt.Errorf("campaign %s after %s", status, time.Since(t0).Round(time.Second))
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.Metric("web_reklasifikasi_campaign_s", time.Since(t0).Seconds())
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze reklasifikasi_usulan, reklasifikasi_kampanye"); err != nil {
		return err
	}

	for _, m := range []struct{ name, path string }{
		{"reklasifikasi_campaign", kampanye},
		{"reklasifikasi_queue", kampanye + "/usulan"},
		{"reklasifikasi_queue_sedang", kampanye + "/usulan?keyakinan=sedang"},
	} {
		var lat Latencies
		var page []byte
		for i := range requests + 5 {
			start := time.Now()
			if page, err = admin.get(ctx, m.path); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if i >= 5 { // warm-up
				lat.Add(time.Since(start))
			}
		}
		if m.name == "reklasifikasi_queue" && !strings.Contains(string(page), `/setujui"`) {
			return fmt.Errorf("the queue shows the admin no decision forms")
		}
		e.Metric("web_"+m.name+"_p50_ms", lat.Quantile(0.5))
		e.Metric("web_"+m.name+"_p95_ms", lat.Quantile(0.95))
		e.Metric("web_"+m.name+"_html_gzip_kb", float64(gzipLen(page))/1024)
	}
	return nil
}
