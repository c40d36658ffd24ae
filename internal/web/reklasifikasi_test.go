package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var (
	kampanyeLink = regexp.MustCompile(`^/t/depok/reklasifikasi/([0-9a-f-]{36})$`)
	usulanBlock  = regexp.MustCompile(`(?s)<article class="usulan" id="u-([0-9a-f-]{36})".*?</article>`)
	usulanVersi  = regexp.MustCompile(`name="versi" value="(\d+)"`)
	kunciField   = regexp.MustCompile(`name="kunci" value="([0-9a-f-]{36})"`)
)

// usulanOf is the proposal of the cooperative nama on a queue page: its id,
// its block of HTML and the version its forms send.
func usulanOf(t *testing.T, page, nama string) (id, block, versi string) {
	t.Helper()
	for _, m := range usulanBlock.FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[0], ">"+html.EscapeString(nama)+"</a></h2>") {
			v := usulanVersi.FindStringSubmatch(m[0])
			if v == nil {
				return m[1], m[0], ""
			}
			return m[1], m[0], v[1]
		}
	}
	t.Fatalf("no proposal for %s on the page:\n%s", nama, page)
	return "", "", ""
}

// startKampanye starts a campaign as the admin does on the page and waits
// for the workers to finish it; it returns the campaign's path.
func startKampanye(t *testing.T, srv *webtest.Server, admin *webtest.Client) string {
	t.Helper()
	list := admin.Get("/t/depok/reklasifikasi")
	kunci := kunciField.FindStringSubmatch(list.Body)
	if list.Status != http.StatusOK || kunci == nil {
		t.Fatalf("the campaigns page: status %d, no start form\n%s", list.Status, list.Body)
	}
	r := admin.Post("/t/depok/reklasifikasi", url.Values{"kunci": {kunci[1]}})
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !kampanyeLink.MatchString(loc) {
		t.Fatalf("start: status %d, Location %q\n%s", r.Status, loc, r.Body)
	}
	// A second click of the same form is the same campaign, even after it ended.
	srv.WaitKampanye(t, "depok")
	if again := admin.Post("/t/depok/reklasifikasi", url.Values{"kunci": {kunci[1]}}); again.Header.Get("Location") != loc {
		t.Errorf("the same form again: Location %q, want %q", again.Header.Get("Location"), loc)
	}
	return loc
}

