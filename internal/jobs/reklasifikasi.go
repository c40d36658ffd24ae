package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// reklasifikasiWorker runs a reclassification campaign. Batches commit as
// they go (koperasi.RunKampanye); the job completes in the transaction that
// closes the campaign, so it completes exactly when the summary is recorded.
// A retry, or the rescue of a job whose worker died, resumes after the last
// committed batch.
type reklasifikasiWorker struct {
	river.WorkerDefaults[koperasi.ReklasifikasiArgs]
	svc Services
	// batch overrides koperasi.ReklasBatch (tests make small batches).
	batch int
}

func (w *reklasifikasiWorker) Timeout(*river.Job[koperasi.ReklasifikasiArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *reklasifikasiWorker) Work(ctx context.Context, job *river.Job[koperasi.ReklasifikasiArgs]) error {
	t, ok := tenancy.TenantFrom(ctx)
	if !ok || t.ID != job.Args.TenantID {
		return river.JobCancel(fmt.Errorf("job %d: tenant missing from context", job.ID))
	}
	err := w.svc.Koperasi.RunKampanye(ctx, t, job.Args.KampanyeID, w.batch, func(ctx context.Context, tx pgx.Tx) error {
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if err == nil {
		return nil
	}
	if db.IsServerAway(err) { // as settle: resume once the database is back
		return river.JobSnooze(serverAwayRetry)
	}
	if apperr.KindOf(err) == apperr.KindNotFound {
		// The campaign is gone (another tenant's id, or a bad enqueue):
		// nothing to retry.
		return river.JobCancel(err)
	}
	if job.Attempt >= job.MaxAttempts {
		// Failed for good: close the campaign so the office can start
		// another, and say so on its pekerjaan.
		if ferr := w.svc.Koperasi.FailKampanye(ctx, t, job.Args.KampanyeID); ferr != nil {
			w.svc.Logger.ErrorContext(ctx, "close failed kampanye", "error", ferr)
		}
		if id, ferr := w.svc.Koperasi.KampanyePekerjaan(ctx, t, job.Args.KampanyeID); ferr == nil && id != nil {
			return w.svc.settle(ctx, job.Attempt, job.MaxAttempts, t.ID, *id, err)
		}
	}
	w.svc.Logger.ErrorContext(ctx, "job attempt failed", "attempt", job.Attempt, "error", err)
	return err
}

// laporanReklasifikasiWorker writes a campaign's XLSX report.
type laporanReklasifikasiWorker struct {
	river.WorkerDefaults[koperasi.LaporanArgs]
	svc Services
}

func (w *laporanReklasifikasiWorker) Timeout(*river.Job[koperasi.LaporanArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *laporanReklasifikasiWorker) Work(ctx context.Context, job *river.Job[koperasi.LaporanArgs]) error {
	t := &tenancy.Tenant{ID: job.Args.TenantID}
	err := inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		if err := pekerjaan.Progress(ctx, w.svc.DB, t.ID, job.Args.PekerjaanID, pekerjaan.Berjalan, 0, nil); err != nil {
			return err
		}
		return w.svc.Koperasi.RunLaporan(ctx, tx, t, job.Args.PekerjaanID)
	})
	return w.svc.settle(ctx, job.Attempt, job.MaxAttempts, job.Args.TenantID, job.Args.PekerjaanID, err)
}
