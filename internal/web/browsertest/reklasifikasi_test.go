package browsertest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// usulan is the CSS selector of the proposal of the cooperative nama on the
// page the tab shows.
func (tb *tab) usulan(nama string) string {
	tb.t.Helper()
	js := fmt.Sprintf(`(() => { const a = [...document.querySelectorAll('article.usulan')].find(a => a.querySelector('h2').textContent.trim() === %q);
		return a ? a.id : ''; })()`, nama)
	id, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil || id == "" {
		tb.t.Fatalf("no proposal for %s on %s: %v", nama, tb.path(), err)
	}
	return "#" + id
}

// focused is the id of the element that has the focus.
func (tb *tab) focused() string {
	tb.t.Helper()
	id, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`))
	if err != nil {
		tb.t.Fatal(err)
	}
	return id
}

// key presses a key on the focused element.
func (tb *tab) key(k string) {
	tb.t.Helper()
	tb.do("press "+k, chromedp.KeyEvent(k))
}

// TestReklasifikasiReview: an admin starts a campaign and watches it end,
// reviews and approves a proposal with its legal basis, rejects another
// with a reason, uses the keyboard shortcuts once, approves every
// high-confidence one after the confirmation that says how many, and sees
// the rejection's reason again in the next campaign. axe and the CSP on
// every page.
func TestReklasifikasiReview(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	srv.Work(t)
	ids := srv.SeedReklasifikasi(t, "depok")

	tb := newTab(t, srv.URL)
	tb.open("/t/depok/reklasifikasi")
	tb.login(webtest.AdminDepok, webtest.Password)
	if p := tb.path(); p != "/t/depok/reklasifikasi" {
		t.Fatalf("after login: %s", p)
	}
	assertAccessible(t, tb)
	if status := tb.submit("start a campaign", chromedp.Click(chromedp.CSS("form.mulai-kampanye button"))); status != http.StatusOK {
		t.Fatalf("start: status %d", status)
	}
	kampanye := tb.path()
	// The page polls until the campaign ends.
	tb.do("watch the campaign to its end", chromedp.WaitVisible(chromedp.CSS("#kampanye .status-selesai")))
	if got := tb.text(".diproses"); got != "6 dari 6 koperasi (100%)" {
		t.Errorf("progress: %q", got)
	}
	if got := tb.text("#n-tinggi"); got != "3" {
		t.Errorf("high-confidence proposals: %q", got)
	}
	assertAccessible(t, tb)

	tb.submit("open the queue", chromedp.Click(chromedp.CSS(".aksi-kampanye a.tombol")))
	if p := tb.path(); p != kampanye+"/usulan" {
		t.Fatalf("the queue is at %s", p)
	}
	if n := tb.count("article.usulan"); n != 6 {
		t.Errorf("%d proposals waiting, want 6", n)
	}
	assertAccessible(t, tb)

	// Review and approve: the rationale, the chart, then the legal basis.
	sp := tb.usulan(webtest.KopSimpanPinjam)
	if got := tb.text(sp + " .penjelasan li"); !strings.HasPrefix(got, "62% volume dari unit simpan pinjam") {
		t.Errorf("the rationale: %q", got)
	}
	if n := tb.count(sp + " figure svg rect"); n != 2 {
		t.Errorf("the chart has %d bars, want 2", n)
	}
	tb.do("fill in the legal basis",
		chromedp.SendKeys(chromedp.CSS(sp+` input[name="dasar_hukum"]`), "AHU-0001234.AH.01.27.TAHUN 2025"),
		chromedp.SetValue(chromedp.CSS(sp+` input[name="tanggal_dasar_hukum"]`), "2025-03-14"))
	if status := tb.submit("approve", chromedp.Click(chromedp.CSS(sp+" form.setujui button"))); status != http.StatusOK {
		t.Fatalf("approve: status %d", status)
	}
	if got := tb.text(".kotak-berhasil"); got != webtest.KopSimpanPinjam+" disetujui sebagai koperasi simpan pinjam." {
		t.Errorf("after approving: %q", got)
	}
	if n := srv.Count(t, `select count(*) from koperasi where id = $1 and jenis = 'simpan_pinjam'
		and perubahan_ad_nomor = 'AHU-0001234.AH.01.27.TAHUN 2025' and perubahan_ad_tanggal = '2025-03-14'`, ids[webtest.KopSimpanPinjam]); n != 1 {
		t.Error("the cooperative did not get its type and legal basis")
	}
	assertAccessible(t, tb)

	// Reject with a reason.
	seimbang := tb.usulan(webtest.KopSeimbang)
	tb.do("type the reason", chromedp.SendKeys(chromedp.CSS(seimbang+` form.tolak textarea`), "Usaha utamanya klinik; data unit diperbaiki dahulu."))
	if status := tb.submit("reject", chromedp.Click(chromedp.CSS(seimbang+" form.tolak button"))); status != http.StatusOK {
		t.Fatalf("reject: status %d", status)
	}
	if got := tb.text(".kotak-berhasil"); !strings.Contains(got, webtest.KopSeimbang+" ditolak") {
		t.Errorf("after rejecting: %q", got)
	}

	// The keyboard: the first proposal is chosen; J, K, T, Esc, then S approves it.
	tb.open(kampanye + "/usulan?keyakinan=tinggi")
	toko, tani := tb.usulan(webtest.KopTokoMakmur), tb.usulan(webtest.KopTaniSubur)
	tb.until("the first proposal chosen", fmt.Sprintf(`document.activeElement.id === %q`, toko[1:]))
	tb.key("j")
	if got := tb.focused(); got != tani[1:] {
		t.Errorf("after J the focus is on %q, want %q", got, tani[1:])
	}
	tb.key("k")
	if got := tb.focused(); got != toko[1:] {
		t.Errorf("after K the focus is on %q, want %q", got, toko[1:])
	}
	tb.key("t")
	if got := tb.focused(); got != "alasan-tolak-"+toko[3:] {
		t.Errorf("after T the focus is on %q, want the reason to reject", got)
	}
	tb.key("s") // typed into the reason: no shortcut
	tb.key(kb.Escape)
	if got := tb.focused(); got != toko[1:] {
		t.Errorf("after Esc the focus is on %q", got)
	}
	if status := tb.submit("approve with S", chromedp.KeyEvent("s")); status != http.StatusOK {
		t.Fatalf("S: status %d", status)
	}
	if got := tb.text(".kotak-berhasil"); got != webtest.KopTokoMakmur+" disetujui sebagai koperasi konsumen." {
		t.Errorf("after S: %q", got)
	}
	if n := srv.Count(t, `select count(*) from reklasifikasi_usulan where status = 'ditolak' and alasan = 's'`); n != 0 {
		t.Error("the S typed into the reason was taken as a shortcut and a rejection")
	}
	tb.until("the next proposal chosen", fmt.Sprintf(`document.activeElement.id === %q`, tani[1:]))

	// Approve every high-confidence one: the confirmation says how many.
	tb.open(kampanye)
	tb.submit("open the confirmation", chromedp.Click(chromedp.CSS(`a[href$="/setujui-tinggi"]`)))
	if got := tb.text(".jumlah-tinggi"); got != "Setujui 1 usulan berkeyakinan tinggi yang menunggu?" {
		t.Errorf("the confirmation says %q", got)
	}
	assertAccessible(t, tb)
	if status := tb.submit("approve them all", chromedp.Click(chromedp.CSS("form.konfirmasi button"))); status != http.StatusOK {
		t.Fatalf("bulk approval: status %d", status)
	}
	if got := tb.text(".kotak-berhasil"); !strings.HasPrefix(got, "1 usulan berkeyakinan tinggi disetujui") {
		t.Errorf("after the bulk approval: %q", got)
	}
	if got := tb.text("#n-disetujui"); got != "3" {
		t.Errorf("approved: %q, want 3", got)
	}

	// One proposal on its own page.
	tb.open(kampanye + "/usulan?status=semua")
	tb.submit("open a proposal", chromedp.Click(chromedp.CSS(tb.usulan(webtest.KopTaniSubur)+" h2 a")))
	if got := tb.text(".jenis-disetujui"); got != "Produsen" {
		t.Errorf("the approved proposal's type: %q", got)
	}
	assertAccessible(t, tb)

	// The next campaign shows the rejection's reason.
	tb.open("/t/depok/reklasifikasi")
	tb.submit("start the next campaign", chromedp.Click(chromedp.CSS("form.mulai-kampanye button")))
	next := tb.path()
	if next == kampanye {
		t.Fatal("the same campaign again")
	}
	tb.do("watch it to its end", chromedp.WaitVisible(chromedp.CSS("#kampanye .status-selesai")))
	tb.open(next + "/usulan")
	if got := tb.text(tb.usulan(webtest.KopSeimbang) + " .alasan-lama"); got != "Usaha utamanya klinik; data unit diperbaiki dahulu." {
		t.Errorf("the earlier rejection reads %q", got)
	}
	if n := tb.count("article.usulan"); n != 3 {
		t.Errorf("the next campaign proposes for %d cooperatives, want the 3 still without a type", n)
	}
	assertAccessible(t, tb)
}
