package httpapi

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/umkm"
)

// The online registration as an applicant and the reviewing staff meet it.

const (
	formNIK   = "3276014507850001"
	formPhone = "081234567890"
	formName  = "Siti Aminah Registrasi"
	formEmail = "siti.aminah@contoh.test"
	formAddr  = "Jl. Merdeka No. 17"
)

// kodePattern is a tracking code of depok: its prefix and two groups of
// five Crockford base32 symbols.
var kodePattern = regexp.MustCompile(`^DPK-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)

// form is a valid public registration to depok; over replaces fields (nil
// deletes one).
func form(over map[string]any) map[string]any {
	f := map[string]any{
		"nama_pemilik": formName, "nik": formNIK, "jenis_kelamin": "P", "telepon": formPhone, "email": formEmail,
		"nama_usaha": "Keripik Singkong Bu Siti", "sektor": "kuliner", "produk": "Keripik singkong balado",
		"alamat": formAddr, "rt": "3", "rw": "007", "kecamatan_kode": "32.76.01", "kelurahan_kode": "32.76.01.1006",
		"modal_usaha": 15000000, "omzet_tahunan": 180000000, "karyawan_perempuan": 3, "tahun_mulai": 2019,
		"saluran_penjualan": []string{"offline", "shopee"}, "skala_dilaporkan": "mikro",
	}
	for k, v := range over {
		if v == nil {
			delete(f, k)
		} else {
			f[k] = v
		}
	}
	return f
}

// submit posts a registration to a tenant from the test client.
func (b *testBundle) submit(t *testing.T, slug string, body any, headers ...string) response {
	t.Helper()
	return b.do(t, http.MethodPost, "/v1/public/"+slug+"/registrasi", "", body, headers...)
}

// registered submits a valid form and returns its tracking code.
func (b *testBundle) registered(t *testing.T, slug string, body any, headers ...string) string {
	t.Helper()
	r := b.submit(t, slug, body, headers...)
	if r.status != http.StatusAccepted {
		t.Fatalf("register: %d %s", r.status, r.raw)
	}
	kode, _ := r.body["kode_lacak"].(string)
	if kode == "" {
		t.Fatalf("no kode_lacak: %s", r.raw)
	}
	return kode
}

func (b *testBundle) publicStatus(t *testing.T, slug, kode string) response {
	t.Helper()
	return b.do(t, http.MethodGet, "/v1/public/"+slug+"/registrasi/"+kode, "", nil)
}

// pendingID finds a registration by tracking code in the staff list.
func (b *testBundle) pendingID(t *testing.T, slug, token, kode string) (uuid.UUID, map[string]any) {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	r := b.do(t, http.MethodGet, "/v1/tenants/"+slug+"/registrasi", token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("list-registrasi: %d %s", r.status, r.raw)
	}
	r.decode(t, &page)
	for _, it := range page.Items {
		if it["kode_lacak"] == kode {
			return uuid.MustParse(it["id"].(string)), it
		}
	}
	t.Fatalf("%s not in the waiting list: %s", kode, r.raw)
	return uuid.Nil, nil
}

// TestRegistrasiAcceptedBecomesBinaan: the whole way of seed 001. An owner
// registers without an account, sees "menunggu", staff accept, and the
// business is in the register as binaan from registrasi_online; the owner
// sees "diterima".
func TestRegistrasiAcceptedBecomesBinaan(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	viewer := b.login(t, b.depokViewer.Email)

	r := b.submit(t, "depok", form(nil))
	if r.status != http.StatusAccepted {
		t.Fatalf("register: %d %s", r.status, r.raw)
	}
	kode, _ := r.body["kode_lacak"].(string)
	if !kodePattern.MatchString(kode) || r.body["status"] != "menunggu" {
		t.Fatalf("answer %s, want a DPK-XXXXX-XXXXX code and status menunggu", r.raw)
	}
	if loc := r.header.Get("Location"); loc != "/v1/public/depok/registrasi/"+kode {
		t.Errorf("Location %q", loc)
	}

	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)
	st := b.publicStatus(t, "depok", kode)
	if st.status != http.StatusOK || st.body["status"] != "menunggu" || st.body["tanggal_daftar"] != today {
		t.Fatalf("status: %d %s (want menunggu on %s)", st.status, st.raw, today)
	}
	// As people type it: lower case, no dashes, O for 0 and L for 1.
	typed := strings.ToLower(strings.ReplaceAll(kode, "-", ""))
	typed = strings.NewReplacer("0", "o", "1", "l").Replace(typed)
	if st := b.publicStatus(t, "depok", typed); st.status != http.StatusOK || st.body["kode_lacak"] != kode {
		t.Errorf("status by %q: %d %s", typed, st.status, st.raw)
	}

	// Staff see it in the queue, NIK masked; a viewer also without contact data.
	id, item := b.pendingID(t, "depok", staf, kode)
	data := item["data"].(map[string]any)
	if data["nik"] != "3276xxxxxxxx0001" || data["telepon"] != formPhone || data["alamat"] != formAddr || data["rt"] != "003" {
		t.Errorf("staf's list data: %v", data)
	}
	_, item = b.pendingID(t, "depok", viewer, kode)
	data = item["data"].(map[string]any)
	if data["nik"] != "3276xxxxxxxx0001" || data["telepon"] == formPhone || data["email"] == formEmail || data["alamat"] != nil {
		t.Errorf("viewer's list data shows personal data: %v", data)
	}
	got := b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi/"+id.String(), staf, nil)
	if got.status != http.StatusOK || got.body["data"].(map[string]any)["nik"] != formNIK {
		t.Fatalf("get-registrasi as staf: %d %s", got.status, got.raw)
	}
	tag := got.header.Get("ETag")

	// Accept: needs the ETag.
	accept := "/v1/tenants/depok/registrasi/" + id.String() + "/terima"
	if r := b.do(t, http.MethodPost, accept, staf, nil); r.status != http.StatusPreconditionRequired {
		t.Errorf("accept without If-Match: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, accept, staf, nil, "If-Match", `"7"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("accept with a stale If-Match: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, accept, staf, nil, "If-Match", tag)
	if r.status != http.StatusOK || r.body["status"] != "diterima" || r.body["umkm_id"] == nil || r.body["diputuskan_oleh"] != b.depokStaf.ID.String() {
		t.Fatalf("accept: %d %s", r.status, r.raw)
	}
	umkmID := r.body["umkm_id"].(string)
	rec := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+umkmID, staf, nil)
	if rec.status != http.StatusOK {
		t.Fatalf("the accepted UMKM: %d %s", rec.status, rec.raw)
	}
	for k, want := range map[string]any{"sumber": "registrasi_online", "status_binaan": "binaan", "nik": formNIK,
		"nama_pemilik": formName, "telepon": formPhone, "kelurahan_kode": "32.76.01.1006", "rt": "003"} {
		if rec.body[k] != want {
			t.Errorf("UMKM %s = %v, want %v", k, rec.body[k], want)
		}
	}

	st = b.publicStatus(t, "depok", kode)
	if st.body["status"] != "diterima" || st.body["tanggal_keputusan"] != today || st.body["alasan"] != nil {
		t.Errorf("status after accepting: %s", st.raw)
	}
	// Deciding again is a conflict pointing at the record.
	r = b.do(t, http.MethodPost, accept, staf, nil, "If-Match", r.header.Get("ETag"))
	if r.status != http.StatusConflict || r.body["existing"] != "/v1/tenants/depok/umkm/"+umkmID {
		t.Errorf("accepting twice: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/registrasi/"+id.String()+"/tolak", staf, map[string]any{"alasan": "Berubah pikiran"}, "If-Match", tag)
	if r.status != http.StatusConflict {
		t.Errorf("rejecting an accepted one: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 1 {
		t.Errorf("%d UMKM records, want 1", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'registrasi' and entity_id = $1 and action in ('create', 'accept')", id.String()); n != 2 {
		t.Errorf("%d audit entries for the registration (create, accept), want 2", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'umkm' and entity_id = $1 and actor_id = $2", umkmID, b.depokStaf.ID); n != 1 {
		t.Errorf("%d audit entries for the new UMKM by the staf, want 1", n)
	}
	// The list of accepted ones has it; the waiting list no longer does.
	var page struct {
		Items []map[string]any `json:"items"`
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi?status=diterima", staf, nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0]["id"] != id.String() {
		t.Errorf("accepted list: %v", page.Items)
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi", staf, nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("waiting list after accepting: %v", page.Items)
	}
}

// TestRegistrasiRejectedWithReason: a rejection needs a reason, which the
// applicant reads with their code.
func TestRegistrasiRejectedWithReason(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	kode := b.registered(t, "depok", form(nil))
	id, _ := b.pendingID(t, "depok", staf, kode)
	path := "/v1/tenants/depok/registrasi/" + id.String()
	tag := b.do(t, http.MethodGet, path, staf, nil).header.Get("ETag")

	for _, body := range []map[string]any{{}, {"alasan": "ok"}, {"alasan": "   ab   "}, {"alasan": strings.Repeat("x", 501)}} {
		r := b.do(t, http.MethodPost, path+"/tolak", staf, body, "If-Match", tag)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("reject with %v: %d %s", body, r.status, r.raw)
		}
		if _, ok := r.problem(t).field("body.alasan"); !ok {
			t.Errorf("reject with %v: the problem does not name body.alasan: %s", body, r.raw)
		}
	}
	const alasan = "Usaha berada di luar wilayah Kota Depok."
	r := b.do(t, http.MethodPost, path+"/tolak", staf, map[string]any{"alasan": alasan}, "If-Match", tag)
	if r.status != http.StatusOK || r.body["status"] != "ditolak" || r.body["alasan"] != alasan {
		t.Fatalf("reject: %d %s", r.status, r.raw)
	}
	st := b.publicStatus(t, "depok", kode)
	if st.status != http.StatusOK || st.body["status"] != "ditolak" || st.body["alasan"] != alasan || st.body["tanggal_keputusan"] == nil {
		t.Errorf("public status after rejecting: %d %s", st.status, st.raw)
	}
	r = b.do(t, http.MethodPost, path+"/terima", staf, nil, "If-Match", r.header.Get("ETag"))
	if r.status != http.StatusConflict {
		t.Errorf("accepting a rejected one: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 0 {
		t.Errorf("%d UMKM records after a rejection", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'registrasi' and action = 'reject'"); n != 1 {
		t.Errorf("%d reject audit entries, want 1", n)
	}
}

// TestRegistrasiHoneypot: a bot that fills the hidden field gets the answer
// a person gets, and nothing is stored.
func TestRegistrasiHoneypot(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.submit(t, "depok", form(map[string]any{"situs_web": "http://spam.example"}))
	if r.status != http.StatusAccepted {
		t.Fatalf("honeypot: %d %s", r.status, r.raw)
	}
	kode, _ := r.body["kode_lacak"].(string)
	if !kodePattern.MatchString(kode) || r.body["status"] != "menunggu" || r.header.Get("Location") != "/v1/public/depok/registrasi/"+kode {
		t.Errorf("honeypot answer %s (Location %q), want one like a real registration's", r.raw, r.header.Get("Location"))
	}
	genuine := b.submit(t, "medan", form(map[string]any{"kecamatan_kode": "12.71.01", "kelurahan_kode": "12.71.01.1001"}))
	keys := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(keys(r.body), keys(genuine.body)) || r.header.Get("Content-Type") != genuine.header.Get("Content-Type") {
		t.Errorf("honeypot answer %s differs in shape from a real one %s", r.raw, genuine.raw)
	}
	for _, table := range []string{"registrasi", "audit_log", "idempotency_keys"} {
		if n := b.count(t, "depok", "select count(*) from "+table); n != 0 {
			t.Errorf("the honeypot stored %d rows in %s", n, table)
		}
	}
	if st := b.publicStatus(t, "depok", kode); st.status != http.StatusNotFound {
		t.Errorf("status of the honeypot's code: %d %s", st.status, st.raw)
	}
	// Invalid data gets the same 422 with or without the honeypot.
	bad := b.submit(t, "depok", form(map[string]any{"situs_web": "x", "tahun_mulai": 1800}))
	if bad.status != http.StatusUnprocessableEntity {
		t.Errorf("invalid data with the honeypot: %d %s", bad.status, bad.raw)
	}
}

// TestRegistrasiIsRateLimited: per client address and per tenant, counted
// in PostgreSQL; 429 with Retry-After; other tenants and addresses go on.
func TestRegistrasiIsRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.srv.TrustProxy = true // the addresses below come in X-Forwarded-For
	b.srv.RegistrasiLimits = umkm.RegistrasiLimits{
		CreatePerClient: umkm.Limit{N: 3, Window: time.Hour},
		CreatePerTenant: umkm.Limit{N: 5, Window: time.Hour},
		StatusPerClient: umkm.Limit{N: 2, Window: 10 * time.Minute},
	}
	from := func(addr string) []string { return []string{"X-Forwarded-For", addr} }
	tooMany := func(r response, window time.Duration) {
		t.Helper()
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429: %s", r.status, r.raw)
		}
		r.problem(t)
		secs, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || secs < int(window.Seconds())-60 || secs > int(window.Seconds()) {
			t.Errorf("Retry-After %q, want about %v", r.header.Get("Retry-After"), window)
		}
	}

	// One address: three tries (an invalid one counts too), then 429.
	kode := b.registered(t, "depok", form(nil), from("203.0.113.7")...)
	if r := b.submit(t, "depok", form(map[string]any{"nik": "123"}), from("203.0.113.7")...); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid: %d %s", r.status, r.raw)
	}
	b.registered(t, "depok", form(nil), from("203.0.113.7")...)
	tooMany(b.submit(t, "depok", form(nil), from("203.0.113.7")...), time.Hour)
	// The same address to another tenant, and another address to depok.
	b.registered(t, "medan", form(map[string]any{"kecamatan_kode": "12.71.01", "kelurahan_kode": "12.71.01.1001"}), from("203.0.113.7")...)
	b.registered(t, "depok", form(nil), from("198.51.100.20")...)
	b.registered(t, "depok", form(nil), from("198.51.100.21")...)
	// Depok has now had five from everywhere: the tenant limit.
	tooMany(b.submit(t, "depok", form(nil), from("198.51.100.22")...), time.Hour)
	if n := b.count(t, "depok", "select count(*) from registrasi"); n != 4 {
		t.Errorf("%d registrations stored in depok, want 4", n)
	}

	// Status lookups: per address; IPv6 by /64 network.
	for _, addr := range []string{"2001:db8:0:7::1", "2001:db8:0:7::abcd"} {
		if r := b.publicStatus2(t, kode, addr); r.status != http.StatusOK {
			t.Fatalf("status from %s: %d %s", addr, r.status, r.raw)
		}
	}
	tooMany(b.publicStatus2(t, "DPK-00000-00000", "2001:db8:0:7::ffff"), 10*time.Minute)
	if r := b.publicStatus2(t, kode, "2001:db8:0:8::1"); r.status != http.StatusOK {
		t.Errorf("status from another /64: %d %s", r.status, r.raw)
	}
}

func (b *testBundle) publicStatus2(t *testing.T, kode, addr string) response {
	t.Helper()
	return b.do(t, http.MethodGet, "/v1/public/depok/registrasi/"+kode, "", nil, "X-Forwarded-For", addr)
}

// TestRegistrasiRefusesBadInput: an oversized body is 413, invalid data 422
// naming each field in Indonesian, and nothing is stored.
func TestRegistrasiRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	big := form(map[string]any{"produk": strings.Repeat("keripik ", 3<<10)})
	r := b.submit(t, "depok", big)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d %s", r.status, r.raw)
	}
	r.problem(t)

	for _, tc := range []struct {
		name string
		body map[string]any
		want []string // locations
	}{
		{"missing fields", form(map[string]any{"nik": nil, "nama_usaha": nil}), []string{"body.nik", "body.nama_usaha"}},
		{"not for the public", form(map[string]any{"status_binaan": "binaan"}), []string{"body.status_binaan"}},
		{"blank NIK and phone", form(map[string]any{"nik": " ", "telepon": ""}), []string{"body.nik", "body.telepon"}},
		{"wrong values", form(map[string]any{"nik": "3276019913850001", "telepon": "12345", "kelurahan_kode": "32.76.02.1001",
			"tahun_mulai": 1800, "email": "bukan-email", "rt": "0"}),
			[]string{"body.nik", "body.telepon", "body.kelurahan_kode", "body.tahun_mulai", "body.email", "body.rt"}},
		{"unknown kecamatan", form(map[string]any{"kecamatan_kode": "12.71.01", "kelurahan_kode": "12.71.01.1001"}), []string{"body.kecamatan_kode"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.submit(t, "depok", tc.body)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422: %s", r.status, r.raw)
			}
			p := r.problem(t)
			for _, loc := range tc.want {
				if _, ok := p.field(loc); !ok {
					t.Errorf("no error at %s: %q", loc, p.locations())
				}
			}
			if !strings.Contains(p.Detail, "tidak valid") {
				t.Errorf("detail %q is not the Indonesian message", p.Detail)
			}
			if strings.Contains(string(r.raw), "3276019913850001") {
				t.Errorf("the NIK was echoed: %s", r.raw)
			}
		})
	}
	if msg, _ := b.submit(t, "depok", form(map[string]any{"nik": ""})).problem(t).field("body.nik"); !strings.Contains(msg, "Wajib diisi") {
		t.Errorf("blank NIK: %q", msg)
	}
	for _, table := range []string{"registrasi", "audit_log"} {
		if n := b.count(t, "depok", "select count(*) from "+table); n != 0 {
			t.Errorf("%d rows in %s after refused registrations", n, table)
		}
	}
	// An unknown tenant, and a tenant that was switched off, are not found.
	if r := b.submit(t, "nope", form(nil)); r.status != http.StatusNotFound {
		t.Errorf("unknown tenant: %d %s", r.status, r.raw)
	}
	if r := b.publicStatus(t, "nope", "DPK-00000-00000"); r.status != http.StatusNotFound {
		t.Errorf("status in an unknown tenant: %d %s", r.status, r.raw)
	}
}

