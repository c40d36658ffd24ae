package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// ImportFile is the template with two good rows and one refused: a NIK of
// 15 digits.
func importFile() []byte {
	tpl := string(umkm.Template())
	header, example, _ := strings.Cut(tpl, "\n")
	second := strings.Replace(strings.Replace(example, "3276014507850001", "3276015508900002", 1), "Keripik Singkong Bu Siti", "Kue Basah Bu Rina", 1)
	second = strings.Replace(second, "Siti Aminah", "Rina Marlina", 1)
	bad := strings.Replace(strings.Replace(example, "3276014507850001", "327601450785000", 1), "Keripik Singkong Bu Siti", "Warung Salah", 1)
	bad = strings.Replace(bad, "Siti Aminah", "Ahmad Salah", 1)
	return []byte(header + "\n" + strings.TrimSpace(example) + "\n" + strings.TrimSpace(second) + "\n" + strings.TrimSpace(bad) + "\n")
}

var jobLink = regexp.MustCompile(`^/t/depok/pekerjaan/[0-9a-f-]{36}$`)

// awaitJob reloads a job's page until it no longer polls.
func awaitJob(t *testing.T, c *webtest.Client, path string) webtest.Response {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r := c.Get(path)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: status %d\n%s", path, r.Status, r.Body)
		}
		if !strings.Contains(r.Body, `hx-trigger="every 1s"`) {
			return r
		}
		if !strings.Contains(r.Body, `>Muat ulang</a>`) {
			t.Fatalf("a running job without a way to reload it:\n%s", r.Body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s did not finish:\n%s", path, r.Body)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestImportPages: upload, a dry run's report, apply, the job found again,
// the report downloaded; another office's job is not found.
func TestImportPages(t *testing.T) {
	srv := webtest.New(t)
	srv.Work(t)
	c := srv.Client(t)
	c.Login(webtest.StafDepok)

	form := c.Get("/t/depok/impor")
	if form.Status != http.StatusOK || !strings.Contains(form.Body, `enctype="multipart/form-data"`) ||
		!strings.Contains(form.Body, `value="uji" checked`) {
		t.Fatalf("the form, dry run by default: status %d\n%s", form.Status, form.Body)
	}
	if tpl := c.Get("/t/depok/impor/template"); tpl.Status != http.StatusOK || !strings.Contains(tpl.Header.Get("Content-Disposition"), "template-impor-umkm.csv") {
		t.Errorf("template: status %d, %v", tpl.Status, tpl.Header)
	}

	t.Run("a file that is not a sheet stays on the form with the API's words", func(t *testing.T) {
		r := c.Upload("/t/depok/impor", url.Values{"mode": {"terapkan"}, "ketat": {"ya"}}, "berkas", "foto.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="berkas-galat"`) {
			t.Fatalf("status %d\n%s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, `value="terapkan" checked`) || !strings.Contains(r.Body, `name="ketat" value="ya" checked`) {
			t.Error("the choices made are lost")
		}
		if r := c.Upload("/t/depok/impor", nil, "berkas", "", nil); !strings.Contains(r.Body, "Pilih berkas CSV atau XLSX.") {
			t.Errorf("no file: status %d", r.Status)
		}
	})

	r := c.Upload("/t/depok/impor", url.Values{"mode": {"uji"}}, "berkas", "pendataan.csv", importFile())
	dry := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(dry) {
		t.Fatalf("upload: status %d, Location %q\n%s", r.Status, dry, r.Body)
	}
	page := awaitJob(t, c, dry)
	for _, want := range []string{"Uji coba: belum ada yang ditulis.", "pendataan.csv", "Terapkan impor", ">NIK<", "Unduh laporan (CSV)"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the dry run's page lacks %q:\n%s", want, page.Body[strings.Index(page.Body, "<tbody"):])
		}
	}
	if n := srv.Count(t, "select count(*) from umkm where nama_usaha = 'Kue Basah Bu Rina'"); n != 0 {
		t.Fatalf("the dry run wrote %d rows", n)
	}
	invalid := c.Get(dry + "?hasil=tidak_valid")
	if strings.Count(invalid.Body, `<tr class="hasil-tidak_valid">`) == 0 || strings.Contains(invalid.Body, `<tr class="hasil-baru">`) {
		t.Errorf("the filter by result:\n%s", invalid.Body)
	}
	report := regexp.MustCompile(`href="(/t/depok/berkas/[0-9a-f-]+)"`).FindStringSubmatch(page.Body)
	if report == nil {
		t.Fatal("no report link")
	}
	if f := c.Get(report[1]); f.Status != http.StatusOK || !strings.Contains(f.Body, "baris,hasil,umkm_id") {
		t.Errorf("report download: status %d", f.Status)
	}

	r = c.Post(dry+"/terapkan", url.Values{})
	applied := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(applied) || applied == dry {
		t.Fatalf("apply: status %d, Location %q\n%s", r.Status, applied, r.Body)
	}
	page = awaitJob(t, c, applied)
	if !strings.Contains(page.Body, "Perubahan sudah ditulis ke register.") || strings.Contains(page.Body, "Terapkan impor") {
		t.Errorf("the applied import's page:\n%s", page.Body)
	}
	if n := srv.Count(t, "select count(*) from umkm where nama_usaha in ('Kue Basah Bu Rina', 'Keripik Singkong Bu Siti')"); n != 2 {
		t.Errorf("%d of the 2 good rows written", n)
	}

	mine := c.Get("/t/depok/pekerjaan")
	if !strings.Contains(mine.Body, `href="`+dry+`"`) || !strings.Contains(mine.Body, `href="`+applied+`"`) {
		t.Errorf("Pekerjaan saya lacks the two jobs:\n%s", mine.Body)
	}

	t.Run("the export of a search is a job with its file", func(t *testing.T) {
		r := c.Post("/t/depok/umkm/ekspor", url.Values{"q": {"Kue Basah"}, "format": {"csv"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", r.Status, r.Body)
		}
		page := awaitJob(t, c, r.Header.Get("Location"))
		if !strings.Contains(page.Body, "Unduh berkas") || !strings.Contains(page.Body, "1 usaha diekspor.") {
			t.Errorf("export page:\n%s", page.Body)
		}
	})

	t.Run("another office's job is not found", func(t *testing.T) {
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		other := medan.Get(strings.Replace(dry, "/t/depok/", "/t/medan/", 1))
		if other.Status != http.StatusNotFound {
			t.Errorf("status %d", other.Status)
		}
		viewer := srv.Client(t)
		viewer.Login(webtest.ViewerDepok)
		if r := viewer.Get(dry); r.Status != http.StatusNotFound {
			t.Errorf("a viewer opens the staf's job: status %d", r.Status)
		}
		if r := viewer.Get("/t/depok/impor"); r.Status != http.StatusForbidden {
			t.Errorf("a viewer opens the import form: status %d", r.Status)
		}
	})
}
