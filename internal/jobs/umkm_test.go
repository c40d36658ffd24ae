package jobs_test

// The UMKM import and export workers, run by Sentra's own River client
// (jobs.NewClient with workers) on a real database with the real tenants.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

// umkmBundle is a database with the four real tenants, the UMKM service and
// a started River client with workers.
type umkmBundle struct {
	env          *dbtest.Env
	svc          *umkm.Service
	client       *jobs.Client
	events       <-chan *river.Event
	depok, medan *tenancy.Tenant
	user         uuid.UUID // who queues the work
}

func setupUMKM(t *testing.T) *umkmBundle {
	t.Helper()
	return setupUMKMWith(t, jobs.Config{MaxWorkers: 2}, nil)
}

// setupUMKMWith is setupUMKM with the client's queues configured by cfg and
// the workers on the pool pool opens (nil: the test database's own).
func setupUMKMWith(t *testing.T, cfg jobs.Config, pool func(*dbtest.Env) *db.DB) *umkmBundle {
	t.Helper()
	ctx := context.Background()
	env := dbtest.New(t)
	work := env.DB
	if pool != nil {
		work = pool(env)
	}
	l := slog.New(slog.DiscardHandler)
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB, Logger: l}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatalf("sync tenants: %v", err)
	}
	scope := func(slug string) *tenancy.Tenant {
		tt, err := store.BySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return tt.Scope()
	}
	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	svc := &umkm.Service{DB: env.DB, Sealer: sealer, Logger: l, Now: time.Now}
	workSvc := &umkm.Service{DB: work, Sealer: sealer, Logger: l, Now: time.Now}
	accounts := &account.Service{DB: work, Logger: l, Now: time.Now, TokenTTL: time.Hour, Throttle: account.DefaultThrottle}
	cfg.Work, cfg.Logger = true, l
	client, err := jobs.NewClient(cfg, jobs.Services{DB: work, Accounts: accounts, UMKM: workSvc, Logger: l})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	for _, id := range []string{"retention", "dasbor"} {
		if !client.PeriodicJobs().RemoveByID(id) {
			t.Fatalf("periodic job %q not configured", id)
		}
	}
	return &umkmBundle{env: env, svc: svc, client: client, events: start(t, client),
		depok: scope("depok"), medan: scope("medan"), user: uuid.New()}
}

// await waits for job id to finish in state want (completed, cancelled...).
func (b *umkmBundle) await(t *testing.T, id int64, want river.EventKind) *river.Event {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case ev := <-b.events:
			if ev.Job.ID != id {
				continue
			}
			if ev.Kind != want {
				t.Fatalf("job %d (%s) %s, want %s: %v", ev.Job.ID, ev.Job.Kind, ev.Kind, want, ev.Job.Errors)
			}
			return ev
		case <-deadline:
			t.Fatalf("job %d not %s within %s", id, want, waitTimeout)
		}
	}
}

// inTenant runs fn in a transaction of tenant t.
func (b *umkmBundle) inTenant(t *testing.T, tt *tenancy.Tenant, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), tt.ID, fn); err != nil {
		t.Fatal(err)
	}
}

func (b *umkmBundle) count(t *testing.T, tt *tenancy.Tenant, sql string, args ...any) int {
	t.Helper()
	var n int
	b.inTenant(t, tt, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) })
	return n
}

// job reads a pekerjaan and, when it has one, its result file.
func (b *umkmBundle) job(t *testing.T, tt *tenancy.Tenant, id uuid.UUID) (pekerjaan.Job, pekerjaan.File) {
	t.Helper()
	var (
		j pekerjaan.Job
		f pekerjaan.File
	)
	b.inTenant(t, tt, func(tx pgx.Tx) error {
		var err error
		if j, err = pekerjaan.Get(context.Background(), tx, id); err != nil || j.HasilBerkasID == nil {
			return err
		}
		f, err = pekerjaan.GetFile(context.Background(), tx, *j.HasilBerkasID)
		return err
	})
	return j, f
}