// TestRegistrasiStatusTellsNoPersonalData: the public lookup answers the
// status, dates and reason, and nothing about the person or business.
func TestRegistrasiStatusTellsNoPersonalData(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	kode := b.registered(t, "depok", form(nil))
	check := func() {
		t.Helper()
		st := b.publicStatus(t, "depok", kode)
		if st.status != http.StatusOK {
			t.Fatalf("status: %d %s", st.status, st.raw)
		}
		for _, secret := range []string{formNIK, "xxx", formPhone, formName, "Siti", formEmail, formAddr, "Keripik", "32.76.01"} {
			if strings.Contains(string(st.raw), secret) {
				t.Errorf("the public status carries %q: %s", secret, st.raw)
			}
		}
		for k := range st.body {
			if !slices.Contains([]string{"$schema", "kode_lacak", "status", "tanggal_daftar", "tanggal_keputusan", "alasan"}, k) {
				t.Errorf("the public status has field %q: %s", k, st.raw)
			}
		}
	}
	check()
	id, _ := b.pendingID(t, "depok", staf, kode)
	path := "/v1/tenants/depok/registrasi/" + id.String()
	r := b.do(t, http.MethodPost, path+"/tolak", staf, map[string]any{"alasan": "Data usaha belum lengkap."}, "If-Match",
		b.do(t, http.MethodGet, path, staf, nil).header.Get("ETag"))
	if r.status != http.StatusOK {
		t.Fatalf("reject: %d %s", r.status, r.raw)
	}
	check()
	// The code is the applicant's credential: the access log does not keep it,
	// however it was typed.
	if st := b.publicStatus(t, "depok", strings.ToLower(strings.ReplaceAll(kode, "-", ""))); st.status != http.StatusOK {
		t.Errorf("code typed without dashes, in lower case: %d %s", st.status, st.raw)
	}
	for _, typed := range []string{kode, strings.ReplaceAll(kode, "-", "")} {
		if logs := b.logs.String(); strings.Contains(strings.ToUpper(logs), typed) {
			t.Errorf("the server log carries the tracking code %s", typed)
		}
	}
	if st := b.publicStatus(t, "depok", "DPK-00000-00000"); st.status != http.StatusNotFound {
		t.Errorf("unknown code: %d %s", st.status, st.raw)
	}
	// A depok code looked up under medan is unknown there.
	if st := b.publicStatus(t, "medan", kode); st.status != http.StatusNotFound {
		t.Errorf("depok's code under medan: %d %s", st.status, st.raw)
	}
}

