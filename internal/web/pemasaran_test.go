package web_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// pemasaranUMKM is one business of Depok's seeded register, in kecamatan
// (of the petugas when it is webtest's PetugasKecamatan), with a NIB.
func pemasaranUMKM(t *testing.T, srv *webtest.Server, kecamatan string, inside bool) string {
	t.Helper()
	ctx := context.Background()
	var id string
	op := "="
	if !inside {
		op = "<>"
	}
	if err := srv.Env.DB.InTenantTx(ctx, srv.Tenants["depok"].ID, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `select id::text from umkm where archived_at is null and kecamatan_kode `+op+` $1 order by id limit 1`, kecamatan).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `update umkm set nib = null, legalitas = '[{"jenis": "nib", "nomor": "9120001234567", "status": "terbit"}]' where id = $1`, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func pngFoto(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 6, 6))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPemasaranPages: a point with a field refused beside it and the
// typing kept, a business's product from its record, photos typed by their
// bytes (a PNG named .jpg kept as PNG, a text file named .png refused
// beside the file field), a curation through the gate, and the listing put
// on display; a viewer sees but cannot write, a petugas not another area.
func TestPemasaranPages(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	if r := staf.Get("/t/depok/pemasaran"); r.Status != http.StatusOK || !strings.Contains(r.Body, `href="/t/depok/pemasaran"`) {
		t.Fatalf("list: %d", r.Status)
	}
	kec := srv.PetugasKecamatan
	form := url.Values{"jenis": {"galeri"}, "nama": {"Galeri UMKM Balai Kota"}, "kecamatan_kode": {kec}, "kelurahan_kode": {"12.71.01.1001"},
		"operator_jenis": {"kantor"}, "dijaga": {"true"}, "lapor_kadens": {"bulanan"}, "status": {"aktif"}}
	r := staf.Post("/t/depok/pemasaran/titik/baru", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="kelurahan_kode-galat"`) || !strings.Contains(r.Body, `value="Galeri UMKM Balai Kota"`) {
		t.Fatalf("bad kelurahan: %d\n%s", r.Status, r.Body)
	}
	form.Del("kelurahan_kode")
	r = staf.Post("/t/depok/pemasaran/titik/baru", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create titik: %d\n%s", r.Status, r.Body)
	}
	titik := strings.TrimSuffix(r.Header.Get("Location"), "?pesan=baru")
	titikID := titik[strings.LastIndex(titik, "/")+1:]

	u := pemasaranUMKM(t, srv, kec, true)
	if r := staf.Get("/t/depok/umkm/" + u); !strings.Contains(r.Body, `/t/depok/umkm/`+u+`/produk"`) {
		t.Errorf("the record page does not link its products")
	}
	r = staf.Post("/t/depok/umkm/"+u+"/produk", url.Values{"nama": {"Tas Anyaman Pandan"}, "kategori": {"kerajinan"}, "harga": {"lima puluh"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="harga-galat"`) {
		t.Fatalf("bad price: %d", r.Status)
	}
	r = staf.Post("/t/depok/umkm/"+u+"/produk", url.Values{"nama": {"Tas Anyaman Pandan"}, "kategori": {"kerajinan"}, "harga": {"125.000"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create produk: %d\n%s", r.Status, r.Body)
	}
	produk := strings.TrimSuffix(r.Header.Get("Location"), "?pesan=baru")
	if r := staf.Get(produk); r.Status != http.StatusOK || !strings.Contains(r.Body, "Rp 125.000") {
		t.Fatalf("product page: %d", r.Status)
	}

	r = staf.Upload(produk+"/foto", nil, "berkas", "foto.png", []byte("ini catatan, bukan foto\n"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="berkas-galat"`) || !strings.Contains(r.Body, "bukan gambar") {
		t.Fatalf("text named .png: %d", r.Status)
	}
	r = staf.Upload(produk+"/foto", nil, "berkas", "foto.jpg", pngFoto(t))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("PNG named .jpg: %d\n%s", r.Status, r.Body)
	}
	page := staf.Get(produk)
	i := strings.Index(page.Body, `/foto/`)
	if i < 0 {
		t.Fatalf("no photo on the page")
	}
	src := page.Body[strings.LastIndex(page.Body[:i], `"`)+1 : i+6+36]
	if f := staf.Get(src); f.Status != http.StatusOK || f.Header.Get("Content-Type") != "image/png" || f.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("photo %s: %d %v", src, f.Status, f.Header)
	}

	r = staf.Post(produk+"/kurasi", url.Values{"titik_id": {titikID}, "keputusan": {"ditolak"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="alasan-galat"`) {
		t.Fatalf("rejection without a reason: %d", r.Status)
	}
	if r = staf.Post(produk+"/kurasi", url.Values{"titik_id": {titikID}, "keputusan": {"diterima"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("curate: %d\n%s", r.Status, r.Body)
	}
	point := staf.Get(titik)
	if !strings.Contains(point.Body, "Tas Anyaman Pandan") || !strings.Contains(point.Body, "Tampilkan") {
		t.Fatalf("point page lacks the accepted product")
	}

	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	if r := viewer.Get(titik); r.Status != http.StatusOK || strings.Contains(r.Body, "Tampilkan") || strings.Contains(r.Body, "/ubah") {
		t.Errorf("viewer: %d, or sees actions", r.Status)
	}
	if r := viewer.Post("/t/depok/pemasaran/titik/baru", form); r.Status != http.StatusForbidden {
		t.Errorf("viewer creates a point: %d", r.Status)
	}
	petugas := srv.Client(t)
	petugas.Login(webtest.PetugasDepok)
	if r := petugas.Get(titik); r.Status != http.StatusOK {
		t.Errorf("petugas of the point's kecamatan: %d", r.Status)
	}
	other := pemasaranUMKM(t, srv, kec, false)
	if r := petugas.Get("/t/depok/umkm/" + other + "/produk"); r.Status != http.StatusNotFound {
		t.Errorf("petugas reads another area's products: %d", r.Status)
	}
}
