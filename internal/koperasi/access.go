package koperasi

import (
	"context"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// Allower decides a permission (authz.Authorizer).
type Allower interface {
	Allowed(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) (bool, error)
}

// Access is what personal data p may see of tenant t's cooperatives: with
// read-pii, all of it; a petugas, only of those inside their regions (none
// when they have no region). The API and the web pages both decide it here.
func Access(ctx context.Context, az Allower, p *tenancy.Principal, t *tenancy.Tenant) (View, error) {
	dom := tenancy.TenantDomain(t.Slug)
	ok, err := az.Allowed(ctx, p, dom, "read-pii")
	v := View{PII: ok}
	if p.Roles[dom] == tenancy.RolePetugas {
		v.Wilayah = p.Wilayah[dom]
		if len(v.Wilayah) == 0 {
			v.Wilayah = []string{"-"} // a petugas with no area sees no personal data
		}
	}
	return v, err
}
