package jobs

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sentra-id/sentra/internal/db"
)

// Test-only exports, so jobs_test can run a probe worker the way Sentra's
// own tenant workers run: behind the tenant middleware, in inTenantTx.

// TenantMiddleware is the middleware NewClient installs.
func TenantMiddleware(d *db.DB) rivertype.Middleware { return &tenantMiddleware{db: d} }

// InTenantTx is inTenantTx.
func InTenantTx[T TenantArgs](ctx context.Context, d *db.DB, job *river.Job[T], fn func(pgx.Tx) error) error {
	return inTenantTx(ctx, d, job, fn)
}

// FairnessMiddleware is the middleware NewClient installs to bound an
// office's running long jobs.
func FairnessMiddleware(d *db.DB, limit int) rivertype.Middleware {
	return &fairnessMiddleware{db: d, limit: limit}
}

// Settle is Services.settle.
func (s Services) Settle(ctx context.Context, attempt, maxAttempts int, tenantID, id uuid.UUID, err error) error {
	return s.settle(ctx, attempt, maxAttempts, tenantID, id, err)
}
