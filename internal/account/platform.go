package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// The platform's read-only views of accounts across every domain: who holds
// which role where, and when an office's users last signed in. Users,
// roles and sessions are platform tables (no tenant_id, no RLS): these
// read nothing of a tenant's own rows. The caller decides who may ask.

// Pemegang is an account with every role it holds.
type Pemegang struct {
	ID       uuid.UUID
	Email    string
	Name     string
	Disabled bool // the account itself (all its roles) is disabled
	Peran    []PeranDi
}

// PeranDi is one role of an account in one domain.
type PeranDi struct {
	Domain  tenancy.Domain
	Role    tenancy.Role
	Wilayah []string // a petugas' regions
	Active  bool     // the office has not disabled the user's access
}

// MaxCari bounds how many accounts one search returns.
const MaxCari = 50

// SearchUsers finds accounts whose name or e-mail contains q (any case;
// % and _ are plain characters), by e-mail, at most limit (≤ MaxCari),
// each with all its roles in domain order. An empty q finds nobody.
func (s *Service) SearchUsers(ctx context.Context, q string, limit int) ([]Pemegang, error) {
	q = strings.TrimSpace(q)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	limit = min(limit, MaxCari)
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	rows, err := s.DB.Pool.Query(ctx, `with found as (
			select id, email, name, disabled_at is not null as disabled from users
			where email ilike $1 or name ilike $1 order by email limit $2)
		select f.id, f.email, f.name, f.disabled, r.domain, r.role, coalesce(r.wilayah, '{}'), r.disabled_at is null
		from found f left join role_assignments r on r.user_id = f.id
		order by f.email, r.domain`, pattern, limit)
	if err != nil {
		return nil, fmt.Errorf("search users: %w", err)
	}
	defer rows.Close()
	var out []Pemegang
	for rows.Next() {
		var (
			u       Pemegang
			domain  *string
			role    *string
			wilayah []string
			active  *bool
		)
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Disabled, &domain, &role, &wilayah, &active); err != nil {
			return nil, fmt.Errorf("search users: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != u.ID {
			out = append(out, u)
		}
		if domain != nil {
			last := &out[len(out)-1]
			last.Peran = append(last.Peran, PeranDi{Domain: tenancy.Domain(*domain), Role: tenancy.Role(*role),
				Wilayah: wilayah, Active: *active})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search users: %w", err)
	}
	return out, nil
}

// LastSignIn is, per domain, when a user holding an active role there last
// signed in (the newest session still on record: expired ones are pruned
// after a while). Domains nobody signed in to are absent.
func (s *Service) LastSignIn(ctx context.Context) (map[tenancy.Domain]time.Time, error) {
	rows, err := s.DB.Pool.Query(ctx, `select r.domain, max(s.created_at)
		from role_assignments r join sessions s on s.user_id = r.user_id
		where r.disabled_at is null group by r.domain`)
	if err != nil {
		return nil, fmt.Errorf("last sign-in: %w", err)
	}
	out := map[tenancy.Domain]time.Time{}
	var (
		d  string
		at time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&d, &at}, func() error {
		out[tenancy.Domain(d)] = at
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("last sign-in: %w", err)
	}
	return out, nil
}
