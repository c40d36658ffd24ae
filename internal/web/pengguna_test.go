package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPenggunaPages: an admin adds users (a petugas with their regions),
// the form comes back beside each field on a refusal and keeps no
// password, a change made meanwhile is shown as a conflict, the last admin
// stays; staf and viewers are refused the pages and their POSTs; the audit
// log filters by who and what.
func TestPenggunaPages(t *testing.T) {
	srv := webtest.New(t)
	admin := srv.Client(t)
	admin.Login(webtest.AdminDepok)
	// A kelurahan of the petugas's kecamatan, as the form offers it.
	m := regexp.MustCompile(`name="wilayah" value="(` + regexp.QuoteMeta(srv.PetugasKecamatan) + `\.\d+)"`).
		FindStringSubmatch(admin.Get("/t/depok/pengguna").Body)
	if m == nil {
		t.Fatal("the add form offers no kelurahan of the petugas's kecamatan")
	}
	kel := m[1]

	t.Run("the list shows every role and the add form", func(t *testing.T) {
		r := admin.Get("/t/depok/pengguna")
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, want := range []string{webtest.StafDepok, webtest.PetugasDepok, "Petugas wilayah", "Admin kantor",
			`action="/t/depok/pengguna"`, `name="wilayah" value="` + srv.PetugasKecamatan + `"`, `aria-current="page">Pengguna`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}
	})

	t.Run("a refused user comes back beside its fields, without the password", func(t *testing.T) {
		form := url.Values{"nama": {"Rudi <b>"}, "email": {"bukan-email"}, "peran": {"petugas"}, "sandi": {"pendek"}}
		r := admin.Post("/t/depok/pengguna", form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", r.Status)
		}
		for _, want := range []string{`id="email-galat">Alamat email tidak valid.`, `id="sandi-galat">Kata sandi terlalu pendek`,
			`value="Rudi &lt;b&gt;"`, `value="bukan-email"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the form again lacks %q:\n%s", want, r.Body)
			}
		}
		if strings.Contains(r.Body, "pendek\"") {
			t.Error("the password typed is in the page")
		}
		// A valid account but a petugas without regions: the regions' message.
		form = url.Values{"nama": {"Rudi"}, "email": {"rudi@depok.test"}, "peran": {"petugas"}, "sandi": {"kata-sandi-rudi-123"}}
		r = admin.Post("/t/depok/pengguna", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="wilayah-galat">Petugas harus diberi 1–100 wilayah`) {
			t.Errorf("petugas without regions: status %d\n%s", r.Status, r.Body)
		}
		if n := srv.Count(t, "select count(*) from users where email = 'rudi@depok.test'"); n != 0 {
			t.Errorf("a refused user left %d accounts", n)
		}
	})

	var rudi string
	t.Run("an admin adds a petugas of one kelurahan, who then logs in", func(t *testing.T) {
		form := url.Values{"nama": {"Rudi"}, "email": {"rudi@depok.test"}, "peran": {"petugas"}, "sandi": {"kata-sandi-rudi-123"},
			"wilayah": {kel}}
		r := admin.Post("/t/depok/pengguna", form)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/t/depok/pengguna?pesan=ditambah" {
			t.Fatalf("status %d, Location %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
		}
		list := admin.Get("/t/depok/pengguna?pesan=ditambah")
		if !strings.Contains(list.Body, "Pengguna sudah ditambahkan.") {
			t.Error("no confirmation")
		}
		m := regexp.MustCompile(`<a href="(/t/depok/pengguna/[0-9a-f-]{36})">Rudi</a>`).FindStringSubmatch(list.Body)
		if m == nil {
			t.Fatalf("Rudi is not in the list:\n%s", list.Body)
		}
		rudi = m[1]
		c := loginAs(t, srv, "rudi@depok.test", "kata-sandi-rudi-123")
		if r := c.Get("/t/depok/umkm"); r.Status != http.StatusOK {
			t.Errorf("the new petugas opens the register: %d", r.Status)
		}
		if r := c.Get("/t/depok/pengguna"); r.Status != http.StatusForbidden {
			t.Errorf("a petugas opens the users page: %d", r.Status)
		}
	})

	t.Run("a change made meanwhile is a conflict with the other version shown", func(t *testing.T) {
		if rudi == "" {
			t.Skip("no user added")
		}
		page := admin.Get(rudi)
		versi := regexp.MustCompile(`name="versi" value="(\d+)"`).FindStringSubmatch(page.Body)
		if page.Status != http.StatusOK || versi == nil {
			t.Fatalf("status %d, no version:\n%s", page.Status, page.Body)
		}
		change := url.Values{"versi": {versi[1]}, "peran": {"petugas"}, "wilayah": {srv.PetugasKecamatan}, "aktif": {"ya"}}
		if r := admin.Post(rudi, change); r.Status != http.StatusSeeOther {
			t.Fatalf("move to the whole kecamatan: status %d\n%s", r.Status, r.Body)
		}
		stale := url.Values{"versi": {versi[1]}, "peran": {"viewer"}, "aktif": {"ya"}}
		r := admin.Post(rudi, stale)
		if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "sudah diubah orang lain") ||
			!strings.Contains(r.Body, "Versi yang tersimpan sekarang") {
			t.Fatalf("stale change: status %d\n%s", r.Status, r.Body)
		}
		if n := srv.Count(t, `select count(*) from role_assignments r join users u on u.id = r.user_id
			where u.email = 'rudi@depok.test' and r.role = 'petugas'`); n != 1 {
			t.Error("the stale change was saved")
		}
		// Disabled: the account can no longer open the office.
		page = admin.Get(rudi)
		versi = regexp.MustCompile(`name="versi" value="(\d+)"`).FindStringSubmatch(page.Body)
		if r := admin.Post(rudi, url.Values{"versi": {versi[1]}, "peran": {"petugas"}, "wilayah": {srv.PetugasKecamatan}}); r.Status != http.StatusSeeOther {
			t.Fatalf("disable: status %d\n%s", r.Status, r.Body)
		}
		c := loginAs(t, srv, "rudi@depok.test", "kata-sandi-rudi-123")
		if r := c.Get("/t/depok/umkm"); r.Status != http.StatusNotFound {
			t.Errorf("a disabled petugas opens the register: %d", r.Status)
		}
	})

	t.Run("the last admin cannot demote themselves", func(t *testing.T) {
		list := admin.Get("/t/depok/pengguna")
		m := regexp.MustCompile(`<a href="(/t/depok/pengguna/[0-9a-f-]{36})">Pengguna admin</a>`).FindStringSubmatch(list.Body)
		if m == nil {
			t.Fatalf("the admin is not in the list:\n%s", list.Body)
		}
		page := admin.Get(m[1])
		if !strings.Contains(page.Body, "Ini akun Anda sendiri") {
			t.Error("no warning on one's own account")
		}
		versi := regexp.MustCompile(`name="versi" value="(\d+)"`).FindStringSubmatch(page.Body)
		r := admin.Post(m[1], url.Values{"versi": {versi[1]}, "peran": {"staf"}, "aktif": {"ya"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="peran-galat">Ini admin aktif terakhir.`) {
			t.Errorf("demoting the last admin: status %d\n%s", r.Status, r.Body)
		}
	})

	t.Run("staf and viewers get neither the pages nor the POSTs", func(t *testing.T) {
		for _, email := range []string{webtest.StafDepok, webtest.ViewerDepok} {
			c := srv.Client(t)
			c.Login(email)
			for _, p := range []string{"/t/depok/pengguna", "/t/depok/audit"} {
				if r := c.Get(p); r.Status != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", email, p, r.Status)
				}
			}
			r := c.Post("/t/depok/pengguna", url.Values{"nama": {"Jahat"}, "email": {"jahat@depok.test"}, "peran": {"admin"}, "sandi": {"kata-sandi-jahat-123"}})
			if r.Status != http.StatusForbidden {
				t.Errorf("%s forged POST: %d, want 403", email, r.Status)
			}
			if c.Get("/t/depok/dasbor").Status == http.StatusOK && strings.Contains(c.Get("/t/depok/dasbor").Body, `href="/t/depok/pengguna"`) {
				t.Errorf("the menu offers %s the users page", email)
			}
		}
		if n := srv.Count(t, "select count(*) from users where email = 'jahat@depok.test'"); n != 0 {
			t.Error("a forged POST created a user")
		}
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		if r := medan.Get("/t/depok/pengguna"); r.Status != http.StatusNotFound {
			t.Errorf("another office's users: %d, want 404", r.Status)
		}
	})

	t.Run("the audit log filters by who and what", func(t *testing.T) {
		r := admin.Get("/t/depok/audit")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Akses dinonaktifkan") || !strings.Contains(r.Body, `<td><a href="/t/depok/pengguna/`) {
			t.Fatalf("status %d\n%s", r.Status, r.Body)
		}
		r = admin.Get("/t/depok/audit?jenis=user&aksi=create")
		if n := strings.Count(r.Body, "<tr><td>"); n != 1 {
			t.Errorf("creates of users: %d rows, want 1 (Rudi)\n%s", n, r.Body)
		}
		r = admin.Get("/t/depok/audit?jenis=umkm")
		if strings.Contains(r.Body, `<td><a href="/t/depok/pengguna/`) {
			t.Error("the umkm filter shows user changes")
		}
		all := admin.Get("/t/depok/audit?jenis=user")
		id := regexp.MustCompile(`<option value="([0-9a-f-]{36})">Pengguna admin</option>`).FindStringSubmatch(all.Body)
		if id == nil {
			t.Fatalf("no admin to filter by:\n%s", all.Body)
		}
		byAdmin := admin.Get("/t/depok/audit?oleh=" + id[1])
		rows := strings.Count(byAdmin.Body, "<tr><td>")
		if rows == 0 || strings.Count(byAdmin.Body, "<td>Pengguna admin</td>") != rows {
			t.Errorf("the admin's changes: %d rows, not all theirs\n%s", rows, byAdmin.Body)
		}
		for _, bad := range []string{"?dari=kemarin", "?dari=2026-12-07&sampai=2026-12-01", "?oleh=siti", "?jenis=rahasia"} {
			if r := admin.Get("/t/depok/audit" + bad); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `class="galat-isian"`) {
				t.Errorf("%s: status %d, want 422 with the message beside the field", bad, r.Status)
			}
		}
		r = admin.Get("/t/depok/audit?dari=2000-01-01&sampai=2000-01-31")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Tidak ada perubahan yang cocok") {
			t.Errorf("an empty window: status %d", r.Status)
		}
	})
}

// loginAs signs in with a password of the test's own user.
func loginAs(t *testing.T, srv *webtest.Server, email, password string) *webtest.Client {
	t.Helper()
	c := srv.Client(t)
	if r := c.Post("/masuk", url.Values{"email": {email}, "password": {password}}); r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d", email, r.Status)
	}
	return c
}
