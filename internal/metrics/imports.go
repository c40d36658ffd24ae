package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// importMetrics follow UMKM imports. No tenant label: throughput is a
// property of the server, and a tenant's imports are in its pekerjaan list.
type importMetrics struct {
	rows     prometheus.Counter
	duration prometheus.Histogram
	rate     prometheus.Histogram
}

func newImports(reg prometheus.Registerer) importMetrics {
	im := importMetrics{
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "umkm_import", Name: "rows_total",
			Help: "Rows of UMKM import files settled (written, or judged in a dry run), counted as each chunk commits; rate() is rows per second.",
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "umkm_import", Name: "duration_seconds",
			Help:    "Time of the run that finished a UMKM import.",
			Buckets: []float64{.1, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800},
		}),
		rate: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "umkm_import", Name: "rows_per_second",
			Help:    "Rows per second of the run that finished a UMKM import.",
			Buckets: prometheus.ExponentialBuckets(50, 2, 12), // 50 to about 100 000
		}),
	}
	reg.MustRegister(im.rows, im.duration, im.rate)
	return im
}

// ImportRows counts n rows of an import settled.
func (m *Metrics) ImportRows(n int) {
	if m == nil {
		return
	}
	m.importMetrics.rows.Add(float64(n))
}

// ImportFinished records an import's run that produced its result: rows
// settled by this run (a resumed run skips what an earlier one committed)
// and how long it took.
func (m *Metrics) ImportFinished(rows int, took time.Duration) {
	if m == nil {
		return
	}
	m.importMetrics.duration.Observe(took.Seconds())
	// A run that only recorded what an earlier one wrote says nothing
	// about throughput.
	if rows > 0 && took > 0 {
		m.importMetrics.rate.Observe(float64(rows) / took.Seconds())
	}
}
