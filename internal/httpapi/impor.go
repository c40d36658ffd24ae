package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Queue enqueues River jobs in a caller's transaction (the River client).
type Queue = pekerjaan.Inserter

type jobOutput struct {
	Location string `header:"Location"`
	Status   int
	Body     pekerjaan.Job
}

type importInput struct {
	TenantPath
	DryRun  bool   `query:"dry_run" doc:"Produce the per-row report without writing anything."`
	Strict  bool   `query:"strict" doc:"Write nothing if any row is invalid or a duplicate."`
	Nama    string `query:"nama" maxLength:"200" doc:"The file's name, for the job's record." example:"pendataan-2026.csv"`
	RawBody []byte `contentType:"text/csv" doc:"The CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or XLSX file, with the template's columns; title rows above the header are skipped."`
}

type exportInput struct {
	TenantPath
	UMKMFilter
	Format string `query:"format" enum:"csv,xlsx" default:"csv"`
}

// JobPath is the path of one pekerjaan; exported for Huma, as TenantPath.
type JobPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Pekerjaan (job) id."`
}

type fileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

type templateOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (s *Server) registerImports() {
	tags := []string{"UMKM: impor dan ekspor"}
	register(s.api, inTenant("get-umkm-template"), huma.Operation{
		OperationID: "get-umkm-template", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/impor/template", Tags: tags,
		Summary: "The import template (CSV with Indonesian headers and an example row)",
	}, func(ctx context.Context, _ *TenantPath) (*templateOutput, error) {
		return &templateOutput{ContentType: "text/csv; charset=utf-8",
			ContentDisposition: `attachment; filename="template-impor-umkm.csv"`, Body: umkm.Template()}, nil
	})

	register(s.api, inTenant("import-umkm"), huma.Operation{
		OperationID: "import-umkm", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/umkm/impor", Tags: tags,
		Summary: "Import businesses from CSV or XLSX",
		Description: "Checks the headers at once (422 on a wrong file), then queues the import and answers 202 with the job. " +
			"Follow Location for progress; when done, `hasil_berkas_id` is the per-row report. Up to 64 MB.",
		DefaultStatus: http.StatusAccepted, MaxBodyBytes: umkm.MaxUploadBytes, BodyReadTimeout: 2 * time.Minute,
	}, func(ctx context.Context, in *importInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		nama := in.Nama
		if nama == "" {
			nama = "impor.csv"
		}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return s.UMKM.QueueImport(ctx, tx, t, in.RawBody, umkm.ImportParams{Nama: nama, DryRun: in.DryRun, Strict: in.Strict}, p.UserID)
		})
	})

	register(s.api, inTenant("export-umkm"), huma.Operation{
		OperationID: "export-umkm", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/umkm/ekspor", Tags: tags,
		Summary: "Export the filtered register to CSV or XLSX",
		Description: "Queues the export and answers 202 with the job; when done, `hasil_berkas_id` is the file. " +
			"Personal columns (phone, e-mail, address, full NIK) only for roles that may read personal data.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *exportInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		params := umkm.ExportParams{Format: in.Format, PII: view.PII, Scope: sc, Filter: in.filter()}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return s.UMKM.QueueExport(ctx, tx, t, params, p.UserID)
		})
	})

	register(s.api, inTenant("get-pekerjaan"), huma.Operation{
		OperationID: "get-pekerjaan", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/pekerjaan/{id}", Tags: tags,
		Summary: "A long job: state, progress (selesai of total), result and result file",
	}, func(ctx context.Context, in *JobPath) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		all, err := pekerjaan.SeesAll(ctx, s.Authz, p, t.Slug)
		if err != nil {
			return nil, err
		}
		var job pekerjaan.Job
		err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			var err error
			job, err = pekerjaan.GetFor(ctx, tx, in.ID, p.UserID, all)
			return err
		})
		if err != nil {
			return nil, err
		}
		return &jobOutput{Status: http.StatusOK, Body: job}, nil
	})

	register(s.api, inTenant("get-berkas"), huma.Operation{
		OperationID: "get-berkas", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/berkas/{id}", Tags: tags,
		Summary:     "Download a file (an import report or an export)",
		Description: "Staf and admin download any file of the tenant; others only the files their own jobs produced.",
	}, func(ctx context.Context, in *JobPath) (*fileOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		all, err := pekerjaan.SeesAll(ctx, s.Authz, p, t.Slug)
		if err != nil {
			return nil, err
		}
		var f pekerjaan.File
		err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			var err error
			f, err = pekerjaan.GetFileFor(ctx, tx, in.ID, p.UserID, all)
			return err
		})
		if err != nil {
			return nil, err
		}
		return &fileOutput{ContentType: f.JenisIsi, CacheControl: "private, no-store",
			ContentDisposition: `attachment; filename="` + url.PathEscape(f.Nama) + `"`, Body: f.Isi}, nil
	})
}

// queueJob records a job and enqueues its River work in one tenant
// transaction (both or neither), answering 202 with the job.
func (s *Server) queueJob(ctx context.Context, t *tenancy.Tenant, queue func(pgx.Tx) (pekerjaan.Job, river.JobArgs, error)) (*jobOutput, error) {
	job, err := pekerjaan.Start(ctx, s.DB, s.Queue, t.ID, queue)
	if err != nil {
		return nil, err
	}
	return &jobOutput{Location: jobPath(t, job.ID), Status: http.StatusAccepted, Body: job}, nil
}

func jobPath(t *tenancy.Tenant, id uuid.UUID) string {
	return "/v1/tenants/" + t.Slug + "/pekerjaan/" + id.String()
}
