package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/penghapusan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/surel"
)

// The Stripe work of billing (langganan.Billing): every call to Stripe
// runs here, never in a request, with idempotency keys from stable ids.
// Each job completes in the transaction of its last step.

func complete[T river.JobArgs](ctx context.Context, job *river.Job[T]) func(pgx.Tx) error {
	return func(tx pgx.Tx) error {
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	}
}

type subscribeWorker struct {
	river.WorkerDefaults[langganan.SubscribeArgs]
	svc Services
}

func (w *subscribeWorker) Work(ctx context.Context, job *river.Job[langganan.SubscribeArgs]) error {
	return w.svc.Billing.RunSubscribe(ctx, job.Args, complete(ctx, job))
}

type syncWorker struct {
	river.WorkerDefaults[langganan.SyncArgs]
	svc Services
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[langganan.SyncArgs]) error {
	err := w.svc.Billing.RunSync(ctx, job.Args, complete(ctx, job))
	if errors.Is(err, langganan.ErrAgain) {
		// An event came while Stripe was read: read it again, soon.
		return river.JobSnooze(time.Second)
	}
	return err
}

type payWorker struct {
	river.WorkerDefaults[langganan.PayArgs]
	svc Services
}

func (w *payWorker) Work(ctx context.Context, job *river.Job[langganan.PayArgs]) error {
	err := w.svc.Billing.RunPay(ctx, job.Args, complete(ctx, job))
	if errors.Is(err, langganan.ErrAgain) {
		return river.JobSnooze(time.Second)
	}
	return err
}

// JamArgs is the daily clock of billing (Asia/Jakarta): it applies the
// state of every office in a job of its own (trial expiry; the overdue
// ladder, since Stripe sends no event when an invoice falls due; the purge
// of an office whose purge date has come) and, with Stripe on, re-syncs
// every customer, for anything a webhook missed.
type JamArgs struct{}

func (JamArgs) Kind() string { return "langganan_jam" }

func (JamArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 12 * time.Hour}}
}

type jamWorker struct {
	river.WorkerDefaults[JamArgs]
	svc Services
}

func (w *jamWorker) Work(ctx context.Context, job *river.Job[JamArgs]) error {
	return w.svc.DB.InTx(ctx, func(tx pgx.Tx) error {
		ids, err := liveTenants(ctx, tx)
		if err != nil {
			return err
		}
		var params []river.InsertManyParams
		for _, id := range ids {
			params = append(params, river.InsertManyParams{Args: JamKantorArgs{TenantJob: TenantJob{TenantID: id}}})
		}
		if !w.svc.Billing.Off() {
			// A platform table, as tenants.
			rows, err := tx.Query(ctx, "select tenant, customer_id from stripe_customers")
			if err != nil {
				return err
			}
			var a langganan.SyncArgs
			if _, err := pgx.ForEachRow(rows, []any{&a.TenantID, &a.CustomerID}, func() error {
				params = append(params, river.InsertManyParams{Args: a})
				return nil
			}); err != nil {
				return err
			}
		}
		if len(params) > 0 {
			if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("enqueue the clock of each office: %w", err)
			}
		}
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// JamKantorArgs applies one office's state at the clock's time.
type JamKantorArgs struct {
	TenantJob
}

func (JamKantorArgs) Kind() string { return "langganan_jam_kantor" }

func (JamKantorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 12 * time.Hour}}
}

type jamKantorWorker struct {
	river.WorkerDefaults[JamKantorArgs]
	svc Services
}

func (w *jamKantorWorker) Work(ctx context.Context, job *river.Job[JamKantorArgs]) error {
	now := time.Now
	if w.svc.Billing != nil && w.svc.Billing.Now != nil {
		now = w.svc.Billing.Now
	}
	var mailer *surel.Mailer
	if w.svc.Accounts != nil {
		mailer = w.svc.Accounts.Mailer
	}
	var (
		letter langganan.Letter
		send   bool
	)
	err := inTenantTx(ctx, w.svc.DB, job, func(tx pgx.Tx) error {
		at := now()
		st, _, err := langganan.Apply(langganan.WithActor(ctx, "system"), tx, job.Args.TenantID, at)
		if err != nil {
			return err
		}
		if st.State == langganan.Offboarding && st.Reason == langganan.ReasonPurgeDue {
			// The purge date has come: the purge runs (again, each day,
			// until it has; unique per office and day).
			_, err = river.ClientFromContext[pgx.Tx](ctx).InsertTx(ctx, tx, penghapusan.Args{TenantID: job.Args.TenantID}, nil)
			return err
		}
		if mailer == nil {
			return nil
		}
		o := langganan.Office{ID: job.Args.TenantID}
		var tz string
		if err := tx.QueryRow(ctx, "select slug, name, timezone from tenants where id = $1", o.ID).Scan(&o.Slug, &o.Name, &tz); err != nil {
			return err
		}
		loc, err := format.Lokasi(tz)
		if err != nil {
			return err
		}
		r, due := langganan.DueReminder(at, st, loc)
		if !due {
			return nil
		}
		letter, send, err = langganan.Claim(ctx, tx, o, r, loc)
		return err
	})
	if err != nil || !send {
		return err
	}
	// After the commit: the reminder is recorded once, whatever the relay
	// does; a failure is logged (without the addresses) and not retried.
	for _, to := range letter.To {
		if err := mailer.Send(ctx, surel.Message{To: to, Subject: letter.Subject, Body: letter.Body}); err != nil {
			w.svc.Logger.WarnContext(ctx, "billing reminder not mailed", "tenant_id", job.Args.TenantID, "error", strings.ReplaceAll(err.Error(), to, pii.Email(to)))
		}
	}
	return nil
}

// jakarta is the clock's time zone: the offices' day starts there for
// most of them, and a due date read a few hours late changes nothing.
var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return loc
}()

// DailyAt is a River schedule: every day at hour:minute in loc.
type DailyAt struct {
	Hour, Minute int
	Loc          *time.Location
}

// Next is the first such time after current.
func (d DailyAt) Next(current time.Time) time.Time {
	c := current.In(d.Loc)
	next := time.Date(c.Year(), c.Month(), c.Day(), d.Hour, d.Minute, 0, 0, d.Loc)
	if !next.After(c) {
		next = time.Date(c.Year(), c.Month(), c.Day()+1, d.Hour, d.Minute, 0, 0, d.Loc)
	}
	return next
}

// jamSchedule: five past midnight in Jakarta, after the day changed for
// every office of WIB (WITA and WIT offices changed an hour or two before).
var jamSchedule = DailyAt{Hour: 0, Minute: 5, Loc: jakarta}
