package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Dashboards: the office's own figures (tenant staff) and the province
// views (province viewers of that province; platform admins of every
// province). Both are served from the rollup tables only; a province view
// runs in a province transaction, in which no table holding personal data
// is visible, and hides small desa/kelurahan counts.

// ProvincePath is the {province} path parameter; exported for Huma, as
// TenantPath.
type ProvincePath struct {
	Province string `path:"province" pattern:"^[0-9]{2}$" doc:"Province code (Kemendagri)." example:"32"`
}

// ProvinceTenantPath is an office of a province; exported for Huma.
type ProvinceTenantPath struct {
	ProvincePath
	Tenant string `path:"tenant" maxLength:"31" doc:"Slug of an office of the province." example:"depok"`
}

type dasborWilayahInput struct {
	TenantPath
	Kode string `query:"kode" required:"true" maxLength:"13" doc:"Kemendagri code of a kecamatan or desa/kelurahan of the office." example:"32.76.01"`
}

type dasborOutput struct {
	Body dasbor.Dasbor
}

type dasborWilayahOutput struct {
	Body dasbor.WilayahDasbor
}

type dasborProvinsiOutput struct {
	Body dasbor.Provinsi
}

// DasborKategori are the values each dashboard breakdown lists, in order,
// as the register packages define them.
func DasborKategori() dasbor.Kategori {
	skala := []string{umkm.SkalaMikro, umkm.SkalaKecil, umkm.SkalaMenengah, umkm.SkalaBesar}
	var jenis, kelompok []string
	for _, j := range koperasi.AllJenis {
		jenis = append(jenis, string(j))
	}
	for _, k := range koperasi.AllKelompok {
		kelompok = append(kelompok, string(k))
	}
	return dasbor.Kategori{
		dasbor.DimSkalaDilaporkan: skala,
		dasbor.DimSkalaHitung:     skala,
		dasbor.DimSektor:          umkm.Sectors,
		dasbor.DimJenisKelamin:    {"L", "P"},
		dasbor.DimStatusBinaan:    {"binaan", "bukan_binaan"},
		dasbor.DimLegalitas:       umkm.LegalKinds,
		dasbor.DimKendala:         umkm.KendalaCategories,
		dasbor.DimJenisKoperasi:   jenis,
		dasbor.DimKelompok:        kelompok,
		dasbor.DimRegistrasi:      {umkm.RegistrasiMenunggu, umkm.RegistrasiDiterima, umkm.RegistrasiDitolak},
		dasbor.DimJenisProgram:    program.AllJenis,
		dasbor.DimTahapDana:       pendanaan.Papan,
	}
}

func (s *Server) registerDasbor() {
	tags := []string{"Dasbor"}
	fresh := " Served from rollups refreshed after every change (usually within a second or two); `dihitung_at` says when " +
		"the figures were computed."

	register(s.api, inTenant("get-dasbor"), huma.Operation{
		OperationID: "get-dasbor", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/dasbor", Tags: tags,
		Summary: "The office's dashboard",
		Description: "Businesses by size (reported and computed), sector, sex of the owner, binaan status, legal documents, " +
			"open constraints and registrations per month; cooperatives by type, grouping, health, RAT compliance and " +
			"reclassification progress; programme targets with what was achieved per year and per kecamatan; every kecamatan " +
			"and desa/kelurahan with its counts. Counts only, nothing about a person." + fresh,
	}, func(ctx context.Context, in *TenantPath) (*dasborOutput, error) {
		d, err := s.Dasbor.Tenant(ctx, currentTenant(ctx))
		if err != nil {
			return nil, err
		}
		return &dasborOutput{Body: d}, nil
	})

	register(s.api, inTenant("get-dasbor-wilayah"), huma.Operation{
		OperationID: "get-dasbor-wilayah", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/dasbor/wilayah", Tags: tags,
		Summary:     "Every breakdown of one kecamatan or desa/kelurahan",
		Description: "The dashboard's breakdowns for one region of the office (registrations per month: kecamatan only)." + fresh,
	}, func(ctx context.Context, in *dasborWilayahInput) (*dasborWilayahOutput, error) {
		w, err := s.Dasbor.Wilayah(ctx, currentTenant(ctx), in.Kode)
		if err != nil {
			return nil, err
		}
		return &dasborWilayahOutput{Body: w}, nil
	})

	register(s.api, inProvince("get-dasbor-provinsi"), huma.Operation{
		OperationID: "get-dasbor-provinsi", Method: http.MethodGet, Path: "/v1/provinces/{province}/dasbor", Tags: tags,
		Summary: "Figures of every office of a province, and their sum",
		Description: "The office-level breakdowns and programme targets of each office of the province, and the province " +
			"total. Aggregates only: no field identifies a person." + fresh,
	}, func(ctx context.Context, in *ProvincePath) (*dasborProvinsiOutput, error) {
		p, err := s.Dasbor.Provinsi(ctx, in.Province)
		if err != nil {
			return nil, err
		}
		return &dasborProvinsiOutput{Body: p}, nil
	})

	register(s.api, inProvince("get-dasbor-provinsi-tenant"), huma.Operation{
		OperationID: "get-dasbor-provinsi-tenant", Method: http.MethodGet, Path: "/v1/provinces/{province}/dasbor/{tenant}", Tags: tags,
		Summary: "The dashboard of one office of the province",
		Description: "The office's dashboard as the province sees it: desa/kelurahan counts from 1 to `ambang_sel_kecil`-1 are " +
			"hidden (`jumlah` null, `disembunyikan` true), and so are as many of their siblings as needed so that none can be " +
			"recovered from the kecamatan total. An office of another province answers 404." + fresh,
	}, func(ctx context.Context, in *ProvinceTenantPath) (*dasborOutput, error) {
		d, err := s.Dasbor.ProvinsiTenant(ctx, in.Province, in.Tenant)
		if err != nil {
			return nil, err
		}
		return &dasborOutput{Body: d}, nil
	})
}
