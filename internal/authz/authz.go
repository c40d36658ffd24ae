// Package authz decides what a user may do: Casbin RBAC with domains. It is
// the only importer of casbin. Row-level security separately decides which
// rows exist; both must agree, and either alone is already safe.
package authz

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

var (
	//go:embed model.conf
	modelText string
	//go:embed policy.csv
	policyText string
)

// Authorizer answers "may this user do this operation in this domain".
type Authorizer struct {
	adapter  *adapter
	enforcer *casbin.SyncedEnforcer
	reload   sync.Mutex
	version  atomic.Int64 // authz_state.version the enforcer holds
	// decisions caches Enforce results under the policy version they were
	// made with; a reload moves the version, so a decision made under an
	// older policy is never read again (Casbin's own cache can keep one).
	decisions sync.Map // decisionKey → bool
}

type decisionKey struct {
	version           int64
	user, domain, act string
}

// New loads the policy and the current role assignments.
func New(ctx context.Context, pool *pgxpool.Pool) (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("casbin model: %w", err)
	}
	a := &Authorizer{adapter: &adapter{pool: pool}}
	a.enforcer, err = casbin.NewSyncedEnforcer(m, a.adapter)
	if err != nil {
		return nil, fmt.Errorf("casbin enforcer: %w", err)
	}
	a.version.Store(a.adapter.loaded)
	return a, nil
}

// Allowed reports whether p may perform action in domain. p.AuthzVersion was
// read with p's session in this request: if role assignments changed since
// the enforcer loaded them, it reloads first, so a revoke in any process takes
// effect on the next request everywhere.
func (a *Authorizer) Allowed(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) (bool, error) {
	if p.AuthzVersion > a.version.Load() {
		if err := a.Reload(ctx, p.AuthzVersion); err != nil {
			return false, err
		}
	}
	v := a.version.Load()
	key := decisionKey{v, p.UserID.String(), string(domain), action}
	if ok, hit := a.decisions.Load(key); hit {
		return ok.(bool), nil
	}
	ok, err := a.enforcer.Enforce(key.user, key.domain, key.act)
	if err == nil && a.version.Load() == v {
		a.decisions.Store(key, ok)
	}
	return ok, err
}

// Decide is the one decision of an action in a domain, for the API and the
// web pages alike. Someone with no role in the domain gets apperr.NotFound,
// exactly as for a domain that does not exist (out of scope looks like
// absent); someone with a role there but not this permission gets
// apperr.Forbidden. Platform admins reach the actions the policy gives them
// on the platform in every domain.
func (a *Authorizer) Decide(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) error {
	if _, member := p.Roles[domain]; member {
		ok, err := a.Allowed(ctx, p, domain, action)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		return apperr.Forbidden()
	}
	if _, platform := p.Roles[tenancy.PlatformDomain]; platform && domain != tenancy.PlatformDomain {
		ok, err := a.Allowed(ctx, p, tenancy.PlatformDomain, action)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return apperr.NotFound()
}

// Reload reloads assignments unless a version ≥ atLeast is already held.
func (a *Authorizer) Reload(ctx context.Context, atLeast int64) error {
	a.reload.Lock()
	defer a.reload.Unlock()
	if a.version.Load() >= atLeast {
		return nil
	}
	a.adapter.ctx = ctx
	defer func() { a.adapter.ctx = nil }()
	if err := a.enforcer.LoadPolicy(); err != nil {
		return fmt.Errorf("reload role assignments: %w", err)
	}
	a.version.Store(a.adapter.loaded)
	a.decisions.Clear()
	return nil
}

// Actions lists every operation some role may perform; a test checks each
// API operation against it.
func Actions() map[string][]tenancy.Role {
	out := map[string][]tenancy.Role{}
	for _, line := range policyLines() {
		f := strings.Split(line, ",")
		role, act := strings.TrimSpace(f[1]), strings.TrimSpace(f[2])
		out[act] = append(out[act], tenancy.Role(role))
	}
	return out
}

func policyLines() []string {
	var lines []string
	for _, l := range strings.Split(policyText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// adapter loads p rules from policy.csv and g rules from role_assignments.
// It is read-only: assignments are written by the account service, in the
// same transaction as their audit entry, and picked up through authz_state.
type adapter struct {
	pool   *pgxpool.Pool
	ctx    context.Context // set for the duration of a reload
	loaded int64
}

func (ad *adapter) LoadPolicy(m model.Model) error {
	for _, line := range policyLines() {
		if err := persist.LoadPolicyLine(line, m); err != nil {
			return err
		}
	}
	ctx := ad.ctx
	if ctx == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
	}
	// One snapshot for the version and the rows, so the version held never
	// claims changes the rules do not contain.
	tx, err := ad.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	if err := tx.QueryRow(ctx, "select version from authz_state").Scan(&ad.loaded); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `select r.user_id::text, r.role, r.domain from role_assignments r
		join users u on u.id = r.user_id where r.disabled_at is null and u.disabled_at is null`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var user, role, domain string
	_, err = pgx.ForEachRow(rows, []any{&user, &role, &domain}, func() error {
		return persist.LoadPolicyArray([]string{"g", user, role, domain}, m)
	})
	return err
}

var errReadOnly = fmt.Errorf("authz: role assignments are written by the account service")

func (ad *adapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (ad *adapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (ad *adapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (ad *adapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }
