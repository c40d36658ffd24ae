package httpapi

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"mime/quotedprintable"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
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

// TestOpenOffice: a platform admin opens Kota Makassar (73.71, WITA), a
// city outside the first four, from its Kemendagri code; its regions are
// the dataset's, it starts in provisioning, and bad codes, a duplicate and
// a bad slug are refused naming the field with nothing written.
func TestOpenOffice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	platform := b.login(t, b.platformAdmin.Email)
	wantKec, wantDesa := datasetCounts(t, "73.71")

	tenants := b.count(t, "", "select count(*) from tenants")
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown code", map[string]any{"kode": "99.99"}, "body.kode"},
		{"a province", map[string]any{"kode": "73"}, "body.kode"},
		{"a kecamatan", map[string]any{"kode": "73.71.01"}, "body.kode"},
		{"bad slug", map[string]any{"kode": "73.71", "slug": "Makassar!"}, "body.slug"},
		{"bps of another province", map[string]any{"kode": "73.71", "bps_code": "3276"}, "body.bps_code"},
	} {
		r := b.do(t, http.MethodPost, "/v1/admin/tenants", platform, c.body)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422: %s", c.name, r.status, r.raw)
		} else if _, ok := r.problem(t).field(c.field); !ok {
			t.Errorf("%s: the problem does not name %s: %s", c.name, c.field, r.raw)
		}
	}
	if n := b.count(t, "", "select count(*) from tenants"); n != tenants {
		t.Errorf("refused requests wrote %d tenants", n-tenants)
	}
	staf := b.login(t, b.depokAdmin.Email)
	if r := b.do(t, http.MethodPost, "/v1/admin/tenants", staf, map[string]any{"kode": "73.71"}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("an office admin opens an office: %d", r.status)
	}

	r := b.do(t, http.MethodPost, "/v1/admin/tenants", platform, map[string]any{"kode": "73.71"})
	if r.status != http.StatusCreated {
		t.Fatalf("open makassar: %d %s", r.status, r.raw)
	}
	if r.body["slug"] != "makassar" || r.body["name"] != "Kota Makassar" || r.body["kind"] != "kota" ||
		r.body["timezone"] != "Asia/Makassar" || r.body["province_code"] != "73" || r.body["state"] != "provisioning" {
		t.Errorf("opened %s", r.raw)
	}
	id, err := uuid.Parse(r.body["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	b.tenants["makassar"] = id // as the application role, under the new office's policy
	if r.body["kecamatan"] != float64(wantKec) || r.body["desa_kelurahan"] != float64(wantDesa) {
		t.Errorf("loaded %v kecamatan and %v desa/kelurahan, want %d and %d", r.body["kecamatan"], r.body["desa_kelurahan"], wantKec, wantDesa)
	}
	if n := b.count(t, "makassar", "select count(*) from wilayah where level = 'kecamatan'"); n != wantKec {
		t.Errorf("%d kecamatan stored, want %d", n, wantKec)
	}
	if n := b.count(t, "makassar", "select count(*) from wilayah where level = 'desa_kelurahan'"); n != wantDesa {
		t.Errorf("%d desa/kelurahan stored, want %d", n, wantDesa)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/makassar/wilayah?limit=100", platform, nil); r.status != http.StatusOK {
		t.Errorf("the platform admin reads the new office's regions: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, "/v1/admin/tenants", platform, map[string]any{"kode": "73.71", "slug": "mks"}); r.status != http.StatusConflict {
		t.Errorf("a second Makassar: %d, want 409: %s", r.status, r.raw)
	}
	st := b.do(t, http.MethodGet, "/v1/admin/tenants/makassar/langganan", platform, nil)
	if st.body["state"] != "provisioning" || st.body["billed"] != true {
		t.Errorf("the new office's state: %s", st.raw)
	}
	trial := b.do(t, http.MethodPost, "/v1/admin/tenants/makassar/langganan/uji-coba", platform,
		map[string]any{"trial_until": time.Now().AddDate(0, 0, 14).Format(time.DateOnly)})
	if trial.body["state"] != "trialing" {
		t.Errorf("trial: %s", trial.raw)
	}

	// The first admin: a single-use link.
	inv := b.do(t, http.MethodPost, "/v1/admin/tenants/makassar/undangan", platform,
		map[string]any{"email": "Kadis@Makassar.go.id", "name": "Andi Baso"})
	link, _ := inv.body["link"].(string)
	if inv.status != http.StatusCreated || !strings.HasPrefix(link, "/undangan/makassar/") {
		t.Fatalf("invite: %d %s", inv.status, inv.raw)
	}
	token := strings.TrimPrefix(link, "/undangan/makassar/")
	if n := b.count(t, "makassar", "select count(*) from undangan where token_hash = sha256(convert_to($1, 'UTF8'))", token); n != 1 {
		t.Errorf("the token is not stored as its hash (%d rows)", n)
	}
	accept := "/v1/public/makassar/undangan/" + token
	if r := b.do(t, http.MethodPost, accept, "", map[string]any{"password": "pendek"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a short password: %d, want 422", r.status)
	}
	if r := b.do(t, http.MethodPost, accept, "", map[string]any{"password": testPassword}); r.status != http.StatusCreated {
		t.Fatalf("accept: %d %s", r.status, r.raw)
	}
	kadis := b.login(t, "kadis@makassar.go.id")
	if r := b.do(t, http.MethodGet, "/v1/tenants/makassar/users", kadis, nil); r.status != http.StatusOK {
		t.Errorf("the new admin lists the office's users: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, accept, "", map[string]any{"password": testPassword})
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("a second use: %d, want 422", r.status)
	} else if _, ok := r.problem(t).field("path.token"); !ok {
		t.Errorf("a second use does not name the link: %s", r.raw)
	}
	if r := b.do(t, http.MethodPost, "/v1/public/depok/undangan/"+token, "", map[string]any{"password": testPassword}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("makassar's link used for depok: %d, want 422", r.status)
	}
}

// datasetCounts counts the kecamatan and desa/kelurahan of kabkota in the
// shipped national dataset, read here on its own.
func datasetCounts(t *testing.T, kabkota string) (kec, desa int) {
	t.Helper()
	f, err := os.Open("../tenant/nasional/wilayah_kemendagri_2025_indonesia.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, kabkota+".") {
			continue
		}
		switch {
		case strings.Contains(line, ",kecamatan,"):
			kec++
		case strings.Contains(line, ",desa_kelurahan,"):
			desa++
		}
	}
	if kec == 0 || desa == 0 {
		t.Fatalf("no regions of %s in the dataset", kabkota)
	}
	return kec, desa
}

// TestInvitationMailed: with a relay configured, the invitation's link is
// mailed to the invitee (absolute, on the public address) and still shown
// once; the mailed link works. A relay that refuses loses nothing: 201,
// the link shown, mailed false, and the address never in the log.
func TestInvitationMailed(t *testing.T) {
	t.Parallel()
	b := setup(t, withMail)
	platform := b.login(t, b.platformAdmin.Email)
	inv := b.do(t, http.MethodPost, "/v1/admin/tenants/depok/undangan", platform,
		map[string]any{"email": "Kabid@Depok.go.id", "name": "Siti Rahayu", "role": "staf"})
	link, _ := inv.body["link"].(string)
	if inv.status != http.StatusCreated || inv.body["mailed"] != true || !strings.HasPrefix(link, "/undangan/depok/") {
		t.Fatalf("invite: %d %s", inv.status, inv.raw)
	}
	got := b.relay.Messages()
	if len(got) != 1 || got[0].To != "kabid@depok.go.id" {
		t.Fatalf("mail: %+v", got)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(got[0].Body)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "https://sentra.test"+link) || !strings.Contains(string(text), "Siti Rahayu") ||
		!strings.Contains(string(text), "sebagai staf Kota Depok") || !strings.Contains(string(text), "WIB") {
		t.Errorf("the mail says:\n%s", text)
	}
	token := strings.TrimPrefix(link, "/undangan/depok/")
	if r := b.do(t, http.MethodPost, "/v1/public/depok/undangan/"+token, "", map[string]any{"password": testPassword}); r.status != http.StatusCreated {
		t.Errorf("accept the mailed link: %d %s", r.status, r.raw)
	}

	if strings.Contains(b.logs.String(), token) {
		t.Error("the invitation's token is in the log")
	}

	b.relay.Refuse = true
	again := b.do(t, http.MethodPost, "/v1/admin/tenants/depok/undangan", platform, map[string]any{"email": "sekretaris@depok.go.id", "name": "Sekretaris Dinas"})
	if again.status != http.StatusCreated || again.body["mailed"] != false || again.body["link"] == "" {
		t.Errorf("a refusing relay: %d %s", again.status, again.raw)
	}
	if strings.Contains(b.logs.String(), "sekretaris@depok.go.id") {
		t.Error("the refused address is in the log")
	}
	if !strings.Contains(b.logs.String(), "invitation not mailed") {
		t.Error("the refusal is not logged")
	}
}
