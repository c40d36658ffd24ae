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

// agensiLuar adds Depok's Baznas as an agency and returns its id, read
// from the list page's form.
func agensiLuar(t *testing.T, c *webtest.Client) string {
	t.Helper()
	if r := c.Post("/t/depok/program/agensi", url.Values{"agensi_nama": {"Baznas Kota Depok"}, "agensi_jenis": {"baznas"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("agency: status %d\n%s", r.Status, r.Body)
	}
	page := c.Get("/t/depok/program/luar")
	m := regexp.MustCompile(`<option value="([0-9a-f-]{36})">Baznas Kota Depok</option>`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the agency is not offered:\n%s", page.Body)
	}
	return m[1]
}

// TestLuarPages: a list uploaded as a dry run, its report, stored from the
// report page; the unmatched rows waiting with a filled-in registration
// form and a search of the register; one matched, one discarded. A
// viewer reads without the actions; another office sees nothing.
func TestLuarPages(t *testing.T) {
	srv := webtest.New(t)
	srv.Work(t)
	c := srv.Client(t)
	c.Login(webtest.StafDepok)
	agensi := agensiLuar(t, c)
	fields := url.Values{"agensi_id": {agensi}, "program_nama": {"Zakat Produktif"}, "jenis": {"bantuan_modal"}, "tahun": {"2026"}, "mode": {"uji"}}

	t.Run("bad choices and files stay on the form, beside their field", func(t *testing.T) {
		bad := url.Values{"agensi_id": {agensi}, "program_nama": {""}, "jenis": {"bantuan_modal"}, "tahun": {"1990"}, "mode": {"terapkan"}}
		r := c.Upload("/t/depok/program/luar/impor", bad, "berkas", "daftar.csv", []byte("Nama Pemilik\nSiti\n"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="program_nama-galat"`) || !strings.Contains(r.Body, `id="tahun-galat"`) ||
			!strings.Contains(r.Body, `value="terapkan" checked`) {
			t.Fatalf("status %d\n%s", r.Status, r.Body)
		}
		r = c.Upload("/t/depok/program/luar/impor", fields, "berkas", "daftar.csv", []byte("NIK;Nama Usaha\n3276014507850001;Kue\n"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Kolom wajib tidak ada: Nama Pemilik.") {
			t.Fatalf("missing column: status %d\n%s", r.Status, r.Body)
		}
	})

	list := "Nama Peserta,Nama UMKM,Desa/Kelurahan,Status\nDodi Baru,Sablon Dodi Baru,Depok Jaya,lulus\nEko Baru,Bengkel Eko Baru,Depok Jaya,lulus\n"
	r := c.Upload("/t/depok/program/luar/impor", fields, "berkas", "baznas.csv", []byte(list))
	dry := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(dry) {
		t.Fatalf("upload: status %d, Location %q\n%s", r.Status, dry, r.Body)
	}
	page := awaitJob(t, c, dry)
	for _, want := range []string{"Uji coba: belum ada yang disimpan.", "Belum cocok", "tidak ada di register", "Simpan daftar", "Unduh laporan (CSV)"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the dry run's page lacks %q", want)
		}
	}
	if n := srv.Count(t, "select count(*) from partisipasi_luar"); n != 0 {
		t.Fatalf("the dry run stored %d rows", n)
	}
	r = c.Post(dry+"/terapkan", url.Values{})
	if r.Status != http.StatusNotFound { // the umkm route refuses another kind of job
		t.Errorf("the register's apply took a list's dry run: %d", r.Status)
	}
	r = c.Post(strings.Replace(dry, "/pekerjaan/", "/program/luar/impor/", 1)+"/terapkan", url.Values{})
	stored := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(stored) {
		t.Fatalf("store: status %d\n%s", r.Status, r.Body)
	}
	if page := awaitJob(t, c, stored); !strings.Contains(page.Body, "Baris sudah disimpan") {
		t.Fatalf("the stored list's page:\n%s", page.Body)
	}

	waiting := c.Get("/t/depok/program/luar")
	for _, want := range []string{"Sablon Dodi Baru", "Bengkel Eko Baru", "Zakat Produktif", ">Buang</button>", "Daftar agensi lain",
		"/umkm/baru?kelurahan_kode=32.76.01.1007"} {
		if !strings.Contains(waiting.Body, want) {
			t.Errorf("the waiting rows lack %q", want)
		}
	}
	daftar := regexp.MustCompile(`href="(/t/depok/umkm/baru\?[^"]+nama_usaha=Sablon[^"]*)"`).FindStringSubmatch(waiting.Body)
	if daftar == nil {
		t.Fatal("no registration link for the row")
	}
	form := c.Get(html.UnescapeString(daftar[1]))
	if !strings.Contains(form.Body, `value="Sablon Dodi Baru"`) || !strings.Contains(form.Body, `value="32.76.01.1007" selected`) {
		t.Errorf("the registration form is not filled in from the row:\n%s", form.Body)
	}
	// Registered by hand, then matched from the row's page.
	srv.Exec(t, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, kecamatan_kode, kelurahan_kode, sumber)
		select id, gen_random_uuid(), 'Dodi Baru', 'Sablon Dodi Baru', 'jasa', '32.76.01', '32.76.01.1007', 'staf' from tenants where slug = 'depok'`)
	cocok := regexp.MustCompile(`href="(/t/depok/program/luar/baris/[0-9a-f-]{36})">Cocokkan`).FindAllStringSubmatch(waiting.Body, -1)
	if len(cocok) != 2 {
		t.Fatalf("match links: %v", cocok)
	}
	var sablon, bengkel string
	for _, m := range cocok {
		if p := c.Get(m[1]); strings.Contains(p.Body, "<dd>Sablon Dodi Baru</dd>") {
			sablon = m[1]
			pick := regexp.MustCompile(`name="umkm_id" value="([0-9a-f-]{36})"`).FindStringSubmatch(p.Body)
			if pick == nil {
				t.Fatalf("the register record is not offered:\n%s", p.Body)
			}
			if r := c.Post(m[1]+"/cocok", url.Values{"umkm_id": {pick[1]}}); r.Status != http.StatusSeeOther {
				t.Fatalf("match: %d\n%s", r.Status, r.Body)
			}
		} else {
			bengkel = m[1]
		}
	}
	if r := c.Post(bengkel+"/buang", url.Values{}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/t/depok/program/luar?pesan=buang" {
		t.Fatalf("discard: %d %v", r.Status, r.Header)
	}
	if n := srv.Count(t, "select count(*) from partisipasi_luar where status = 'cocok' and cocok_oleh = 'staf'"); n != 1 {
		t.Errorf("staff matches: %d", n)
	}
	if p := c.Get("/t/depok/program/luar?pesan=buang"); !strings.Contains(p.Body, "Baris dibuang.") || !strings.Contains(p.Body, "Tidak ada baris yang menunggu.") {
		t.Errorf("after the steps:\n%s", p.Body)
	}

	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	if p := viewer.Get("/t/depok/program/luar"); p.Status != http.StatusOK || strings.Contains(p.Body, "Impor daftar</h2>") || strings.Contains(p.Body, ">Buang<") {
		t.Errorf("viewer: status %d, with write actions", p.Status)
	}
	if r := viewer.Post(sablon+"/buang", url.Values{}); r.Status != http.StatusForbidden {
		t.Errorf("viewer discards: %d", r.Status)
	}
	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if r := medan.Get(strings.Replace(sablon, "/t/depok/", "/t/medan/", 1)); r.Status != http.StatusNotFound {
		t.Errorf("Medan reads Depok's row: %d", r.Status)
	}
}

// TestLuarTerapkanUnfinished: a list's dry run is applied as the
// register's is: not before its report exists (409, nothing queued), and
// never another office's job.
func TestLuarTerapkanUnfinished(t *testing.T) {
	srv := webtest.New(t) // no workers: the dry run stays queued
	c, medan := srv.Client(t), srv.Client(t)
	c.Login(webtest.StafDepok)
	medan.Login(webtest.StafMedan)
	agensi := agensiLuar(t, c)
	fields := url.Values{"agensi_id": {agensi}, "program_nama": {"Zakat Produktif"}, "jenis": {"bantuan_modal"}, "tahun": {"2026"}, "mode": {"uji"}}
	r := c.Upload("/t/depok/program/luar/impor", fields, "berkas", "baznas.csv", []byte("Nama Peserta,Nama UMKM\nDodi,Sablon Dodi\n"))
	dry := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(dry) {
		t.Fatalf("upload: status %d, Location %q\n%s", r.Status, dry, r.Body)
	}
	apply := strings.Replace(dry, "/pekerjaan/", "/program/luar/impor/", 1) + "/terapkan"
	r = c.Post(apply, url.Values{})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "Uji coba belum selesai") {
		t.Errorf("applying an unfinished dry run: status %d, want 409 with its reason\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, "select count(*) from pekerjaan where jenis = 'impor_luar'"); n != 1 {
		t.Errorf("%d list jobs after the refused apply, want the dry run only", n)
	}
	if r := medan.Post(strings.Replace(apply, "/t/depok/", "/t/medan/", 1), url.Values{}); r.Status != http.StatusNotFound {
		t.Errorf("another office applying depok's dry run: status %d, want 404", r.Status)
	}
}
