package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// luarImportWorker imports an agency's participant list: all its rows in
// one transaction with the result.
type luarImportWorker struct {
	river.WorkerDefaults[luar.ImportArgs]
	svc Services
}

func (w *luarImportWorker) Timeout(*river.Job[luar.ImportArgs]) time.Duration {
	return pekerjaan.JobTimeout
}

func (w *luarImportWorker) Work(ctx context.Context, job *river.Job[luar.ImportArgs]) error {
	return runImport(ctx, w.svc, job, job.Args.Args, w.svc.Luar.RunImport)
}
