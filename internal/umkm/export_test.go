package umkm

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// SearchStatement is one tier's page of a search: the window walk, and the
// index read (with its settings) that follows when the walk leaves the
// page short.
type SearchStatement struct {
	Window, Walk, Index         string
	WalkSettings, IndexSettings string
	Args                        []any
}

// SearchSQL exposes the statements of a search's first page, as the
// tenant's dictionary widens them, to the tests of their plans.
func SearchSQL(ctx context.Context, tx pgx.Tx, f Filter) ([]SearchStatement, error) {
	var w words
	if err := readInTx(ctx, tx)(func(b *pgx.Batch) { w.queue(b, f.Q) }); err != nil {
		return nil, err
	}
	var out []SearchStatement
	for _, t := range w.tiers(f.allMatches) {
		l := newListing(f, Scope{}, t, nil, SearchProbe)
		walk := newListing(f, Scope{}, t, nil, SearchWalk)
		out = append(out, SearchStatement{Window: l.window, Walk: walk.window, Index: l.sql,
			WalkSettings: walk.walkSettings, IndexSettings: l.indexSettings, Args: l.args})
	}
	return out, nil
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

// AllMatches is f as an export lists it.
func AllMatches(f Filter) Filter {
	f.allMatches = true
	return f
}
