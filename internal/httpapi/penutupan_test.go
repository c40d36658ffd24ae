package httpapi

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestOffboardingAPI: a platform admin cancels depok (twice: the same
// fact) and closes it; an office still in its trial cannot be closed, and
// says why; the bundle is made by the workers and both the platform and
// depok's admin get a link; depok's staff, medan and the public do not.
func TestOffboardingAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	platform := b.login(t, b.platformAdmin.Email)
	admin := b.login(t, b.depokAdmin.Email)
	staf := b.login(t, b.depokStaf.Email)
	const base = "/v1/admin/tenants/depok/langganan"

	if r := b.do(t, http.MethodPost, base+"/batal", platform, map[string]any{"alasan": "SPK tidak diperpanjang"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("cancel an unbilled office: %d, want 422: %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, base+"/uji-coba", platform, map[string]any{"trial_until": time.Now().AddDate(0, 0, 30).Format(time.DateOnly)}); r.status != http.StatusOK {
		t.Fatalf("trial: %d %s", r.status, r.raw)
	}
	r := b.do(t, http.MethodPost, base+"/akhiri", platform, nil)
	if r.status != http.StatusConflict || !strings.Contains(r.problem(t).Detail, "masih dalam uji coba") {
		t.Errorf("close an office in its trial: %d %s, want 409 saying why", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from pekerjaan where jenis = 'bundel_kantor'"); n != 0 {
		t.Errorf("a refused close queued %d bundles", n)
	}
	r = b.do(t, http.MethodPost, base+"/batal", platform, map[string]any{"alasan": "x"})
	if _, ok := r.problem(t).field("body.alasan"); r.status != http.StatusUnprocessableEntity || !ok {
		t.Errorf("cancel without a reason: %d %s", r.status, r.raw)
	}
	for _, who := range []string{admin, staf} {
		if r := b.do(t, http.MethodPost, base+"/batal", who, map[string]any{"alasan": "kami keluar"}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("an office's own user cancels: %d", r.status)
		}
	}
	r = b.do(t, http.MethodPost, base+"/batal", platform, map[string]any{"alasan": "SPK tidak diperpanjang"})
	if r.status != http.StatusOK || r.body["state"] != "canceled" || r.body["until"] == nil {
		t.Fatalf("cancel: %d %s", r.status, r.raw)
	}
	again := b.do(t, http.MethodPost, base+"/batal", platform, map[string]any{"alasan": "lagi"})
	if again.status != http.StatusOK || again.body["until"] != r.body["until"] {
		t.Errorf("cancel again: %d %s, want the same answer as %s", again.status, again.raw, r.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/bundel", admin, nil); r.status != http.StatusNotFound {
		t.Errorf("a bundle before offboarding: %d %s", r.status, r.raw)
	}

	r = b.do(t, http.MethodPost, base+"/akhiri", platform, nil)
	if r.status != http.StatusOK || r.body["state"] != "offboarding" || r.body["reason"] != "offboarding" || r.body["until"] == nil {
		t.Fatalf("close: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, base+"/akhiri", platform, nil); r.status != http.StatusOK {
		t.Errorf("close again: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from pekerjaan where jenis = 'bundel_kantor'"); n != 1 {
		t.Errorf("%d bundles queued, want 1", n)
	}
	if r := b.do(t, http.MethodPost, base+"/batal", platform, map[string]any{"alasan": "lagi"}); r.status != http.StatusConflict {
		t.Errorf("cancel a closing office: %d, want 409", r.status)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm", staf, nil); r.status != http.StatusPaymentRequired {
		t.Errorf("depok's staff while it closes: %d, want 402 (admins only)", r.status)
	}

	events := b.startUMKMWorkers(t)
	awaitJob(t, events, "bundel_kantor")

	var link string
	for _, c := range []struct{ path, token string }{
		{"/v1/admin/tenants/depok/bundel", platform},
		{"/v1/tenants/depok/bundel", admin},
	} {
		r := b.do(t, http.MethodGet, c.path, c.token, nil)
		tautan, _ := r.body["tautan"].(string)
		if r.status != http.StatusOK || !strings.HasPrefix(tautan, "/v1/public/depok/bundel/") || r.body["persen"] != float64(100) ||
			r.header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("GET %s: %d %s", c.path, r.status, r.raw)
		}
		link = tautan
	}
	medan := b.login(t, b.medanAdmin.Email)
	for _, c := range []struct {
		who, token string
		status     []int
	}{
		{"depok's staff", staf, []int{http.StatusForbidden}},
		{"medan's admin", medan, []int{http.StatusNotFound}},
		{"nobody", "", []int{http.StatusUnauthorized}},
	} {
		r := b.do(t, http.MethodGet, "/v1/tenants/depok/bundel", c.token, nil)
		if r.status != c.status[0] || strings.Contains(string(r.raw), "/bundel/") {
			t.Errorf("%s reads depok's bundle: %d %s", c.who, r.status, r.raw)
		}
	}

	// The download: no account, the zip whole.
	res := b.do(t, http.MethodGet, link, "", nil)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %s", res.status, res.header)
	}
	sum := sha256.Sum256(res.raw)
	if res.header.Get("Repr-Digest") != "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":" {
		t.Errorf("Repr-Digest %q is not the body's", res.header.Get("Repr-Digest"))
	}
	zr, err := zip.NewReader(bytes.NewReader(res.raw), int64(len(res.raw)))
	if err != nil {
		t.Fatalf("the download is not a zip: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "manifest.json") || !strings.Contains(strings.Join(names, " "), "wilayah.csv") {
		t.Errorf("the zip holds %v", names)
	}
	if strings.Contains(b.logs.String(), link[strings.LastIndexByte(link, '/')+1:]) {
		t.Error("the access log holds the download token")
	}

	// Links that lead nowhere, and one that expired.
	st := b.do(t, http.MethodGet, "/v1/admin/tenants/depok/bundel", platform, nil)
	depokBundle := uuid.MustParse(st.body["pekerjaan"].(map[string]any)["id"].(string))
	exp := b.do(t, http.MethodPost, "/v1/tenants/medan/umkm/ekspor", b.login(t, b.medanStaf.Email), nil)
	if exp.status != http.StatusAccepted {
		t.Fatalf("medan export: %d %s", exp.status, exp.raw)
	}
	medanJob := uuid.MustParse(exp.body["id"].(string))
	token := link[strings.LastIndexByte(link, '/')+1:]
	tampered := []byte(token)
	tampered[len(tampered)/2] ^= 1
	later := time.Now().Add(time.Hour)
	for _, c := range []struct {
		name, path string
		status     int
		code       string
	}{
		{"tampered", "/v1/public/depok/bundel/" + string(tampered), http.StatusNotFound, ""},
		{"cut", "/v1/public/depok/bundel/" + token[:len(token)-4], http.StatusNotFound, ""},
		{"on medan's path", "/v1/public/medan/bundel/" + token, http.StatusNotFound, ""},
		{"expired", b.srv.Bundel.Link(b.tenants["depok"], "depok", depokBundle, time.Now().Add(-time.Minute)), http.StatusForbidden, "tautan_kedaluwarsa"},
		{"medan's job under depok's signature", b.srv.Bundel.Link(b.tenants["depok"], "depok", medanJob, later), http.StatusNotFound, ""},
		{"depok's bundle signed for medan", b.srv.Bundel.Link(b.tenants["medan"], "medan", depokBundle, later), http.StatusNotFound, ""},
		{"a bundle id that never was", b.srv.Bundel.Link(b.tenants["depok"], "depok", uuid.New(), later), http.StatusNotFound, ""},
	} {
		r := b.do(t, http.MethodGet, c.path, "", nil)
		if r.status != c.status || r.body["code"] != nilIfEmpty(c.code) {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.raw, c.status, c.code)
			continue
		}
		if p := r.problem(t); !strings.Contains(p.Detail, "tidak ditemukan") && !strings.Contains(p.Detail, "kedaluwarsa") {
			t.Errorf("%s: not in Indonesian: %q", c.name, p.Detail)
		}
	}
	if r := b.do(t, http.MethodGet, b.srv.Bundel.Link(b.tenants["depok"], "depok", depokBundle, later), "", nil); r.status != http.StatusOK {
		t.Errorf("a fresh link of the bundle: %d", r.status)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