// queueImport stores file and its pekerjaan and enqueues the job, inserting
// it times times, all in one tenant transaction as the API does.
func (b *umkmBundle) queueImport(t *testing.T, file string, times int) (pekerjaan.Job, []*rivertype.JobInsertResult) {
	t.Helper()
	ctx := context.Background()
	var (
		job     pekerjaan.Job
		results []*rivertype.JobInsertResult
	)
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		var (
			args umkm.ImportArgs
			err  error
		)
		if job, args, err = b.svc.QueueImport(ctx, tx, b.depok, []byte(file), umkm.ImportParams{Nama: "pendataan.csv"}, b.user); err != nil {
			return err
		}
		for range times {
			res, err := b.client.InsertTx(ctx, tx, args, nil)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		return nil
	})
	return job, results
}

const nikSiti = "3276014507850001"

// importFile has four good rows and one with an unknown sektor (row 6).
const importFile = "Nama Pemilik,NIK,Nama Usaha,Sektor,Kecamatan (kode atau nama),Kelurahan/Desa (kode atau nama),Omzet per Tahun (Rp)\n" +
	"Siti Aminah," + nikSiti + ",Keripik Singkong Bu Siti,kuliner,32.76.01,32.76.01.1006,Rp 180 jt\n" +
	"Budi Santoso,3276010101800002,Batik Budi,fashion,Pancoran Mas,Depok Jaya,2 M\n" +
	"Rina Marlina,,Kue Rina,kuliner,32.76.02,32.76.02.1007,\n" +
	"Andi Wijaya,,Servis Andi,jasa,Cimanggis,Curug,750rb\n" +
	"Joko Susilo,,Warung Joko,makanan,32.76.01,32.76.01.1006,\n"

var importSummary = umkm.ImportSummary{Baris: 5, Baru: 4, TidakValid: 1, Ditulis: true}

// summaryOf decodes the import summary of a finished pekerjaan.
func summaryOf(t *testing.T, j pekerjaan.Job) umkm.ImportSummary {
	t.Helper()
	var h struct {
		Ringkasan umkm.ImportSummary `json:"ringkasan"`
	}
	if err := json.Unmarshal(j.Hasil, &h); err != nil {
		t.Fatalf("hasil %s: %v", j.Hasil, err)
	}
	return h.Ringkasan
}

// reportIDs checks the report has one line per row (rows 2–6, the last
// invalid) and returns the business ids it names.
func reportIDs(t *testing.T, f pekerjaan.File) []string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.Isi, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatalf("report: %v\n%s", err, f.Isi)
	}
	if len(rows) != 6 {
		t.Fatalf("report has %d lines, want a header and 5 rows:\n%s", len(rows), f.Isi)
	}
	var ids []string
	for i, r := range rows[1:] {
		want := umkm.HasilBaru
		if i == 4 {
			want = umkm.HasilTidakValid
		}
		if r[1] != want {
			t.Errorf("report line %q, want %s", r, want)
		}
		if r[2] != "" {
			ids = append(ids, r[2])
		}
	}
	slices.Sort(ids)
	return ids
}

func (b *umkmBundle) umkmIDs(t *testing.T, tt *tenancy.Tenant) []string {
	t.Helper()
	var ids []string
	b.inTenant(t, tt, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), "select id::text from umkm order by id::text")
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return ids
}

