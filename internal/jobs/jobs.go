// Package jobs runs Sentra's background work on River, in the same
// PostgreSQL (schema river). River's tables are not under RLS, so a job of a
// tenant carries tenant_id in its args; the tenant middleware reads it and
// the worker sets it transaction-locally in its own transaction, where it
// also completes the job (exactly-once effects for transactional work).
package jobs

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Config configures the River client.
type Config struct {
	// Work starts workers; without it the client only enqueues (an API
	// instance with --workers=false).
	Work bool
	// PollOnly polls instead of LISTEN/NOTIFY (behind pgbouncer in
	// transaction mode).
	PollOnly bool
	// MaxWorkers per process for the default queue (short jobs).
	MaxWorkers int
	// LongWorkers per process for the long queue (imports, exports,
	// campaigns, reports; 0: DefaultLongWorkers).
	LongWorkers int
	// TenantLongJobs bounds the long jobs of one tenant running at once
	// across all processes (0: DefaultTenantLongJobs; below 0: no bound).
	TenantLongJobs int
	Logger         *slog.Logger
	// ReklasBatch overrides the cooperatives per transaction of a
	// reclassification campaign (0: koperasi.ReklasBatch).
	ReklasBatch int
	// PurgeBatch overrides the rows per transaction of an office's purge
	// (0: penghapusan.DefaultBatch).
	PurgeBatch int
	// Middleware is entered before the tenant's (metrics), so a job refused
	// for its tenant is still seen.
	Middleware []rivertype.Middleware
}

// Defaults of the long queue: on two cores four long jobs at once keep
// PostgreSQL busy; two per office leave room for two other offices.
const (
	DefaultLongWorkers    = 4
	DefaultTenantLongJobs = 2
)

// PoolConns is the worker pool a process with these queues needs so that
// no job waits for a connection: an import holds up to ImportWriters
// transactions at once, any other job one; River itself uses a few (its
// LISTEN connection, producers' fetches, the completer, leadership).
func PoolConns(maxWorkers, longWorkers, writersPerLongJob int) int32 {
	return int32(writersPerLongJob*longWorkers + maxWorkers + dasborWorkers + riverConns)
}

const (
	// One, resting after each refresh as long as it took: the refreshes of
	// every office together take at most half a core, whatever the writes.
	dasborWorkers = 1
	riverConns    = 4
)

// Services are what the workers need.
type Services struct {
	DB       *db.DB
	Accounts *account.Service
	UMKM     *umkm.Service
	Koperasi *koperasi.Service
	// Billing does the Stripe work; nil or without a Ledger, billing is
	// off and only the daily clock runs.
	Billing *langganan.Billing
	// Bundel makes the export bundle of an office being closed.
	Bundel *bundel.Service
	Logger *slog.Logger
	// Luar imports other agencies' participant lists.
	Luar *luar.Service
	// Program and Tumpang export the programmes, their participants and
	// the never-helped.
	Program *program.Service
	Tumpang *tumpang.Service
	// Kemitraan stores the partnership reminders; nil leaves its hourly
	// clock out.
	Kemitraan *kemitraan.Service
	// Konsinyasi raises the overdue consignment sales reports.
	Konsinyasi *konsinyasi.Service
}

// Client is the River client type used across Sentra.
type Client = river.Client[pgx.Tx]

