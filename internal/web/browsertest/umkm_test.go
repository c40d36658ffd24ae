package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// choose picks value in the select sel as a person would: the change
// event fires (htmx listens to it).
func (tb *tab) choose(sel, value string) {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q;
		s.dispatchEvent(new Event('change', {bubbles: true})); return s.value; })()`, sel, value)
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil || got != value {
		tb.t.Fatalf("choose %s in %s: got %q, %v", value, sel, got, err)
	}
}

// retype replaces the text of the field sel by typing text.
func (tb *tab) retype(sel, text string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).value = '') === ''`, sel))); err != nil {
		tb.t.Fatalf("clear %s: %v", sel, err)
	}
	tb.do("type in "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// until waits for the JavaScript condition cond to hold.
func (tb *tab) until(what, cond string) {
	tb.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
	}
	tb.t.Fatalf("waiting for %s: %s never held", what, cond)
}

// TestRegister walks the register of businesses in a real browser: one
// server, a tab (and cookies) per subtest.
func TestRegister(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], umkm.Filter{Limit: 100}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	var home, away umkm.Record
	for _, r := range page.Items {
		if r.KecamatanKode == srv.PetugasKecamatan {
			home = r
		} else {
			away = r
		}
	}

	t.Run("staf registers a business and finds it misspelled", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/t/depok/umkm/baru")
		tb.login(webtest.StafDepok, webtest.Password)
		if p := tb.path(); p != "/t/depok/umkm/baru" {
			t.Fatalf("after login: %s", p)
		}
		assertAccessible(t, tb)
		all := tb.count("#kelurahan_kode optgroup")
		tb.choose("#kecamatan_kode", home.KecamatanKode)
		// htmx narrows the desa/kelurahan to the kecamatan chosen.
		tb.until("the kelurahan of one kecamatan", `document.querySelectorAll('#kelurahan_kode optgroup').length === 1`)
		if all < 2 {
			t.Errorf("without a kecamatan the select offers %d groups, want every kecamatan", all)
		}
		tb.choose("#kelurahan_kode", home.KelurahanKode)
		tb.do("fill in", chromedp.SendKeys(chromedp.CSS("#nama_usaha"), "Keripik Singkong Barokah"),
			chromedp.SendKeys(chromedp.CSS("#nama_pemilik"), "Siti Aminah"),
			chromedp.SendKeys(chromedp.CSS("#modal_usaha"), "15.000.000"),
			chromedp.Click(chromedp.CSS("#saluran-shopee")))
		tb.choose("#sektor", "kuliner")
		if status := tb.submit("register", chromedp.Click(chromedp.CSS("form.formulir-umkm button[type=submit]"))); status != http.StatusOK {
			t.Fatalf("register: status %d", status)
		}
		if h := tb.text("h1"); h != "Keripik Singkong Barokah" {
			t.Fatalf("after registering: h1 %q at %s", h, tb.path())
		}
		if msg := tb.text(".kotak-info"); msg != "Usaha sudah didaftarkan." {
			t.Errorf("message %q", msg)
		}
		assertAccessible(t, tb)
		tb.open("/t/depok/umkm")
		tb.do("search misspelled", chromedp.SendKeys(chromedp.CSS("#q"), "kripik barokh"))
		tb.until("the business found", `[...document.querySelectorAll('#hasil tbody th a')].some(a => a.textContent === 'Keripik Singkong Barokah')`)
		if p := tb.path(); !strings.Contains(p, "q=kripik") {
			t.Errorf("the address does not keep the search: %s", p)
		}
		tb.choose("#sektor", "fashion")
		tb.until("the sector filter applied", `document.querySelector('#hasil .kosong') !== null`)
		assertAccessible(t, tb)
	})

	t.Run("two tabs edit one record: the second sees the first's version beside its own", func(t *testing.T) {
		first, second := newTab(t, srv.URL), newTab(t, srv.URL)
		edit := "/t/depok/umkm/" + home.ID.String() + "/ubah"
		for _, tb := range []*tab{first, second} {
			tb.open(edit)
			tb.login(webtest.StafDepok, webtest.Password)
			if p := tb.path(); p != edit {
				t.Fatalf("edit form at %s", p)
			}
		}
		first.retype("#nama_usaha", "Nama dari Tab Satu")
		if status := first.submit("first save", chromedp.Click(chromedp.CSS("form.formulir-umkm button[type=submit]"))); status != http.StatusOK {
			t.Fatalf("first save: status %d", status)
		}
		second.retype("#produk", "Produk dari tab dua")
		if status := second.submit("second save", chromedp.Click(chromedp.CSS("form.formulir-umkm button[type=submit]"))); status != http.StatusPreconditionFailed {
			t.Fatalf("second save: status %d, want 412", status)
		}
		if msg := second.text(".kotak-pesan"); !strings.HasPrefix(msg, "Data ini sudah diubah orang lain") {
			t.Errorf("message %q", msg)
		}
		if v, _ := chromedp.Run(second.ctx, chromedp.Value(chromedp.CSS("#produk"))); v != "Produk dari tab dua" {
			t.Errorf("the second tab's input is lost: %q", v)
		}
		if saved := second.text(".bentrok tbody"); !strings.Contains(saved, "Nama dari Tab Satu") {
			t.Errorf("the first tab's version is not beside: %q", saved)
		}
		assertAccessible(t, second)
	})

	t.Run("a petugas cannot open a record outside their area by URL", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/")
		tb.login(webtest.PetugasDepok, webtest.Password)
		if status := tb.open("/t/depok/umkm/" + away.ID.String()); status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
		if h := tb.text("h1"); h != "Tidak ditemukan" {
			t.Errorf("h1 %q", h)
		}
		if status := tb.open("/t/depok/umkm/" + home.ID.String()); status != http.StatusOK {
			t.Errorf("a record of their area: status %d", status)
		}
		assertAccessible(t, tb)
	})

	t.Run("a viewer sees no edit buttons and a forged POST is refused", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		rec := "/t/depok/umkm/" + home.ID.String()
		tb.open(rec)
		tb.login(webtest.ViewerDepok, webtest.Password)
		if p := tb.path(); p != rec {
			t.Fatalf("at %s", p)
		}
		if n := tb.count(`a[href$="/ubah"], a[href$="/arsip"], form[action*="/kendala"]`); n != 0 {
			t.Errorf("a viewer is offered %d actions", n)
		}
		assertAccessible(t, tb)
		// The same site's form, written into the page by hand.
		forge := fmt.Sprintf(`(() => { const f = document.createElement('form'); f.method = 'post'; f.action = %q;
			const i = document.createElement('input'); i.name = 'versi'; i.value = '1'; f.appendChild(i);
			document.body.appendChild(f); f.submit(); return true; })()`, rec+"/arsip")
		status := tb.submit("forged POST", chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](forge)(ctx, target)
			return err
		}))
		if status != http.StatusForbidden {
			t.Errorf("forged archive: status %d, want 403", status)
		}
	})
}
