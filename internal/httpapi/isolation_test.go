package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// sameAnswer fails unless two answers are indistinguishable: status, body
// byte for byte, and headers other than the request-specific ones.
func sameAnswer(t *testing.T, got, want response) {
	t.Helper()
	if got.status != want.status {
		t.Errorf("status %d, but %d for what does not exist", got.status, want.status)
	}
	if !bytes.Equal(got.raw, want.raw) {
		t.Errorf("body differs from the one for what does not exist:\n got %s\nwant %s", got.raw, want.raw)
	}
	strip := func(h http.Header) http.Header {
		h = h.Clone()
		h.Del("Date")
		h.Del("X-Request-Id")
		return h
	}
	g, w := strip(got.header), strip(want.header)
	for k := range w {
		if !slices.Equal(g[k], w[k]) {
			t.Errorf("header %s: %q, but %q for what does not exist", k, g[k], w[k])
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("header %s: %q, absent for what does not exist", k, g[k])
		}
	}
}

// writeBody is what the isolation tests send to writes: enough to change
// something if the request were let through.
func writeBody(method string) any {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
		return nil
	}
	return map[string]any{"active": false}
}

// TestTenantIsolationPerEndpoint: to users of depok, every tenant operation
// of medan answers exactly as for a tenant that does not exist, so nothing
// about medan (not even that it exists) can be learnt.
func TestTenantIsolationPerEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.probeAsMissing(t, "medan", b.medanStaf.ID, b.depokCallers(t))
	// Nothing was changed in medan by all that.
	medan := b.login(t, b.medanStaf.Email)
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan", medan, nil); r.status != http.StatusOK {
		t.Errorf("medan staf after the probes: %d %s", r.status, r.raw)
	}
}

// depokCallers are a token of each role of depok.
func (b *testBundle) depokCallers(t *testing.T) map[string]string {
	return map[string]string{
		"depok staf":   b.login(t, b.depokStaf.Email),
		"depok admin":  b.login(t, b.depokAdmin.Email),
		"depok viewer": b.login(t, b.depokViewer.Email),
	}
}

// probeAsMissing sends every tenant operation of slug as each caller and
// requires the answer of a tenant that does not exist. id, a real record
// of slug, fills every id of the paths: it must look exactly like nothing.
func (b *testBundle) probeAsMissing(t *testing.T, slug string, id uuid.UUID, callers map[string]string) {
	t.Helper()
	for _, o := range operationsIn(t, b.srv.API(), scopeTenant) {
		for who, token := range callers {
			t.Run(o.op.OperationID+"/"+who, func(t *testing.T) {
				body := writeBody(o.method)
				got := b.do(t, o.method, fillPath(t, o.path, slug, id), token, body, "If-Match", `"1"`)
				nope := b.do(t, o.method, fillPath(t, o.path, "nope", id), token, body, "If-Match", `"1"`)
				if nope.status != http.StatusNotFound {
					t.Fatalf("unknown tenant: status %d, want 404: %s", nope.status, nope.raw)
				}
				nope.problem(t)
				sameAnswer(t, got, nope)
			})
		}
	}
}

