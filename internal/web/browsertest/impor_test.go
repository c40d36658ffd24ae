package browsertest

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// importFile is the template's example row, a second good row and a row
// refused for its 15-digit NIK.
func importFile() string {
	header, example, _ := strings.Cut(string(umkm.Template()), "\n")
	example = strings.TrimSpace(example)
	row := func(owner, nik, business string) string {
		r := strings.Replace(example, "Siti Aminah", owner, 1)
		r = strings.Replace(r, "3276014507850001", nik, 1)
		return strings.Replace(r, "Keripik Singkong Bu Siti", business, 1)
	}
	return header + "\n" + example + "\n" + row("Rina Marlina", "3276015508900002", "Kue Basah Bu Rina") + "\n" +
		row("Ahmad Salah", "327601450785000", "Warung Salah") + "\n"
}

// TestImport: a staf uploads a file as a dry run, reads the per-row report
// as htmx brings it in, applies it and watches the import to its end.
func TestImport(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	srv.Work(t)
	file := filepath.Join(t.TempDir(), "pendataan.csv")
	if err := os.WriteFile(file, []byte(importFile()), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/impor")
	tb.login(webtest.StafDepok, webtest.Password)
	if p := tb.path(); p != "/t/depok/impor" {
		t.Fatalf("after login: %s", p)
	}
	assertAccessible(t, tb)
	tb.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#berkas"), []string{file}))
	if status := tb.submit("upload", chromedp.Click(chromedp.CSS("form[enctype] button[type=submit]"))); status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
	dry := tb.path()
	if !strings.HasPrefix(dry, "/t/depok/pekerjaan/") {
		t.Fatalf("after the upload: %s", dry)
	}
	// The page polls the job every second until its report is there.
	tb.do("wait for the report", chromedp.WaitVisible(chromedp.CSS("table.laporan")))
	if got := tb.text(".hasil-tulis"); got != "Uji coba: belum ada yang ditulis." {
		t.Errorf("dry run says %q", got)
	}
	if got := tb.text("tr.hasil-tidak_valid td:nth-of-type(3)"); got != "NIK harus 16 digit angka." {
		t.Errorf("the refused row's reason: %q", got)
	}
	if got := tb.text("tr.hasil-tidak_valid td:nth-of-type(2)"); got != "NIK" {
		t.Errorf("the refused row's column: %q", got)
	}
	assertAccessible(t, tb)

	if status := tb.submit("filter the report", chromedp.SetValue(chromedp.CSS("#hasil"), "tidak_valid"),
		chromedp.Click(chromedp.CSS("form.cari button"))); status != http.StatusOK {
		t.Fatalf("filter: status %d", status)
	}
	if n, all := tb.count("tr.hasil-tidak_valid"), tb.count("table.laporan tbody tr"); n != 1 || all != 1 {
		t.Errorf("filtered report: %d refused of %d rows, want 1 of 1", n, all)
	}

	if status := tb.submit("apply", chromedp.Click(chromedp.CSS(`form[action$="/terapkan"] button`))); status != http.StatusOK {
		t.Fatalf("apply: status %d", status)
	}
	applied := tb.path()
	if applied == dry || !strings.HasPrefix(applied, "/t/depok/pekerjaan/") {
		t.Fatalf("after applying: %s", applied)
	}
	tb.do("watch the import to its end", chromedp.WaitVisible(chromedp.CSS(".hasil-tulis")))
	if got := tb.text(".hasil-tulis"); got != "Perubahan sudah ditulis ke register." {
		t.Errorf("after applying: %q", got)
	}
	if got := tb.text(".status-selesai"); got != "Selesai" {
		t.Errorf("status %q", got)
	}
	assertAccessible(t, tb)

	tb.open("/t/depok/pekerjaan")
	if n := tb.count(`a[href="` + applied + `"]`); n != 1 {
		t.Errorf("Pekerjaan saya links the import %d times", n)
	}
	assertAccessible(t, tb)
}
