package langganan_test

import (
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/langganan"
)

// TestDueReminder: a trial is reminded at 7, 3 and 1 days left, grace at
// 30, 14, 7 and 1 days before read-only; a day the clock missed is caught
// up by the next threshold; the days are the office's calendar days (a
// trial "until 31 March" has 1 day left all of 31 March, in WITA too).
func TestDueReminder(t *testing.T) {
	wib, _ := time.LoadLocation("Asia/Jakarta")
	wita, _ := time.LoadLocation("Asia/Makassar")
	endOf := func(y int, m time.Month, d int, loc *time.Location) time.Time {
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	trial := func(until time.Time) langganan.Status {
		return langganan.Status{Billed: true, Decision: langganan.Decision{State: langganan.Trialing, Reason: langganan.ReasonTrial, Until: until}}
	}
	grace := func(reason langganan.Reason, until time.Time) langganan.Status {
		return langganan.Status{Billed: true, Decision: langganan.Decision{State: langganan.Grace, Reason: reason, Until: until}}
	}
	march31 := endOf(2027, 3, 31, wib)
	at := func(d int, h int, loc *time.Location) time.Time { return time.Date(2027, 3, d, h, 0, 0, 0, loc) }
	for _, c := range []struct {
		name      string
		now       time.Time
		st        langganan.Status
		loc       *time.Location
		threshold int // 0: none
		left      int
	}{
		{"trial, 8 days left", at(24, 9, wib), trial(march31), wib, 0, 8},
		{"trial, 7 days left", at(25, 0, wib), trial(march31), wib, 7, 7},
		{"trial, 6 days: the 7 caught up", at(26, 23, wib), trial(march31), wib, 7, 6},
		{"trial, 3 days left", at(29, 9, wib), trial(march31), wib, 3, 3},
		{"trial, the last day", at(31, 23, wib), trial(march31), wib, 1, 1},
		{"trial, the last day in WITA", time.Date(2027, 3, 31, 23, 30, 0, 0, wita), trial(endOf(2027, 3, 31, wita)), wita, 1, 1},
		{"trial ended", time.Date(2027, 4, 1, 0, 0, 0, 0, wib), trial(march31), wib, 0, 0},
		{"grace, 31 days to read-only", at(1, 9, wib), grace(langganan.ReasonOverdue, march31), wib, 0, 31},
		{"grace, 30 days", at(2, 9, wib), grace(langganan.ReasonOverdue, march31), wib, 30, 30},
		{"grace, 13 days: the 14", at(19, 9, wib), grace(langganan.ReasonOverdue, march31), wib, 14, 13},
		{"grace, the last day", at(31, 9, wib), grace(langganan.ReasonOverdue, endOf(2027, 3, 31, wib)), wib, 1, 1},
		{"grace extended by an admin: no ladder", at(31, 9, wib), grace(langganan.ReasonGraceExtended, endOf(2027, 3, 31, wib)), wib, 0, 0},
		{"active", at(31, 9, wib), langganan.Status{Decision: langganan.Decision{State: langganan.Active, Reason: langganan.ReasonPaid}}, wib, 0, 0},
	} {
		r, ok := langganan.DueReminder(c.now, c.st, c.loc)
		if ok != (c.threshold > 0) || ok && (r.Threshold != c.threshold || r.DaysLeft != c.left) {
			t.Errorf("%s: %+v %t, want threshold %d with %d days left", c.name, r, ok, c.threshold, c.left)
		}
	}
}
