// Package langganan is the life of an office as a customer: its trial,
// contract, invoices and the access state that follows from them
// (BILLING.md). Stripe is the invoice ledger; Sentra owns the state, and
// one pure function, Evaluate, decides it from recorded facts. Webhooks,
// the daily clock and platform admins only record facts and call it.
package langganan

import (
	"time"
)

// State is what an office may do (the access matrix of BILLING.md).
type State string

// The states, in the order an office lives through them.
const (
	Provisioning State = "provisioning" // created; its first admin sets it up
	Trialing     State = "trialing"
	Active       State = "active"
	Grace        State = "grace"     // an invoice is overdue; everything still works
	ReadOnly     State = "read_only" // reads, exports and login only
	Canceled     State = "canceled"  // the export window runs
	Offboarding  State = "offboarding"
	Archived     State = "archived" // purged; a deletion record remains
)

// States are every state, in order.
var States = []State{Provisioning, Trialing, Active, Grace, ReadOnly, Canceled, Offboarding, Archived}

// Reason says why an office is in its state: a stable code for programs
// and the banner's words are chosen from it.
type Reason string

// The reasons Evaluate gives.
const (
	ReasonSetup          Reason = "setup"            // provisioning: no trial or contract yet
	ReasonTrial          Reason = "trial"            // trialing until Facts.TrialUntil
	ReasonTrialExpired   Reason = "trial_expired"    // the trial ended without a contract
	ReasonPaid           Reason = "paid"             // contract, nothing overdue
	ReasonOverdue        Reason = "invoice_overdue"  // grace: an invoice is past due
	ReasonGraceExtended  Reason = "grace_extended"   // past the read-only day, but an admin extended grace
	ReasonUnpaid         Reason = "invoice_unpaid"   // read-only: overdue beyond the policy
	ReasonSuspended      Reason = "suspended"        // read-only by a platform admin
	ReasonCanceled       Reason = "canceled"         // the contract ended
	ReasonExportWindowUp Reason = "export_window_up" // canceled, the export window has passed
	ReasonOffboarding    Reason = "offboarding"      // the bundle is offered; the purge comes on Decision.Until
	ReasonPurgeDue       Reason = "purge_due"        // offboarding, its purge date has come
	ReasonArchived       Reason = "archived"
)

// InvoiceStatus is a Stripe invoice's status as mirrored.
type InvoiceStatus string

// Stripe's invoice statuses.
const (
	InvoiceDraft         InvoiceStatus = "draft"
	InvoiceOpen          InvoiceStatus = "open"
	InvoicePaid          InvoiceStatus = "paid"
	InvoiceVoid          InvoiceStatus = "void"
	InvoiceUncollectible InvoiceStatus = "uncollectible" // written off: no longer owed
)

// Invoice is what Evaluate needs of an invoice.
type Invoice struct {
	Status InvoiceStatus
	DueAt  time.Time
}

// Facts are what has been recorded about an office: by platform admins
// (trial, contract, suspension, grace, cancellation, offboarding), by the
// Stripe sync (invoices) and by the purge. Zero times are "never".
type Facts struct {
	TrialUntil    time.Time // a trial was started, ending then
	ContractAt    time.Time // the contract (SPK) was recorded and subscribed
	CanceledAt    time.Time
	OffboardingAt time.Time
	ArchivedAt    time.Time
	// SuspendedAt is a platform admin's suspension: read-only whatever is
	// paid, until they reactivate (which clears it).
	SuspendedAt time.Time
	// GraceUntil is an admin's "SP2D in process": no read-only before it.
	GraceUntil time.Time
	Invoices   []Invoice
}

// Policy are an office's thresholds (defaults in DefaultPolicy,
// overridable per office by a platform admin).
type Policy struct {
	ReadOnlyAfterDays int // read-only this many days after the due date of the oldest unpaid invoice
	// RestrictAfterDays, when positive, is the optional step "no new users
	// or imports" this many days after the due date, still in grace.
	RestrictAfterDays int
	ExportWindowDays  int // after cancellation
	PurgeAfterDays    int // from the start of offboarding to the purge
}

// DefaultPolicy is BILLING.md's, as the migrations default each office's
// (021, 026): long on purpose, the APBD calendar is slow.
var DefaultPolicy = Policy{ReadOnlyAfterDays: 60, RestrictAfterDays: 0, ExportWindowDays: 90, PurgeAfterDays: 30}

