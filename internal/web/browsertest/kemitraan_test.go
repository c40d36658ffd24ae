package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestKemitraan: Depok's staf opens Kemitraan from the menu, adds a
// hospital as partner, records its agreement — refused beside the end
// date when it ends before it starts, then saved — and sees the partner
// leave the "tanpa perjanjian" list. axe and the CSP on every page.
func TestKemitraan(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	tb := newTab(t, srv.URL)
	tb.open("/t/depok/kemitraan")
	if status := tb.login(webtest.StafDepok, webtest.Password); status != http.StatusOK {
		t.Fatalf("login: status %d", status)
	}
	assertAccessible(t, tb)
	if status := tb.submit("new partner", chromedp.Click(chromedp.CSS(`a[href="/t/depok/kemitraan/mitra/baru"]`))); status != http.StatusOK {
		t.Fatalf("partner form: status %d", status)
	}
	assertAccessible(t, tb)
	tb.choose("#jenis", "rumah_sakit")
	tb.do("the partner", chromedp.SendKeys(chromedp.CSS("#nama"), "RSUD Kota Depok"), chromedp.SendKeys(chromedp.CSS("#kontak_nama"), "Siti Aminah"),
		chromedp.SendKeys(chromedp.CSS("#telepon"), "081234567890"))
	if status := tb.submit("save the partner", chromedp.Click(chromedp.CSS(`form[action="/t/depok/kemitraan/mitra"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("save partner: status %d", status)
	}
	if !strings.HasPrefix(tb.path(), "/t/depok/kemitraan/mitra/") || !strings.Contains(tb.text("main"), "Tanpa perjanjian berlaku") {
		t.Fatalf("at %s: %s", tb.path(), tb.text("main"))
	}
	assertAccessible(t, tb)
	if status := tb.submit("new agreement", chromedp.Click(chromedp.Search(`//main//a[normalize-space()="Perjanjian baru"]`))); status != http.StatusOK {
		t.Fatalf("agreement form: status %d", status)
	}
	assertAccessible(t, tb)
	tb.do("the agreement", chromedp.SendKeys(chromedp.CSS("#judul"), "Pojok UMKM di lobi RSUD"), chromedp.SendKeys(chromedp.CSS("#nomor_kantor"), "500/12/DKUM"),
		chromedp.SetValue(chromedp.CSS("#mulai"), "2026-12-06"), chromedp.SetValue(chromedp.CSS("#berakhir"), "2026-12-01"))
	tb.choose("#status", "berlaku")
	save := chromedp.Click(chromedp.CSS(`form[action="/t/depok/kemitraan/perjanjian"] button[type=submit]`))
	if status := tb.submit("end before start", save); status != http.StatusUnprocessableEntity {
		t.Fatalf("end before start: status %d", status)
	}
	if msg := tb.text("#berakhir-galat"); !strings.Contains(msg, "tidak boleh sebelum tanggal mulai") {
		t.Errorf("beside the end: %q", msg)
	}
	assertAccessible(t, tb)
	tb.do("fix the end", chromedp.SetValue(chromedp.CSS("#berakhir"), "2028-12-05"))
	if status := tb.submit("save the agreement", save); status != http.StatusOK {
		t.Fatalf("save agreement: status %d", status)
	}
	if !strings.HasPrefix(tb.path(), "/t/depok/kemitraan/perjanjian/") || !strings.Contains(tb.text("main"), "6 Desember 2026 – 5 Desember 2028") {
		t.Fatalf("at %s: %s", tb.path(), tb.text("main"))
	}
	assertAccessible(t, tb)
	if n := srv.Count(t, `select count(*) from kemitraan_perjanjian where berakhir = '2028-12-05'`); n != 1 {
		t.Errorf("%d agreements", n)
	}
	tb.open("/t/depok/kemitraan?perjanjian=tanpa")
	if strings.Contains(tb.text("main"), "RSUD Kota Depok") {
		t.Errorf("the partner is still without an agreement: %s", tb.text("main"))
	}
	assertAccessible(t, tb)
}
