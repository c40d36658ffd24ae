package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/dasbor"
)

// DasborArgs refreshes one tenant's dashboard figures. Nobody in Go needs
// to queue it: every statement that changes a source table queues it from
// SQL (the triggers of migrations/010_dasbor.sql, debounced there to one
// waiting per tenant), so no write path can forget it.
type DasborArgs struct {
	TenantJob
}

func (DasborArgs) Kind() string { return dasbor.JobKind }

func (DasborArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: dasbor.Queue, MaxAttempts: 10}
}

// dasborBusyRetry is how long a refresh waits when another refresh of its
// tenant is running (a refresh of 150.000 businesses takes about 0,5 s).
const dasborBusyRetry = 300 * time.Millisecond

type dasborWorker struct {
	river.WorkerDefaults[DasborArgs]
	svc Services
}

func (w *dasborWorker) Work(ctx context.Context, job *river.Job[DasborArgs]) error {
	var took time.Duration
	err := inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		wait, err := dasbor.Paced(ctx, tx)
		if err != nil {
			return err
		}
		if wait > 0 {
			// Waiting as scheduled, the job still debounces the writes
			// that come meanwhile (migration 018).
			return river.JobSnooze(wait)
		}
		r, err := dasbor.Refresh(ctx, tx, job.Args.TenantID)
		if errors.Is(err, pgx.ErrNoRows) { // the tenant is gone
			return river.JobCancel(err)
		}
		if errors.Is(err, dasbor.ErrBusy) {
			// Another worker refreshes this tenant now; this job's change
			// may have committed after that one began, so it runs again
			// once that one is likely done, without holding a worker.
			return river.JobSnooze(dasborBusyRetry)
		}
		if err != nil {
			return err
		}
		w.svc.Logger.DebugContext(ctx, "dasbor refreshed", "duration_ms", r.Durasi.Milliseconds(), "rows_written", r.Baris)
		took = r.Durasi
		return nil
	})
	// The one dasbor worker rests as long as it worked, holding no
	// connection: the refreshes of all offices together take at most half
	// of one core, however many offices edit at once.
	if err == nil && took > 0 {
		select {
		case <-time.After(took):
		case <-ctx.Done():
		}
	}
	return err
}

// DasborSemuaArgs queues a refresh of every active tenant: the figures that
// depend on the date (RAT compliance, the current month of the growth
// series) move without any write, and it recovers from anything a trigger
// could not see.
type DasborSemuaArgs struct{}

func (DasborSemuaArgs) Kind() string { return "dasbor_semua" }

func (DasborSemuaArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// dasborInterval is how often every tenant is refreshed regardless of
// writes.
const dasborInterval = 6 * time.Hour

type dasborSemuaWorker struct {
	river.WorkerDefaults[DasborSemuaArgs]
	svc Services
}

func (w *dasborSemuaWorker) Work(ctx context.Context, job *river.Job[DasborSemuaArgs]) error {
	return w.svc.DB.InTx(ctx, func(tx pgx.Tx) error {
		// The same debounced queueing as the triggers: a tenant whose
		// refresh already waits gets no second one.
		if _, err := tx.Exec(ctx, "select dasbor_antri(id) from tenants where state <> 'archived'"); err != nil {
			return fmt.Errorf("queue dasbor refreshes: %w", err)
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}
