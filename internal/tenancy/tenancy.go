// Package tenancy holds who is calling and on whose behalf: the principal, the
// tenant in scope and the request id, carried in the context.
package tenancy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Role is a role a user holds in one domain.
type Role string

const (
	RoleAdmin          Role = "admin"           // head of office: manages the tenant's users, approves
	RoleStaf           Role = "staf"            // reads and writes tenant data
	RoleViewer         Role = "viewer"          // reads tenant data
	RolePetugas        Role = "petugas"         // kecamatan/kelurahan officer: writes inside assigned regions only
	RoleProvinceViewer Role = "province_viewer" // aggregates of one province
	RolePlatformAdmin  Role = "platform_admin"  // onboards tenants, sees jobs
)

// TenantRoles are the roles that exist inside a tenant domain.
var TenantRoles = []Role{RoleAdmin, RoleStaf, RoleViewer, RolePetugas}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleStaf, RoleViewer, RolePetugas, RoleProvinceViewer, RolePlatformAdmin:
		return true
	}
	return false
}

// Domain is where a role applies: a tenant slug, "province:<code>" or "platform".
type Domain string

const PlatformDomain Domain = "platform"

// TenantDomain is the domain of a tenant.
func TenantDomain(slug string) Domain { return Domain(slug) }

// ProvinceDomain is the domain of a province.
func ProvinceDomain(code string) Domain { return Domain("province:" + code) }

// Province returns the province code of a province domain.
func (d Domain) Province() (string, bool) { return strings.CutPrefix(string(d), "province:") }

// IsTenant reports whether d names a tenant.
func (d Domain) IsTenant() bool {
	_, isProvince := d.Province()
	return d != PlatformDomain && !isProvince && d != ""
}

// RoleFits reports whether role r can be held in domain d.
func RoleFits(d Domain, r Role) bool {
	switch {
	case d == PlatformDomain:
		return r == RolePlatformAdmin
	case !d.IsTenant():
		return r == RoleProvinceViewer
	default:
		return r == RoleAdmin || r == RoleStaf || r == RoleViewer || r == RolePetugas
	}
}

// Principal is the authenticated caller.
type Principal struct {
	UserID    uuid.UUID
	Email     string
	Name      string
	SessionID uuid.UUID
	Roles     map[Domain]Role
	// Wilayah holds, per tenant domain where the user is petugas, the
	// region codes they are assigned to.
	Wilayah map[Domain][]string
	// AuthzVersion is the version of all role assignments read with the
	// session; the authorizer reloads when it is newer than what it holds.
	AuthzVersion int64
	// MustEnrolTOTP: the user is an admin of a tenant that requires TOTP of
	// its admins and has none yet; until they enrol, they may do nothing else.
	MustEnrolTOTP bool
}

// Tenant is the tenant a request works in.
type Tenant struct {
	ID           uuid.UUID
	Slug         string
	Name         string
	ProvinceCode string
	TimeZone     string
	State        string    // the access state (langganan.State); "" is active
	StateReason  string    // why (langganan.Reason): the banner says it
	StateUntil   time.Time // when the state ends by itself (trial, grace), if it does
}

// Today is the date at now in the tenant's time zone (a date in the API is a
// day of the office's calendar, API.md), as a UTC midnight.
func (t *Tenant) Today(now time.Time) (time.Time, error) {
	if t.TimeZone == "" { // LoadLocation would take "" for UTC
		return time.Time{}, fmt.Errorf("tenant %s has no time zone", t.Slug)
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("time zone of tenant %s: %w", t.Slug, err)
	}
	n := now.In(loc)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC), nil
}

type ctxKey int

const (
	principalKey ctxKey = iota
	tenantKey
	requestIDKey
	requestInfoKey
	clientAddrKey
)

// WithClientAddr returns ctx carrying the caller's network address.
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey, addr)
}

// ClientAddr is the caller's address, for throttling only (never logged
// with what they did).
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey).(string)
	return a
}

// RequestInfo is filled in as a request is understood (by the API or the
// web pages), for its access log line and its metrics. It names no person
// beyond the user id, and never a path's ids or a query.
type RequestInfo struct {
	Tenant    string // slug of the tenant the request worked in
	UserID    string
	Operation string // the API's operation id
	Route     string // the mux pattern, for routes outside Huma
}

// WithRequestInfo returns ctx carrying info, to be filled in.
func WithRequestInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey, info)
}

// Note returns the request's info to fill in; outside a request a scratch
// one, so callers need not check.
func Note(ctx context.Context) *RequestInfo {
	if info, ok := ctx.Value(requestInfoKey).(*RequestInfo); ok {
		return info
	}
	return &RequestInfo{}
}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// PrincipalFrom returns the caller, if authenticated.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey).(*Principal)
	return p, ok
}

// WithTenant returns ctx carrying t.
func WithTenant(ctx context.Context, t *Tenant) context.Context {
	return context.WithValue(ctx, tenantKey, t)
}

// TenantFrom returns the tenant in scope, if any.
func TenantFrom(ctx context.Context) (*Tenant, bool) {
	t, ok := ctx.Value(tenantKey).(*Tenant)
	return t, ok
}

// WithRequestID returns ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id, "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
