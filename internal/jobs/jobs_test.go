package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// waitTimeout bounds every wait for a job: generous for a loaded CI machine,
// and never a sleep, only a deadline on a signal.
const waitTimeout = 30 * time.Second

var seq atomic.Int64

func newTenant(t *testing.T, d *db.DB, slug string, active bool) uuid.UUID {
	t.Helper()
	id := dbtest.NewTenant(t, d, slug).ID
	if !active {
		if _, err := d.Pool.Exec(t.Context(), "update tenants set state = 'archived' where id = $1", id); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// addKey stores an Idempotency-Key answer of tenant created age ago and
// returns its key.
func addKey(t *testing.T, d *db.DB, tenant uuid.UUID, age time.Duration) string {
	t.Helper()
	key := fmt.Sprintf("key-%d", seq.Add(1))
	err := d.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), `insert into idempotency_keys (tenant_id, user_id, key, operation, request_hash, status, response, created_at)
			values ($1, $2, $3, 'create-umkm', '\x00', 201, '{}', now() - make_interval(secs => $4))`,
			tenant, uuid.New(), key, age.Seconds())
		return err
	})
	if err != nil {
		t.Fatalf("add idempotency key: %v", err)
	}
	return key
}

// keysOf lists a tenant's idempotency keys, read as that tenant.
func keysOf(t *testing.T, d *db.DB, tenant uuid.UUID) []string {
	t.Helper()
	var keys []string
	err := d.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
		rows, err := tx.Query(t.Context(), "select key from idempotency_keys order by key")
		if err != nil {
			return err
		}
		keys, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatalf("list idempotency keys: %v", err)
	}
	return keys
}

// startClient starts Sentra's River client with real workers. Without
// periodic, the periodic runs (retention, dashboard refresh of every tenant:
// RunOnStart) are removed, so only the jobs the test inserts (and the
// dashboard refreshes its writes queue) run.
func startClient(t *testing.T, env *dbtest.Env, periodic bool) (*jobs.Client, <-chan *river.Event) {
	t.Helper()
	return startClientMailing(t, env, periodic, nil)
}

// startClientMailing is startClient with mail sent through mailer.
func startClientMailing(t *testing.T, env *dbtest.Env, periodic bool, mailer *surel.Mailer) (*jobs.Client, <-chan *river.Event) {
	t.Helper()
	l := slog.New(slog.DiscardHandler)
	accounts := &account.Service{DB: env.DB, Logger: l, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle, Mailer: mailer}
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, Logger: l},
		jobs.Services{DB: env.DB, Accounts: accounts, Logger: l})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if !periodic {
		for _, id := range []string{"retention", "dasbor"} {
			if !client.PeriodicJobs().RemoveByID(id) {
				t.Fatalf("periodic job %q not configured", id)
			}
		}
	}
	return client, start(t, client)
}

func start(t *testing.T, client *jobs.Client) <-chan *river.Event {
	t.Helper()
	// Not snoozes: a dashboard refresh that finds its tenant being refreshed
	// snoozes and runs again, which tests under load see now and then.
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
		river.EventKindJobCancelled)
	t.Cleanup(cancel)
	if err := client.Start(context.Background()); err != nil {
		t.Fatalf("start river: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.Stop(ctx); err != nil {
			t.Errorf("stop river: %v", err)
		}
	})
	return events
}

// awaitJobs waits until done says every expected job has finished, failing
// at once on a job that errors.
func awaitJobs(t *testing.T, events <-chan *river.Event, done func(*river.Event) bool) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case ev := <-events:
			// A dashboard refresh snoozes when another of its tenant runs:
			// expected; any other snooze or failure is not.
			if ev.Kind == river.EventKindJobFailed || (ev.Kind == river.EventKindJobSnoozed && ev.Job.Kind != dasbor.JobKind) {
				t.Fatalf("job %d (%s) %s: %v", ev.Job.ID, ev.Job.Kind, ev.Kind, ev.Job.Errors)
			}
			if done(ev) {
				return
			}
		case <-deadline:
			t.Fatalf("jobs not finished within %s", waitTimeout)
		}
	}
}

