// Package pekerjaan is long work as staff see it (imports, exports): its
// state, progress and result, and the files it reads and writes. The work
// itself runs on River; this is the record a person polls.
package pekerjaan

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
)

// Args are the args of a River job that works on one pekerjaan of a
// tenant (an import, an export, a report); a job type embeds them and adds
// its Kind. Unique by the pekerjaan: queuing it twice never runs it twice.
type Args struct {
	TenantID    uuid.UUID `json:"tenant_id"`
	PekerjaanID uuid.UUID `json:"pekerjaan_id"`
}

// Tenant is the tenant the job works for (the jobs' tenant middleware).
func (a Args) Tenant() uuid.UUID { return a.TenantID }

// InsertOpts makes the job unique by its args and puts it on the long queue.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Queue is the River queue of long work (imports, exports, campaigns,
// reports): its own workers, so short jobs never wait behind it, and a
// bound per tenant on how many run at once (see the jobs package).
const Queue = "long"

// JobTimeout bounds one attempt of long work (an import, an export, a
// campaign, a report): below River's stuck-job rescue, so a live attempt is
// never rescued under its feet.
const JobTimeout = 15 * time.Minute

// States.
const (
	Antri    = "antri"    // queued
	Berjalan = "berjalan" // running
	Selesai  = "selesai"  // done
	Gagal    = "gagal"    // failed for good
)

// Job is one piece of long work.
type Job struct {
	ID            uuid.UUID       `json:"id"`
	Jenis         string          `json:"jenis" enum:"impor_umkm,ekspor_umkm,ekspor_koperasi,reklasifikasi,laporan_reklasifikasi,bundel_kantor,impor_luar,ekspor_program,ekspor_peserta,ekspor_belum_pernah"`
	Status        string          `json:"status" enum:"antri,berjalan,selesai,gagal"`
	Parameter     json.RawMessage `json:"parameter"`
	Selesai       int             `json:"selesai" doc:"Rows processed so far."`
	Total         *int            `json:"total,omitempty" doc:"Rows in all, once known."`
	Hasil         json.RawMessage `json:"hasil,omitempty" doc:"The summary when done; the reason when failed."`
	BerkasID      *uuid.UUID      `json:"berkas_id,omitempty" doc:"The uploaded file."`
	HasilBerkasID *uuid.UUID      `json:"hasil_berkas_id,omitempty" doc:"The produced file (report or export), downloadable."`
	CreatedBy     *uuid.UUID      `json:"created_by,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

const cols = `id, jenis, status, parameter, selesai, total, hasil, berkas_id, hasil_berkas_id, created_by, created_at, updated_at`

func scan(row pgx.Row) (Job, error) {
	var j Job
	err := row.Scan(&j.ID, &j.Jenis, &j.Status, &j.Parameter, &j.Selesai, &j.Total, &j.Hasil, &j.BerkasID, &j.HasilBerkasID, &j.CreatedBy, &j.CreatedAt, &j.UpdatedAt)
	return j, err
}

// QueuedCap bounds an office's unfinished long work (queued or running):
// beyond it a new import, export or report is refused, so one office
// cannot fill the queue in front of every other. Work untouched for an
// hour does not count (a job lost with its worker must not block an
// office for good).
const QueuedCap = 10

// Create records a queued job in tx (a tenant transaction), or refuses it
// with 429 when the office already has QueuedCap unfinished.
func Create(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, jenis string, param any, berkas *uuid.UUID, by uuid.UUID) (Job, error) {
	p, err := json.Marshal(param)
	if err != nil {
		return Job{}, err
	}
	// One office's creates queue here for the count to hold; the lock ends
	// with the transaction.
	var unfinished int
	if _, err := tx.Exec(ctx, `select pg_advisory_xact_lock(hashtextextended('pekerjaan:' || $1::text, 0))`, tenantID); err != nil {
		return Job{}, fmt.Errorf("lock pekerjaan: %w", err)
	}
	if err := tx.QueryRow(ctx, `select count(*) from pekerjaan where status in ('antri', 'berjalan')
		and updated_at > now() - interval '1 hour'`).Scan(&unfinished); err != nil {
		return Job{}, fmt.Errorf("count pekerjaan: %w", err)
	}
	if unfinished >= QueuedCap {
		return Job{}, apperr.TooManyRequests(apperr.T(
			fmt.Sprintf("Kantor Anda sudah punya %d pekerjaan (impor, ekspor, laporan) yang antre atau berjalan; batasnya %d. Tunggu sampai ada yang selesai, lalu coba lagi.", unfinished, QueuedCap),
			fmt.Sprintf("Your office already has %d jobs (imports, exports, reports) queued or running; the limit is %d. Wait until one finishes, then try again.", unfinished, QueuedCap)),
			30*time.Second)
	}
	j, err := scan(tx.QueryRow(ctx, `insert into pekerjaan (tenant_id, id, jenis, status, parameter, berkas_id, created_by)
		values ($1, $2, $3, 'antri', $4, $5, $6) returning `+cols, tenantID, uuid.Must(uuid.NewV7()), jenis, p, berkas, by))
	if err != nil {
		return Job{}, fmt.Errorf("create pekerjaan: %w", err)
	}
	return j, nil
}

// Get returns a job of the transaction's tenant.
func Get(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Job, error) {
	j, err := scan(tx.QueryRow(ctx, `select `+cols+` from pekerjaan where id = $1`, id))
	return j, db.MapError(err)
}

// Latest returns the newest job of jenis of the transaction's tenant
// (NotFound when it has none).
func Latest(ctx context.Context, tx pgx.Tx, jenis string) (Job, error) {
	j, err := scan(tx.QueryRow(ctx, `select `+cols+` from pekerjaan where jenis = $1 order by created_at desc, id desc limit 1`, jenis))
	return j, db.MapError(err)
}

// Progress records progress in its own short transaction on the side pool,
// so it is visible while the work's transaction is still open and never
// waits for a connection the work itself holds. A negative done keeps the
// count (a resumed job starts where it was).
func Progress(ctx context.Context, d *db.DB, tenantID, id uuid.UUID, status string, done int, total *int) error {
	return d.Side().InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update pekerjaan set status = $2, selesai = case when $3 < 0 then selesai else $3 end,
			total = coalesce($4, total), updated_at = now()
			where id = $1 and status in ('antri', 'berjalan')`, id, status, done, total)
		return err
	})
}

