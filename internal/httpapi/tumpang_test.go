package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestTumpangBeforeSelection: a business helped by the office's training
// shows its participation when it applies to another training, staf may
// not override the warning, an admin may with a reason (a short one is
// refused naming the field), and the never-helped list and counts leave
// it out while listing the business nobody helped.
func TestTumpangBeforeSelection(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, admin, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokAdmin.Email), b.login(t, b.depokViewer.Email)
	const base = "/v1/tenants/depok"

	ag := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Dinas KUMKM Depok", "jenis": "kantor"})
	wantAnswer(t, ag, http.StatusCreated)
	prog := func(nama string, tahun int) string {
		r := b.do(t, http.MethodPost, base+"/program", staf, map[string]any{"nama": nama, "jenis": "pelatihan", "agensi_id": ag.body["id"],
			"tahun": tahun, "sumber_dana": "apbd", "satuan": "orang", "kuota": 5, "status": "dibuka"})
		wantAnswer(t, r, http.StatusCreated)
		return r.body["id"].(string)
	}
	lalu, kini := prog("Pelatihan Digital", 2025), prog("Pelatihan Pengemasan", 2026)
	helped, _ := b.postUMKM(t, "depok", staf, uBody("Kue Siti", "Siti Aminah", kelDepok))
	never, _ := b.postUMKM(t, "depok", staf, uBody("Batik Ani", "Ani Lestari", kelDepokJaya))
	apply := func(p string) string {
		r := b.do(t, http.MethodPost, base+"/program/"+p+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": helped.ID})
		wantAnswer(t, r, http.StatusCreated)
		return r.body["id"].(string)
	}
	apply(lalu)
	cand := apply(kini)
	one := base + "/program/" + kini + "/peserta/" + cand + "/tumpang"

	c := b.do(t, http.MethodGet, one, viewer, nil)
	wantAnswer(t, c, http.StatusOK)
	if c.body["sama_jenis"].(float64) != 1 || len(c.body["items"].([]any)) != 1 {
		t.Fatalf("overlap check: %s", c.raw)
	}
	pilih := func() response {
		cur := b.do(t, http.MethodGet, base+"/program/"+kini+"/peserta/"+cand, staf, nil)
		wantAnswer(t, cur, http.StatusOK)
		return b.do(t, http.MethodPost, base+"/program/"+kini+"/peserta/"+cand+"/pilih", staf, nil, "If-Match", cur.header.Get("ETag"))
	}
	blocked := pilih()
	wantStatus(t, blocked, http.StatusConflict)
	if blocked.body["existing"] != one || !strings.Contains(blocked.body["detail"].(string), "1 kali, dari Dinas KUMKM Depok") ||
		!strings.HasPrefix(blocked.header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("selection with an overlap: %s", blocked.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, one+"/izin", staf, map[string]any{"alasan": "Pelatihan lanjutan yang berbeda"}), http.StatusForbidden)
	wantProblem(t, b.do(t, http.MethodPost, one+"/izin", admin, map[string]any{"alasan": "          singkat"}), http.StatusUnprocessableEntity, "body.alasan", "")
	iz := b.do(t, http.MethodPost, one+"/izin", admin, map[string]any{"alasan": "Pelatihan lanjutan yang berbeda materinya"})
	wantAnswer(t, iz, http.StatusOK)
	if iz.body["izin"] == nil {
		t.Fatalf("override not recorded: %s", iz.raw)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'tumpang_izin'"); n != 1 {
		t.Errorf("override audited %d times", n)
	}
	wantAnswer(t, pilih(), http.StatusOK)

	list := b.do(t, http.MethodGet, base+"/program/belum-pernah?kecamatan="+kecPancoranMas, viewer, nil)
	wantAnswer(t, list, http.StatusOK)
	items := list.body["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != never.ID.String() {
		t.Fatalf("never-helped: %s", list.raw)
	}
	if items[0].(map[string]any)["nama_pemilik"] == "Ani Lestari" {
		t.Error("a viewer sees the owner's full name")
	}
	wantProblem(t, b.do(t, http.MethodGet, base+"/program/belum-pernah?skala=raksasa", viewer, nil), http.StatusUnprocessableEntity, "query.skala", "")
	wantProblem(t, b.do(t, http.MethodGet, base+"/program/belum-pernah?cursor=xyz", viewer, nil), http.StatusUnprocessableEntity, "query.cursor", "")
	counts := b.do(t, http.MethodGet, base+"/program/belum-pernah/jumlah", viewer, nil)
	wantAnswer(t, counts, http.StatusOK)
	found := false
	for _, it := range counts.body["items"].([]any) {
		m := it.(map[string]any)
		if m["kode"] == kecPancoranMas {
			found = m["belum_pernah"].(float64) == 1 && m["terdaftar"].(float64) == 2
		}
	}
	if !found {
		t.Errorf("counts: %s", counts.raw)
	}
	rep := b.do(t, http.MethodGet, base+"/program/tumpang?tahun=2026&jenis=pelatihan", viewer, nil)
	wantAnswer(t, rep, http.StatusOK)
	if len(rep.body["items"].([]any)) != 0 {
		t.Errorf("one training a year is no overlap: %s", rep.raw)
	}
	wantProblem(t, b.do(t, http.MethodGet, base+"/program/tumpang?tahun=2026", viewer, nil), http.StatusUnprocessableEntity, "query.jenis", "")
}

// wantAnswer fails unless r is a successful answer with status.
func wantAnswer(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
}
