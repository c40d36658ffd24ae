package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPendanaanKreditMesraThroughTheAPI: a group applies, is refused with
// the field named when it is too small or holds another office's business,
// walks the pipeline with If-Match, and a wrong step is 409 naming the
// stage it is at.
func TestPendanaanKreditMesraThroughTheAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	medanStaf := b.login(t, b.medanStaf.Email)
	var ids []any
	for i := range 6 {
		id, _ := b.newUMKM(t, "depok", staf, umkmBody(fmt.Sprintf("Warung Mesra %d", i), "Siti Aminah", "32.76.01", "32.76.01.1006"))
		ids = append(ids, id)
	}
	medanID, _ := b.newUMKM(t, "medan", medanStaf, umkmBody("Kedai Medan", "Ucok", "12.71.01", "12.71.01.1001"))
	members := func(list ...any) []map[string]any {
		var out []map[string]any
		for _, id := range list {
			out = append(out, map[string]any{"umkm_id": id, "plafon": 3_000_000})
		}
		return out
	}
	const base = "/v1/tenants/depok/pendanaan/pengajuan"
	body := func(m []map[string]any) map[string]any {
		return map[string]any{"skema": "kredit_mesra", "nama_kelompok": "Kelompok Mawar", "tenor_bulan": 6, "anggota": m}
	}
	before := b.count(t, "depok", `select count(*) from pengajuan_dana`)
	r := b.do(t, http.MethodPost, base, staf, body(members(ids[:4]...)))
	if msg, ok := r.problem(t).field("body.anggota"); r.status != http.StatusUnprocessableEntity || !ok || !strings.Contains(msg, "5 sampai 10") {
		t.Fatalf("group of 4: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, base, staf, body(members(append(ids[:4:4], medanID)...)))
	if _, ok := r.problem(t).field("body.anggota[4].umkm_id"); r.status != http.StatusUnprocessableEntity || !ok {
		t.Fatalf("member of medan: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", `select count(*) from pengajuan_dana`); n != before {
		t.Fatalf("refused applications wrote %d rows", n-before)
	}
	r = b.do(t, http.MethodPost, base, viewer, body(members(ids[:5]...)))
	if r.status != http.StatusForbidden {
		t.Fatalf("viewer creates: %d", r.status)
	}
	r = b.do(t, http.MethodPost, base, staf, body(members(ids[:5]...)), "Idempotency-Key", "mesra-1")
	if r.status != http.StatusCreated || r.body["biaya_admin"] != float64(5*240_000) || r.header.Get("Location") == "" {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	again := b.do(t, http.MethodPost, base, staf, body(members(ids[:5]...)), "Idempotency-Key", "mesra-1")
	if again.status != http.StatusCreated || again.body["id"] != r.body["id"] || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s", again.status, again.raw)
	}
	path := r.header.Get("Location")
	tag := r.header.Get("ETag")
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "aktif"}, "If-Match", tag)
	if r.status != http.StatusConflict || !strings.Contains(r.problem(t).Detail, "Diajukan") {
		t.Fatalf("wrong step: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "lengkap"})
	if r.status != http.StatusPreconditionRequired {
		t.Fatalf("no If-Match: %d", r.status)
	}
	// Without its papers the group's file is not complete: 409 naming
	// the recommendations and each member's papers.
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "lengkap"}, "If-Match", tag)
	if p := r.problem(t); r.status != http.StatusConflict || !strings.Contains(p.Detail, "Rekomendasi RT, Rekomendasi RW, Rekomendasi kelurahan belum dicatat") ||
		!strings.Contains(p.Detail, "Warung Mesra 0: KTP, Kartu Keluarga (KK), Sertifikat pelatihan PKM, Buku tabungan bank bjb belum dicatat") {
		t.Fatalf("lengkap without papers: %d %s", r.status, r.raw)
	}
	for _, j := range []string{"rt", "rw", "kelurahan"} {
		if r := b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": j, "nomor": "400/" + j, "tanggal": "2025-01-02"}); r.status != http.StatusCreated {
			t.Fatalf("recommendation %s: %d %s", j, r.status, r.raw)
		}
	}
	for _, id := range ids[:5] {
		for _, j := range []string{"ktp", "kk", "sertifikat_pkm", "rekening_bjb"} {
			if r := b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": j, "umkm_id": id}); r.status != http.StatusCreated {
				t.Fatalf("paper %s: %d %s", j, r.status, r.raw)
			}
		}
	}
	for _, st := range []string{"lengkap", "dikirim_bank", "disurvei", "disetujui"} {
		r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": st}, "If-Match", tag)
		if r.status != http.StatusOK || r.body["tahap"] != st {
			t.Fatalf("to %s: %d %s", st, r.status, r.raw)
		}
		if stale := b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "ditolak", "alasan_tolak": "slik"}, "If-Match", tag); stale.status != http.StatusPreconditionFailed {
			t.Fatalf("stale If-Match: %d", stale.status)
		}
		tag = r.header.Get("ETag")
	}
	r = b.do(t, http.MethodGet, path, viewer, nil)
	riwayat, _ := r.body["riwayat"].([]any)
	if r.status != http.StatusOK || len(riwayat) != 5 || strings.Join(anyStrings(r.body["berikutnya"]), ",") != "akad" {
		t.Fatalf("viewer reads: %d %s", r.status, r.raw)
	}
	for _, m := range r.body["anggota"].([]any) {
		if m.(map[string]any)["nama_pemilik"] == "Siti Aminah" {
			t.Errorf("viewer sees an owner's name unmasked")
		}
	}
	r = b.do(t, http.MethodGet, "/v1/tenants/depok/pendanaan/papan?jenis=kredit_mesra", viewer, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.raw), `"tahap":"disetujui","nama":"Disetujui","jumlah":1`) {
		t.Fatalf("board: %d %s", r.status, r.raw)
	}
	// Another office's application answers as a missing one.
	if r := b.do(t, http.MethodGet, strings.Replace(path, "depok", "medan", 1), medanStaf, nil); r.status != http.StatusNotFound {
		t.Fatalf("medan reads depok's application: %d", r.status)
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// TestPendanaanSubsidyClaimThroughTheAPI: an active loan's month is split
// exactly, a claim beyond the year's ceiling is refused, one within it is
// verified and paid.
func TestPendanaanSubsidyClaimThroughTheAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, admin := b.login(t, b.depokStaf.Email), b.login(t, b.depokAdmin.Email)
	year := time.Now().Year()
	month := time.Now().AddDate(0, -1, 0).Format("2006-01")
	// This year's ceiling, as the office's override.
	ubah := map[string]any{"berlaku_mulai": fmt.Sprintf("%d-01-01", year), "alasan": "APBD murni",
		"aturan": map[string]any{"pagu_tahunan": map[string]any{fmt.Sprint(year): 200_000, fmt.Sprint(year - 1): 200_000}}}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/skema/subsidi_bunga_depok/ubahan", staf, ubah); r.status != http.StatusForbidden {
		t.Fatalf("staf overrides a scheme: %d", r.status)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/skema/subsidi_bunga_depok/ubahan", admin, ubah); r.status != http.StatusOK {
		t.Fatalf("override: %d %s", r.status, r.raw)
	}
	debtor := func(name string, pokok int64) string {
		u := umkmBody(name, "Budi", "32.76.01", "32.76.01.1006")
		u["nib"] = fmt.Sprintf("91203%08d", pokok/1_000_000)
		id, _ := b.newUMKM(t, "depok", staf, u)
		r := b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/pengajuan", staf, map[string]any{"skema": "subsidi_bunga_depok",
			"umkm_id": id, "plafon": pokok, "bank": "bjb"})
		if r.status != http.StatusCreated {
			t.Fatalf("apply: %d %s", r.status, r.raw)
		}
		path, tag := r.header.Get("Location"), r.header.Get("ETag")
		if r := b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "ktp", "catatan": "KTP Depok diperiksa"}); r.status != http.StatusCreated {
			t.Fatalf("ktp: %d %s", r.status, r.raw)
		}
		for _, st := range []map[string]any{{"tahap": "lengkap", "pernyataan_bukan_asn": true, "pernyataan_tanpa_kredit_macet": true},
			{"tahap": "dikirim_bank"}, {"tahap": "disurvei", "slik": "bersih"}, {"tahap": "disetujui"},
			{"tahap": "akad", "nomor_akad": "AK/1", "tanggal_akad": month + "-01"}, {"tahap": "sk", "nomor_sk": "SK/1", "tanggal_sk": month + "-02"}, {"tahap": "aktif"}} {
			r = b.do(t, http.MethodPost, path+"/tahap", staf, st, "If-Match", tag)
			if r.status != http.StatusOK {
				t.Fatalf("to %v: %d %s", st, r.status, r.raw)
			}
			tag = r.header.Get("ETag")
		}
		return r.body["id"].(string)
	}
	a, c := debtor("Toko Edge", 25_000_000), debtor("Toko Lewat", 26_000_000)
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/subsidi", staf, map[string]any{"pengajuan_id": a, "bulan": month, "bunga": 187_501})
	if r.status != http.StatusCreated || r.body["subsidi"] != float64(168_750) || r.body["bagian_debitur"] != float64(18_751) {
		t.Fatalf("month at Rp25 juta: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/subsidi", staf, map[string]any{"pengajuan_id": c, "bulan": month, "bunga": 195_000})
	if r.status != http.StatusCreated || r.body["subsidi"] != float64(156_000) || r.body["subsidi_bp"] != float64(8000) {
		t.Fatalf("month at Rp26 juta: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/subsidi", staf, map[string]any{"pengajuan_id": c, "bulan": "2024-13", "bunga": -1})
	if p := r.problem(t); r.status != http.StatusUnprocessableEntity || len(p.Errors) == 0 {
		t.Fatalf("bad month: %d %s", r.status, r.raw)
	}
	// 168.750 + 156.000 is beyond the 200.000 ceiling: refused, nothing used.
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/subsidi/klaim", staf, map[string]any{"bank": "bjb", "bulan": month})
	if r.status != http.StatusConflict || !strings.Contains(r.problem(t).Detail, "melebihi sisa pagu") {
		t.Fatalf("claim beyond the ceiling: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodGet, "/v1/tenants/depok/pendanaan/subsidi?bulan="+month, staf, nil)
	if r.status != http.StatusOK || r.body["total_subsidi"] != float64(324_750) || r.body["pagu"].(map[string]any)["terpakai"] != float64(0) {
		t.Fatalf("ledger: %d %s", r.status, r.raw)
	}
	// The ceiling raised, the claim passes, is verified and paid.
	ubah["berlaku_mulai"] = time.Now().Format(time.DateOnly)
	ubah["aturan"] = map[string]any{"pagu_tahunan": map[string]any{fmt.Sprint(year): 1_000_000, fmt.Sprint(year - 1): 1_000_000}}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/skema/subsidi_bunga_depok/ubahan", admin, ubah); r.status != http.StatusOK {
		t.Fatalf("raise: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/subsidi/klaim", staf, map[string]any{"bank": "bjb", "bulan": month})
	if r.status != http.StatusCreated || r.body["jumlah"] != float64(324_750) {
		t.Fatalf("claim: %d %s", r.status, r.raw)
	}
	path, tag := r.header.Get("Location"), r.header.Get("ETag")
	if r := b.do(t, http.MethodPost, path+"/bayar", staf, map[string]any{"nomor_sp2d": "1/SP2D", "tanggal_sp2d": time.Now().Format(time.DateOnly)}, "If-Match", tag); r.status != http.StatusConflict {
		t.Fatalf("pay before verifying: %d", r.status)
	}
	r = b.do(t, http.MethodPost, path+"/verifikasi", staf, nil, "If-Match", tag)
	if r.status != http.StatusOK {
		t.Fatalf("verify: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, path+"/bayar", staf, map[string]any{"nomor_sp2d": "1/SP2D", "tanggal_sp2d": time.Now().Format(time.DateOnly)}, "If-Match", r.header.Get("ETag"))
	if r.status != http.StatusOK || r.body["status"] != "dibayar" {
		t.Fatalf("pay: %d %s", r.status, r.raw)
	}
}

// TestPendanaanGatesThroughTheAPI: Depok's interest subsidy refuses the
// step to lengkap with 409 naming each gate still failing; a NIB paper of
// 12 digits is refused by field and one of 13 passes the gate, once per
// Idempotency-Key; the papers show on the GET; the SLIK result is required
// at disurvei and a bad one blocks approval; another office's application
// takes no paper.
func TestPendanaanGatesThroughTheAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer, medanStaf := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email), b.login(t, b.medanStaf.Email)
	id, _ := b.newUMKM(t, "depok", staf, umkmBody("Toko Gerbang", "Budi", "32.76.01", "32.76.01.1006"))
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/pendanaan/pengajuan", staf, map[string]any{"skema": "subsidi_bunga_depok",
		"umkm_id": id, "plafon": 10_000_000, "bank": "bjb"})
	if r.status != http.StatusCreated {
		t.Fatalf("apply: %d %s", r.status, r.raw)
	}
	path, tag := r.header.Get("Location"), r.header.Get("ETag")
	if n := len(r.body["syarat_kurang"].([]any)); n != 5 {
		t.Errorf("a new application fails %d gates, want 5 (domicile unchecked, NIB, two declarations, SLIK): %s", n, r.raw)
	}
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "lengkap", "pernyataan_bukan_asn": true}, "If-Match", tag)
	p := r.problem(t)
	if r.status != http.StatusConflict || !strings.Contains(string(r.raw), `"code":"syarat_belum_terpenuhi"`) || !strings.Contains(p.Detail, "NIB (13 digit): belum ada") ||
		!strings.Contains(p.Detail, "Pernyataan tidak punya kredit bermasalah") || strings.Contains(p.Detail, "Pernyataan bukan ASN") ||
		strings.Contains(p.Detail, "SLIK") {
		t.Fatalf("lengkap with gates failing: %d %s", r.status, r.raw)
	}
	for _, loc := range []string{"syarat.nib", "syarat.domisili", "syarat.tanpa_kredit_macet"} {
		if _, ok := p.field(loc); !ok {
			t.Errorf("409 does not name %s: %s", loc, r.raw)
		}
	}
	if got := b.count(t, "depok", `select count(*) from pengajuan_dana where pernyataan_bukan_asn is not null`); got != 0 {
		t.Errorf("a refused step wrote its declaration")
	}
	// The NIB at its boundary: 12 digits refused beside the field, 13 taken.
	r = b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "nib", "nomor": "912030000001"})
	if _, ok := r.problem(t).field("body.nomor"); r.status != http.StatusUnprocessableEntity || !ok {
		t.Fatalf("12-digit NIB: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "ktp", "nomor": "3276014507850001"})
	if _, ok := r.problem(t).field("body.nomor"); r.status != http.StatusUnprocessableEntity || !ok || strings.Contains(string(r.raw), "3276014507850001") {
		t.Fatalf("a KTP's number (a NIK): %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, path+"/berkas", viewer, map[string]any{"jenis": "nib", "nomor": "9120300000012"}); r.status != http.StatusForbidden {
		t.Fatalf("viewer records a paper: %d", r.status)
	}
	r = b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "nib", "nomor": "9120300000012", "tanggal": "2024-03-01"}, "Idempotency-Key", "nib-1")
	if r.status != http.StatusCreated || r.body["nama"] != "NIB" {
		t.Fatalf("13-digit NIB: %d %s", r.status, r.raw)
	}
	if again := b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "nib", "nomor": "9120300000012", "tanggal": "2024-03-01"},
		"Idempotency-Key", "nib-1"); again.status != http.StatusCreated || again.body["id"] != r.body["id"] || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s", again.status, again.raw)
	}
	if r := b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "nib", "nomor": "9120300000013"}); r.status != http.StatusConflict {
		t.Fatalf("a second NIB paper: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPost, path+"/berkas", staf, map[string]any{"jenis": "ktp"}); r.status != http.StatusCreated {
		t.Fatalf("ktp: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", `select count(*) from audit_log where entity = 'pengajuan_dana_berkas'`); n != 2 {
		t.Errorf("%d papers audited, want 2", n)
	}
	// Another office: its application is not found, nor takes a paper.
	if r := b.do(t, http.MethodPost, strings.Replace(path, "depok", "medan", 1)+"/berkas", medanStaf, map[string]any{"jenis": "nib", "nomor": "9120300000014"}); r.status != http.StatusNotFound {
		t.Fatalf("medan records a paper on depok's application: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodGet, path, viewer, nil)
	berkas, _ := r.body["berkas"].([]any)
	kurang, _ := r.body["syarat_kurang"].([]any)
	if r.status != http.StatusOK || len(berkas) != 2 || len(kurang) != 3 {
		t.Fatalf("GET with papers: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "lengkap", "pernyataan_bukan_asn": true, "pernyataan_tanpa_kredit_macet": true}, "If-Match", tag)
	if r.status != http.StatusOK || len(r.body["syarat_kurang"].([]any)) != 1 {
		t.Fatalf("lengkap: %d %s", r.status, r.raw)
	}
	tag = r.header.Get("ETag")
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "dikirim_bank"}, "If-Match", tag)
	tag = r.header.Get("ETag")
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "disurvei"}, "If-Match", tag)
	if _, ok := r.problem(t).field("body.slik"); r.status != http.StatusUnprocessableEntity || !ok {
		t.Fatalf("disurvei without SLIK: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "disurvei", "slik": "bermasalah"}, "If-Match", tag)
	tag = r.header.Get("ETag")
	r = b.do(t, http.MethodPost, path+"/tahap", staf, map[string]any{"tahap": "disetujui"}, "If-Match", tag)
	if _, ok := r.problem(t).field("syarat.slik_bersih"); r.status != http.StatusConflict || !ok || !strings.Contains(r.problem(t).Detail, "SLIK") {
		t.Fatalf("approval with a bad SLIK: %d %s", r.status, r.raw)
	}
}
