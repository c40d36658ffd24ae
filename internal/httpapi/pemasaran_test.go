package httpapi

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// TestPemasaranTitikProdukKurasi runs a galeri as an office would: a point,
// a business's products with photos, one product through the gate and on
// display, another referred to the legalitas desk; with the refusals: a
// field named, another office's point as missing, a stale ETag, a viewer.
func TestPemasaranTitikProdukKurasi(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	medan := b.login(t, b.medanStaf.Email)
	const base = "/v1/tenants/depok"

	galeri := map[string]any{"jenis": "galeri", "nama": "Galeri UMKM Balai Kota", "kecamatan_kode": "32.76.01", "kelurahan_kode": kelDepok,
		"operator_jenis": "kantor", "dijaga": true, "lapor_kadens": "bulanan"}
	bad := map[string]any{}
	for k, v := range galeri {
		bad[k] = v
	}
	bad["kelurahan_kode"] = kelHarjamukti // in Cimanggis, not Pancoran Mas
	wantProblem(t, b.do(t, http.MethodPost, base+"/pemasaran/titik", staf, bad), http.StatusUnprocessableEntity, "body.kelurahan_kode", "")
	bad["jenis"], bad["kelurahan_kode"] = "pasar_mingguan", kelDepok
	wantProblem(t, b.do(t, http.MethodPost, base+"/pemasaran/titik", staf, bad), http.StatusUnprocessableEntity, "body.jadwal.mingguan", "")
	wantStatus(t, b.do(t, http.MethodPost, base+"/pemasaran/titik", viewer, galeri), http.StatusForbidden)
	if n := b.count(t, "depok", "select count(*) from titik"); n != 0 {
		t.Fatalf("refused points written: %d", n)
	}
	tp := b.do(t, http.MethodPost, base+"/pemasaran/titik", staf, galeri, "Idempotency-Key", "titik-1")
	if tp.status != http.StatusCreated || tp.header.Get("Location") == "" {
		t.Fatalf("create titik: %d %s", tp.status, tp.raw)
	}
	again := b.do(t, http.MethodPost, base+"/pemasaran/titik", staf, galeri, "Idempotency-Key", "titik-1")
	if again.status != http.StatusCreated || again.body["id"] != tp.body["id"] {
		t.Fatalf("replay: %d %s", again.status, again.raw)
	}
	titik := base + "/pemasaran/titik/" + tp.body["id"].(string)
	if r := b.do(t, http.MethodGet, titik, viewer, nil); r.status != http.StatusOK || r.header.Get("ETag") == "" {
		t.Fatalf("get titik: %d %s", r.status, r.raw)
	}
	wantStatus(t, b.do(t, http.MethodGet, strings.Replace(titik, "/depok/", "/medan/", 1), medan, nil), http.StatusNotFound)
	galeri["nama"] = "Galeri UMKM Margonda"
	wantStatus(t, b.do(t, http.MethodPut, titik, staf, galeri, "If-Match", `"99"`), http.StatusPreconditionFailed)
	wantStatus(t, b.do(t, http.MethodPut, titik, staf, galeri), http.StatusPreconditionRequired)
	up := b.do(t, http.MethodPut, titik, staf, galeri, "If-Match", tp.header.Get("ETag"))
	if up.status != http.StatusOK || up.body["nama"] != "Galeri UMKM Margonda" {
		t.Fatalf("update titik: %d %s", up.status, up.raw)
	}
	list := b.do(t, http.MethodGet, base+"/pemasaran/titik?jenis=galeri&kecamatan=32.76.01", viewer, nil)
	if list.status != http.StatusOK || len(list.body["items"].([]any)) != 1 {
		t.Fatalf("list titik: %d %s", list.status, list.raw)
	}

	u := b.do(t, http.MethodPost, base+"/umkm", staf, uBody("Anyaman Bu Siti", "Siti Aminah", kelDepok, "nib", "9120001234567"))
	if u.status != http.StatusCreated {
		t.Fatalf("create umkm: %d %s", u.status, u.raw)
	}
	umkmID := u.body["id"].(string)
	wantProblem(t, b.do(t, http.MethodPost, base+"/umkm/"+umkmID+"/produk", staf, map[string]any{"nama": "Tas", "kategori": "obat", "harga": 1}),
		http.StatusUnprocessableEntity, "body.kategori", "")
	produk := func(nama, kategori string) string {
		r := b.do(t, http.MethodPost, base+"/umkm/"+umkmID+"/produk", staf, map[string]any{"nama": nama, "kategori": kategori, "harga": 125_000})
		if r.status != http.StatusCreated {
			t.Fatalf("create produk: %d %s", r.status, r.raw)
		}
		return r.body["id"].(string)
	}
	tas, keripik := produk("Tas Anyaman Pandan", "kerajinan"), produk("Keripik Tempe", "makanan_olahan_rumah")
	wantStatus(t, b.do(t, http.MethodGet, strings.Replace(base, "depok", "medan", 1)+"/pemasaran/produk/"+tas, medan, nil), http.StatusNotFound)

	// Photos: the bytes decide; a disagreeing Content-Type, a text file and
	// more than 2 MB are refused; the photo comes back with the sniffed type.
	foto := base + "/pemasaran/produk/" + tas + "/foto"
	pngData, jpegData := testPNG(t), testJPEG(t)
	f := b.do(t, http.MethodPost, foto, staf, pngData, "Content-Type", "application/octet-stream")
	if f.status != http.StatusCreated || f.body["tipe"] != "image/png" {
		t.Fatalf("PNG: %d %s", f.status, f.raw)
	}
	wantProblem(t, b.do(t, http.MethodPost, foto, staf, jpegData, "Content-Type", "image/png"), http.StatusUnprocessableEntity, "body", "")
	wantProblem(t, b.do(t, http.MethodPost, foto, staf, []byte("bukan gambar\n"), "Content-Type", "application/octet-stream"), http.StatusUnprocessableEntity, "body", "")
	big := b.do(t, http.MethodPost, foto, staf, append(jpegData, make([]byte, 3<<20)...), "Content-Type", "image/jpeg")
	if big.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(big.raw), "terlalu besar") {
		t.Fatalf("3 MB: %d %s", big.status, big.raw)
	}
	if n := b.count(t, "depok", "select count(*) from produk_foto"); n != 1 {
		t.Fatalf("%d photos stored, want 1", n)
	}
	got := b.do(t, http.MethodGet, f.header.Get("Location"), viewer, nil)
	if got.status != http.StatusOK || got.header.Get("Content-Type") != "image/png" || got.header.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(got.raw, pngData) {
		t.Fatalf("get foto: %d %v", got.status, got.header)
	}
	wantStatus(t, b.do(t, http.MethodGet, strings.Replace(f.header.Get("Location"), "/depok/", "/medan/", 1), medan, nil), http.StatusNotFound)

	// Curation: the craft needs only the NIB; the food needs P-IRT and halal.
	kurasi := titik + "/kurasi"
	wantProblem(t, b.do(t, http.MethodPost, kurasi, staf, map[string]any{"produk_id": tas, "keputusan": "ditolak"}), http.StatusUnprocessableEntity, "body.alasan", "")
	k := b.do(t, http.MethodPost, kurasi, staf, map[string]any{"produk_id": tas, "keputusan": "diterima"})
	if k.status != http.StatusCreated || k.body["status"] != "diterima" || k.body["aturan_versi"].(float64) != 1 {
		t.Fatalf("kurasi tas: %d %s", k.status, k.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, kurasi, staf, map[string]any{"produk_id": tas, "keputusan": "diterima"}), http.StatusConflict)
	r := b.do(t, http.MethodPost, kurasi, staf, map[string]any{"produk_id": keripik, "keputusan": "diterima"})
	if r.status != http.StatusCreated || r.body["status"] != "dirujuk_legalitas" || r.body["kendala_id"] == nil {
		t.Fatalf("kurasi keripik: %d %s", r.status, r.raw)
	}
	if s := fmt.Sprint(r.body["gagal"]); !strings.Contains(s, "pirt") || !strings.Contains(s, "halal") {
		t.Errorf("reasons: %s", s)
	}
	kendala := b.do(t, http.MethodGet, base+"/umkm/"+umkmID+"/kendala", staf, nil)
	if !strings.Contains(string(kendala.raw), `"legalitas"`) {
		t.Errorf("no legalitas constraint: %s", kendala.raw)
	}
	one := kurasi + "/" + k.body["id"].(string) + "/langkah"
	wantStatus(t, b.do(t, http.MethodPost, one, staf, map[string]any{"status": "tampil"}, "If-Match", `"99"`), http.StatusPreconditionFailed)
	wantProblem(t, b.do(t, http.MethodPost, one, staf, map[string]any{"status": "selesai"}, "If-Match", k.header.Get("ETag")), http.StatusUnprocessableEntity, "body.status", "")
	tampil := b.do(t, http.MethodPost, one, staf, map[string]any{"status": "tampil"}, "If-Match", k.header.Get("ETag"))
	if tampil.status != http.StatusOK || tampil.body["status"] != "tampil" || tampil.body["tampil_mulai"] == nil {
		t.Fatalf("tampil: %d %s", tampil.status, tampil.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, one, viewer, map[string]any{"status": "selesai"}, "If-Match", tampil.header.Get("ETag")), http.StatusForbidden)
	ls := b.do(t, http.MethodGet, kurasi+"?status=tampil", viewer, nil)
	if ls.status != http.StatusOK || len(ls.body["items"].([]any)) != 1 {
		t.Fatalf("list kurasi: %d %s", ls.status, ls.raw)
	}
	kat := b.do(t, http.MethodGet, base+"/pemasaran/kategori", viewer, nil)
	if kat.status != http.StatusOK || !strings.Contains(string(kat.raw), `"2026-10-17"`) {
		t.Fatalf("kategori: %d %s", kat.status, kat.raw)
	}
}

func testPNG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testJPEG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
