package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web"
)

// WebOptions size the web pages run.
type WebOptions struct {
	Tenant     string // the office measured
	Rows       int    // businesses of that office
	Requests   int    // per page
	ImportRows int    // rows of the import whose report is measured; 0 skips it
}

// DefaultWeb is the scale: 150.000 businesses in one office.
var DefaultWeb = WebOptions{Tenant: "depok", Rows: 150_000, Requests: 200, ImportRows: 5000}

// Web measures the web pages over HTTP as a signed-in staf member opens
// them, one request at a time (server time as the client sees it on
// loopback): p50 and p95 per page, and the bytes a page costs (its HTML,
// and with its CSS and JS, gzip-compressed as a proxy or the static
// handler serves them).
func Web(ctx context.Context, e *Env, o WebOptions) error {
	r, err := newRegister(ctx, e)
	if err != nil {
		return err
	}
	t, ok := r.tenants[o.Tenant]
	if !ok {
		return fmt.Errorf("no office %q", o.Tenant)
	}
	sc := t.Scope()
	t0 := time.Now()
	if err := r.svc.Seed(ctx, sc, t.KemendagriCode, o.Rows, 42); err != nil {
		return err
	}
	e.Logger.Info("seeded", "tenant", t.Slug, "rows", o.Rows, "took", time.Since(t0).Round(time.Millisecond).String())
	if err := adminExec(ctx, e.AdminURL, "vacuum analyze"); err != nil {
		return err
	}
	if err := e.App.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		_, err := dasbor.Refresh(ctx, tx, t.ID)
		return err
	}); err != nil {
		return err
	}
	e.Metric("web_rows", float64(o.Rows))

	// The server as serve wires it: the API with the pages beside it, and
	// River workers for the import.
	accounts := &account.Service{DB: e.App, Logger: e.Logger, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle, Sealer: r.svc.Sealer}
	cooperatives := &koperasi.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	funding := &pendanaan.Service{DB: e.App, Logger: e.Logger, Now: time.Now}
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, LongWorkers: 1, Logger: e.Logger},
		jobs.Services{DB: e.App, Accounts: accounts, UMKM: r.svc, Koperasi: cooperatives, Logger: e.Logger})
	if err != nil {
		return err
	}
	client.PeriodicJobs().RemoveByID("retention")
	if err := client.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	}()
	az, err := authz.New(ctx, e.App.Pool)
	if err != nil {
		return err
	}
	dashboards := &dasbor.Service{DB: e.App, Logger: e.Logger, Now: time.Now, Ambang: dasbor.DefaultAmbang, Kategori: httpapi.DasborKategori()}
	pages, err := web.New(web.Deps{Logger: e.Logger, Accounts: accounts, Tenants: r.store, Authz: az, UMKM: r.svc,
		Dasbor: dashboards, DB: e.App, Queue: client, Koperasi: cooperatives, Pendanaan: funding})
	if err != nil {
		return err
	}
	api := httpapi.New(httpapi.Deps{Logger: e.Logger, DB: e.App, Accounts: accounts, Authz: az, Tenants: r.store, UMKM: r.svc,
		Koperasi: cooperatives, Pendanaan: funding, Dasbor: dashboards, Queue: client, Pages: pages})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	defer srv.Close()
	b := &browser{base: "http://" + ln.Addr().String()}
	if b.c, err = signIn(ctx, e, b.base, "staf@"+t.Slug+".bench", tenancy.TenantDomain(t.Slug), tenancy.RoleStaf); err != nil {
		return err
	}

	// The pages: a record, a search by a few letters of a real name, and
	// the list filtered by a kecamatan and a sector.
	page, err := r.svc.List(ctx, sc, umkm.Filter{Limit: 1}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil || len(page.Items) == 0 {
		return fmt.Errorf("a record to open: %v", err)
	}
	rec := page.Items[0]
	word := strings.Fields(rec.NamaUsaha)
	search := word[len(word)-1]
	if len([]rune(search)) > 5 {
		search = string([]rune(search)[:5])
	}
	prefix := "/t/" + t.Slug
	list := prefix + "/umkm?" + url.Values{"kecamatan": {rec.KecamatanKode}, "sektor": {rec.Sektor}}.Encode()
	measured := []struct{ name, path string }{
		{"dashboard", prefix + "/dasbor"},
		{"map", prefix + "/peta"},
		{"map_kendala", prefix + "/peta?tampil=kendala&kategori=permodalan"},
		{"region", prefix + "/dasbor/wilayah/" + rec.KecamatanKode},
		{"list_filter", list},
		{"search", prefix + "/umkm?" + url.Values{"q": {search}}.Encode()},
		{"record", prefix + "/umkm/" + rec.ID.String()},
		{"form_new", prefix + "/umkm/baru"},
	}
	if measured, err = webKoperasi(ctx, e, cooperatives, sc, prefix, measured); err != nil {
		return err
	}
	if o.ImportRows > 0 {
		report, err := b.importReport(ctx, e, r, t.ID, sc, t.KemendagriCode, prefix, o.ImportRows)
		if err != nil {
			return fmt.Errorf("import report: %w", err)
		}
		measured = append(measured, struct{ name, path string }{"import_report", report})
	} else {
		fmt.Fprintln(e.Out, `{"metric":"import_report","skipped":"--import-rows 0"}`)
	}

	static, err := b.staticBytes(ctx, measured[0].path)
	if err != nil {
		return err
	}
	e.Metric("static_css_js_gzip_kb", float64(static)/1024)
	for _, m := range measured {
		var lat Latencies
		var html []byte
		for i := range o.Requests + 5 {
			t0 := time.Now()
			body, err := b.get(ctx, m.path)
			if err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if i >= 5 { // warm-up: caches, prepared statements
				lat.Add(time.Since(t0))
			}
			html = body
		}
		e.Metric("web_"+m.name+"_p50_ms", lat.Quantile(0.5))
		e.Metric("web_"+m.name+"_p95_ms", lat.Quantile(0.95))
		gz := gzipLen(html)
		e.Metric("web_"+m.name+"_html_kb", float64(len(html))/1024)
		e.Metric("web_"+m.name+"_html_gzip_kb", float64(gz)/1024)
		e.Metric("web_"+m.name+"_total_gzip_kb", float64(gz+static)/1024)
	}
	// The campaign runs in a second office: the cooperative list above
	// filled this one with generated cooperatives already.
	kampanye := r.tenants["karawang"].Scope()
	if err := b.reklasifikasi(ctx, e, kampanye, "/t/"+kampanye.Slug, o.Requests); err != nil { // web_reklasifikasi.go
		return err
	}
	return webProvinsi(ctx, e, b.base, t, o.Requests, static) // web_provinsi.go
}

