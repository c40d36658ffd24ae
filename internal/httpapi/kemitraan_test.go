package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestKemitraanPartnersAndAgreements runs a partnership as an office
// would: a hospital as partner (contact masked for a viewer), an agreement
// refused for ending before it starts and nothing written, one over five
// years accepted with the warning, a stale If-Match, another office's
// ids, a duty, an evaluation, the renewal and the breach path.
func TestKemitraanPartnersAndAgreements(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer, medan := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email), b.login(t, b.medanStaf.Email)
	const base = "/v1/tenants/depok/kemitraan"

	wantProblem(t, b.do(t, http.MethodPost, base+"/mitra", staf, map[string]any{"jenis": "kapal", "nama": "X"}), http.StatusUnprocessableEntity, "body.jenis", "")
	mitraBody := map[string]any{"jenis": "rumah_sakit", "nama": "RSUD Kota Depok", "kontak_nama": "Siti Aminah", "telepon": "081234567890", "alamat": "Jl. Raya 1"}
	m := b.do(t, http.MethodPost, base+"/mitra", staf, mitraBody, "Idempotency-Key", "mitra-1")
	if m.status != http.StatusCreated {
		t.Fatalf("create mitra: %d %s", m.status, m.raw)
	}
	again := b.do(t, http.MethodPost, base+"/mitra", staf, mitraBody, "Idempotency-Key", "mitra-1")
	if again.status != http.StatusCreated || again.body["id"] != m.body["id"] || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", again.status, again.raw)
	}
	if n := b.count(t, "depok", "select count(*) from kemitraan_mitra"); n != 1 {
		t.Fatalf("%d partners after a replay, want 1", n)
	}
	mitraID := m.body["id"].(string)
	seen := b.do(t, http.MethodGet, base+"/mitra/"+mitraID, viewer, nil)
	if seen.status != http.StatusOK || seen.body["telepon"] == "081234567890" || seen.body["kontak_nama"] != "S*** A***" || seen.body["alamat"] != "***" {
		t.Fatalf("viewer sees the contact: %s", seen.raw)
	}
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/kemitraan/mitra/"+mitraID, medan, nil), http.StatusNotFound)
	wantStatus(t, b.do(t, http.MethodPost, base+"/mitra", viewer, mitraBody), http.StatusForbidden)

	tanpa := b.do(t, http.MethodGet, base+"/mitra-tanpa-perjanjian", staf, nil)
	if tanpa.status != http.StatusOK || len(tanpa.body["items"].([]any)) != 1 {
		t.Fatalf("tanpa perjanjian: %s", tanpa.raw)
	}

	pBody := func(mulai, berakhir string) map[string]any {
		return map[string]any{"mitra_id": mitraID, "jenis": "pks", "judul": "Pojok UMKM di lobi RSUD", "nomor_kantor": "500/12/DKUM",
			"tanggal_kantor": mulai, "nomor_mitra": "RS/45/2026", "tanggal_mitra": mulai, "mulai": mulai, "berakhir": berakhir, "status": "berlaku"}
	}
	wantProblem(t, b.do(t, http.MethodPost, base+"/perjanjian", staf, pBody("2026-12-06", "2026-12-01")), http.StatusUnprocessableEntity, "body.berakhir", "")
	if n := b.count(t, "depok", "select count(*) from kemitraan_perjanjian"); n != 0 {
		t.Fatalf("a refused agreement was written: %d", n)
	}
	other := pBody("2026-01-01", "2027-01-01")
	other["mitra_id"] = "00000000-0000-0000-0000-000000000001"
	wantProblem(t, b.do(t, http.MethodPost, base+"/perjanjian", staf, other), http.StatusUnprocessableEntity, "body.mitra_id", "")

	p := b.do(t, http.MethodPost, base+"/perjanjian", staf, pBody("2026-01-01", "2032-06-30"), "Idempotency-Key", "pks-1")
	if p.status != http.StatusCreated || !strings.Contains(string(p.raw), "Permendagri 22/2020") {
		t.Fatalf("create over five years: %d %s", p.status, p.raw)
	}
	pID := p.body["id"].(string)
	one := base + "/perjanjian/" + pID
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/kemitraan/perjanjian/"+pID, medan, nil), http.StatusNotFound)
	wantStatus(t, b.do(t, http.MethodPut, one, staf, pBody("2026-01-01", "2030-12-31"), "If-Match", `"99"`), http.StatusPreconditionFailed)
	wantStatus(t, b.do(t, http.MethodPut, one, staf, pBody("2026-01-01", "2030-12-31")), http.StatusPreconditionRequired)
	up := b.do(t, http.MethodPut, one, staf, pBody("2026-01-01", "2030-12-31"), "If-Match", p.header.Get("ETag"))
	if up.status != http.StatusOK || len(up.body["peringatan"].([]any)) != 0 {
		t.Fatalf("update: %d %s", up.status, up.raw)
	}
	if n := b.count(t, "depok", "select count(*) from kemitraan_mitra m where not exists (select 1 from kemitraan_perjanjian p where p.mitra_id = m.id)"); n != 0 {
		t.Fatalf("partner still without agreement: %d", n)
	}

	wantProblem(t, b.do(t, http.MethodPost, one+"/tugas", staf, map[string]any{"judul": "Laporan penjualan", "jatuh_tempo": "5 Januari"}),
		http.StatusUnprocessableEntity, "body.jatuh_tempo", "")
	tg := b.do(t, http.MethodPost, one+"/tugas", staf, map[string]any{"judul": "Laporan penjualan November", "jatuh_tempo": "2026-12-05"})
	if tg.status != http.StatusCreated {
		t.Fatalf("tugas: %d %s", tg.status, tg.raw)
	}
	late := b.do(t, http.MethodGet, base+"/tugas-terlambat", viewer, nil)
	if late.status != http.StatusOK || len(late.body["items"].([]any)) != 1 {
		t.Fatalf("late duties: %s", late.raw)
	}
	done := b.do(t, http.MethodPut, one+"/tugas/"+tg.body["id"].(string), staf,
		map[string]any{"judul": "Laporan penjualan November", "jatuh_tempo": "2026-12-05", "selesai": "2026-12-06"}, "If-Match", tg.header.Get("ETag"))
	if done.status != http.StatusOK || done.body["terlambat"] != false {
		t.Fatalf("duty done: %d %s", done.status, done.raw)
	}
	wantProblem(t, b.do(t, http.MethodPost, one+"/evaluasi", staf, map[string]any{"tanggal": "2026-06-01", "hasil": "Baik", "skor": 101}),
		http.StatusUnprocessableEntity, "body.skor", "")
	if ev := b.do(t, http.MethodPost, one+"/evaluasi", staf, map[string]any{"tanggal": "2026-06-01", "hasil": "Penjualan naik"}); ev.status != http.StatusCreated {
		t.Fatalf("evaluation: %d %s", ev.status, ev.raw)
	}

	wantProblem(t, b.do(t, http.MethodPost, one+"/pembaruan", staf, pBody("2025-01-01", "2026-01-01")), http.StatusUnprocessableEntity, "body.mulai", "")
	rn := b.do(t, http.MethodPost, one+"/pembaruan", staf, pBody("2031-01-01", "2035-12-31"))
	if rn.status != http.StatusCreated || rn.body["memperbarui_id"] != pID || len(rn.body["rantai"].([]any)) != 2 {
		t.Fatalf("renewal: %d %s", rn.status, rn.raw)
	}
	old := b.do(t, http.MethodGet, one, viewer, nil)
	if old.body["berakhir"] != "2030-12-31" || old.body["diperbarui_id"] != rn.body["id"] {
		t.Fatalf("the renewed agreement changed: %s", old.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, one+"/pembaruan", staf, pBody("2031-02-01", "2035-12-31")), http.StatusConflict)

	wantProblem(t, b.do(t, http.MethodPost, one+"/putus", staf, map[string]any{"alasan": " ", "tanggal": "2026-12-06"}, "If-Match", old.header.Get("ETag")),
		http.StatusUnprocessableEntity, "body.alasan", "")
	cut := b.do(t, http.MethodPost, one+"/putus", staf, map[string]any{"alasan": "Tidak melaporkan penjualan", "tanggal": "2026-12-06"}, "If-Match", old.header.Get("ETag"))
	if cut.status != http.StatusOK || cut.body["status"] != "diputus" {
		t.Fatalf("breach: %d %s", cut.status, cut.raw)
	}
	list := b.do(t, http.MethodGet, base+"/mitra?status=diputus", viewer, nil)
	if list.status != http.StatusOK || len(list.body["items"].([]any)) != 1 {
		t.Fatalf("partners with a terminated agreement: %s", list.raw)
	}
	wantProblem(t, b.do(t, http.MethodGet, base+"/kalender?bulan=2026-13", viewer, nil), http.StatusUnprocessableEntity, "query.bulan", "")
	cal := b.do(t, http.MethodGet, base+"/kalender?bulan=2031-01", viewer, nil)
	if cal.status != http.StatusOK || !strings.Contains(string(cal.raw), `"mulai"`) {
		t.Fatalf("calendar: %s", cal.raw)
	}
	if r := b.do(t, http.MethodGet, base+"/pengingat", viewer, nil); r.status != http.StatusOK {
		t.Fatalf("reminders: %d %s", r.status, r.raw)
	}
}
