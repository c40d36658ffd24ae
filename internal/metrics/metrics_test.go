package metrics_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	dto "github.com/prometheus/client_model/go"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/metrics"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// families gathers m as a scrape would, by family name.
func families(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

// sample is the one metric of family name whose labels include labels.
func sample(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) *dto.Metric {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("no family %s", name)
	}
	var found []*dto.Metric
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		match := true
		for i := 0; i+1 < len(labels); i += 2 {
			match = match && have[labels[i]] == labels[i+1]
		}
		if match {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s%q: %d samples, want 1", name, labels, len(found))
	}
	return found[0]
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	}
	return -1
}

type probeArgs struct{}

func (probeArgs) Kind() string { return "uji_metrik" }

type probeWorker struct {
	river.WorkerDefaults[probeArgs]
}

func (probeWorker) Work(context.Context, *river.Job[probeArgs]) error { return nil }

// TestRiverQueueWaitAndJobCounts: a job scheduled two seconds ago waited at
// least that long when a worker took it, and the job table's count follows
// it from scheduled to completed, other states reading 0.
func TestRiverQueueWaitAndJobCounts(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	m := metrics.New()
	if err := m.WatchJobs(env.DB.Pool, db.RiverSchema); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, probeWorker{})
	client, err := river.NewClient(riverpgxv5.New(env.DB.Pool), &river.Config{
		Schema: db.RiverSchema, Logger: slog.New(slog.DiscardHandler), Workers: workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
		ReindexerSchedule: river.NeverSchedule(),
		Middleware:        []rivertype.Middleware{m.RiverMiddleware()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Insert(ctx, probeArgs{}, &river.InsertOpts{ScheduledAt: time.Now().Add(-2 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Insert(ctx, probeArgs{}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	fams := families(t, m)
	// Both scheduled: River's scheduler makes the past one available.
	if v := value(sample(t, fams, "sentra_river_jobs", "kind", "uji_metrik", "state", "scheduled")); v != 2 {
		t.Errorf("scheduled before the workers start: %v, want 2", v)
	}

	events, cancel := client.Subscribe(river.EventKindJobCompleted)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := client.Stop(stopCtx); err != nil {
			t.Errorf("stop river: %v", err)
		}
	}()
	select {
	case <-events:
	case <-time.After(30 * time.Second):
		t.Fatal("job not completed within 30 s")
	}

	fams = families(t, m)
	h := sample(t, fams, "sentra_river_queue_wait_seconds", "kind", "uji_metrik").GetHistogram()
	if h.GetSampleCount() != 1 || h.GetSampleSum() < 2 || h.GetSampleSum() > 60 {
		t.Errorf("queue wait: %d samples summing %.3f s, want 1 of at least 2 s", h.GetSampleCount(), h.GetSampleSum())
	}
	for state, want := range map[string]float64{"completed": 1, "scheduled": 1, "available": 0, "running": 0, "discarded": 0} {
		if v := value(sample(t, fams, "sentra_river_jobs", "kind", "uji_metrik", "state", state)); v != want {
			t.Errorf("%s jobs: %v, want %v", state, v, want)
		}
	}
}

// TestPoolStatistics: the pool's figures as pgxpool counts them, under the
// pool's name, one series per pool.
func TestPoolStatistics(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(env.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 3
	side, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer side.Close()
	m := metrics.New()
	if err := m.AddPool("api", env.DB.Pool); err != nil {
		t.Fatal(err)
	}
	if err := m.AddPool("side", side); err != nil {
		t.Fatal(err)
	}
	if err := m.AddPool("side", side); err == nil {
		t.Error("the same pool name registered twice")
	}
	conn, err := side.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()

	fams := families(t, m)
	if v := value(sample(t, fams, "sentra_pgxpool_max_connections", "pool", "side")); v != 3 {
		t.Errorf("side max connections %v, want 3", v)
	}
	if v := value(sample(t, fams, "sentra_pgxpool_max_connections", "pool", "api")); v != float64(env.DB.Pool.Config().MaxConns) {
		t.Errorf("api max connections %v, want %d", v, env.DB.Pool.Config().MaxConns)
	}
	if v := value(sample(t, fams, "sentra_pgxpool_acquired_connections", "pool", "side")); v != 1 {
		t.Errorf("side connections in use %v, want 1 (held by the test)", v)
	}
	if v := value(sample(t, fams, "sentra_pgxpool_acquires_total", "pool", "side")); v != 1 {
		t.Errorf("side acquires %v, want 1", v)
	}
	// The first acquire of an empty pool waited for a connection to open.
	if v := value(sample(t, fams, "sentra_pgxpool_empty_acquires_total", "pool", "side")); v != 1 {
		t.Errorf("side empty acquires %v, want 1", v)
	}
	if v := value(sample(t, fams, "sentra_pgxpool_acquire_duration_seconds_total", "pool", "side")); v <= 0 {
		t.Errorf("side acquire time %v, want more than 0", v)
	}
	for _, f := range []string{"go_goroutines", "process_open_fds"} {
		if _, ok := fams[f]; !ok {
			t.Errorf("no %s: the Go and process collectors are missing", f)
		}
	}
}

// TestScrapeSurvivesAFailingJobCount: the job table not answering costs the
// scrape that family only.
func TestScrapeSurvivesAFailingJobCount(t *testing.T) {
	env := dbtest.New(t)
	closed, err := pgxpool.New(context.Background(), env.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	m := metrics.New()
	if err := m.WatchJobs(closed, db.RiverSchema); err != nil {
		t.Fatal(err)
	}
	m.Request("list-umkm", 200, time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler(slog.New(slog.DiscardHandler)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape status %d, want 200: %s", rec.Code, body)
	}
	if !strings.Contains(string(body), `sentra_http_requests_total{operation="list-umkm",status="2xx"} 1`) {
		t.Errorf("request counter missing from the scrape:\n%s", body)
	}
	if strings.Contains(string(body), "sentra_river_jobs{") {
		t.Errorf("job counts from a closed pool:\n%s", body)
	}
}
