// Package penghapusan is the purge of an office after its offboarding
// window (BILLING.md "Offboarding"): every row of every tenant table
// deleted, except the ledger kept with the deletion record (invoices,
// billing facts, the audit log), in bounded batches, and a deletion record
// that says what went and which bundle the office was given.
//
// The deleting itself is the database's: a reviewed SECURITY DEFINER
// function (migrations/028_offboarding.sql) that deletes only for an
// office whose recorded state says its purge is due, never from the
// ledger, a batch at a time. The application role has no DELETE of its
// own on most tenant tables, and no code path of a live office can purge.
package penghapusan

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// Args is the purge of one office, on the long queue. The daily clock
// queues it each day the office's purge is due and not done; unique per
// office and day.
type Args struct {
	TenantID uuid.UUID `json:"tenant_id"`
}

func (Args) Kind() string { return "penghapusan_kantor" }

func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: pekerjaan.Queue, MaxAttempts: 10,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 12 * time.Hour}}
}

// Tenant is the office purged (the jobs' tenant middleware).
func (a Args) Tenant() uuid.UUID { return a.TenantID }

// DefaultBatch is the rows deleted per transaction: a few seconds of work
// at most, so a purge of 150.000 records and their children holds no
// lock for long and resumes where it was after a restart.
const DefaultBatch = 5000

// Service purges offices.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Batch  int // rows per transaction (0: DefaultBatch)
}

// Bundle is the export bundle the office was given, named in the record.
type Bundle struct {
	ID                     uuid.UUID
	SHA256, ManifestSHA256 string
}

// Record is a deletion record.
type Record struct {
	Tenant         uuid.UUID        `json:"tenant"`
	Slug           string           `json:"slug"`
	Nama           string           `json:"nama"`
	BundelID       uuid.UUID        `json:"bundel_id"`
	ManifestSHA256 string           `json:"manifest_sha256"`
	BundelSHA256   string           `json:"bundel_sha256"`
	Baris          map[string]int64 `json:"baris" doc:"Rows deleted, per table."`
	Keanggotaan    int              `json:"keanggotaan" doc:"Role assignments in the office removed."`
	Dinonaktifkan  int              `json:"dinonaktifkan" doc:"Accounts disabled: they held no role anywhere else."`
	RiverJobID     int64            `json:"river_job_id"`
	MulaiAt        time.Time        `json:"mulai_at"`
	SelesaiAt      *time.Time       `json:"selesai_at,omitempty"`
}

// Start opens the office's deletion record in tx (a transaction of the
// office), once: a resumed purge keeps its start and counts.
func Start(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, b Bundle, jobID int64) error {
	_, err := tx.Exec(ctx, `insert into penghapusan (tenant, slug, nama, bundel_id, manifest_sha256, bundel_sha256, river_job_id)
		select id, slug, name, $2, $3, $4, $5 from tenants where id = $1
		on conflict (tenant) do nothing`, tenantID, b.ID, b.ManifestSHA256, b.SHA256, jobID)
	if err != nil {
		return fmt.Errorf("open the deletion record: %w", err)
	}
	return nil
}

// Get reads an office's deletion record.
func Get(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, tenantID uuid.UUID) (Record, error) {
	var r Record
	var baris []byte
	err := q.QueryRow(ctx, `select tenant, slug, nama, bundel_id, manifest_sha256, bundel_sha256, baris, keanggotaan, dinonaktifkan,
			river_job_id, mulai_at, selesai_at from penghapusan where tenant = $1`, tenantID).
		Scan(&r.Tenant, &r.Slug, &r.Nama, &r.BundelID, &r.ManifestSHA256, &r.BundelSHA256, &baris, &r.Keanggotaan, &r.Dinonaktifkan,
			&r.RiverJobID, &r.MulaiAt, &r.SelesaiAt)
	if err != nil {
		return Record{}, db.MapError(err)
	}
	return r, json.Unmarshal(baris, &r.Baris)
}

