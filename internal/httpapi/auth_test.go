package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"
)

// TestLoginDoesNotTellAccountsApart: an unknown e-mail and a wrong password
// get the same answer.
func TestLoginDoesNotTellAccountsApart(t *testing.T) {
	t.Parallel()
	b := setup(t)
	unknown := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": "siapa@depok.test", "password": testPassword})
	wrong := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": b.depokStaf.Email, "password": "bukan-kata-sandinya"})
	if unknown.status != http.StatusUnauthorized || wrong.status != http.StatusUnauthorized {
		t.Fatalf("statuses %d and %d, want 401: %s / %s", unknown.status, wrong.status, unknown.raw, wrong.raw)
	}
	unknown.problem(t)
	if !bytes.Equal(unknown.raw, wrong.raw) {
		t.Errorf("answers differ:\nunknown e-mail %s\nwrong password %s", unknown.raw, wrong.raw)
	}
	if u, w := unknown.header.Get("WWW-Authenticate"), wrong.header.Get("WWW-Authenticate"); u != w {
		t.Errorf("WWW-Authenticate differs: %q / %q", u, w)
	}
}

// TestLoginIsThrottled: after five failures for one account, even the right
// password waits (429 with Retry-After); other accounts are not locked out.
func TestLoginIsThrottled(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := range 5 {
		r := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": b.depokStaf.Email, "password": "tebakan-ke-" + strconv.Itoa(i)})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401: %s", i+1, r.status, r.raw)
		}
	}
	for _, email := range []string{b.depokStaf.Email, "  STAF@Depok.test "} { // the same account, written otherwise
		r := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": email, "password": testPassword})
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("login %q after 5 failures with the right password: %d, want 429: %s", email, r.status, r.raw)
		}
		r.problem(t)
		secs, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 15*60 {
			t.Errorf("Retry-After %q, want 1–900 seconds", r.header.Get("Retry-After"))
		}
		if _, ok := r.body["token"]; ok {
			t.Errorf("a token was issued: %s", r.raw)
		}
	}
	b.login(t, b.depokAdmin.Email) // another account still logs in
}

// TestLogoutRevokesTheToken: after logout the token no longer works; the
// user's other sessions do.
func TestLogoutRevokesTheToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	token, other := b.login(t, b.depokStaf.Email), b.login(t, b.depokStaf.Email)
	r := b.do(t, http.MethodGet, "/v1/me", token, nil)
	if r.status != http.StatusOK || r.body["email"] != b.depokStaf.Email {
		t.Fatalf("me: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, "/v1/auth/logout", token, nil); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodGet, "/v1/me", token, nil)
	if r.status != http.StatusUnauthorized {
		t.Fatalf("me after logout: %d, want 401: %s", r.status, r.raw)
	}
	r.problem(t)
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok", token, nil); r.status != http.StatusUnauthorized {
		t.Errorf("tenant after logout: %d, want 401", r.status)
	}
	if r := b.do(t, http.MethodGet, "/v1/me", other, nil); r.status != http.StatusOK {
		t.Errorf("the user's other session: %d, want 200", r.status)
	}
}
