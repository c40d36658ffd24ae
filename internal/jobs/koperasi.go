package jobs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// koperasiExportWorker writes a cooperative export in its tenant's
// transaction, completing the job there.
type koperasiExportWorker struct {
	river.WorkerDefaults[koperasi.ExportArgs]
	svc Services
}

func (w *koperasiExportWorker) Timeout(*river.Job[koperasi.ExportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *koperasiExportWorker) Work(ctx context.Context, job *river.Job[koperasi.ExportArgs]) error {
	err := inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		return w.svc.Koperasi.RunExport(ctx, tx, job.Args.TenantID, job.Args.PekerjaanID)
	})
	return w.svc.settle(ctx, job.JobRow.Attempt, job.JobRow.MaxAttempts, job.Args.TenantID, job.Args.PekerjaanID, err)
}