// TestRegistrasiOfAnotherTenantIsNotFound: medan's registrations do not
// exist for depok's staff, whatever they call.
func TestRegistrasiOfAnotherTenantIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	depok, medan := b.login(t, b.depokAdmin.Email), b.login(t, b.medanStaf.Email)
	kode := b.registered(t, "medan", form(map[string]any{"kecamatan_kode": "12.71.01", "kelurahan_kode": "12.71.01.1001"}))
	id, _ := b.pendingID(t, "medan", medan, kode)

	for _, c := range []struct{ method, suffix string }{{http.MethodGet, ""}, {http.MethodPost, "/terima"}, {http.MethodPost, "/tolak"}} {
		var body any
		if c.suffix == "/tolak" {
			body = map[string]any{"alasan": "Bukan wilayah kami."}
		}
		got := b.do(t, c.method, "/v1/tenants/depok/registrasi/"+id.String()+c.suffix, depok, body, "If-Match", `"1"`)
		nope := b.do(t, c.method, "/v1/tenants/depok/registrasi/"+uuid.NewString()+c.suffix, depok, body, "If-Match", `"1"`)
		if got.status != http.StatusNotFound {
			t.Errorf("%s medan's registration through depok%s: %d %s", c.method, c.suffix, got.status, got.raw)
		}
		if got.status != nope.status || got.body["detail"] != nope.body["detail"] {
			t.Errorf("%s%s: %s differs from the answer for an unknown id %s", c.method, c.suffix, got.raw, nope.raw)
		}
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi", depok, nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("depok's list shows %d registrations of medan", len(page.Items))
	}
	if st := b.publicStatus(t, "medan", kode); st.body["status"] != "menunggu" {
		t.Errorf("medan's registration after depok's attempts: %s", st.raw)
	}
}

