package httpapi

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// secret is the password in the bad requests below: it must never come back.
const secret = "rahasia-sekali-2026"

// writeCounts are the rows a refused request must not have added.
type writeCounts struct{ users, audit, sessions, failures, keys int }

func (b *testBundle) writeCounts(t *testing.T) writeCounts {
	t.Helper()
	return writeCounts{
		users:    b.count(t, "", "select count(*) from users"),
		audit:    b.count(t, "depok", "select count(*) from audit_log"),
		sessions: b.count(t, "", "select count(*) from sessions"),
		failures: b.count(t, "", "select count(*) from login_failures"),
		keys:     b.count(t, "depok", "select count(*) from idempotency_keys"),
	}
}

// TestBadInputIsRefusedPrecisely: malformed or invalid bodies get the right
// status and a problem+json naming the field, in Indonesian by default and in
// English on request; the password is never echoed; nothing is written.
func TestBadInputIsRefusedPrecisely(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	const users, login = "/v1/tenants/depok/users", "/v1/auth/login"
	valid := `"email":"baru@depok.test","name":"Baru","role":"staf","password":"` + secret + `"`

	for _, tc := range []struct {
		name     string
		path     string
		body     string
		status   int
		location string // "" when the error is about no single field
		id, en   string // part of the field's message (or of detail without a location)
	}{
		{"create: malformed JSON", users, `{` + valid, 400, "body",
			"bukan JSON yang valid", "not valid JSON"},
		{"create: malformed JSON after the password", users, `{"password":"` + secret + `", "email": }`, 400, "body",
			"bukan JSON yang valid", "not valid JSON"},
		{"create: wrong type", users, `{"email":5,"name":"Baru","role":"staf","password":"` + secret + `"}`, 422, "body.email",
			"harus berupa teks", "expected string"},
		{"create: password of the wrong type", users, `{"email":"baru@depok.test","name":"Baru","role":"staf","password":123456789012345}`, 422, "body.password",
			"harus berupa teks", "expected string"},
		{"create: unknown field", users, `{` + valid + `,"nickname":"x"}`, 422, "body.nickname",
			"tidak dikenal", "unexpected property"},
		{"create: missing field", users, `{"email":"baru@depok.test","role":"staf","password":"` + secret + `"}`, 422, "body.name",
			"wajib diisi", "expected required property name"},
		{"create: oversized body", users, `{` + valid + `,"name":"` + strings.Repeat("x", 20<<10) + `"}`, 413, "",
			"terlalu besar", "too large"},
		{"create: bad role", users, `{"email":"baru@depok.test","name":"Baru","role":"superadmin","password":"` + secret + `"}`, 422, "body.role",
			"harus salah satu dari", "expected value to be one of"},
		{"create: province role", users, `{"email":"baru@depok.test","name":"Baru","role":"platform_admin","password":"` + secret + `"}`, 422, "body.role",
			"harus salah satu dari", "expected value to be one of"},
		{"create: invalid e-mail", users, `{"email":"baru-at-depok","name":"Baru","role":"staf","password":"` + secret + `"}`, 422, "body.email",
			"Alamat email tidak valid", "Not a valid e-mail address"},
		{"create: short password", users, `{"email":"baru@depok.test","name":"Baru","role":"staf","password":"pendek"}`, 422, "body.password",
			"panjang minimal 12", "expected length >= 12"},
		{"create: common password", users, `{"email":"baru@depok.test","name":"Baru","role":"staf","password":"Password123456"}`, 422, "body.password",
			"terlalu umum", "too common"},
		{"create: blank name", users, `{"email":"baru@depok.test","name":"   ","role":"staf","password":"` + secret + `"}`, 422, "body.name",
			"Nama wajib diisi", "Name is required"},
		{"create: empty body", users, ``, 400, "",
			"Isi permintaan wajib ada", "request body is required"},

		{"login: malformed JSON", login, `{"email":"admin@depok.test","password":"` + secret + `"`, 400, "body",
			"bukan JSON yang valid", "not valid JSON"},
		{"login: wrong type", login, `{"email":["admin@depok.test"],"password":"` + secret + `"}`, 422, "body.email",
			"harus berupa teks", "expected string"},
		{"login: unknown field", login, `{"email":"admin@depok.test","password":"` + secret + `","remember":true}`, 422, "body.remember",
			"tidak dikenal", "unexpected property"},
		{"login: missing password", login, `{"email":"admin@depok.test"}`, 422, "body.password",
			"wajib diisi", "expected required property password"},
		{"login: oversized body", login, `{"email":"admin@depok.test","password":"` + strings.Repeat("x", 5<<10) + `"}`, 413, "",
			"terlalu besar", "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := b.writeCounts(t)
			for _, lang := range []struct{ header, want string }{{"", tc.id}, {"en", tc.en}} {
				var headers []string
				if lang.header != "" {
					headers = []string{"Accept-Language", lang.header}
				}
				token := admin
				if tc.path == login {
					token = ""
				}
				r := b.do(t, http.MethodPost, tc.path, token, tc.body, headers...)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
				}
				p := r.problem(t)
				msg := p.Detail
				if tc.location != "" {
					m, ok := p.field(tc.location)
					if !ok {
						t.Fatalf("no error at %s; errors at %q", tc.location, p.locations())
					}
					msg = m
				}
				if !strings.Contains(msg, lang.want) {
					t.Errorf("Accept-Language %q: message %q, want it to contain %q", lang.header, msg, lang.want)
				}
				if strings.Contains(string(r.raw), secret) || strings.Contains(string(r.raw), "123456789012345") {
					t.Errorf("the password is echoed back: %s", r.raw)
				}
				for _, e := range p.Errors {
					if strings.Contains(e.Location, "password") && e.Value != nil {
						t.Errorf("a value is echoed for %s: %v", e.Location, e.Value)
					}
				}
			}
			if after := b.writeCounts(t); after != before {
				t.Errorf("rows written by a refused request: before %+v, after %+v", before, after)
			}
		})
	}
}

