package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPemasaran: staff open a galeri, add a craft product to a business
// from its record, upload its photo (a PNG named .jpg, kept as PNG) and
// curate it for the galeri through the legality gate, then put it on
// display, in a real browser, each page accessible and without a CSP
// violation.
func TestPemasaran(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], umkm.Filter{Limit: 1}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("a business of Depok: %v", err)
	}
	u := page.Items[0]
	srv.Exec(t, `update umkm set legalitas = '[{"jenis": "nib", "nomor": "9120001234567", "status": "terbit"}]' where id = $1`, u.ID)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 40))); err != nil {
		t.Fatal(err)
	}
	foto := filepath.Join(t.TempDir(), "tas.jpg")
	if err := os.WriteFile(foto, img.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/pemasaran")
	tb.login(webtest.StafDepok, webtest.Password)
	if p := tb.path(); p != "/t/depok/pemasaran" {
		t.Fatalf("after login: %s", p)
	}
	assertAccessible(t, tb)
	tb.open("/t/depok/pemasaran/titik/baru")
	tb.choose("#jenis", "galeri")
	tb.do("name the point", chromedp.SendKeys(chromedp.CSS("#nama"), "Galeri UMKM Balai Kota"))
	tb.choose("#kecamatan_kode", u.KecamatanKode)
	assertAccessible(t, tb)
	if status := tb.submit("save the point", chromedp.Click(chromedp.CSS(`form.formulir button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("save the point: status %d", status)
	}
	titik, _, _ := strings.Cut(tb.path(), "?")
	if !strings.HasPrefix(titik, "/t/depok/pemasaran/titik/") {
		t.Fatalf("after saving the point: %s", titik)
	}
	assertAccessible(t, tb)

	tb.open("/t/depok/umkm/" + u.ID.String())
	tb.do("follow the products link", chromedp.Click(chromedp.CSS(`a[href$="/produk"]`)))
	tb.do("wait for the products", chromedp.WaitVisible(chromedp.CSS("#nama")))
	tb.do("name the product", chromedp.SendKeys(chromedp.CSS("#nama"), "Tas Anyaman Pandan"))
	tb.choose("#kategori", "kerajinan")
	tb.do("price", chromedp.SendKeys(chromedp.CSS("#harga"), "125.000"))
	assertAccessible(t, tb)
	if status := tb.submit("save the product", chromedp.Click(chromedp.CSS(`form[action$="/produk"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("save the product: status %d", status)
	}
	if p := tb.path(); !strings.HasPrefix(p, "/t/depok/pemasaran/produk/") {
		t.Fatalf("after saving the product: %s", p)
	}
	tb.do("choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#berkas"), []string{foto}))
	if status := tb.submit("upload", chromedp.Click(chromedp.CSS("form[enctype] button[type=submit]"))); status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
	tb.do("wait for the photo", chromedp.WaitVisible(chromedp.CSS(".galeri-foto img")))
	loaded, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`(() => { const i = document.querySelector('.galeri-foto img'); return i.complete && i.naturalWidth === 40; })()`))
	if err != nil || !loaded {
		t.Errorf("the photo did not load as an image: %v", err)
	}
	assertAccessible(t, tb)

	tb.choose("#titik_id", strings.TrimPrefix(titik, "/t/depok/pemasaran/titik/"))
	tb.do("accept", chromedp.Click(chromedp.CSS("#keputusan-diterima")))
	if status := tb.submit("curate", chromedp.Click(chromedp.CSS(`form[action$="/kurasi"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("curate: status %d", status)
	}
	if got := tb.text("#kurasi + div tbody td"); got != "Diterima" {
		t.Errorf("curation status %q", got)
	}
	assertAccessible(t, tb)

	tb.open(titik)
	if status := tb.submit("put on display", chromedp.Click(chromedp.CSS(`form[action$="/langkah"] button`))); status != http.StatusOK {
		t.Fatalf("display: status %d", status)
	}
	if n := tb.count(`input[name=status][value=selesai]`); n != 1 {
		t.Errorf("after display, %d rotate-out buttons", n)
	}
	assertAccessible(t, tb)
}