// Decision is Evaluate's answer.
type Decision struct {
	State  State
	Reason Reason
	// Restricted: in grace past the policy's restrict step, no new users or
	// imports (RestrictAfterDays > 0 only).
	Restricted bool
	// Until is when the state ends by itself if nothing is recorded: the
	// trial's end, the read-only day of grace, the end of an extended grace
	// or of the export window, the purge date. Zero when it does not.
	Until time.Time
	// OverdueSince is the due date of the oldest unpaid invoice, if any.
	OverdueSince time.Time
}

// day is the length the policy counts in.
const day = 24 * time.Hour

// Evaluate decides an office's state at now. The later steps of an
// office's life win over the earlier (archived over everything; a manual
// suspension over a payment), so a fact recorded late or twice cannot walk
// an office back.
func Evaluate(now time.Time, f Facts, p Policy) Decision {
	switch {
	case !f.ArchivedAt.IsZero():
		return Decision{State: Archived, Reason: ReasonArchived}
	case !f.OffboardingAt.IsZero():
		purge := f.OffboardingAt.Add(time.Duration(p.PurgeAfterDays) * day)
		if !now.Before(purge) {
			return Decision{State: Offboarding, Reason: ReasonPurgeDue}
		}
		return Decision{State: Offboarding, Reason: ReasonOffboarding, Until: purge}
	case !f.CanceledAt.IsZero():
		end := f.CanceledAt.Add(time.Duration(p.ExportWindowDays) * day)
		if !now.Before(end) {
			return Decision{State: Canceled, Reason: ReasonExportWindowUp}
		}
		return Decision{State: Canceled, Reason: ReasonCanceled, Until: end}
	case !f.SuspendedAt.IsZero():
		return Decision{State: ReadOnly, Reason: ReasonSuspended}
	}
	if f.ContractAt.IsZero() {
		switch {
		case f.TrialUntil.IsZero():
			return Decision{State: Provisioning, Reason: ReasonSetup}
		case now.Before(f.TrialUntil):
			return Decision{State: Trialing, Reason: ReasonTrial, Until: f.TrialUntil}
		default:
			return Decision{State: ReadOnly, Reason: ReasonTrialExpired}
		}
	}
	oldest := oldestOverdue(now, f.Invoices)
	if oldest.IsZero() {
		return Decision{State: Active, Reason: ReasonPaid}
	}
	d := Decision{OverdueSince: oldest}
	readOnly := oldest.Add(time.Duration(p.ReadOnlyAfterDays) * day)
	switch {
	case now.Before(readOnly):
		d.State, d.Reason, d.Until = Grace, ReasonOverdue, readOnly
	case now.Before(f.GraceUntil):
		d.State, d.Reason, d.Until = Grace, ReasonGraceExtended, f.GraceUntil
	default:
		return Decision{State: ReadOnly, Reason: ReasonUnpaid, OverdueSince: oldest}
	}
	if p.RestrictAfterDays > 0 && !now.Before(oldest.Add(time.Duration(p.RestrictAfterDays)*day)) {
		d.Restricted = true
	}
	return d
}

// oldestOverdue is the earliest due date of an open invoice past due at
// now; zero when none is. Paid, void and written-off invoices are owed
// by no one; a draft is not sent yet.
func oldestOverdue(now time.Time, invoices []Invoice) time.Time {
	var oldest time.Time
	for _, in := range invoices {
		if in.Status != InvoiceOpen || in.DueAt.IsZero() || !now.After(in.DueAt) {
			continue
		}
		if oldest.IsZero() || in.DueAt.Before(oldest) {
			oldest = in.DueAt
		}
	}
	return oldest
}

// Access is what a state allows (the matrix of BILLING.md).
type Access struct {
	Login, Read, Write, Export bool
	// AdminOnly: only the office's admins may sign in (provisioning,
	// offboarding).
	AdminOnly bool
}

// AccessOf is the access matrix. Reads and exports are never blocked for
// non-payment: the data belongs to the office.
func AccessOf(s State) Access {
	switch s {
	case Provisioning:
		return Access{Login: true, Read: true, Write: true, AdminOnly: true} // configuration only
	case Trialing, Active, Grace:
		return Access{Login: true, Read: true, Write: true, Export: true}
	case ReadOnly, Canceled:
		return Access{Login: true, Read: true, Export: true}
	case Offboarding:
		return Access{Login: true, Read: true, Export: true, AdminOnly: true}
	}
	return Access{} // archived, or unknown: nothing
}
