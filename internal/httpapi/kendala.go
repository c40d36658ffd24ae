package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Constraints (kendala) of a business, their map over the tenant's regions,
// and cleaning the register of duplicates (seed 000: a database per
// kelurahan first, then mapping the constraints businesses face).
//
// Resolving a constraint is POST .../kendala/{kendala_id}/selesai rather than
// a PATCH: it is a one-way state change that is safe to repeat, so it needs
// neither a body nor If-Match (API.md requires If-Match on PATCH; a
// constraint has no version of its own, and a lost update cannot happen when
// the only change is open → resolved).

// KendalaPath is the path of one constraint; exported for Huma.
type KendalaPath struct {
	UMKMPath
	KendalaID uuid.UUID `path:"kendala_id" doc:"Kendala id."`
}

type listKendalaInput struct {
	UMKMPath
	PageParams
	Status string `query:"status" enum:"terbuka,selesai" doc:"Only open (terbuka) or only resolved (selesai) constraints."`
}

type listKendalaOutput struct {
	Body Page[umkm.Kendala]
}

type kendalaOutput struct {
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     umkm.Kendala
}

type createKendalaInput struct {
	UMKMPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
	Body           umkm.KendalaInput
}

type pemetaanInput struct {
	TenantPath
	Kecamatan string `query:"kecamatan" maxLength:"8" doc:"Kemendagri code of one kecamatan: map only its desa/kelurahan."`
}

type pemetaanOutput struct {
	Body umkm.Pemetaan
}

type listDuplikatInput struct {
	TenantPath
	PageParams
	Kecamatan string `query:"kecamatan" maxLength:"8" doc:"Kemendagri code of a kecamatan."`
	Kelurahan string `query:"kelurahan" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan."`
}

type listDuplikatOutput struct {
	Body Page[umkm.Duplikat]
}

type mergeUMKMInput struct {
	UMKMPath
	IfMatch string `header:"If-Match" doc:"The ETag of the surviving record {id} (required)."`
	Body    struct {
		SumberID string `json:"sumber_id" format:"uuid" doc:"The duplicate to fold into {id}; it is archived with merged_into = {id}."`
	}
}