// TestBadQueryIsRefused: unknown parameters, bad cursors and limits outside
// 1–500 are errors naming the parameter, not ignored.
func TestBadQueryIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	notUUID := base64.RawURLEncoding.EncodeToString([]byte("not-a-uuid"))
	for _, tc := range []struct{ path, location string }{
		{"/v1/tenants/depok/users?sort=email", "query.sort"},
		{"/v1/tenants/depok/wilayah?kecamatan=x", "query.kecamatan"},
		{"/v1/tenants?q=depok", "query.q"},
		{"/v1/tenants/depok/users?cursor=***", "query.cursor"},
		{"/v1/tenants/depok/users?cursor=" + notUUID, "query.cursor"},
		{"/v1/tenants/depok/audit?cursor=" + notUUID, "query.cursor"},
		{"/v1/tenants/depok/wilayah?cursor=***", "query.cursor"},
		{"/v1/tenants?cursor=***", "query.cursor"},
		{"/v1/tenants/depok/users?limit=0", "query.limit"},
		{"/v1/tenants/depok/users?limit=501", "query.limit"},
		{"/v1/tenants/depok/wilayah?limit=0", "query.limit"},
		{"/v1/tenants/depok/audit?limit=501", "query.limit"},
		{"/v1/tenants/depok/audit?limit=dua", "query.limit"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := b.do(t, http.MethodGet, tc.path, admin, nil)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", r.status, r.raw)
			}
			if _, ok := r.problem(t).field(tc.location); !ok {
				t.Errorf("no error at %s: %s", tc.location, r.raw)
			}
		})
	}
	// The bounds themselves are fine.
	for _, path := range []string{"/v1/tenants/depok/users?limit=1", "/v1/tenants/depok/users?limit=500"} {
		if r := b.do(t, http.MethodGet, path, admin, nil); r.status != http.StatusOK {
			t.Errorf("%s: %d %s", path, r.status, r.raw)
		}
	}
}

// TestControlCharactersAreRefused: a NUL pasted from another system is a
// 422 naming the field; nothing is written.
func TestControlCharactersAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	wantProblem(t, b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("Warung\x00Siti", "Siti", kelDepok)),
		http.StatusUnprocessableEntity, "body.nama_usaha", "karakter kontrol")
	wantProblem(t, b.do(t, http.MethodPost, "/v1/tenants/depok/koperasi", staf, kBody("KSU\x00Maju", kelDepok)),
		http.StatusUnprocessableEntity, "body.nama", "karakter kontrol")

	id, _ := b.newUMKM(t, "depok", staf, uBody("Warung Siti", "Siti", kelDepok))
	wantProblem(t, b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+id+"/kendala", staf, map[string]any{"kategori": "pemasaran", "catatan": "sepi\x00pembeli"}),
		http.StatusUnprocessableEntity, "body.catatan", "karakter kontrol")
	var n int
	if err := b.env.DB.InTenantTx(t.Context(), b.tenants["depok"], func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), `select (select count(*) from umkm where nama_usaha like 'Warung%') + (select count(*) from koperasi) + (select count(*) from umkm_kendala)`).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d rows written, want only the one valid business", n)
	}
}

