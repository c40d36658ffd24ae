package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestKonsinyasiOverHTTP runs a listing's ledger as a galeri would: open
// with a commission, receive, report last month, settle; with the
// refusals: more than on hand and more than owed named by field, a
// repeated period, a viewer, another office's ledger as missing.
func TestKonsinyasiOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	medan := b.login(t, b.medanStaf.Email)
	const base = "/v1/tenants/depok"

	tp := b.do(t, http.MethodPost, base+"/pemasaran/titik", staf, map[string]any{"jenis": "galeri", "nama": "Galeri UMKM Balai Kota",
		"kecamatan_kode": "32.76.01", "kelurahan_kode": kelDepok, "operator_jenis": "mitra", "operator_nama": "CV Mitra Galeri",
		"dijaga": true, "lapor_kadens": "bulanan"})
	if tp.status != http.StatusCreated {
		t.Fatalf("titik: %d %s", tp.status, tp.raw)
	}
	titik := base + "/pemasaran/titik/" + tp.body["id"].(string)
	u := b.do(t, http.MethodPost, base+"/umkm", staf, uBody("Anyaman Bu Siti", "Siti Aminah", kelDepok, "nib", "9120001234567"))
	if u.status != http.StatusCreated {
		t.Fatalf("umkm: %d %s", u.status, u.raw)
	}
	p := b.do(t, http.MethodPost, base+"/umkm/"+u.body["id"].(string)+"/produk", staf, map[string]any{"nama": "Tas Anyaman Pandan", "kategori": "kerajinan", "harga": 85_000})
	k := b.do(t, http.MethodPost, titik+"/kurasi", staf, map[string]any{"produk_id": p.body["id"], "keputusan": "diterima"})
	if k.status != http.StatusCreated || k.body["status"] != "diterima" {
		t.Fatalf("kurasi: %d %s", k.status, k.raw)
	}
	ledger := titik + "/kurasi/" + k.body["id"].(string) + "/konsinyasi"

	wantProblem(t, b.do(t, http.MethodPost, ledger, staf, map[string]any{}), http.StatusUnprocessableEntity, "body.komisi_bp", "")
	wantStatus(t, b.do(t, http.MethodPost, ledger, viewer, map[string]any{"komisi_bp": 1000}), http.StatusForbidden)
	if r := b.do(t, http.MethodPost, ledger, staf, map[string]any{"komisi_bp": 1000}); r.status != http.StatusCreated || r.header.Get("Location") != ledger {
		t.Fatalf("open: %d %q %s", r.status, r.header.Get("Location"), r.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, ledger, staf, map[string]any{"komisi_bp": 1000}), http.StatusConflict)

	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	now := time.Now().In(jakarta)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	mulai, selesai := first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)
	day := func(d time.Time) string { return d.Format(time.DateOnly) }

	terima := map[string]any{"jumlah": 20, "batch": "B-01", "tanggal": day(mulai)}
	r := b.do(t, http.MethodPost, ledger+"/terima", staf, terima, "Idempotency-Key", "terima-1")
	if r.status != http.StatusCreated || r.body["di_tangan"].(float64) != 20 {
		t.Fatalf("terima: %d %s", r.status, r.raw)
	}
	if again := b.do(t, http.MethodPost, ledger+"/terima", staf, terima, "Idempotency-Key", "terima-1"); again.status != http.StatusCreated || again.body["di_tangan"].(float64) != 20 {
		t.Fatalf("replay received twice: %d %s", again.status, again.raw)
	}
	jual := map[string]any{"periode_mulai": day(mulai), "periode_selesai": day(selesai), "jumlah": 21, "bruto": 1_785_000, "sumber": "mandiri"}
	wantProblem(t, b.do(t, http.MethodPost, ledger+"/jual", staf, jual), http.StatusUnprocessableEntity, "body.jumlah", "stok di tangan (20)")
	jual["jumlah"] = 8
	wantStatus(t, b.do(t, http.MethodPost, ledger+"/jual", viewer, jual), http.StatusForbidden)
	r = b.do(t, http.MethodPost, ledger+"/jual", staf, jual)
	if r.status != http.StatusCreated || r.body["terutang"].(float64) != 1_606_500 || r.body["komisi"].(float64) != 178_500 {
		t.Fatalf("jual: %d %s", r.status, r.raw)
	}
	wantProblem(t, b.do(t, http.MethodPost, ledger+"/jual", staf, jual), http.StatusUnprocessableEntity, "body.periode_mulai", "bertumpuk")
	wantProblem(t, b.do(t, http.MethodPost, ledger+"/setor", staf, map[string]any{"jumlah": 1_606_501, "nomor_bukti": "TRF-1"}),
		http.StatusUnprocessableEntity, "body.jumlah", "Rp 1.606.500")
	if r := b.do(t, http.MethodPost, ledger+"/setor", staf, map[string]any{"jumlah": 1_606_500, "nomor_bukti": "TRF-1"}); r.status != http.StatusCreated || r.body["terutang"].(float64) != 0 {
		t.Fatalf("setor: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from konsinyasi_gerak"); n != 2 {
		t.Errorf("%d movements, want 2 (a refusal or a replay wrote one)", n)
	}

	got := b.do(t, http.MethodGet, ledger, viewer, nil)
	if got.status != http.StatusOK || len(got.body["gerak"].([]any)) != 2 || len(got.body["bayar"].([]any)) != 1 {
		t.Fatalf("get: %d %s", got.status, got.raw)
	}
	stok := b.do(t, http.MethodGet, titik+"/konsinyasi", viewer, nil)
	if stok.status != http.StatusOK || !strings.Contains(string(stok.raw), `"di_tangan":12`) {
		t.Fatalf("stok: %d %s", stok.status, stok.raw)
	}
	dash := b.do(t, http.MethodGet, base+"/pemasaran/konsinyasi/terlambat", viewer, nil)
	if dash.status != http.StatusOK || !strings.Contains(string(dash.raw), `"operator_nama":"CV Mitra Galeri"`) || !strings.Contains(string(dash.raw), `"stok_belum_cocok":1`) {
		t.Fatalf("dasbor: %d %s", dash.status, dash.raw)
	}
	other := strings.Replace(ledger, "/depok/", "/medan/", 1)
	wantStatus(t, b.do(t, http.MethodGet, other, medan, nil), http.StatusNotFound)
	wantStatus(t, b.do(t, http.MethodPost, other+"/terima", medan, map[string]any{"jumlah": 1}), http.StatusNotFound)
	wantStatus(t, b.do(t, http.MethodGet, strings.Replace(titik, "/depok/", "/medan/", 1)+"/konsinyasi", medan, nil), http.StatusNotFound)
}
