package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var bundleLink = regexp.MustCompile(`href="(/v1/public/depok/bundel/[A-Za-z0-9_-]+)"`)

// TestOffboardingPages: on the office's page a platform admin cancels
// depok's subscription and closes it, each only once confirmed; closing
// an office still in its trial is refused saying why; the bundle's
// progress polls until its download link shows, and the link downloads.
func TestOffboardingPages(t *testing.T) {
	srv := webtest.New(t)
	p := srv.Client(t)
	p.Login(webtest.Platform)
	end := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	if r := p.Post("/platform/kantor/depok/uji-coba", url.Values{"tanggal": {end}}); r.Status != http.StatusSeeOther {
		t.Fatalf("trial: %d\n%s", r.Status, r.Body)
	}
	page := p.Get("/platform/kantor/depok")
	if !strings.Contains(page.Body, `action="/platform/kantor/depok/batal"`) || strings.Contains(page.Body, `action="/platform/kantor/depok/akhiri"`) {
		t.Errorf("a trialing office: cancel offered, close not:\n%s", page.Body)
	}

	r := p.Post("/platform/kantor/depok/akhiri", url.Values{"konfirmasi": {"ya"}})
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "masih dalam uji coba") {
		t.Errorf("close a trialing office: %d\n%s", r.Status, r.Body)
	}
	r = p.Post("/platform/kantor/depok/batal", url.Values{"alasan": {"SPK tidak diperpanjang"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="batal-konfirmasi-galat"`) {
		t.Errorf("cancel unconfirmed: %d\n%s", r.Status, r.Body)
	}
	r = p.Post("/platform/kantor/depok/batal", url.Values{"alasan": {"x"}, "konfirmasi": {"ya"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="batal-alasan-galat"`) {
		t.Errorf("cancel without a reason: %d\n%s", r.Status, r.Body)
	}
	if r := p.Post("/platform/kantor/depok/batal", url.Values{"alasan": {"SPK tidak diperpanjang"}, "konfirmasi": {"ya"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d\n%s", r.Status, r.Body)
	}
	page = p.Get("/platform/kantor/depok?pesan=batal")
	if !strings.Contains(page.Body, "Langganan sudah dibatalkan") || !strings.Contains(page.Body, "Berakhir") ||
		strings.Contains(page.Body, `action="/platform/kantor/depok/batal"`) || !strings.Contains(page.Body, `action="/platform/kantor/depok/akhiri"`) {
		t.Errorf("a canceled office's page:\n%s", page.Body)
	}
	if r := p.Post("/platform/kantor/depok/akhiri", nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="akhiri-konfirmasi-galat"`) {
		t.Errorf("close unconfirmed: %d\n%s", r.Status, r.Body)
	}
	admin := srv.Client(t)
	admin.Login(webtest.AdminDepok)
	if r := admin.Post("/platform/kantor/depok/akhiri", url.Values{"konfirmasi": {"ya"}}); r.Status != http.StatusNotFound {
		t.Errorf("an office admin closes the office: %d, want 404", r.Status)
	}
	if r := p.Post("/platform/kantor/depok/akhiri", url.Values{"konfirmasi": {"ya"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("close: %d\n%s", r.Status, r.Body)
	}
	page = p.Get("/platform/kantor/depok?pesan=akhiri")
	if !strings.Contains(page.Body, "Penutupan dimulai") || !strings.Contains(page.Body, `hx-select="#bundel"`) ||
		!strings.Contains(page.Body, "Menunggu giliran") || strings.Contains(page.Body, `action="/platform/kantor/depok/akhiri"`) {
		t.Errorf("the closing office's page, its bundle queued:\n%s", page.Body)
	}
	if r := admin.Get("/t/depok/umkm"); !strings.Contains(r.Body, "sedang ditutup: datanya dihapus dari Sentra pada") {
		t.Errorf("the closing office's banner:\n%s", r.Body)
	}

	srv.Work(t)
	deadline := time.Now().Add(60 * time.Second)
	for strings.Contains(page.Body, `hx-select="#bundel"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the bundle is not made:\n%s", page.Body)
		}
		time.Sleep(200 * time.Millisecond)
		page = p.Get("/platform/kantor/depok")
	}
	m := bundleLink.FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, "Tautan ini berlaku sampai") {
		t.Fatalf("no download link:\n%s", page.Body)
	}
	dl := srv.Client(t).Get(html.UnescapeString(m[1]))
	if dl.Status != http.StatusOK || dl.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(dl.Body, "PK") {
		t.Errorf("download: %d %v", dl.Status, dl.Header)
	}

	// The office's admin finds the bundle on the Tagihan page too, with a
	// link of its own that downloads the same bundle.
	tg := admin.Get("/t/depok/tagihan")
	own := bundleLink.FindStringSubmatch(tg.Body)
	if tg.Status != http.StatusOK || own == nil || !strings.Contains(tg.Body, "Ekspor lengkap kantor") {
		t.Fatalf("the office admin's Tagihan page: %d\n%s", tg.Status, tg.Body)
	}
	if again := srv.Client(t).Get(html.UnescapeString(own[1])); again.Status != http.StatusOK || again.Body != dl.Body {
		t.Errorf("the office admin's link: %d, %d bytes (the platform's: %d)", again.Status, len(again.Body), len(dl.Body))
	}
}
