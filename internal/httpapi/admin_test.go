package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// adminLogin posts the HTML login form to /admin/login, as a browser on this site would
// (same-origin), plus headers given as name, value pairs (an empty value
// removes the header). It returns the answer and the session cookie set.
func (b *testBundle) adminLogin(t *testing.T, email, password string, headers ...string) (response, *http.Cookie) {
	t.Helper()
	form := url.Values{"email": {email}, "password": {password}, "next": {"/admin/jobs/"}}
	req, err := http.NewRequest(http.MethodPost, b.ts.URL+"/admin/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.ts.URL)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	r := b.send(t, req)
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return r, c
		}
	}
	return r, nil
}

// getWithCookie sends a GET with the session cookie.
func (b *testBundle) getWithCookie(t *testing.T, path string, c *http.Cookie) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(c)
	return b.send(t, req)
}

// TestAdminSessionAndRiverUI: River UI is behind a browser session of a
// platform admin; the session cookie is HttpOnly and SameSite=Strict; the
// login form refuses cross-site posts.
func TestAdminSessionAndRiverUI(t *testing.T) {
	t.Parallel()
	b := setup(t, withJobs)

	// No session: sent to log in.
	r := b.do(t, http.MethodGet, "/admin/jobs/", "", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/login") {
		t.Fatalf("jobs without a session: %d → %q, want 303 to /admin/login", r.status, r.header.Get("Location"))
	}
	if r := b.do(t, http.MethodGet, "/admin/login", "", nil); r.status != http.StatusOK || !strings.Contains(string(r.raw), `<form method="post"`) {
		t.Errorf("login page: %d", r.status)
	}
	// A bearer token is not a browser session.
	if r := b.do(t, http.MethodGet, "/admin/jobs/", b.login(t, b.platformAdmin.Email), nil); r.status == http.StatusOK {
		t.Errorf("jobs with a bearer token: 200, want the login redirect")
	}

	// Cross-site posts to the login form are refused, and log nobody in.
	sessions := b.count(t, "", "select count(*) from sessions")
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "", "Origin", "https://jahat.example"},
	} {
		r, c := b.adminLogin(t, b.platformAdmin.Email, testPassword, h...)
		if r.status != http.StatusForbidden || c != nil {
			t.Errorf("cross-site login %q: %d (cookie %v), want 403 without a cookie", h, r.status, c)
		}
	}
	if n := b.count(t, "", "select count(*) from sessions"); n != sessions {
		t.Errorf("sessions %d after refused logins, want %d", n, sessions)
	}

	// A wrong password: the form again, no cookie.
	if r, c := b.adminLogin(t, b.platformAdmin.Email, "bukan-ini-sandinya"); r.status != http.StatusUnauthorized || c != nil {
		t.Errorf("wrong password: %d (cookie %v), want 401 without a cookie", r.status, c)
	}

	// The platform admin logs in.
	r, cookie := b.adminLogin(t, b.platformAdmin.Email, testPassword)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/jobs/" {
		t.Fatalf("login: %d → %q: %s", r.status, r.header.Get("Location"), r.raw)
	}
	if cookie == nil {
		t.Fatalf("no session cookie set: %q", r.header.Values("Set-Cookie"))
	}
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" {
		t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q, want HttpOnly, Strict, /", cookie.HttpOnly, cookie.SameSite, cookie.Path)
	}
	if r := b.getWithCookie(t, "/admin/jobs/", cookie); r.status != http.StatusOK || !strings.Contains(string(r.raw), "<html") {
		t.Errorf("jobs with the session: %d %.200s", r.status, r.raw)
	}
	if r := b.getWithCookie(t, "/admin/jobs/api/queues", cookie); r.status != http.StatusOK {
		t.Errorf("River UI API with the session: %d %.200s", r.status, r.raw)
	}
	// The cookie also authenticates the API.
	if r := b.getWithCookie(t, "/v1/me", cookie); r.status != http.StatusOK || r.body["email"] != b.platformAdmin.Email {
		t.Errorf("me with the cookie: %d %s", r.status, r.raw)
	}
	// But a cross-site write riding on it is refused (CSRF).
	req, _ := http.NewRequest(http.MethodPost, b.ts.URL+"/v1/auth/logout", nil)
	req.AddCookie(cookie)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := b.send(t, req); r.status != http.StatusForbidden {
		t.Errorf("cross-site logout with the cookie: %d, want 403", r.status)
	}
	if r := b.getWithCookie(t, "/v1/me", cookie); r.status != http.StatusOK {
		t.Errorf("the session after a refused cross-site logout: %d, want 200", r.status)
	}

	// A tenant user's session does not open River UI.
	r, stafCookie := b.adminLogin(t, b.depokStaf.Email, testPassword)
	if stafCookie == nil {
		t.Fatalf("staf login: %d, no cookie", r.status)
	}
	for _, path := range []string{"/admin/jobs/", "/admin/jobs/api/queues"} {
		if r := b.getWithCookie(t, path, stafCookie); r.status != http.StatusNotFound {
			t.Errorf("%s as depok staf: %d, want 404: %.200s", path, r.status, r.raw)
		}
	}

	// Logging out ends the session.
	req, _ = http.NewRequest(http.MethodPost, b.ts.URL+"/admin/logout", nil)
	req.AddCookie(cookie)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := b.send(t, req); r.status != http.StatusSeeOther {
		t.Errorf("logout: %d", r.status)
	}
	if r := b.getWithCookie(t, "/admin/jobs/", cookie); r.status != http.StatusSeeOther {
		t.Errorf("jobs after logout: %d, want the login redirect", r.status)
	}
}

// TestAdminLoginRedirectStaysHere: the next parameter cannot send a user to
// another site after logging in.
func TestAdminLoginRedirectStaysHere(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, next := range []string{"https://jahat.example/", "//jahat.example/", `/\jahat.example`, "javascript:alert(1)"} {
		form := url.Values{"email": {b.platformAdmin.Email}, "password": {testPassword}, "next": {next}}
		req, _ := http.NewRequest(http.MethodPost, b.ts.URL+"/admin/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := b.send(t, req)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/jobs/" {
			t.Errorf("next=%q: %d → %q, want /admin/jobs/", next, r.status, r.header.Get("Location"))
		}
	}
}
