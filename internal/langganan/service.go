package langganan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
)

// Service records the facts of billed offices and keeps their state.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	// Changed is told the slug of an office whose state changed, after the
	// commit (the tenant cache forgets it).
	Changed func(slug string)
}

// Status is an office's state with the facts it follows from.
type Status struct {
	Decision
	Billed bool // the office has billing facts; an unbilled office is active
	Facts  Facts
	Policy Policy
}

// errNotBilled: the office is not billed (a YAML office); nothing to change.
var errNotBilled = apperr.Invalid(apperr.T("Kantor ini tidak memakai tagihan Sentra.", "This office is not billed by Sentra."))

// Get reads an office's facts and decides its state now (in a tenant
// transaction of tenantID).
func Get(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) (Status, error) {
	var (
		st                                                 Status
		trial, contract, susp, grace, canc, offb, archived *time.Time
	)
	err := tx.QueryRow(ctx, `select trial_until, contract_at, suspended_at, grace_until, canceled_at, offboarding_at, archived_at,
			read_only_after_days, restrict_after_days, export_window_days, purge_after_days
		from tenant_billing where tenant_id = $1`, tenantID).Scan(&trial, &contract, &susp, &grace, &canc, &offb, &archived,
		&st.Policy.ReadOnlyAfterDays, &st.Policy.RestrictAfterDays, &st.Policy.ExportWindowDays, &st.Policy.PurgeAfterDays)
	if errors.Is(err, pgx.ErrNoRows) {
		return Status{Decision: Decision{State: Active, Reason: ReasonPaid}}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("billing facts: %w", err)
	}
	st.Billed = true
	f := &st.Facts
	for _, p := range []struct {
		dst *time.Time
		src *time.Time
	}{{&f.TrialUntil, trial}, {&f.ContractAt, contract}, {&f.SuspendedAt, susp}, {&f.GraceUntil, grace},
		{&f.CanceledAt, canc}, {&f.OffboardingAt, offb}, {&f.ArchivedAt, archived}} {
		if p.src != nil {
			*p.dst = *p.src
		}
	}
	// Only open invoices are owed (Evaluate ignores the rest); one whose
	// payment a platform admin recorded (its SP2D) is paid, even before
	// Stripe hears of it.
	rows, err := tx.Query(ctx, `select status, due_at from invoices
		where tenant_id = $1 and status = 'open' and due_at is not null and sp2d_number is null`, tenantID)
	if err != nil {
		return Status{}, fmt.Errorf("invoices: %w", err)
	}
	f.Invoices, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Invoice, error) {
		var in Invoice
		err := r.Scan(&in.Status, &in.DueAt)
		return in, err
	})
	if err != nil {
		return Status{}, err
	}
	st.Decision = Evaluate(now, *f, st.Policy)
	return st, nil
}