// TestViewerCannotDecideRegistrasi: deciding is for staf and admin.
func TestViewerCannotDecideRegistrasi(t *testing.T) {
	t.Parallel()
	b := setup(t)
	viewer := b.login(t, b.depokViewer.Email)
	kode := b.registered(t, "depok", form(nil))
	id, _ := b.pendingID(t, "depok", viewer, kode)
	path := "/v1/tenants/depok/registrasi/" + id.String()
	tag := b.do(t, http.MethodGet, path, viewer, nil).header.Get("ETag")
	for _, c := range []struct {
		suffix string
		body   any
	}{{"/terima", nil}, {"/tolak", map[string]any{"alasan": "Tidak memenuhi syarat."}}} {
		r := b.do(t, http.MethodPost, path+c.suffix, viewer, c.body, "If-Match", tag)
		if r.status != http.StatusForbidden {
			t.Errorf("viewer %s: %d %s", c.suffix, r.status, r.raw)
		}
	}
	if st := b.publicStatus(t, "depok", kode); st.body["status"] != "menunggu" {
		t.Errorf("after the viewer's attempts: %s", st.raw)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != 0 {
		t.Errorf("%d UMKM records", n)
	}
}

// TestRegistrasiDuplicateNIKAtAccept: a NIK already in the register refuses
// the acceptance with a pointer to the record, and nothing is written.
func TestRegistrasiDuplicateNIKAtAccept(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	existing := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, map[string]any{
		"nama_pemilik": "Siti A.", "nik": formNIK, "nama_usaha": "Warung Siti", "sektor": "kuliner",
		"kecamatan_kode": "32.76.01", "kelurahan_kode": "32.76.01.1007",
	})
	if existing.status != http.StatusCreated {
		t.Fatalf("create the existing UMKM: %d %s", existing.status, existing.raw)
	}
	existingID := existing.body["id"].(string)

	// The public is not told the NIK is known: that would reveal who is in
	// the register.
	kode := b.registered(t, "depok", form(nil))
	id, item := b.pendingID(t, "depok", staf, kode)
	if item["duplikat_umkm_id"] != existingID {
		t.Errorf("the waiting registration does not point at the duplicate: %v", item)
	}
	path := "/v1/tenants/depok/registrasi/" + id.String()
	tag := b.do(t, http.MethodGet, path, staf, nil).header.Get("ETag")
	umkms := b.count(t, "depok", "select count(*) from umkm")
	audits := b.count(t, "depok", "select count(*) from audit_log")

	r := b.do(t, http.MethodPost, path+"/terima", staf, nil, "If-Match", tag)
	if r.status != http.StatusConflict || r.body["existing"] != "/v1/tenants/depok/umkm/"+existingID {
		t.Fatalf("accept a duplicate NIK: %d %s", r.status, r.raw)
	}
	if _, ok := r.problem(t).field("data.nik"); !ok {
		t.Errorf("the conflict does not name data.nik: %s", r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from umkm"); n != umkms {
		t.Errorf("UMKM records %d, want %d", n, umkms)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
		t.Errorf("audit rows %d, want %d", n, audits)
	}
	got := b.do(t, http.MethodGet, path, staf, nil)
	if got.body["status"] != "menunggu" || got.header.Get("ETag") != tag {
		t.Errorf("the registration changed: %s (ETag %s, was %s)", got.raw, got.header.Get("ETag"), tag)
	}
}

// TestRegistrasiRetryIsIdempotent: the same Idempotency-Key and form (a
// retry over a bad mobile connection) get the first answer, one row.
func TestRegistrasiRetryIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.submit(t, "depok", form(nil), "Idempotency-Key", "0b6f3c2e-form-1")
	again := b.submit(t, "depok", form(nil), "Idempotency-Key", "0b6f3c2e-form-1")
	if first.status != http.StatusAccepted || again.status != http.StatusAccepted || first.body["kode_lacak"] != again.body["kode_lacak"] {
		t.Fatalf("first %d %s, retry %d %s", first.status, first.raw, again.status, again.raw)
	}
	if again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("Idempotent-Replayed: first %q, retry %q", first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
	}
	if n := b.count(t, "depok", "select count(*) from registrasi"); n != 1 {
		t.Errorf("%d registrations, want 1", n)
	}
	other := b.submit(t, "depok", form(map[string]any{"nama_usaha": "Usaha Lain"}), "Idempotency-Key", "0b6f3c2e-form-1")
	if other.status != http.StatusUnprocessableEntity {
		t.Errorf("the key with another form: %d %s", other.status, other.raw)
	}
}
