package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestProgramEkspor: the three exports run as jobs and write the right
// rows; a participant list's NIK and phone are masked unless the exporter
// reads personal data; every participant export has its sharing log row
// and its job, bad input writes neither; another office downloads none of
// the files.
func TestProgramEkspor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := b.startUMKMWorkers(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	const base = "/v1/tenants/depok"

	kantor := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Dinas KUMKM Depok", "jenis": "kantor"})
	wantAnswer(t, kantor, http.StatusCreated)
	baznas := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Baznas Kota Depok", "jenis": "baznas"})
	wantAnswer(t, baznas, http.StatusCreated)
	medanAg := b.do(t, http.MethodPost, "/v1/tenants/medan/agensi", b.login(t, b.medanStaf.Email), map[string]any{"nama": "Dinas Medan", "jenis": "kantor"})
	wantAnswer(t, medanAg, http.StatusCreated)
	prog := func(nama string, tahun int) string {
		r := b.do(t, http.MethodPost, base+"/program", staf, map[string]any{"nama": nama, "jenis": "pelatihan", "agensi_id": kantor.body["id"],
			"tahun": tahun, "sumber_dana": "apbd", "satuan": "orang", "kuota": 5, "status": "dibuka"})
		wantAnswer(t, r, http.StatusCreated)
		return r.body["id"].(string)
	}
	digital, kemas := prog("Pelatihan Digital", 2025), prog("Pelatihan Pengemasan", 2026)
	siti, _ := b.postUMKM(t, "depok", staf, uBody("Kue Siti", "Siti Aminah", kelDepok, "nik", nikSiti, "telepon", "081234567890"))
	b.postUMKM(t, "depok", staf, uBody("Batik Ani", "Ani Lestari", kelDepokJaya, "telepon", "081299990001"))
	b.postUMKM(t, "depok", staf, uBody("Bengkel Budi", "Budi Santoso", kelDepok, "telepon", "081299990002"))
	wantAnswer(t, b.do(t, http.MethodPost, base+"/program/"+kemas+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": siti.ID}), http.StatusCreated)

	// run queues an export, waits for its job and returns the file's rows.
	run := func(token, path string, body any, kind string, want int) ([][]string, string) {
		t.Helper()
		r := b.do(t, http.MethodPost, path, token, body)
		if r.status != http.StatusAccepted {
			t.Fatalf("POST %s: %d %s", path, r.status, r.raw)
		}
		awaitJob(t, events, kind)
		job := b.getJob(t, token, r.header.Get("Location"))
		if job.Jenis != kind || job.Status != "selesai" || job.Selesai != want || job.HasilBerkasID == "" {
			t.Fatalf("%s job: %+v %s", kind, job, job.Hasil)
		}
		f := b.do(t, http.MethodGet, base+"/berkas/"+job.HasilBerkasID, token, nil)
		if f.status != http.StatusOK {
			t.Fatalf("download: %d %s", f.status, f.raw)
		}
		rows := readCSV(t, f.raw)
		if len(rows) != want+1 {
			t.Fatalf("%s has %d lines, want a header and %d:\n%s", kind, len(rows), want, f.raw)
		}
		return rows, job.HasilBerkasID
	}
	col := func(rows [][]string, name string) int {
		t.Helper()
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("no column %s in %q", name, rows[0])
		}
		return i
	}

	// The programme list, with list-program's filters.
	rows, _ := run(viewer, base+"/program/ekspor?tahun=2026", nil, "ekspor_program", 1)
	if rows[1][col(rows, "nama")] != "Pelatihan Pengemasan" || rows[1][col(rows, "agensi")] != "Dinas KUMKM Depok" {
		t.Errorf("programme export: %q", rows[1])
	}
	rows, _ = run(viewer, base+"/program/ekspor", nil, "ekspor_program", 2)
	if rows[1][col(rows, "id")] != kemas || rows[2][col(rows, "id")] != digital {
		t.Errorf("programme export not newest first: %q", rows)
	}
	wantProblem(t, b.do(t, http.MethodPost, base+"/program/ekspor?status=entah", staf, nil), http.StatusUnprocessableEntity, "query.status", "")

	// Bad input: named beside its field, nothing written.
	ekspor := base + "/program/" + kemas + "/peserta/ekspor"
	jobsBefore := b.count(t, "depok", "select count(*) from pekerjaan")
	wantProblem(t, b.do(t, http.MethodPost, ekspor, staf, map[string]any{"agensi_id": baznas.body["id"], "tujuan": "singkat"}),
		http.StatusUnprocessableEntity, "body.tujuan", "")
	p := wantProblem(t, b.do(t, http.MethodPost, ekspor, staf, map[string]any{"agensi_id": medanAg.body["id"], "tujuan": "Verifikasi calon penerima bantuan"}),
		http.StatusUnprocessableEntity, "body.agensi_id", "")
	if !strings.Contains(p.Errors[0].Message, "Agensi tidak ditemukan") {
		t.Errorf("another office's agency: %+v", p)
	}
	wantProblem(t, b.do(t, http.MethodPost, ekspor, staf, map[string]any{"tujuan": "Verifikasi calon penerima bantuan"}),
		http.StatusUnprocessableEntity, "body.agensi_id", "")
	if n := b.count(t, "depok", "select count(*) from program_ekspor"); n != 0 {
		t.Errorf("%d sharing log rows after refused exports", n)
	}
	if n := b.count(t, "depok", "select count(*) from pekerjaan"); n != jobsBefore {
		t.Errorf("refused exports queued %d jobs", n-jobsBefore)
	}

	// Staf read personal data: full NIK and phone. A viewer: masked.
	tujuan := "Verifikasi calon penerima bantuan modal Baznas 2026"
	rows, stafFile := run(staf, ekspor, map[string]any{"agensi_id": baznas.body["id"], "tujuan": tujuan}, "ekspor_peserta", 1)
	if r := rows[1]; r[col(rows, "nik")] != nikSiti || r[col(rows, "telepon")] != "081234567890" || r[col(rows, "nama_pemilik")] != "Siti Aminah" ||
		r[col(rows, "nama")] != "Kue Siti" || r[col(rows, "status")] == "" {
		t.Errorf("staf's participant export: %q", r)
	}
	rows, _ = run(viewer, ekspor, map[string]any{"agensi_id": kantor.body["id"], "tujuan": "Laporan internal bidang UMKM", "format": "csv"}, "ekspor_peserta", 1)
	if r := rows[1]; r[col(rows, "nik")] != "3276xxxxxxxx0001" || r[col(rows, "telepon")] != "xxxxxxxxx890" || strings.Contains(r[col(rows, "nama_pemilik")], "Aminah") {
		t.Errorf("viewer's participant export is not masked: %q", r)
	}
	// The sharing log: both exports, newest first, with who, for whom, why
	// and how many; one job per row and one row per job.
	log := b.do(t, http.MethodGet, ekspor, viewer, nil)
	wantAnswer(t, log, http.StatusOK)
	items := log.body["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("sharing log: %s", log.raw)
	}
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if first["agensi_nama"] != "Dinas KUMKM Depok" || first["nik_penuh"] != false || first["baris"] != float64(1) ||
		second["agensi_nama"] != "Baznas Kota Depok" || second["tujuan"] != tujuan || second["nik_penuh"] != true ||
		second["oleh"] != b.depokStaf.ID.String() || second["oleh_nama"] == "" {
		t.Errorf("sharing log: %s", log.raw)
	}
	if n := b.count(t, "depok", `select count(*) from pekerjaan j full join program_ekspor e on e.pekerjaan_id = j.id
		where (j.jenis = 'ekspor_peserta' or j.id is null) and (e.id is null or j.id is null)`); n != 0 {
		t.Errorf("%d participant exports without their log row or job", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where action = 'export' and entity = 'peserta' and entity_id = $1", kemas); n != 2 {
		t.Errorf("%d audit entries of participant exports, want 2", n)
	}
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/depok/program/"+medanAg.body["id"].(string)+"/peserta/ekspor", viewer, nil), http.StatusNotFound)

	// The never-helped: Ani and Budi, oldest registered first, phone masked.
	rows, belumFile := run(viewer, base+"/program/belum-pernah/ekspor", nil, "ekspor_belum_pernah", 2)
	if rows[1][col(rows, "nama_usaha")] != "Batik Ani" || rows[2][col(rows, "nama_usaha")] != "Bengkel Budi" {
		t.Errorf("never-helped export order: %q", rows)
	}
	if r := rows[1]; r[col(rows, "telepon")] != "xxxxxxxxx001" || r[col(rows, "kecamatan")] == "" || r[col(rows, "kelurahan")] == "" ||
		strings.Contains(r[col(rows, "nama_pemilik")], "Lestari") {
		t.Errorf("never-helped row: %q", r)
	}
	rows, _ = run(staf, base+"/program/belum-pernah/ekspor?kelurahan="+kelDepokJaya, nil, "ekspor_belum_pernah", 1)
	if r := rows[1]; r[col(rows, "nama_pemilik")] != "Ani Lestari" || r[col(rows, "telepon")] != "xxxxxxxxx001" {
		t.Errorf("staf's never-helped row: %q", r)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where action = 'export' and entity = 'belum_pernah'"); n != 2 {
		t.Errorf("%d audit entries of never-helped exports, want 2", n)
	}
	wantProblem(t, b.do(t, http.MethodPost, base+"/program/belum-pernah/ekspor?skala=raksasa", staf, nil), http.StatusUnprocessableEntity, "query.skala", "")

	// Another office downloads none of them, under its own path or Depok's.
	medanAdmin := b.login(t, b.medanAdmin.Email)
	for _, id := range []string{stafFile, belumFile} {
		wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/berkas/"+id, medanAdmin, nil), http.StatusNotFound)
		if r := b.do(t, http.MethodGet, base+"/berkas/"+id, medanAdmin, nil); r.status == http.StatusOK {
			t.Errorf("Medan's admin downloaded Depok's file %s", id)
		}
	}
}
