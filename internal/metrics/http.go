package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Unmatched is the operation of a request no route took. Its path is not a
// label: anyone can send any path.
const Unmatched = "unmatched"

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTP(reg prometheus.Registerer) httpMetrics {
	labels := []string{"operation", "status"}
	h := httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by operation id (or route pattern) and status class.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help: "Time to answer an HTTP request, by operation id (or route pattern) and status class.",
			// Up to a minute: exports stream and uploads are read in the request.
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, labels),
	}
	reg.MustRegister(h.requests, h.duration)
	return h
}

// Request records one answered request. operation is an operation id or a
// route pattern (both come from code), or Unmatched.
func (m *Metrics) Request(operation string, status int, took time.Duration) {
	if m == nil {
		return
	}
	class := statusClass(status)
	m.httpMetrics.requests.WithLabelValues(operation, class).Inc()
	m.httpMetrics.duration.WithLabelValues(operation, class).Observe(took.Seconds())
}

// statusClass is 2xx, 3xx, 4xx or 5xx: classes, not codes, keep the series
// few, and a code outside them (a handler bug) is counted as a 5xx.
func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "5xx"
	}
	return strconv.Itoa(status/100) + "xx"
}
