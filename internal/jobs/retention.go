package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/idempotency"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// IdempotencyRetentionHours is how long an Idempotency-Key answer is kept: a
// day covers any sane retry of a field officer's request.
const IdempotencyRetentionHours = 24

// RetentionArgs: the hourly retention run. It deletes expired and revoked
// sessions, old login failures and the platform admins' expired
// Idempotency-Key answers (platform tables), then enqueues one
// TenantRetentionArgs per tenant for the tenant-owned tables.
type RetentionArgs struct{}

func (RetentionArgs) Kind() string { return "retention" }

func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 30 * time.Minute}}
}

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	svc Services
}

func (w *retentionWorker) Work(ctx context.Context, job *river.Job[RetentionArgs]) error {
	return w.svc.DB.InTx(ctx, func(tx pgx.Tx) error {
		sessions, failures, err := w.svc.Accounts.PruneExpired(ctx, tx)
		if err != nil {
			return err
		}
		// Public rate-limit counters: requests prune a few as they pass; a
		// quiet office's leftovers go here (a day is far past any window).
		hits, err := tx.Exec(ctx, "delete from throttle_hits where at < now() - interval '1 day'")
		if err != nil {
			return fmt.Errorf("prune throttle hits: %w", err)
		}
		keys, err := idempotency.PrunePlatform(ctx, tx, IdempotencyRetentionHours)
		if err != nil {
			return err
		}
		ids, err := liveTenants(ctx, tx)
		if err != nil {
			return err
		}
		params := make([]river.InsertManyParams, len(ids))
		for i, id := range ids {
			params[i] = river.InsertManyParams{Args: TenantRetentionArgs{TenantJob: TenantJob{TenantID: id}}}
		}
		client := river.ClientFromContext[pgx.Tx](ctx)
		if len(params) > 0 {
			if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("enqueue tenant retention: %w", err)
			}
		}
		if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
			return err
		}
		w.svc.Logger.InfoContext(ctx, "retention", "sessions_deleted", sessions,
			"login_failures_deleted", failures, "throttle_hits_deleted", hits.RowsAffected(), "platform_idempotency_keys_deleted", keys,
			"tenants", len(ids))
		return nil
	})
}

// liveTenants are the tenants not archived (tenants is a platform table:
// readable with no tenant set).
func liveTenants(ctx context.Context, tx pgx.Tx) ([]uuid.UUID, error) {
	rows, err := tx.Query(ctx, "select id from tenants where state <> 'archived'")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// TenantRetentionArgs prunes one tenant's expired Idempotency-Key answers.
type TenantRetentionArgs struct {
	TenantJob
}

func (TenantRetentionArgs) Kind() string { return "tenant_retention" }

func (TenantRetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 30 * time.Minute}}
}

type tenantRetentionWorker struct {
	river.WorkerDefaults[TenantRetentionArgs]
	svc Services
}

func (w *tenantRetentionWorker) Work(ctx context.Context, job *river.Job[TenantRetentionArgs]) error {
	return inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		n, err := idempotency.Prune(ctx, tx, IdempotencyRetentionHours)
		if err != nil {
			return err
		}
		w.svc.Logger.InfoContext(ctx, "tenant retention", "idempotency_keys_deleted", n)
		return nil
	})
}

// eachOffice queues kantor(id) for every live office and completes job,
// in one transaction: the hourly clocks that work per office's calendar.
func eachOffice[T river.JobArgs](ctx context.Context, svc Services, job *river.Job[T], what string, kantor func(uuid.UUID) river.JobArgs) error {
	return svc.DB.InTx(ctx, func(tx pgx.Tx) error {
		ids, err := liveTenants(ctx, tx)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			params := make([]river.InsertManyParams, len(ids))
			for i, id := range ids {
				params[i] = river.InsertManyParams{Args: kantor(id)}
			}
			if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("enqueue %s of each office: %w", what, err)
			}
		}
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// officeOf reads the slug and time zone (a platform table) of the office
// a tenant job works on.
func officeOf(ctx context.Context, tx pgx.Tx, id uuid.UUID) (*tenancy.Tenant, error) {
	t := &tenancy.Tenant{ID: id}
	if err := tx.QueryRow(ctx, "select slug, timezone from tenants where id = $1", id).Scan(&t.Slug, &t.TimeZone); err != nil {
		return nil, fmt.Errorf("tenant %s: %w", id, err)
	}
	return t, nil
}
