package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pasar"
)

// Online and retail markets and government purchasing (issue 18 item 5):
// a business's marketplace shops and retail listings (a petugas: the
// businesses of their regions), the city's purchases from UMKM and
// cooperatives, and their share of the goods-and-services budget against
// the 40% target. Each record carries its ETag; creates take an
// Idempotency-Key.

// PasarPath is the path of one shop, listing or purchase.
type PasarPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Id."`
}

// AnggaranPath is the path of one fiscal year's budget.
type AnggaranPath struct {
	TenantPath
	Tahun int `path:"tahun" minimum:"2000" maximum:"2100" doc:"Fiscal year."`
}

type listTokoInput struct {
	TenantPath
	PageParams
	UMKM      uuid.UUID `query:"umkm" doc:"One business's shops."`
	Platform  string    `query:"platform" enum:"shopee,tokopedia,grab,gojek,tiktok_shop,bukalapak,lazada,lainnya"`
	Aktif     string    `query:"aktif" enum:"ya,tidak" doc:"ya: sold within the last 90 days of the office's calendar; tidak: not."`
	Kecamatan string    `query:"kecamatan" maxLength:"8" doc:"Kemendagri code of the business's kecamatan."`
}

type createTokoInput struct {
	TenantPath
	IdemHeader
	Body pasar.TokoInput
}

type updateTokoInput struct {
	PasarPath
	IfMatchHeader
	Body pasar.TokoInput
}

type ifMatchPasar struct {
	PasarPath
	IfMatchHeader
}

type listGeraiInput struct {
	TenantPath
	UMKM uuid.UUID `query:"umkm" doc:"One business's listings."`
}

type createGeraiInput struct {
	TenantPath
	IdemHeader
	Body pasar.GeraiInput
}

type updateGeraiInput struct {
	PasarPath
	IfMatchHeader
	Body pasar.GeraiInput
}

type listBelanjaInput struct {
	TenantPath
	Tahun   int    `query:"tahun" minimum:"0" maximum:"2100" doc:"Fiscal year (the purchase's date); 0 or absent: all."`
	Saluran string `query:"saluran" enum:"e_katalog_lokal,toko_daring,pengadaan_langsung,lainnya"`
	OPD     string `query:"opd" maxLength:"200" doc:"The buying office, whole name, any case."`
	Limit   int    `query:"limit" minimum:"1" maximum:"500" default:"500"`
}

type createBelanjaInput struct {
	TenantPath
	IdemHeader
	Body pasar.BelanjaInput
}

type updateBelanjaInput struct {
	PasarPath
	IfMatchHeader
	Body pasar.BelanjaInput
}

type updateAnggaranInput struct {
	AnggaranPath
	IfMatch string `header:"If-Match" doc:"The ETag of the year's budget; absent records the year's first."`
	Body    pasar.AnggaranInput
}

