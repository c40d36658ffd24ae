package umkm

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// ImportArgs is the River job that runs an import.
type ImportArgs struct{ pekerjaan.Args }

func (ImportArgs) Kind() string { return "impor_umkm" }

// ExportArgs is the River job that produces an export file.
type ExportArgs struct{ pekerjaan.Args }

func (ExportArgs) Kind() string { return "ekspor_umkm" }

// ImportParams are what staff chose for an import.
type ImportParams struct {
	Nama   string `json:"nama"`
	DryRun bool   `json:"dry_run"`
	Strict bool   `json:"strict"`
}

// QueueImport stores the file and a queued pekerjaan in tx; the caller
// enqueues the returned args in the same transaction.
func (s *Service) QueueImport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, file []byte, p ImportParams, by uuid.UUID) (pekerjaan.Job, ImportArgs, error) {
	format, err := checkFile(p.Nama, file, s.tempDir())
	if err != nil {
		return pekerjaan.Job{}, ImportArgs{}, err
	}
	fileID, err := pekerjaan.SaveFile(ctx, tx, t.ID, p.Nama, spreadsheet.MIME(format), file, &by)
	if err != nil {
		return pekerjaan.Job{}, ImportArgs{}, err
	}
	job, err := pekerjaan.Create(ctx, tx, t.ID, "impor_umkm", p, &fileID, by)
	return job, ImportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

// RunImport runs a queued import. Chunks commit as they go (see Import); a
// retry after a crash resumes after the last committed chunk. final runs in
// the closing transaction with the report and the job's result: the River
// job completes there, so it completes exactly when the result is recorded.
func (s *Service) RunImport(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, final func(context.Context, pgx.Tx) error) error {
	p, file, done, err := pekerjaan.Upload[ImportParams](ctx, s.DB, t.ID, id)
	if err != nil {
		return err
	}
	if done {
		return s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error { return final(ctx, tx) })
	}
	if err := pekerjaan.Progress(ctx, s.DB, t.ID, id, pekerjaan.Berjalan, -1, nil); err != nil {
		return err
	}
	_, err = s.Import(ctx, t, file.Isi, ImportOptions{DryRun: p.DryRun, Strict: p.Strict, Job: id, Nama: p.Nama,
		Final: func(ctx context.Context, tx pgx.Tx, res ImportResult) error {
			reportID, err := pekerjaan.SaveFile(ctx, tx, t.ID, "laporan-impor-"+id.String()+".csv", "text/csv", res.Report, nil)
			if err != nil {
				return err
			}
			if err := pekerjaan.Finish(ctx, tx, id, res.Summary.Baris, map[string]any{
				"ringkasan": res.Summary, "masalah": ProblemsJSON(res.Problems, "id"), "berkas": fileJSON{res.File, res.File.Notes("id")}}, &reportID); err != nil {
				return err
			}
			return final(ctx, tx)
		}})
	return err
}

// fileJSON is how the file was read, in a finished import's result.
type fileJSON struct {
	FileInfo
	Catatan []string `json:"catatan,omitempty"`
}

// ExportParams are what staff chose for an export.
type ExportParams struct {
	Filter Filter `json:"filter"`
	Format string `json:"format"` // csv or xlsx
	PII    bool   `json:"pii"`    // personal columns included (decided by the caller's role)
	Scope  Scope  `json:"scope"`
}

// QueueExport records a queued export in tx.
func (s *Service) QueueExport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p ExportParams, by uuid.UUID) (pekerjaan.Job, ExportArgs, error) {
	if p.Format != FormatCSV && p.Format != FormatXLSX {
		return pekerjaan.Job{}, ExportArgs{}, apperr.InvalidField("query.format", p.Format, apperr.T("Format harus csv atau xlsx.", "Format must be csv or xlsx."))
	}
	if _, err := decodeCursor(p.Filter.Cursor); err != nil {
		return pekerjaan.Job{}, ExportArgs{}, err
	}
	job, err := pekerjaan.Create(ctx, tx, t.ID, "ekspor_umkm", p, nil, by)
	return job, ExportArgs{Args: pekerjaan.Args{TenantID: t.ID, PekerjaanID: job.ID}}, err
}

// RunExport writes the export file in tx, the job's own tenant transaction.
func (s *Service) RunExport(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID) error {
	job, err := pekerjaan.Get(ctx, tx, id)
	if err != nil {
		return err
	}
	if job.Status == pekerjaan.Selesai {
		return nil
	}
	var p ExportParams
	if err := json.Unmarshal(job.Parameter, &p); err != nil {
		return fmt.Errorf("export %s parameters: %w", id, err)
	}
	if err := pekerjaan.Progress(ctx, s.DB, t.ID, id, pekerjaan.Berjalan, 0, nil); err != nil {
		return err
	}
	out, n, err := s.export(ctx, tx, t, p, func(done int) {
		if err := pekerjaan.Progress(ctx, s.DB, t.ID, id, pekerjaan.Berjalan, done, nil); err != nil {
			s.Logger.WarnContext(ctx, "export progress", "error", err)
		}
	})
	if err != nil {
		return err
	}
	slug := t.Slug
	if slug == "" { // a job knows its tenant by id only
		if err := tx.QueryRow(ctx, "select slug from tenants where id = $1", t.ID).Scan(&slug); err != nil {
			return err
		}
	}
	fileID, err := pekerjaan.SaveFile(ctx, tx, t.ID, fmt.Sprintf("umkm-%s-%s.%s", slug, s.Now().Format("20060102-1504"), p.Format), spreadsheet.MIME(p.Format), out, nil)
	if err != nil {
		return err
	}
	return pekerjaan.Finish(ctx, tx, id, n, map[string]any{"baris": n}, &fileID)
}
