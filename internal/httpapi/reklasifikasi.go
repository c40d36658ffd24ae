package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// The reclassification campaign (DOMAIN.md, "Reclassification of legacy KSU
// cooperatives"): the tenant admin starts it and decides the proposals;
// staf and viewers follow it and read the proposals and the report.

// KampanyePath is the path of one campaign; exported for Huma, as
// TenantPath.
type KampanyePath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Campaign id."`
}

// UsulanPath is the path of one proposal of a campaign.
type UsulanPath struct {
	KampanyePath
	UsulanID uuid.UUID `path:"usulan_id" doc:"Proposal id."`
}

type kampanyeOutput struct {
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     koperasi.Kampanye
}

type runKampanyeInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried start safe: the same key returns the first answer (the same campaign), even after that campaign finished."`
}

type listKampanyeInput struct {
	TenantPath
	PageParams
}

type listKampanyeOutput struct {
	Body Page[koperasi.Kampanye]
}

type listUsulanInput struct {
	KampanyePath
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page (1–500)."`
	Cursor    string `query:"cursor" maxLength:"200" doc:"Opaque cursor from next_cursor of the previous page."`
	Hasil     string `query:"hasil" enum:"usulan,perlu_tinjauan,perlu_data" doc:"Outcome: a proposal, needs review, needs data."`
	Keyakinan string `query:"keyakinan" enum:"tinggi,sedang" doc:"Confidence of a proposal."`
	Status    string `query:"status" enum:"menunggu,disetujui,ditolak,digantikan" doc:"Review status."`
}

type listUsulanOutput struct {
	Body Page[koperasi.Usulan]
}

type usulanOutput struct {
	ETag string `header:"ETag"`
	Body koperasi.Usulan
}

type approveUsulanInput struct {
	UsulanPath
	IfMatch string `header:"If-Match" doc:"The ETag of the proposal as reviewed (required)."`
	Body    *koperasi.Persetujuan
}

type rejectUsulanInput struct {
	UsulanPath
	IfMatch string `header:"If-Match" doc:"The ETag of the proposal as reviewed (required)."`
	Body    struct {
		Alasan string `json:"alasan" minLength:"3" maxLength:"500" doc:"Why the proposal is wrong; shown again when a later campaign proposes for this cooperative." example:"Unit simpan pinjam sudah dipisah menjadi KSP tersendiri."`
	}
}

type bulkApproveOutput struct {
	Body koperasi.SetujuiTinggiHasil
}

