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
	return w.svc.DB.InTx(ctx, func(tx pgx.Tx) error {
		ids, err := liveTenants(ctx, tx)
		if err != nil {
			return err
		}
		var params []river.InsertManyParams
		for _, id := range ids {
			params = append(params, river.InsertManyParams{Args: KemitraanKantorArgs{TenantJob: TenantJob{TenantID: id}}})
		}
		if len(params) > 0 {
			if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("enqueue the partnership reminders of each office: %w", err)
			}
		}
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
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
		t := &tenancy.Tenant{ID: job.Args.TenantID}
		// A platform table: the office's slug and time zone.
		if err := tx.QueryRow(ctx, "select slug, timezone from tenants where id = $1", t.ID).Scan(&t.Slug, &t.TimeZone); err != nil {
			return fmt.Errorf("tenant %s: %w", t.ID, err)
		}
		_, err := w.svc.Kemitraan.IngatkanTx(ctx, tx, t, now())
		return err
	})
}
