package httpapi

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/account"
)

// code is what the user's authenticator shows at now+offset.
func code(t *testing.T, secret string, offset time.Duration) string {
	t.Helper()
	c, err := account.TOTPCode(secret, time.Now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a code of no step near now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	near := map[string]bool{}
	for s := -3; s <= 3; s++ {
		near[code(t, secret, time.Duration(s)*30*time.Second)] = true
	}
	for _, c := range []string{"000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777"} {
		if !near[c] {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

// enrolTOTP starts and confirms TOTP for the holder of token; it returns the
// secret and the code used to confirm (its step is spent).
func (b *testBundle) enrolTOTP(t *testing.T, token string) (secret, used string) {
	t.Helper()
	r := b.do(t, http.MethodPost, "/v1/me/totp", token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("start totp: %d %s", r.status, r.raw)
	}
	secret, _ = r.body["secret"].(string)
	used = code(t, secret, 0)
	if r := b.do(t, http.MethodPost, "/v1/me/totp/konfirmasi", token, map[string]string{"kode": used}); r.status != http.StatusOK || r.body["aktif"] != true {
		t.Fatalf("confirm totp: %d %s", r.status, r.raw)
	}
	return secret, used
}

// challenge logs in with the password and expects the TOTP step.
func (b *testBundle) challenge(t *testing.T, email string) string {
	t.Helper()
	r := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": email, "password": testPassword})
	if r.status != http.StatusOK || r.body["langkah"] != "totp" {
		t.Fatalf("login %s: %d %s, want langkah totp", email, r.status, r.raw)
	}
	if _, ok := r.body["token"]; ok {
		t.Fatalf("a token before the second step: %s", r.raw)
	}
	ch, _ := r.body["tantangan"].(string)
	if ch == "" {
		t.Fatalf("no tantangan: %s", r.raw)
	}
	return ch
}

func (b *testBundle) answer(t *testing.T, challenge, kode string) response {
	t.Helper()
	return b.do(t, http.MethodPost, "/v1/auth/login/totp", "", map[string]string{"tantangan": challenge, "kode": kode})
}

// TestTOTPEnrolAndTwoStepLogin: only admins enrol; the secret is shown once
// and stored sealed; it counts only once confirmed; then a password alone
// opens no session, a code does, and no code works twice.
func TestTOTPEnrolAndTwoStepLogin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	if r := b.do(t, http.MethodPost, "/v1/me/totp", staf, nil); r.status != http.StatusForbidden {
		t.Fatalf("staf enrols: %d %s, want 403", r.status, r.raw)
	} else if p := r.problem(t); !strings.Contains(p.Detail, "admin") {
		t.Errorf("detail %q", p.Detail)
	}

	admin := b.login(t, b.depokAdmin.Email)
	r := b.do(t, http.MethodPost, "/v1/me/totp", admin, nil)
	if r.status != http.StatusOK {
		t.Fatalf("start: %d %s", r.status, r.raw)
	}
	secret, _ := r.body["secret"].(string)
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(secret) {
		t.Fatalf("secret %q: want 160 bits of base32", secret)
	}
	u, err := url.Parse(r.body["otpauth_uri"].(string))
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Sentra:"+b.depokAdmin.Email ||
		u.Query().Get("secret") != secret || u.Query().Get("issuer") != "Sentra" || u.Query().Get("digits") != "6" || u.Query().Get("period") != "30" {
		t.Errorf("otpauth URI %q", r.body["otpauth_uri"])
	}
	if n := b.count(t, "", "select count(*) from totp where position(convert_to($1, 'UTF8') in secret_sealed) > 0", secret); n != 0 {
		t.Error("the secret is stored in the clear")
	}

	// Not confirmed yet: the password alone still logs in.
	if r := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": b.depokAdmin.Email, "password": testPassword}); r.body["langkah"] != "selesai" || r.body["token"] == nil {
		t.Fatalf("login before confirmation: %s", r.raw)
	}
	r = b.do(t, http.MethodPost, "/v1/me/totp/konfirmasi", admin, map[string]string{"kode": wrongCode(t, secret)})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("confirm with a wrong code: %d %s", r.status, r.raw)
	}
	if _, ok := r.problem(t).field("body.kode"); !ok {
		t.Errorf("no body.kode error: %s", r.raw)
	}
	used := code(t, secret, 0)
	if r := b.do(t, http.MethodPost, "/v1/me/totp/konfirmasi", admin, map[string]string{"kode": used}); r.status != http.StatusOK {
		t.Fatalf("confirm: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, "/v1/me/totp", admin, nil); r.status != http.StatusConflict || r.body["secret"] != nil {
		t.Fatalf("start again while active: %d %s, want 409 without the secret", r.status, r.raw)
	}

	// The two steps.
	ch := b.challenge(t, b.depokAdmin.Email)
	if r := b.answer(t, ch, used); r.status != http.StatusUnauthorized {
		t.Fatalf("the confirmation's code again: %d %s, want 401 (replay)", r.status, r.raw)
	}
	next := code(t, secret, 30*time.Second)
	r = b.answer(t, ch, next)
	if r.status != http.StatusOK || r.body["langkah"] != "selesai" {
		t.Fatalf("second step: %d %s", r.status, r.raw)
	}
	token, _ := r.body["token"].(string)
	if me := b.do(t, http.MethodGet, "/v1/me", token, nil); me.status != http.StatusOK || me.body["email"] != b.depokAdmin.Email {
		t.Fatalf("me with the new token: %d %s", me.status, me.raw)
	}
	if r := b.answer(t, ch, code(t, secret, -30*time.Second)); r.status != http.StatusUnauthorized {
		t.Errorf("an answered challenge again: %d %s, want 401", r.status, r.raw)
	}
	if r := b.answer(t, b.challenge(t, b.depokAdmin.Email), next); r.status != http.StatusUnauthorized {
		t.Errorf("a used code on a new challenge: %d %s, want 401 (replay)", r.status, r.raw)
	}
	if r := b.answer(t, "bukan-tantangan", next); r.status != http.StatusUnauthorized {
		t.Errorf("a made-up challenge: %d %s, want 401", r.status, r.raw)
	}
	if strings.Contains(b.logs.String(), secret) {
		t.Error("the secret is in the log")
	}
}

// TestTOTPWrongCodesEndTheChallenge: five wrong codes end a challenge, even
// the right code no longer opens it, and the account is throttled like after
// five wrong passwords.
func TestTOTPWrongCodesEndTheChallenge(t *testing.T) {
	t.Parallel()
	b := setup(t)
	secret, _ := b.enrolTOTP(t, b.login(t, b.platformAdmin.Email))
	ch, wrong := b.challenge(t, b.platformAdmin.Email), wrongCode(t, secret)
	for i := range account.MaxCodeAttempts {
		r := b.answer(t, ch, wrong)
		if r.status != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d %s, want 401", i+1, r.status, r.raw)
		}
		if last := i == account.MaxCodeAttempts-1; last != strings.Contains(r.problem(t).Detail, "5 kali") {
			t.Errorf("wrong code %d: detail %q", i+1, r.problem(t).Detail)
		}
	}
	if r := b.answer(t, ch, code(t, secret, 30*time.Second)); r.status != http.StatusUnauthorized && r.status != http.StatusTooManyRequests {
		t.Fatalf("right code after five wrong ones: %d %s", r.status, r.raw)
	}
	if b.count(t, "", "select count(*) from sessions") != 1 { // the enrolling login only
		t.Error("a session was opened")
	}
	r := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": b.platformAdmin.Email, "password": testPassword})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("password after five wrong codes: %d %s, want 429", r.status, r.raw)
	}
}