func (s *Server) registerReklasifikasi() {
	tags := []string{"Koperasi: reklasifikasi"}
	register(s.api, inTenant("run-reklasifikasi"), huma.Operation{
		OperationID: "run-reklasifikasi", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/reklasifikasi", Tags: tags,
		Summary: "Start the campaign that proposes a legal type for every cooperative without one",
		Description: "Answers 202 with the campaign; a background job classifies every active cooperative without jenis " +
			"(the KSU and the rest with none) with the thresholds of the office's settings. While a campaign runs, " +
			"starting again answers the running campaign: never a second one. With an Idempotency-Key, a retry " +
			"(a double click after a short campaign already finished) answers the first campaign instead of starting " +
			"another that would replace its waiting proposals. Follow Location for progress.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *runKampanyeInput) (*kampanyeOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		res, err := createOnce(ctx, s, in.IdempotencyKey, "run-reklasifikasi", nil, func(tx pgx.Tx) (created[koperasi.Kampanye], error) {
			k, args, _, err := s.Koperasi.StartKampanye(ctx, tx, t, p.UserID)
			if err != nil {
				return created[koperasi.Kampanye]{}, err
			}
			if _, err = s.Queue.InsertTx(ctx, tx, args, nil); err != nil {
				return created[koperasi.Kampanye]{}, err
			}
			return created[koperasi.Kampanye]{Record: k, Location: koperasi.KampanyePath(t.Slug, k.ID), Status: http.StatusAccepted}, nil
		})
		if err != nil {
			return nil, err
		}
		return &kampanyeOutput{Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusAccepted, Body: res.Record}, nil
	})

	register(s.api, inTenant("list-reklasifikasi"), huma.Operation{
		OperationID: "list-reklasifikasi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/reklasifikasi", Tags: tags,
		Summary: "The office's campaigns, newest first",
	}, func(ctx context.Context, in *listKampanyeInput) (*listKampanyeOutput, error) {
		before, err := decodeUUIDCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		items, err := s.Koperasi.ListKampanye(ctx, currentTenant(ctx), before, in.Limit+1)
		if err != nil {
			return nil, err
		}
		return &listKampanyeOutput{Body: paginate(items, in.Limit, func(k koperasi.Kampanye) string { return k.ID.String() })}, nil
	})

	register(s.api, inTenant("get-reklasifikasi"), huma.Operation{
		OperationID: "get-reklasifikasi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}", Tags: tags,
		Summary:     "A campaign: progress (diproses of total), counts by outcome and by review status",
		Description: "While it runs, `diproses` moves batch by batch; when done, `total` is exact and `ringkasan` is the summary.",
	}, func(ctx context.Context, in *KampanyePath) (*kampanyeOutput, error) {
		k, err := s.Koperasi.GetKampanye(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &kampanyeOutput{Status: http.StatusOK, Body: k}, nil
	})

	register(s.api, inTenant("list-reklasifikasi-usulan"), huma.Operation{
		OperationID: "list-reklasifikasi-usulan", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}/usulan", Tags: tags,
		Summary:     "A campaign's proposals, in review order",
		Description: "High confidence first, then medium, needs review, needs data; filters combine with AND.",
	}, func(ctx context.Context, in *listUsulanInput) (*listUsulanOutput, error) {
		cursor, err := decodeCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		page, err := s.Koperasi.ListUsulan(ctx, currentTenant(ctx), in.ID, koperasi.UsulanFilter{
			Hasil: in.Hasil, Keyakinan: in.Keyakinan, Status: in.Status, Cursor: cursor, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		out := &listUsulanOutput{Body: Page[koperasi.Usulan]{Items: page.Items}}
		if out.Body.Items == nil {
			out.Body.Items = []koperasi.Usulan{}
		}
		if page.Next != "" {
			out.Body.NextCursor = encodeCursor(page.Next)
		}
		return out, nil
	})

	register(s.api, inTenant("get-reklasifikasi-usulan"), huma.Operation{
		OperationID: "get-reklasifikasi-usulan", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}/usulan/{usulan_id}", Tags: tags,
		Summary: "One proposal with the shares the policy saw",
	}, func(ctx context.Context, in *UsulanPath) (*usulanOutput, error) {
		u, err := s.Koperasi.GetUsulan(ctx, currentTenant(ctx), in.ID, in.UsulanID)
		if err != nil {
			return nil, err
		}
		return &usulanOutput{ETag: etag(u.Version), Body: u}, nil
	})

	register(s.api, inTenant("approve-reklasifikasi-usulan"), huma.Operation{
		OperationID: "approve-reklasifikasi-usulan", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}/usulan/{usulan_id}/setujui", Tags: tags,
		Summary: "Approve a proposal: the cooperative gets its legal type",
		Description: "Requires If-Match. Without a body the proposed type is applied; `jenis` applies another (with `alasan`), " +
			"and is required when nothing was proposed. `kelompok` stays as history; `dasar_hukum` (nomor perubahan AD / AHU) " +
			"is recorded on the proposal and as the cooperative's latest statute change. A proposal already decided, or a " +
			"cooperative that has a type meanwhile, is 409.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *approveUsulanInput) (*usulanOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		var body koperasi.Persetujuan
		if in.Body != nil {
			body = *in.Body
		}
		u, err := s.Koperasi.ApproveUsulan(ctx, currentTenant(ctx), in.ID, in.UsulanID, version, body, principal(ctx).UserID)
		if err != nil {
			return nil, err
		}
		return &usulanOutput{ETag: etag(u.Version), Body: u}, nil
	})

	register(s.api, inTenant("reject-reklasifikasi-usulan"), huma.Operation{
		OperationID: "reject-reklasifikasi-usulan", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}/usulan/{usulan_id}/tolak", Tags: tags,
		Summary:     "Reject a proposal, with a reason",
		Description: "Requires If-Match. The cooperative keeps no type; a later campaign proposes again and shows this reason. A proposal already decided is 409.",
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *rejectUsulanInput) (*usulanOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		u, err := s.Koperasi.RejectUsulan(ctx, currentTenant(ctx), in.ID, in.UsulanID, version, in.Body.Alasan, principal(ctx).UserID)
		if err != nil {
			return nil, err
		}
		return &usulanOutput{ETag: etag(u.Version), Body: u}, nil
	})

	register(s.api, inTenant("approve-reklasifikasi-tinggi"), huma.Operation{
		OperationID: "approve-reklasifikasi-tinggi", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}/setujui-tinggi", Tags: tags,
		Summary: "Approve every waiting high-confidence proposal of a campaign",
		Description: "Applies the proposed types in one transaction, each audited per cooperative: all of them, or on an error " +
			"none. Safe to repeat: it approves what is left. A cooperative that got a type meanwhile is left waiting and " +
			"counted in `dilewati`.",
	}, func(ctx context.Context, in *KampanyePath) (*bulkApproveOutput, error) {
		res, err := s.Koperasi.ApproveTinggi(ctx, currentTenant(ctx), in.ID, principal(ctx).UserID)
		if err != nil {
			return nil, err
		}
		return &bulkApproveOutput{Body: res}, nil
	})

	register(s.api, inTenant("export-reklasifikasi"), huma.Operation{
		OperationID: "export-reklasifikasi", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/reklasifikasi/{id}/laporan", Tags: tags,
		Summary:       "The campaign's report as XLSX (summary and one row per proposal)",
		Description:   "Queues the report and answers 202 with the job; when done, `hasil_berkas_id` is the file.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *KampanyePath) (*jobOutput, error) {
		t, p := currentTenant(ctx), principal(ctx)
		return s.queueJob(ctx, t, func(tx pgx.Tx) (pekerjaan.Job, river.JobArgs, error) {
			return s.Koperasi.QueueLaporan(ctx, tx, t, in.ID, p.UserID)
		})
	})
}
