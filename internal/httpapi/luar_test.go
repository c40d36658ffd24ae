package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/luar"
)

// TestLuarImportAndTheRowsLeft: an agency's list imported as a dry run and
// for real through the API (a job, its per-row report), its unmatched
// row matched by staff and another discarded; another office sees none
// of it, a viewer reads but cannot import.
func TestLuarImportAndTheRowsLeft(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := b.startUMKMWorkers(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	medan := b.login(t, b.medanStaf.Email)
	const base = "/v1/tenants/depok/program/luar"

	ag := b.do(t, http.MethodPost, "/v1/tenants/depok/agensi", staf, map[string]any{"nama": "Baznas Kota Depok", "jenis": "baznas"})
	wantAnswer(t, ag, http.StatusCreated)
	nib, _ := b.postUMKM(t, "depok", staf, uBody("Warung Budi", "Budi Santoso", kelDepok, "nib", "1234567890123"))
	later, _ := b.postUMKM(t, "depok", staf, uBody("Sablon Dodi", "Dodi Setiawan", kelDepok))
	q := url.Values{"agensi_id": {ag.body["id"].(string)}, "program_nama": {"Zakat Produktif"}, "jenis": {"bantuan_modal"},
		"tahun": {"2026"}, "nama": {"baznas.csv"}}
	list := "NIB;Nama Peserta;Nama UMKM;Desa\n1234567890123;Budi;;\n;Dodi;Sablon Baru;Depok\n;Eko;Bengkel;Depok\n"
	importList := func(dry bool) map[string]json.RawMessage {
		t.Helper()
		q.Set("dry_run", map[bool]string{true: "true", false: "false"}[dry])
		r := b.do(t, http.MethodPost, base+"/impor?"+q.Encode(), staf, []byte(list), "Content-Type", "text/csv")
		wantAnswer(t, r, http.StatusAccepted)
		awaitJob(t, events, luar.JobKind)
		job := b.getJob(t, staf, r.header.Get("Location"))
		if job.Status != "selesai" || job.HasilBerkasID == "" {
			t.Fatalf("job %+v", job)
		}
		var hasil map[string]json.RawMessage
		if err := json.Unmarshal(job.Hasil, &hasil); err != nil {
			t.Fatal(err)
		}
		return hasil
	}
	var sum luar.Summary
	if err := json.Unmarshal(importList(true)["ringkasan_luar"], &sum); err != nil || sum != (luar.Summary{Baris: 3, NIB: 1, BelumCocok: 2}) {
		t.Fatalf("dry run: %+v %v", sum, err)
	}
	if n := b.count(t, "depok", "select count(*) from partisipasi_luar"); n != 0 {
		t.Fatalf("dry run stored %d rows", n)
	}
	if err := json.Unmarshal(importList(false)["ringkasan_luar"], &sum); err != nil || !sum.Ditulis || sum.NIB != 1 {
		t.Fatalf("real run: %+v %v", sum, err)
	}

	imports := b.do(t, http.MethodGet, base+"/impor", viewer, nil)
	wantAnswer(t, imports, http.StatusOK)
	if n := len(imports.body["items"].([]any)); n != 2 {
		t.Errorf("imports listed: %d, want the dry run and the real one", n)
	}
	rows := b.do(t, http.MethodGet, base+"/baris?status=belum_cocok", viewer, nil)
	wantAnswer(t, rows, http.StatusOK)
	var page struct {
		Items []luar.BarisDaftar `json:"items"`
	}
	rows.decode(t, &page)
	if len(page.Items) != 2 {
		t.Fatalf("unmatched rows: %s", rows.raw)
	}
	byOwner := map[string]string{}
	for _, r := range page.Items {
		if *r.NamaPemilik == "Dodi" || *r.NamaPemilik == "Eko" {
			t.Errorf("owner's name unmasked for a viewer: %s", *r.NamaPemilik)
		}
		byOwner[(*r.NamaUsaha)[:3]] = r.ID.String()
	}
	sablon, bengkel := byOwner["Sab"], byOwner["Ben"]

	// Another office: the rows and the import do not exist.
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/program/luar/baris", medan, nil); r.status != http.StatusOK || len(r.body["items"].([]any)) != 0 {
		t.Fatalf("Medan's list: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/program/luar/impor", medan, nil); r.status != http.StatusOK || len(r.body["items"].([]any)) != 0 {
		t.Fatalf("Medan's imports: %d %s", r.status, r.raw)
	}
	wantAnswer(t, b.do(t, http.MethodPost, "/v1/tenants/medan/program/luar/baris/"+bengkel+"/buang", medan, nil), http.StatusNotFound)
	wantAnswer(t, b.do(t, http.MethodPost, base+"/baris/"+bengkel+"/buang", viewer, nil), http.StatusForbidden)
	wantAnswer(t, b.do(t, http.MethodPost, base+"/impor?"+q.Encode(), viewer, []byte(list), "Content-Type", "text/csv"), http.StatusForbidden)

	m := b.do(t, http.MethodPost, base+"/baris/"+sablon+"/cocok", staf, map[string]any{"umkm_id": later.ID})
	wantAnswer(t, m, http.StatusOK)
	if m.body["status"] != "cocok" || m.body["cocok_oleh"] != "staf" {
		t.Errorf("matched: %s", m.raw)
	}
	wantAnswer(t, b.do(t, http.MethodPost, base+"/baris/"+bengkel+"/buang", staf, nil), http.StatusOK)
	wantAnswer(t, b.do(t, http.MethodPost, base+"/baris/"+bengkel+"/buang", staf, nil), http.StatusConflict)
	if n := b.count(t, "depok", "select count(*) from partisipasi_luar where status = 'cocok' and umkm_id = $1", nib.ID); n != 1 {
		t.Errorf("NIB-matched rows: %d", n)
	}
}

// TestLuarImportRefusesBadFiles: a file that is not a spreadsheet, over
// the limits or without the owner column, and bad choices, are 422 naming
// the field, with no job queued.
func TestLuarImportRefusesBadFiles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	ag := b.do(t, http.MethodPost, "/v1/tenants/depok/agensi", staf, map[string]any{"nama": "Baznas Kota Depok", "jenis": "baznas"})
	wantAnswer(t, ag, http.StatusCreated)
	q := func(jenis string) string {
		return url.Values{"agensi_id": {ag.body["id"].(string)}, "program_nama": {"Zakat Produktif"}, "jenis": {jenis}, "tahun": {"2026"}}.Encode()
	}
	for name, c := range map[string]struct {
		file, jenis, field, says string
	}{
		"binary":       {"\x00\x01\x02", "pelatihan", "body", "bukan CSV atau Excel"},
		"too long":     {"Nama Pemilik\n" + strings.Repeat("Siti\n", luar.Limits().Rows+1), "pelatihan", "body", "baris"},
		"no owner":     {"NIK;Nama Usaha\n3276014507850001;Kue\n", "pelatihan", "header", "Nama Pemilik"},
		"unknown kind": {"Nama Pemilik\nSiti\n", "hibah", "query.jenis", ""},
	} {
		r := b.do(t, http.MethodPost, "/v1/tenants/depok/program/luar/impor?"+q(c.jenis), staf, []byte(c.file), "Content-Type", "text/csv")
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
			continue
		}
		msg, ok := r.problem(t).field(c.field)
		if !ok || !strings.Contains(msg, c.says) {
			t.Errorf("%s: %q at %s, want %q (%s)", name, msg, c.field, c.says, r.raw)
		}
	}
	if n := b.count(t, "depok", "select count(*) from pekerjaan"); n != 0 {
		t.Errorf("%d jobs queued for refused files", n)
	}
}
