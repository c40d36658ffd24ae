package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// TenantPath is the {tenant} path parameter. Input types embed it; it must be
// exported, because Huma skips embedded fields of unexported types (their
// parameters would be neither parsed nor documented).
type TenantPath struct {
	Tenant string `path:"tenant" maxLength:"31" doc:"Tenant slug." example:"depok"`
}

type tenantOutput struct {
	Body tenant.Tenant
}

type listTenantsInput struct {
	PageParams
}

type listTenantsOutput struct {
	Body Page[tenant.Tenant]
}

type listWilayahInput struct {
	TenantPath
	PageParams
}

type listWilayahOutput struct {
	Body Page[tenant.Kecamatan]
}

func (s *Server) registerTenants() {
	register(s.api, authenticated, huma.Operation{
		OperationID: "list-tenants", Method: http.MethodGet, Path: "/v1/tenants", Tags: []string{"Tenants"},
		Summary:     "Tenants the caller works with",
		Description: "Platform admins see every tenant; province viewers the tenants of their province; everyone else the tenants they hold a role in.",
	}, func(ctx context.Context, in *listTenantsInput) (*listTenantsOutput, error) {
		after, err := decodeCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		var v tenant.Visible
		for d := range principal(ctx).Roles {
			switch code, isProvince := d.Province(); {
			case d == tenancy.PlatformDomain:
				v.All = true
			case isProvince:
				v.Provinces = append(v.Provinces, code)
			default:
				v.Slugs = append(v.Slugs, string(d))
			}
		}
		items, err := s.Tenants.List(ctx, v, after, in.Limit+1)
		if err != nil {
			return nil, err
		}
		return &listTenantsOutput{Body: paginate(items, in.Limit, func(t tenant.Tenant) string { return t.Slug })}, nil
	})

	register(s.api, inTenant("get-tenant"), huma.Operation{
		OperationID: "get-tenant", Method: http.MethodGet, Path: "/v1/tenants/{tenant}", Tags: []string{"Tenants"},
		Summary: "One tenant",
	}, func(ctx context.Context, in *TenantPath) (*tenantOutput, error) {
		t, err := s.Tenants.BySlug(ctx, currentTenant(ctx).Slug)
		if err != nil {
			return nil, err
		}
		return &tenantOutput{Body: t}, nil
	})

	register(s.api, inTenant("list-wilayah"), huma.Operation{
		OperationID: "list-wilayah", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/wilayah", Tags: []string{"Tenants"},
		Summary:     "Kecamatan of the tenant with their desa/kelurahan",
		Description: "Ordered by Kemendagri code; a page holds up to `limit` kecamatan, each with all its desa/kelurahan.",
	}, func(ctx context.Context, in *listWilayahInput) (*listWilayahOutput, error) {
		after, err := decodeCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		items, err := s.Tenants.ListWilayah(ctx, currentTenant(ctx).ID, after, in.Limit+1)
		if err != nil {
			return nil, err
		}
		return &listWilayahOutput{Body: paginate(items, in.Limit, func(k tenant.Kecamatan) string { return k.Kode })}, nil
	})
}
