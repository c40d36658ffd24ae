package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// row is the CSS selector of the participant row of business nama.
func (tb *tab) row(nama string) string {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => { const r = [...document.querySelectorAll('tr[id^="peserta-"]')].find(r => r.querySelector('th').textContent.includes(%q));
		return r ? r.id : ''; })()`, nama)
	id, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil || id == "" {
		tb.t.Fatalf("no participant row of %q: %v", nama, err)
	}
	return "#" + id
}

// eval runs the JavaScript js, which must answer true.
func (tb *tab) eval(what, js string) {
	tb.t.Helper()
	if ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js)); err != nil || !ok {
		tb.t.Fatalf("%s: %v, %v", what, ok, err)
	}
}

// apply searches the register for u and applies it.
func (tb *tab) apply(u umkm.Record) {
	tb.t.Helper()
	tb.retype("#cari", u.NamaUsaha)
	if status := tb.submit("search "+u.NamaUsaha, chromedp.Click(chromedp.CSS(`form[role=search] button`))); status != http.StatusOK {
		tb.t.Fatalf("search: status %d", status)
	}
	tb.do("pick "+u.NamaUsaha, chromedp.Click(chromedp.CSS("#u-"+u.ID.String())))
	if status := tb.submit("apply "+u.NamaUsaha, chromedp.Click(chromedp.CSS(`form[action$="/peserta"] button[type=submit]`))); status != http.StatusOK {
		tb.t.Fatalf("apply: status %d", status)
	}
}

// TestProgram: staff create a programme whose rule admits one kecamatan,
// apply an eligible and an ineligible business from the register (the
// reason shown beside), select, mark attendance and complete, in a real
// browser without a CSP violation.
func TestProgram(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], umkm.Filter{Limit: 100}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	var in, out umkm.Record
	for _, r := range page.Items {
		if r.KecamatanKode == srv.PetugasKecamatan && in.NamaUsaha == "" {
			in = r
		} else if r.KecamatanKode != srv.PetugasKecamatan && out.NamaUsaha == "" {
			out = r
		}
	}

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/program")
	tb.login(webtest.StafDepok, webtest.Password)
	if p := tb.path(); p != "/t/depok/program" {
		t.Fatalf("after login: %s", p)
	}
	assertAccessible(t, tb)
	tb.do("an agency", chromedp.SendKeys(chromedp.CSS("#agensi_nama"), "Dinas KUMKM Kota Depok"))
	tb.choose("#agensi_jenis", "kantor")
	if status := tb.submit("add the agency", chromedp.Click(chromedp.CSS(`form[action$="/program/agensi"] button`))); status != http.StatusOK {
		t.Fatalf("agency: status %d", status)
	}
	if status := tb.submit("open the form", chromedp.Click(chromedp.CSS(`a[href="/t/depok/program/baru"]`))); status != http.StatusOK {
		t.Fatalf("form: status %d", status)
	}
	assertAccessible(t, tb)
	tb.choose("#jenis", "pelatihan")
	tb.do("fill in", chromedp.SendKeys(chromedp.CSS("#nama"), "Pelatihan Pengemasan Produk"),
		chromedp.SendKeys(chromedp.CSS("#kuota"), "5"), chromedp.Click(chromedp.CSS("#aturan_kecamatan")),
		chromedp.SendKeys(chromedp.CSS("#nilai_kecamatan"), srv.PetugasKecamatan))
	tb.eval("choose the agency", `(() => { const s = document.querySelector('#agensi_id'); s.selectedIndex = 1; return s.value !== ''; })()`)
	if status := tb.submit("save", chromedp.Click(chromedp.CSS("form.formulir-umkm button[type=submit]"))); status != http.StatusOK {
		t.Fatalf("save: status %d", status)
	}
	if h := tb.text("h1"); h != "Pelatihan Pengemasan Produk" {
		t.Fatalf("after saving: h1 %q at %s", h, tb.path())
	}

	tb.apply(in)
	tb.apply(out)
	if cell := tb.text(tb.row(out.NamaUsaha)); !strings.Contains(cell, "Tidak layak") || !strings.Contains(cell, "tidak termasuk yang diterima") {
		t.Errorf("the ineligible business's row: %q", cell)
	}
	if cell := tb.text(tb.row(in.NamaUsaha)); !strings.Contains(cell, "Layak") || strings.Contains(cell, "Tidak layak") {
		t.Errorf("the eligible business's row: %q", cell)
	}
	if n := tb.count(tb.row(out.NamaUsaha) + ` form[action$="/pilih"]`); n != 0 {
		t.Error("the ineligible business can be selected")
	}
	if status := tb.submit("select", chromedp.Click(chromedp.CSS(tb.row(in.NamaUsaha)+` form[action$="/pilih"] button`))); status != http.StatusOK {
		t.Fatalf("select: status %d", status)
	}
	if q := tb.text(`label[for="kuota-bar"]`); q != "Kuota terisi: 1 dari 5" {
		t.Errorf("quota: %q", q)
	}

	tb.do("a session", chromedp.SendKeys(chromedp.CSS("#sesi-judul-isian"), "Hari 1: Desain kemasan"),
		chromedp.SendKeys(chromedp.CSS("#sesi-tempat"), "Aula Dinas KUMKM"))
	tb.eval("its day", `(document.querySelector('#sesi-tanggal').value = '2026-05-12') !== ''`)
	if status := tb.submit("add the session", chromedp.Click(chromedp.CSS(`form[action$="/sesi"] button`))); status != http.StatusOK {
		t.Fatalf("session: status %d", status)
	}
	tb.do("tick attendance", chromedp.Click(chromedp.CSS(`.kisi-hadir input[type=checkbox]`)))
	if status := tb.submit("save attendance", chromedp.Click(chromedp.CSS(`.kisi-hadir form button`))); status != http.StatusOK {
		t.Fatalf("attendance: status %d", status)
	}
	if n := tb.count(`.kisi-hadir input[type=checkbox]:checked`); n != 1 {
		t.Errorf("%d boxes ticked after saving, want 1", n)
	}
	assertAccessible(t, tb)

	row := tb.row(in.NamaUsaha)
	tb.do("the certificate", chromedp.SendKeys(chromedp.CSS(row+` input[name=sertifikat_nomor]`), "SERT/2026/001"))
	if status := tb.submit("complete", chromedp.Click(chromedp.CSS(row+` form[action$="/selesai"] button`))); status != http.StatusOK {
		t.Fatalf("complete: status %d", status)
	}
	if cell := tb.text(tb.row(in.NamaUsaha)); !strings.Contains(cell, "Selesai") || !strings.Contains(cell, "SERT/2026/001") {
		t.Errorf("the completed row: %q", cell)
	}
	assertAccessible(t, tb)
}
