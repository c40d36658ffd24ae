package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/umkm"
)

// UMKMPath is the path of one business; exported for Huma, as TenantPath.
type UMKMPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"UMKM id."`
}

type umkmOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     umkm.Record
}

type createUMKMInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
	Body           umkm.Input
}

type updateUMKMInput struct {
	UMKMPath
	IfMatch string `header:"If-Match" doc:"The ETag of the version being changed (required)."`
	Body    umkm.Input
}

type archiveUMKMInput struct {
	UMKMPath
	IfMatch string `header:"If-Match" doc:"The ETag of the version being archived (required)."`
}

// UMKMFilter are the query parameters that narrow the register, shared by
// the list and the export (exported for Huma, as TenantPath).
type UMKMFilter struct {
	Kecamatan      string `query:"kecamatan" maxLength:"8" doc:"Kemendagri code of a kecamatan."`
	Kelurahan      string `query:"kelurahan" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan."`
	Sektor         string `query:"sektor" enum:"kuliner,fashion,kerajinan,jasa,perdagangan,pertanian,peternakan,perikanan,otomotif,kecantikan,teknologi,pendidikan,lainnya"`
	Skala          string `query:"skala" enum:"mikro,kecil,menengah,besar" doc:"Computed size."`
	JenisKelamin   string `query:"jenis_kelamin" enum:"L,P"`
	StatusBinaan   string `query:"status_binaan" enum:"binaan,bukan_binaan"`
	PunyaLegalitas string `query:"punya_legalitas" enum:"nib,pirt,halal,bpom_md,bpom_ml,hki,sni" doc:"Only businesses with an issued document of this kind."`
	TanpaLegalitas string `query:"tanpa_legalitas" enum:"nib,pirt,halal,bpom_md,bpom_ml,hki,sni" doc:"Only businesses without one."`
	Kendala        string `query:"kendala" enum:"permodalan,pemasaran,bahan_baku,legalitas,sdm,teknologi,perizinan,lainnya" doc:"Only businesses with an open constraint of this category."`
	Q              string `query:"q" maxLength:"100" doc:"Search business and owner names; tolerates typos. Results by relevance."`
	Arsip          bool   `query:"arsip" doc:"Include archived records."`
}

func (f UMKMFilter) filter() umkm.Filter {
	return umkm.Filter{Kecamatan: f.Kecamatan, Kelurahan: f.Kelurahan, Sektor: f.Sektor, Skala: f.Skala,
		JenisKelamin: f.JenisKelamin, StatusBinaan: f.StatusBinaan, PunyaLegalitas: f.PunyaLegalitas,
		TanpaLegalitas: f.TanpaLegalitas, Kendala: f.Kendala, Q: f.Q, Arsip: f.Arsip}
}

type listUMKMInput struct {
	TenantPath
	UMKMFilter
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Cursor string `query:"cursor" maxLength:"400"`
	Sort   string `query:"sort" enum:"created,-created" default:"created" doc:"Registration order (UUIDv7 ids); ignored with q, which orders by relevance."`
}

type listUMKMOutput struct {
	Body Page[umkm.Record]
}

type historyOutput struct {
	Body struct {
		Items []umkm.Riwayat `json:"items" nullable:"false"`
	}
}

