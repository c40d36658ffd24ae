package program

import (
	"context"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Access is what p may see of tenant t's participants: the same decision
// as for the register of cooperatives (read-pii for the owners' names; a
// petugas only their regions, none without one), shared by the API and the
// web pages.
func Access(ctx context.Context, az koperasi.Allower, p *tenancy.Principal, t *tenancy.Tenant) (View, error) {
	v, err := koperasi.Access(ctx, az, p, t)
	return View{PII: v.PII, Wilayah: v.Wilayah}, err
}