func (s *Server) pasarView(ctx context.Context) (pasar.View, error) {
	return pasar.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

func (s *Server) registerPasar() {
	s.registerToko()
	s.registerGerai()
	s.registerBelanja()
	register(s.api, inTenant("get-ringkasan-pasar"), huma.Operation{
		OperationID: "get-ringkasan-pasar", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/pasar/ringkasan", Tags: []string{"Pasar"},
		Summary:     "Businesses online (active in the last 90 days) per kecamatan, retail listings and government purchases per year",
		Description: "A petugas sees the businesses of their regions and no purchases (those are the whole office's).",
	}, func(ctx context.Context, in *TenantPath) (*struct{ Body pasar.RingkasanPasar }, error) {
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		r, err := s.Pasar.Ringkasan(ctx, currentTenant(ctx), v)
		return &struct{ Body pasar.RingkasanPasar }{Body: r}, err
	})
}

func (s *Server) registerToko() {
	tags := []string{"Pasar"}
	const base = "/v1/tenants/{tenant}/toko-daring"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}
	register(s.api, inTenant("list-toko-daring"), huma.Operation{
		OperationID: "list-toko-daring", Method: http.MethodGet, Path: base, Tags: tags,
		Summary: "Businesses' marketplace shops, newest first", Description: "Filters combine with AND.",
	}, func(ctx context.Context, in *listTokoInput) (*struct{ Body Page[pasar.Toko] }, error) {
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		f := pasar.TokoFilter{UMKMID: in.UMKM, Platform: in.Platform, Kecamatan: in.Kecamatan, Cursor: in.Cursor, Limit: in.Limit}
		if in.Aktif != "" {
			aktif := in.Aktif == "ya"
			f.Aktif = &aktif
		}
		page, err := s.Pasar.ListToko(ctx, currentTenant(ctx), v, f)
		if err != nil {
			return nil, err
		}
		out := &struct{ Body Page[pasar.Toko] }{Body: Page[pasar.Toko]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []pasar.Toko{}
		}
		return out, nil
	})
	register(s.api, inTenant("get-toko-daring"), huma.Operation{
		OperationID: "get-toko-daring", Method: http.MethodGet, Path: base + "/{id}", Tags: tags, Summary: "One marketplace shop",
	}, func(ctx context.Context, in *PasarPath) (*versioned[pasar.Toko], error) {
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		x, err := s.Pasar.GetToko(ctx, currentTenant(ctx), v, in.ID)
		if err != nil {
			return nil, err
		}
		return answer(x, x.Version, http.StatusOK), nil
	})
	register(s.api, inTenant("create-toko-daring"), huma.Operation{
		OperationID: "create-toko-daring", Method: http.MethodPost, Path: base, Tags: tags, Summary: "Record a business's marketplace shop",
		Description: "The link must be https; dates are the office's calendar and not after today.", DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *createTokoInput) (*versioned[pasar.Toko], error) {
		t := currentTenant(ctx)
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-toko-daring", in.Body, func(tx pgx.Tx) (pasar.Toko, int64, string, error) {
			x, err := s.Pasar.CreateTokoTx(ctx, tx, t, v, in.Body)
			return x, x.Version, "/v1/tenants/" + t.Slug + "/toko-daring/" + x.ID.String(), err
		})
	})
	register(s.api, inTenant("update-toko-daring"), huma.Operation{
		OperationID: "update-toko-daring", Method: http.MethodPut, Path: base + "/{id}", Tags: tags, Summary: "Replace a shop's data",
		Description: "Requires If-Match.", Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateTokoInput) (*versioned[pasar.Toko], error) {
		return withIfMatch(in.IfMatch, func(version int64) (pasar.Toko, int64, error) {
			v, err := s.pasarView(ctx)
			if err != nil {
				return pasar.Toko{}, 0, err
			}
			x, err := s.Pasar.UpdateToko(ctx, currentTenant(ctx), v, in.ID, version, &in.Body)
			return x, x.Version, err
		})
	})
	register(s.api, inTenant("archive-toko-daring"), huma.Operation{
		OperationID: "archive-toko-daring", Method: http.MethodDelete, Path: base + "/{id}", Tags: tags,
		Summary: "Archive a shop (closed; kept as history)", Description: "Requires If-Match.", Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchPasar) (*versioned[pasar.Toko], error) {
		return withIfMatch(in.IfMatch, func(version int64) (pasar.Toko, int64, error) {
			v, err := s.pasarView(ctx)
			if err != nil {
				return pasar.Toko{}, 0, err
			}
			x, err := s.Pasar.UpdateToko(ctx, currentTenant(ctx), v, in.ID, version, nil)
			return x, x.Version, err
		})
	})
}

