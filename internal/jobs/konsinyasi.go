package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
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
	return eachOffice(ctx, w.svc, job, "the overdue reports", func(id uuid.UUID) river.JobArgs {
		return KonsinyasiKantorArgs{TenantJob: TenantJob{TenantID: id}}
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
		t, err := officeOf(ctx, tx, job.Args.TenantID)
		if err != nil {
			return err
		}
		_, _, err = w.svc.Konsinyasi.TandaiTerlambatTx(ctx, tx, t, w.svc.Konsinyasi.Now())
		return err
	})
}
