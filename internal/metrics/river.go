package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river/rivertype"
)

type riverMetrics struct {
	queueWait *prometheus.HistogramVec
}

func newRiver(reg prometheus.Registerer) riverMetrics {
	r := riverMetrics{
		queueWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "river", Name: "queue_wait_seconds",
			Help: "Time from a job's scheduled_at to the start of its attempt, by kind: how long work waited for a worker.",
			// Staff wait on imports and dashboards in seconds; a backlog
			// shows up in minutes to an hour.
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600},
		}, []string{"kind"}),
	}
	reg.MustRegister(r.queueWait)
	return r
}

// RiverMiddleware measures each attempt's wait in the queue. Add it to the
// River client's middleware; a nil *Metrics gives a middleware that only
// passes the job on.
func (m *Metrics) RiverMiddleware() rivertype.Middleware { return queueWait{m} }

type queueWait struct{ m *Metrics }

func (queueWait) IsMiddleware() bool { return true }

func (q queueWait) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	if q.m != nil && job.AttemptedAt != nil {
		// Never negative: scheduled_at and attempted_at may come from two
		// clocks (a client's and the database's).
		wait := max(job.AttemptedAt.Sub(job.ScheduledAt), 0)
		q.m.riverMetrics.queueWait.WithLabelValues(job.Kind).Observe(wait.Seconds())
	}
	return doInner(ctx)
}

// jobsQueryTimeout bounds the job table's count at scrape time, well under
// Prometheus's default scrape timeout (10 s), so a slow database costs the
// scrape this one family, not all of it.
const jobsQueryTimeout = 3 * time.Second

// WatchJobs counts River's jobs by kind and state at every scrape, from
// schema's river_job table. The count is of the whole database, so every
// process reports the same figure: aggregate with max, not sum.
func (m *Metrics) WatchJobs(pool *pgxpool.Pool, schema string) error {
	return m.reg.Register(&jobsCollector{pool: pool, table: pgx.Identifier{schema, "river_job"}.Sanitize(),
		desc: prometheus.NewDesc(namespace+"_river_jobs", "River jobs in the job table, by kind and state.",
			[]string{"kind", "state"}, nil)})
}

type jobsCollector struct {
	pool  *pgxpool.Pool
	table string
	desc  *prometheus.Desc
}

func (c *jobsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobsCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := c.count()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	// Every state of a kind seen, zeros included, so that a state emptied
	// since the last scrape reads 0 instead of vanishing.
	for kind, byState := range counts {
		for _, state := range rivertype.JobStates() {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(byState[state]), kind, string(state))
		}
	}
}

func (c *jobsCollector) count() (map[string]map[rivertype.JobState]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), jobsQueryTimeout)
	defer cancel()
	rows, err := c.pool.Query(ctx, "select kind, state::text, count(*) from "+c.table+" group by kind, state")
	if err != nil {
		return nil, fmt.Errorf("count river jobs: %w", err)
	}
	counts := map[string]map[rivertype.JobState]int64{}
	var (
		kind, state string
		n           int64
	)
	_, err = pgx.ForEachRow(rows, []any{&kind, &state, &n}, func() error {
		if counts[kind] == nil {
			counts[kind] = map[rivertype.JobState]int64{}
		}
		counts[kind][rivertype.JobState(state)] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count river jobs: %w", err)
	}
	return counts, nil
}
