package jobs_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/surel/sureltest"
	"github.com/sentra-id/sentra/internal/tenancy"
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

// TestDailyClockRemindsOnce: an office whose trial ends in three days is
// mailed once, to its admins and its treasurer, through a real relay; the
// clock again sends nothing; a disabled admin is not mailed.
func TestDailyClockRemindsOnce(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	office := dbtest.NewTenant(t, env.DB, "uji-ingat")
	wib, _ := time.LoadLocation("Asia/Jakarta")
	n := time.Now().In(wib)
	until := time.Date(n.Year(), n.Month(), n.Day()+3, 0, 0, 0, 0, wib) // three days: today, tomorrow, the day after
	if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
		for email, disabled := range map[string]bool{"kadis@uji.test": false, "lama@uji.test": true} {
			id, err := account.CreateUser(ctx, tx, email, "Admin", "kata-sandi-uji-yang-panjang")
			if err != nil {
				return err
			}
			if err := account.Grant(ctx, tx, id, tenancy.TenantDomain(office.Slug), tenancy.RoleAdmin, nil, nil); err != nil {
				return err
			}
			if disabled {
				if _, err := tx.Exec(ctx, "update role_assignments set disabled_at = now() where user_id = $1", id); err != nil {
					return err
				}
			}
		}
		if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1::text, true)", office.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, trial_until, billing_email) values ($1, $2, 'bendahara@uji.go.id')`,
			office.ID, until)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	relay := sureltest.Start(t)
	mailer, err := surel.New(surel.Config{Addr: relay.Addr, From: "noreply@sentra.test", Username: sureltest.User, Password: sureltest.Password,
		PublicURL: "https://sentra.test", InsecureTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	client, events := startClientMailing(t, env, false, mailer)
	clock := func() {
		t.Helper()
		// The clock of one office, as JamArgs queues it; its uniqueness
		// (12 hours) is lifted by removing the earlier run.
		admin, err := pgx.Connect(ctx, env.Admin)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "delete from river.river_job where kind = 'langganan_jam_kantor'"); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Insert(ctx, jobs.JamKantorArgs{TenantJob: jobs.TenantJob{TenantID: office.ID}}, nil); err != nil {
			t.Fatal(err)
		}
		awaitJobs(t, events, func(ev *river.Event) bool { return ev.Job.Kind == "langganan_jam_kantor" })
	}
	clock()
	got := relay.Messages()
	var to []string
	for _, m := range got {
		to = append(to, m.To)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"bendahara@uji.go.id", "kadis@uji.test"}) {
		t.Fatalf("mailed to %v", to)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(got[0].Message.Header.Get("Subject"))
	body, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(got[0].Body)))
	if !strings.HasPrefix(subject, "Masa uji coba Sentra berakhir") || !strings.Contains(string(body), "(3 hari lagi)") ||
		!strings.Contains(string(body), "Kota uji-ingat") {
		t.Errorf("the reminder: %q\n%s", subject, body)
	}
	clock()
	if n := len(relay.Messages()); n != 2 {
		t.Errorf("the clock again mailed %d in all, want the 2 of the first run", n)
	}
	var recorded int
	if err := env.DB.InTenantTx(ctx, office.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select count(*) from pengingat where jenis = 'uji_coba_berakhir' and ambang = 3 and penerima = 2").Scan(&recorded)
	}); err != nil || recorded != 1 {
		t.Errorf("%d reminders recorded (%v), want 1", recorded, err)
	}
}
