package httpapi

import (
	"net/http"
	"testing"
	"time"
)

// TestPasarOverHTTP: a business's shop and a government purchase through
// the API, with the refusals an office meets: a javascript: link, Rp1 over
// the Toko Daring limit, a stale or missing If-Match, another office, a
// viewer writing, and a petugas outside their region.
func TestPasarOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer, medan := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email), b.login(t, b.medanStaf.Email)
	const base = "/v1/tenants/depok"
	kue, _ := b.newUMKM(t, "depok", staf, umkmBody("Kue Siti", "Siti Aminah", "32.76.01", "32.76.01.1006"))
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)

	shop := map[string]any{"umkm_id": kue, "platform": "shopee", "tautan": "javascript:alert(1)", "dibina_oleh": "program", "aktif_terakhir": today}
	wantProblem(t, b.do(t, http.MethodPost, base+"/toko-daring", staf, shop), http.StatusUnprocessableEntity, "body.tautan", "https://")
	if n := b.count(t, "depok", "select count(*) from toko_daring"); n != 0 {
		t.Fatalf("a refused shop was written: %d", n)
	}
	shop["tautan"] = "https://shopee.co.id/kuesiti"
	wantStatus(t, b.do(t, http.MethodPost, base+"/toko-daring", viewer, shop), http.StatusForbidden)
	r := b.do(t, http.MethodPost, base+"/toko-daring", staf, shop, "Idempotency-Key", "toko-1")
	if r.status != http.StatusCreated || r.body["aktif"] != true {
		t.Fatalf("create toko: %d %s", r.status, r.raw)
	}
	again := b.do(t, http.MethodPost, base+"/toko-daring", staf, shop, "Idempotency-Key", "toko-1")
	if again.status != http.StatusCreated || again.body["id"] != r.body["id"] || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", again.status, again.raw)
	}
	one := base + "/toko-daring/" + r.body["id"].(string)
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/toko-daring/"+r.body["id"].(string), medan, nil), http.StatusNotFound)
	shop["platform"] = "tokopedia"
	wantStatus(t, b.do(t, http.MethodPut, one, staf, shop), http.StatusPreconditionRequired)
	wantStatus(t, b.do(t, http.MethodPut, one, staf, shop, "If-Match", `"7"`), http.StatusPreconditionFailed)
	u := b.do(t, http.MethodPut, one, staf, shop, "If-Match", r.header.Get("ETag"))
	if u.status != http.StatusOK || u.body["platform"] != "tokopedia" {
		t.Fatalf("update toko: %d %s", u.status, u.raw)
	}
	l := b.do(t, http.MethodGet, base+"/toko-daring?aktif=ya&kecamatan=32.76.01&platform=tokopedia", viewer, nil)
	if l.status != http.StatusOK || len(l.body["items"].([]any)) != 1 {
		t.Fatalf("list toko: %d %s", l.status, l.raw)
	}

	// A petugas of Beji sees none of Pancoran Mas and cannot attach to it.
	petugas := b.petugasOf(t, "32.76.06")
	if l := b.do(t, http.MethodGet, base+"/toko-daring", petugas, nil); len(l.body["items"].([]any)) != 0 {
		t.Fatalf("petugas list: %s", l.raw)
	}
	wantStatus(t, b.do(t, http.MethodGet, one, petugas, nil), http.StatusNotFound)
	wantProblem(t, b.do(t, http.MethodPost, base+"/toko-daring", petugas, shop), http.StatusUnprocessableEntity, "body.umkm_id", "")
	wantStatus(t, b.do(t, http.MethodGet, base+"/anggaran-belanja/2026", petugas, nil), http.StatusForbidden)

	// Government purchases: Rp50 juta through Toko Daring, not a rupiah more.
	buy := map[string]any{"opd": "Dinas Pendidikan", "acara": "HUT Kota", "saluran": "toko_daring", "tanggal": today, "nilai": 50_000_001, "umkm_id": kue}
	wantProblem(t, b.do(t, http.MethodPost, base+"/belanja-pemerintah", staf, buy), http.StatusUnprocessableEntity, "body.nilai", "50.000.000")
	buy["nilai"] = 50_000_000
	p := b.do(t, http.MethodPost, base+"/belanja-pemerintah", staf, buy, "Idempotency-Key", "beli-1")
	if p.status != http.StatusCreated {
		t.Fatalf("create belanja: %d %s", p.status, p.raw)
	}
	year := today[:4]
	wantStatus(t, b.do(t, http.MethodPut, base+"/anggaran-belanja/"+year, viewer, map[string]any{"nilai": 1_000_000_000}), http.StatusForbidden)
	a := b.do(t, http.MethodPut, base+"/anggaran-belanja/"+year, staf, map[string]any{"nilai": 1_000_000_000})
	if a.status != http.StatusOK {
		t.Fatalf("anggaran: %d %s", a.status, a.raw)
	}
	wantStatus(t, b.do(t, http.MethodPut, base+"/anggaran-belanja/"+year, staf, map[string]any{"nilai": 5}), http.StatusConflict)
	wantStatus(t, b.do(t, http.MethodPut, base+"/anggaran-belanja/"+year, staf, map[string]any{"nilai": 5}, "If-Match", `"9"`), http.StatusPreconditionFailed)
	c := b.do(t, http.MethodGet, base+"/anggaran-belanja/"+year, viewer, nil)
	if c.status != http.StatusOK || c.body["persen_bp"] != float64(500) || c.body["target_bp"] != float64(4000) || c.header.Get("ETag") != a.header.Get("ETag") {
		t.Fatalf("capaian: %d %s", c.status, c.raw)
	}
	if m := b.do(t, http.MethodGet, "/v1/tenants/medan/anggaran-belanja/"+year, medan, nil); m.body["jumlah"] != float64(0) {
		t.Fatalf("medan sees depok's purchases: %s", m.raw)
	}
	s := b.do(t, http.MethodGet, base+"/pasar/ringkasan", viewer, nil)
	if s.status != http.StatusOK || s.body["usaha_aktif"] != float64(1) || len(s.body["belanja"].([]any)) != 1 {
		t.Fatalf("ringkasan: %d %s", s.status, s.raw)
	}
}
