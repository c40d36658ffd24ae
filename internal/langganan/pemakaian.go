package langganan

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Usage is an office's use of its plan. BILLING.md: usage is metered for
// the plans' soft limits and the renewal quote, never billed per event and
// never blocking; an office over its plan is told, and the platform sees it
// for the next contract.
type Usage struct {
	Plan       string `json:"plan,omitempty" doc:"The plan of the contract; none before one."`
	Staff      int    `json:"staff" doc:"Active users of the office (every role)."`
	MaxStaff   *int   `json:"max_staff,omitempty" doc:"The plan's seats; absent: no limit."`
	Records    int    `json:"records" doc:"Businesses and cooperatives in the registers, archived ones not counted."`
	MaxRecords *int   `json:"max_records,omitempty" doc:"The plan's records; absent: no limit."`
}

// OverStaff reports whether the office uses more seats than its plan has.
func (u Usage) OverStaff() bool { return u.MaxStaff != nil && u.Staff > *u.MaxStaff }

// OverRecords reports whether the registers hold more than the plan.
func (u Usage) OverRecords() bool { return u.MaxRecords != nil && u.Records > *u.MaxRecords }

// UsageOf meters the office (in its tenant transaction; slug names its
// users' domain).
func UsageOf(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, slug string) (Usage, error) {
	var (
		u    Usage
		plan *string
	)
	err := tx.QueryRow(ctx, `select
			(select b.plan_code from tenant_billing b where b.tenant_id = $1 and b.contract_at is not null),
			(select p.max_staff from tenant_billing b join plans p on p.code = b.plan_code where b.tenant_id = $1 and b.contract_at is not null),
			(select p.max_records from tenant_billing b join plans p on p.code = b.plan_code where b.tenant_id = $1 and b.contract_at is not null),
			(select count(*) from role_assignments where domain = $2 and disabled_at is null),
			(select count(*) from umkm where tenant_id = $1 and archived_at is null)
				+ (select count(*) from koperasi where tenant_id = $1 and archived_at is null)`,
		tenantID, slug).Scan(&plan, &u.MaxStaff, &u.MaxRecords, &u.Staff, &u.Records)
	if err != nil {
		return Usage{}, fmt.Errorf("usage: %w", err)
	}
	if plan != nil {
		u.Plan = *plan
	}
	return u, nil
}