// TestImportJobRunsOnce: an import queued (twice, in the API's transaction)
// runs once through the worker; the pekerjaan is done with the counts and a
// per-row report; queuing it again after it finished, or running it again,
// changes nothing.
func TestImportJobRunsOnce(t *testing.T) {
	b := setupUMKM(t)
	ctx := context.Background()
	job, inserted := b.queueImport(t, importFile, 2)
	if !inserted[1].UniqueSkippedAsDuplicate || inserted[1].Job.ID != inserted[0].Job.ID {
		t.Fatalf("second insert of the same import: skipped %v, job %d (first %d); want the first job",
			inserted[1].UniqueSkippedAsDuplicate, inserted[1].Job.ID, inserted[0].Job.ID)
	}
	b.await(t, inserted[0].Job.ID, river.EventKindJobCompleted)

	done, report := b.job(t, b.depok, job.ID)
	if done.Status != pekerjaan.Selesai || done.Selesai != 5 || done.Total == nil || *done.Total != 5 {
		t.Fatalf("pekerjaan %s, %d of %v; want selesai, 5 of 5", done.Status, done.Selesai, done.Total)
	}
	if got := summaryOf(t, done); got != importSummary {
		t.Errorf("summary %+v, want %+v", got, importSummary)
	}
	ids := b.umkmIDs(t, b.depok)
	if got := reportIDs(t, report); !slices.Equal(got, ids) || len(ids) != 4 {
		t.Errorf("report names %q, register holds %q; want the same 4", got, ids)
	}
	if bytes.Contains(report.Isi, []byte(nikSiti)) {
		t.Error("the report carries a full NIK")
	}
	if n := b.count(t, b.medan, "select count(*) from umkm"); n != 0 {
		t.Errorf("medan holds %d records after depok's import", n)
	}

	// Queued again after it finished: still the one job.
	var again *rivertype.JobInsertResult
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		var err error
		again, err = b.client.InsertTx(ctx, tx, umkm.ImportArgs{Args: pekerjaan.Args{TenantID: b.depok.ID, PekerjaanID: job.ID}}, nil)
		return err
	})
	if !again.UniqueSkippedAsDuplicate {
		t.Errorf("the finished import was queued again as job %d", again.Job.ID)
	}
	list, err := b.client.JobList(ctx, river.NewJobListParams().Kinds(umkm.ImportArgs{}.Kind()).First(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Jobs) != 1 || list.Jobs[0].State != rivertype.JobStateCompleted {
		t.Fatalf("%d import jobs, want exactly 1, completed", len(list.Jobs))
	}

	// Run again (a retry after the result was recorded): a no-op that still
	// lets the job complete.
	files := b.count(t, b.depok, "select count(*) from berkas")
	calls := 0
	err = b.svc.RunImport(ctx, b.depok, job.ID, func(ctx context.Context, tx pgx.Tx) error {
		calls++
		return nil
	})
	if err != nil || calls != 1 {
		t.Fatalf("RunImport again: %v, final called %d times; want nil and once", err, calls)
	}
	after, _ := b.job(t, b.depok, job.ID)
	if !after.UpdatedAt.Equal(done.UpdatedAt) || *after.HasilBerkasID != *done.HasilBerkasID || !bytes.Equal(after.Hasil, done.Hasil) {
		t.Errorf("pekerjaan changed by a second run: %+v, was %+v", after, done)
	}
	if got := b.umkmIDs(t, b.depok); !slices.Equal(got, ids) {
		t.Errorf("register after a second run %q, want %q", got, ids)
	}
	if n := b.count(t, b.depok, "select count(*) from berkas"); n != files {
		t.Errorf("%d files after a second run, want %d", n, files)
	}
}