// TestTOTPRequiredByTenant: when an office requires TOTP of its admins, an
// admin without it logs in but can only enrol; once enrolled the same session
// works; other roles are not concerned; the setting is audited and admin-only.
func TestTOTPRequiredByTenant(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin, staf := b.login(t, b.depokAdmin.Email), b.login(t, b.depokStaf.Email)
	const keamanan = "/v1/tenants/depok/keamanan"
	if r := b.do(t, http.MethodGet, keamanan, admin, nil); r.status != http.StatusOK || r.body["wajib_totp_admin"] != false {
		t.Fatalf("get: %d %s", r.status, r.raw)
	}
	on := map[string]bool{"wajib_totp_admin": true}
	if r := b.do(t, http.MethodPut, keamanan, staf, on); r.status != http.StatusForbidden {
		t.Fatalf("staf sets it: %d %s, want 403", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPut, "/v1/tenants/medan/keamanan", admin, on); r.status != http.StatusNotFound {
		t.Fatalf("another office's setting: %d %s, want 404", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPut, keamanan, admin, on); r.status != http.StatusOK || r.body["wajib_totp_admin"] != true {
		t.Fatalf("set: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'keamanan'"); n != 1 {
		t.Errorf("%d audit rows for the setting, want 1", n)
	}

	// The admin's own session, and a new login, may now only enrol.
	r := b.do(t, http.MethodGet, "/v1/tenants/depok", admin, nil)
	if r.status != http.StatusForbidden || !strings.Contains(r.problem(t).Detail, "TOTP") {
		t.Fatalf("admin without TOTP reads the tenant: %d %s, want 403 naming TOTP", r.status, r.raw)
	}
	login := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": b.depokAdmin.Email, "password": testPassword})
	if login.body["langkah"] != "daftar_totp" || login.body["token"] == nil {
		t.Fatalf("login: %s, want langkah daftar_totp with a token", login.raw)
	}
	if me := b.do(t, http.MethodGet, "/v1/me", admin, nil); me.status != http.StatusOK || me.body["wajib_daftar_totp"] != true {
		t.Fatalf("me: %d %s", me.status, me.raw)
	}
	if r := b.do(t, http.MethodPut, keamanan, admin, map[string]bool{"wajib_totp_admin": false}); r.status != http.StatusForbidden {
		t.Fatalf("switching it off before enrolling: %d %s, want 403", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok", staf, nil); r.status != http.StatusOK {
		t.Fatalf("staf is not concerned: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan", b.login(t, b.medanAdmin.Email), nil); r.status != http.StatusOK {
		t.Fatalf("another office's admin is not concerned: %d %s", r.status, r.raw)
	}

	secret, _ := b.enrolTOTP(t, admin)
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok", admin, nil); r.status != http.StatusOK {
		t.Fatalf("after enrolling, the same session: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, "/v1/me/totp/nonaktif", admin, map[string]string{"password": testPassword, "kode": code(t, secret, 30*time.Second)})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("disabling a required TOTP: %d %s, want 422", r.status, r.raw)
	}
	b.challenge(t, b.depokAdmin.Email) // and logins ask for the code
}

// TestTOTPDisable: password and a current code are both needed; then the
// password alone logs in again.
func TestTOTPDisable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	token := b.login(t, b.medanAdmin.Email)
	secret, used := b.enrolTOTP(t, token)
	for _, c := range []struct{ name, password, kode, location string }{
		{"wrong password", "bukan-kata-sandinya", code(t, secret, 30*time.Second), "body.password"},
		{"wrong code", testPassword, wrongCode(t, secret), "body.kode"},
		{"used code", testPassword, used, "body.kode"},
	} {
		r := b.do(t, http.MethodPost, "/v1/me/totp/nonaktif", token, map[string]string{"password": c.password, "kode": c.kode})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d %s, want 422", c.name, r.status, r.raw)
		}
		if _, ok := r.problem(t).field(c.location); !ok {
			t.Errorf("%s: no error at %s: %s", c.name, c.location, r.raw)
		}
	}
	r := b.do(t, http.MethodPost, "/v1/me/totp/nonaktif", token, map[string]string{"password": testPassword, "kode": code(t, secret, 30*time.Second)})
	if r.status != http.StatusOK || r.body["aktif"] != false {
		t.Fatalf("disable: %d %s", r.status, r.raw)
	}
	b.login(t, b.medanAdmin.Email)
}

// TestAdminLoginAsksForTheCode: the browser login of River UI takes the
// second step too, and a wrong code asks again.
func TestAdminLoginAsksForTheCode(t *testing.T) {
	t.Parallel()
	b := setup(t, withJobs)
	secret, _ := b.enrolTOTP(t, b.login(t, b.platformAdmin.Email))
	r, cookie := b.adminLogin(t, b.platformAdmin.Email, testPassword)
	m := regexp.MustCompile(`name="tantangan" value="([^"]+)"`).FindSubmatch(r.raw)
	if r.status != http.StatusOK || cookie != nil || m == nil {
		t.Fatalf("password step: %d, cookie %v: %s", r.status, cookie, r.raw)
	}
	post := func(kode string) (response, *http.Cookie) {
		form := url.Values{"tantangan": {string(m[1])}, "kode": {kode}, "next": {"/admin/jobs/"}}
		req, err := http.NewRequest(http.MethodPost, b.ts.URL+"/admin/login/totp", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		r := b.send(t, req)
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == sessionCookie && c.Value != "" {
				return r, c
			}
		}
		return r, nil
	}
	if r, c := post(wrongCode(t, secret)); r.status != http.StatusUnauthorized || c != nil || !strings.Contains(string(r.raw), `name="kode"`) {
		t.Fatalf("wrong code: %d, cookie %v: %s", r.status, c, r.raw)
	}
	r, cookie = post(code(t, secret, 30*time.Second))
	if r.status != http.StatusSeeOther || cookie == nil {
		t.Fatalf("code step: %d, cookie %v: %s", r.status, cookie, r.raw)
	}
	if r := b.getWithCookie(t, "/admin/jobs/", cookie); r.status != http.StatusOK {
		t.Errorf("River UI with the session: %d", r.status)
	}
}
