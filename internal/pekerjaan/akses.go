package pekerjaan

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Who sees which jobs and files, and how a job starts: one rule for the API
// and the web pages.

// Inserter enqueues River jobs in a caller's transaction (the River client).
type Inserter interface {
	InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Start records a job and enqueues its River work in one tenant transaction
// (both or neither): create records it (e.g. umkm.Service.QueueImport).
func Start(ctx context.Context, d *db.DB, q Inserter, tenantID uuid.UUID, create func(pgx.Tx) (Job, river.JobArgs, error)) (Job, error) {
	var job Job
	err := d.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var args river.JobArgs
		var err error
		if job, args, err = create(tx); err != nil {
			return err
		}
		_, err = q.InsertTx(ctx, tx, args, nil)
		return err
	})
	return job, err
}

// Allower answers a Casbin question (authz.Authorizer).
type Allower interface {
	Allowed(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) (bool, error)
}

// SeesAll: staf and admin see every job and file of the tenant; others
// (viewer, and a petugas, who reads personal data of their area only) see
// those they made.
func SeesAll(ctx context.Context, az Allower, p *tenancy.Principal, slug string) (bool, error) {
	dom := tenancy.TenantDomain(slug)
	pii, err := az.Allowed(ctx, p, dom, "read-pii")
	return pii && p.Roles[dom] != tenancy.RolePetugas, err
}

// GetFor returns job id as user sees it in tx: another's job, when all is
// false, is not found. Parameters (a searched name) and problem lists are
// the office's business.
func GetFor(ctx context.Context, tx pgx.Tx, id, user uuid.UUID, all bool) (Job, error) {
	job, err := Get(ctx, tx, id)
	if err != nil {
		return Job{}, err
	}
	if !all && (job.CreatedBy == nil || *job.CreatedBy != user) {
		return Job{}, apperr.NotFound()
	}
	return job, nil
}

// GetFileFor returns file id as user sees it in tx: when all is false, only
// a file one of user's own jobs produced.
func GetFileFor(ctx context.Context, tx pgx.Tx, id, user uuid.UUID, all bool) (File, error) {
	if !all {
		var mine bool
		if err := tx.QueryRow(ctx, `select exists (select from pekerjaan where hasil_berkas_id = $1 and created_by = $2)`,
			id, user).Scan(&mine); err != nil {
			return File{}, fmt.Errorf("owner of berkas: %w", err)
		}
		if !mine {
			return File{}, apperr.NotFound()
		}
	}
	return GetFile(ctx, tx, id)
}

// ListBy returns the newest jobs user started, at most limit ("Pekerjaan
// saya").
func ListBy(ctx context.Context, tx pgx.Tx, user uuid.UUID, limit int) ([]Job, error) {
	return list(ctx, tx, `created_by = $1`, user, limit)
}

// ListJenis returns the office's newest jobs of jenis, at most limit.
func ListJenis(ctx context.Context, tx pgx.Tx, jenis string, limit int) ([]Job, error) {
	return list(ctx, tx, `jenis = $1`, jenis, limit)
}

func list(ctx context.Context, tx pgx.Tx, where string, arg any, limit int) ([]Job, error) {
	rows, err := tx.Query(ctx, `select `+cols+` from pekerjaan where `+where+` order by created_at desc, id desc limit $2`, arg, limit)
	if err != nil {
		return nil, fmt.Errorf("list pekerjaan: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
