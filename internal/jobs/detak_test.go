package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
)

// TestDetakRescuesOnlyJobsOfDeadWorkers: of three running jobs, the one
// whose process stopped beating is made available again within seconds
// (with an error entry, its attempt not refunded); the one of a process
// still beating and the one of a process that never beat are left alone.
func TestDetakRescuesOnlyJobsOfDeadWorkers(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	tenant := dbtest.NewTenant(t, env.DB, "detak").ID
	client, err := river.NewClient(riverpgxv5.New(env.DB.Pool), &river.Config{Schema: db.RiverSchema,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	running := func(by string) int64 {
		t.Helper()
		res, err := client.Insert(ctx, slowArgs{TenantJob: jobs.TenantJob{TenantID: tenant}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.DB.Pool.Exec(ctx, `update river.river_job set state = 'running', attempt = 1,
			attempted_at = now() - interval '1 minute', attempted_by = array[$2] where id = $1`, res.Job.ID, by); err != nil {
			t.Fatal(err)
		}
		return res.Job.ID
	}
	dead, alive, unknown := running("mati"), running("hidup-lain"), running("tanpa-detak")
	if _, err := env.DB.Pool.Exec(ctx, `insert into pekerja_detak (client_id, seen_at) values
		('mati', now() - interval '1 minute'), ('hidup-lain', now())`); err != nil {
		t.Fatal(err)
	}
	// hidup-lain keeps beating while the rescuer runs.
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l := slog.New(slog.DiscardHandler)
	go jobs.Detak{DB: env.DB, ClientID: "hidup-lain", Logger: l, Every: 100 * time.Millisecond, Stale: time.Hour}.Run(rctx)
	go jobs.Detak{DB: env.DB, ClientID: "penyelamat", Logger: l, Every: 100 * time.Millisecond, Stale: 2 * time.Second}.Run(rctx)

	state := func(id int64) (string, int) {
		var s string
		var errs int
		if err := env.DB.Pool.QueryRow(ctx, `select state::text, coalesce(array_length(errors, 1), 0) from river.river_job where id = $1`, id).Scan(&s, &errs); err != nil {
			t.Fatal(err)
		}
		return s, errs
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s, _ := state(dead); s == "available" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dead worker's job is still running after 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, errs := state(dead); errs != 1 {
		t.Errorf("rescued job has %d error entries, want 1", errs)
	}
	time.Sleep(500 * time.Millisecond) // a few more rounds
	for name, id := range map[string]int64{"a live worker's": alive, "a never-beating worker's": unknown} {
		if s, _ := state(id); s != "running" {
			t.Errorf("%s job is %s, want running", name, s)
		}
	}
}

// TestWorkCutByTheDatabaseWaitsForIt: an attempt that failed because
// PostgreSQL went away steps back for seconds without spending an attempt
// (River's backoff would wait 16 s, then 81 s); one that failed for any
// other reason is retried by River as usual.
func TestWorkCutByTheDatabaseWaitsForIt(t *testing.T) {
	s := jobs.Services{Logger: slog.New(slog.DiscardHandler)}
	away := fmt.Errorf("insert staged umkm: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P01"})
	var snooze *rivertype.JobSnoozeError
	if err := s.Settle(context.Background(), 2, 5, uuid.New(), uuid.New(), away); !errors.As(err, &snooze) || snooze.Duration <= 0 {
		t.Errorf("attempt cut by a terminated backend: %v, want a snooze", err)
	}
	other := errors.New("disk full")
	if err := s.Settle(context.Background(), 2, 5, uuid.New(), uuid.New(), other); !errors.Is(err, other) {
		t.Errorf("attempt failed otherwise: %v, want the error back for River's retry", err)
	}
}