// Apply decides the office's state from its facts and stores it when it
// changed, audited (in a tenant transaction of tenantID, after the facts
// were recorded in it). It reports whether the state changed.
func Apply(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) (Status, bool, error) {
	st, err := Get(ctx, tx, tenantID, now)
	if err != nil || !st.Billed {
		return st, false, err
	}
	var before struct {
		State  string
		Reason string
	}
	// The row lock orders two decisions of one office.
	if err := tx.QueryRow(ctx, "select state, state_reason from tenants where id = $1 for update", tenantID).
		Scan(&before.State, &before.Reason); err != nil {
		return Status{}, false, db.MapError(err)
	}
	var until *time.Time
	if !st.Until.IsZero() {
		until = &st.Until
	}
	tag, err := tx.Exec(ctx, `update tenants set state = $2, state_reason = $3, state_until = $4,
			state_changed_at = case when state <> $2 then now() else state_changed_at end, updated_at = now()
		where id = $1 and (state, state_reason, state_until) is distinct from ($2, $3, $4)`,
		tenantID, string(st.State), string(st.Reason), until)
	if err != nil {
		return Status{}, false, fmt.Errorf("store state: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return st, false, nil
	}
	after := map[string]any{"state": st.State, "state_reason": st.Reason, "state_until": until}
	if a := actorOf(ctx); a != "" {
		after["oleh"] = a // no user: the Stripe sync or the daily clock
	}
	return st, true, audit.Record(ctx, tx, audit.Entry{TenantID: tenantID, Action: "change_state", Entity: "langganan",
		EntityID: tenantID.String(), Before: map[string]any{"state": before.State, "state_reason": before.Reason}, After: after})
}

// Fact is a platform admin's action on an office: it records a fact and
// the state follows.
type Fact func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error

// StartTrial bills the office from now on and gives it a trial until the
// end of until (at most 90 days): the first fact of an onboarded office.
// A trial cannot follow a contract.
func StartTrial(until time.Time) Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		if !until.After(now) || until.After(now.AddDate(0, 0, 90)) {
			return apperr.InvalidField("body.trial_until", until.Format(time.DateOnly),
				apperr.T("Masa uji coba berakhir antara besok dan 90 hari lagi.", "A trial ends between tomorrow and 90 days from now."))
		}
		tag, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, trial_until) values ($1, $2)
			on conflict (tenant_id) do update set trial_until = excluded.trial_until, version = tenant_billing.version + 1, updated_at = now()
				where tenant_billing.contract_at is null`, tenantID, until)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return apperr.Conflict(apperr.T("Kantor ini sudah berkontrak; masa uji coba tidak dapat dimulai lagi.",
				"This office has a contract; a trial cannot start again."), "")
		}
		return nil
	}
}

// Suspend makes the office read-only whatever is paid, until Reactivate.
func Suspend(reason string) Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		return update(ctx, tx, tenantID, `suspended_at = coalesce(suspended_at, $2), suspended_reason = $3`, now, reason)
	}
}

// Reactivate lifts a suspension; the state is then what the invoices say.
func Reactivate() Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		return update(ctx, tx, tenantID, `suspended_at = null, suspended_reason = null`)
	}
}

// ExtendGrace keeps the office out of read-only until the end of until
// ("SP2D dalam proses").
func ExtendGrace(until time.Time) Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		if !until.After(now) {
			return apperr.InvalidField("body.grace_until", until.Format(time.DateOnly),
				apperr.T("Tanggal perpanjangan harus setelah hari ini.", "The extension must end after today."))
		}
		if until.After(now.AddDate(1, 0, 0)) {
			return apperr.InvalidField("body.grace_until", until.Format(time.DateOnly),
				apperr.T("Perpanjangan paling lama satu tahun.", "An extension lasts at most a year."))
		}
		return update(ctx, tx, tenantID, `grace_until = $2`, until)
	}
}

// Cancel ends the office's contract (the SPK is not renewed, or the office
// leaves): it reads and exports only, during the export window. The same
// cancellation again changes nothing (the first date and reason stay); an
// office already closing cannot be canceled again. then, if set, runs in
// the same transaction (it has Stripe follow: Billing.FollowCancel).
func Cancel(reason string, then func(ctx context.Context, tx pgx.Tx) error) Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		reason = strings.TrimSpace(reason)
		if n := utf8.RuneCountInString(reason); n < 3 || n > 500 {
			return apperr.InvalidField("body.alasan", nil, apperr.T("Tuliskan alasan pembatalan (3 sampai 500 karakter).",
				"Give the reason for the cancellation (3 to 500 characters)."))
		}
		st, err := billed(ctx, tx, tenantID, now)
		if err != nil {
			return err
		}
		if st.State == Offboarding || st.State == Archived {
			return apperr.Conflict(apperr.T("Kantor ini sudah dalam penutupan: langganannya sudah berakhir.",
				"This office is being closed: its subscription has ended already."), "")
		}
		if err := update(ctx, tx, tenantID, `canceled_at = coalesce(canceled_at, $2), canceled_reason = coalesce(canceled_reason, $3)`, now, reason); err != nil || then == nil {
			return err
		}
		return then(ctx, tx)
	}
}

// Offboard starts closing the office: its admins alone may sign in and
// download the full export bundle, and its rows are purged
// Policy.PurgeAfterDays later. Only an office whose contract was canceled,
// or one read-only (unpaid, suspended, a trial that ended), may be closed;
// the contract of a read-only one ends with it. started runs in the same
// transaction once the office is offboarding, also when it was already
// (it queues the bundle, again if the last one failed).
func Offboard(started func(ctx context.Context, tx pgx.Tx) error) Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		st, err := billed(ctx, tx, tenantID, now)
		if err != nil {
			return err
		}
		switch st.State {
		case Offboarding:
		case Canceled, ReadOnly:
			if err := update(ctx, tx, tenantID, `offboarding_at = $2, canceled_at = coalesce(canceled_at, $2)`, now); err != nil {
				return err
			}
		default:
			return apperr.Conflict(apperr.T("Penutupan hanya dapat dimulai untuk kantor yang langganannya sudah dibatalkan atau yang dalam mode baca saja; "+
				"kantor ini masih "+stateWords[st.State]+". Batalkan langganannya lebih dulu.",
				"Closing can only start for an office whose subscription was canceled or that is read-only; this office is "+
					string(st.State)+". Cancel its subscription first."), "")
		}
		if started == nil {
			return nil
		}
		return started(ctx, tx)
	}
}

var stateWords = map[State]string{Provisioning: "disiapkan", Trialing: "dalam uji coba", Active: "aktif", Grace: "dalam masa tenggang"}

// Archive records the purge of an offboarding office whose purge date has
// come: it is archived, and nothing of it opens again (the purge job calls
// it in its last transaction, once every row is gone).
func Archive() Fact {
	return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		st, err := billed(ctx, tx, tenantID, now)
		if err != nil {
			return err
		}
		if st.State != Archived && st.Reason != ReasonPurgeDue {
			return apperr.Conflict(apperr.T("Tanggal penghapusan kantor ini belum tiba.", "This office's purge date has not come."), "")
		}
		return update(ctx, tx, tenantID, `archived_at = coalesce(archived_at, $2)`, now)
	}
}

// billed is the office's status now, refused when it is not billed.
func billed(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) (Status, error) {
	st, err := Get(ctx, tx, tenantID, now)
	if err == nil && !st.Billed {
		err = errNotBilled
	}
	return st, err
}

func update(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, set string, args ...any) error {
	tag, err := tx.Exec(ctx, `update tenant_billing set `+set+`, version = version + 1, updated_at = now() where tenant_id = $1`,
		append([]any{tenantID}, args...)...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errNotBilled
	}
	return nil
}

// Record runs fact on the office and applies the state, in one tenant
// transaction, audited with the caller of ctx as the actor.
func (s *Service) Record(ctx context.Context, tenantID uuid.UUID, slug string, fact Fact) (Status, error) {
	var (
		st      Status
		changed bool
	)
	err := s.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		st, changed, err = s.RecordTx(ctx, tx, tenantID, fact)
		return err
	})
	if err == nil && changed && s.Changed != nil {
		s.Changed(slug)
	}
	return st, err
}

// RecordTx is Record in tx, a tenant transaction of tenantID that the
// caller commits (with what else it records of the request). It reports
// whether the state changed: tell Changed after the commit.
func (s *Service) RecordTx(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, fact Fact) (Status, bool, error) {
	now := s.Now()
	if err := fact(ctx, tx, tenantID, now); err != nil {
		return Status{}, false, err
	}
	return Apply(ctx, tx, tenantID, now)
}
