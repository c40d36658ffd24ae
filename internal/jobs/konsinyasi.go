package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// KonsinyasiArgs is the hourly look for overdue consignment sales reports:
// one KonsinyasiKantorArgs per office, each deciding on its own calendar
// (a period ends at midnight of the office's time zone, WIB, WITA or WIT).
type KonsinyasiArgs struct{}

func (KonsinyasiArgs) Kind() string { return "konsinyasi_terlambat" }

func (KonsinyasiArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 30 * time.Minute}}
}

type konsinyasiWorker struct {
	river.WorkerDefaults[KonsinyasiArgs]
	svc Services
}

func (w *konsinyasiWorker) Work(ctx context.Context, job *river.Job[KonsinyasiArgs]) error {
	return w.svc.DB.InTx(ctx, func(tx pgx.Tx) error {
		ids, err := liveTenants(ctx, tx)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			params := make([]river.InsertManyParams, len(ids))
			for i, id := range ids {
				params[i] = river.InsertManyParams{Args: KonsinyasiKantorArgs{TenantJob: TenantJob{TenantID: id}}}
			}
			if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("enqueue each office's overdue reports: %w", err)
			}
		}
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// KonsinyasiKantorArgs raises (and closes) one office's overdue-report
// alerts; the alerts are keyed by point and period, so a rerun adds none.
type KonsinyasiKantorArgs struct {
	TenantJob
}

func (KonsinyasiKantorArgs) Kind() string { return "konsinyasi_terlambat_kantor" }

func (KonsinyasiKantorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 30 * time.Minute}}
}

type konsinyasiKantorWorker struct {
	river.WorkerDefaults[KonsinyasiKantorArgs]
	svc Services
}

func (w *konsinyasiKantorWorker) Work(ctx context.Context, job *river.Job[KonsinyasiKantorArgs]) error {
	if w.svc.Konsinyasi == nil {
		return river.JobCancel(fmt.Errorf("job %d: no consignment service", job.ID))
	}
	return inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		t := &tenancy.Tenant{ID: job.Args.TenantID}
		if err := tx.QueryRow(ctx, "select slug, timezone from tenants where id = $1", t.ID).Scan(&t.Slug, &t.TimeZone); err != nil {
			return fmt.Errorf("office of job %d: %w", job.ID, err)
		}
		_, _, err := w.svc.Konsinyasi.TandaiTerlambatTx(ctx, tx, t, w.svc.Konsinyasi.Now())
		return err
	})
}
