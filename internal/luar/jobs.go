package luar

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// ImportArgs is the River job that imports a list (on the long queue, bound
// per office as the register's imports).
type ImportArgs struct{ pekerjaan.Args }

func (ImportArgs) Kind() string { return JobKind }

// JobKind is the pekerjaan (and River) kind of a list import.
const JobKind = "impor_luar"

// QueueImport checks the choices and the file, stores the file and a
// queued pekerjaan in tx; the caller enqueues the returned args in the
// same transaction.
func (s *Service) QueueImport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, file []byte, p ImportParams, by uuid.UUID) (pekerjaan.Job, ImportArgs, error) {
	if err := checkParams(ctx, tx, p); err != nil {
		return pekerjaan.Job{}, ImportArgs{}, err
	}
	format, err := s.CheckFile(p.Nama, file)
	if err != nil {
		return pekerjaan.Job{}, ImportArgs{}, err
	}
	fileID, err := pekerjaan.SaveFile(ctx, tx, t.ID, p.Nama, spreadsheet.MIME(format), file, &by)
	if err != nil {
		return pekerjaan.Job{}, ImportArgs{}, err
	}
	job, err := pekerjaan.Create(ctx, tx, t.ID, JobKind, p, &fileID, by)
	return job, ImportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

// RunImport runs a queued import. final runs in the transaction that
// records the result (the River job completes there); for a real run
// that is the one that stores the rows, so a crash leaves nothing or all.
func (s *Service) RunImport(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, final func(context.Context, pgx.Tx) error) error {
	p, file, done, err := pekerjaan.Upload[ImportParams](ctx, s.DB, t.ID, id)
	if err != nil {
		return err
	}
	if done {
		return s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error { return final(ctx, tx) })
	}
	if err := pekerjaan.Progress(ctx, s.DB, t.ID, id, pekerjaan.Berjalan, 0, nil); err != nil {
		return err
	}
	_, err = s.Import(ctx, t, file.Isi, p, id, func(ctx context.Context, tx pgx.Tx, res Result) error {
		reportID, err := pekerjaan.SaveFile(ctx, tx, t.ID, "laporan-impor-luar-"+id.String()+".csv", "text/csv", res.Report, nil)
		if err != nil {
			return err
		}
		// The first rows that need a person, for the job's page.
		var perlu []RowResult
		for _, r := range res.Rows {
			if r.Hasil == HasilTidakValid || r.Hasil == HasilDuplikat || r.Hasil == HasilBelumCocok {
				if perlu = append(perlu, r); len(perlu) == 100 {
					break
				}
			}
		}
		if err := pekerjaan.Finish(ctx, tx, id, res.Summary.Baris, map[string]any{
			"ringkasan_luar": res.Summary, "baris": perlu, "berkas": res.File}, &reportID); err != nil {
			return err
		}
		return final(ctx, tx)
	})
	return err
}
