package browsertest

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

var (
	firstKecamatan = regexp.MustCompile(`<option value="(\d\d\.\d\d\.\d\d)"`)
	firstKelurahan = regexp.MustCompile(`<option value="(\d\d\.\d\d\.\d\d\.\d{4})"`)
)

// TestKoperasi walks the register of cooperatives in a real browser.
func TestKoperasi(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], umkm.Filter{Limit: 1}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil || len(page.Items) == 0 {
		t.Fatal(err)
	}
	home := page.Items[0]

	t.Run("staf registers a cooperative, adds a unit and records its health", func(t *testing.T) {
		tb := newTab(t, srv.URL)
		tb.open("/t/depok/koperasi/baru")
		tb.login(webtest.StafDepok, webtest.Password)
		if p := tb.path(); p != "/t/depok/koperasi/baru" {
			t.Fatalf("after login: %s", p)
		}
		assertAccessible(t, tb)
		tb.choose("#kecamatan_kode", home.KecamatanKode)
		tb.until("the kelurahan of one kecamatan", `document.querySelectorAll('#kelurahan_kode optgroup').length === 1`)
		tb.choose("#kelurahan_kode", home.KelurahanKode)
		tb.choose("#jenis", "konsumen")
		tb.do("fill in", chromedp.SendKeys(chromedp.CSS("#nama"), "Koperasi Konsumen Mekar Jaya"),
			chromedp.SendKeys(chromedp.CSS("#anggota_laki"), "40"), chromedp.Click(chromedp.CSS("#pilot")))
		if status := tb.submit("register", chromedp.Click(chromedp.CSS("form.formulir-umkm button[type=submit]"))); status != http.StatusOK {
			t.Fatalf("register: status %d", status)
		}
		if h := tb.text("h1"); h != "Koperasi Konsumen Mekar Jaya" {
			t.Fatalf("after registering: h1 %q at %s", h, tb.path())
		}
		record := tb.path()
		record = record[:strings.Index(record, "?")]
		assertAccessible(t, tb)

		if status := tb.submit("open the unit form", chromedp.Click(chromedp.CSS(`a[href$="/unit/baru"]`))); status != http.StatusOK {
			t.Fatalf("unit form: status %d", status)
		}
		assertAccessible(t, tb)
		tb.choose("#jenis_unit", "toko")
		tb.do("a volume", chromedp.SendKeys(chromedp.CSS("#volume_tahun_0"), "2025"), chromedp.SendKeys(chromedp.CSS("#volume_0"), "150.000.000"))
		if status := tb.submit("save the unit", chromedp.Click(chromedp.CSS("#penilaian button[type=submit]"))); status != http.StatusOK {
			t.Fatalf("save unit: status %d", status)
		}
		if units := tb.text("section[aria-labelledby=unit] tbody"); !strings.Contains(units, "Toko") || !strings.Contains(units, "2025: Rp 150.000.000") {
			t.Errorf("the unit is not on the record: %q", units)
		}

		tb.open(record + "/kesehatan/baru")
		assertAccessible(t, tb)
		if n := tb.count("#penilaian input[name^=skor_]"); n != 4 {
			t.Errorf("the form shows %d aspects of Permenkop 9/2020, want 4", n)
		}
		tb.do("scores, one out of range", chromedp.SendKeys(chromedp.CSS("#tahun"), "2025"),
			chromedp.SendKeys(chromedp.CSS("#skor_tata_kelola"), "150"), chromedp.SendKeys(chromedp.CSS("#skor_profil_risiko"), "75,5"),
			chromedp.SendKeys(chromedp.CSS("#skor_kinerja_keuangan"), "70"), chromedp.SendKeys(chromedp.CSS("#skor_permodalan"), "82"))
		if status := tb.submit("save out of range", chromedp.Click(chromedp.CSS("#penilaian button[type=submit]"))); status != http.StatusUnprocessableEntity {
			t.Fatalf("out of range: status %d, want 422", status)
		}
		if msg := tb.text("#skor_tata_kelola-galat"); msg != "Skor Tata kelola harus 0 sampai 100." {
			t.Errorf("message beside the field %q", msg)
		}
		for sel, want := range map[string]string{"#skor_tata_kelola": "150", "#skor_profil_risiko": "75,5", "#tahun": "2025", "#skor_permodalan": "82"} {
			if v, _ := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS(sel))); v != want {
				t.Errorf("%s lost what was typed: %q", sel, v)
			}
		}
		assertAccessible(t, tb)
		tb.retype("#skor_tata_kelola", "80")
		if status := tb.submit("save", chromedp.Click(chromedp.CSS("#penilaian button[type=submit]"))); status != http.StatusOK {
			t.Fatalf("save: status %d", status)
		}
		if p := tb.text(".predikat"); p != "Sehat" {
			t.Errorf("predicate %q, want Sehat (computed by the service)", p)
		}
		if s := tb.text(".skor-total"); s != "76,88" {
			t.Errorf("total %q, want 76,88", s)
		}
		assertAccessible(t, tb)

		for _, p := range []string{"/t/depok/koperasi", "/t/depok/koperasi?pilot=true", record + "/ubah", record + "/arsip",
			record + "/pengurus/baru", record + "/rat/baru", record + "/komposisi", record + "/anggota/baru?cari=" + url.QueryEscape(home.NamaUsaha),
			"/t/depok/dasbor"} {
			if status := tb.open(p); status != http.StatusOK {
				t.Errorf("%s: status %d", p, status)
				continue
			}
			assertAccessible(t, tb)
		}
	})

	t.Run("a Depok admin cannot reach Medan's cooperative by URL", func(t *testing.T) {
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		form := medan.Get("/t/medan/koperasi/baru").Body
		kec, kel := firstKecamatan.FindStringSubmatch(form), firstKelurahan.FindStringSubmatch(form)
		if kec == nil || kel == nil {
			t.Fatalf("no region of Medan in the form")
		}
		r := medan.Post("/t/medan/koperasi/baru", url.Values{"nama": {"Koperasi Rahasia Medan"}, "kecamatan_kode": {kec[1]},
			"kelurahan_kode": {kel[1]}, "aktif": {"true"}})
		loc := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/t/medan/koperasi/") {
			t.Fatalf("create in Medan: status %d:\n%s", r.Status, r.Body)
		}
		id := strings.TrimPrefix(loc[:strings.Index(loc, "?")], "/t/medan/koperasi/")

		tb := newTab(t, srv.URL)
		tb.open("/masuk")
		tb.login(webtest.AdminDepok, webtest.Password)
		for _, p := range []string{"/t/depok/koperasi/" + id, "/t/medan/koperasi/" + id, "/t/depok/koperasi/" + id + "/ubah"} {
			if status := tb.open(p); status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", p, status)
			}
			if h := tb.text("h1"); h != "Tidak ditemukan" {
				t.Errorf("%s: h1 %q", p, h)
			}
			if n := tb.count("body *"); n > 0 && strings.Contains(tb.text("body"), "Rahasia") {
				t.Errorf("%s shows Medan's cooperative", p)
			}
		}
		tb.open("/t/depok/koperasi?q=" + url.QueryEscape("Rahasia Medan"))
		if strings.Contains(tb.text("#hasil"), "Rahasia") {
			t.Errorf("Depok's list shows Medan's cooperative")
		}
		assertAccessible(t, tb)
	})
}