func (s *Server) registerGerai() {
	tags := []string{"Pasar"}
	const base = "/v1/tenants/{tenant}/gerai-ritel"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}
	register(s.api, inTenant("list-gerai-ritel"), huma.Operation{
		OperationID: "list-gerai-ritel", Method: http.MethodGet, Path: base, Tags: tags, Summary: "Businesses' modern-retail listings, newest first",
	}, func(ctx context.Context, in *listGeraiInput) (*itemsOutput[pasar.Gerai], error) {
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		list, err := s.Pasar.ListGerai(ctx, currentTenant(ctx), v, in.UMKM)
		return items(list), err
	})
	register(s.api, inTenant("get-gerai-ritel"), huma.Operation{
		OperationID: "get-gerai-ritel", Method: http.MethodGet, Path: base + "/{id}", Tags: tags, Summary: "One retail listing",
	}, func(ctx context.Context, in *PasarPath) (*versioned[pasar.Gerai], error) {
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		x, err := s.Pasar.GetGerai(ctx, currentTenant(ctx), v, in.ID)
		if err != nil {
			return nil, err
		}
		return answer(x, x.Version, http.StatusOK), nil
	})
	register(s.api, inTenant("create-gerai-ritel"), huma.Operation{
		OperationID: "create-gerai-ritel", Method: http.MethodPost, Path: base, Tags: tags, Summary: "Record a business's retail listing",
		Description: "A local retailer (lokal) needs its name.", DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *createGeraiInput) (*versioned[pasar.Gerai], error) {
		t := currentTenant(ctx)
		v, err := s.pasarView(ctx)
		if err != nil {
			return nil, err
		}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-gerai-ritel", in.Body, func(tx pgx.Tx) (pasar.Gerai, int64, string, error) {
			x, err := s.Pasar.CreateGeraiTx(ctx, tx, t, v, in.Body)
			return x, x.Version, "/v1/tenants/" + t.Slug + "/gerai-ritel/" + x.ID.String(), err
		})
	})
	register(s.api, inTenant("update-gerai-ritel"), huma.Operation{
		OperationID: "update-gerai-ritel", Method: http.MethodPut, Path: base + "/{id}", Tags: tags, Summary: "Replace a listing's data",
		Description: "Requires If-Match.", Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateGeraiInput) (*versioned[pasar.Gerai], error) {
		return withIfMatch(in.IfMatch, func(version int64) (pasar.Gerai, int64, error) {
			v, err := s.pasarView(ctx)
			if err != nil {
				return pasar.Gerai{}, 0, err
			}
			x, err := s.Pasar.UpdateGerai(ctx, currentTenant(ctx), v, in.ID, version, &in.Body)
			return x, x.Version, err
		})
	})
	register(s.api, inTenant("archive-gerai-ritel"), huma.Operation{
		OperationID: "archive-gerai-ritel", Method: http.MethodDelete, Path: base + "/{id}", Tags: tags,
		Summary: "Archive a listing (ended; kept as history)", Description: "Requires If-Match.", Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchPasar) (*versioned[pasar.Gerai], error) {
		return withIfMatch(in.IfMatch, func(version int64) (pasar.Gerai, int64, error) {
			v, err := s.pasarView(ctx)
			if err != nil {
				return pasar.Gerai{}, 0, err
			}
			x, err := s.Pasar.UpdateGerai(ctx, currentTenant(ctx), v, in.ID, version, nil)
			return x, x.Version, err
		})
	})
}