// NewClient builds the River client with every worker and periodic job.
func NewClient(cfg Config, svc Services) (*Client, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &retentionWorker{svc: svc})
	river.AddWorker(workers, &tenantRetentionWorker{svc: svc})
	river.AddWorker(workers, &importWorker{svc: svc})
	river.AddWorker(workers, &exportWorker{svc: svc})
	river.AddWorker(workers, &koperasiExportWorker{svc: svc})
	river.AddWorker(workers, &reklasifikasiWorker{svc: svc, batch: cfg.ReklasBatch})
	river.AddWorker(workers, &laporanReklasifikasiWorker{svc: svc})
	river.AddWorker(workers, &dasborWorker{svc: svc})
	river.AddWorker(workers, &dasborSemuaWorker{svc: svc})
	river.AddWorker(workers, &subscribeWorker{svc: svc})
	river.AddWorker(workers, &syncWorker{svc: svc})
	river.AddWorker(workers, &payWorker{svc: svc})
	river.AddWorker(workers, &jamWorker{svc: svc})
	river.AddWorker(workers, &jamKantorWorker{svc: svc})
	river.AddWorker(workers, &bundelWorker{svc: svc})
	river.AddWorker(workers, &penghapusanWorker{svc: svc, batch: cfg.PurgeBatch})
	river.AddWorker(workers, &luarImportWorker{svc: svc})
	river.AddWorker(workers, &programExportWorker{svc: svc})
	river.AddWorker(workers, &pesertaExportWorker{svc: svc})
	river.AddWorker(workers, &belumExportWorker{svc: svc})
	river.AddWorker(workers, &kemitraanWorker{svc: svc})
	river.AddWorker(workers, &kemitraanKantorWorker{svc: svc})
	river.AddWorker(workers, &konsinyasiWorker{svc: svc})
	river.AddWorker(workers, &konsinyasiKantorWorker{svc: svc})

	rc := &river.Config{
		Schema:   db.RiverSchema,
		Logger:   cfg.Logger,
		PollOnly: cfg.PollOnly,
		Workers:  workers,
		// River's reindexer needs to own the indexes; the application role
		// owns nothing. Reindexing is an operator's task (deploy/README.md).
		ReindexerSchedule: river.NeverSchedule(),
		Middleware: append(slices.Clone(cfg.Middleware), &tenantMiddleware{db: svc.DB},
			&fairnessMiddleware{db: svc.DB, limit: cmp.Or(cfg.TenantLongJobs, DefaultTenantLongJobs)}),
		// A worker that died mid-job leaves it running; River hands it to
		// another worker after this, and the job's transaction had rolled
		// back, so the retry starts clean.
		RescueStuckJobsAfter: pekerjaan.JobTimeout + 5*time.Minute,
		// Staff wait on these jobs (an import, a campaign, a dashboard
		// refresh) and there are few of them: fetching soon after an insert
		// notification costs little and saves up to River's default 100 ms.
		FetchCooldown: 20 * time.Millisecond,
	}
	if cfg.Work {
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: max(cfg.MaxWorkers, 1)},
			// Dashboard refreshes have their own queue, so a long import or
			// export never delays them. A refresh is queued from SQL (see
			// DasborArgs) and announced by a notification; the short poll
			// bounds the wait where notifications do not arrive (PollOnly).
			dasbor.Queue: {MaxWorkers: dasborWorkers, FetchPollInterval: 250 * time.Millisecond},
			// Long work of every office, bounded per office by the
			// fairness middleware. A job that stepped back is due again
			// in fairnessRetry; the short poll picks it up then.
			pekerjaan.Queue: {MaxWorkers: cmp.Or(cfg.LongWorkers, DefaultLongWorkers), FetchPollInterval: 500 * time.Millisecond},
		}
		rc.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
				&river.PeriodicJobOpts{ID: "retention", RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(dasborInterval),
				func() (river.JobArgs, *river.InsertOpts) { return DasborSemuaArgs{}, nil },
				&river.PeriodicJobOpts{ID: "dasbor", RunOnStart: true}),
			river.NewPeriodicJob(jamSchedule,
				func() (river.JobArgs, *river.InsertOpts) { return JamArgs{}, nil },
				&river.PeriodicJobOpts{ID: "langganan"}),
		}
		if svc.Kemitraan != nil {
			rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return KemitraanArgs{}, nil },
				&river.PeriodicJobOpts{ID: "kemitraan", RunOnStart: true}))
		}
		if svc.Konsinyasi != nil {
			rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return KonsinyasiArgs{}, nil },
				&river.PeriodicJobOpts{ID: "konsinyasi", RunOnStart: true}))
		}
	}
	client, err := river.NewClient(riverpgxv5.New(svc.DB.Pool), rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return client, nil
}

// TenantArgs are the args of a job that works on one tenant's data.
type TenantArgs interface {
	river.JobArgs
	Tenant() uuid.UUID
}

// TenantJob is embedded in the args of tenant jobs.
type TenantJob struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

// Tenant returns the tenant the job works on.
func (j TenantJob) Tenant() uuid.UUID { return j.TenantID }

// tenantMiddleware puts the tenant named by a job's args (field tenant_id)
// into the worker's context, for its transaction and its log lines. A job
// whose args name no tenant runs with none: only platform tables are then
// visible to it. A job of an archived (purged) office is cancelled: work
// queued before the purge must not write rows after it. Each attempt is
// one line of work for the pool (see db.WithWork): it never waits on the
// pool for a connection it holds.
type tenantMiddleware struct {
	river.MiddlewareDefaults
	db *db.DB
}

func (m *tenantMiddleware) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	var args struct {
		TenantID *uuid.UUID `json:"tenant_id"`
	}
	if err := json.Unmarshal(job.EncodedArgs, &args); err != nil {
		return fmt.Errorf("job %d (%s): args: %w", job.ID, job.Kind, err)
	}
	ctx = db.WithWork(ctx)
	if args.TenantID != nil {
		if *args.TenantID == uuid.Nil {
			return river.JobCancel(errors.New("job names a nil tenant"))
		}
		var archived bool
		if err := m.db.ReadRow(ctx, `select exists (select from tenants where id = $1 and state = 'archived')`,
			[]any{*args.TenantID}, &archived); err != nil {
			return fmt.Errorf("job %d (%s): state of its office: %w", job.ID, job.Kind, err)
		}
		if archived {
			return river.JobCancel(fmt.Errorf("job %d (%s): its office is archived", job.ID, job.Kind))
		}
		ctx = tenancy.WithTenant(ctx, &tenancy.Tenant{ID: *args.TenantID})
	}
	return doInner(ctx)
}

// inTenantTx runs fn in a transaction of the job's tenant and completes the
// job in that same transaction: the work and the job's completion commit
// together or not at all.
func inTenantTx[T TenantArgs](ctx context.Context, d *db.DB, job *river.Job[T], fn func(pgx.Tx) error) error {
	t, ok := tenancy.TenantFrom(ctx)
	if !ok || t.ID != job.Args.Tenant() {
		return river.JobCancel(fmt.Errorf("job %d: tenant missing from context", job.ID))
	}
	return d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}
