// Package bench measures Sentra on real PostgreSQL and prints one JSON object
// per line ({"metric": ..., "value": ...}). Numbers, not pass/fail: the
// README records what this machine printed.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pgembed"
	"github.com/sentra-id/sentra/migrations"
)

// Env is a fresh migrated database for a benchmark run.
type Env struct {
	App      *db.DB
	AppURL   string
	AdminURL string // superuser: the baselines that bypass RLS
	Logger   *slog.Logger
	Out      io.Writer
	stop     func()
	keep     bool // leave an attached server's database for inspection
	// The private cluster, for the fault benchmarks (nil when attached).
	cluster *pgembed.Cluster
	dir     string
	pgSpent float64 // CPU seconds of servers before a restart
}

// RestartPostgres stops the private cluster (fast shutdown: open
// transactions roll back, sessions are cut), keeps it down for down, and
// starts it again on the same data and port. It returns when the server
// accepts connections, and when it went down.
func (e *Env) RestartPostgres(ctx context.Context, down time.Duration) (stoppedAt, upAt time.Time, err error) {
	if e.cluster == nil {
		return time.Time{}, time.Time{}, errors.New("the server is not private to the run: not restarting it")
	}
	if cpu := e.PostgresCPU(ctx); cpu >= 0 {
		e.pgSpent = cpu
	}
	stoppedAt = time.Now()
	if err := e.cluster.Stop(); err != nil {
		return stoppedAt, time.Time{}, err
	}
	time.Sleep(down)
	c, err := pgembed.Start(ctx, pgembed.Options{Dir: e.dir, Logger: e.Logger})
	if err != nil {
		return stoppedAt, time.Time{}, err
	}
	e.cluster = c
	return stoppedAt, time.Now(), nil
}

// Setup starts a private cluster under dir (or attaches to adminURL) and
// creates and migrates a database for the run.
func Setup(ctx context.Context, dir, adminURL string, out io.Writer, logger *slog.Logger) (*Env, error) {
	var (
		c   *pgembed.Cluster
		err error
	)
	e := &Env{Logger: logger, Out: out}
	name := fmt.Sprintf("sentra_bench_%d", os.Getpid())
	stop := func() {}
	if adminURL != "" {
		// The server outlives the run: its database goes with the run.
		c, err = pgembed.Attach(ctx, adminURL)
		stop = func() {
			if e.keep {
				logger.Info("database kept", "name", name)
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = c.DropDatabase(ctx, name)
		}
	} else {
		if dir, err = os.MkdirTemp(dir, "sentra-bench-"); err != nil {
			return nil, err
		}
		c, err = pgembed.Start(ctx, pgembed.Options{Dir: dir, Logger: logger})
		e.cluster, e.dir = c, dir
		stop = func() { _ = e.cluster.Stop(); _ = os.RemoveAll(dir) } // the cluster a restart started
	}
	if err != nil {
		return nil, err
	}
	if err := c.CreateDatabase(ctx, name, "", migrations.SuperuserSQL); err != nil {
		stop()
		return nil, err
	}
	if err := db.Migrate(ctx, c.OwnerURL(name), slog.New(slog.DiscardHandler)); err != nil {
		stop()
		return nil, err
	}
	appURL, err := url.Parse(c.AppURL(name))
	if err != nil {
		stop()
		return nil, err
	}
	q := appURL.Query()
	q.Set("pool_max_conns", "16")
	appURL.RawQuery = q.Encode()
	app, err := db.Open(ctx, appURL.String(), db.Options{SideConns: 2})
	if err != nil {
		stop()
		return nil, err
	}
	e.App, e.AppURL, e.AdminURL = app, c.AppURL(name), c.SuperuserURL(name)
	e.stop = func() { app.Close(); stop() }
	return e, nil
}

// KeepDatabase leaves the run's database on an attached server when the
// run ends, to be inspected (EXPLAIN on a filled register); drop it by
// hand. A private cluster goes with the run whatever this says.
func (e *Env) KeepDatabase() error {
	if e.cluster != nil {
		return errors.New("the database can be kept only on an attached server (DATABASE_URL)")
	}
	e.keep = true
	return nil
}

// Close stops what Setup started.
func (e *Env) Close() { e.stop() }

// Metric prints one result line.
func (e *Env) Metric(name string, value float64) {
	b, _ := json.Marshal(struct {
		Metric string  `json:"metric"`
		Value  float64 `json:"value"`
	}{name, math.Round(value*1000) / 1000})
	fmt.Fprintln(e.Out, string(b))
}

// Latencies collects durations from concurrent workers.
type Latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *Latencies) Add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// Quantile returns the q-quantile in milliseconds.
func (l *Latencies) Quantile(q float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return float64(s[max(i, 0)].Microseconds()) / 1000
}

// Run calls fn from `workers` goroutines for d (or until n calls in all when
// n > 0), recording each call's latency. It returns calls per second.
func Run(ctx context.Context, workers int, d time.Duration, n int64, lat *Latencies, fn func(ctx context.Context, i int64) error) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		next  atomic.Int64
		done  atomic.Int64
		first error
		once  sync.Once
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if n > 0 && i >= n {
					return
				}
				t0 := time.Now()
				if err := fn(ctx, i); err != nil {
					if ctx.Err() != nil {
						return
					}
					once.Do(func() { first = err; cancel() })
					return
				}
				lat.Add(time.Since(t0))
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), first
}