func TestRetentionPrunesSessionsAndFailuresAndFansOutPerTenant(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a", true)
	b := newTenant(t, env.DB, "tenant-b", true)
	closed := newTenant(t, env.DB, "tenant-closed", false)

	old, fresh := 25*time.Hour, time.Minute
	addKey(t, env.DB, a, old)
	addKey(t, env.DB, b, old)
	freshA, freshB := addKey(t, env.DB, a, fresh), addKey(t, env.DB, b, fresh)
	oldClosed := addKey(t, env.DB, closed, old)

	sessions := map[string]string{ // name → expires_at, revoked_at
		"live":            "now() + interval '1 hour', null",
		"expired":         "now() - interval '1 minute', null",
		"revoked 2d ago":  "now() + interval '1 hour', now() - interval '2 days'",
		"live 2nd device": "now() + interval '30 days', null",
	}
	if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
		user, err := account.CreateUser(ctx, tx, "retensi@depok.go.id", "Retensi", "kata-sandi-panjang-sekali")
		if err != nil {
			return err
		}
		for name, times := range sessions {
			if _, err := tx.Exec(ctx, `insert into sessions (id, user_id, token_hash, kind, expires_at, revoked_at)
				values ($1, $2, sha256($3::bytea), 'bearer', `+times+`)`, uuid.New(), user, []byte(name)); err != nil {
				return err
			}
		}
		if _, err = tx.Exec(ctx, `insert into login_failures (key, failed_at) values
			('\x01', now() - interval '1 hour'), ('\x02', now() - interval '1 minute')`); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into throttle_hits (key, at) values
			('\x0a', now() - interval '2 days'), ('\x0b', now() - interval '5 minutes')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	client, events := startClient(t, env, true)
	var retention int64
	tenantJobs := map[int64]bool{}
	awaitJobs(t, events, func(ev *river.Event) bool {
		switch {
		case ev.Kind != river.EventKindJobCompleted:
			t.Fatalf("job %d (%s) %s, want completed", ev.Job.ID, ev.Job.Kind, ev.Kind)
		case ev.Job.Kind == "retention":
			retention = ev.Job.ID
		case ev.Job.Kind == "tenant_retention":
			tenantJobs[ev.Job.ID] = true
		}
		return retention != 0 && len(tenantJobs) == 2
	})

	// One retention run, then one tenant_retention job per active tenant,
	// none for the closed one.
	rivertest.RequireInserted(ctx, t, riverpgxv5.New(env.DB.Pool), jobs.RetentionArgs{},
		&rivertest.RequireInsertedOpts{Schema: db.RiverSchema, State: rivertype.JobStateCompleted})
	list, err := client.JobList(ctx, river.NewJobListParams().Kinds("tenant_retention").First(100))
	if err != nil {
		t.Fatal(err)
	}
	var enqueued []uuid.UUID
	for _, j := range list.Jobs {
		var args jobs.TenantRetentionArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		enqueued = append(enqueued, args.TenantID)
	}
	slices.SortFunc(enqueued, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	want := []uuid.UUID{a, b}
	slices.SortFunc(want, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	if !slices.Equal(enqueued, want) {
		t.Errorf("tenant_retention jobs for %v, want one per active tenant %v", enqueued, want)
	}

	// Platform tables, read with no tenant set.
	var left []string
	var failures, hits []byte
	if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
		for name := range sessions {
			var n int
			if err := tx.QueryRow(ctx, "select count(*) from sessions where token_hash = sha256($1::bytea)", []byte(name)).Scan(&n); err != nil {
				return err
			}
			if n == 1 {
				left = append(left, name)
			}
		}
		if err := tx.QueryRow(ctx, "select string_agg(encode(key, 'hex'), ',') from throttle_hits").Scan(&hits); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "select string_agg(encode(key, 'hex'), ',') from login_failures").Scan(&failures)
	}); err != nil {
		t.Fatal(err)
	}
	if string(hits) != "0b" {
		t.Errorf("rate-limit counters left: %s, want only the recent one (0b)", hits)
	}
	slices.Sort(left)
	if want := []string{"live", "live 2nd device"}; !slices.Equal(left, want) {
		t.Errorf("sessions left after retention: %q, want %q", left, want)
	}
	if string(failures) != "02" {
		t.Errorf("login failures left: %s, want only the one inside the throttle window (02)", failures)
	}

	for _, c := range []struct {
		name   string
		tenant uuid.UUID
		want   []string
	}{
		{"tenant A", a, []string{freshA}},
		{"tenant B", b, []string{freshB}},
		{"inactive tenant (no job)", closed, []string{oldClosed}},
	} {
		if got := keysOf(t, env.DB, c.tenant); !slices.Equal(got, c.want) {
			t.Errorf("%s: idempotency keys %q after retention, want %q", c.name, got, c.want)
		}
	}
}

