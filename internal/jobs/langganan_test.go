package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
)

// TestDailyAtJakarta: the clock runs once a day at its time in Jakarta,
// whatever the zone of the time it is asked from.
func TestDailyAtJakarta(t *testing.T) {
	wib, _ := time.LoadLocation("Asia/Jakarta")
	d := jobs.DailyAt{Hour: 0, Minute: 5, Loc: wib}
	for _, c := range []struct{ now, want time.Time }{
		{time.Date(2027, 3, 31, 16, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 17, 5, 0, 0, time.UTC)}, // 23.00 WIB
		{time.Date(2027, 3, 31, 17, 5, 0, 0, time.UTC), time.Date(2027, 4, 1, 17, 5, 0, 0, time.UTC)},  // at 00.05 WIB: the next day
		{time.Date(2027, 12, 31, 18, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 17, 5, 0, 0, time.UTC)}, // 01.00 WIB on 1 January
	} {
		if got := d.Next(c.now); !got.Equal(c.want) {
			t.Errorf("Next(%s) = %s, want %s", c.now, got.UTC(), c.want)
		}
	}
}

// TestDailyClockAppliesEveryOffice: with real workers, the clock's run
// applies each office's state in its own job: a trial that ended
// yesterday makes the office read-only (no webhook says so), an office in
// its trial stays trialing, an unbilled office stays active.
func TestDailyClockAppliesEveryOffice(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	ended := dbtest.NewTenant(t, env.DB, "uji-habis").ID
	running := dbtest.NewTenant(t, env.DB, "uji-jalan").ID
	unbilled := dbtest.NewTenant(t, env.DB, "uji-lepas").ID
	for id, until := range map[any]time.Duration{ended: -24 * time.Hour, running: 10 * 24 * time.Hour} {
		if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1::text, true)", id); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, trial_until) values ($1, now() + make_interval(secs => $2))`,
				id, until.Seconds())
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	client, events := startClient(t, env, false)
	if _, err := client.Insert(ctx, jobs.JamArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	left := 4 // the clock, and one job per office
	awaitJobs(t, events, func(ev *river.Event) bool {
		if ev.Job.Kind == "langganan_jam" || ev.Job.Kind == "langganan_jam_kantor" {
			left--
		}
		return left == 0
	})
	for id, want := range map[any]string{ended: "read_only", running: "trialing", unbilled: "active"} {
		var state string
		if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, "select state from tenants where id = $1", id).Scan(&state)
		}); err != nil {
			t.Fatal(err)
		}
		if state != want {
			t.Errorf("office %v: %s, want %s", id, state, want)
		}
	}
}
