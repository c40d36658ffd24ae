package umkm

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// SearchSQL exposes the queries of a search's first page, as the tenant's
// dictionary widens them, to the tests of their plans.
func SearchSQL(ctx context.Context, tx pgx.Tx, f Filter) ([]string, [][]any, error) {
	var w words
	if err := tx.SendBatch(ctx, queueBatch(func(b *pgx.Batch) { w.queue(b, f.Q) })).Close(); err != nil {
		return nil, nil, err
	}
	var (
		sqls []string
		args [][]any
	)
	for _, t := range w.tiers(f.allMatches) {
		l := newListing(f, Scope{}, t, nil)
		sqls, args = append(sqls, l.sql), append(args, l.args)
	}
	return sqls, args, nil
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