// purgeable are the tenant tables the purge empties, children before the
// tables they reference: the catalogue's, less the ledger the database
// keeps (sentra_hapus.buku_besar, the same list its function refuses).
func purgeable(ctx context.Context, q db.Querier) ([]db.TenantTable, error) {
	tables, err := db.TenantTables(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, "select unnest(sentra_hapus.buku_besar())")
	if err != nil {
		return nil, err
	}
	ledger, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("the ledger kept: %w", err)
	}
	var out []db.TenantTable
	for _, t := range slices.Backward(tables) {
		if !slices.Contains(ledger, t.Name) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Purge deletes the office's rows table by table, each batch in a
// transaction of its own that adds its count to the deletion record, so an
// interrupted purge resumes where it was with exact counts.
func (s *Service) Purge(ctx context.Context, tenantID uuid.UUID) error {
	var tables []db.TenantTable
	if err := s.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) (err error) {
		tables, err = purgeable(ctx, tx)
		return err
	}); err != nil {
		return err
	}
	for _, t := range tables {
		for {
			var n int64
			err := s.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) (err error) {
				n, err = s.batch(ctx, tx, tenantID, t.Name)
				return err
			})
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}

// batch deletes up to a batch of rows of table and counts them in the
// record.
func (s *Service) batch(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, table string) (int64, error) {
	var n int64
	if err := tx.QueryRow(ctx, "select sentra_hapus.hapus($1, $2)", table, cmp.Or(s.Batch, DefaultBatch)).Scan(&n); err != nil {
		return 0, fmt.Errorf("purge %s: %w", table, err)
	}
	if n == 0 {
		return 0, nil
	}
	_, err := tx.Exec(ctx, `update penghapusan set baris = jsonb_set(baris, array[$2::text], to_jsonb(coalesce((baris ->> $2)::bigint, 0) + $3))
		where tenant = $1`, tenantID, table, n)
	return n, err
}

// Finish is the purge's last step in tx, the transaction that archives
// the office: a last sweep of every table (for rows a job wrote while the
// purge ran), then a check that nothing is left; the office's memberships
// removed and the accounts of its staff that hold no role anywhere else
// disabled, not deleted (the audit log names them) and signed out; the
// record closed and the purge written to the office's audit log.
func (s *Service) Finish(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, slug string) (Record, error) {
	tables, err := purgeable(ctx, tx)
	if err != nil {
		return Record{}, err
	}
	for _, t := range tables {
		for {
			n, err := s.batch(ctx, tx, tenantID, t.Name)
			if err != nil {
				return Record{}, err
			}
			if n == 0 {
				break
			}
		}
		var left bool
		if err := tx.QueryRow(ctx, "select exists (select from public."+pgx.Identifier{t.Name}.Sanitize()+")").Scan(&left); err != nil {
			return Record{}, err
		}
		if left {
			// Only rows that point at each other in a cycle stay behind
			// a leaves-first purge.
			return Record{}, fmt.Errorf("purge %s: rows are left that the purge cannot delete", t.Name)
		}
	}
	rows, err := tx.Query(ctx, "delete from role_assignments where domain = $1 returning user_id", slug)
	if err != nil {
		return Record{}, err
	}
	members, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return Record{}, fmt.Errorf("remove memberships: %w", err)
	}
	rows, err = tx.Query(ctx, `update users u set disabled_at = now(), updated_at = now(), version = version + 1
		where u.id = any($1) and u.disabled_at is null and not exists (select from role_assignments r where r.user_id = u.id)
		returning u.id`, members)
	if err != nil {
		return Record{}, err
	}
	disabled, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return Record{}, fmt.Errorf("disable accounts: %w", err)
	}
	if _, err := tx.Exec(ctx, `update sessions set revoked_at = now() where user_id = any($1) and revoked_at is null`, disabled); err != nil {
		return Record{}, fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.Exec(ctx, `update penghapusan set keanggotaan = $2, dinonaktifkan = $3, selesai_at = now() where tenant = $1`,
		tenantID, len(members), len(disabled)); err != nil {
		return Record{}, err
	}
	r, err := Get(ctx, tx, tenantID)
	if err != nil {
		return Record{}, err
	}
	err = audit.Record(ctx, tx, audit.Entry{TenantID: tenantID, Action: "purge", Entity: "langganan", EntityID: tenantID.String(),
		After: map[string]any{"baris": r.Baris, "keanggotaan": r.Keanggotaan, "dinonaktifkan": r.Dinonaktifkan,
			"bundel_id": r.BundelID, "manifest_sha256": r.ManifestSHA256}})
	return r, err
}
