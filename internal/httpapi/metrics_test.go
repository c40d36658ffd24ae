package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/sentra-id/sentra/internal/metrics"
)

const metricsToken = "token-metrik-uji-2026"

// metricsAccessOutside allows no address the tests connect from (loopback),
// so only the token opens /metrics.
func metricsAccessOutside(t *testing.T) metrics.Access {
	t.Helper()
	allow, err := metrics.ParseAllow("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	return metrics.Access{Allow: allow, Token: metricsToken}
}

// scrape reads /metrics with the token and parses it as Prometheus does.
func (b *testBundle) scrape(t *testing.T) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	r := b.do(t, http.MethodGet, "/metrics", metricsToken, nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("scrape: %d %s: %.300s", r.status, r.header.Get("Content-Type"), r.raw)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(r.raw))
	if err != nil {
		t.Fatalf("scrape is not the Prometheus text format: %v", err)
	}
	return fams, string(r.raw)
}

// metricOf is the one sample of family name with exactly these labels.
func metricOf(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("no metric family %s", name)
	}
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		if len(have) == len(labels) {
			same := true
			for k, v := range labels {
				same = same && have[k] == v
			}
			if same {
				return m
			}
		}
	}
	t.Fatalf("no %s%v", name, labels)
	return nil
}

// TestMetricsOverHTTP: after real requests and an import job, a scrape of
// the real server names requests by operation id and status class, counts
// the job and its rows, reports the pool, and holds no path, id, tracking
// code or tenant in any label.
func TestMetricsOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t, withMetrics(metricsAccessOutside(t)))
	events := b.startUMKMWorkers(t)
	staf := b.login(t, b.depokStaf.Email)

	missing := uuid.Must(uuid.NewV7()).String()
	const kode = "KODERAHASIA42"
	for _, c := range []struct {
		path string
		want int
	}{
		{"/v1/tenants/depok/umkm", http.StatusOK},
		{"/v1/tenants/depok/umkm/" + missing, http.StatusNotFound},
		{"/v1/public/depok/registrasi/" + kode, http.StatusNotFound},
		{"/tidak-ada/" + nikSiti, http.StatusNotFound},
		{"/healthz", http.StatusOK},
	} {
		if r := b.do(t, http.MethodGet, c.path, staf, nil); r.status != c.want {
			t.Fatalf("GET %s: %d, want %d: %s", c.path, r.status, c.want, r.raw)
		}
	}
	req, err := http.NewRequest(http.MethodPost, b.ts.URL+"/v1/tenants/depok/umkm/impor?nama=pendataan.csv", strings.NewReader(importCSV))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+staf)
	if r := b.send(t, req); r.status != http.StatusAccepted {
		t.Fatalf("import: %d %s", r.status, r.raw)
	}
	awaitJob(t, events, "impor_umkm")

	fams, raw := b.scrape(t)
	requests := func(op, class string) float64 {
		t.Helper()
		return metricOf(t, fams, "sentra_http_requests_total", map[string]string{"operation": op, "status": class}).GetCounter().GetValue()
	}
	for _, c := range []struct {
		op, class string
		want      float64
	}{
		{"login", "2xx", 1},
		{"list-umkm", "2xx", 1},
		{"get-umkm", "4xx", 1},
		{"get-registrasi-status", "4xx", 1},
		{metrics.Unmatched, "4xx", 1},
		{"GET /healthz", "2xx", 1},
		{"import-umkm", "2xx", 1},
	} {
		if got := requests(c.op, c.class); got != c.want {
			t.Errorf("requests %s %s: %v, want %v", c.op, c.class, got, c.want)
		}
	}
	h := metricOf(t, fams, "sentra_http_request_duration_seconds", map[string]string{"operation": "list-umkm", "status": "2xx"}).GetHistogram()
	if h.GetSampleCount() != 1 || h.GetSampleSum() <= 0 || h.GetSampleSum() > 30 {
		t.Errorf("list-umkm latency: %d samples, %v s; want one, above 0", h.GetSampleCount(), h.GetSampleSum())
	}

	if v := metricOf(t, fams, "sentra_river_jobs", map[string]string{"kind": "impor_umkm", "state": "completed"}).GetGauge().GetValue(); v != 1 {
		t.Errorf("completed import jobs: %v, want 1", v)
	}
	if n := metricOf(t, fams, "sentra_river_queue_wait_seconds", map[string]string{"kind": "impor_umkm"}).GetHistogram().GetSampleCount(); n != 1 {
		t.Errorf("import queue waits: %d, want 1", n)
	}
	if v := metricOf(t, fams, "sentra_umkm_import_rows_total", map[string]string{}).GetCounter().GetValue(); v != 5 {
		t.Errorf("imported rows: %v, want 5", v)
	}
	pool := map[string]string{"pool": "api"}
	if v := metricOf(t, fams, "sentra_pgxpool_max_connections", pool).GetGauge().GetValue(); v != float64(b.env.DB.Pool.Config().MaxConns) {
		t.Errorf("pool max: %v, want %d", v, b.env.DB.Pool.Config().MaxConns)
	}
	if v := metricOf(t, fams, "sentra_pgxpool_acquires_total", pool).GetCounter().GetValue(); v < 1 {
		t.Errorf("pool acquires: %v, want some", v)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "sentra_pgxpool_total_connections",
		"sentra_pgxpool_idle_connections", "sentra_pgxpool_acquired_connections", "sentra_pgxpool_empty_acquires_total"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("no metric family %s", name)
		}
	}

	// Nothing a request carried is a label: not the path, the record's id,
	// the tracking code, the NIK, nor the tenant.
	for _, leak := range []string{missing, kode, nikSiti, "tidak-ada", "/v1/", "depok"} {
		if strings.Contains(raw, leak) {
			t.Errorf("the scrape holds %q", leak)
		}
	}
	operation := regexp.MustCompile(`^([a-z]+(-[a-z]+)*|(GET|POST) /[a-z/]*)$`)
	for _, name := range []string{"sentra_http_requests_total", "sentra_http_request_duration_seconds"} {
		for _, m := range fams[name].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "operation" && !operation.MatchString(l.GetValue()) {
					t.Errorf("%s: operation label %q is neither an operation id nor a route", name, l.GetValue())
				}
			}
		}
	}
}