// ProgressTx records progress in tx, the work's own transaction: for work
// that commits as it goes, so the count moves exactly with what committed.
func ProgressTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, done int, total *int) error {
	_, err := tx.Exec(ctx, `update pekerjaan set status = 'berjalan', selesai = $2, total = coalesce($3, total), updated_at = now()
		where id = $1 and status in ('antri', 'berjalan')`, id, done, total)
	return err
}

// Finish records the result in tx, the work's own transaction.
func Finish(ctx context.Context, tx pgx.Tx, id uuid.UUID, done int, hasil any, file *uuid.UUID) error {
	h, err := json.Marshal(hasil)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `update pekerjaan set status = 'selesai', selesai = $2, total = $2, hasil = $3, hasil_berkas_id = $4,
		updated_at = now() where id = $1`, id, done, h, file)
	return err
}

// Fail records that the work failed for good, with a reason for people, on
// the side pool (the job's attempt may still hold its transaction).
func Fail(ctx context.Context, d *db.DB, tenantID, id uuid.UUID, reason any) error {
	h, err := json.Marshal(reason)
	if err != nil {
		return err
	}
	return d.Side().InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update pekerjaan set status = 'gagal', hasil = $2, updated_at = now() where id = $1`, id, h)
		return err
	})
}

// File is a stored file.
type File struct {
	ID        uuid.UUID
	Nama      string
	JenisIsi  string
	Isi       []byte
	CreatedAt time.Time
}

// SaveFile stores a file in tx.
func SaveFile(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, nama, jenisIsi string, isi []byte, by *uuid.UUID) (uuid.UUID, error) {
	id := uuid.Must(uuid.NewV7())
	_, err := tx.Exec(ctx, `insert into berkas (tenant_id, id, nama, jenis_isi, ukuran, isi, created_by) values ($1, $2, $3, $4, $5, $6, $7)`,
		tenantID, id, nama, jenisIsi, len(isi), isi, by)
	if err != nil {
		return uuid.Nil, fmt.Errorf("save berkas: %w", err)
	}
	return id, nil
}

// GetFile reads a file of the transaction's tenant.
func GetFile(ctx context.Context, tx pgx.Tx, id uuid.UUID) (File, error) {
	var f File
	err := tx.QueryRow(ctx, `select id, nama, jenis_isi, isi, created_at from berkas where id = $1`, id).
		Scan(&f.ID, &f.Nama, &f.JenisIsi, &f.Isi, &f.CreatedAt)
	return f, db.MapError(err)
}

// Upload reads what a queued upload job runs on: its parameters and the
// file it was queued with. done is true when there is nothing to run, the
// job having finished already (a retry after its result was recorded) or
// having no file; the caller then only completes the River job.
func Upload[P any](ctx context.Context, d *db.DB, tenantID, id uuid.UUID) (p P, file File, done bool, err error) {
	err = d.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		job, err := Get(ctx, tx, id)
		if err != nil {
			return err
		}
		if done = job.Status == Selesai || job.BerkasID == nil; done {
			return nil
		}
		if err := json.Unmarshal(job.Parameter, &p); err != nil {
			return fmt.Errorf("job %s parameters: %w", id, err)
		}
		file, err = GetFile(ctx, tx, *job.BerkasID)
		return err
	})
	return p, file, done, err
}
