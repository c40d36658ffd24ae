package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var berkasLink = regexp.MustCompile(`href="(/t/depok/berkas/[0-9a-f-]+)"`)

// download follows a finished export job's page to its file's rows.
func download(t *testing.T, c *webtest.Client, job string) [][]string {
	t.Helper()
	page := awaitJob(t, c, job)
	m := berkasLink.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no file on the job's page:\n%s", page.Body)
	}
	f := c.Get(m[1])
	if f.Status != http.StatusOK {
		t.Fatalf("download: status %d", f.Status)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(f.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("export is no CSV: %v\n%s", err, f.Body)
	}
	return rows
}

// TestProgramEksporPages: the export buttons of the programme list, the
// programme page and the never-helped page queue their jobs; a
// participant export without an agency or with a short purpose stays on
// the page beside its field and writes nothing; the sharing log shows on
// the programme page.
func TestProgramEksporPages(t *testing.T) {
	srv := webtest.New(t)
	srv.Work(t)
	in1, _, _ := inKecamatan(t, srv)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	depok := srv.Tenants["depok"].ID
	p := newProgram(t, staf, "depok", url.Values{"nama": {"Pelatihan Pengemasan"}, "jenis": {"pelatihan"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"5"}, "target": {"5"}, "status": {"dibuka"}})
	if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
	}

	list := staf.Get("/t/depok/program?tahun=2026")
	if !strings.Contains(list.Body, `action="/t/depok/program/ekspor"`) || !strings.Contains(list.Body, `<input type="hidden" name="tahun" value="2026">`) {
		t.Fatalf("the programme list has no export carrying its filters:\n%s", list.Body)
	}
	r := staf.Post("/t/depok/program/ekspor", url.Values{"tahun": {"2026"}, "format": {"csv"}})
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(r.Header.Get("Location")) {
		t.Fatalf("export programmes: status %d, Location %q", r.Status, r.Header.Get("Location"))
	}
	if rows := download(t, staf, r.Header.Get("Location")); len(rows) != 2 || rows[1][1] != "Pelatihan Pengemasan" {
		t.Errorf("programme export: %q", rows)
	}

	page := staf.Get(p)
	m := regexp.MustCompile(`<option value="([0-9a-f-]{36})">Dinas KUMKM depok</option>`).FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, `action="`+p+`/peserta/ekspor"`) {
		t.Fatalf("the programme page has no participant export with the agencies:\n%s", page.Body)
	}
	r = staf.Post(p+"/peserta/ekspor", url.Values{"agensi_id": {m[1]}, "tujuan": {"pendek"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="ekspor-tujuan-galat"`) || !strings.Contains(r.Body, ">pendek</textarea>") {
		t.Errorf("a short purpose: status %d, want 422 beside the field with what was typed:\n%s", r.Status, r.Body)
	}
	r = staf.Post(p+"/peserta/ekspor", url.Values{"tujuan": {"Verifikasi calon penerima bantuan"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="ekspor-agensi_id-galat"`) {
		t.Errorf("no agency: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, "select count(*) from program_ekspor where tenant_id = $1", depok); n != 0 {
		t.Errorf("%d sharing log rows after refused exports", n)
	}
	r = staf.Post(p+"/peserta/ekspor", url.Values{"agensi_id": {m[1]}, "tujuan": {"Undangan pelatihan lanjutan 2027"}, "format": {"csv"}})
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(r.Header.Get("Location")) {
		t.Fatalf("export participants: status %d:\n%s", r.Status, r.Body)
	}
	if rows := download(t, staf, r.Header.Get("Location")); len(rows) != 2 || rows[1][2] != in1.NamaUsaha {
		t.Errorf("participant export: %q", rows)
	}
	page = staf.Get(p)
	if !strings.Contains(page.Body, "Undangan pelatihan lanjutan 2027") || !strings.Contains(page.Body, "Catatan berbagi daftar peserta") {
		t.Errorf("the sharing log is not on the programme page:\n%s", page.Body)
	}

	belum := staf.Get("/t/depok/program/belum-pernah?kecamatan=" + in1.KecamatanKode)
	if !strings.Contains(belum.Body, `action="/t/depok/program/belum-pernah/ekspor"`) ||
		!strings.Contains(belum.Body, `<input type="hidden" name="kecamatan" value="`+in1.KecamatanKode+`">`) {
		t.Fatalf("the never-helped page has no export carrying its filters:\n%s", belum.Body)
	}
	r = staf.Post("/t/depok/program/belum-pernah/ekspor", url.Values{"kecamatan": {in1.KecamatanKode}})
	if r.Status != http.StatusSeeOther || !jobLink.MatchString(r.Header.Get("Location")) {
		t.Fatalf("export never-helped: status %d:\n%s", r.Status, r.Body)
	}
	want := srv.Count(t, "select count(*) from umkm where tenant_id = $1 and archived_at is null and kecamatan_kode = $2", depok, in1.KecamatanKode) - 1
	rows := download(t, staf, r.Header.Get("Location"))
	if len(rows) != want+1 {
		t.Errorf("never-helped export: %d rows, want %d", len(rows)-1, want)
	}
	for _, row := range rows[1:] {
		if row[0] == in1.ID.String() {
			t.Errorf("the helped business is in the never-helped export")
		}
	}
	if r := staf.Post("/t/depok/program/belum-pernah/ekspor", url.Values{"skala": {"raksasa"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown size: status %d, want 422", r.Status)
	}
}
