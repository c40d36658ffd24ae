package httpapi

import (
	"net/http"
	"testing"
	"time"
)

// TestLanggananReadOnly: a platform admin bills an office (a trial),
// suspends it and lifts the suspension. While suspended every write of the
// office answers 402 tenant_read_only in Indonesian and writes nothing;
// reads, exports and login keep working. Office admins cannot record
// these facts, and an unbilled office is active.
func TestLanggananReadOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	platform := b.login(t, b.platformAdmin.Email)
	staf := b.login(t, b.depokStaf.Email)
	const base = "/v1/admin/tenants/depok/langganan"

	r := b.do(t, http.MethodGet, base, platform, nil)
	if r.status != http.StatusOK || r.body["billed"] != false || r.body["state"] != "active" {
		t.Fatalf("an unbilled office: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, base+"/tangguhkan", platform, map[string]any{"alasan": "uji"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("suspending an unbilled office: %d, want 422: %s", r.status, r.raw)
	}
	admin := b.login(t, b.depokAdmin.Email)
	if r := b.do(t, http.MethodPost, base+"/tangguhkan", admin, map[string]any{"alasan": "uji"}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("an office admin suspends: %d", r.status)
	}

	for _, bad := range []string{"2020-01-01", time.Now().AddDate(0, 0, 120).Format(time.DateOnly)} {
		r := b.do(t, http.MethodPost, base+"/uji-coba", platform, map[string]any{"trial_until": bad})
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("trial until %s: %d, want 422", bad, r.status)
		} else if _, ok := r.problem(t).field("body.trial_until"); !ok {
			t.Errorf("trial until %s: the problem does not name the field: %s", bad, r.raw)
		}
	}
	trialEnd := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	r = b.do(t, http.MethodPost, base+"/uji-coba", platform, map[string]any{"trial_until": trialEnd})
	if r.status != http.StatusOK || r.body["state"] != "trialing" || r.body["billed"] != true {
		t.Fatalf("start a trial: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("Warung Uji", "Sri", kelDepok)); r.status != http.StatusCreated {
		t.Fatalf("write in the trial: %d %s", r.status, r.raw)
	}

	r = b.do(t, http.MethodPost, base+"/tangguhkan", platform, map[string]any{"alasan": "kontrak belum ditandatangani"})
	if r.status != http.StatusOK || r.body["state"] != "read_only" || r.body["reason"] != "suspended" {
		t.Fatalf("suspend: %d %s", r.status, r.raw)
	}
	before := b.count(t, "depok", "select count(*) from umkm")
	w := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("Warung Baru", "Sri", kelDepok))
	if w.status != http.StatusPaymentRequired || w.body["code"] != "tenant_read_only" {
		t.Fatalf("write while read-only: %d %s", w.status, w.raw)
	}
	if detail, _ := w.body["detail"].(string); detail == "" || detail[:11] != "Kantor ini " {
		t.Errorf("the refusal is not in Indonesian: %q", detail)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != before {
		t.Errorf("a refused write changed the register: %d → %d", before, n)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/users", admin,
		map[string]any{"email": "baru@depok.test", "name": "Baru", "role": "staf", "password": testPassword}); r.status != http.StatusPaymentRequired {
		t.Errorf("adding a user while read-only: %d, want 402", r.status)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm", staf, nil); r.status != http.StatusOK {
		t.Errorf("reading while read-only: %d", r.status)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/ekspor", staf, nil); r.status != http.StatusAccepted {
		t.Errorf("exporting while read-only: %d %s", r.status, r.raw)
	}
	b.login(t, b.depokStaf.Email) // login keeps working
	// Another office is untouched.
	if r := b.do(t, http.MethodPost, "/v1/tenants/medan/umkm", b.login(t, b.medanStaf.Email), uBody("Toko Medan", "Ucok", kelMedanPasar)); r.status != http.StatusCreated {
		t.Errorf("medan writes while depok is read-only: %d %s", r.status, r.raw)
	}

	r = b.do(t, http.MethodPost, base+"/aktifkan", platform, nil)
	if r.status != http.StatusOK || r.body["state"] != "trialing" {
		t.Fatalf("reactivate: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("Warung Baru", "Sri", kelDepok)); r.status != http.StatusCreated {
		t.Errorf("write after reactivation: %d %s", r.status, r.raw)
	}
	var audit auditPage
	b.do(t, http.MethodGet, "/v1/tenants/depok/audit?entity=langganan", admin, nil).decode(t, &audit)
	if len(audit.Items) != 3 || audit.Items[0].ActorID == nil || *audit.Items[0].ActorID != b.platformAdmin.ID {
		t.Errorf("state changes audited with the platform admin: %+v", audit.Items)
	}
}
