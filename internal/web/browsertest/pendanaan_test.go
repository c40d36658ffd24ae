package browsertest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPendanaan: Depok's staf follows the menu's Pendanaan, files a Kredit
// Mesra group of five on the form (after the form refused four), takes it
// from submitted to approved with the step buttons, sees it in the
// board's Disetujui column; then records a debtor's month in the subsidy
// ledger and makes the bank's claim, and the budget bar moves. axe and
// the CSP on every page.
func TestPendanaan(t *testing.T) {
	if browser == nil {
		t.Skip("browsertest: " + noBrowser)
	}
	srv := webtest.New(t)
	srv.SeedKelompok(t, 6)
	debtor := srv.ActiveDebtor(t, "Toko Debitur Bunga", 26_000_000)
	srv.PaguSubsidi(t, 1_000_000)

	tb := newTab(t, srv.URL)
	tb.open("/")
	if status := tb.login(webtest.StafDepok, webtest.Password); status != http.StatusOK {
		t.Fatalf("login: status %d", status)
	}
	if status := tb.submit("menu Pendanaan", chromedp.Click(chromedp.CSS(`nav a[href="/t/depok/pendanaan"]`))); status != http.StatusOK {
		t.Fatalf("Pendanaan: status %d", status)
	}
	assertAccessible(t, tb)
	if status := tb.submit("the group form", chromedp.Click(chromedp.CSS(`a[href="/t/depok/pendanaan/kelompok"]`))); status != http.StatusOK {
		t.Fatalf("group form: status %d", status)
	}
	tb.choose("#kelurahan", webtest.KelurahanMesra)
	if status := tb.submit("show the kelurahan's businesses", chromedp.Click(chromedp.CSS(`form[method=get][action="/t/depok/pendanaan/kelompok"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("businesses: status %d", status)
	}
	assertAccessible(t, tb)
	tb.do("name the group", chromedp.SendKeys(chromedp.CSS("#nama_kelompok"), "Kelompok Anggrek"))
	boxes := tb.count(`input[name=anggota]`)
	if boxes < 6 {
		t.Fatalf("%d businesses to pick from, want 6", boxes)
	}
	pick := func(n int) {
		for i := 1; i <= n; i++ {
			row := `//tr[.//label[normalize-space()="Usaha Mesra ` + string(rune('0'+i)) + `"]]`
			tb.do("pick member", chromedp.Click(chromedp.Search(row+`//input[@type="checkbox"]`)))
			tb.do("amount", chromedp.SendKeys(chromedp.Search(row+`//input[contains(@class,"plafon")]`), "1.500.000"))
		}
	}
	pick(4)
	if status := tb.submit("file a group of 4", chromedp.Click(chromedp.CSS(`form[method=post][action="/t/depok/pendanaan/kelompok"] button[type=submit]`))); status != http.StatusUnprocessableEntity {
		t.Fatalf("group of 4: status %d", status)
	}
	if msg := tb.text(`.kotak-pesan`); !strings.Contains(msg, "5 sampai 10") {
		t.Errorf("message %q", msg)
	}
	if n := tb.count(`input[name=anggota]:checked`); n != 4 {
		t.Fatalf("%d members still ticked after the refusal, want 4", n)
	}
	assertAccessible(t, tb)
	row := `//tr[.//label[normalize-space()="Usaha Mesra 5"]]`
	tb.do("pick the fifth", chromedp.Click(chromedp.Search(row+`//input[@type="checkbox"]`)),
		chromedp.SendKeys(chromedp.Search(row+`//input[contains(@class,"plafon")]`), "1.500.000"))
	if status := tb.submit("file a group of 5", chromedp.Click(chromedp.CSS(`form[method=post][action="/t/depok/pendanaan/kelompok"] button[type=submit]`))); status != http.StatusOK {
		t.Fatalf("group of 5: status %d", status)
	}
	if !strings.HasPrefix(tb.path(), "/t/depok/pendanaan/pengajuan/") || tb.count("table.anggota-kelompok tbody tr") != 5 {
		t.Fatalf("at %s with %d members", tb.path(), tb.count("table.anggota-kelompok tbody tr"))
	}
	assertAccessible(t, tb)
	// The file is not complete without its papers: the step is refused
	// naming them, and the page lists what is missing.
	if status := tb.submit("step Berkas lengkap without papers", chromedp.Click(chromedp.Search(`//button[normalize-space()="Pindah ke: Berkas lengkap"]`))); status != http.StatusConflict {
		t.Fatalf("lengkap without papers: status %d", status)
	}
	if msg := tb.text(".kotak-pesan"); !strings.Contains(msg, "Rekomendasi RT, Rekomendasi RW, Rekomendasi kelurahan belum dicatat") {
		t.Errorf("message %q", msg)
	}
	if n := tb.count(".syarat-kurang li"); n != 6 {
		t.Errorf("%d missing gates listed, want 6 (the recommendations, five members' papers)", n)
	}
	assertAccessible(t, tb)
	// The RT's recommendation on the paper form; the rest as recorded.
	tb.choose("#berkas-jenis", "rt")
	tb.do("its number", chromedp.SendKeys(chromedp.CSS("#berkas-nomor"), "07/RT03/2025"))
	if status := tb.submit("record the RT's recommendation", chromedp.Click(chromedp.Search(`//button[normalize-space()="Catat berkas"]`))); status != http.StatusOK {
		t.Fatalf("paper: status %d", status)
	}
	if got := tb.text("table.berkas-dana tbody"); !strings.Contains(got, "Rekomendasi RT") || !strings.Contains(got, "07/RT03/2025") {
		t.Errorf("papers %q", got)
	}
	srv.BerkasKelompok(t, uuid.MustParse(strings.TrimPrefix(tb.path(), "/t/depok/pendanaan/pengajuan/")))
	tb.open(tb.path())
	if got := tb.text(".syarat-lengkap"); got != "Semua syarat skema sudah terpenuhi." {
		t.Errorf("gates %q after all papers", got)
	}
	for _, step := range []string{"Berkas lengkap", "Dikirim ke bank", "Disurvei bank", "Disetujui"} {
		btn := `//button[normalize-space()="Pindah ke: ` + step + `"]`
		if status := tb.submit("step "+step, chromedp.Click(chromedp.Search(btn))); status != http.StatusOK {
			t.Fatalf("%s: status %d", step, status)
		}
		if got := tb.text(".tahap-kini"); got != step {
			t.Fatalf("stage %q after %s", got, step)
		}
	}
	if n := tb.count("ol.riwayat-tahap li"); n != 5 {
		t.Errorf("%d stages in the history, want 5", n)
	}
	tb.open("/t/depok/pendanaan?jenis=kredit_mesra")
	if got := strings.Join(strings.Fields(tb.text("#kolom-disetujui")), " "); got != "Disetujui 1" {
		t.Errorf("the Disetujui column says %q", got)
	}
	if !strings.Contains(tb.text(`section[aria-labelledby="kolom-disetujui"]`), "Kelompok Anggrek") {
		t.Errorf("the approved group is not on the board")
	}

	// The subsidy ledger: record last month's interest, claim it.
	tb.open("/t/depok/pendanaan/subsidi")
	assertAccessible(t, tb)
	tb.choose("#pengajuan_id", debtor.ID.String())
	tb.do("interest", chromedp.SendKeys(chromedp.CSS("#bunga"), "195.000"))
	if status := tb.submit("record the month", chromedp.Click(chromedp.Search(`//button[normalize-space()="Catat"]`))); status != http.StatusOK {
		t.Fatalf("record: status %d", status)
	}
	if got := tb.text("#total-subsidi"); got != "Rp 156.000" {
		t.Errorf("the month's subsidy %q, want 80 %% of Rp 195.000", got)
	}
	if status := tb.submit("make the claim", chromedp.Click(chromedp.Search(`//button[normalize-space()="Buat klaim"]`))); status != http.StatusOK {
		t.Fatalf("claim: status %d", status)
	}
	if got := tb.text(".pagu label"); !strings.HasPrefix(got, "Terpakai Rp 156.000 dari Rp 1.000.000") {
		t.Errorf("budget %q", got)
	}
	if got := tb.text("table.klaim-subsidi td.status-klaim"); got != "Diajukan bank" {
		t.Errorf("claim status %q", got)
	}
	if status := tb.submit("verify", chromedp.Click(chromedp.Search(`//button[normalize-space()="Verifikasi"]`))); status != http.StatusOK {
		t.Fatalf("verify: status %d", status)
	}
	if got := tb.text("table.klaim-subsidi td.status-klaim"); got != "Diverifikasi" {
		t.Errorf("claim status %q after verifying", got)
	}
	assertAccessible(t, tb)
}
