package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var (
	kelurahanOption = regexp.MustCompile(`<option value="(32\.76\.\d\d\.\d{4})"`)
	kodeLacak       = regexp.MustCompile(`<p class="kode-lacak">(DPK-[0-9A-Z]{5}-[0-9A-Z]{5})</p>`)
	staticLink      = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	decideForm      = regexp.MustCompile(`action="(/t/depok/registrasi/[0-9a-f-]{36})/terima">\s*<input type="hidden" name="versi" value="(\d+)">`)
)

// registrasiForm is a complete public form for the office's first
// kelurahan, as a business owner fills it in.
func registrasiForm(t *testing.T, page, nik, usaha string) url.Values {
	t.Helper()
	m := kelurahanOption.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the form offers no kelurahan:\n%s", page)
	}
	kunci := regexp.MustCompile(`name="kunci" value="([0-9a-f-]{36})"`).FindStringSubmatch(page)
	if kunci == nil {
		t.Fatalf("the form carries no idempotency key:\n%s", page)
	}
	return url.Values{"kunci": {kunci[1]}, "nama_pemilik": {"Siti Aminah"}, "nik": {nik}, "jenis_kelamin": {"P"},
		"telepon": {"0812-3456-7890"}, "email": {"siti@contoh.test"}, "nama_usaha": {usaha}, "sektor": {"kuliner"},
		"produk": {"Keripik singkong balado"}, "kelurahan_kode": {m[1]}, "alamat": {"Jl. Merdeka No. 7"}, "rt": {"003"},
		"rw": {"007"}, "modal_usaha": {"Rp 25.000.000"}, "saluran_penjualan": {"offline", "shopee"}, "situs_web": {""}}
}

// submitRegistrasi files a registration as the public and returns its code.
func submitRegistrasi(t *testing.T, srv *webtest.Server, nik, usaha string) string {
	t.Helper()
	pub := srv.Client(t)
	page := pub.Get("/daftar/depok")
	r := pub.Post("/daftar/depok", registrasiForm(t, page.Body, nik, usaha))
	m := kodeLacak.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("registration: status %d, no tracking code\n%s", r.Status, r.Body)
	}
	return m[1]
}

// follow takes a decision's redirect back to the queue (POST, redirect, GET).
func follow(t *testing.T, c *webtest.Client, r webtest.Response) webtest.Response {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", r.Status, r.Body)
	}
	return c.Get(r.Header.Get("Location"))
}

