package jobs_test

// The reclassification campaign and its report, run by Sentra's own River
// client (jobs.NewClient with workers) on a real database.

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/xuri/excelize/v2"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

type reklasBundle struct {
	env          *dbtest.Env
	svc          *koperasi.Service
	services     jobs.Services
	depok, medan *tenancy.Tenant
}

func setupReklas(t *testing.T) *reklasBundle {
	t.Helper()
	env := dbtest.New(t)
	l := slog.New(slog.DiscardHandler)
	store := realOffices(t, env, l)
	scope := func(slug string) *tenancy.Tenant { return office(t, store, slug).Scope() }
	svc := &koperasi.Service{DB: env.DB, Logger: l, Now: time.Now}
	accounts := &account.Service{DB: env.DB, Logger: l, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle}
	return &reklasBundle{env: env, svc: svc, depok: scope("depok"), medan: scope("medan"),
		services: jobs.Services{DB: env.DB, Accounts: accounts, Koperasi: svc, Logger: l}}
}

// realOffices loads the four offices of tenants/ (with their regions)
// into env.
func realOffices(t *testing.T, env *dbtest.Env, l *slog.Logger) *tenant.Store {
	t.Helper()
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB, Logger: l}
	if _, err := store.Sync(context.Background(), cfgs); err != nil {
		t.Fatalf("sync tenants: %v", err)
	}
	return store
}

func office(t *testing.T, store *tenant.Store, slug string) tenant.Tenant {
	t.Helper()
	tt, err := store.BySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

// client builds a River client with workers, in batches of batch
// cooperatives, started; stop it with the returned func (or let the test's
// cleanup do it).
func (b *reklasBundle) client(t *testing.T, batch int) (*jobs.Client, <-chan *river.Event) {
	t.Helper()
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, Logger: b.services.Logger, ReklasBatch: batch}, b.services)
	if err != nil {
		t.Fatal(err)
	}
	if !client.PeriodicJobs().RemoveByID("retention") {
		t.Fatal("periodic job \"retention\" not configured")
	}
	return client, start(t, client)
}

func (b *reklasBundle) inTenant(t *testing.T, tt *tenancy.Tenant, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), tt.ID, fn); err != nil {
		t.Fatal(err)
	}
}

func (b *reklasBundle) count(t *testing.T, tt *tenancy.Tenant, sql string, args ...any) int {
	t.Helper()
	var n int
	b.inTenant(t, tt, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) })
	return n
}

// startKampanye starts the campaign as the API does, enqueuing its job
// times times in the same transaction.
func (b *reklasBundle) startKampanye(t *testing.T, client *jobs.Client, tt *tenancy.Tenant, times int) (koperasi.Kampanye, []*rivertype.JobInsertResult) {
	t.Helper()
	ctx := context.Background()
	var (
		k   koperasi.Kampanye
		res []*rivertype.JobInsertResult
	)
	b.inTenant(t, tt, func(tx pgx.Tx) error {
		var (
			args koperasi.ReklasifikasiArgs
			err  error
		)
		if k, args, _, err = b.svc.StartKampanye(ctx, tx, tt, uuid.New()); err != nil {
			return err
		}
		for range times {
			r, err := client.InsertTx(ctx, tx, args, nil)
			if err != nil {
				return err
			}
			res = append(res, r)
		}
		return nil
	})
	return k, res
}

// everyEligibleOnce fails unless each eligible cooperative of the tenant
// has exactly one proposal in the campaign, and nothing else has one.
func (b *reklasBundle) everyEligibleOnce(t *testing.T, tt *tenancy.Tenant, kampanye uuid.UUID, want int) {
	t.Helper()
	if n := b.count(t, tt, `select count(*) from koperasi k where jenis is null and aktif and archived_at is null
		and (select count(*) from reklasifikasi_usulan u where u.koperasi_id = k.id and u.kampanye_id = $1) <> 1`, kampanye); n != 0 {
		t.Errorf("%d eligible cooperatives without exactly one proposal", n)
	}
	if n := b.count(t, tt, `select count(*) from reklasifikasi_usulan where kampanye_id = $1`, kampanye); n != want {
		t.Errorf("%d proposals, want %d", n, want)
	}
}