// registerKendala registers the constraint, mapping and duplicate operations.
func (s *Server) registerKendala() {
	tags := []string{"Kendala"}
	const kendalaPath = "/v1/tenants/{tenant}/umkm/{id}/kendala"

	register(s.api, inTenant("list-kendala"), huma.Operation{
		OperationID: "list-kendala", Method: http.MethodGet, Path: kendalaPath, Tags: tags,
		Summary:     "A business's constraints, open and resolved, newest report first",
		Description: "Ordered by the day reported, newest first. A petugas sees only businesses of their regions.",
	}, func(ctx context.Context, in *listKendalaInput) (*listKendalaOutput, error) {
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		page, err := s.UMKM.ListKendala(ctx, currentTenant(ctx), in.ID, umkm.KendalaFilter{Status: in.Status, Cursor: in.Cursor, Limit: in.Limit}, sc)
		if err != nil {
			return nil, err
		}
		out := &listKendalaOutput{Body: Page[umkm.Kendala]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []umkm.Kendala{}
		}
		return out, nil
	})

	register(s.api, inTenant("get-kendala"), huma.Operation{
		OperationID: "get-kendala", Method: http.MethodGet, Path: kendalaPath + "/{kendala_id}", Tags: tags,
		Summary: "One constraint of a business",
	}, func(ctx context.Context, in *KendalaPath) (*kendalaOutput, error) {
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		k, err := s.UMKM.GetKendala(ctx, currentTenant(ctx), in.ID, in.KendalaID, sc)
		if err != nil {
			return nil, err
		}
		return &kendalaOutput{Status: http.StatusOK, Body: k}, nil
	})

	register(s.api, inTenant("create-kendala"), huma.Operation{
		OperationID: "create-kendala", Method: http.MethodPost, Path: kendalaPath, Tags: tags,
		Summary: "Record a constraint a business reports",
		Description: "Updates the business's `kendala_terbuka` and moves its version (ETag) in the same transaction. " +
			"An archived business is refused with 409.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createKendalaInput) (*kendalaOutput, error) {
		t := currentTenant(ctx)
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		// The business is part of what is asked: the same key and body for
		// another business is another request, not a retry.
		keyed := struct {
			UMKM uuid.UUID         `json:"umkm_id"`
			Body umkm.KendalaInput `json:"body"`
		}{in.ID, in.Body}
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-kendala", keyed, func(tx pgx.Tx) (created[umkm.Kendala], error) {
			k, err := s.UMKM.CreateKendalaTx(ctx, tx, t, in.ID, in.Body, sc)
			return created[umkm.Kendala]{Record: k, Location: umkm.KendalaPath(t.Slug, in.ID, k.ID)}, err
		})
		if err != nil {
			return nil, err
		}
		return &kendalaOutput{Location: res.Location, Replayed: replayed(res.Replayed), Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("resolve-kendala"), huma.Operation{
		OperationID: "resolve-kendala", Method: http.MethodPost, Path: kendalaPath + "/{kendala_id}/selesai", Tags: tags,
		Summary: "Mark a constraint resolved",
		Description: "Safe to repeat: resolving a resolved constraint changes nothing and answers it as it is. " +
			"Updates the business's `kendala_terbuka` and moves its version (ETag).",
		Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *KendalaPath) (*kendalaOutput, error) {
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		k, err := s.UMKM.ResolveKendala(ctx, currentTenant(ctx), in.ID, in.KendalaID, sc)
		if err != nil {
			return nil, err
		}
		return &kendalaOutput{Status: http.StatusOK, Body: k}, nil
	})

	register(s.api, inTenant("map-kendala"), huma.Operation{
		OperationID: "map-kendala", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/kendala/pemetaan", Tags: tags,
		Summary: "Open constraints by category per kecamatan and desa/kelurahan",
		Description: "Counts only (no names or personal data) of the open constraints of live businesses, with every region listed. " +
			"A petugas sees their regions only. Computed on request: the cost grows with the number of open constraints.",
	}, func(ctx context.Context, in *pemetaanInput) (*pemetaanOutput, error) {
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		m, err := s.UMKM.Pemetaan(ctx, currentTenant(ctx), in.Kecamatan, sc)
		if err != nil {
			return nil, err
		}
		return &pemetaanOutput{Body: m}, nil
	})

	register(s.api, inTenant("list-umkm-duplikat"), huma.Operation{
		OperationID: "list-umkm-duplikat", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/duplikat", Tags: []string{"UMKM"},
		Summary: "Pairs of live records in one desa/kelurahan that look like the same business",
		Description: "Business names similar (trigram similarity ≥ 0.6), or the same owner's name and names similar (≥ 0.3). " +
			"Ordered by desa/kelurahan, then registration. Each page compares a bounded number of records, so a page may hold " +
			"fewer items than `limit`, even none, and still carry `next_cursor`: follow it until it is absent.",
	}, func(ctx context.Context, in *listDuplikatInput) (*listDuplikatOutput, error) {
		sc, _, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		page, err := s.UMKM.ListDuplikat(ctx, currentTenant(ctx), umkm.DuplikatFilter{Kecamatan: in.Kecamatan, Kelurahan: in.Kelurahan,
			Cursor: in.Cursor, Limit: in.Limit}, sc)
		if err != nil {
			return nil, err
		}
		return &listDuplikatOutput{Body: Page[umkm.Duplikat]{Items: page.Items, NextCursor: page.NextCursor}}, nil
	})

	register(s.api, inTenant("merge-umkm"), huma.Operation{
		OperationID: "merge-umkm", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/umkm/{id}/gabung", Tags: []string{"UMKM"},
		Summary: "Fold a duplicate record into this one",
		Description: "Requires If-Match of {id}. In one transaction the duplicate's constraints, history and the legal documents " +
			"{id} lacks move to {id}, {id}'s empty fields are filled from it (known values are never overwritten), and the " +
			"duplicate is archived with `merged_into` = {id}, freeing its NIK and NIB. Both records are audited.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *mergeUMKMInput) (*umkmOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		source, err := uuid.Parse(in.Body.SumberID)
		if err != nil {
			return nil, apperr.InvalidField("body.sumber_id", in.Body.SumberID, apperr.T("Harus berupa UUID yang valid.", "Must be a valid UUID."))
		}
		sc, view, err := s.umkmScope(ctx)
		if err != nil {
			return nil, err
		}
		t := currentTenant(ctx)
		rec, err := s.UMKM.MergeDuplicate(ctx, t, in.ID, version, source, sc)
		if err != nil {
			return nil, err
		}
		s.UMKM.Present(t, &rec, view, false)
		return &umkmOutput{ETag: etag(rec.Version), Status: http.StatusOK, Body: rec}, nil
	})
}
