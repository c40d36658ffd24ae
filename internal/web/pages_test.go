package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

var requestID = regexp.MustCompile(`[0-9a-f]{24}`)

// TestPages walks the pages over HTTP without JavaScript, on one server
// (users are slow to make: argon2id).
func TestPages(t *testing.T) {
	srv := webtest.New(t)

	t.Run("a page without a session goes to masuk and back", func(t *testing.T) {
		c := srv.Client(t)
		r := c.Get("/t/depok/umkm?q=warung")
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/masuk?lanjut="+url.QueryEscape("/t/depok/umkm?q=warung") {
			t.Fatalf("status %d, Location %q", r.Status, r.Header.Get("Location"))
		}
		r = c.Post("/masuk", url.Values{"email": {webtest.StafDepok}, "password": {webtest.Password}, "lanjut": {"/t/depok/umkm?q=warung"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/t/depok/umkm?q=warung" {
			t.Fatalf("after login: status %d, Location %q", r.Status, r.Header.Get("Location"))
		}
		cookie := r.Header.Get("Set-Cookie")
		for _, want := range []string{"sentra_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("session cookie %q lacks %s", cookie, want)
			}
		}
	})

	t.Run("lanjut to another site goes home instead", func(t *testing.T) {
		c := srv.Client(t)
		r := c.Post("/masuk", url.Values{"email": {webtest.StafDepok}, "password": {webtest.Password}, "lanjut": {"//evil.example/"}})
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("Location %q, want /", loc)
		}
	})

	t.Run("the home page sends each role to its first page", func(t *testing.T) {
		for email, want := range map[string]string{
			webtest.StafDepok: "/t/depok/dasbor", webtest.ViewerDepok: "/t/depok/dasbor",
			webtest.AdminDepok: "/t/depok/dasbor", webtest.PetugasDepok: "/t/depok/umkm",
		} {
			c := srv.Client(t)
			c.Login(email)
			if r := c.Get("/"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != want {
				t.Errorf("%s: status %d, Location %q, want %s", email, r.Status, r.Header.Get("Location"), want)
			}
		}
		c := srv.Client(t)
		c.Login(webtest.Multi)
		r := c.Get("/")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `href="/t/depok/dasbor"`) || !strings.Contains(r.Body, `href="/t/medan/dasbor"`) {
			t.Errorf("two offices: status %d, want a choice of both:\n%s", r.Status, r.Body)
		}
	})

	t.Run("wrong password: the service's words beside the field", func(t *testing.T) {
		c := srv.Client(t)
		r := c.Post("/masuk", url.Values{"email": {webtest.StafDepok}, "password": {"salah"}})
		if r.Status != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", r.Status)
		}
		if !strings.Contains(r.Body, `<p class="galat-isian" id="password-galat">Email atau kata sandi salah.</p>`) ||
			!strings.Contains(r.Body, `aria-describedby="password-galat"`) {
			t.Errorf("no message beside the password:\n%s", r.Body)
		}
		if !strings.Contains(r.Body, `value="`+webtest.StafDepok+`"`) {
			t.Error("the e-mail typed is lost")
		}
	})

	t.Run("another office's page is the page of a missing one", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.StafMedan)
		other, missing := c.Get("/t/depok/dasbor"), c.Get("/t/tidak-ada/dasbor")
		if other.Status != http.StatusNotFound || missing.Status != http.StatusNotFound {
			t.Fatalf("status %d and %d, want 404", other.Status, missing.Status)
		}
		if requestID.ReplaceAllString(other.Body, "") != requestID.ReplaceAllString(missing.Body, "") {
			t.Errorf("the pages differ:\n%s\n----\n%s", other.Body, missing.Body)
		}
		if !strings.Contains(other.Body, "Data tidak ditemukan.") {
			t.Errorf("no words of the API's 404:\n%s", other.Body)
		}
		if r := c.Get("/t/medan/tidak-ada"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Data tidak ditemukan.") {
			t.Errorf("unknown page: status %d", r.Status)
		}
	})

	t.Run("a petugas lists only their kecamatan", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.PetugasDepok)
		r := c.Get("/t/depok/umkm")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		if c.Get("/t/depok/dasbor").Status != http.StatusForbidden {
			t.Error("a petugas opens the office dashboard")
		}
		if strings.Contains(r.Body, `href="/t/depok/dasbor"`) {
			t.Error("the menu offers a petugas the dashboard")
		}
		staf := srv.Client(t)
		staf.Login(webtest.StafDepok)
		all := staf.Get("/t/depok/umkm")
		if strings.Count(r.Body, "<tr><th scope=\"row\">") >= strings.Count(all.Body, "<tr><th scope=\"row\">") {
			t.Errorf("the petugas sees as many rows as the staf")
		}
	})

	t.Run("the list pages with berikutnya and keeps the search", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.StafDepok)
		r := c.Get("/t/depok/umkm")
		next := regexp.MustCompile(`href="([^"]+)" rel="next">Berikutnya`).FindStringSubmatch(r.Body)
		if next == nil {
			t.Fatalf("no next page of 60 businesses:\n%s", r.Body)
		}
		page2 := c.Get(strings.ReplaceAll(next[1], "&amp;", "&"))
		if page2.Status != http.StatusOK || page2.Body == r.Body {
			t.Errorf("page 2: status %d", page2.Status)
		}
		if bad := c.Get("/t/depok/umkm?cursor=rusak"); bad.Status != http.StatusUnprocessableEntity {
			t.Errorf("a broken cursor: status %d, want 422", bad.Status)
		}
		if long := c.Get("/t/depok/umkm?q=" + strings.Repeat("a", 101)); !strings.Contains(long.Body, `id="q-galat"`) {
			t.Error("a search too long has no message beside the field")
		}
	})

	t.Run("the dashboard shows the office's figures", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.ViewerDepok)
		r := c.Get("/t/depok/dasbor")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "UMKM terdaftar") || !strings.Contains(r.Body, ">60<") {
			t.Errorf("status %d:\n%s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "Dihitung pada ") || !strings.Contains(r.Body, " WIB.") {
			t.Error("no freshness in the office's time zone")
		}
	})

	t.Run("every page carries the strict CSP", func(t *testing.T) {
		c := srv.Client(t)
		r := c.Get("/masuk")
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
		if r.Header.Get("X-Request-Id") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("the API's middleware did not run")
		}
	})

	t.Run("static files are immutable at their hash", func(t *testing.T) {
		c := srv.Client(t)
		page := c.Get("/masuk")
		css := regexp.MustCompile(`href="(/static/[0-9a-f]+/sentra.css)"`).FindStringSubmatch(page.Body)
		if css == nil {
			t.Fatal("no stylesheet link")
		}
		r := c.Get(css[1])
		if r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
			t.Errorf("status %d, headers %v", r.Status, r.Header)
		}
		if old := c.Get("/static/0000000000/sentra.css"); old.Header.Get("Cache-Control") == "public, max-age=31536000, immutable" {
			t.Error("an old hash is cached for a year")
		}
	})

	t.Run("a cross-origin POST is refused", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.StafDepok)
		r := c.Do(http.MethodPost, "/keluar", url.Values{}, http.Header{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": {"cross-site"}})
		if r.Status != http.StatusForbidden {
			t.Errorf("status %d, want 403", r.Status)
		}
		if c.Get("/t/depok/dasbor").Status != http.StatusOK {
			t.Error("the forged logout ended the session")
		}
	})

	t.Run("keluar ends the session", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.StafDepok)
		if r := c.Post("/keluar", url.Values{}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/masuk" {
			t.Fatalf("status %d, Location %q", r.Status, r.Header.Get("Location"))
		}
		if r := c.Get("/t/depok/dasbor"); r.Status != http.StatusSeeOther {
			t.Errorf("after keluar: status %d, want a redirect to masuk", r.Status)
		}
	})

	// Last: it gives the admin of Depok a second factor.
	t.Run("an account with TOTP gives its code in a second step", func(t *testing.T) {
		ctx := context.Background()
		sess, _, err := srv.Accounts.Login(ctx, webtest.AdminDepok, webtest.Password, "test", account.KindBearer)
		if err != nil {
			t.Fatal(err)
		}
		p, err := srv.Accounts.Authenticate(ctx, sess.Token)
		if err != nil {
			t.Fatal(err)
		}
		enr, err := srv.Accounts.StartTOTP(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := account.TOTPCode(enr.Secret, time.Now())
		if err := srv.Accounts.ConfirmTOTP(ctx, p, code); err != nil {
			t.Fatal(err)
		}

		c := srv.Client(t)
		r := c.Post("/masuk", url.Values{"email": {webtest.AdminDepok}, "password": {webtest.Password}, "lanjut": {"/t/depok/umkm"}})
		m := regexp.MustCompile(`name="tantangan" value="([^"]+)"`).FindStringSubmatch(r.Body)
		if r.Status != http.StatusOK || m == nil || strings.Contains(r.Header.Get("Set-Cookie"), "sentra_session=") {
			t.Fatalf("the password step: status %d, want the code step without a session:\n%s", r.Status, r.Body)
		}
		form := url.Values{"tantangan": {m[1]}, "kode": {"12345x"}, "lanjut": {"/t/depok/umkm"}}
		wrong := c.Post("/masuk/totp", form)
		if wrong.Status != http.StatusUnauthorized || !strings.Contains(wrong.Body, `id="kode-galat">Kode verifikasi salah atau sudah dipakai.`) ||
			!strings.Contains(wrong.Body, m[1]) {
			t.Errorf("a wrong code: status %d, want its message beside the field and the step again:\n%s", wrong.Status, wrong.Body)
		}
		form.Set("kode", must(account.TOTPCode(enr.Secret, time.Now().Add(30*time.Second))))
		if ok := c.Post("/masuk/totp", form); ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/t/depok/umkm" {
			t.Errorf("the right code: status %d, Location %q", ok.Status, ok.Header.Get("Location"))
		}
		if c.Get("/t/depok/umkm").Status != http.StatusOK {
			t.Error("no session after the code step")
		}
	})

	t.Run("the API still answers problem+json", func(t *testing.T) {
		c := srv.Client(t)
		r := c.Get("/v1/tidak-ada")
		if r.Status != http.StatusNotFound || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("status %d, Content-Type %q", r.Status, r.Header.Get("Content-Type"))
		}
	})
}