// TestHugeIntegersNameTheField: integers past what the record can hold are
// refused at their field, in the caller's language, without the JSON
// decoder's text.
func TestHugeIntegersNameTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	base := `"nama_usaha":"Warung X","nama_pemilik":"Ani","sektor":"kuliner","kecamatan_kode":"32.76.01","kelurahan_kode":"32.76.01.1006"`
	for _, c := range []struct{ path, extra, location string }{
		{"/v1/tenants/depok/umkm", `"tahun_mulai":1e20`, "body.tahun_mulai"},
		{"/v1/tenants/depok/umkm", `"modal_usaha":1e19`, "body.modal_usaha"},
		{"/v1/tenants/depok/umkm", `"omzet_tahunan":9223372036854775808`, "body.omzet_tahunan"},
		{"/v1/public/depok/registrasi", `"nik":"3276014507850002","telepon":"081234567890","tahun_mulai":1e20`, "body.tahun_mulai"},
	} {
		token := staf
		if strings.Contains(c.path, "public") {
			token = ""
		}
		r := b.do(t, http.MethodPost, c.path, token, "{"+base+","+c.extra+"}")
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", c.extra, r.status, r.raw)
			continue
		}
		if _, ok := r.problem(t).field(c.location); !ok || strings.Contains(string(r.raw), "Go struct") {
			t.Errorf("%s: want an error at %s without decoder text, got %s", c.extra, c.location, r.raw)
		}
		if strings.Contains(string(r.raw), "3276014507850002") || strings.Contains(string(r.raw), "Warung X") {
			t.Errorf("%s: the answer echoes the request: %s", c.extra, r.raw)
		}
	}
}

// TestLibraryTextStaysOut: a malformed UUID in a body or a path is named in
// the caller's language, without the UUID library's own error text.
func TestLibraryTextStaysOut(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin, staf := b.login(t, b.depokAdmin.Email), b.login(t, b.depokStaf.Email)
	id, etag := b.newUMKM(t, "depok", staf, uBody("Warung Siti", "Siti", kelDepok))
	for _, r := range []response{
		b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+id+"/gabung", admin, `{"sumber_id":"abc"}`, "If-Match", etag),
		b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/xyz", staf, nil),
	} {
		if r.status != http.StatusUnprocessableEntity || strings.Contains(string(r.raw), "%!") || strings.Contains(string(r.raw), "UUID length") {
			t.Errorf("%d %s", r.status, r.raw)
		}
	}
}

// TestBadBytesNameTheParameter: a NUL or a byte that is not UTF-8 in a query
// parameter or the Idempotency-Key is a 422 naming it (it used to reach
// PostgreSQL and come back unnamed).
func TestBadBytesNameTheParameter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	for _, c := range []struct {
		name, method, path string
		body               any
		headers            []string
		location           string
	}{
		{"list kecamatan NUL", http.MethodGet, "/v1/tenants/depok/umkm?kecamatan=%00", nil, nil, "query.kecamatan"},
		{"list kelurahan 0xFF", http.MethodGet, "/v1/tenants/depok/umkm?kelurahan=%FF", nil, nil, "query.kelurahan"},
		{"list q NUL", http.MethodGet, "/v1/tenants/depok/umkm?q=warung%00", nil, nil, "query.q"},
		{"export q NUL", http.MethodPost, "/v1/tenants/depok/umkm/ekspor?q=a%00b", nil, nil, "query.q"},
		{"create Idempotency-Key 0xFF", http.MethodPost, "/v1/tenants/depok/umkm", uBody("Warung Baru", "Ani", kelDepok), []string{"Idempotency-Key", "k\xff"}, "header.Idempotency-Key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, b.do(t, c.method, c.path, staf, c.body, c.headers...), http.StatusUnprocessableEntity, c.location, "tidak terbaca")
		})
	}
}

// TestInvalidUTF8BodyIsRefused: a byte that is not UTF-8 inside a JSON
// string is refused, not stored as U+FFFD.
func TestInvalidUTF8BodyIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf,
		"{\"nama_usaha\":\"Caf\xe9 Ani\",\"nama_pemilik\":\"Ani\",\"sektor\":\"kuliner\",\"kecamatan_kode\":\"32.76.01\",\"kelurahan_kode\":\"32.76.01.1006\"}")
	if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity {
		t.Errorf("%d %s", r.status, r.raw)
	}
}

// TestImportHeaderEchoIsBounded: a header whose first cell opens a quote
// that never closes swallows the whole file; the refusal says the file is
// damaged and does not echo it (NIKs and all).
func TestImportHeaderEchoIsBounded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	file := "\"Nama Pemilik,NIK,Nama Usaha,Sektor,Kecamatan (kode atau nama),Kelurahan/Desa (kode atau nama)\n" +
		"Siti Aminah," + nikSiti + ",Warung,kuliner,32.76.01,32.76.01.1006\n" +
		strings.Repeat("Budi,3276010101800002,Bakso,kuliner,32.76.01,32.76.01.1006\n", 2000)
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/impor", staf, file, "Content-Type", "text/csv")
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if len(r.raw) > 4<<10 || strings.Contains(string(r.raw), nikSiti) {
		t.Errorf("a %d-byte upload got a %d-byte 422; NIK echoed: %v", len(file), len(r.raw), strings.Contains(string(r.raw), nikSiti))
	}
}
