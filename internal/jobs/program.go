package jobs

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// The programmes' exports: each writes its file in its tenant's
// transaction and completes its job there, as the register's.

type programExportWorker struct {
	river.WorkerDefaults[program.ExportArgs]
	svc Services
}

func (w *programExportWorker) Timeout(*river.Job[program.ExportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *programExportWorker) Work(ctx context.Context, job *river.Job[program.ExportArgs]) error {
	return runExport(ctx, w.svc, job, job.Args.Args, w.svc.Program.RunExport)
}

type pesertaExportWorker struct {
	river.WorkerDefaults[program.PesertaExportArgs]
	svc Services
}

func (w *pesertaExportWorker) Timeout(*river.Job[program.PesertaExportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *pesertaExportWorker) Work(ctx context.Context, job *river.Job[program.PesertaExportArgs]) error {
	return runExport(ctx, w.svc, job, job.Args.Args, w.svc.Program.RunPesertaExport)
}

type belumExportWorker struct {
	river.WorkerDefaults[tumpang.ExportArgs]
	svc Services
}

func (w *belumExportWorker) Timeout(*river.Job[tumpang.ExportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *belumExportWorker) Work(ctx context.Context, job *river.Job[tumpang.ExportArgs]) error {
	return runExport(ctx, w.svc, job, job.Args.Args, w.svc.Tumpang.RunExport)
}

// runExport runs an export that writes its file in one tenant transaction.
func runExport[T TenantArgs](ctx context.Context, svc Services, job *river.Job[T], args pekerjaan.Args,
	run func(context.Context, pgx.Tx, uuid.UUID, uuid.UUID) error) error {
	err := inTenantTx(ctx, svc.DB, job, func(tx pgx.Tx) error { return run(ctx, tx, args.TenantID, args.PekerjaanID) })
	return svc.settle(ctx, job.JobRow.Attempt, job.JobRow.MaxAttempts, args.TenantID, args.PekerjaanID, err)
}
