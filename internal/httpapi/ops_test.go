package httpapi

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestHealthAndReadiness: the probes answer on a migrated database; a
// schema behind the binary's migrations is not ready (a new binary never
// serves an old schema).
func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		r := b.do(t, http.MethodGet, path, "", nil)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d %s", path, r.status, r.raw)
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || r.body["status"] == nil {
			t.Errorf("%s: %s %s", path, r.header.Get("Content-Type"), r.raw)
		}
	}

	// Roll the recorded schema version back, as the owner would see an old
	// database.
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, b.env.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, "update public.schema_version set version = version - 1"); err != nil {
		t.Fatal(err)
	}
	r := b.do(t, http.MethodGet, "/readyz", "", nil)
	if r.status != http.StatusServiceUnavailable {
		t.Errorf("readyz on an old schema: %d, want 503: %s", r.status, r.raw)
	}
	r.problem(t)
	if strings.Contains(string(r.raw), "migrat") || strings.Contains(string(r.raw), "schema") {
		t.Errorf("readyz tells the internals: %s", r.raw)
	}
	if r := b.do(t, http.MethodGet, "/healthz", "", nil); r.status != http.StatusOK {
		t.Errorf("healthz on an old schema: %d, want 200", r.status)
	}
}

var generatedRequestID = regexp.MustCompile(`^[0-9a-f]{24}$`)

// TestRequestIDs: every answer, whatever produced it, carries X-Request-Id;
// a sane id from the caller (a proxy) is kept, anything else replaced.
func TestRequestIDs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	token := b.login(t, b.depokStaf.Email)
	for _, tc := range []struct{ method, path, token string }{
		{http.MethodGet, "/healthz", ""},
		{http.MethodGet, "/readyz", ""},
		{http.MethodGet, "/openapi.json", ""},
		{http.MethodGet, "/docs/", ""},
		{http.MethodGet, "/admin/login", ""},
		{http.MethodGet, "/v1/me", ""},                     // 401
		{http.MethodGet, "/v1/me", token},                  // 200
		{http.MethodGet, "/v1/tenants/medan", token},       // 404 from the middleware
		{http.MethodGet, "/v1/tenants/depok/users", token}, // 403
		{http.MethodGet, "/tidak-ada", ""},                 // the mux's 404
		{http.MethodDelete, "/v1/me", token},               // 405
		{http.MethodPost, "/v1/auth/login", ""},            // 400: no body
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := b.do(t, tc.method, tc.path, tc.token, nil)
			if id := r.header.Get("X-Request-Id"); !generatedRequestID.MatchString(id) {
				t.Errorf("status %d: X-Request-Id %q", r.status, id)
			}
		})
	}
	for _, tc := range []struct {
		name, incoming string
		keep           bool
	}{
		{"uuid", "0190f5a2-7c1e-7d3b-9f7e-2b1c3d4e5f60", true},
		{"proxy style", "req_2026.11.22-abcDEF", true},
		{"markup", "<script>alert(1)</script>", false},
		{"log injection", "abc123456 level=ERROR msg=forged", false},
		{"too short", "abc", false},
		{"too long", strings.Repeat("a", 65), false},
		{"quotes", `abc12345"def`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(t, http.MethodGet, "/v1/me", token, nil, "X-Request-Id", tc.incoming)
			got := r.header.Get("X-Request-Id")
			if tc.keep && got != tc.incoming {
				t.Errorf("X-Request-Id %q replaced by %q", tc.incoming, got)
			}
			if !tc.keep && (got == tc.incoming || !generatedRequestID.MatchString(got)) {
				t.Errorf("X-Request-Id %q answered with %q, want a fresh id", tc.incoming, got)
			}
			if !tc.keep && len(tc.incoming) >= 8 && strings.Contains(b.logs.String(), tc.incoming) {
				t.Errorf("the refused id reached the log")
			}
		})
	}
}

// TestOpenAPIDocument: the document is OpenAPI 3.1 and describes the API.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.do(t, http.MethodGet, "/openapi.json", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.status)
	}
	var doc struct {
		OpenAPI    string                    `json:"openapi"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	r.decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	if _, ok := doc.Paths["/v1/tenants/{tenant}/users/{id}"]["patch"]; !ok {
		t.Errorf("update-user missing from the document")
	}
	if doc.Components.SecuritySchemes["bearer"] == nil {
		t.Errorf("no bearer security scheme")
	}
}

// TestDocsAreSelfHosted: the API reference page loads nothing from other
// servers (offices' networks block CDNs; and it would leak the page), and
// what it loads is served.
func TestDocsAreSelfHosted(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.do(t, http.MethodGet, "/docs/", "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("docs: %d %s", r.status, r.header.Get("Content-Type"))
	}
	page := string(r.raw)
	if m := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9-]+(\.[a-z0-9-]+)+`).FindString(page); m != "" {
		t.Errorf("the page points at another server: %s", m)
	}
	assets := regexp.MustCompile(`(?i)<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(assets) < 2 {
		t.Fatalf("found %d scripts/styles in the page, want the Swagger UI bundle and styles", len(assets))
	}
	for _, m := range assets {
		asset := m[1]
		if !strings.HasPrefix(asset, "/") || strings.HasPrefix(asset, "//") {
			t.Errorf("asset %q is not served by this server", asset)
			continue
		}
		a := b.do(t, http.MethodGet, asset, "", nil)
		if a.status != http.StatusOK || len(a.raw) == 0 {
			t.Errorf("asset %s: %d, %d bytes", asset, a.status, len(a.raw))
		}
	}
	if !strings.Contains(page, "/openapi.json") {
		t.Errorf("the page does not load /openapi.json")
	}
	if r := b.do(t, http.MethodGet, "/docs", "", nil); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/docs/" {
		t.Errorf("/docs: %d → %q", r.status, r.header.Get("Location"))
	}
}

// TestUnroutedRequestsAnswerProblems: a path no route takes, or a method the
// path lacks, answers problem+json like every other error.
func TestUnroutedRequestsAnswerProblems(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.do(t, http.MethodGet, "/v1/tidak-ada", "", nil)
	if r.status != http.StatusNotFound || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("unknown path: %d %q %s", r.status, r.header.Get("Content-Type"), r.raw)
	}
	r = b.do(t, http.MethodDelete, "/v1/me", "", nil)
	if r.status != http.StatusMethodNotAllowed || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") ||
		!strings.Contains(r.header.Get("Allow"), http.MethodGet) {
		t.Errorf("wrong method: %d %q allow=%q %s", r.status, r.header.Get("Content-Type"), r.header.Get("Allow"), r.raw)
	}
}
