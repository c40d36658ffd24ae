package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestReadOnlyOffice: an office the platform suspended shows the banner,
// offers no write action, refuses a forged write with the API's words and
// status, and still lists, opens and exports; another office is untouched.
func TestReadOnlyOffice(t *testing.T) {
	srv := webtest.New(t)
	svc := &langganan.Service{DB: srv.Env.DB, Now: time.Now, Changed: srv.Store.Forget}
	depok := srv.Tenants["depok"]
	record := func(f langganan.Fact) {
		t.Helper()
		if _, err := svc.Record(context.Background(), depok.ID, depok.Slug, f); err != nil {
			t.Fatal(err)
		}
	}
	record(langganan.StartTrial(time.Now().AddDate(0, 0, 30)))
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	if r := staf.Get("/t/depok/umkm"); !strings.Contains(r.Body, "Masa uji coba berakhir pada") || !strings.Contains(r.Body, `href="/t/depok/umkm/baru"`) {
		t.Errorf("trialing: no banner or no write action:\n%s", r.Body)
	}

	record(langganan.Suspend("uji"))
	r := staf.Get("/t/depok/umkm")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `class="spanduk"`) || !strings.Contains(r.Body, "mode baca saja") {
		t.Fatalf("read-only: status %d, no banner:\n%s", r.Status, r.Body)
	}
	if strings.Contains(r.Body, `href="/t/depok/umkm/baru"`) || strings.Contains(r.Body, `href="/t/depok/impor"`) {
		t.Error("a read-only office offers writes (new business, import)")
	}
	if !strings.Contains(r.Body, `action="/t/depok/umkm/ekspor"`) {
		t.Error("a read-only office offers no export")
	}
	before := srv.Count(t, "select count(*) from umkm where tenant_id = $1", depok.ID)
	w := staf.Post("/t/depok/umkm/baru", url.Values{"nama_usaha": {"Warung Baru"}, "nama_pemilik": {"Sri"}})
	if w.Status != http.StatusPaymentRequired || !strings.Contains(w.Body, "mode baca saja") {
		t.Errorf("a forged write: status %d, want 402 with the reason\n%s", w.Status, w.Body)
	}
	if n := srv.Count(t, "select count(*) from umkm where tenant_id = $1", depok.ID); n != before {
		t.Errorf("a refused write changed the register: %d → %d", before, n)
	}
	if r := staf.Get("/t/depok/umkm/baru"); r.Status != http.StatusPaymentRequired {
		t.Errorf("the new-business form while read-only: %d, want 402", r.Status)
	}
	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if r := medan.Get("/t/medan/umkm"); strings.Contains(r.Body, `class="spanduk"`) || !strings.Contains(r.Body, `href="/t/medan/umkm/baru"`) {
		t.Error("another office is shown read-only")
	}

	record(langganan.Reactivate())
	if r := staf.Get("/t/depok/umkm"); strings.Contains(r.Body, "mode baca saja") || !strings.Contains(r.Body, `href="/t/depok/umkm/baru"`) {
		t.Error("after reactivation the office is still read-only")
	}
}

// TestUndanganPage: an invitation link shows its form; a weak password
// comes back beside the field; accepting signs the account up once, and
// the link then says it no longer works.
func TestUndanganPage(t *testing.T) {
	srv := webtest.New(t)
	depok := srv.Tenants["depok"]
	var inv account.Invitation
	if err := srv.Env.DB.InTenantTx(context.Background(), depok.ID, func(tx pgx.Tx) error {
		var err error
		inv, err = account.Invite(context.Background(), tx, depok, "kabid@depok.test", "Bu Kabid", tenancy.RoleAdmin, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c := srv.Client(t)
	link := "/undangan/depok/" + inv.Token
	if r := c.Get(link); r.Status != http.StatusOK || !strings.Contains(r.Body, "kabid@depok.test") || !strings.Contains(r.Body, `value="Bu Kabid"`) {
		t.Fatalf("the link: status %d\n%s", r.Status, r.Body)
	}
	r := c.Post(link, url.Values{"nama": {"Bu Kabid"}, "password": {"pendek"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="password-galat">Kata sandi terlalu pendek`) {
		t.Errorf("a short password: status %d\n%s", r.Status, r.Body)
	}
	r = c.Post(link, url.Values{"nama": {"Bu Kabid"}, "password": {"kata-sandi-kabid-2026"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/masuk?") {
		t.Fatalf("accept: status %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	admin := srv.Client(t)
	if r := admin.Post("/masuk", url.Values{"email": {"kabid@depok.test"}, "password": {"kata-sandi-kabid-2026"}, "lanjut": {"/t/depok/pengguna"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Status)
	}
	if r := admin.Get("/t/depok/pengguna"); r.Status != http.StatusOK {
		t.Errorf("the invited admin opens Pengguna: %d", r.Status)
	}
	if r := c.Get(link); r.Status != http.StatusGone || !strings.Contains(r.Body, "tidak berlaku") || strings.Contains(r.Body, "<form method=\"post\" action=\"/undangan") {
		t.Errorf("a used link: status %d\n%s", r.Status, r.Body)
	}
	if r := c.Get("/undangan/medan/" + inv.Token); r.Status != http.StatusGone {
		t.Errorf("depok's link under medan: status %d", r.Status)
	}
}
