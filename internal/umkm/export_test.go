package umkm

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// ListingSQL exposes a page's query to the tests of its plan.
func ListingSQL(f Filter, sc Scope) (string, []any, error) {
	l, err := newListing(f, sc)
	return l.sql, l.args, err
}

// ExportRows runs an export in a tenant transaction and says how many rows
// it wrote.
func (s *Service) ExportRows(ctx context.Context, t *tenancy.Tenant, p ExportParams) (int, error) {
	var n int
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		_, n, err = s.export(ctx, tx, t, p, nil)
		return err
	})
	return n, err
}
