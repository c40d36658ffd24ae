package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestOnboardingPages: a platform admin opens Kota Makassar from its code,
// starts its trial, invites its first admin (who accepts and signs in),
// suspends it (the office turns read-only) and reactivates it; bad input
// comes back beside its field; an office's staff cannot reach any of it.
func TestOnboardingPages(t *testing.T) {
	srv := webtest.New(t)
	p := srv.Client(t)
	p.Login(webtest.Platform)

	if r := p.Get("/platform/kantor"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Buka kantor baru") {
		t.Fatalf("the offices page: %d\n%s", r.Status, r.Body)
	}
	r := p.Post("/platform/kantor", url.Values{"kode": {"99.99"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="kode-galat">Bukan kode kabupaten/kota`) || !strings.Contains(r.Body, `value="99.99"`) {
		t.Errorf("an unknown code: %d\n%s", r.Status, r.Body)
	}
	r = p.Post("/platform/kantor", url.Values{"kode": {"32.76"}})
	if r.Status != http.StatusConflict {
		t.Errorf("a second Depok: %d, want 409", r.Status)
	}
	r = p.Post("/platform/kantor", url.Values{"kode": {"73.71"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/platform/kantor/makassar?pesan=dibuka" {
		t.Fatalf("open makassar: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page := p.Get("/platform/kantor/makassar?pesan=dibuka")
	if !strings.Contains(page.Body, "<dd>Kantor ini sedang disiapkan: belum ada masa uji coba atau kontrak</dd>") || !strings.Contains(page.Body, "Asia/Makassar") {
		t.Errorf("the new office's page:\n%s", page.Body)
	}

	if r := p.Post("/platform/kantor/makassar/uji-coba", url.Values{"tanggal": {"2020-01-01"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="uji-tanggal-galat"`) {
		t.Errorf("a trial in the past: %d\n%s", r.Status, r.Body)
	}
	end := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	if r := p.Post("/platform/kantor/makassar/uji-coba", url.Values{"tanggal": {end}}); r.Status != http.StatusSeeOther {
		t.Fatalf("trial: %d\n%s", r.Status, r.Body)
	}
	if !strings.Contains(p.Get("/platform/kantor/makassar").Body, "<dd>Masa uji coba berakhir pada ") {
		t.Error("the trial is not shown")
	}

	inv := p.Post("/platform/kantor/makassar/undangan", url.Values{"nama": {"Andi Baso"}, "email": {"kadis@makassar.test"}})
	link := regexp.MustCompile(`<a href="(/undangan/makassar/[A-Za-z0-9_-]+)">`).FindStringSubmatch(inv.Body)
	if inv.Status != http.StatusOK || link == nil {
		t.Fatalf("invite: %d\n%s", inv.Status, inv.Body)
	}
	if again := p.Get("/platform/kantor/makassar"); strings.Contains(again.Body, link[1]) {
		t.Error("the invitation link is shown again")
	}
	c := srv.Client(t)
	if r := c.Post(link[1], url.Values{"nama": {"Andi Baso"}, "password": {"kata-sandi-andi-2026"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", r.Status, r.Body)
	}
	kadis := loginAs(t, srv, "kadis@makassar.test", "kata-sandi-andi-2026")
	if r := kadis.Get("/t/makassar/pengguna"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Masa uji coba berakhir") {
		t.Errorf("the new admin's first page: %d\n%s", r.Status, r.Body)
	}

	if r := p.Post("/platform/kantor/makassar/tangguhkan", url.Values{"alasan": {"x"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a suspension without a reason: %d", r.Status)
	}
	if r := p.Post("/platform/kantor/makassar/tangguhkan", url.Values{"alasan": {"kontrak belum ditandatangani"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("suspend: %d\n%s", r.Status, r.Body)
	}
	if r := kadis.Get("/t/makassar/pengguna"); !strings.Contains(r.Body, "mode baca saja") || strings.Contains(r.Body, "Tambah pengguna</button>") {
		t.Errorf("the suspended office's admin still adds users:\n%s", r.Body)
	}
	if r := p.Post("/platform/kantor/makassar/aktifkan", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", r.Status)
	}
	if r := kadis.Get("/t/makassar/pengguna"); strings.Contains(r.Body, "mode baca saja") {
		t.Error("still read-only after reactivation")
	}

	staf := srv.Client(t)
	staf.Login(webtest.AdminDepok)
	for _, path := range []string{"/platform/kantor", "/platform/kantor/depok"} {
		if r := staf.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("an office admin GET %s: %d, want 404", path, r.Status)
		}
	}
	if r := staf.Post("/platform/kantor/depok/tangguhkan", url.Values{"alasan": {"iseng saja"}}); r.Status != http.StatusNotFound {
		t.Errorf("an office admin suspends: %d, want 404", r.Status)
	}
}