// TestReklasifikasiPages: an admin starts a campaign and decides its
// proposals beside each one (errors beside their fields, what was typed
// kept); staf and viewers read without the forms and are refused the
// POSTs; a petugas is refused the pages; another office's campaign is not
// found; the bulk approval says how many and asks again when that changed;
// the report is a job.
func TestReklasifikasiPages(t *testing.T) {
	srv := webtest.New(t)
	srv.Work(t)
	ids := srv.SeedReklasifikasi(t, "depok")
	admin := srv.Client(t)
	admin.Login(webtest.AdminDepok)
	kampanye := startKampanye(t, srv, admin)
	antrean := kampanye + "/usulan"

	t.Run("the campaign shows its counts by outcome and review status", func(t *testing.T) {
		r := admin.Get(kampanye)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, want := range []string{`class="status-selesai">Selesai`, `6 dari 6 koperasi (100%)`, `id="n-tinggi">3<`, `id="n-sedang">1<`,
			`id="n-tinjauan">1<`, `id="n-data">1<`, `id="n-menunggu">6<`, `id="n-disetujui">0<`, `href="` + kampanye + `/setujui-tinggi"`,
			`action="` + kampanye + `/laporan"`, `aria-current="page">Reklasifikasi KSU`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the campaign page lacks %q", want)
			}
		}
		if strings.Contains(r.Body, `hx-trigger="every 1s"`) {
			t.Error("a finished campaign still polls")
		}
	})

	t.Run("the queue runs in review order with the rationale in words", func(t *testing.T) {
		r := admin.Get(antrean)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		var order []string
		for _, m := range usulanBlock.FindAllStringSubmatch(r.Body, -1) {
			order = append(order, m[1])
		}
		if len(order) != 6 {
			t.Fatalf("%d proposals waiting, want 6", len(order))
		}
		_, sedang, _ := usulanOf(t, r.Body, webtest.KopKaryaBersama)
		_, data, _ := usulanOf(t, r.Body, webtest.KopTanpaData)
		if strings.Index(r.Body, sedang) > strings.Index(r.Body, data) {
			t.Error("needs data comes before a medium proposal")
		}
		_, sp, _ := usulanOf(t, r.Body, webtest.KopSimpanPinjam)
		for _, want := range []string{"62% volume dari unit simpan pinjam", "mencapai ambang 50% untuk keyakinan tinggi", `<svg`,
			`Volume usaha`, "Rp 620.000.000", "Keyakinan tinggi", `<option value="simpan_pinjam" selected>Simpan pinjam (usulan)</option>`} {
			if !strings.Contains(sp, want) {
				t.Errorf("the savings-and-loan proposal lacks %q:\n%s", want, sp)
			}
		}
		if !strings.Contains(sedang, "unggul 15 poin atas jasa (30%)") {
			t.Errorf("the medium proposal's rationale:\n%s", sedang)
		}
		_, toko, _ := usulanOf(t, r.Body, webtest.KopTokoMakmur)
		if !strings.Contains(toko, "Ada unit simpan pinjam") || !strings.Contains(toko, "close loop") {
			t.Errorf("the savings-and-loan flag is not shown:\n%s", toko)
		}
		if strings.Contains(r.Body, webtest.KopBerjenis) {
			t.Error("a typed cooperative is in the campaign")
		}
		// Filters: high confidence only; an unknown value beside its field.
		r = admin.Get(antrean + "?keyakinan=tinggi")
		if n := len(usulanBlock.FindAllString(r.Body, -1)); n != 3 {
			t.Errorf("keyakinan=tinggi lists %d, want 3", n)
		}
		r = admin.Get(antrean + "?hasil=perlu_data")
		if n := len(usulanBlock.FindAllString(r.Body, -1)); n != 1 || !strings.Contains(r.Body, webtest.KopTanpaData) {
			t.Errorf("hasil=perlu_data lists %d", n)
		}
		r = admin.Get(antrean + "?keyakinan=pasti")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="keyakinan-galat">Pilih salah satu`) {
			t.Errorf("an unknown filter: status %d\n%s", r.Status, r.Body)
		}
	})

	t.Run("approving another type needs a reason, beside the field, with the input kept", func(t *testing.T) {
		page := admin.Get(antrean)
		id, _, versi := usulanOf(t, page.Body, webtest.KopKaryaBersama)
		form := url.Values{"versi": {versi}, "jenis": {"jasa"}, "dasar_hukum": {"AHU-0001234.AH.01.27.TAHUN 2025"},
			"tanggal_dasar_hukum": {"2025-03-14"}, "kembali": {""}}
		r := admin.Post(antrean+"/"+id+"/setujui", form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", r.Status, r.Body)
		}
		_, block, _ := usulanOf(t, r.Body, webtest.KopKaryaBersama)
		for _, want := range []string{`id="alasan-setujui-` + id + `-galat">Alasan wajib diisi`, `value="AHU-0001234.AH.01.27.TAHUN 2025"`,
			`value="2025-03-14"`, `<option value="jasa" selected>`, `aria-describedby="alasan-setujui-` + id + `-galat"`} {
			if !strings.Contains(block, want) {
				t.Errorf("the refused approval lacks %q:\n%s", want, block)
			}
		}
		// A date in the future, beside the date.
		form.Set("alasan", "Unit transportasi kini usaha utama.")
		form.Set("tanggal_dasar_hukum", time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
		r = admin.Post(antrean+"/"+id+"/setujui", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="tanggal_dasar_hukum-setujui-`+id+`-galat">`) {
			t.Fatalf("a future date: status %d\n%s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "Unit transportasi kini usaha utama.</textarea>") {
			t.Error("the reason typed is lost")
		}
		form.Set("tanggal_dasar_hukum", "2025-03-14")
		next := follow(t, admin, admin.Post(antrean+"/"+id+"/setujui", form))
		if !strings.Contains(next.Body, webtest.KopKaryaBersama+" disetujui sebagai koperasi jasa.") {
			t.Errorf("no confirmation after approving:\n%s", next.Body)
		}
		if n := srv.Count(t, `select count(*) from koperasi where id = $1 and jenis = 'jasa' and kelompok = 'ksu'
			and perubahan_ad_nomor = 'AHU-0001234.AH.01.27.TAHUN 2025'`, ids[webtest.KopKaryaBersama]); n != 1 {
			t.Error("the cooperative did not get its type and legal basis")
		}
		if strings.Contains(next.Body, `id="u-`+id+`"`) {
			t.Error("the approved proposal is still waiting in the queue")
		}
		// The same form again (a stale page): the proposal as it is now, with the message.
		r = admin.Post(antrean+"/"+id+"/setujui", form)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "sudah diputuskan") {
			t.Errorf("approving twice: status %d\n%s", r.Status, r.Body)
		}
		if _, block, _ := usulanOf(t, r.Body, webtest.KopKaryaBersama); !strings.Contains(block, `class="jenis-disetujui">Jasa`) {
			t.Errorf("the decided proposal is not shown as it is now:\n%s", block)
		}
	})

	t.Run("a rejection needs a reason and is shown again in the next campaign", func(t *testing.T) {
		page := admin.Get(antrean + "?hasil=perlu_tinjauan")
		id, _, versi := usulanOf(t, page.Body, webtest.KopSeimbang)
		kembali := "hasil=perlu_tinjauan"
		r := admin.Post(antrean+"/"+id+"/tolak", url.Values{"versi": {versi}, "alasan": {"x"}, "kembali": {kembali}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="alasan-tolak-`+id+`-galat">Alasan wajib diisi, 3–500 karakter.`) ||
			!strings.Contains(r.Body, `<option value="perlu_tinjauan" selected>`) {
			t.Fatalf("a short reason: status %d\n%s", r.Status, r.Body)
		}
		// A stale version: the data changed meanwhile.
		r = admin.Post(antrean+"/"+id+"/tolak", url.Values{"versi": {"99"}, "alasan": {"Data unit belum lengkap"}, "kembali": {kembali}})
		if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "sudah diubah orang lain") ||
			!strings.Contains(r.Body, "Data unit belum lengkap</textarea>") {
			t.Errorf("a stale version: status %d\n%s", r.Status, r.Body)
		}
		r = admin.Post(antrean+"/"+id+"/tolak", url.Values{"versi": {versi}, "alasan": {"Usaha utamanya klinik, data unit perlu diperbaiki."},
			"kembali": {kembali}})
		if loc := r.Header.Get("Location"); r.Status != http.StatusSeeOther || !strings.Contains(loc, "hasil=perlu_tinjauan") {
			t.Fatalf("reject: status %d, Location %q", r.Status, loc)
		}
		if n := srv.Count(t, `select count(*) from koperasi where id = $1 and jenis is null`, ids[webtest.KopSeimbang]); n != 1 {
			t.Error("a rejected cooperative got a type")
		}
	})

	t.Run("staf and viewers read without forms; their POSTs are refused", func(t *testing.T) {
		id, _, versi := usulanOf(t, admin.Get(antrean).Body, webtest.KopTaniSubur)
		for _, email := range []string{webtest.StafDepok, webtest.ViewerDepok} {
			c := srv.Client(t)
			c.Login(email)
			r := c.Get(antrean)
			if r.Status != http.StatusOK || !strings.Contains(r.Body, webtest.KopTaniSubur) {
				t.Errorf("%s opens the queue: %d", email, r.Status)
			}
			if strings.Contains(r.Body, `/setujui"`) || strings.Contains(r.Body, `/tolak"`) || strings.Contains(r.Body, "<kbd>S</kbd>") {
				t.Errorf("%s is offered the decisions", email)
			}
			if r := c.Get("/t/depok/reklasifikasi"); strings.Contains(r.Body, `name="kunci"`) {
				t.Errorf("%s is offered to start a campaign", email)
			}
			for path, form := range map[string]url.Values{
				antrean + "/" + id + "/setujui": {"versi": {versi}},
				antrean + "/" + id + "/tolak":   {"versi": {versi}, "alasan": {"bukan hak saya"}},
				kampanye + "/setujui-tinggi":    {"jumlah": {"2"}},
				"/t/depok/reklasifikasi":        {},
			} {
				if r := c.Post(path, form); r.Status != http.StatusForbidden {
					t.Errorf("%s POST %s: status %d, want 403", email, path, r.Status)
				}
			}
		}
		if n := srv.Count(t, `select count(*) from koperasi where id = $1 and jenis is null`, ids[webtest.KopTaniSubur]); n != 1 {
			t.Error("a refused approval typed the cooperative")
		}
		petugas := srv.Client(t)
		petugas.Login(webtest.PetugasDepok)
		if r := petugas.Get("/t/depok/reklasifikasi"); r.Status != http.StatusForbidden {
			t.Errorf("a petugas opens the campaigns: %d", r.Status)
		}
		if r := petugas.Get("/t/depok/dasbor"); strings.Contains(r.Body, "Reklasifikasi KSU") {
			t.Error("a petugas's menu offers the campaigns")
		}
	})

	t.Run("another office's campaign and proposal are not found", func(t *testing.T) {
		id, _, _ := usulanOf(t, admin.Get(antrean).Body, webtest.KopTaniSubur)
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		other := strings.Replace(kampanye, "/t/depok/", "/t/medan/", 1)
		for _, path := range []string{other, other + "/usulan", other + "/usulan/" + id} {
			if r := medan.Get(path); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Tidak ditemukan") {
				t.Errorf("Medan's staf opens %s: status %d", path, r.Status)
			}
		}
		if r := medan.Get(kampanye); r.Status != http.StatusNotFound {
			t.Errorf("Medan's staf opens Depok's campaign: %d", r.Status)
		}
		if r := admin.Get(antrean + "/" + "00000000-0000-0000-0000-000000000000"); r.Status != http.StatusNotFound {
			t.Errorf("a missing proposal: %d", r.Status)
		}
	})

	t.Run("the bulk approval says how many and asks again when that changed", func(t *testing.T) {
		r := admin.Get(kampanye + "/setujui-tinggi")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "Setujui <strong>3</strong> usulan berkeyakinan tinggi") {
			t.Fatalf("confirmation: status %d\n%s", r.Status, r.Body)
		}
		r = admin.Post(kampanye+"/setujui-tinggi", url.Values{"jumlah": {"5"}})
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "sudah berubah") || !strings.Contains(r.Body, `name="jumlah" value="3"`) {
			t.Errorf("a changed number: status %d\n%s", r.Status, r.Body)
		}
		if n := srv.Count(t, `select count(*) from reklasifikasi_usulan where status = 'disetujui'`); n != 1 {
			t.Errorf("%d approved after a refused confirmation, want 1", n)
		}
		next := follow(t, admin, admin.Post(kampanye+"/setujui-tinggi", url.Values{"jumlah": {"3"}}))
		if !strings.Contains(next.Body, "3 usulan berkeyakinan tinggi disetujui") || !strings.Contains(next.Body, `id="n-disetujui">4<`) {
			t.Errorf("after the bulk approval:\n%s", next.Body)
		}
		if n := srv.Count(t, `select count(*) from koperasi where jenis is not null`); n != 5 {
			t.Errorf("%d typed cooperatives, want 5", n)
		}
		if r := admin.Get(kampanye + "/setujui-tinggi"); !strings.Contains(r.Body, "Tidak ada usulan berkeyakinan tinggi yang menunggu") {
			t.Error("the confirmation still offers an approval")
		}
	})

	t.Run("the next campaign shows the earlier rejection", func(t *testing.T) {
		loc := startKampanye(t, srv, admin)
		if loc == kampanye {
			t.Fatal("no new campaign")
		}
		r := admin.Get(loc + "/usulan")
		_, block, _ := usulanOf(t, r.Body, webtest.KopSeimbang)
		if !strings.Contains(block, `<span class="alasan-lama">Usaha utamanya klinik, data unit perlu diperbaiki.</span>`) {
			t.Errorf("the earlier rejection is not shown:\n%s", block)
		}
	})

	t.Run("the report is a job with its file", func(t *testing.T) {
		staf := srv.Client(t)
		staf.Login(webtest.StafDepok)
		r := staf.Post(kampanye+"/laporan", url.Values{})
		job := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(job, "/t/depok/pekerjaan/") {
			t.Fatalf("export: status %d, Location %q", r.Status, job)
		}
		berkas := regexp.MustCompile(`href="(/t/depok/berkas/[0-9a-f-]{36})"`)
		var m []string
		for deadline := time.Now().Add(30 * time.Second); m == nil && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			m = berkas.FindStringSubmatch(staf.Get(job).Body)
		}
		if m == nil {
			t.Fatal("the report never finished")
		}
		f := staf.Get(m[1])
		if f.Status != http.StatusOK || !strings.HasPrefix(f.Body, "PK") || !strings.Contains(f.Header.Get("Content-Disposition"), ".xlsx") {
			t.Errorf("the report: status %d, %s", f.Status, f.Header.Get("Content-Disposition"))
		}
	})
}