// TestImportJobResumesAfterACrash: an earlier attempt committed its rows but
// died before recording the result; the worker's attempt writes nothing
// twice and reports every row, with the records the first attempt wrote.
func TestImportJobResumesAfterACrash(t *testing.T) {
	b := setupUMKM(t)
	ctx := context.Background()
	job, _ := b.queueImport(t, importFile, 0)
	// The first attempt: every chunk committed, the result never recorded.
	if _, err := b.svc.Import(ctx, b.depok, []byte(importFile), umkm.ImportOptions{Job: job.ID}); err != nil {
		t.Fatalf("first attempt: %v", err)
	}
	written := b.umkmIDs(t, b.depok)
	if mid, _ := b.job(t, b.depok, job.ID); len(written) != 4 || mid.Status != pekerjaan.Berjalan || mid.HasilBerkasID != nil {
		t.Fatalf("after the first attempt: %d records, pekerjaan %s, report %v; want 4, berjalan, none", len(written), mid.Status, mid.HasilBerkasID)
	}

	res, err := b.client.Insert(ctx, umkm.ImportArgs{Args: pekerjaan.Args{TenantID: b.depok.ID, PekerjaanID: job.ID}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.await(t, res.Job.ID, river.EventKindJobCompleted)

	done, report := b.job(t, b.depok, job.ID)
	if done.Status != pekerjaan.Selesai || done.Selesai != 5 {
		t.Fatalf("pekerjaan %s, %d rows; want selesai, 5", done.Status, done.Selesai)
	}
	if got := summaryOf(t, done); got != importSummary {
		t.Errorf("summary %+v, want %+v (the first attempt's rows, counted once)", got, importSummary)
	}
	if got := b.umkmIDs(t, b.depok); !slices.Equal(got, written) {
		t.Errorf("register after the retry %q, want the first attempt's %q", got, written)
	}
	if got := reportIDs(t, report); !slices.Equal(got, written) {
		t.Errorf("report names %q, want the records written %q", got, written)
	}
}

// TestImportJobOfUnreadableFileFailsAtOnce: bad input does not get better
// on retry: the job is cancelled on its first attempt and the pekerjaan
// says why, in words for people.
func TestImportJobOfUnreadableFileFailsAtOnce(t *testing.T) {
	b := setupUMKM(t)
	ctx := context.Background()
	var (
		job pekerjaan.Job
		res *rivertype.JobInsertResult
	)
	// Not through QueueImport, which would refuse it: a file that became
	// unreadable, or was stored by an older version.
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		file, err := pekerjaan.SaveFile(ctx, tx, b.depok.ID, "foto.png", "image/png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), &b.user)
		if err != nil {
			return err
		}
		if job, err = pekerjaan.Create(ctx, tx, b.depok.ID, "impor_umkm", umkm.ImportParams{Nama: "foto.png"}, &file, b.user); err != nil {
			return err
		}
		res, err = b.client.InsertTx(ctx, tx, umkm.ImportArgs{Args: pekerjaan.Args{TenantID: b.depok.ID, PekerjaanID: job.ID}}, nil)
		return err
	})
	ev := b.await(t, res.Job.ID, river.EventKindJobCancelled)
	if ev.Job.Attempt != 1 {
		t.Errorf("cancelled on attempt %d, want the first", ev.Job.Attempt)
	}
	failed, _ := b.job(t, b.depok, job.ID)
	if failed.Status != pekerjaan.Gagal || !strings.Contains(string(failed.Hasil), "bukan CSV") {
		t.Errorf("pekerjaan %s, hasil %s; want gagal saying the file is not CSV", failed.Status, failed.Hasil)
	}
	if n := b.count(t, b.depok, "select count(*) from umkm"); n != 0 {
		t.Errorf("%d records from an unreadable file", n)
	}
}

// TestExportJobHoldsOnlyItsTenant: exports of two tenants, run by the same
// workers at the same time, each hold only their own tenant's businesses
// (full NIKs opened with the right tenant's key), and one tenant's file is
// not readable as the other.
func TestExportJobHoldsOnlyItsTenant(t *testing.T) {
	b := setupUMKM(t)
	ctx := context.Background()
	create := func(tt *tenancy.Tenant, usaha, pemilik, kel, nik string) string {
		t.Helper()
		var rec umkm.Record
		b.inTenant(t, tt, func(tx pgx.Tx) error {
			var err error
			rec, err = b.svc.CreateTx(ctx, tx, tt, umkm.Input{NamaUsaha: usaha, NamaPemilik: pemilik, Sektor: "kuliner",
				KecamatanKode: kel[:8], KelurahanKode: kel, NIK: &nik}, umkm.SourceStaf, umkm.Scope{})
			return err
		})
		return rec.ID.String()
	}
	// The same person registered in both cities.
	depokIDs := []string{
		create(b.depok, "Keripik Singkong Bu Siti", "Siti Aminah", "32.76.01.1006", nikSiti),
		create(b.depok, "Batik Budi", "Budi Santoso", "32.76.02.1007", "3276010101800002"),
	}
	medanIDs := []string{
		create(b.medan, "Bika Ambon Siti", "Siti Aminah", "12.71.01.1001", nikSiti),
		create(b.medan, "Bolu Meranti Rudi", "Rudi Hartono", "12.71.01.1002", "1271010101800003"),
	}

	queue := func(tt *tenancy.Tenant) (pekerjaan.Job, int64) {
		var (
			job pekerjaan.Job
			res *rivertype.JobInsertResult
		)
		b.inTenant(t, tt, func(tx pgx.Tx) error {
			j, args, err := b.svc.QueueExport(ctx, tx, tt, umkm.ExportParams{Format: umkm.FormatCSV, PII: true}, b.user)
			if err != nil {
				return err
			}
			job = j
			res, err = b.client.InsertTx(ctx, tx, args, nil)
			return err
		})
		return job, res.Job.ID
	}
	depokJob, depokRiver := queue(b.depok)
	medanJob, medanRiver := queue(b.medan)
	pending := map[int64]bool{depokRiver: true, medanRiver: true}
	awaitJobs(t, b.events, func(ev *river.Event) bool {
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("export job %d %s: %v", ev.Job.ID, ev.Kind, ev.Job.Errors)
		}
		delete(pending, ev.Job.ID)
		return len(pending) == 0
	})

	for _, c := range []struct {
		tt           *tenancy.Tenant
		job          pekerjaan.Job
		want, others []string
		othersNames  []string
		nikOf        map[string]string
	}{
		{b.depok, depokJob, depokIDs, medanIDs, []string{"Bika Ambon", "Bolu Meranti", "Rudi", "1271010101800003"},
			map[string]string{depokIDs[0]: nikSiti, depokIDs[1]: "3276010101800002"}},
		{b.medan, medanJob, medanIDs, depokIDs, []string{"Keripik", "Batik", "Budi", "3276010101800002"},
			map[string]string{medanIDs[0]: nikSiti, medanIDs[1]: "1271010101800003"}},
	} {
		t.Run(c.tt.Slug, func(t *testing.T) {
			done, f := b.job(t, c.tt, c.job.ID)
			if done.Status != pekerjaan.Selesai || done.Selesai != 2 {
				t.Fatalf("export %s, %d rows; want selesai, 2", done.Status, done.Selesai)
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.Isi, []byte("\xef\xbb\xbf")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			id, nik := slices.Index(rows[0], "id"), slices.Index(rows[0], "nik")
			var got []string
			for _, r := range rows[1:] {
				got = append(got, r[id])
				if r[nik] != c.nikOf[r[id]] {
					t.Errorf("NIK of %s: %q, want %q", r[id], r[nik], c.nikOf[r[id]])
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("export holds %q, want exactly %q", got, c.want)
			}
			for _, v := range append(c.others, c.othersNames...) {
				if bytes.Contains(f.Isi, []byte(v)) {
					t.Errorf("export holds %q of another tenant", v)
				}
			}
		})
	}

	// The depok file, asked for as medan, does not exist.
	depokDone, _ := b.job(t, b.depok, depokJob.ID)
	err := b.env.DB.InTenantTx(ctx, b.medan.ID, func(tx pgx.Tx) error {
		_, err := pekerjaan.GetFile(ctx, tx, *depokDone.HasilBerkasID)
		return err
	})
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindNotFound {
		t.Errorf("depok's export read as medan: %v, want not found", err)
	}
}

// TestExportFileIsNamedAfterItsTenant: the file a worker produces is named
// umkm-<tenant>-<time>.csv, as RunExport intends.
func TestExportFileIsNamedAfterItsTenant(t *testing.T) {
	b := setupUMKM(t)
	ctx := context.Background()
	var (
		job pekerjaan.Job
		res *rivertype.JobInsertResult
	)
	b.inTenant(t, b.depok, func(tx pgx.Tx) error {
		j, args, err := b.svc.QueueExport(ctx, tx, b.depok, umkm.ExportParams{Format: umkm.FormatCSV}, b.user)
		if err != nil {
			return err
		}
		job = j
		res, err = b.client.InsertTx(ctx, tx, args, nil)
		return err
	})
	b.await(t, res.Job.ID, river.EventKindJobCompleted)
	_, f := b.job(t, b.depok, job.ID)
	if !strings.HasPrefix(f.Nama, "umkm-depok-") || !strings.HasSuffix(f.Nama, ".csv") {
		t.Errorf("export file named %q, want umkm-depok-<time>.csv", f.Nama)
	}
}
