package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestProgramFromPlanToCompletion runs a training as an office would: an
// agency, a programme for women entrepreneurs with one place, an eligible
// and an ineligible applicant, two staff racing for the last place, the
// attendance, the completion, and the completion on the business's record
// and as evidence for the next programme's rule.
func TestProgramFromPlanToCompletion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, staf2 := b.login(t, b.depokStaf.Email), b.login(t, b.depokAdmin.Email)
	const base = "/v1/tenants/depok"

	ag := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Dinas KUMKM Depok", "jenis": "kantor"})
	if ag.status != http.StatusCreated {
		t.Fatalf("create agensi: %d %s", ag.status, ag.raw)
	}
	agensiID := ag.body["id"].(string)
	wantStatus(t, b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Kantor Lain", "jenis": "kantor"}), http.StatusConflict)

	body := func(kuota int, aturan ...map[string]any) map[string]any {
		return map[string]any{"nama": "Pelatihan Pengemasan", "jenis": "pelatihan", "agensi_id": agensiID, "tahun": 2026,
			"sumber_dana": "apbd", "renja_kode": "2.17.07.2.01.0015", "satuan": "orang", "target": 20, "kuota": kuota, "aturan": aturan}
	}
	wantProblem(t, b.do(t, http.MethodPost, base+"/program", staf, body(0)), http.StatusUnprocessableEntity, "body.kuota", "")
	wantProblem(t, b.do(t, http.MethodPost, base+"/program", staf, body(1, map[string]any{"jenis": "skala", "nilai": []string{"raksasa"}})),
		http.StatusUnprocessableEntity, "body.aturan[0].nilai[0]", "")
	before := b.count(t, "depok", "select count(*) from program")
	if before != 0 {
		t.Fatalf("a refused programme was written: %d", before)
	}

	p := b.do(t, http.MethodPost, base+"/program", staf, body(1, map[string]any{"jenis": "jenis_kelamin", "nilai": []string{"P"}}), "Idempotency-Key", "prog-1")
	if p.status != http.StatusCreated || p.body["aturan_versi"].(float64) != 1 {
		t.Fatalf("create program: %d %s", p.status, p.raw)
	}
	progID := p.body["id"].(string)
	one := base + "/program/" + progID

	umkm := func(usaha, pemilik, jk string) string {
		r := b.do(t, http.MethodPost, base+"/umkm", staf, uBody(usaha, pemilik, kelDepok, "jenis_kelamin", jk))
		if r.status != http.StatusCreated {
			t.Fatalf("create umkm: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	}
	siti, ani, budi := umkm("Kue Siti", "Siti Aminah", "P"), umkm("Batik Ani", "Ani Lestari", "P"), umkm("Bengkel Budi", "Budi Santoso", "L")
	apply := func(id string) response {
		r := b.do(t, http.MethodPost, one+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": id})
		if r.status != http.StatusCreated {
			t.Fatalf("apply: %d %s", r.status, r.raw)
		}
		return r
	}
	pb := apply(budi)
	if pb.body["layak"] != false || pb.body["layak_versi"].(float64) != 1 || !strings.Contains(fmt.Sprint(pb.body["layak_alasan"]), "Jenis kelamin pemilik L") {
		t.Errorf("a man in a programme for women: %s", pb.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, one+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": budi}), http.StatusConflict)
	wantProblem(t, b.do(t, http.MethodPost, one+"/peserta", staf, map[string]any{"pemohon": "koperasi", "umkm_id": budi}), http.StatusUnprocessableEntity, "body.koperasi_id", "")
	ps, pa := apply(siti), apply(ani)
	if ps.body["layak"] != true || len(ps.body["layak_alasan"].([]any)) != 0 {
		t.Fatalf("an eligible applicant: %s", ps.raw)
	}
	pesertaPath := func(r response) string { return one + "/peserta/" + r.body["id"].(string) }

	wantStatus(t, b.do(t, http.MethodPost, pesertaPath(pb)+"/pilih", staf, nil, "If-Match", pb.header.Get("ETag")), http.StatusConflict)
	wantStatus(t, b.do(t, http.MethodPost, pesertaPath(ps)+"/pilih", staf, nil, "If-Match", `"99"`), http.StatusPreconditionFailed)

	// Two staff fill the last place at once: one wins, the other gets 409.
	var wg sync.WaitGroup
	got := make([]response, 2)
	for i, x := range []struct {
		r     response
		token string
	}{{ps, staf}, {pa, staf2}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = b.do(t, http.MethodPost, pesertaPath(x.r)+"/pilih", x.token, nil, "If-Match", x.r.header.Get("ETag"))
		}()
	}
	wg.Wait()
	winner, loser := ps, pa
	if got[1].status == http.StatusOK {
		winner, loser = pa, ps
		got[0], got[1] = got[1], got[0]
	}
	if got[0].status != http.StatusOK || got[1].status != http.StatusConflict {
		t.Fatalf("the race for the last place: %d and %d, want 200 and 409: %s %s", got[0].status, got[1].status, got[0].raw, got[1].raw)
	}
	if n := b.count(t, "depok", "select terisi from program"); n != 1 {
		t.Errorf("terisi %d after the race, want 1", n)
	}

	s := b.do(t, http.MethodPost, one+"/sesi", staf, map[string]any{"judul": "Hari 1", "tanggal": "2026-05-12", "tempat": "Aula"})
	if s.status != http.StatusCreated {
		t.Fatalf("create sesi: %d %s", s.status, s.raw)
	}
	hadir := one + "/sesi/" + s.body["id"].(string) + "/hadir"
	wantProblem(t, b.do(t, http.MethodPut, hadir, staf, map[string]any{"peserta_id": []string{loser.body["id"].(string)}}, "If-Match", s.header.Get("ETag")),
		http.StatusUnprocessableEntity, "body.peserta_id[0]", "")
	h := b.do(t, http.MethodPut, hadir, staf, map[string]any{"peserta_id": []string{winner.body["id"].(string)}}, "If-Match", s.header.Get("ETag"))
	if h.status != http.StatusOK || h.body["hadir"].(float64) != 1 {
		t.Fatalf("attendance: %d %s", h.status, h.raw)
	}

	w := b.do(t, http.MethodGet, pesertaPath(winner), staf, nil)
	wantProblem(t, b.do(t, http.MethodPost, pesertaPath(winner)+"/selesai", staf, map[string]any{"tanggal": "2026-05-13"}, "If-Match", w.header.Get("ETag")),
		http.StatusUnprocessableEntity, "body.sertifikat_nomor", "")
	c := b.do(t, http.MethodPost, pesertaPath(winner)+"/selesai", staf, map[string]any{"tanggal": "2026-05-13", "sertifikat_nomor": "SERT/001"}, "If-Match", w.header.Get("ETag"))
	if c.status != http.StatusOK || c.body["status"] != "selesai" {
		t.Fatalf("complete: %d %s", c.status, c.raw)
	}

	winnerUMKM := siti
	if winner.body["id"] == pa.body["id"] {
		winnerUMKM = ani
	}
	rec := b.do(t, http.MethodGet, base+"/umkm/"+winnerUMKM, staf, nil)
	if !strings.Contains(string(rec.raw), `"program_selesai":[{"nama":"Pelatihan Pengemasan","jenis":"pelatihan","agensi":"Dinas KUMKM Depok","tahun":2026,"sertifikat_nomor":"SERT/001"}]`) {
		t.Errorf("the business's record does not show the completed training: %s", rec.raw)
	}

	// The completion is evidence for a programme that requires it.
	next := body(5, map[string]any{"jenis": "pernah_program", "program_id": progID})
	next["nama"], next["jenis"] = "Bantuan Peralatan", "bantuan_barang"
	n := b.do(t, http.MethodPost, base+"/program", staf, next)
	if n.status != http.StatusCreated {
		t.Fatalf("create program: %d %s", n.status, n.raw)
	}
	loserUMKM := siti
	if winnerUMKM == siti {
		loserUMKM = ani
	}
	for _, x := range []struct {
		id    string
		layak bool
	}{{winnerUMKM, true}, {loserUMKM, false}} {
		r := b.do(t, http.MethodPost, base+"/program/"+n.body["id"].(string)+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": x.id})
		if r.status != http.StatusCreated || r.body["layak"] != x.layak {
			t.Errorf("evidence of completion: layak %v, want %v: %s", r.body["layak"], x.layak, r.raw)
		}
	}

	// A viewer may not read personal data: the owners' names are masked.
	v := b.do(t, http.MethodGet, one+"/peserta", b.login(t, b.depokViewer.Email), nil)
	if v.status != http.StatusOK || strings.Contains(string(v.raw), "Siti Aminah") || !strings.Contains(string(v.raw), "S*** A***") {
		t.Errorf("viewer's list of participants: %d %s", v.status, v.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, one+"/peserta", b.login(t, b.depokViewer.Email), map[string]any{"pemohon": "umkm", "umkm_id": siti}), http.StatusForbidden)
}

// wantStatus fails unless r is a problem+json answer with status.
func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	r.problem(t)
}

// TestProgramRuleVersions: a change of the rules makes the next version,
// a stale If-Match is 412, and an applicant checked under the old version
// must be checked again before selection.
func TestProgramRuleVersions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	const base = "/v1/tenants/depok"
	ag := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Baznas Kota Depok", "jenis": "baznas"})
	body := map[string]any{"nama": "Pendampingan Halal", "jenis": "pendampingan", "agensi_id": ag.body["id"], "tahun": 2026,
		"sumber_dana": "baznas", "satuan": "usaha", "kuota": 3, "aturan": []map[string]any{{"jenis": "sektor", "nilai": []string{"kuliner"}}}}
	p := b.do(t, http.MethodPost, base+"/program", staf, body)
	one := base + "/program/" + p.body["id"].(string)
	u := b.do(t, http.MethodPost, base+"/umkm", staf, uBody("Sambal Bu Tini", "Tini", kelDepok))
	a := b.do(t, http.MethodPost, one+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": u.body["id"]})
	if a.body["layak"] != true {
		t.Fatalf("apply: %s", a.raw)
	}

	body["aturan"] = []map[string]any{{"jenis": "sektor", "nilai": []string{"kuliner", "fashion"}}}
	up := b.do(t, http.MethodPut, one, staf, body, "If-Match", p.header.Get("ETag"))
	if up.status != http.StatusOK || up.body["aturan_versi"].(float64) != 2 {
		t.Fatalf("update rules: %d %s", up.status, up.raw)
	}
	wantStatus(t, b.do(t, http.MethodPut, one, staf, body, "If-Match", p.header.Get("ETag")), http.StatusPreconditionFailed)
	if n := b.count(t, "depok", "select count(*) from program_aturan"); n != 2 {
		t.Errorf("%d rule versions kept, want 2", n)
	}

	pp := one + "/peserta/" + a.body["id"].(string)
	wantStatus(t, b.do(t, http.MethodPost, pp+"/pilih", staf, nil, "If-Match", a.header.Get("ETag")), http.StatusConflict)
	c := b.do(t, http.MethodPost, pp+"/periksa", staf, nil, "If-Match", a.header.Get("ETag"))
	if c.status != http.StatusOK || c.body["layak_versi"].(float64) != 2 {
		t.Fatalf("check again: %d %s", c.status, c.raw)
	}
	if s := b.do(t, http.MethodPost, pp+"/pilih", staf, nil, "If-Match", c.header.Get("ETag")); s.status != http.StatusOK || s.body["status"] != "terpilih" {
		t.Fatalf("select after the check: %d %s", s.status, s.raw)
	}
	body["kuota"] = 0
	wantProblem(t, b.do(t, http.MethodPut, one, staf, body, "If-Match", up.header.Get("ETag")), http.StatusUnprocessableEntity, "body.kuota", "")
}
