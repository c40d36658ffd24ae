package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestRegistrasiOnline: an owner registers on the public form without an
// account (a field error shown beside its field, every input kept), reads
// the tracking code and the status; a staf accepts the registration on the
// review page; the status then says so. axe and the CSP on each page.
func TestRegistrasiOnline(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)

	pub := newTab(t, srv.URL)
	if status := pub.open("/daftar/depok"); status != http.StatusOK {
		t.Fatalf("/daftar/depok: status %d", status)
	}
	assertAccessible(t, pub)
	kelurahan, err := chromedp.Run(pub.ctx, chromedp.Evaluate[string](`document.querySelector('#kelurahan_kode option[value^="32.76"]').value`))
	if err != nil {
		t.Fatal(err)
	}
	status := pub.submit("send the form with a short NIK",
		chromedp.SendKeys(chromedp.CSS("#nama_pemilik"), "Siti Aminah"),
		chromedp.SendKeys(chromedp.CSS("#nik"), "32760145"),
		chromedp.SendKeys(chromedp.CSS("#telepon"), "0812-3456-7890"),
		chromedp.SendKeys(chromedp.CSS("#nama_usaha"), "Keripik Bu Siti"),
		chromedp.SetValue(chromedp.CSS("#sektor"), "kuliner"),
		chromedp.SetValue(chromedp.CSS("#kelurahan_kode"), kelurahan),
		chromedp.SendKeys(chromedp.CSS("#modal_usaha"), "25.000.000"),
		chromedp.Click(chromedp.CSS(`input[name="saluran_penjualan"][value="shopee"]`)),
		chromedp.Click(chromedp.CSS("form.daftar button[type=submit]")))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a short NIK: status %d", status)
	}
	if got := pub.text("#nik-galat"); got != "NIK harus 16 digit angka." {
		t.Errorf("beside the NIK: %q", got)
	}
	// The message is the field's next sibling but one (after the input).
	if n := pub.count(`#nik[aria-invalid="true"] + #nik-galat`); n != 1 {
		t.Error("the NIK's message is not beside the field")
	}
	kept, err := chromedp.Run(pub.ctx, chromedp.Evaluate[string](`[document.querySelector('#nama_pemilik').value,
		document.querySelector('#nik').value, document.querySelector('#telepon').value, document.querySelector('#nama_usaha').value,
		document.querySelector('#sektor').value, document.querySelector('#kelurahan_kode').value === '`+kelurahan+`',
		document.querySelector('#modal_usaha').value, document.querySelector('input[value="shopee"]').checked].join('|')`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Siti Aminah|32760145|0812-3456-7890|Keripik Bu Siti|kuliner|true|25.000.000|true"; kept != want {
		t.Errorf("after the error the form holds %q, want %q", kept, want)
	}
	assertAccessible(t, pub)

	status = pub.submit("send the form again",
		chromedp.SetValue(chromedp.CSS("#nik"), "3276014507850001"),
		chromedp.Click(chromedp.CSS("form.daftar button[type=submit]")))
	if status != http.StatusOK {
		t.Fatalf("a valid form: status %d", status)
	}
	kode := pub.text(".bukti .kode-lacak")
	if !strings.HasPrefix(kode, "DPK-") {
		t.Fatalf("tracking code %q", kode)
	}
	assertAccessible(t, pub)

	pub.open("/lacak/" + kode)
	if got := pub.text(".status-menunggu"); got != "Menunggu pemeriksaan petugas" {
		t.Errorf("status %q", got)
	}
	assertAccessible(t, pub)

	staf := newTab(t, srv.URL)
	staf.open("/t/depok/registrasi")
	staf.login(webtest.StafDepok, webtest.Password)
	if p := staf.path(); p != "/t/depok/registrasi" {
		t.Fatalf("after login: %s", p)
	}
	if got := staf.text("article.registrasi h2"); got != "Keripik Bu Siti" {
		t.Fatalf("the queue shows %q", got)
	}
	assertAccessible(t, staf)
	if status := staf.submit("accept", chromedp.Click(chromedp.CSS(`form[action$="/terima"] button`))); status != http.StatusOK {
		t.Fatalf("accept: status %d", status)
	}
	if got := staf.text(".kotak-berhasil"); !strings.Contains(got, kode+" diterima") {
		t.Errorf("after accepting: %q", got)
	}
	if n := staf.count("article.registrasi"); n != 0 {
		t.Errorf("the queue still shows %d registrations", n)
	}
	assertAccessible(t, staf)

	pub.open("/lacak/" + kode)
	if got := pub.text(".status-diterima"); got != "Diterima sebagai UMKM binaan" {
		t.Errorf("status after accepting: %q", got)
	}
}
