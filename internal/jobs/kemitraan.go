package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// KemitraanArgs is the hourly clock of partnerships: it queues one job per
// office, which stores that office's reminders as of its own day (an
// office in WITA or WIT changes day an hour or two before Jakarta; hourly,
// each sees its new day's reminders within the hour).
type KemitraanArgs struct{}

func (KemitraanArgs) Kind() string { return "kemitraan_jam" }

func (KemitraanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 30 * time.Minute}}
}

type kemitraanWorker struct {
	river.WorkerDefaults[KemitraanArgs]
	svc Services
}

func (w *kemitraanWorker) Work(ctx context.Context, job *river.Job[KemitraanArgs]) error {
	return eachOffice(ctx, w.svc, job, "the partnership reminders", func(id uuid.UUID) river.JobArgs {
		return KemitraanKantorArgs{TenantJob: TenantJob{TenantID: id}}
	})
}

// KemitraanKantorArgs stores one office's partnership reminders.
type KemitraanKantorArgs struct {
	TenantJob
}

func (KemitraanKantorArgs) Kind() string { return "kemitraan_jam_kantor" }

func (KemitraanKantorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 30 * time.Minute}}
}

type kemitraanKantorWorker struct {
	river.WorkerDefaults[KemitraanKantorArgs]
	svc Services
}

func (w *kemitraanKantorWorker) Work(ctx context.Context, job *river.Job[KemitraanKantorArgs]) error {
	if w.svc.Kemitraan == nil {
		return river.JobCancel(fmt.Errorf("job %d: no partnership service in this process", job.ID))
	}
	now := time.Now
	if w.svc.Kemitraan.Now != nil {
		now = w.svc.Kemitraan.Now
	}
	return inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		t, err := officeOf(ctx, tx, job.Args.TenantID)
		if err != nil {
			return err
		}
		_, err = w.svc.Kemitraan.IngatkanTx(ctx, tx, t, now())
		return err
	})
}
