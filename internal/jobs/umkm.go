package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

type importWorker struct {
	river.WorkerDefaults[umkm.ImportArgs]
	svc Services
}

func (w *importWorker) Timeout(*river.Job[umkm.ImportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *importWorker) Work(ctx context.Context, job *river.Job[umkm.ImportArgs]) error {
	// Chunks commit on their own (resumable).
	return runImport(ctx, w.svc, job, job.Args.Args, w.svc.UMKM.RunImport)
}

// runImport runs an import of the tenant in ctx; the job completes in the
// transaction that records the import's result.
func runImport[T river.JobArgs](ctx context.Context, svc Services, job *river.Job[T], args pekerjaan.Args,
	run func(context.Context, *tenancy.Tenant, uuid.UUID, func(context.Context, pgx.Tx) error) error) error {
	t, ok := tenancy.TenantFrom(ctx)
	if !ok || t.ID != args.TenantID {
		return river.JobCancel(fmt.Errorf("job %d: tenant missing from context", job.ID))
	}
	err := run(ctx, t, args.PekerjaanID, func(ctx context.Context, tx pgx.Tx) error {
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	return svc.settle(ctx, job.JobRow.Attempt, job.JobRow.MaxAttempts, args.TenantID, args.PekerjaanID, err)
}

type exportWorker struct {
	river.WorkerDefaults[umkm.ExportArgs]
	svc Services
}

func (w *exportWorker) Timeout(*river.Job[umkm.ExportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *exportWorker) Work(ctx context.Context, job *river.Job[umkm.ExportArgs]) error {
	t := &tenancy.Tenant{ID: job.Args.TenantID}
	err := inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		return w.svc.UMKM.RunExport(ctx, tx, t, job.Args.PekerjaanID)
	})
	return w.svc.settle(ctx, job.JobRow.Attempt, job.JobRow.MaxAttempts, job.Args.TenantID, job.Args.PekerjaanID, err)
}

// serverAwayRetry is the wait before work cut by a database restart tries
// again: a restart takes seconds.
const serverAwayRetry = 3 * time.Second

// settle decides what a failed attempt means for the pekerjaan staff see: bad
// input will not get better on retry, so it fails at once with the reason;
// anything else is retried by River and recorded as failed on the last
// attempt (its cause goes to the log only).
func (s Services) settle(ctx context.Context, attempt, maxAttempts int, tenantID, id uuid.UUID, err error) error {
	if err == nil {
		return nil
	}
	if db.IsServerAway(err) {
		// PostgreSQL restarted or dropped the connection: the work resumes
		// after its last committed step once it is back, without spending
		// an attempt or waiting out River's growing backoff.
		s.Logger.WarnContext(ctx, "job attempt interrupted: database away", "attempt", attempt, "error", err)
		return river.JobSnooze(serverAwayRetry)
	}
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		reason := map[string]any{"pesan": ae.Message.ID}
		var fields []map[string]any
		for _, f := range ae.Fields {
			fields = append(fields, map[string]any{"lokasi": f.Location, "pesan": f.Message.ID})
		}
		reason["masalah"] = fields
		if ferr := pekerjaan.Fail(ctx, s.DB, tenantID, id, reason); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	s.Logger.ErrorContext(ctx, "job attempt failed", "attempt", attempt, "error", err)
	if attempt >= maxAttempts {
		if ferr := pekerjaan.Fail(ctx, s.DB, tenantID, id, map[string]any{
			"pesan": "Terjadi kesalahan di server. Kesalahan sudah dicatat; coba ulangi."}); ferr != nil {
			return ferr
		}
	}
	return err
}
