package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPengguna: an office admin adds a petugas with one kelurahan in the
// browser, finds them in the list, opens them, and reads the change in the
// audit log; each page passes axe under the CSP.
func TestPengguna(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	tb := newTab(t, srv.URL)
	tb.open("/t/depok/pengguna")
	tb.login(webtest.AdminDepok, webtest.Password)
	if p := tb.path(); p != "/t/depok/pengguna" {
		t.Fatalf("after login: %s", p)
	}
	assertAccessible(t, tb)

	kecamatan := `details:has(input[value="` + srv.PetugasKecamatan + `"])`
	tb.do("fill in", chromedp.SendKeys(chromedp.CSS("#nama"), "Rudi Hartono"),
		chromedp.SendKeys(chromedp.CSS("#email"), "rudi@depok.test"),
		chromedp.SendKeys(chromedp.CSS("#sandi"), "kata-sandi-rudi-123"))
	tb.choose("#peran", "petugas")
	// The kecamatan's group opens on a click, as a person opens it.
	tb.do("open the kecamatan", chromedp.Click(chromedp.CSS(kecamatan+" summary")),
		chromedp.Click(chromedp.CSS(kecamatan+" .centang-grup input")))
	kel, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('`+kecamatan+` .centang-grup input').value`))
	if err != nil {
		t.Fatal(err)
	}
	if status := tb.submit("add", chromedp.Click(chromedp.CSS("form[action='/t/depok/pengguna'] button[type=submit]"))); status != http.StatusOK {
		t.Fatalf("add: status %d", status)
	}
	if msg := tb.text(".kotak-berhasil"); !strings.HasPrefix(msg, "Pengguna sudah ditambahkan.") {
		t.Fatalf("message %q at %s", msg, tb.path())
	}
	if n := srv.Count(t, `select count(*) from role_assignments r join users u on u.id = r.user_id
		where u.email = 'rudi@depok.test' and r.role = 'petugas' and r.wilayah = array[$1]`, kel); n != 1 {
		t.Errorf("the petugas was not saved with kelurahan %s", kel)
	}
	assertAccessible(t, tb)

	href, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('table a')].find(a => a.textContent === 'Rudi Hartono').getAttribute('href')`))
	if err != nil {
		t.Fatalf("Rudi is not in the list: %v", err)
	}
	tb.open(href)
	if h := tb.text("h1"); h != "Rudi Hartono" {
		t.Fatalf("h1 %q", h)
	}
	if n := tb.count(`input[name=wilayah]:checked`); n != 1 {
		t.Errorf("%d regions ticked on Rudi's page, want 1", n)
	}
	assertAccessible(t, tb)

	tb.open("/t/depok/audit?jenis=user")
	if got := tb.text("table tbody tr td:nth-child(3)"); got != "Dibuat" {
		t.Errorf("the newest change of users is %q, want Dibuat", got)
	}
	assertAccessible(t, tb)
}
