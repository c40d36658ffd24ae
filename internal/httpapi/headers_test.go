package httpapi

import (
	"net/http"
	"testing"
)

// TestSecurityHeaders: every kind of answer carries the browser protections;
// HSTS only when the server says it is behind HTTPS.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
		"Content-Security-Policy": "frame-ancestors 'none'",
	}
	for _, secure := range []bool{false, true} {
		opts := []func(*setupConfig){withJobs}
		if secure {
			opts = append(opts, withSecureCookies)
		}
		b := setup(t, opts...)
		token := b.login(t, b.depokStaf.Email)
		for _, c := range []struct {
			name, path, token string
			status            int
		}{
			{"API answer", "/v1/me", token, http.StatusOK},
			{"problem", "/v1/me", "", http.StatusUnauthorized},
			{"unknown path", "/tidak-ada", "", http.StatusNotFound},
			{"404 of an operation", "/v1/tenants/gotham", token, http.StatusNotFound},
			{"redirect", "/docs", "", http.StatusMovedPermanently},
			{"River UI", "/admin/jobs/", "", http.StatusSeeOther},
			{"health", "/healthz", "", http.StatusOK},
		} {
			r := b.do(t, http.MethodGet, c.path, c.token, nil)
			if r.status != c.status {
				t.Fatalf("secure %v, %s: %d, want %d: %s", secure, c.name, r.status, c.status, r.raw)
			}
			for k, v := range want {
				if got := r.header.Get(k); got != v {
					t.Errorf("secure %v, %s: %s %q, want %q", secure, c.name, k, got, v)
				}
			}
			hsts := r.header.Get("Strict-Transport-Security")
			switch {
			case secure && hsts != "max-age=31536000; includeSubDomains":
				t.Errorf("%s behind HTTPS: Strict-Transport-Security %q", c.name, hsts)
			case !secure && hsts != "":
				t.Errorf("%s over HTTP: Strict-Transport-Security %q, want none", c.name, hsts)
			}
		}
	}
}