// TestPublicRegistration: the form without an account, small enough for a
// cheap phone on mobile data; a field error beside its field with every
// input kept; the receipt; a resubmission of the same form is the same
// registration; the status page shows no personal data.
func TestPublicRegistration(t *testing.T) {
	srv := webtest.New(t)
	pub := srv.Client(t)

	page := pub.Get("/daftar/depok")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `action="/daftar/depok"`) || strings.Contains(page.Body, "Keluar") {
		t.Fatalf("GET /daftar/depok: %d\n%s", page.Status, page.Body)
	}
	total := len(page.Body)
	for _, m := range staticLink.FindAllStringSubmatch(page.Body, -1) {
		total += len(pub.Get(m[1]).Body)
	}
	if total >= 100<<10 {
		t.Errorf("the public form weighs %d bytes with its static files, want under 100 KB", total)
	}

	form := registrasiForm(t, page.Body, "32760145078500", "Keripik Bu Siti")
	bad := pub.Post("/daftar/depok", form)
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="nik-galat"`) ||
		!strings.Contains(bad.Body, `aria-describedby="nik-petunjuk nik-galat"`) {
		t.Fatalf("a short NIK: status %d, no message beside the field\n%s", bad.Status, bad.Body)
	}
	for _, kept := range []string{`value="32760145078500"`, `value="Siti Aminah"`, `value="Keripik Bu Siti"`, `value="Rp 25.000.000"`,
		`value="shopee" checked`, `value="kuliner" selected`, `value="` + form.Get("kelurahan_kode") + `" selected`, ">Jl. Merdeka No. 7</textarea>"} {
		if !strings.Contains(bad.Body, kept) {
			t.Errorf("after the error the form lost %s", kept)
		}
	}
	noPlace := url.Values{}
	for k, vs := range form {
		noPlace[k] = vs
	}
	noPlace.Set("kelurahan_kode", "")
	if r := pub.Post("/daftar/depok", noPlace); !strings.Contains(r.Body, `<p class="galat-isian" id="kelurahan_kode-galat">Pilih kelurahan/desa dari daftar.</p>`) {
		t.Errorf("no kelurahan chosen: no message beside the field\n%s", r.Body)
	}
	if n := srv.Count(t, `select count(*) from registrasi`); n != 0 {
		t.Fatalf("an invalid form stored %d registrations", n)
	}

	form.Set("nik", "3276014507850001")
	ok := pub.Post("/daftar/depok", form)
	m := kodeLacak.FindStringSubmatch(ok.Body)
	if ok.Status != http.StatusOK || m == nil {
		t.Fatalf("a valid form: status %d, no tracking code\n%s", ok.Status, ok.Body)
	}
	kode := m[1]
	if again := pub.Post("/daftar/depok", form); !strings.Contains(again.Body, kode) {
		t.Errorf("the same form sent twice got another answer:\n%s", again.Body)
	}
	if n := srv.Count(t, `select count(*) from registrasi`); n != 1 {
		t.Fatalf("registrations stored: %d, want 1", n)
	}

	for _, path := range []string{"/lacak/" + kode, "/lacak/" + strings.ToLower(strings.ReplaceAll(kode, "-", ""))} {
		st := pub.Get(path)
		if st.Status != http.StatusOK || !strings.Contains(st.Body, "Menunggu pemeriksaan petugas") || !strings.Contains(st.Body, kode) {
			t.Fatalf("GET %s: %d\n%s", path, st.Status, st.Body)
		}
		for _, personal := range []string{"Siti", "3276014507850001", "0812", "siti@", "Merdeka", "Keripik", "3456"} {
			if strings.Contains(html.UnescapeString(st.Body), personal) {
				t.Errorf("%s shows personal data %q", path, personal)
			}
		}
	}
	if r := follow(t, pub, pub.Get("/lacak/?kode="+url.QueryEscape(kode))); r.Status != http.StatusOK || !strings.Contains(r.Body, "Menunggu") {
		t.Errorf("the lookup form did not lead to the status: %d", r.Status)
	}
	for _, path := range []string{"/lacak/DPK-00000-00000", "/lacak/XYZ-00000-00000", "/lacak/tanpa", "/daftar/tidak-ada"} {
		if r := pub.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.Status)
		}
	}
}

// TestRegistrasiReview: staf see the queue oldest first, a reason too
// short is refused beside its field and kept, accepting puts the business
// in the register, a second registration of the same NIK shows that record
// beside it and cannot be accepted; viewers read without deciding; another
// office's staff find nothing.
func TestRegistrasiReview(t *testing.T) {
	srv := webtest.New(t)
	first := submitRegistrasi(t, srv, "3276014507850001", "Keripik Bu Siti")
	second := submitRegistrasi(t, srv, "3276014507850001", "Keripik Bu Siti Cabang")

	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	list := viewer.Get("/t/depok/registrasi")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, first) || strings.Contains(list.Body, "/terima") {
		t.Fatalf("viewer's queue: %d\n%s", list.Status, list.Body)
	}
	if strings.Contains(list.Body, "3276014507850001") {
		t.Error("the queue shows a full NIK")
	}

	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	list = staf.Get("/t/depok/registrasi")
	if i, j := strings.Index(list.Body, first), strings.Index(list.Body, second); i < 0 || j < i {
		t.Fatalf("queue not oldest first (%d, %d)\n%s", i, j, list.Body)
	}
	forms := decideForm.FindAllStringSubmatch(list.Body, -1)
	if len(forms) != 2 {
		t.Fatalf("decision forms: %d, want 2\n%s", len(forms), list.Body)
	}
	if r := viewer.Post(forms[0][1]+"/terima", url.Values{"versi": {forms[0][2]}}); r.Status != http.StatusForbidden {
		t.Errorf("viewer accepting: %d, want 403", r.Status)
	}

	short := staf.Post(forms[0][1]+"/tolak", url.Values{"versi": {forms[0][2]}, "alasan": {"x"}})
	if short.Status != http.StatusUnprocessableEntity || !strings.Contains(short.Body, "Alasan wajib diisi, 3–500 karakter.") ||
		!strings.Contains(short.Body, ">x</textarea>") {
		t.Fatalf("a short reason: %d\n%s", short.Status, short.Body)
	}

	acc := follow(t, staf, staf.Post(forms[0][1]+"/terima", url.Values{"versi": {forms[0][2]}}))
	if acc.Status != http.StatusOK || !strings.Contains(acc.Body, "Pendaftaran "+first+" diterima") {
		t.Fatalf("accept: %d\n%s", acc.Status, acc.Body)
	}
	if n := srv.Count(t, `select count(*) from umkm where sumber = 'registrasi_online' and nama_usaha = 'Keripik Bu Siti'`); n != 1 {
		t.Fatalf("accepted registrations in the register: %d", n)
	}
	if !strings.Contains(acc.Body, "Kemungkinan duplikat di register") {
		t.Errorf("the second registration does not show the record of the same NIK beside it:\n%s", acc.Body)
	}
	again := decideForm.FindAllStringSubmatch(acc.Body, -1)
	if len(again) != 1 {
		t.Fatalf("decision forms after accepting: %d\n%s", len(again), acc.Body)
	}
	dup := staf.Post(again[0][1]+"/terima", url.Values{"versi": {again[0][2]}})
	if dup.Status != http.StatusConflict || !strings.Contains(dup.Body, "NIK ini sudah terdaftar pada UMKM lain.") {
		t.Errorf("accepting a duplicate: %d\n%s", dup.Status, dup.Body)
	}
	stale := staf.Post(forms[0][1]+"/terima", url.Values{"versi": {forms[0][2]}})
	if stale.Status != http.StatusConflict || !strings.Contains(stale.Body, "sudah diputuskan") {
		t.Errorf("accepting twice: %d\n%s", stale.Status, stale.Body)
	}

	rej := follow(t, staf, staf.Post(again[0][1]+"/tolak", url.Values{"versi": {again[0][2]}, "alasan": {"Usaha ini sudah terdaftar di Dinas."}}))
	if rej.Status != http.StatusOK || !strings.Contains(rej.Body, "ditolak") {
		t.Fatalf("reject: %d\n%s", rej.Status, rej.Body)
	}
	if st := srv.Client(t).Get("/lacak/" + second); !strings.Contains(st.Body, "Usaha ini sudah terdaftar di Dinas.") {
		t.Errorf("the applicant does not read the reason:\n%s", st.Body)
	}
	if r := staf.Get("/t/depok/registrasi?status=diterima"); !strings.Contains(r.Body, first) {
		t.Errorf("accepted tab lacks %s", first)
	}

	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if r := medan.Get("/t/depok/registrasi"); r.Status != http.StatusNotFound {
		t.Errorf("another office's staff: %d, want 404", r.Status)
	}
}