// browser is a signed-in client of the pages.
type browser struct {
	base string
	c    *http.Client
}

func (b *browser) get(ctx context.Context, path string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	resp, err := b.c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return body, nil
}

var staticLink = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// staticBytes is what the CSS and JS of the page at path cost, as the static handler
// serves them to a browser that accepts gzip (once: they are cached for a
// year).
func (b *browser) staticBytes(ctx context.Context, path string) (int, error) {
	page, err := b.get(ctx, path)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, m := range staticLink.FindAllSubmatch(page, -1) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+string(m[1]), nil)
		req.Header.Set("Accept-Encoding", "gzip") // set by hand: the transport then leaves the body compressed
		resp, err := b.c.Do(req)
		if err != nil {
			return 0, err
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			return 0, fmt.Errorf("%s served without gzip", m[1])
		}
		total += int(n)
	}
	return total, nil
}

// importReport uploads a generated file of rows as a dry run through the
// import page, waits for the workers to finish it, and returns its
// report's page.
func (b *browser) importReport(ctx context.Context, e *Env, r *register, tenantID uuid.UUID, sc *tenancy.Tenant, kode, prefix string, rows int) (string, error) {
	g, err := r.svc.GeneratorFor(ctx, sc, kode, 2023)
	if err != nil {
		return "", err
	}
	var file bytes.Buffer
	if err := g.WriteCSV(&file, rows); err != nil {
		return "", err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("mode", "uji")
	fw, _ := mw.CreateFormFile("berkas", "umkm.csv")
	_, _ = fw.Write(file.Bytes())
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.base+prefix+"/impor", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || loc == "" {
		return "", fmt.Errorf("upload: %s", resp.Status)
	}
	id, err := uuid.Parse(loc[strings.LastIndex(loc, "/")+1:])
	if err != nil {
		return "", fmt.Errorf("job of %s: %w", loc, err)
	}
	t0 := time.Now()
	for {
		var j pekerjaan.Job
		if err := e.App.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
			j, err = pekerjaan.Get(ctx, tx, id)
			return err
		}); err != nil {
			return "", err
		}
		if j.Status == pekerjaan.Selesai {
			break
		}
		if j.Status == pekerjaan.Gagal || time.Since(t0) > 5*time.Minute {
			return "", fmt.Errorf("import %s: %s after %s", id, j.Status, time.Since(t0).Round(time.Second))
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.Metric("web_import_dry_run_s", time.Since(t0).Seconds())
	return loc, nil
}

// signIn creates a user with role in domain and signs in through /masuk:
// a client holding the session cookie.
func signIn(ctx context.Context, e *Env, base, email string, domain tenancy.Domain, role tenancy.Role) (*http.Client, error) {
	const password = "bench-password-2026"
	if err := e.App.InTx(ctx, func(tx pgx.Tx) error {
		id, _, err := account.EnsureUser(ctx, tx, email, "Pengguna Bench", password)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, domain, role, nil, nil)
	}); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {email}, "password": {password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/masuk", strings.NewReader(form.Encode()))
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

// gzipLen is the size of b compressed as a gzip proxy would (default
// level).
func gzipLen(b []byte) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}
