package langganan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/format"
)

// Reminders (BILLING.md's daily clock): an office is told by mail before
// its trial ends and before an overdue invoice makes it read-only, at a
// few thresholds of days left, each once.

// Kinds of reminder.
const (
	TrialEnding    = "uji_coba_berakhir"
	ReadOnlyNearby = "baca_saja_mendekat"
)

// Thresholds are the days left at which a reminder goes, most first. A
// day the clock did not run is caught up by the next threshold not sent.
var (
	trialThresholds    = []int{7, 3, 1}
	readOnlyThresholds = []int{30, 14, 7, 1}
)

// Reminder is one reminder due: its kind, the threshold it is sent at,
// the days actually left and the end it announces.
type Reminder struct {
	Kind      string
	Threshold int
	DaysLeft  int
	Ends      time.Time
}

// DueReminder is the reminder an office in st is owed at now, in its time
// zone loc: the smallest threshold at or above the days left. The caller
// sends it unless it was sent already (table pengingat).
func DueReminder(now time.Time, st Status, loc *time.Location) (Reminder, bool) {
	var (
		kind       string
		thresholds []int
	)
	switch {
	case st.State == Trialing && !st.Until.IsZero():
		kind, thresholds = TrialEnding, trialThresholds
	case st.State == Grace && st.Reason == ReasonOverdue && !st.Until.IsZero():
		kind, thresholds = ReadOnlyNearby, readOnlyThresholds
	default:
		return Reminder{}, false
	}
	left := daysBetween(now, st.Until, loc)
	if left < 1 {
		return Reminder{}, false
	}
	due := 0
	for _, t := range thresholds {
		if left <= t {
			due = t // the thresholds go down: the last that fits is the smallest
		}
	}
	if due == 0 {
		return Reminder{}, false
	}
	return Reminder{Kind: kind, Threshold: due, DaysLeft: left, Ends: st.Until}, true
}

// daysBetween counts the office's calendar days from now to end (an end
// at midnight belongs to the day before it: a trial "until 31 March" ends
// as 1 April starts).
func daysBetween(now, end time.Time, loc *time.Location) int {
	a := now.In(loc)
	b := end.In(loc).Add(-time.Nanosecond)
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours()/24) + 1
}

// Letter is a reminder as mailed.
type Letter struct {
	To      []string
	Subject string
	Body    string
}

// Claim records the reminder as sent to the office's admins and its
// treasurer, in its tenant transaction, and returns the letter to mail
// after the commit; ok is false when it was sent already (a retried or
// repeated clock) or nobody can receive it. Recorded first, mailed after:
// a relay that fails loses one reminder, never sends two.
func Claim(ctx context.Context, tx pgx.Tx, t Office, r Reminder, loc *time.Location) (Letter, bool, error) {
	rows, err := tx.Query(ctx, `select u.email from role_assignments a join users u on u.id = a.user_id
		where a.domain = $1 and a.role = 'admin' and a.disabled_at is null
		union select billing_email from tenant_billing where tenant_id = $2 and billing_email is not null
		order by 1`, t.Slug, t.ID)
	if err != nil {
		return Letter{}, false, err
	}
	to, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(to) == 0 {
		return Letter{}, false, err
	}
	ends := r.Ends.In(loc).Add(-time.Nanosecond) // the last day of the state
	tag, err := tx.Exec(ctx, `insert into pengingat (tenant_id, jenis, ambang, sampai, penerima) values ($1, $2, $3, $4, $5)
		on conflict do nothing`, t.ID, r.Kind, r.Threshold, ends.Format(time.DateOnly), len(to))
	if err != nil || tag.RowsAffected() == 0 {
		return Letter{}, false, err
	}
	return letter(t, r, ends, to, loc), true, nil
}

// Office names the office a reminder is about.
type Office struct {
	ID   uuid.UUID
	Slug string
	Name string
}

func letter(t Office, r Reminder, last time.Time, to []string, loc *time.Location) Letter {
	day := format.Tanggal(last, loc)
	left := fmt.Sprintf("%d hari lagi", r.DaysLeft)
	if r.DaysLeft == 1 {
		left = "hari ini hari terakhirnya"
	}
	var b strings.Builder
	b.WriteString("Yth. Admin dan Bendahara " + t.Name + ",\n\n")
	l := Letter{To: to}
	switch r.Kind {
	case TrialEnding:
		l.Subject = "Masa uji coba Sentra berakhir " + day
		fmt.Fprintf(&b, "Masa uji coba Sentra untuk %s berakhir pada %s (%s).\n\n", t.Name, day, left)
		b.WriteString("Agar kantor tetap dapat mengubah data setelah itu, hubungi admin platform Sentra untuk mencatat kontrak (SPK). " +
			"Tanpa kontrak, data tetap dapat dibaca dan diekspor.\n")
	case ReadOnlyNearby:
		l.Subject = "Tagihan Sentra lewat jatuh tempo: baca saja mulai " + format.Tanggal(last.Add(24*time.Hour), loc)
		fmt.Fprintf(&b, "Tagihan Sentra untuk %s sudah lewat jatuh tempo. Jika belum dibayar, kantor masuk mode baca saja setelah %s (%s).\n\n",
			t.Name, day, left)
		b.WriteString(CaraBayar.ID + "\n\nJika SP2D sedang diproses, beri tahu admin platform Sentra: masa tenggang dapat diperpanjang.\n")
	}
	b.WriteString("\nSentra\n")
	l.Body = b.String()
	return l
}
