package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// AddPool exposes pool's statistics with the label pool=name ("api",
// "worker", ...); each pool of the process is added once under its own name.
func (m *Metrics) AddPool(name string, pool *pgxpool.Pool) error {
	return m.reg.Register(newPoolCollector(name, pool))
}

// poolCollector reads pgxpool.Stat at scrape time: the pool keeps the
// counts, so nothing is recorded per acquire.
type poolCollector struct {
	pool *pgxpool.Pool

	acquires, acquireSeconds, emptyAcquires, emptyWaitSeconds, canceledAcquires,
	newConns, lifetimeDestroys, idleDestroys,
	acquired, idle, constructing, total, maxConns *prometheus.Desc
}

func newPoolCollector(name string, pool *pgxpool.Pool) *poolCollector {
	desc := func(metric, help string) *prometheus.Desc {
		return prometheus.NewDesc(namespace+"_pgxpool_"+metric, help, nil, prometheus.Labels{"pool": name})
	}
	return &poolCollector{
		pool:             pool,
		acquires:         desc("acquires_total", "Connections acquired from the pool."),
		acquireSeconds:   desc("acquire_duration_seconds_total", "Time spent acquiring connections, waits included."),
		emptyAcquires:    desc("empty_acquires_total", "Acquires that waited because no connection was idle."),
		emptyWaitSeconds: desc("empty_acquire_wait_seconds_total", "Time acquires waited for a connection when none was idle."),
		canceledAcquires: desc("canceled_acquires_total", "Acquires given up because their context ended."),
		newConns:         desc("new_connections_total", "Connections the pool opened."),
		lifetimeDestroys: desc("max_lifetime_destroys_total", "Connections closed for reaching their maximum lifetime."),
		idleDestroys:     desc("max_idle_destroys_total", "Connections closed for idling too long."),
		acquired:         desc("acquired_connections", "Connections in use."),
		idle:             desc("idle_connections", "Connections open and idle."),
		constructing:     desc("constructing_connections", "Connections being opened."),
		total:            desc("total_connections", "Connections open or being opened."),
		maxConns:         desc("max_connections", "The pool's maximum size."),
	}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.acquires, c.acquireSeconds, c.emptyAcquires, c.emptyWaitSeconds, c.canceledAcquires,
		c.newConns, c.lifetimeDestroys, c.idleDestroys, c.acquired, c.idle, c.constructing, c.total, c.maxConns} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter(c.acquires, float64(s.AcquireCount()))
	counter(c.acquireSeconds, s.AcquireDuration().Seconds())
	counter(c.emptyAcquires, float64(s.EmptyAcquireCount()))
	counter(c.emptyWaitSeconds, s.EmptyAcquireWaitTime().Seconds())
	counter(c.canceledAcquires, float64(s.CanceledAcquireCount()))
	counter(c.newConns, float64(s.NewConnsCount()))
	counter(c.lifetimeDestroys, float64(s.MaxLifetimeDestroyCount()))
	counter(c.idleDestroys, float64(s.MaxIdleDestroyCount()))
	gauge(c.acquired, float64(s.AcquiredConns()))
	gauge(c.idle, float64(s.IdleConns()))
	gauge(c.constructing, float64(s.ConstructingConns()))
	gauge(c.total, float64(s.TotalConns()))
	gauge(c.maxConns, float64(s.MaxConns()))
}
