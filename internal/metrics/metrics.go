// Package metrics is Sentra's Prometheus instrumentation: HTTP requests by
// operation, River jobs, pgx pools and UMKM imports, on one registry per
// process. Not the global default registry, so nothing a library registers
// there on its own is exposed by accident.
//
// Label values come from code (operation ids, job kinds, pool names), never
// from a request: a path holds ids, a NIK or a tracking code, and every
// distinct label value is a series kept for as long as the process lives.
//
// A nil *Metrics records nothing, so callers that run without metrics (tests,
// one-off commands) need no branch.
package metrics

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric of Sentra's own.
const namespace = "sentra"

// Metrics are one process's metrics.
type Metrics struct {
	reg *prometheus.Registry
	httpMetrics
	riverMetrics
	importMetrics
}

// New makes the registry with the Go runtime and process collectors and
// Sentra's own request, job and import metrics. Pools and the job table are
// added with AddPool and WatchJobs, since not every process has them.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.httpMetrics = newHTTP(m.reg)
	m.riverMetrics = newRiver(m.reg)
	m.importMetrics = newImports(m.reg)
	return m
}

// Gatherer is the registry, for tests that read what a scrape would.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler answers a scrape in the Prometheus text format. A collector that
// fails (the job table did not answer in time) is logged and left out; the
// rest of the scrape is still served.
func (m *Metrics) Handler(logger *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg, // counts failed scrapes as promhttp_metric_handler_errors_total
	})
}
