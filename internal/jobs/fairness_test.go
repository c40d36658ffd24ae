package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// TestMoreExportsThanConnectionsFinish queues twelve exports of two offices
// on workers whose pool has six connections (one of them River's LISTEN):
// every export finishes. Each export holds its transaction and records
// progress beside it; were progress written on the same pool, the job
// would fail with db.ErrSelfWait (and, without that guard, hang).
func TestMoreExportsThanConnectionsFinish(t *testing.T) {
	b := setupUMKMWith(t, jobs.Config{MaxWorkers: 1, LongWorkers: 4, TenantLongJobs: 2}, func(env *dbtest.Env) *db.DB {
		d, err := db.Open(context.Background(), env.AppURL, db.Options{MaxConns: 6, SideConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(d.Close)
		return d
	})
	ctx := context.Background()
	pending := map[int64]uuid.UUID{}
	owner := map[int64]*tenancy.Tenant{}
	for i := range 12 {
		tt := b.depok
		if i%2 == 1 {
			tt = b.medan
		}
		b.inTenant(t, tt, func(tx pgx.Tx) error {
			j, args, err := b.svc.QueueExport(ctx, tx, tt, umkm.ExportParams{Format: umkm.FormatXLSX}, b.user)
			if err != nil {
				return err
			}
			res, err := b.client.InsertTx(ctx, tx, args, nil)
			if err != nil {
				return err
			}
			pending[res.Job.ID], owner[res.Job.ID] = j.ID, tt
			return nil
		})
	}
	awaitJobs(t, b.events, func(ev *river.Event) bool {
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("export %d %s: %v", ev.Job.ID, ev.Kind, ev.Job.Errors)
		}
		if id, ok := pending[ev.Job.ID]; ok {
			if j, _ := b.job(t, owner[ev.Job.ID], id); j.Status != pekerjaan.Selesai {
				t.Errorf("export %s completed in River but is %s", id, j.Status)
			}
			delete(pending, ev.Job.ID)
		}
		return len(pending) == 0
	})
}

// TestQueuedWorkIsCappedPerOffice: an office with QueuedCap unfinished jobs
// gets 429 for the next, in Indonesian naming the limit, and nothing is
// written; another office is not affected.
func TestQueuedWorkIsCappedPerOffice(t *testing.T) {
	b := setupUMKMWith(t, jobs.Config{MaxWorkers: 1}, nil) // started, but nothing below is inserted into River
	ctx := context.Background()
	queue := func(tt *tenancy.Tenant) error {
		return b.env.DB.InTenantTx(ctx, tt.ID, func(tx pgx.Tx) error {
			_, _, err := b.svc.QueueExport(ctx, tx, tt, umkm.ExportParams{Format: umkm.FormatCSV}, b.user)
			return err
		})
	}
	for i := range pekerjaan.QueuedCap {
		if err := queue(b.depok); err != nil {
			t.Fatalf("export %d of %d: %v", i+1, pekerjaan.QueuedCap, err)
		}
	}
	err := queue(b.depok)
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindTooManyRequests || ae.RetryAfter <= 0 {
		t.Fatalf("export beyond the cap: %v, want 429 with Retry-After", err)
	}
	if want := "batasnya 10"; !strings.Contains(ae.Message.ID, want) {
		t.Errorf("message %q does not name the limit (%q)", ae.Message.ID, want)
	}
	if n := b.count(t, b.depok, "select count(*) from pekerjaan"); n != pekerjaan.QueuedCap {
		t.Errorf("%d pekerjaan after the refusal, want %d", n, pekerjaan.QueuedCap)
	}
	if err := queue(b.medan); err != nil {
		t.Errorf("another office's export: %v", err)
	}
	// Finished work no longer counts.
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "update pekerjaan set status = 'selesai' where id = (select id from pekerjaan order by created_at limit 1)")
		return err
	})
	if err := queue(b.depok); err != nil {
		t.Errorf("export after one finished: %v", err)
	}
}

// slowArgs is a long job that only takes time, to watch how many of one
// office run at once.
type slowArgs struct {
	jobs.TenantJob
	N int `json:"n"`
}

func (slowArgs) Kind() string { return "test_slow_long" }
func (slowArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: pekerjaan.Queue}
}

type slowWorker struct {
	river.WorkerDefaults[slowArgs]
	mu      sync.Mutex
	running map[uuid.UUID]int
	most    map[uuid.UUID]int
	started map[uuid.UUID][]time.Time
}

func (w *slowWorker) Work(ctx context.Context, job *river.Job[slowArgs]) error {
	id := job.Args.TenantID
	w.mu.Lock()
	w.running[id]++
	w.most[id] = max(w.most[id], w.running[id])
	w.started[id] = append(w.started[id], time.Now())
	w.mu.Unlock()
	select {
	case <-time.After(400 * time.Millisecond):
	case <-ctx.Done():
	}
	w.mu.Lock()
	w.running[id]--
	w.mu.Unlock()
	return ctx.Err()
}

// TestOneOfficeCannotTakeEveryLongWorker: eight long jobs of one office
// queued before two of another, on four long workers with a limit of two
// per office: no office ever runs more than two, and the second office's
// jobs start while the first's are still waiting, not after them.
func TestOneOfficeCannotTakeEveryLongWorker(t *testing.T) {
	env := dbtest.New(t)
	busy, other := dbtest.NewTenant(t, env.DB, "sibuk").ID, dbtest.NewTenant(t, env.DB, "lain").ID
	w := &slowWorker{running: map[uuid.UUID]int{}, most: map[uuid.UUID]int{}, started: map[uuid.UUID][]time.Time{}}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	client, err := river.NewClient(riverpgxv5.New(env.DB.Pool), &river.Config{
		Schema: db.RiverSchema, Logger: slog.New(slog.DiscardHandler), Workers: workers,
		Queues:     map[string]river.QueueConfig{pekerjaan.Queue: {MaxWorkers: 4, FetchPollInterval: 100 * time.Millisecond}},
		Middleware: []rivertype.Middleware{jobs.TenantMiddleware(env.DB), jobs.FairnessMiddleware(env.DB, 2)},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var params []river.InsertManyParams
	for i := range 8 {
		params = append(params, river.InsertManyParams{Args: slowArgs{TenantJob: jobs.TenantJob{TenantID: busy}, N: i}})
	}
	for i := range 2 {
		params = append(params, river.InsertManyParams{Args: slowArgs{TenantJob: jobs.TenantJob{TenantID: other}, N: i}})
	}
	if _, err := client.InsertMany(ctx, params); err != nil {
		t.Fatal(err)
	}
	events := start(t, client)
	done := 0
	awaitJobs(t, events, func(ev *river.Event) bool {
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %d %s: %v", ev.Job.ID, ev.Kind, ev.Job.Errors)
		}
		done++
		return done == len(params)
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, n := range w.most {
		if n > 2 {
			t.Errorf("tenant %s ran %d long jobs at once, limit 2", id, n)
		}
	}
	busyStarts := w.started[busy]
	if len(busyStarts) < 8 || len(w.started[other]) < 2 {
		t.Fatalf("starts: busy %d, other %d", len(busyStarts), len(w.started[other]))
	}
	if last := busyStarts[len(busyStarts)-1]; !w.started[other][1].Before(last) {
		t.Errorf("the other office's jobs started only after all eight of the busy office (at %s, busy's last at %s)",
			w.started[other][1].Format(time.StampMilli), last.Format(time.StampMilli))
	}
}