// TestTenantIsolationInEveryState: medan lives through every state that
// reads (each reached by recording its facts, as the platform and the
// Stripe sync do), and in each the sweep of TestTenantIsolationPerEndpoint
// holds: no read-only refusal (402 tenant_read_only), no "admins only"
// answer of an office being set up or closed, tells depok's users that
// medan exists. Nothing in medan changes.
func TestTenantIsolationInEveryState(t *testing.T) {
	t.Parallel()
	b := setup(t)
	callers := b.depokCallers(t)
	medan := b.tenants["medan"]
	svc := &langganan.Service{DB: b.env.DB, Now: time.Now, Changed: b.srv.Tenants.Forget}
	// sql is a fact recorded as its own SQL would ($1 the office, $2 now).
	sql := func(query string) langganan.Fact {
		return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
			_, err := tx.Exec(ctx, query, tenantID, now)
			return err
		}
	}
	mirror := func(f langganan.Fetched) langganan.Fact {
		return func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
			_, _, err := langganan.Mirror(ctx, tx, tenantID, f, now)
			return err
		}
	}
	overdue := langganan.StripeInvoice{ID: "in_medan01", Number: "SNTR-0001", Status: langganan.InvoiceOpen, AmountDueIDR: 39_960_000,
		DueAt: time.Now().AddDate(0, 0, -10)}
	seen := map[langganan.State]bool{}
	for _, step := range []struct {
		want  langganan.State
		facts []langganan.Fact
	}{
		// Billed, nothing else yet: an office just opened (tenant.Open).
		{langganan.Provisioning, []langganan.Fact{sql("insert into tenant_billing (tenant_id, created_at) values ($1, $2)")}},
		{langganan.Trialing, []langganan.Fact{langganan.StartTrial(time.Now().AddDate(0, 0, 30))}},
		// A contract, then Stripe's invoice 10 days past due.
		{langganan.Grace, []langganan.Fact{sql(`update tenant_billing set plan_code = 'dasar', contract_at = $2,
			contract_number = '001/SPK/MEDAN/2026', days_until_due = 30 where tenant_id = $1`), mirror(langganan.Fetched{Invoices: []langganan.StripeInvoice{overdue}})}},
		{langganan.ReadOnly, []langganan.Fact{langganan.Suspend("uji isolasi")}},
		{langganan.Canceled, []langganan.Fact{mirror(langganan.Fetched{Subscription: &langganan.StripeSubscription{ID: "sub_medan01", Status: "canceled"}})}},
		{langganan.Offboarding, []langganan.Fact{sql("update tenant_billing set offboarding_at = $2 where tenant_id = $1")}},
	} {
		var st langganan.Status
		for _, f := range step.facts {
			var err error
			if st, err = svc.Record(context.Background(), medan, "medan", f); err != nil {
				t.Fatalf("%s: record a fact: %v", step.want, err)
			}
		}
		if st.State != step.want {
			t.Fatalf("medan is %s (%s), want %s", st.State, st.Reason, step.want)
		}
		seen[st.State] = true
		audits := b.count(t, "medan", "select count(*) from audit_log")
		t.Run(string(st.State), func(t *testing.T) { b.probeAsMissing(t, "medan", b.medanStaf.ID, callers) })
		if n := b.count(t, "medan", "select count(*) from audit_log"); n != audits {
			t.Errorf("%s: the probes wrote %d audit rows in medan", st.State, n-audits)
		}
	}
	for _, s := range langganan.States {
		if langganan.AccessOf(s).Read && !seen[s] && s != langganan.Active { // active: TestTenantIsolationPerEndpoint
			t.Errorf("state %s reads but is not probed", s)
		}
	}
}

// TestProvinceViewerSeesNoTenantEndpoint: a province viewer of 32 reads
// aggregates only; every tenant operation of depok (an office of province
// 32) answers exactly as for a tenant that does not exist.
func TestProvinceViewerSeesNoTenantEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	token := b.login(t, b.provinceViewer.Email)
	id := b.depokStaf.ID
	for _, o := range operationsIn(t, b.srv.API(), scopeTenant) {
		t.Run(o.op.OperationID, func(t *testing.T) {
			body := writeBody(o.method)
			depok := b.do(t, o.method, fillPath(t, o.path, "depok", id), token, body, "If-Match", `"1"`)
			nope := b.do(t, o.method, fillPath(t, o.path, "nope", id), token, body, "If-Match", `"1"`)
			if nope.status != http.StatusNotFound {
				t.Fatalf("unknown tenant: status %d, want 404: %s", nope.status, nope.raw)
			}
			sameAnswer(t, depok, nope)
		})
	}
}

// TestUsersOfOtherTenantsAreNotFound: an account that exists, but only in
// medan, is not a user of depok, not even to depok's admin.
func TestUsersOfOtherTenantsAreNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)

	own := b.do(t, http.MethodGet, "/v1/tenants/depok/users/"+b.depokStaf.ID.String(), admin, nil)
	if own.status != http.StatusOK {
		t.Fatalf("own user: %d %s", own.status, own.raw)
	}
	missing := b.do(t, http.MethodGet, "/v1/tenants/depok/users/"+uuid.NewString(), admin, nil)
	if missing.status != http.StatusNotFound {
		t.Fatalf("unknown user: %d %s", missing.status, missing.raw)
	}
	for _, u := range []testUser{b.medanAdmin, b.medanStaf, b.provinceViewer, b.platformAdmin} {
		r := b.do(t, http.MethodGet, "/v1/tenants/depok/users/"+u.ID.String(), admin, nil)
		sameAnswer(t, r, missing)
		r = b.do(t, http.MethodPatch, "/v1/tenants/depok/users/"+u.ID.String(), admin,
			map[string]any{"active": false}, "If-Match", `"1"`)
		if r.status != http.StatusNotFound {
			t.Errorf("PATCH %s through depok: %d, want 404: %s", u.Email, r.status, r.raw)
		}
	}
	// The medan staf was not disabled through depok.
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan", b.login(t, b.medanStaf.Email), nil); r.status != http.StatusOK {
		t.Errorf("medan staf after depok's PATCH: %d %s", r.status, r.raw)
	}

	var page struct {
		Items []struct {
			ID    uuid.UUID `json:"id"`
			Email string    `json:"email"`
		} `json:"items"`
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/users", admin, nil).decode(t, &page)
	var emails []string
	for _, it := range page.Items {
		emails = append(emails, it.Email)
	}
	slices.Sort(emails)
	want := []string{b.depokAdmin.Email, b.depokStaf.Email, b.depokViewer.Email}
	if !slices.Equal(emails, want) {
		t.Errorf("depok's users: %q, want %q", emails, want)
	}
}

