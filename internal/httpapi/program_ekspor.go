package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
)

// Exports of the programmes, as the register's: queued, 202 with the job,
// the file downloadable from get-berkas once done. A participant list
// leaves the office for an agency: its export names the agency and the
// purpose, and each one is kept in the programme's sharing log.

type exportProgramInput struct {
	TenantPath
	Jenis  string    `query:"jenis" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event"`
	Agensi uuid.UUID `query:"agensi" doc:"Agensi id."`
	Tahun  int       `query:"tahun" minimum:"0" maximum:"2100" doc:"Fiscal year."`
	Status string    `query:"status" enum:"rencana,dibuka,berjalan,selesai,batal"`
	Q      string    `query:"q" maxLength:"100" doc:"Words of the name; tolerates typos."`
	Arsip  bool      `query:"arsip" doc:"Include archived programmes."`
	Format string    `query:"format" enum:"csv,xlsx" default:"csv"`
}

type exportPesertaInput struct {
	ProgramPath
	Body program.PesertaEksporInput
}

type listPesertaEksporOutput struct {
	Body struct {
		Items []program.PesertaEkspor `json:"items" nullable:"false"`
	}
}

type exportBelumPernahInput struct {
	TenantPath
	BelumPernahFilter
	Format string `query:"format" enum:"csv,xlsx" default:"csv"`
}

// pesertaEksporShown bounds the sharing log of one programme in one answer.
const pesertaEksporShown = 200

func (s *Server) registerProgramEkspor() {
	tags := []string{"Program"}
	const base = "/v1/tenants/{tenant}/program"
	overlap := &tumpang.Service{DB: s.DB, Logger: s.Logger, Now: time.Now}

	register(s.api, inTenant("export-program"), huma.Operation{
		OperationID: "export-program", Method: http.MethodPost, Path: base + "/ekspor", Tags: tags,
		Summary:       "Export the filtered list of programmes to CSV or XLSX",
		Description:   "The filters of list-program. Queues the export and answers 202 with the job; when done, `hasil_berkas_id` is the file.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *exportProgramInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		f := program.Filter{Jenis: in.Jenis, AgensiID: in.Agensi, Tahun: in.Tahun, Status: in.Status, Q: in.Q, Arsip: in.Arsip}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return s.Program.QueueExport(ctx, tx, t, program.ExportParams{Filter: f, Format: in.Format}, p.UserID)
		})
	})

	register(s.api, inTenant("export-peserta"), huma.Operation{
		OperationID: "export-peserta", Method: http.MethodPost, Path: base + "/{id}/peserta/ekspor", Tags: tags,
		Summary: "Export a programme's participants for an agency, with the purpose (recorded in the sharing log)",
		Description: "agensi_id is the agency receiving the list (list-agensi; this office is one); tujuan why, 10–500 characters. " +
			"The export, who made it, for whom and why are recorded with the queued job in one transaction (list-peserta-ekspor). " +
			"Full NIKs and phone numbers only for roles that may read personal data; a petugas' list holds their regions only.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *exportPesertaInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		v, err := s.programView(ctx)
		if err != nil {
			return nil, err
		}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return s.Program.QueuePesertaExport(ctx, tx, t, in.ID, in.Body, v, p.UserID)
		})
	})

	register(s.api, inTenant("list-peserta-ekspor"), huma.Operation{
		OperationID: "list-peserta-ekspor", Method: http.MethodGet, Path: base + "/{id}/peserta/ekspor", Tags: tags,
		Summary: "The sharing log of a programme: each participant list exported, by whom, when, for which agency and why, newest first",
	}, func(ctx context.Context, in *ProgramPath) (*listPesertaEksporOutput, error) {
		items, err := s.Program.ListEkspor(ctx, currentTenant(ctx), in.ID, pesertaEksporShown)
		if err != nil {
			return nil, err
		}
		out := &listPesertaEksporOutput{}
		out.Body.Items = items
		return out, nil
	})

	register(s.api, inTenant("export-belum-pernah"), huma.Operation{
		OperationID: "export-belum-pernah", Method: http.MethodPost, Path: base + "/belum-pernah/ekspor", Tags: tags,
		Summary: "Export the never-helped as an invitation list (CSV or XLSX), those waiting longest first",
		Description: "The filters and order of list-belum-pernah; business, owner (masked unless the caller may read personal data), " +
			"desa/kelurahan, kecamatan and the phone, masked. Audited.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *exportBelumPernahInput) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		v, err := s.tumpangView(ctx)
		if err != nil {
			return nil, err
		}
		params := tumpang.ExportParams{Filter: in.filter(PageParams{}), Format: in.Format, View: v}
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return overlap.QueueExport(ctx, tx, t, params, p.UserID)
		})
	})
}
