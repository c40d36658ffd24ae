package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Online self-registration as mitra binaan (seed 001): a public form and a
// status lookup under /v1/public/{tenant}, and the staff review under
// /v1/tenants/{tenant}/registrasi.

// RegistrasiPath is the path of one registration; exported for Huma, as
// TenantPath.
type RegistrasiPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Registration id."`
}

type createRegistrasiInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried submission safe: the same key with the same form returns the first answer."`
	Body           umkm.RegistrasiInput
}

type registrasiStatusInput struct {
	TenantPath
	Kode string `path:"kode" maxLength:"40" doc:"The tracking code, as given at registration (case, dashes and the prefix are optional)." example:"DPK-7Q4MK-9X2AB"`
}

type registrasiStatusOutput struct {
	Location string `header:"Location" doc:"Where to check the status."`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Body     umkm.RegistrasiStatus
}

type listRegistrasiInput struct {
	TenantPath
	PageParams
	Status string `query:"status" enum:"menunggu,diterima,ditolak" default:"menunggu" doc:"Registrations with this status (default: waiting for review)."`
}

type listRegistrasiOutput struct {
	Body Page[umkm.Registrasi]
}

type registrasiOutput struct {
	ETag string `header:"ETag"`
	Body umkm.Registrasi
}

type acceptRegistrasiInput struct {
	RegistrasiPath
	IfMatch string `header:"If-Match" doc:"The ETag of the registration as reviewed (required)."`
}

type rejectRegistrasiInput struct {
	RegistrasiPath
	IfMatch string `header:"If-Match" doc:"The ETag of the registration as reviewed (required)."`
	Body    struct {
		Alasan string `json:"alasan" minLength:"3" maxLength:"500" doc:"Why, in words for the applicant: they read it with their tracking code." example:"Usaha berada di luar wilayah Kota Depok."`
	}
}

// registrasiLimits are the public endpoints' rate limits (defaults for any
// left zero in Deps).
func (s *Server) registrasiLimits() umkm.RegistrasiLimits { return s.RegistrasiLimits.WithDefaults() }

// publicTenant resolves the {tenant} of a public operation: an unknown or
// inactive tenant is not found, like anything unknown.
func (s *Server) publicTenant(ctx context.Context, slug string) (*tenancy.Tenant, error) {
	t, err := s.Tenants.Resolve(ctx, slug)
	if err != nil {
		return nil, err
	}
	tenancy.Note(ctx).Tenant = t.Slug
	return t.Scope(), nil
}

func (s *Server) registerRegistrasi() {
	tags := []string{"Registrasi"}
	register(s.api, public, huma.Operation{
		OperationID: "create-registrasi", Method: http.MethodPost, Path: "/v1/public/{tenant}/registrasi", Tags: tags,
		Summary: "Register a business as mitra binaan (no account)",
		Description: "The office's online form (seed 001). Checked exactly like staff input; NIK and phone are required. " +
			"Answers 202 with a tracking code: staff review the registration, and the status endpoint tells the outcome. " +
			"Limited per client address and per office (429 with Retry-After).",
		DefaultStatus: http.StatusAccepted, MaxBodyBytes: 16 << 10,
		Errors: []int{http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *createRegistrasiInput) (*registrasiStatusOutput, error) {
		t, err := s.publicTenant(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		st, again, err := s.UMKM.Register(ctx, t, in.Body, clientAddr(ctx), in.IdempotencyKey, s.registrasiLimits())
		if err != nil {
			return nil, err
		}
		return &registrasiStatusOutput{Location: umkm.RegistrasiStatusPath(t.Slug, st.KodeLacak), Replayed: replayed(again), Body: st}, nil
	})

	register(s.api, public, huma.Operation{
		OperationID: "get-registrasi-status", Method: http.MethodGet, Path: "/v1/public/{tenant}/registrasi/{kode}", Tags: tags,
		Summary: "The status of a registration, by its tracking code",
		Description: "Only the status, its dates and, if rejected, the reason: never personal data. " +
			"An unknown code is 404. Limited per client address and per office (429 with Retry-After).",
		Errors: []int{http.StatusNotFound, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *registrasiStatusInput) (*registrasiStatusOutput, error) {
		t, err := s.publicTenant(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		st, err := s.UMKM.RegistrasiStatus(ctx, t, in.Kode, clientAddr(ctx), s.registrasiLimits())
		if err != nil {
			return nil, err
		}
		return &registrasiStatusOutput{Body: st}, nil
	})

	register(s.api, inTenant("list-registrasi"), huma.Operation{
		OperationID: "list-registrasi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/registrasi", Tags: tags,
		Summary:     "Online registrations to review, oldest first",
		Description: "Personal data is masked unless the caller's role may read it; the NIK is always masked in lists.",
	}, func(ctx context.Context, in *listRegistrasiInput) (*listRegistrasiOutput, error) {
		after, err := decodeUUIDCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.UMKM.ListRegistrasi(ctx, currentTenant(ctx), umkm.RegistrasiFilter{Status: in.Status, After: after, Limit: in.Limit + 1}, sc, view)
		if err != nil {
			return nil, err
		}
		return &listRegistrasiOutput{Body: paginate(items, in.Limit, func(r umkm.Registrasi) string { return r.ID.String() })}, nil
	})

	register(s.api, inTenant("get-registrasi"), huma.Operation{
		OperationID: "get-registrasi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/registrasi/{id}", Tags: tags,
		Summary: "One online registration",
	}, func(ctx context.Context, in *RegistrasiPath) (*registrasiOutput, error) {
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		r, err := s.UMKM.GetRegistrasi(ctx, currentTenant(ctx), in.ID, sc, view)
		if err != nil {
			return nil, err
		}
		return &registrasiOutput{ETag: etag(r.Version), Body: r}, nil
	})

	register(s.api, inTenant("accept-registrasi"), huma.Operation{
		OperationID: "accept-registrasi", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/registrasi/{id}/terima", Tags: tags,
		Summary: "Accept a registration: the business enters the register as binaan",
		Description: "Requires If-Match. Creates the UMKM record (sumber registrasi_online, status_binaan binaan) in the same " +
			"transaction. A live UMKM with the same NIK or NIB is 409 with `existing` pointing at it, and the registration " +
			"stays waiting. A registration already decided is 409.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *acceptRegistrasiInput) (*registrasiOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		r, err := s.UMKM.AcceptRegistrasi(ctx, currentTenant(ctx), in.ID, version, principal(ctx).UserID, sc, view)
		if err != nil {
			return nil, err
		}
		return &registrasiOutput{ETag: etag(r.Version), Body: r}, nil
	})

	register(s.api, inTenant("reject-registrasi"), huma.Operation{
		OperationID: "reject-registrasi", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/registrasi/{id}/tolak", Tags: tags,
		Summary: "Reject a registration, with a reason for the applicant",
		Description: "Requires If-Match. The reason (3–500 characters) is shown to whoever holds the tracking code: " +
			"write it for the applicant, without anyone's personal data. A registration already decided is 409.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *rejectRegistrasiInput) (*registrasiOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		r, err := s.UMKM.RejectRegistrasi(ctx, currentTenant(ctx), in.ID, version, in.Body.Alasan, principal(ctx).UserID, sc, view)
		if err != nil {
			return nil, err
		}
		return &registrasiOutput{ETag: etag(r.Version), Body: r}, nil
	})
}