// TestListTenantsShowsOnlyOwnScope: each caller sees the tenants they work
// with, nothing more.
func TestListTenantsShowsOnlyOwnScope(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		name string
		user testUser
		want []string
	}{
		{"depok staf", b.depokStaf, []string{"depok"}},
		{"depok viewer", b.depokViewer, []string{"depok"}},
		{"medan admin", b.medanAdmin, []string{"medan"}},
		{"province 32 viewer", b.provinceViewer, []string{"depok", "karawang"}},
		{"platform admin", b.platformAdmin, []string{"depok", "karawang", "medan", "tangsel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := b.login(t, tc.user.Email)
			// limit=1 also walks the pages: a page must not leak more.
			var got []string
			cursor := ""
			for range 10 {
				path := "/v1/tenants?limit=1"
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				r := b.do(t, http.MethodGet, path, token, nil)
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d %s", path, r.status, r.raw)
				}
				var page struct {
					Items []struct {
						Slug string `json:"slug"`
					} `json:"items"`
					NextCursor string `json:"next_cursor"`
				}
				r.decode(t, &page)
				for _, it := range page.Items {
					got = append(got, it.Slug)
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("tenants %q, want %q", got, tc.want)
			}
		})
	}
}

// TestProvinceViewerCannotReachTenantEndpoints: a province viewer reads
// aggregates only; the tenant operations of their own province's tenants
// answer as for a tenant that does not exist.
func TestProvinceViewerCannotReachTenantEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t)
	token := b.login(t, b.provinceViewer.Email)
	for _, o := range operationsIn(t, b.srv.API(), scopeTenant) {
		for _, slug := range []string{"depok", "karawang"} {
			t.Run(o.op.OperationID+"/"+slug, func(t *testing.T) {
				body := writeBody(o.method)
				got := b.do(t, o.method, fillPath(t, o.path, slug, b.depokStaf.ID), token, body, "If-Match", `"1"`)
				nope := b.do(t, o.method, fillPath(t, o.path, "nope", b.depokStaf.ID), token, body, "If-Match", `"1"`)
				if got.status != http.StatusNotFound {
					t.Fatalf("status %d, want 404: %s", got.status, got.raw)
				}
				sameAnswer(t, got, nope)
			})
		}
	}
}

// TestRolesLimitWhatUsersMayDo: a viewer cannot write; a staf cannot manage
// users. Both are known in depok, so they get 403 (not 404), and nothing is
// written.
func TestRolesLimitWhatUsersMayDo(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	etagOf := func(u testUser) string {
		r := b.do(t, http.MethodGet, "/v1/tenants/depok/users/"+u.ID.String(), admin, nil)
		if r.status != http.StatusOK {
			t.Fatalf("get %s: %d %s", u.Email, r.status, r.raw)
		}
		return r.header.Get("ETag")
	}
	newUser := map[string]any{"email": "baru@depok.test", "name": "Baru", "role": "admin", "password": "kata-sandi-baru-123"}
	users := b.count(t, "", "select count(*) from users")
	audits := b.count(t, "depok", "select count(*) from audit_log")

	for _, tc := range []struct {
		who    string
		user   testUser
		method string
		path   string
		body   any
		target *testUser // for If-Match
	}{
		// Each tries to make themselves or a new account admin.
		{"viewer", b.depokViewer, http.MethodPost, "/v1/tenants/depok/users", newUser, nil},
		{"viewer", b.depokViewer, http.MethodPatch, "/v1/tenants/depok/users/" + b.depokViewer.ID.String(), map[string]any{"role": "admin"}, &b.depokViewer},
		{"viewer", b.depokViewer, http.MethodGet, "/v1/tenants/depok/users", nil, nil},
		{"viewer", b.depokViewer, http.MethodGet, "/v1/tenants/depok/audit", nil, nil},
		{"staf", b.depokStaf, http.MethodPost, "/v1/tenants/depok/users", newUser, nil},
		{"staf", b.depokStaf, http.MethodPatch, "/v1/tenants/depok/users/" + b.depokStaf.ID.String(), map[string]any{"role": "admin"}, &b.depokStaf},
		{"staf", b.depokStaf, http.MethodPatch, "/v1/tenants/depok/users/" + b.depokAdmin.ID.String(), map[string]any{"active": false}, &b.depokAdmin},
		{"staf", b.depokStaf, http.MethodGet, "/v1/tenants/depok/users", nil, nil},
		{"staf", b.depokStaf, http.MethodGet, "/v1/tenants/depok/users/" + b.depokViewer.ID.String(), nil, nil},
		{"staf", b.depokStaf, http.MethodGet, "/v1/tenants/depok/audit", nil, nil},
	} {
		t.Run(tc.who+" "+tc.method+" "+tc.path, func(t *testing.T) {
			var headers []string
			if tc.target != nil {
				headers = []string{"If-Match", etagOf(*tc.target)}
			}
			r := b.do(t, tc.method, tc.path, b.login(t, tc.user.Email), tc.body, headers...)
			if r.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403: %s", r.status, r.raw)
			}
			r.problem(t)
		})
	}
	if n := b.count(t, "", "select count(*) from users"); n != users {
		t.Errorf("users: %d, want %d", n, users)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
		t.Errorf("audit rows: %d, want %d", n, audits)
	}
	if n := b.count(t, "", "select count(*) from role_assignments where domain = 'depok' and role = 'admin' and disabled_at is null"); n != 1 {
		t.Errorf("depok has %d active admins, want 1", n)
	}
}

