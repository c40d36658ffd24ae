package httpapi

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// scope says where an operation's permission is checked.
type scope int

const (
	scopePublic        scope = iota + 1 // no account: login, public registration
	scopeAuthenticated                  // any logged-in user: me, logout, own tenants
	scopeTenant                         // {tenant} path: role in the tenant's domain
	scopeProvince                       // {province} path: role in province:<code>
	scopePlatform                       // the platform domain
)

// perm is an operation's declared permission. The action is the Casbin
// object, equal to the operation id.
type perm struct {
	scope  scope
	action string
	// enrol: allowed to a session that must enrol TOTP before anything else.
	enrol bool
}

const permKey = "sentra.perm"

var (
	public        = perm{scope: scopePublic}
	authenticated = perm{scope: scopeAuthenticated}
	// enrolling: any logged-in user, even one whose office requires TOTP
	// they have not enrolled yet (me, logout, enrolment itself).
	enrolling = perm{scope: scopeAuthenticated, enrol: true}
)

func inTenant(action string) perm { return perm{scope: scopeTenant, action: action} }

func onPlatform(action string) perm { return perm{scope: scopePlatform, action: action} }

func inProvince(action string) perm { return perm{scope: scopeProvince, action: action} }

type langKey struct{}

// register adds an operation with its permission. Errors returned by h are
// mapped to problem+json in the caller's language.
func register[I, O any](api huma.API, p perm, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[permKey] = p
	if p.scope != scopePublic {
		op.Security = []map[string][]string{{"bearer": {}}, {"cookie": {}}}
		op.Errors = append(op.Errors, http.StatusUnauthorized)
	}
	if p.scope == scopeTenant || p.scope == scopeProvince || p.scope == scopePlatform {
		op.Errors = append(op.Errors, http.StatusForbidden, http.StatusNotFound)
	}
	op.Errors = append(op.Errors, http.StatusUnprocessableEntity)
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			lang, _ := ctx.Value(langKey{}).(string)
			return nil, toProblem(ctx, lang, err)
		}
		return out, nil
	})
}

// authorize authenticates the caller and checks the operation's permission
// before any input is read by a handler. An operation without a declared
// permission is refused (fail closed).
func (s *Server) authorize(hctx huma.Context, next func(huma.Context)) {
	ctx := hctx.Context()
	lang := languageOf(hctx)
	hctx = huma.WithValue(hctx, langKey{}, lang)
	ctx = hctx.Context()
	fail := func(err error) { writeHumaProblem(hctx, toProblem(ctx, lang, err)) }
	if err := checkParams(hctx); err != nil {
		fail(err)
		return
	}

	p, ok := hctx.Operation().Metadata[permKey].(perm)
	if !ok {
		loggerFrom(ctx).ErrorContext(ctx, "operation without a declared permission", "operation", hctx.Operation().OperationID)
		fail(apperr.Forbidden())
		return
	}
	if p.scope == scopePublic {
		next(hctx)
		return
	}
	principal, err := s.Accounts.Authenticate(ctx, credential(hctx))
	if err != nil {
		fail(err)
		return
	}
	tenancy.Note(ctx).UserID = principal.UserID.String()
	if principal.MustEnrolTOTP && !p.enrol {
		fail(account.ErrMustEnrolTOTP)
		return
	}
	ctx = tenancy.WithPrincipal(ctx, principal)
	hctx = huma.WithContext(hctx, ctx)

	switch p.scope {
	case scopeAuthenticated:
	case scopeTenant:
		t, err := s.Tenants.Resolve(ctx, hctx.Param("tenant"))
		if err != nil {
			fail(err)
			return
		}
		if err := s.Authz.Decide(ctx, principal, tenancy.TenantDomain(t.Slug), p.action); err != nil {
			fail(err)
			return
		}
		// Then what the office's subscription allows: reads and exports always.
		if err := langganan.Permits(t.State, langganan.RoleIn(principal, tenancy.TenantDomain(t.Slug)), p.action); err != nil {
			fail(err)
			return
		}
		tenancy.Note(ctx).Tenant = t.Slug
		hctx = huma.WithContext(hctx, tenancy.WithTenant(ctx, t.Scope()))
	case scopeProvince:
		if err := s.Authz.Decide(ctx, principal, tenancy.ProvinceDomain(hctx.Param("province")), p.action); err != nil {
			fail(err)
			return
		}
	case scopePlatform:
		if err := s.Authz.Decide(ctx, principal, tenancy.PlatformDomain, p.action); err != nil {
			fail(err)
			return
		}
	default:
		fail(apperr.Forbidden())
		return
	}
	next(hctx)
}

// credential is the bearer token, or the session cookie for browsers.
func credential(hctx huma.Context) string {
	if h := hctx.Header("Authorization"); h != "" {
		token, _ := strings.CutPrefix(h, "Bearer ")
		return strings.TrimSpace(token)
	}
	return cookieValue(hctx.Header("Cookie"), sessionCookie)
}

func cookieValue(header, name string) string {
	r := http.Request{Header: http.Header{"Cookie": {header}}}
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

func writeHumaProblem(hctx huma.Context, p *Problem) {
	for k, vs := range p.headers {
		for _, v := range vs {
			hctx.AppendHeader(k, v)
		}
	}
	hctx.SetHeader("Content-Type", "application/problem+json")
	hctx.SetStatus(p.Status)
	_ = json.NewEncoder(hctx.BodyWriter()).Encode(p)
}

func writeProblem(w http.ResponseWriter, p *Problem) {
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// principal returns the caller of an authenticated operation.
func principal(ctx context.Context) *tenancy.Principal {
	p, _ := tenancy.PrincipalFrom(ctx)
	return p
}

// currentTenant returns the tenant of a tenant-scoped operation.
func currentTenant(ctx context.Context) *tenancy.Tenant {
	t, _ := tenancy.TenantFrom(ctx)
	return t
}

// checkParams refuses query parameters and an Idempotency-Key that are not
// clean text (not UTF-8, or holding control characters). They would reach
// the database and be refused there, without the parameter being named.
func checkParams(hctx huma.Context) error {
	msg := apperr.T("Berisi karakter yang tidak terbaca atau karakter kontrol.", "Holds bytes that are not text, or control characters.")
	var fields []apperr.Field
	u := hctx.URL()
	q := u.Query()
	for _, name := range slices.Sorted(maps.Keys(q)) {
		loc, ok := "query."+name, teks.Clean(name)
		if !ok {
			loc = "query" // a name that is not text is not echoed
		}
		for _, v := range q[name] {
			ok = ok && teks.Clean(v)
		}
		if !ok {
			fields = append(fields, apperr.Field{Location: loc, Message: msg})
		}
	}
	if k := hctx.Header("Idempotency-Key"); k != "" && !teks.Clean(k) {
		fields = append(fields, apperr.Field{Location: "header.Idempotency-Key", Message: msg})
	}
	if len(fields) == 0 {
		return nil
	}
	return apperr.Invalid(apperr.T("Data tidak valid. Periksa isian yang disebutkan.", "Invalid input. Check the fields listed."), fields...)
}