func (s *Server) registerBelanja() {
	tags := []string{"Pasar"}
	const base = "/v1/tenants/{tenant}/belanja-pemerintah"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}
	register(s.api, inTenant("list-belanja-pemerintah"), huma.Operation{
		OperationID: "list-belanja-pemerintah", Method: http.MethodGet, Path: base, Tags: tags,
		Summary: "The city's purchases from UMKM and cooperatives, latest first", Description: "Filters combine with AND; at most limit (500).",
	}, func(ctx context.Context, in *listBelanjaInput) (*itemsOutput[pasar.Belanja], error) {
		list, err := s.Pasar.ListBelanja(ctx, currentTenant(ctx), pasar.BelanjaFilter{Tahun: in.Tahun, Saluran: in.Saluran, OPD: in.OPD, Limit: in.Limit})
		return items(list), err
	})
	register(s.api, inTenant("get-belanja-pemerintah"), huma.Operation{
		OperationID: "get-belanja-pemerintah", Method: http.MethodGet, Path: base + "/{id}", Tags: tags, Summary: "One government purchase",
	}, func(ctx context.Context, in *PasarPath) (*versioned[pasar.Belanja], error) {
		x, err := s.Pasar.GetBelanja(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return answer(x, x.Version, http.StatusOK), nil
	})
	register(s.api, inTenant("create-belanja-pemerintah"), huma.Operation{
		OperationID: "create-belanja-pemerintah", Method: http.MethodPost, Path: base, Tags: tags, Summary: "Record a government purchase",
		Description: "From one business of the register (umkm_id) or one cooperative (koperasi_id). Through toko_daring " +
			"(Toko Daring / Bela Pengadaan) at most Rp50.000.000: above that 422 naming body.nilai.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *createBelanjaInput) (*versioned[pasar.Belanja], error) {
		t := currentTenant(ctx)
		return createVersioned(ctx, s, in.IdempotencyKey, "create-belanja-pemerintah", in.Body, func(tx pgx.Tx) (pasar.Belanja, int64, string, error) {
			x, err := s.Pasar.CreateBelanjaTx(ctx, tx, t, in.Body)
			return x, x.Version, "/v1/tenants/" + t.Slug + "/belanja-pemerintah/" + x.ID.String(), err
		})
	})
	register(s.api, inTenant("update-belanja-pemerintah"), huma.Operation{
		OperationID: "update-belanja-pemerintah", Method: http.MethodPut, Path: base + "/{id}", Tags: tags, Summary: "Replace a purchase's data",
		Description: "Requires If-Match.", Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateBelanjaInput) (*versioned[pasar.Belanja], error) {
		return withIfMatch(in.IfMatch, func(version int64) (pasar.Belanja, int64, error) {
			x, err := s.Pasar.UpdateBelanja(ctx, currentTenant(ctx), in.ID, version, &in.Body)
			return x, x.Version, err
		})
	})
	register(s.api, inTenant("archive-belanja-pemerintah"), huma.Operation{
		OperationID: "archive-belanja-pemerintah", Method: http.MethodDelete, Path: base + "/{id}", Tags: tags,
		Summary: "Archive a purchase recorded in error (it leaves the share)", Description: "Requires If-Match.", Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchPasar) (*versioned[pasar.Belanja], error) {
		return withIfMatch(in.IfMatch, func(version int64) (pasar.Belanja, int64, error) {
			x, err := s.Pasar.UpdateBelanja(ctx, currentTenant(ctx), in.ID, version, nil)
			return x, x.Version, err
		})
	})
	register(s.api, inTenant("get-anggaran-belanja"), huma.Operation{
		OperationID: "get-anggaran-belanja", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/anggaran-belanja/{tahun}", Tags: tags,
		Summary: "A fiscal year's purchases from UMKM and cooperatives as a share of the goods-and-services budget, against 40%",
		Description: "By buying office and by channel, with counts; shares in basis points rounded down (UU 11/2020 Pasal 97, " +
			"Perpres 12/2021 Pasal 65). The ETag is the budget's (absent until it is recorded).",
	}, func(ctx context.Context, in *AnggaranPath) (*versioned[pasar.CapaianBelanja], error) {
		c, err := s.Pasar.Capaian(ctx, currentTenant(ctx), in.Tahun)
		if err != nil {
			return nil, err
		}
		out := answer(c, c.AnggaranVer, http.StatusOK)
		if c.Anggaran == nil {
			out.ETag = ""
		}
		return out, nil
	})
	register(s.api, inTenant("update-anggaran-belanja"), huma.Operation{
		OperationID: "update-anggaran-belanja", Method: http.MethodPut, Path: "/v1/tenants/{tenant}/anggaran-belanja/{tahun}", Tags: tags,
		Summary:     "Record a fiscal year's goods-and-services budget (belanja barang/jasa)",
		Description: "Without If-Match records the year's first (409 when it has one); with If-Match replaces that version (412 when stale).",
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed}, MaxBodyBytes: 1 << 10,
	}, func(ctx context.Context, in *updateAnggaranInput) (*versioned[pasar.Anggaran], error) {
		var version int64
		if in.IfMatch != "" {
			v, err := ifMatch(in.IfMatch)
			if err != nil {
				return nil, err
			}
			version = v
		}
		a, err := s.Pasar.SetAnggaran(ctx, currentTenant(ctx), in.Tahun, version, in.Body)
		if err != nil {
			return nil, err
		}
		return answer(a, a.Version, http.StatusOK), nil
	})
}