// TestMetricsAccess: from an address outside the allowed ones, /metrics is
// a 404 like any missing path, whatever the request claims about itself;
// the token opens it.
func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	b := setup(t, withMetrics(metricsAccessOutside(t)))
	staf := b.login(t, b.depokStaf.Email)
	notFound := b.do(t, http.MethodGet, "/tidak-ada", "", nil)
	for _, c := range []struct {
		name    string
		token   string
		headers []string
	}{
		{"no token", "", nil},
		{"wrong token", metricsToken + "-salah", nil},
		{"a user's session token", staf, nil},
		{"claims to be inside", "", []string{"X-Forwarded-For", "10.1.2.3"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.do(t, http.MethodGet, "/metrics", c.token, nil, c.headers...)
			if r.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404: %.200s", r.status, r.raw)
			}
			if p := r.problem(t); p.Detail != notFound.problem(t).Detail || p.Title != notFound.problem(t).Title {
				t.Errorf("problem %+v, want the one of a missing path", p)
			}
			if bytes.Contains(r.raw, []byte("sentra_")) {
				t.Errorf("refused scrape carries metrics: %.200s", r.raw)
			}
		})
	}
	if r := b.do(t, http.MethodGet, "/metrics", metricsToken, nil); r.status != http.StatusOK || !bytes.Contains(r.raw, []byte("sentra_http_requests_total")) {
		t.Fatalf("with the token: %d %.200s", r.status, r.raw)
	}
}

// TestMetricsOnlyListener: a worker's own metrics listener serves /metrics
// to loopback by default and problem+json for anything else.
func TestMetricsOnlyListener(t *testing.T) {
	t.Parallel()
	allow, err := metrics.ParseAllow(metrics.DefaultAllow)
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	ts := httptest.NewServer(MetricsOnly(m, metrics.Access{Allow: allow}, slog.New(slog.DiscardHandler)))
	defer ts.Close()
	b := &testBundle{ts: ts, client: ts.Client()}
	if r := b.do(t, http.MethodGet, "/metrics", "", nil); r.status != http.StatusOK || !bytes.Contains(r.raw, []byte("go_goroutines")) {
		t.Fatalf("metrics from loopback: %d %.200s", r.status, r.raw)
	}
	r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm", "", nil)
	if r.status != http.StatusNotFound {
		t.Fatalf("an API path on the metrics listener: %d, want 404", r.status)
	}
	r.problem(t)
	if r := b.do(t, http.MethodPost, "/metrics", "", nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("POST /metrics: %d, want 405", r.status)
	}
}