// TestReklasifikasiJobRunsOncePerTenant: a campaign started and enqueued
// twice, and started again while it runs, is one campaign and one job; it
// classifies every eligible cooperative of its tenant once and none of
// another tenant's.
func TestReklasifikasiJobRunsOncePerTenant(t *testing.T) {
	b := setupReklas(t)
	ctx := context.Background()
	for _, tt := range []*tenancy.Tenant{b.depok, b.medan} {
		if err := b.svc.Seed(ctx, tt, 700, 5, koperasi.GenOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	eligible := b.count(t, b.depok, `select count(*) from koperasi where jenis is null and aktif and archived_at is null`)
	client, events := b.client(t, 200)
	k, inserted := b.startKampanye(t, client, b.depok, 2)
	if !inserted[1].UniqueSkippedAsDuplicate || inserted[1].Job.ID != inserted[0].Job.ID {
		t.Fatalf("second enqueue: skipped %v, job %d (first %d)", inserted[1].UniqueSkippedAsDuplicate, inserted[1].Job.ID, inserted[0].Job.ID)
	}
	again, more := b.startKampanye(t, client, b.depok, 1)
	if again.ID != k.ID {
		t.Errorf("start while running answered campaign %s, want %s", again.ID, k.ID)
	}
	if !more[0].UniqueSkippedAsDuplicate && more[0].Job.State != rivertype.JobStateCompleted {
		t.Errorf("start while running enqueued a second job %d (%s)", more[0].Job.ID, more[0].Job.State)
	}
	awaitJobs(t, events, func(ev *river.Event) bool { return ev.Job.ID == inserted[0].Job.ID })

	b.everyEligibleOnce(t, b.depok, k.ID, eligible)
	done, err := b.svc.GetKampanye(ctx, b.depok, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != koperasi.KampanyeSelesai || done.Diproses != eligible || *done.Total != eligible {
		t.Errorf("campaign %s, %d of %d; want selesai, %d", done.Status, done.Diproses, *done.Total, eligible)
	}
	list, err := client.JobList(ctx, river.NewJobListParams().Kinds(koperasi.ReklasifikasiArgs{}.Kind()).First(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Jobs) != 1 || list.Jobs[0].State != rivertype.JobStateCompleted {
		t.Errorf("%d campaign jobs, want exactly 1, completed", len(list.Jobs))
	}
	if n := b.count(t, b.depok, `select count(*) from reklasifikasi_kampanye`); n != 1 {
		t.Errorf("%d campaigns, want 1", n)
	}
	if n := b.count(t, b.medan, `select count(*) from reklasifikasi_usulan`); n != 0 {
		t.Errorf("medan has %d proposals after depok's campaign", n)
	}
	if n := b.count(t, b.medan, `select count(*) from koperasi where version <> 1`); n != 0 {
		t.Errorf("%d of medan's cooperatives were written by depok's campaign", n)
	}

	// A finished campaign does not block the next (its job completed).
	next, res := b.startKampanye(t, client, b.depok, 1)
	if next.ID == k.ID || res[0].UniqueSkippedAsDuplicate {
		t.Errorf("a new campaign after the first finished: %s, skipped %v", next.ID, res[0].UniqueSkippedAsDuplicate)
	}
	awaitJobs(t, events, func(ev *river.Event) bool { return ev.Job.ID == res[0].Job.ID })
}

// TestReklasifikasiResumesAfterTheWorkerIsKilled: the worker is killed in the
// middle of a batch (its client stopped, its context cancelled) after some
// batches committed; started again, the campaign finishes with exactly one
// proposal per eligible cooperative: no gap, no duplicate.
func TestReklasifikasiResumesAfterTheWorkerIsKilled(t *testing.T) {
	b := setupReklas(t)
	ctx := context.Background()
	if err := b.svc.Seed(ctx, b.depok, 400, 9, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		t.Fatal(err)
	}
	const batch = 50
	// Hold the 201st cooperative: the fifth batch blocks on it, mid-batch,
	// after four batches committed.
	var held uuid.UUID
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select id from koperasi order by id offset 200 limit 1`).Scan(&held)
	})
	blocker, err := b.env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback(ctx) //nolint:errcheck // released below
	if _, err := blocker.Exec(ctx, `select set_config('app.tenant_id', $1, true)`, b.depok.ID.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := blocker.Exec(ctx, `select from koperasi where id = $1 for update`, held); err != nil {
		t.Fatal(err)
	}

	client, _ := b.client(t, batch)
	k, inserted := b.startKampanye(t, client, b.depok, 1)
	deadline := time.Now().Add(waitTimeout)
	for {
		var diproses, waiting int
		b.inTenant(t, b.depok, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select diproses from reklasifikasi_kampanye where id = $1`, k.ID).Scan(&diproses)
		})
		if err := b.env.DB.Pool.QueryRow(ctx, `select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%for share%'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if diproses == 4*batch && waiting == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker did not block on batch 5: %d processed, %d waiting", diproses, waiting)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Kill it.
	stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.StopAndCancel(stopCtx); err != nil {
		t.Fatalf("stop the worker: %v", err)
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	mid, err := b.svc.GetKampanye(ctx, b.depok, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mid.Status != koperasi.KampanyeBerjalan || mid.Diproses != 4*batch {
		t.Fatalf("after the kill: %s, %d processed; want berjalan, %d", mid.Status, mid.Diproses, 4*batch)
	}
	// Only the committed batches: the first 200 cooperatives by id.
	if n := b.count(t, b.depok, `select count(*) from (select id from koperasi order by id limit 200) k
		where (select count(*) from reklasifikasi_usulan u where u.koperasi_id = k.id) <> 1`); n != 0 ||
		b.count(t, b.depok, `select count(*) from reklasifikasi_usulan`) != 4*batch {
		t.Fatalf("after the kill the proposals are not exactly those of the 4 committed batches")
	}

	// Started again: a new worker process, and the admin pressing start.
	client2, events2 := b.client(t, batch)
	again, res := b.startKampanye(t, client2, b.depok, 1)
	if again.ID != k.ID {
		t.Fatalf("start after the kill answered %s, want the running %s", again.ID, k.ID)
	}
	jobID := inserted[0].Job.ID
	if !res[0].UniqueSkippedAsDuplicate {
		jobID = res[0].Job.ID // the killed job was not left retryable: a new one resumes
	}
	awaitJobs(t, events2, func(ev *river.Event) bool { return ev.Job.ID == jobID && ev.Kind == river.EventKindJobCompleted })
	b.everyEligibleOnce(t, b.depok, k.ID, 400)
	done, _ := b.svc.GetKampanye(ctx, b.depok, k.ID)
	if done.Status != koperasi.KampanyeSelesai || done.Diproses != 400 {
		t.Errorf("after the resume: %s, %d processed; want selesai, 400", done.Status, done.Diproses)
	}
	r := done.Ringkasan
	if r.Tinggi+r.Sedang+r.PerluTinjauan+r.PerluData != 400 {
		t.Errorf("ringkasan counts %+v, want 400 in all (each batch counted once)", r)
	}
}

// TestLaporanReklasifikasiIsAWorkbook: the report job writes an XLSX with
// the summary and one row per proposal, decisions included; a reason that
// looks like a formula is written as text (the legal basis refuses one).
func TestLaporanReklasifikasiIsAWorkbook(t *testing.T) {
	b := setupReklas(t)
	ctx := context.Background()
	if err := b.svc.Seed(ctx, b.depok, 120, 4, koperasi.GenOptions{}); err != nil {
		t.Fatal(err)
	}
	client, events := b.client(t, 0)
	k, inserted := b.startKampanye(t, client, b.depok, 1)
	awaitJobs(t, events, func(ev *river.Event) bool { return ev.Job.ID == inserted[0].Job.ID })
	page, err := b.svc.ListUsulan(ctx, b.depok, k.ID, koperasi.UsulanFilter{Keyakinan: "tinggi", Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("a high proposal: %v %d", err, len(page.Items))
	}
	if _, err := b.svc.ApproveUsulan(ctx, b.depok, k.ID, page.Items[0].ID, 1, koperasi.Persetujuan{
		Alasan: "=HYPERLINK(\"x\")", DasarHukum: "AHU-0001234.AH.01.27.TAHUN 2025"}, uuid.New()); err != nil {
		t.Fatal(err)
	}
	var job pekerjaan.Job
	var args koperasi.LaporanArgs
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		var err error
		if job, args, err = b.svc.QueueLaporan(ctx, tx, b.depok, k.ID, uuid.New()); err != nil {
			return err
		}
		_, err = client.InsertTx(ctx, tx, args, nil)
		return err
	})
	awaitJobs(t, events, func(ev *river.Event) bool { return ev.Job.Kind == "laporan_reklasifikasi" })
	var file pekerjaan.File
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		var err error
		if job, err = pekerjaan.Get(ctx, tx, job.ID); err != nil || job.HasilBerkasID == nil {
			t.Fatalf("report job: %+v %v", job, err)
		}
		file, err = pekerjaan.GetFile(ctx, tx, *job.HasilBerkasID)
		return err
	})
	proposals := b.count(t, b.depok, `select count(*) from reklasifikasi_usulan`)
	if job.Status != pekerjaan.Selesai || job.Selesai != proposals {
		t.Errorf("report job %s with %d rows, want selesai with %d", job.Status, job.Selesai, proposals)
	}
	x, err := excelize.OpenReader(bytes.NewReader(file.Isi))
	if err != nil {
		t.Fatalf("open report: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("Usulan")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != proposals+1 {
		t.Fatalf("%d rows on the Usulan sheet, want a header and %d", len(rows), proposals)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	cell := func(r []string, name string) string {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no column %q in %q", name, rows[0])
		}
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	var approved []string
	for _, r := range rows[1:] {
		if cell(r, "Status") == "disetujui" {
			approved = r
		}
		if h := cell(r, "Hasil"); h != string(koperasi.HasilPerluData) && cell(r, "Sumber Data") != string(koperasi.SumberVolume) {
			t.Errorf("a %s row compared %q, want volume (the seed records no composition)", h, cell(r, "Sumber Data"))
		}
	}
	if approved == nil || approved[0] != page.Items[0].ID.String() || cell(approved, "Jenis Disetujui") != string(*page.Items[0].JenisUsulan) ||
		cell(approved, "Alasan") != "'=HYPERLINK(\"x\")" || cell(approved, "Dasar Hukum") != "AHU-0001234.AH.01.27.TAHUN 2025" {
		t.Errorf("approved row %q", approved)
	}
	summary, err := x.GetRows("Ringkasan")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, r := range summary {
		if len(r) == 2 {
			found[r[0]] = r[1]
		}
	}
	if found["ID kampanye"] != k.ID.String() || found["Status disetujui"] != "1" || found["Status"] != "selesai" {
		t.Errorf("summary sheet %v", found)
	}
}
