package browsertest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPasarBelanja: staff record the year's goods-and-services budget,
// find the selling business, are refused Rp1 over the Toko Daring limit
// beside the value, correct it and see the share bar move from 0% to 5%,
// in a real browser, accessible and without a CSP violation.
func TestPasarBelanja(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	rec := usaha(t, srv, umkm.Input{NamaUsaha: "Keripik Pasar Bu Siti", NamaPemilik: "Siti Aminah"})
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/pasar/belanja")
	tb.login(webtest.StafDepok, webtest.Password)
	if p := tb.path(); !strings.HasPrefix(p, "/t/depok/pasar/belanja") {
		t.Fatalf("at %s", p)
	}
	if status := tb.submit("record the budget", chromedp.SendKeys(chromedp.CSS("#anggaran-nilai"), "1.000.000.000"),
		chromedp.Click(chromedp.CSS(`form[action="/t/depok/pasar/anggaran"] button[type="submit"]`))); status != http.StatusOK {
		t.Fatalf("budget: status %d", status)
	}
	if got := tb.text("#porsi strong"); got != "0,00%" {
		t.Fatalf("share before any purchase: %q", got)
	}
	if status := tb.submit("search the seller", chromedp.SendKeys(chromedp.CSS("#cari"), "Keripik Pasar"),
		chromedp.Click(chromedp.CSS("#cari-penjual"))); status != http.StatusOK {
		t.Fatalf("search: status %d", status)
	}
	fill := func(nilai string) int64 {
		return tb.submit("record a purchase of "+nilai,
			chromedp.SetValue(chromedp.CSS("#penjual"), "umkm:"+rec.ID.String()),
			chromedp.SetValue(chromedp.CSS("#belanja-opd"), "Dinas Pendidikan"),
			chromedp.SetValue(chromedp.CSS("#belanja-acara"), "HUT Kota Depok"),
			chromedp.SetValue(chromedp.CSS("#belanja-saluran"), "toko_daring"),
			chromedp.SetValue(chromedp.CSS("#belanja-tanggal"), today),
			chromedp.SetValue(chromedp.CSS("#belanja-nilai"), nilai),
			chromedp.Click(chromedp.CSS(`form[action="/t/depok/pasar/belanja"][method="post"] button[type="submit"]`)))
	}
	if status := fill("50.000.001"); status != http.StatusUnprocessableEntity {
		t.Fatalf("over the limit: status %d", status)
	}
	if msg := tb.text("#belanja-nilai-galat"); !strings.Contains(msg, "50.000.000") {
		t.Fatalf("the message beside the value: %q", msg)
	}
	assertAccessible(t, tb)
	if status := fill("50.000.000"); status != http.StatusOK {
		t.Fatalf("purchase: status %d", status)
	}
	if got := tb.text("#porsi strong"); got != "5,00%" {
		t.Fatalf("share after the purchase: %q", got)
	}
	if n := tb.count(`svg.grafik-bertumpuk rect`); n == 0 {
		t.Error("the share bar draws nothing")
	}
	if row := tb.text("#daftar-belanja ~ .tabel-gulir tbody tr"); !strings.Contains(row, "Keripik Pasar Bu Siti") || !strings.Contains(row, "Rp 50.000.000") {
		t.Errorf("the purchase row: %q", row)
	}
	assertAccessible(t, tb)

	// On the business's record page: a plain-http shop link is refused
	// beside the field; the https one becomes a link out.
	tb.open("/t/depok/umkm/" + rec.ID.String())
	shop := func(link string) int64 {
		return tb.submit("add a shop at "+link, chromedp.SetValue(chromedp.CSS("#toko-platform"), "tokopedia"),
			chromedp.SetValue(chromedp.CSS("#toko-tautan"), link), chromedp.SetValue(chromedp.CSS("#toko-dibina"), "program"),
			chromedp.SetValue(chromedp.CSS("#toko-aktif_terakhir"), today),
			chromedp.Click(chromedp.CSS(`form[action$="/toko-daring"] button[type="submit"]`)))
	}
	if status := shop("http://tokopedia.com/keripik"); status != http.StatusUnprocessableEntity {
		t.Fatalf("http link: status %d", status)
	}
	if msg := tb.text("#toko-tautan-galat"); !strings.Contains(msg, "https://") {
		t.Fatalf("the message beside the link: %q", msg)
	}
	assertAccessible(t, tb)
	if status := shop("https://tokopedia.com/keripik"); status != http.StatusOK {
		t.Fatalf("shop: status %d", status)
	}
	if n := tb.count(`#pasar ~ .tabel-gulir a[href="https://tokopedia.com/keripik"][rel="noopener noreferrer nofollow"]`); n != 1 {
		t.Errorf("links out to the shop: %d", n)
	}
	assertAccessible(t, tb)
}
