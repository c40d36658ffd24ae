package httpapi

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/authz"
)

// apiOp is one operation of the OpenAPI document.
type apiOp struct {
	method, path string
	op           *huma.Operation
}

// operations lists every operation the API documents, in a stable order.
func operations(t *testing.T, api huma.API) []apiOp {
	t.Helper()
	var ops []apiOp
	for path, item := range api.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{
			http.MethodGet: item.Get, http.MethodPut: item.Put, http.MethodPost: item.Post,
			http.MethodDelete: item.Delete, http.MethodOptions: item.Options, http.MethodHead: item.Head,
			http.MethodPatch: item.Patch, http.MethodTrace: item.Trace,
		} {
			if op != nil {
				ops = append(ops, apiOp{method: method, path: path, op: op})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].path != ops[j].path {
			return ops[i].path < ops[j].path
		}
		return ops[i].method < ops[j].method
	})
	if len(ops) < 10 {
		t.Fatalf("the OpenAPI document lists only %d operations", len(ops))
	}
	return ops
}

// permOf returns an operation's declared permission.
func permOf(o apiOp) (perm, bool) {
	p, ok := o.op.Metadata[permKey].(perm)
	return p, ok
}

// operationsIn lists the operations of one scope.
func operationsIn(t *testing.T, api huma.API, s scope) []apiOp {
	t.Helper()
	var out []apiOp
	for _, o := range operations(t, api) {
		if p, ok := permOf(o); ok && p.scope == s {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no operation in scope %d", s)
	}
	return out
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// fillPath puts real values in a path template: the tenant given, id given
// (any nested resource) and province 32. An unknown parameter fails the test,
// so a new one is given a value here on purpose.
func fillPath(t *testing.T, path, tenantSlug string, id uuid.UUID) string {
	t.Helper()
	return pathParam.ReplaceAllStringFunc(path, func(p string) string {
		switch p {
		case "{tenant}":
			return tenantSlug
		case "{id}", "{kendala_id}", "{unit_id}", "{pengurus_id}", "{kesehatan_id}", "{umkm_id}", "{usulan_id}", "{sesi_id}", "{peserta_id}", "{klaim_id}", "{kurasi_id}", "{foto_id}", "{tugas_id}":
			return id.String()
		case "{kode}":
			return "kredit_mesra"
		case "{tahun}":
			return "2025"
		case "{nomor}":
			return "BAST-1"
		case "{province}":
			return "32"
		}
		t.Fatalf("%s: no test value for path parameter %s", path, p)
		return ""
	})
}

// TestEveryOperationDeclaresPermission: each operation says who may call it,
// the scope matches its path (a tenant path checked only for "logged in"
// would skip the tenant check), and each scoped action is one the policy
// knows.
func TestEveryOperationDeclaresPermission(t *testing.T) {
	t.Parallel()
	b := setup(t)
	actions := authz.Actions()
	ids := map[string]bool{}
	for _, o := range operations(t, b.srv.API()) {
		ids[o.op.OperationID] = true
		t.Run(o.op.OperationID, func(t *testing.T) {
			p, ok := permOf(o)
			if !ok {
				t.Fatalf("%s %s declares no permission (Metadata[%q])", o.method, o.path, permKey)
			}
			wantScope := map[string]scope{
				"/v1/tenants/{tenant}":     scopeTenant,
				"/v1/provinces/{province}": scopeProvince,
				"/v1/admin/":               scopePlatform,
				"/v1/public/":              scopePublic,
				"/v1/webhooks/":            scopePublic, // verified by their signature
				"/v1/auth/login":           scopePublic,
				"/v1/auth/":                scopeAuthenticated,
				"/v1/tenants":              scopeAuthenticated,
				"/v1/me":                   scopeAuthenticated,
			}
			var prefix string
			for pre := range wantScope {
				if strings.HasPrefix(o.path, pre) && len(pre) > len(prefix) {
					prefix = pre
				}
			}
			if prefix == "" {
				t.Fatalf("%s: path outside the API's conventions (API.md)", o.path)
			}
			if p.scope != wantScope[prefix] {
				t.Errorf("%s has scope %d, want %d for paths under %s", o.path, p.scope, wantScope[prefix], prefix)
			}
			switch p.scope {
			case scopeTenant, scopeProvince, scopePlatform:
				if p.action != o.op.OperationID {
					t.Errorf("action %q, want the operation id %q", p.action, o.op.OperationID)
				}
				if len(actions[p.action]) == 0 {
					t.Errorf("action %q is in no line of policy.csv: nobody could call it", p.action)
				}
			case scopePublic, scopeAuthenticated:
				if p.action != "" {
					t.Errorf("scope %d with action %q: the action would never be checked", p.scope, p.action)
				}
			default:
				t.Errorf("unknown scope %d", p.scope)
			}
			if p.scope != scopePublic && len(o.op.Security) == 0 {
				t.Errorf("the document does not say this operation needs a login")
			}
		})
	}
	// The reverse: a policy line for an operation that does not exist is a
	// stale grant waiting for a new operation to inherit it.
	notOperations := map[string]bool{
		"view-jobs": true, // River UI, outside Huma
		"read-pii":  true, // unmasked personal data in answers
		// The platform's read-only web pages (internal/web/platform.go).
		"view-platform-kantor":   true,
		"view-platform-pengguna": true,
	}
	for a := range actions {
		if !ids[a] && !notOperations[a] {
			t.Errorf("policy.csv grants %q, which is no operation", a)
		}
	}
}

// TestOperationWithoutPermissionIsRefused: an operation registered straight
// on Huma, without a declared permission, never runs (fail closed).
func TestOperationWithoutPermissionIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var called atomic.Bool
	type out struct{ Body struct{ Secret string } }
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		huma.Register(b.srv.API(), huma.Operation{
			OperationID: "undeclared-" + strings.ToLower(method), Method: method, Path: "/v1/test/undeclared",
		}, func(context.Context, *struct{}) (*out, error) {
			called.Store(true)
			o := &out{}
			o.Body.Secret = "handler ran"
			return o, nil
		})
	}
	platform := b.login(t, b.platformAdmin.Email)
	depok := b.login(t, b.depokAdmin.Email)
	for _, tc := range []struct{ name, method, token string }{
		{"anonymous GET", http.MethodGet, ""},
		{"platform admin GET", http.MethodGet, platform},
		{"tenant admin GET", http.MethodGet, depok},
		{"platform admin POST", http.MethodPost, platform},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(t, tc.method, "/v1/test/undeclared", tc.token, nil)
			if r.status != http.StatusForbidden {
				t.Errorf("status %d, want 403: %s", r.status, r.raw)
			}
			r.problem(t)
			if strings.Contains(string(r.raw), "handler ran") {
				t.Errorf("the handler's answer was sent: %s", r.raw)
			}
		})
	}
	if called.Load() {
		t.Error("the handler of an operation without a permission ran")
	}
}

