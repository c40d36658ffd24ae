package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// PemasaranRujuk is how a curation refers a business to the legalitas
// desk: a constraint of category legalitas in the register, in the
// curation's transaction (pemasaran.Service.Rujuk; the API and the web app
// compose the same).
func PemasaranRujuk(register *umkm.Service) func(context.Context, pgx.Tx, *tenancy.Tenant, uuid.UUID, string) (uuid.UUID, error) {
	return func(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, umkmID uuid.UUID, catatan string) (uuid.UUID, error) {
		k, err := register.CreateKendalaTx(ctx, tx, t, umkmID, umkm.KendalaInput{Kategori: "legalitas", Catatan: &catatan}, umkm.Scope{})
		return k.ID, err
	}
}

// Marketing points, products and curation. A point, a product and a
// curation each carry their own ETag; photos are checked by their bytes
// (never the name) and served back with the type sniffed then.

// TitikPath is the path of one marketing point; exported for Huma.
type TitikPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Titik pemasaran id."`
}

// TitikKurasiPath is the path of one curation of a point.
type TitikKurasiPath struct {
	TitikPath
	KurasiID uuid.UUID `path:"kurasi_id" doc:"Kurasi id."`
}

// ProdukPath is the path of one product.
type ProdukPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"Produk id."`
}

// ProdukFotoPath is the path of one photo of a product.
type ProdukFotoPath struct {
	ProdukPath
	FotoID uuid.UUID `path:"foto_id" doc:"Foto id."`
}

type listTitikInput struct {
	TenantPath
	PageParams
	Jenis         string `query:"jenis" enum:"galeri,pojok_umkm,pasar_mingguan,bazar,event,ritel_modern,marketplace,e_katalog,pojok_hotel,pojok_rumah_sakit,pojok_sekolah"`
	OperatorJenis string `query:"operator_jenis" enum:"kantor,koperasi,mitra,ritel"`
	Status        string `query:"status" enum:"rencana,aktif,ditutup"`
	Kecamatan     string `query:"kecamatan" maxLength:"20" doc:"Kecamatan code."`
	Q             string `query:"q" maxLength:"100" doc:"Words of the name; tolerates typos."`
	Arsip         bool   `query:"arsip" doc:"Include archived points."`
}

type createTitikInput struct {
	TenantPath
	IdemHeader
	Body pemasaran.TitikInput
}

type updateTitikInput struct {
	TitikPath
	IfMatchHeader
	Body pemasaran.TitikInput
}

type ifMatchTitik struct {
	TitikPath
	IfMatchHeader
}

type listKurasiInput struct {
	TitikPath
	Status string `query:"status" enum:"diterima,ditolak,dirujuk_legalitas,tampil,selesai"`
}

type createKurasiInput struct {
	TitikPath
	IdemHeader
	Body pemasaran.KurasiInput
}

type langkahKurasiInput struct {
	TitikKurasiPath
	IfMatchHeader
	Body pemasaran.KurasiLangkah
}

type createProdukInput struct {
	UMKMPath
	IdemHeader
	Body pemasaran.ProdukInput
}

type updateProdukInput struct {
	ProdukPath
	IfMatchHeader
	Body pemasaran.ProdukInput
}

type ifMatchProduk struct {
	ProdukPath
	IfMatchHeader
}

type createFotoInput struct {
	ProdukPath
	ContentType string `header:"Content-Type" doc:"The photo's type if known (image/jpeg, image/png, image/webp); it must agree with the content. application/octet-stream: let the content say."`
	RawBody     []byte `contentType:"application/octet-stream" doc:"The photo's bytes: JPEG, PNG or WebP, at most 2 MB."`
}

type fotoOutput struct {
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	Body         []byte
}

type itemsOutput[T any] struct {
	Body struct {
		Items []T `json:"items" nullable:"false"`
	}
}

func items[T any](list []T) *itemsOutput[T] {
	out := &itemsOutput[T]{}
	out.Body.Items = list
	if out.Body.Items == nil {
		out.Body.Items = []T{}
	}
	return out
}

// pemasaranView is what the caller may reach: a petugas, the points and
// businesses of their regions.
func (s *Server) pemasaranView(ctx context.Context) (pemasaran.View, error) {
	return pemasaran.Access(ctx, s.Authz, principal(ctx), currentTenant(ctx))
}

func (s *Server) registerPemasaran() {
	tags := []string{"Pemasaran"}
	const titik = "/v1/tenants/{tenant}/pemasaran/titik"
	const oneTitik = titik + "/{id}"
	const produk = "/v1/tenants/{tenant}/pemasaran/produk/{id}"
	writeErrors := []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}

	register(s.api, inTenant("list-produk-kategori"), huma.Operation{
		OperationID: "list-produk-kategori", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/pemasaran/kategori", Tags: tags,
		Summary: "Product categories and the versions of the legality gate's rules for each",
	}, func(ctx context.Context, _ *TenantPath) (*itemsOutput[pemasaran.KategoriProduk], error) {
		list, err := s.Pemasaran.ListKategori(ctx)
		return items(list), err
	})

	register(s.api, inTenant("list-titik"), huma.Operation{
		OperationID: "list-titik", Method: http.MethodGet, Path: titik, Tags: tags,
		Summary: "The office's marketing points, newest first", Description: "Filters combine with AND. A petugas sees the points of their regions.",
	}, func(ctx context.Context, in *listTitikInput) (*struct{ Body Page[pemasaran.Titik] }, error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		page, err := s.Pemasaran.ListTitik(ctx, currentTenant(ctx), pemasaran.TitikFilter{Jenis: in.Jenis, OperatorJenis: in.OperatorJenis,
			Status: in.Status, Kecamatan: in.Kecamatan, Q: in.Q, Arsip: in.Arsip, Cursor: in.Cursor, Limit: in.Limit}, v)
		if err != nil {
			return nil, err
		}
		out := &struct{ Body Page[pemasaran.Titik] }{Body: Page[pemasaran.Titik]{Items: page.Items, NextCursor: page.NextCursor}}
		if out.Body.Items == nil {
			out.Body.Items = []pemasaran.Titik{}
		}
		return out, nil
	})

	register(s.api, inTenant("get-titik"), huma.Operation{
		OperationID: "get-titik", Method: http.MethodGet, Path: oneTitik, Tags: tags, Summary: "One marketing point",
	}, func(ctx context.Context, in *TitikPath) (*versioned[pemasaran.Titik], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		p, err := s.Pemasaran.GetTitik(ctx, currentTenant(ctx), in.ID, v)
		if err != nil {
			return nil, err
		}
		return answer(p, p.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-titik"), huma.Operation{
		OperationID: "create-titik", Method: http.MethodPost, Path: titik, Tags: tags,
		Summary:       "Open a marketing point",
		Description:   "A weekly market needs its weekly schedule; a bazaar or event its dates. A petugas opens points in their regions only.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *createTitikInput) (*versioned[pemasaran.Titik], error) {
		t := currentTenant(ctx)
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-titik", in.Body, func(tx pgx.Tx) (pemasaran.Titik, int64, string, error) {
			p, err := s.Pemasaran.CreateTitikTx(ctx, tx, t, in.Body, v)
			return p, p.Version, pemasaran.TitikPath(t.Slug, p.ID), err
		})
	})

	register(s.api, inTenant("update-titik"), huma.Operation{
		OperationID: "update-titik", Method: http.MethodPut, Path: oneTitik, Tags: tags,
		Summary: "Replace a marketing point's data", Description: "Requires If-Match.", Errors: writeErrors, MaxBodyBytes: 32 << 10,
	}, func(ctx context.Context, in *updateTitikInput) (*versioned[pemasaran.Titik], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(ver int64) (pemasaran.Titik, int64, error) {
			p, err := s.Pemasaran.UpdateTitik(ctx, currentTenant(ctx), in.ID, ver, in.Body, v)
			return p, p.Version, err
		})
	})

	register(s.api, inTenant("archive-titik"), huma.Operation{
		OperationID: "archive-titik", Method: http.MethodDelete, Path: oneTitik, Tags: tags,
		Summary: "Archive a marketing point (kept, with its listings, as history)", Description: "Requires If-Match.", Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchTitik) (*versioned[pemasaran.Titik], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(ver int64) (pemasaran.Titik, int64, error) {
			p, err := s.Pemasaran.ArchiveTitik(ctx, currentTenant(ctx), in.ID, ver, v)
			return p, p.Version, err
		})
	})

	register(s.api, inTenant("list-titik-kurasi"), huma.Operation{
		OperationID: "list-titik-kurasi", Method: http.MethodGet, Path: oneTitik + "/kurasi", Tags: tags,
		Summary: "A point's curations and listings, newest first",
	}, func(ctx context.Context, in *listKurasiInput) (*itemsOutput[pemasaran.Kurasi], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		list, err := s.Pemasaran.ListKurasi(ctx, currentTenant(ctx), in.ID, in.Status, v)
		return items(list), err
	})

	register(s.api, inTenant("get-titik-kurasi"), huma.Operation{
		OperationID: "get-titik-kurasi", Method: http.MethodGet, Path: oneTitik + "/kurasi/{kurasi_id}", Tags: tags,
		Summary: "One curation with the gate's reasons",
	}, func(ctx context.Context, in *TitikKurasiPath) (*versioned[pemasaran.Kurasi], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		k, err := s.Pemasaran.GetKurasi(ctx, currentTenant(ctx), in.ID, in.KurasiID, v)
		if err != nil {
			return nil, err
		}
		return answer(k, k.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("create-titik-kurasi"), huma.Operation{
		OperationID: "create-titik-kurasi", Method: http.MethodPost, Path: oneTitik + "/kurasi", Tags: tags,
		Summary: "Curate a product for a point through the legality gate",
		Description: "The gate checks the product category's required documents (rule version in force today) against the business's " +
			"legal documents and their validity. keputusan diterima becomes dirujuk_legalitas when a requirement fails, and a " +
			"legalitas constraint is opened on the business for the desk; every failing requirement is listed in gagal. " +
			"A product already accepted or on display at the point is 409.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createKurasiInput) (*versioned[pemasaran.Kurasi], error) {
		t := currentTenant(ctx)
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-titik-kurasi", in.Body, func(tx pgx.Tx) (pemasaran.Kurasi, int64, string, error) {
			k, err := s.Pemasaran.KurasikanTx(ctx, tx, t, in.ID, in.Body, v)
			return k, k.Version, pemasaran.KurasiPath(t.Slug, in.ID, k.ID), err
		})
	})

	register(s.api, inTenant("update-titik-kurasi"), huma.Operation{
		OperationID: "update-titik-kurasi", Method: http.MethodPost, Path: oneTitik + "/kurasi/{kurasi_id}/langkah", Tags: tags,
		Summary: "Put an accepted product on display, or rotate it out", Description: "Requires If-Match. diterima → tampil → selesai.",
		Errors: writeErrors, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *langkahKurasiInput) (*versioned[pemasaran.Kurasi], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(ver int64) (pemasaran.Kurasi, int64, error) {
			k, err := s.Pemasaran.Langkah(ctx, currentTenant(ctx), in.ID, in.KurasiID, ver, in.Body, v)
			return k, k.Version, err
		})
	})

	register(s.api, inTenant("list-umkm-produk"), huma.Operation{
		OperationID: "list-umkm-produk", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/umkm/{id}/produk", Tags: tags,
		Summary: "A business's products, with their photos' metadata",
	}, func(ctx context.Context, in *UMKMPath) (*itemsOutput[pemasaran.Produk], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		list, err := s.Pemasaran.ListProduk(ctx, currentTenant(ctx), in.ID, v)
		return items(list), err
	})

	register(s.api, inTenant("create-umkm-produk"), huma.Operation{
		OperationID: "create-umkm-produk", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/umkm/{id}/produk", Tags: tags,
		Summary: "Add a product of a business", DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createProdukInput) (*versioned[pemasaran.Produk], error) {
		t := currentTenant(ctx)
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return createVersioned(ctx, s, in.IdempotencyKey, "create-umkm-produk", in.Body, func(tx pgx.Tx) (pemasaran.Produk, int64, string, error) {
			p, err := s.Pemasaran.CreateProdukTx(ctx, tx, t, in.ID, in.Body, v)
			return p, p.Version, pemasaran.ProdukPath(t.Slug, p.ID), err
		})
	})

	register(s.api, inTenant("get-produk"), huma.Operation{
		OperationID: "get-produk", Method: http.MethodGet, Path: produk, Tags: tags, Summary: "One product",
	}, func(ctx context.Context, in *ProdukPath) (*versioned[pemasaran.Produk], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		p, err := s.Pemasaran.GetProduk(ctx, currentTenant(ctx), in.ID, v)
		if err != nil {
			return nil, err
		}
		return answer(p, p.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("update-produk"), huma.Operation{
		OperationID: "update-produk", Method: http.MethodPut, Path: produk, Tags: tags,
		Summary: "Replace a product's data", Description: "Requires If-Match.", Errors: writeErrors, MaxBodyBytes: 8 << 10,
	}, func(ctx context.Context, in *updateProdukInput) (*versioned[pemasaran.Produk], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(ver int64) (pemasaran.Produk, int64, error) {
			p, err := s.Pemasaran.UpdateProduk(ctx, currentTenant(ctx), in.ID, ver, in.Body, v)
			return p, p.Version, err
		})
	})

	register(s.api, inTenant("archive-produk"), huma.Operation{
		OperationID: "archive-produk", Method: http.MethodDelete, Path: produk, Tags: tags,
		Summary: "Archive a product (its listings stay as history)", Description: "Requires If-Match.", Errors: writeErrors,
	}, func(ctx context.Context, in *ifMatchProduk) (*versioned[pemasaran.Produk], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return withIfMatch(in.IfMatch, func(ver int64) (pemasaran.Produk, int64, error) {
			p, err := s.Pemasaran.ArchiveProduk(ctx, currentTenant(ctx), in.ID, ver, v)
			return p, p.Version, err
		})
	})

	register(s.api, inTenant("list-produk-kurasi"), huma.Operation{
		OperationID: "list-produk-kurasi", Method: http.MethodGet, Path: produk + "/kurasi", Tags: tags,
		Summary: "A product's curations at every point, newest first",
	}, func(ctx context.Context, in *ProdukPath) (*itemsOutput[pemasaran.Kurasi], error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := s.Pemasaran.GetProduk(ctx, currentTenant(ctx), in.ID, v); err != nil {
			return nil, err
		}
		list, err := s.Pemasaran.KurasiProduk(ctx, currentTenant(ctx), in.ID, v)
		return items(list), err
	})

	register(s.api, inTenant("create-produk-foto"), huma.Operation{
		OperationID: "create-produk-foto", Method: http.MethodPost, Path: produk + "/foto", Tags: tags,
		Summary: "Add a photo of a product (the bytes as the body)",
		Description: "JPEG, PNG or WebP, at most 2 MB (413 beyond, before it is read whole). The type is taken from the content; " +
			"a Content-Type that disagrees with it, or content that is no such image, is 422 naming `body`. At most 6 photos.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: pemasaran.MaxFotoBytes,
		Errors: []int{http.StatusConflict, http.StatusRequestEntityTooLarge},
	}, func(ctx context.Context, in *createFotoInput) (*struct {
		Location string `header:"Location"`
		Body     pemasaran.ProdukFoto
	}, error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		t := currentTenant(ctx)
		f, err := s.Pemasaran.AddFoto(ctx, t, in.ID, in.RawBody, in.ContentType, "body", v)
		if err != nil {
			return nil, err
		}
		return &struct {
			Location string `header:"Location"`
			Body     pemasaran.ProdukFoto
		}{Location: pemasaran.ProdukPath(t.Slug, in.ID) + "/foto/" + f.ID.String(), Body: f}, nil
	})

	register(s.api, inTenant("get-produk-foto"), huma.Operation{
		OperationID: "get-produk-foto", Method: http.MethodGet, Path: produk + "/foto/{foto_id}", Tags: tags,
		Summary: "A product photo's bytes, with the type sniffed when it was stored",
	}, func(ctx context.Context, in *ProdukFotoPath) (*fotoOutput, error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		tipe, b, err := s.Pemasaran.Foto(ctx, currentTenant(ctx), in.ID, in.FotoID, v)
		if err != nil {
			return nil, err
		}
		return &fotoOutput{ContentType: tipe, CacheControl: "private, max-age=3600", Body: b}, nil
	})

	register(s.api, inTenant("delete-produk-foto"), huma.Operation{
		OperationID: "delete-produk-foto", Method: http.MethodDelete, Path: produk + "/foto/{foto_id}", Tags: tags,
		Summary: "Remove a product photo", DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *ProdukFotoPath) (*struct{}, error) {
		v, err := s.pemasaranView(ctx)
		if err != nil {
			return nil, err
		}
		return &struct{}{}, s.Pemasaran.DeleteFoto(ctx, currentTenant(ctx), in.ID, in.FotoID, v)
	})
}
