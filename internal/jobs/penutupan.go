package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/penghapusan"
)

// Closing an office (BILLING.md "Offboarding"): its export bundle, made
// when offboarding starts, and its purge, queued by the daily clock once
// the purge date has come.

type bundelWorker struct {
	river.WorkerDefaults[bundel.Args]
	svc Services
}

func (w *bundelWorker) Timeout(*river.Job[bundel.Args]) time.Duration { return pekerjaan.JobTimeout }

func (w *bundelWorker) Work(ctx context.Context, job *river.Job[bundel.Args]) error {
	if w.svc.Bundel == nil {
		return errors.New("bundle job without a bundle service")
	}
	err := inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		return w.svc.Bundel.Run(ctx, tx, job.Args.TenantID, job.Args.PekerjaanID)
	})
	return w.svc.settle(ctx, job.JobRow.Attempt, job.JobRow.MaxAttempts, job.Args.TenantID, job.Args.PekerjaanID, err)
}

type penghapusanWorker struct {
	river.WorkerDefaults[penghapusan.Args]
	svc   Services
	batch int
}

func (w *penghapusanWorker) Timeout(*river.Job[penghapusan.Args]) time.Duration {
	return pekerjaan.JobTimeout
}

// Work purges the office: each batch commits on its own (a retry resumes
// where the last one left off); the last transaction sweeps, removes the
// memberships, closes the deletion record, archives the office and
// completes the job, together.
func (w *penghapusanWorker) Work(ctx context.Context, job *river.Job[penghapusan.Args]) error {
	ctx = langganan.WithActor(ctx, "system")
	id := job.Args.TenantID
	now := time.Now
	if w.svc.Billing != nil && w.svc.Billing.Now != nil {
		now = w.svc.Billing.Now
	}
	var (
		slug, state, reason string
		b                   penghapusan.Bundle
	)
	err := w.svc.DB.InTenantTx(ctx, id, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "select slug, state, state_reason from tenants where id = $1", id).Scan(&slug, &state, &reason); err != nil {
			return err
		}
		if state != string(langganan.Offboarding) || reason != string(langganan.ReasonPurgeDue) {
			return nil
		}
		var h bundel.Hasil
		var err error
		if b.ID, h, err = bundel.Newest(ctx, tx); err != nil {
			return err
		}
		b.SHA256, b.ManifestSHA256 = h.SHA256, h.ManifestSHA256
		return penghapusan.Start(ctx, tx, id, b, job.ID)
	})
	if apperr.KindOf(err) == apperr.KindNotFound {
		// Never purge data the office was not given: the clock asks
		// again tomorrow, an operator sees why.
		w.svc.Logger.ErrorContext(ctx, "purge due but the office has no export bundle: not purged; offboard it again to make one")
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if state != string(langganan.Offboarding) || reason != string(langganan.ReasonPurgeDue) {
		return river.JobCancel(fmt.Errorf("purge of an office in state %s (%s)", state, reason))
	}
	svc := &penghapusan.Service{DB: w.svc.DB, Logger: w.svc.Logger, Batch: w.batch}
	if err := svc.Purge(ctx, id); err != nil {
		return err
	}
	return w.svc.DB.InTenantTx(ctx, id, func(tx pgx.Tx) error {
		if err := dasbor.HoldRefresh(ctx, tx, id); err != nil {
			return err
		}
		r, err := svc.Finish(ctx, tx, id, slug)
		if err != nil {
			return err
		}
		if err := langganan.Archive()(ctx, tx, id, now()); err != nil {
			return err
		}
		if _, _, err := langganan.Apply(ctx, tx, id, now()); err != nil {
			return err
		}
		w.svc.Logger.InfoContext(ctx, "office purged and archived", "tables", len(r.Baris),
			"memberships_removed", r.Keanggotaan, "accounts_disabled", r.Dinonaktifkan)
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}