// TestUnauthenticatedIs401: every operation but the public ones answers 401
// problem+json with WWW-Authenticate to a caller without valid credentials,
// before looking at the input.
func TestUnauthenticatedIs401(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// A token that existed and was revoked must not work either.
	revoked := b.login(t, b.depokAdmin.Email)
	if r := b.do(t, http.MethodPost, "/v1/auth/logout", revoked, nil); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.raw)
	}
	credentials := []struct {
		name    string
		headers []string
	}{
		{"none", nil},
		{"unknown bearer token", []string{"Authorization", "Bearer not-a-real-token"}},
		{"revoked bearer token", []string{"Authorization", "Bearer " + revoked}},
		{"unknown cookie", []string{"Cookie", sessionCookie + "=not-a-real-token"}},
		{"oversized token", []string{"Authorization", "Bearer " + strings.Repeat("x", 300)}},
	}
	n := 0
	for _, o := range operations(t, b.srv.API()) {
		p, ok := permOf(o)
		if ok && p.scope == scopePublic {
			continue
		}
		n++
		path := fillPath(t, o.path, "depok", uuid.New())
		for _, c := range credentials {
			t.Run(o.op.OperationID+"/"+c.name, func(t *testing.T) {
				r := b.do(t, o.method, path, "", nil, c.headers...)
				if r.status != http.StatusUnauthorized {
					t.Fatalf("%s %s: status %d, want 401: %s", o.method, path, r.status, r.raw)
				}
				r.problem(t)
				if h := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
					t.Errorf("WWW-Authenticate %q, want a Bearer challenge", h)
				}
			})
		}
	}
	if n == 0 {
		t.Fatal("no non-public operation found")
	}
}

// TestPathParametersAreDeclared: every {parameter} of a path is an input of
// its operation. Huma skips embedded structs of unexported types, so a path
// parameter inside one is neither documented nor parsed (the handler then
// sees a zero value: update-user could never find its user).
func TestPathParametersAreDeclared(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, o := range operations(t, b.srv.API()) {
		var inPath, declared []string
		for _, m := range pathParam.FindAllString(o.path, -1) {
			inPath = append(inPath, strings.Trim(m, "{}"))
		}
		for _, p := range o.op.Parameters {
			if p.In == "path" {
				declared = append(declared, p.Name)
			}
		}
		sort.Strings(inPath)
		sort.Strings(declared)
		if strings.Join(inPath, ",") != strings.Join(declared, ",") {
			t.Errorf("%s %s (%s): path parameters %q, declared %q", o.method, o.path, o.op.OperationID, inPath, declared)
		}
	}
}
