package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// Other agencies' participant lists (issue 17 item 3): import a list as
// long work (dry run or real, per-row report), then the rows kept for
// staff: match one to a register record, or discard it. Nothing here
// creates a register record.

type luarImportInput struct {
	TenantPath
	AgensiID    uuid.UUID `query:"agensi_id" required:"true" doc:"The agency whose list it is (not this office)."`
	ProgramNama string    `query:"program_nama" required:"true" maxLength:"300" example:"Pelatihan Zakat Produktif"`
	Jenis       string    `query:"jenis" required:"true" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event"`
	Tahun       int       `query:"tahun" required:"true" minimum:"2000" maximum:"2100"`
	DryRun      bool      `query:"dry_run" doc:"Produce the per-row report without storing anything."`
	Nama        string    `query:"nama" maxLength:"200" doc:"The file's name, for the job's record." example:"peserta-baznas-2026.xlsx"`
	RawBody     []byte    `contentType:"text/csv" doc:"The CSV or XLSX list: NIK, NIB, nama usaha, nama pemilik (required), kelurahan, status/keterangan; headers as agencies write them are recognised, title rows above them skipped."`
}

type luarImportsOutput struct {
	Body struct {
		Items []pekerjaan.Job `json:"items" nullable:"false"`
	}
}

type luarListInput struct {
	TenantPath
	PageParams
	Status      string    `query:"status" enum:"cocok,belum_cocok,dibuang"`
	AgensiID    uuid.UUID `query:"agensi_id"`
	PekerjaanID uuid.UUID `query:"pekerjaan_id" doc:"Only the rows an import stored."`
}

type luarMatchInput struct {
	TenantPath
	ID   uuid.UUID `path:"id" doc:"The list row."`
	Body struct {
		UMKMID uuid.UUID `json:"umkm_id" doc:"The register record the row is."`
	}
}

type luarRowPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"The list row."`
}

type luarRowOutput struct {
	Body luar.BarisDaftar
}

// luarView is programView in the list package's terms.
func (s *Server) luarView(ctx context.Context) (luar.View, error) {
	v, err := s.programView(ctx)
	return luar.View{PII: v.PII, Wilayah: v.Wilayah}, err
}

func optionalID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

func (s *Server) registerLuar() {
	tags := []string{"Program"}
	const base = "/v1/tenants/{tenant}/program/luar"
	svc := s.Luar

	register(s.api, inTenant("get-luar-template"), huma.Operation{
		OperationID: "get-luar-template", Method: http.MethodGet, Path: base + "/template", Tags: tags,
		Summary: "The template of an agency's participant list (CSV with Indonesian headers and an example row)",
	}, func(ctx context.Context, _ *TenantPath) (*templateOutput, error) {
		return &templateOutput{ContentType: "text/csv; charset=utf-8",
			ContentDisposition: `attachment; filename="template-peserta-agensi.csv"`, Body: luar.Template()}, nil
	})

	register(s.api, inTenant("import-luar"), huma.Operation{
		OperationID: "import-luar", Method: http.MethodPost, Path: base + "/impor", Tags: tags,
		Summary: "Import another agency's participant list (CSV or XLSX)",
		Description: "Checks the choices and the file at once (422 naming the field: not a spreadsheet, over the limits, a required column missing), " +
			"then queues the import and answers 202 with the job. Rows match the register by NIK, NIB, or business + owner + kelurahan; " +
			"unmatched rows are kept as belum_cocok, never registered. Importing the same list again adds nothing twice. Up to 16 MB.",
		DefaultStatus: http.StatusAccepted, MaxBodyBytes: luar.MaxUploadBytes, BodyReadTimeout: time.Minute,
	}, func(ctx context.Context, in *luarImportInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		nama := in.Nama
		if nama == "" {
			nama = "peserta.csv"
		}
		params := luar.ImportParams{Nama: nama, AgensiID: in.AgensiID, ProgramNama: in.ProgramNama, Jenis: in.Jenis, Tahun: in.Tahun, DryRun: in.DryRun}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return svc.QueueImport(ctx, tx, t, in.RawBody, params, p.UserID)
		})
	})

	register(s.api, inTenant("list-impor-luar"), huma.Operation{
		OperationID: "list-impor-luar", Method: http.MethodGet, Path: base + "/impor", Tags: tags,
		Summary: "The office's imports of agencies' lists, newest first (the latest 100)",
	}, func(ctx context.Context, _ *TenantPath) (*luarImportsOutput, error) {
		jobs, err := svc.Imports(ctx, currentTenant(ctx), 100)
		if err != nil {
			return nil, err
		}
		out := &luarImportsOutput{}
		out.Body.Items = jobs
		return out, nil
	})

	register(s.api, inTenant("list-luar"), huma.Operation{
		OperationID: "list-luar", Method: http.MethodGet, Path: base + "/baris", Tags: tags,
		Summary: "Rows of agencies' lists, newest first; status=belum_cocok is what waits for staff",
		Description: "NIK masked; owners' names masked unless the caller may read personal data; a petugas sees rows of their regions " +
			"and rows that name no region.",
	}, func(ctx context.Context, in *luarListInput) (*struct{ Body Page[luar.BarisDaftar] }, error) {
		v, err := s.luarView(ctx)
		if err != nil {
			return nil, err
		}
		page, err := svc.List(ctx, currentTenant(ctx), luar.Filter{Status: in.Status, AgensiID: optionalID(in.AgensiID),
			PekerjaanID: optionalID(in.PekerjaanID), Cursor: in.Cursor, Limit: in.Limit}, v)
		if err != nil {
			return nil, err
		}
		return &struct{ Body Page[luar.BarisDaftar] }{Body: Page[luar.BarisDaftar]{Items: page.Items, NextCursor: page.Next}}, nil
	})

	register(s.api, inTenant("map-luar"), huma.Operation{
		OperationID: "map-luar", Method: http.MethodPost, Path: base + "/baris/{id}/cocok", Tags: tags,
		Summary:     "Match an unmatched row to a register record (audited)",
		Description: "409 when the row was matched or discarded already; 422 when the record does not exist.",
		Errors:      []int{http.StatusConflict},
	}, func(ctx context.Context, in *luarMatchInput) (*luarRowOutput, error) {
		b, err := svc.Match(ctx, currentTenant(ctx), in.ID, in.Body.UMKMID)
		if err != nil {
			return nil, err
		}
		return &luarRowOutput{Body: b}, nil
	})

	register(s.api, inTenant("reject-luar"), huma.Operation{
		OperationID: "reject-luar", Method: http.MethodPost, Path: base + "/baris/{id}/buang", Tags: tags,
		Summary:     "Discard an unmatched row (audited); the overlap and the never-helped then ignore it",
		Description: "409 when the row was matched or discarded already.",
		Errors:      []int{http.StatusConflict},
	}, func(ctx context.Context, in *luarRowPath) (*luarRowOutput, error) {
		b, err := svc.Discard(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &luarRowOutput{Body: b}, nil
	})
}
