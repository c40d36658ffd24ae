package langganan

import (
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
)

// TestEvaluate walks every row of BILLING.md's life of an office.
func TestEvaluate(t *testing.T) {
	jakarta := time.FixedZone("WIB", 7*3600)
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, jakarta)
	at := func(days int) time.Time { return due.Add(time.Duration(days) * day) }
	contract := due.AddDate(0, -1, 0)
	open := []Invoice{{Status: InvoiceOpen, DueAt: due}}
	withStep := Policy{ReadOnlyAfterDays: 60, RestrictAfterDays: 30, ExportWindowDays: 90}

	for _, c := range []struct {
		name   string
		now    time.Time
		facts  Facts
		policy Policy
		want   Decision
	}{
		{"created, nothing started", at(0), Facts{}, DefaultPolicy,
			Decision{State: Provisioning, Reason: ReasonSetup}},
		{"in the trial", at(-1), Facts{TrialUntil: at(0)}, DefaultPolicy,
			Decision{State: Trialing, Reason: ReasonTrial, Until: at(0)}},
		{"the trial ends without a contract", at(0), Facts{TrialUntil: at(0)}, DefaultPolicy,
			Decision{State: ReadOnly, Reason: ReasonTrialExpired}},
		{"a contract during the trial", at(-1), Facts{TrialUntil: at(10), ContractAt: contract}, DefaultPolicy,
			Decision{State: Active, Reason: ReasonPaid}},
		{"an open invoice not yet due", at(0), Facts{ContractAt: contract, Invoices: open}, DefaultPolicy,
			Decision{State: Active, Reason: ReasonPaid}},
		{"due + 1 day", at(1), Facts{ContractAt: contract, Invoices: open}, DefaultPolicy,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(60), OverdueSince: due}},
		{"due + 29 days, with the restrict step", at(29), Facts{ContractAt: contract, Invoices: open}, withStep,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(60), OverdueSince: due}},
		{"due + 30 days, with the restrict step", at(30), Facts{ContractAt: contract, Invoices: open}, withStep,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(60), OverdueSince: due, Restricted: true}},
		{"due + 30 days, step off by default", at(30), Facts{ContractAt: contract, Invoices: open}, DefaultPolicy,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(60), OverdueSince: due}},
		{"due + 60 days less a second", at(60).Add(-time.Second), Facts{ContractAt: contract, Invoices: open}, DefaultPolicy,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(60), OverdueSince: due}},
		{"due + 60 days", at(60), Facts{ContractAt: contract, Invoices: open}, DefaultPolicy,
			Decision{State: ReadOnly, Reason: ReasonUnpaid, OverdueSince: due}},
		{"due + 60 days, grace extended (SP2D in process)", at(60), Facts{ContractAt: contract, Invoices: open, GraceUntil: at(75)}, DefaultPolicy,
			Decision{State: Grace, Reason: ReasonGraceExtended, Until: at(75), OverdueSince: due}},
		{"the extended grace ends", at(75), Facts{ContractAt: contract, Invoices: open, GraceUntil: at(75)}, DefaultPolicy,
			Decision{State: ReadOnly, Reason: ReasonUnpaid, OverdueSince: due}},
		{"a grace override before the read-only day changes nothing", at(10), Facts{ContractAt: contract, Invoices: open, GraceUntil: at(20)}, DefaultPolicy,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(60), OverdueSince: due}},
		{"paid while read-only", at(90), Facts{ContractAt: contract, Invoices: []Invoice{{Status: InvoicePaid, DueAt: due}}}, DefaultPolicy,
			Decision{State: Active, Reason: ReasonPaid}},
		{"voided", at(90), Facts{ContractAt: contract, Invoices: []Invoice{{Status: InvoiceVoid, DueAt: due}}}, DefaultPolicy,
			Decision{State: Active, Reason: ReasonPaid}},
		{"written off", at(90), Facts{ContractAt: contract, Invoices: []Invoice{{Status: InvoiceUncollectible, DueAt: due}}}, DefaultPolicy,
			Decision{State: Active, Reason: ReasonPaid}},
		{"a draft is not owed yet", at(90), Facts{ContractAt: contract, Invoices: []Invoice{{Status: InvoiceDraft, DueAt: due}}}, DefaultPolicy,
			Decision{State: Active, Reason: ReasonPaid}},
		{"the oldest of two unpaid invoices counts", at(365 + 10), Facts{ContractAt: contract,
			Invoices: []Invoice{{Status: InvoiceOpen, DueAt: at(365)}, {Status: InvoiceOpen, DueAt: due}}}, DefaultPolicy,
			Decision{State: ReadOnly, Reason: ReasonUnpaid, OverdueSince: due}},
		{"last year's paid, this year's overdue", at(365 + 10), Facts{ContractAt: contract,
			Invoices: []Invoice{{Status: InvoicePaid, DueAt: due}, {Status: InvoiceOpen, DueAt: at(365)}}}, DefaultPolicy,
			Decision{State: Grace, Reason: ReasonOverdue, Until: at(365 + 60), OverdueSince: at(365)}},
		{"a manual suspension beats a payment", at(1), Facts{ContractAt: contract, SuspendedAt: at(0),
			Invoices: []Invoice{{Status: InvoicePaid, DueAt: due}}}, DefaultPolicy,
			Decision{State: ReadOnly, Reason: ReasonSuspended}},
		{"a suspension during the trial", at(-5), Facts{TrialUntil: at(10), SuspendedAt: at(-6)}, DefaultPolicy,
			Decision{State: ReadOnly, Reason: ReasonSuspended}},
		{"canceled: the export window runs", at(10), Facts{ContractAt: contract, CanceledAt: at(0), Invoices: open}, DefaultPolicy,
			Decision{State: Canceled, Reason: ReasonCanceled, Until: at(90)}},
		{"canceled: the export window is up", at(90), Facts{ContractAt: contract, CanceledAt: at(0)}, DefaultPolicy,
			Decision{State: Canceled, Reason: ReasonExportWindowUp}},
		{"canceled beats a suspension", at(10), Facts{ContractAt: contract, CanceledAt: at(0), SuspendedAt: at(-1)}, DefaultPolicy,
			Decision{State: Canceled, Reason: ReasonCanceled, Until: at(90)}},
		{"offboarding: the purge date is 30 days on", at(100), Facts{ContractAt: contract, CanceledAt: at(0), OffboardingAt: at(95)}, DefaultPolicy,
			Decision{State: Offboarding, Reason: ReasonOffboarding, Until: at(125)}},
		{"offboarding a second before the purge date", at(125).Add(-time.Second), Facts{ContractAt: contract, CanceledAt: at(0), OffboardingAt: at(95)}, DefaultPolicy,
			Decision{State: Offboarding, Reason: ReasonOffboarding, Until: at(125)}},
		{"offboarding: the purge is due", at(125), Facts{ContractAt: contract, CanceledAt: at(0), OffboardingAt: at(95)}, DefaultPolicy,
			Decision{State: Offboarding, Reason: ReasonPurgeDue}},
		{"offboarding from read-only, with a purge window of its own", at(80), Facts{ContractAt: contract, Invoices: open, OffboardingAt: at(70)},
			Policy{ReadOnlyAfterDays: 60, ExportWindowDays: 90, PurgeAfterDays: 7},
			Decision{State: Offboarding, Reason: ReasonPurgeDue}},
		{"offboarding beats a suspension", at(100), Facts{ContractAt: contract, SuspendedAt: at(1), OffboardingAt: at(95)}, DefaultPolicy,
			Decision{State: Offboarding, Reason: ReasonOffboarding, Until: at(125)}},
		{"archived beats everything", at(200), Facts{ContractAt: contract, CanceledAt: at(0), OffboardingAt: at(95),
			ArchivedAt: at(190), SuspendedAt: at(1), Invoices: open}, DefaultPolicy,
			Decision{State: Archived, Reason: ReasonArchived}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Evaluate(c.now, c.facts, c.policy)
			if got.State != c.want.State || got.Reason != c.want.Reason || got.Restricted != c.want.Restricted ||
				!got.Until.Equal(c.want.Until) || !got.OverdueSince.Equal(c.want.OverdueSince) {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestAccessNeverBlocksReadsForNonPayment: every state an unpaid office can
// reach still reads and exports; only archived reads nothing.
func TestAccessNeverBlocksReadsForNonPayment(t *testing.T) {
	for _, s := range States {
		a := AccessOf(s)
		switch s {
		case Archived:
			if a != (Access{}) {
				t.Errorf("archived allows %+v", a)
			}
		case Provisioning:
			if !a.Read || !a.AdminOnly || a.Export {
				t.Errorf("provisioning: %+v", a)
			}
		default:
			if !a.Login || !a.Read || !a.Export {
				t.Errorf("%s blocks reads or exports: %+v", s, a)
			}
		}
		if (s == ReadOnly || s == Canceled || s == Offboarding) && a.Write {
			t.Errorf("%s allows writes", s)
		}
		if (s == Trialing || s == Active || s == Grace) && !a.Write {
			t.Errorf("%s refuses writes", s)
		}
	}
}

// TestPermits: reads and exports pass in every state that reads; writes
// only where the state writes, refused as tenant_read_only.
func TestPermits(t *testing.T) {
	for _, c := range []struct {
		state, action string
		ok            bool
	}{
		{"", "create-umkm", true},
		{"active", "update-umkm", true},
		{"grace", "import-umkm", true},
		{"read_only", "list-umkm", true},
		{"read_only", "get-umkm", true},
		{"read_only", "export-umkm", true},
		{"read_only", "map-kendala", true},
		{"read_only", "create-umkm", false},
		{"read_only", "import-umkm", false},
		{"read_only", "create-user", false},
		{"canceled", "export-koperasi", true},
		{"canceled", "update-koperasi", false},
		{"canceled", "archive-umkm", false},
	} {
		err := Permits(c.state, "staf", c.action)
		if (err == nil) != c.ok {
			t.Errorf("%s %s: %v, want allowed %v", c.state, c.action, err, c.ok)
		}
		if err != nil {
			if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindReadOnly || ae.Code != "tenant_read_only" {
				t.Errorf("%s %s: %v is not tenant_read_only", c.state, c.action, err)
			}
		}
	}
}

// TestPermitsAdminsOnly: an office being set up or closed opens to its
// admins only; an archived one to nobody.
func TestPermitsAdminsOnly(t *testing.T) {
	if err := Permits("provisioning", "staf", "list-umkm"); apperr.KindOf(err) != apperr.KindReadOnly {
		t.Errorf("provisioning staf: %v", err)
	}
	if err := Permits("provisioning", "admin", "create-user"); err != nil {
		t.Errorf("provisioning admin configures: %v", err)
	}
	if err := Permits("offboarding", "admin", "export-umkm"); err != nil {
		t.Errorf("offboarding admin exports: %v", err)
	}
	if err := Permits("offboarding", "admin", "update-umkm"); apperr.KindOf(err) != apperr.KindReadOnly {
		t.Errorf("offboarding admin writes: %v", err)
	}
	if err := Permits("archived", "admin", "list-umkm"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("archived: %v", err)
	}
}
