package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/metrics"
)

// processMetrics are a process's metrics and, with --metrics-addr, the
// listener of their own that serves them.
type processMetrics struct {
	*metrics.Metrics
	access metrics.Access
	own    *http.Server // nil: on the API's listener, or none for a worker
}

// startMetrics builds the metrics of a process (its pools named after
// what they serve: api, worker, and their side pools) and serves them on --metrics-addr if set.
func (r runtime) startMetrics() (*processMetrics, error) {
	access, err := r.server.metricsAccess()
	if err != nil {
		return nil, err
	}
	pm := &processMetrics{Metrics: metrics.New(), access: access}
	pools := map[string]*db.DB{}
	if r.listener != nil {
		pools["api"] = r.api
	}
	if r.work != r.api || r.listener == nil {
		pools["worker"] = r.work
	}
	for name, d := range pools {
		if err := pm.AddPool(name, d.Pool); err != nil {
			return nil, err
		}
		if side := d.Side(); side != d {
			if err := pm.AddPool(name+"_side", side.Pool); err != nil {
				return nil, err
			}
		}
	}
	if err := pm.WatchJobs(r.work.Pool, db.RiverSchema); err != nil {
		return nil, err
	}
	if r.server.metricsAddr == "" {
		return pm, nil
	}
	ln, err := net.Listen("tcp", r.server.metricsAddr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	pm.own = &http.Server{
		Handler:           httpapi.MetricsOnly(pm.Metrics, access, r.logger),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(r.logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := pm.own.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			r.logger.Error("metrics server", "error", err)
		}
	}()
	r.logger.Info("serving metrics", "addr", ln.Addr().String())
	return pm, nil
}

// onAPI is the access rule of /metrics on the API's listener; nil when the
// metrics have their own.
func (pm *processMetrics) onAPI() *metrics.Access {
	if pm.own != nil {
		return nil
	}
	return &pm.access
}

// stop closes the metrics' own listener, if any.
func (pm *processMetrics) stop(ctx context.Context) error {
	if pm.own == nil {
		return nil
	}
	return pm.own.Shutdown(ctx)
}

// close drops the metrics' own listener at once (after stop, a no-op).
func (pm *processMetrics) close() {
	if pm.own != nil {
		_ = pm.own.Close()
	}
}