// TestPolicyIsEnforcedPerOperation: for each tenant operation, each tenant
// role gets 403 exactly when policy.csv does not grant it the operation.
func TestPolicyIsEnforcedPerOperation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	actions := authz.Actions()
	for _, c := range []struct {
		role tenancy.Role
		user testUser
	}{
		{tenancy.RoleViewer, b.depokViewer},
		{tenancy.RoleStaf, b.depokStaf},
		{tenancy.RoleAdmin, b.depokAdmin},
	} {
		token := b.login(t, c.user.Email)
		for _, o := range operationsIn(t, b.srv.API(), scopeTenant) {
			t.Run(string(c.role)+"/"+o.op.OperationID, func(t *testing.T) {
				p, _ := permOf(o)
				granted := slices.Contains(actions[p.action], c.role)
				// A random id: a granted operation may well answer 404 or 422.
				r := b.do(t, o.method, fillPath(t, o.path, "depok", uuid.New()), token, writeBody(o.method), "If-Match", `"1"`)
				switch {
				case !granted && r.status != http.StatusForbidden:
					t.Errorf("not granted by policy.csv, but answered %d: %.300s", r.status, r.raw)
				case granted && (r.status == http.StatusForbidden || r.status == http.StatusUnauthorized):
					t.Errorf("granted by policy.csv, but answered %d: %.300s", r.status, r.raw)
				}
			})
		}
	}
}

// TestRevokedRoleStopsAtOnce: disabling a user's access, or changing their
// role, takes effect on their very next request (no cache to wait for).
func TestRevokedRoleStopsAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	patch := func(u testUser, body map[string]any) {
		t.Helper()
		path := "/v1/tenants/depok/users/" + u.ID.String()
		r := b.do(t, http.MethodGet, path, admin, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.raw)
		}
		r = b.do(t, http.MethodPatch, path, admin, body, "If-Match", r.header.Get("ETag"))
		if r.status != http.StatusOK {
			t.Fatalf("PATCH %s %v: %d %s", path, body, r.status, r.raw)
		}
	}
	expect := func(token, path string, want int) {
		t.Helper()
		if r := b.do(t, http.MethodGet, path, token, nil); r.status != want {
			t.Fatalf("GET %s: %d, want %d: %s", path, r.status, want, r.raw)
		}
	}

	staf := b.login(t, b.depokStaf.Email)
	expect(staf, "/v1/tenants/depok", http.StatusOK)
	patch(b.depokStaf, map[string]any{"active": false})
	expect(staf, "/v1/tenants/depok", http.StatusNotFound)
	expect(staf, "/v1/tenants/depok/wilayah", http.StatusNotFound)
	patch(b.depokStaf, map[string]any{"active": true})
	expect(staf, "/v1/tenants/depok", http.StatusOK)

	viewer := b.login(t, b.depokViewer.Email)
	expect(viewer, "/v1/tenants/depok/users", http.StatusForbidden)
	patch(b.depokViewer, map[string]any{"role": "admin"})
	expect(viewer, "/v1/tenants/depok/users", http.StatusOK)
	patch(b.depokViewer, map[string]any{"role": "viewer"})
	expect(viewer, "/v1/tenants/depok/users", http.StatusForbidden)
	expect(viewer, "/v1/tenants/depok", http.StatusOK)
}