// umkmScope is the part of the tenant the caller works in and what personal
// data they may see (umkm.Access, shared with the web pages).
func (s *Server) umkmScope(ctx context.Context) (umkm.Scope, umkm.View, error) {
	return umkm.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

func (s *Server) registerUMKM() {
	tags := []string{"UMKM"}
	register(s.api, inTenant("list-umkm"), huma.Operation{
		OperationID: "list-umkm", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm", Tags: tags,
		Summary:     "The tenant's register of businesses",
		Description: "Filters combine with AND. Personal data is masked unless the caller's role may read it; the NIK is always masked in lists.",
	}, func(ctx context.Context, in *listUMKMInput) (*listUMKMOutput, error) {
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		f := in.filter()
		f.Sort, f.Cursor, f.Limit = in.Sort, in.Cursor, in.Limit
		page, err := s.UMKM.List(ctx, currentTenant(ctx), f, sc, view)
		if err != nil {
			return nil, err
		}
		out := &listUMKMOutput{Body: Page[umkm.Record]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []umkm.Record{}
		}
		return out, nil
	})

	register(s.api, inTenant("get-umkm"), huma.Operation{
		OperationID: "get-umkm", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/{id}", Tags: tags,
		Summary: "One business with its legal documents",
	}, func(ctx context.Context, in *UMKMPath) (*umkmOutput, error) {
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		rec, err := s.UMKM.Get(ctx, currentTenant(ctx), in.ID, sc, view)
		if err != nil {
			return nil, err
		}
		return &umkmOutput{ETag: etag(rec.Version), Status: http.StatusOK, Body: rec}, nil
	})

	register(s.api, inTenant("create-umkm"), huma.Operation{
		OperationID: "create-umkm", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/umkm", Tags: tags,
		Summary:       "Register a business",
		Description:   "A NIK or NIB already registered to a live record is refused with 409 and `existing` pointing at it.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 64 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createUMKMInput) (*umkmOutput, error) {
		t := currentTenant(ctx)
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-umkm", in.Body, func(tx pgx.Tx) (created[umkm.Record], error) {
			rec, err := s.UMKM.CreateTx(ctx, tx, t, in.Body, umkm.SourceStaf, sc)
			s.UMKM.Present(t, &rec, view, false)
			return created[umkm.Record]{Record: rec, Version: rec.Version, Location: umkm.Path(t.Slug, rec.ID)}, err
		})
		if err != nil {
			return nil, err
		}
		return &umkmOutput{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("update-umkm"), huma.Operation{
		OperationID: "update-umkm", Method: http.MethodPut, Path: "/v1/tenants/{tenant}/umkm/{id}", Tags: tags,
		Summary:     "Replace a business's data",
		Description: "Requires If-Match. A change of employees, sales, capital or size adds a history entry.",
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}, MaxBodyBytes: 64 << 10,
	}, func(ctx context.Context, in *updateUMKMInput) (*umkmOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		t := currentTenant(ctx)
		rec, err := s.UMKM.Update(ctx, t, in.ID, version, in.Body, sc)
		if err != nil {
			return nil, err
		}
		s.UMKM.Present(t, &rec, view, false)
		return &umkmOutput{ETag: etag(rec.Version), Status: http.StatusOK, Body: rec}, nil
	})

	register(s.api, inTenant("archive-umkm"), huma.Operation{
		OperationID: "archive-umkm", Method: http.MethodDelete, Path: "/v1/tenants/{tenant}/umkm/{id}", Tags: tags,
		Summary:     "Archive a business (it is kept, not deleted)",
		Description: "Requires If-Match. The record leaves lists (unless arsip=true) and frees its NIK and NIB.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *archiveUMKMInput) (*umkmOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		t := currentTenant(ctx)
		rec, err := s.UMKM.Archive(ctx, t, in.ID, version, sc)
		if err != nil {
			return nil, err
		}
		s.UMKM.Present(t, &rec, view, false)
		return &umkmOutput{ETag: etag(rec.Version), Status: http.StatusOK, Body: rec}, nil
	})

	register(s.api, inTenant("list-umkm-riwayat"), huma.Operation{
		OperationID: "list-umkm-riwayat", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/{id}/riwayat", Tags: tags,
		Summary: "A business's figures over time",
	}, func(ctx context.Context, in *UMKMPath) (*historyOutput, error) {
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		items, err := s.UMKM.History(ctx, currentTenant(ctx), in.ID, sc)
		if err != nil {
			return nil, err
		}
		out := &historyOutput{}
		out.Body.Items = items
		if out.Body.Items == nil {
			out.Body.Items = []umkm.Riwayat{}
		}
		return out, nil
	})
}
