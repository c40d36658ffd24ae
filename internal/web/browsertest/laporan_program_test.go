package browsertest

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var agensiOption = regexp.MustCompile(`<option value="([0-9a-f-]{36})">Dinas KUMKM`)

// TestLaporanProgram: a viewer follows the programme list's link to the
// report and sees its charts drawn, with a programme's target, in a real
// browser, accessible and without a CSP violation.
func TestLaporanProgram(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	if r := staf.Post("/t/depok/program/agensi", url.Values{"agensi_nama": {"Dinas KUMKM Depok"}, "agensi_jenis": {"kantor"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("agency: status %d", r.Status)
	}
	form := staf.Get("/t/depok/program/baru")
	id := agensiOption.FindStringSubmatch(form.Body)
	if id == nil {
		t.Fatal("the form offers no agency")
	}
	if r := staf.Post("/t/depok/program/baru", url.Values{"nama": {"Pelatihan Kemasan"}, "jenis": {"pelatihan"}, "tahun": {"2026"}, "agensi_id": {id[1]},
		"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"5"}, "target": {"40"}, "status": {"dibuka"},
		"renja_kode": {"2.17.07.2.01.0015"}, "renja_indikator": {"Jumlah pelaku usaha yang dilatih"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("programme: status %d:\n%s", r.Status, r.Body)
	}

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/program")
	tb.login(webtest.ViewerDepok, webtest.Password)
	if status := tb.submit("open the report", chromedp.Click(chromedp.CSS(`a[href="/t/depok/program/laporan"]`))); status != http.StatusOK {
		t.Fatalf("report: status %d", status)
	}
	if p := tb.path(); p != "/t/depok/program/laporan" {
		t.Fatalf("at %s", p)
	}
	if n := tb.count(`#capaian svg.grafik-bertumpuk rect`); n == 0 {
		t.Error("the target chart draws no bar")
	}
	if n := tb.count(`#corong svg.grafik`); n != 1 {
		t.Errorf("funnel charts: %d", n)
	}
	if cell := tb.text(`#capaian table tbody tr`); cell == "" {
		t.Error("the target table is empty")
	}
	assertAccessible(t, tb)
}