func TestTenantRetentionTouchesOnlyItsTenant(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a", true)
	b := newTenant(t, env.DB, "tenant-b", true)
	_ = addKey(t, env.DB, a, 25*time.Hour)
	justInside := addKey(t, env.DB, a, 23*time.Hour)
	freshA := addKey(t, env.DB, a, time.Second)
	oldB, freshB := addKey(t, env.DB, b, 48*time.Hour), addKey(t, env.DB, b, time.Second)

	client, events := startClient(t, env, false)
	res, err := client.Insert(ctx, jobs.TenantRetentionArgs{TenantJob: jobs.TenantJob{TenantID: a}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	awaitJobs(t, events, func(ev *river.Event) bool {
		if ev.Job.ID != res.Job.ID {
			t.Fatalf("unexpected job %d (%s) ran", ev.Job.ID, ev.Job.Kind)
		}
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("tenant_retention %s, want completed", ev.Kind)
		}
		return true
	})

	if got, want := keysOf(t, env.DB, a), sorted(justInside, freshA); !slices.Equal(got, want) {
		t.Errorf("tenant A keys after its retention: %q, want %q (only the one older than 24h deleted)", got, want)
	}
	if got, want := keysOf(t, env.DB, b), sorted(oldB, freshB); !slices.Equal(got, want) {
		t.Errorf("tenant B keys after A's retention: %q, want %q untouched", got, want)
	}
}

func TestTenantJobNamingNilTenantIsCancelled(t *testing.T) {
	env := dbtest.New(t)
	b := newTenant(t, env.DB, "tenant-b", true)
	oldB := addKey(t, env.DB, b, 48*time.Hour)

	client, events := startClient(t, env, false)
	res, err := client.Insert(t.Context(), jobs.TenantRetentionArgs{TenantJob: jobs.TenantJob{TenantID: uuid.Nil}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	awaitJobs(t, events, func(ev *river.Event) bool {
		if ev.Job.ID != res.Job.ID || ev.Kind != river.EventKindJobCancelled {
			t.Fatalf("job %d %s, want job %d cancelled", ev.Job.ID, ev.Kind, res.Job.ID)
		}
		return true
	})
	if got := keysOf(t, env.DB, b); !slices.Equal(got, []string{oldB}) {
		t.Errorf("keys of another tenant after a nil-tenant job: %q, want %q", got, []string{oldB})
	}
}

// probeArgs is a test-only tenant job that reports what it can see.
type probeArgs struct {
	jobs.TenantJob
	Name string `json:"name"`
}

func (probeArgs) Kind() string { return "test_tenant_probe" }

type probeWorker struct {
	river.WorkerDefaults[probeArgs]
	db   *db.DB
	seen chan<- map[uuid.UUID]int // tenant → idempotency keys visible
}

func (w *probeWorker) Work(ctx context.Context, job *river.Job[probeArgs]) error {
	return jobs.InTenantTx(ctx, w.db, job, func(tx pgx.Tx) error {
		// No WHERE tenant_id, on purpose: RLS must do the filtering.
		rows, err := tx.Query(ctx, "select tenant_id, count(*) from idempotency_keys group by tenant_id")
		if err != nil {
			return err
		}
		seen := map[uuid.UUID]int{}
		var id uuid.UUID
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { seen[id] = n; return nil }); err != nil {
			return err
		}
		w.seen <- seen
		return nil
	})
}

// probeClient runs the probe behind the tenant middleware, as Sentra's
// tenant jobs run; seen receives what each probe saw.
func probeClient(t *testing.T, env *dbtest.Env) (*river.Client[pgx.Tx], <-chan *river.Event, <-chan map[uuid.UUID]int) {
	t.Helper()
	seen := make(chan map[uuid.UUID]int, 1)
	workers := river.NewWorkers()
	river.AddWorker(workers, &probeWorker{db: env.DB, seen: seen})
	client, err := river.NewClient(riverpgxv5.New(env.DB.Pool), &river.Config{
		Schema:            db.RiverSchema,
		Logger:            slog.New(slog.DiscardHandler),
		Workers:           workers,
		Middleware:        []rivertype.Middleware{jobs.TenantMiddleware(env.DB)},
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
		ReindexerSchedule: river.NeverSchedule(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return client, start(t, client), seen
}

// TestTenantJobSeesOnlyItsTenant runs a job the way Sentra's tenant jobs run
// (tenant middleware, inTenantTx) with a query that forgets WHERE tenant_id:
// it sees its own tenant's rows and none of another's.
func TestTenantJobSeesOnlyItsTenant(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	a := newTenant(t, env.DB, "tenant-a", true)
	b := newTenant(t, env.DB, "tenant-b", true)
	addKey(t, env.DB, a, time.Second)
	addKey(t, env.DB, b, time.Second)
	addKey(t, env.DB, b, time.Second)

	client, events, seen := probeClient(t, env)
	if _, err := client.Insert(ctx, probeArgs{TenantJob: jobs.TenantJob{TenantID: a}}, nil); err != nil {
		t.Fatal(err)
	}
	awaitJobs(t, events, func(ev *river.Event) bool { return ev.Kind == river.EventKindJobCompleted })
	select {
	case got := <-seen:
		if len(got) != 1 || got[a] != 1 {
			t.Errorf("job of tenant A saw %v, want only A's 1 key", got)
		}
	default:
		t.Fatal("probe completed without reporting")
	}
}

// TestJobOfArchivedOfficeIsCancelled: work queued for an office before
// its purge never runs after it (it would write rows of a purged office).
func TestJobOfArchivedOfficeIsCancelled(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	gone := newTenant(t, env.DB, "tenant-gone", false)
	client, events, seen := probeClient(t, env)
	if _, err := client.Insert(ctx, probeArgs{TenantJob: jobs.TenantJob{TenantID: gone}}, nil); err != nil {
		t.Fatal(err)
	}
	awaitJobs(t, events, func(ev *river.Event) bool {
		if ev.Kind != river.EventKindJobCancelled {
			t.Fatalf("job of an archived office: %s, want cancelled", ev.Kind)
		}
		return true
	})
	select {
	case <-seen:
		t.Error("the job of an archived office ran")
	default:
	}
}

// TestInTenantTxRefusesJobWithoutMatchingTenant: a tenant worker run without
// the middleware (or with a context of another tenant) cancels instead of
// working with no tenant or the wrong one.
func TestInTenantTxRefusesJobWithoutMatchingTenant(t *testing.T) {
	env := dbtest.New(t)
	a, b := uuid.New(), uuid.New()
	job := &river.Job[jobs.TenantRetentionArgs]{JobRow: &rivertype.JobRow{ID: 7, State: rivertype.JobStateRunning},
		Args: jobs.TenantRetentionArgs{TenantJob: jobs.TenantJob{TenantID: a}}}
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{
		{"no tenant in context", t.Context()},
		{"another tenant in context", tenancy.WithTenant(t.Context(), &tenancy.Tenant{ID: b})},
	} {
		t.Run(c.name, func(t *testing.T) {
			called := false
			err := jobs.InTenantTx(c.ctx, env.DB, job, func(pgx.Tx) error { called = true; return nil })
			var cancel *river.JobCancelError
			if !errors.As(err, &cancel) {
				t.Errorf("InTenantTx = %v, want a JobCancel error", err)
			}
			if called {
				t.Error("the job's work ran")
			}
		})
	}
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}
