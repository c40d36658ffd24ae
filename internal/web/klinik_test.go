package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// klinikSenin is the first Monday after today in Jakarta.
func klinikSenin() string {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	d := time.Now().In(loc).AddDate(0, 0, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}

var tiketLocation = regexp.MustCompile(`^/t/depok/klinik/tiket/([0-9a-f-]{36})$`)

// klinikSetup makes a consultant of legalitas on Mondays 09:00–11:00 and a
// walk-in ticket through the forms as staf; it answers the ticket's page.
func klinikSetup(t *testing.T, srv *webtest.Server, c *webtest.Client) (tiket string, legalitas string) {
	t.Helper()
	ls, err := srv.Klinik.ListLayanan(context.Background(), srv.Tenants["depok"], false)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Kode == "legalitas" {
			legalitas = l.ID.String()
		}
	}
	kons := url.Values{"nama": {"Rina Marlina"}, "slot_menit": {"60"}, "kuota_harian": {"2"}, "layanan": {legalitas},
		"jadwal[0].hari": {"1"}, "jadwal[0].mulai": {"09:00"}, "jadwal[0].selesai": {"11:00"}, "jadwal[0].tempat": {"Sentra UMKM Depok"}}
	bad := url.Values{}
	for k, v := range kons {
		bad[k] = v
	}
	bad.Set("jadwal[0].selesai", "09:30")
	if r := c.Post("/t/depok/klinik/konsultan", bad); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="jadwal[0].selesai-galat"`) {
		t.Fatalf("a schedule shorter than a slot: %d\n%s", r.Status, r.Body)
	}
	if r := c.Post("/t/depok/klinik/konsultan", kons); r.Status != http.StatusSeeOther {
		t.Fatalf("konsultan: %d\n%s", r.Status, r.Body)
	}
	form := url.Values{"saluran": {"walk_in"}, "layanan_id": {legalitas}, "nama": {"Siti Aminah"}, "telepon": {"0812-3456-7890"}}
	if r := c.Post("/t/depok/klinik/tiket", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="pertanyaan-galat"`) ||
		!strings.Contains(r.Body, "Siti Aminah") {
		t.Fatalf("a ticket without its question: %d\n%s", r.Status, r.Body)
	}
	form.Set("pertanyaan", "Bagaimana mengurus P-IRT?")
	r := c.Post("/t/depok/klinik/tiket", form)
	if r.Status != http.StatusSeeOther || !tiketLocation.MatchString(r.Header.Get("Location")) {
		t.Fatalf("tiket: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return r.Header.Get("Location"), legalitas
}

// TestKlinikPages: the forms of the clinic, errors beside their fields, the
// week's booking, masking for a viewer, another office's 404, and the
// public form with its tracking page.
func TestKlinikPages(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	tiket, _ := klinikSetup(t, srv, staf)
	senin := klinikSenin()

	page := staf.Get(tiket)
	versi := regexp.MustCompile(`name="versi" value="(\d+)"`).FindStringSubmatch(page.Body)
	if page.Status != http.StatusOK || versi == nil || !strings.Contains(page.Body, "081234567890") {
		t.Fatalf("ticket page: %d\n%s", page.Status, page.Body)
	}
	konsID := regexp.MustCompile(`<option value="([0-9a-f-]{36})">Rina Marlina`).FindStringSubmatch(page.Body)
	if konsID == nil {
		t.Fatalf("no consultant offered:\n%s", page.Body)
	}
	r := staf.Post(tiket+"/jadwal", url.Values{"versi": {versi[1]}, "konsultan_id": {konsID[1]}, "tanggal": {senin}, "mulai": {"09:30"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="mulai-galat"`) || !strings.Contains(r.Body, "Di luar jadwal") {
		t.Fatalf("booking off the grid: %d\n%s", r.Status, r.Body)
	}
	week := staf.Get("/t/depok/klinik?minggu=" + senin + "&tiket=" + strings.TrimPrefix(tiket, "/t/depok/klinik/tiket/"))
	if week.Status != http.StatusOK || !strings.Contains(week.Body, "Pesan 09.00 WIB") {
		t.Fatalf("week with booking buttons: %d\n%s", week.Status, week.Body)
	}
	if r := staf.Post(tiket+"/jadwal", url.Values{"versi": {versi[1]}, "konsultan_id": {konsID[1]}, "tanggal": {senin}, "mulai": {"09:00"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("booking: %d\n%s", r.Status, r.Body)
	}
	if p := staf.Get(tiket); !strings.Contains(p.Body, "pukul 09.00 WIB dengan Rina Marlina") {
		t.Fatalf("the booked slot is not on the ticket:\n%s", p.Body)
	}
	if w := staf.Get("/t/depok/klinik?minggu=" + senin); !strings.Contains(w.Body, "09.00 WIB terisi") || !strings.Contains(w.Body, "10.00 WIB kosong") {
		t.Fatalf("week after booking:\n%s", w.Body)
	}

	page = staf.Get(tiket)
	versi = regexp.MustCompile(`name="versi" value="(\d+)"`).FindStringSubmatch(page.Body)
	r = staf.Post(tiket+"/hasil", url.Values{"versi": {versi[1]}, "jenis": {"rujuk_instansi"}, "catatan": {"Ke Dinkes"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="instansi-galat"`) || !strings.Contains(r.Body, "Ke Dinkes") {
		t.Fatalf("an outcome without its agency: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(tiket+"/hasil", url.Values{"versi": {versi[1]}, "jenis": {"rujuk_instansi"}, "instansi": {"dinkes"}, "selesai": {"true"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("outcome: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(tiket+"/skm", url.Values{"u1": {"4"}, "u2": {"3"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("skm: %d\n%s", r.Status, r.Body)
	}
	if s := staf.Get("/t/depok/klinik/skm?tahun=" + senin[:4]); !strings.Contains(s.Body, "87,50") || !strings.Contains(s.Body, "tidak diketahui") {
		t.Fatalf("SKM page:\n%s", s.Body)
	}

	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	if v := viewer.Get(tiket); v.Status != http.StatusOK || strings.Contains(v.Body, "081234567890") || !strings.Contains(v.Body, "xxxxxxxxx890") ||
		strings.Contains(v.Body, `action="`+tiket+`/hasil"`) {
		t.Fatalf("viewer's ticket page: %d\n%s", v.Status, v.Body)
	}
	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if m := medan.Get(strings.Replace(tiket, "/depok/", "/medan/", 1)); m.Status != http.StatusNotFound {
		t.Fatalf("medan opens depok's ticket: %d", m.Status)
	}

	// The public form: the receipt's code is found on the tracking page.
	anon := srv.Client(t)
	form := anon.Get("/klinik/depok")
	lay := regexp.MustCompile(`<option value="([0-9a-f-]{36})">Pemasaran`).FindStringSubmatch(form.Body)
	if form.Status != http.StatusOK || lay == nil {
		t.Fatalf("public form: %d\n%s", form.Status, form.Body)
	}
	ask := url.Values{"layanan_id": {lay[1]}, "pertanyaan": {"Cara jualan online?"}, "nama": {"Budi Santoso"}, "telepon": {"12"}}
	if r := anon.Post("/klinik/depok", ask); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="telepon-galat"`) {
		t.Fatalf("public form, bad phone: %d\n%s", r.Status, r.Body)
	}
	ask.Set("telepon", "0812 9999 8888")
	r = anon.Post("/klinik/depok", ask)
	kode := regexp.MustCompile(`class="kode-lacak">(KDE-[0-9A-Z]{5}-[0-9A-Z]{5})<`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || kode == nil {
		t.Fatalf("public receipt: %d\n%s", r.Status, r.Body)
	}
	// The same form sent twice (a double click, a reload) is one request.
	ask.Set("kunci", "0b9a8f53-4c5e-4a39-9b3f-6d2f1e0c7a11")
	first := regexp.MustCompile(`class="kode-lacak">(KDE-[0-9A-Z-]+)<`).FindStringSubmatch(anon.Post("/klinik/depok", ask).Body)
	second := regexp.MustCompile(`class="kode-lacak">(KDE-[0-9A-Z-]+)<`).FindStringSubmatch(anon.Post("/klinik/depok", ask).Body)
	if first == nil || second == nil || first[1] != second[1] {
		t.Fatalf("resubmitted form: %v then %v", first, second)
	}
	l := anon.Get("/klinik/lacak/" + kode[1])
	if l.Status != http.StatusOK || !strings.Contains(l.Body, klinik.StatusLabel["baru"]) || strings.Contains(l.Body, "Budi") || strings.Contains(l.Body, "0812") {
		t.Fatalf("tracking page: %d\n%s", l.Status, l.Body)
	}
	if l := anon.Get("/klinik/lacak/KME-" + kode[1][4:]); l.Status != http.StatusNotFound {
		t.Fatalf("the code under another office's prefix: %d", l.Status)
	}

	// Once done, the respondent answers the survey on the tracking page;
	// a blank element stays unknown.
	depok := srv.Tenants["depok"]
	all, err := srv.Klinik.ListTiket(context.Background(), depok, klinik.TiketFilter{}, klinik.View{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range all.Items {
		if k.Kode == kode[1] {
			if _, err := srv.Klinik.AddHasil(context.Background(), depok, k.ID, 0, klinik.KlinikHasilInput{Jenis: "nasihat", Catatan: &k.Pertanyaan, Selesai: true}, klinik.View{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if l := anon.Get("/klinik/lacak/" + kode[1]); !strings.Contains(l.Body, `action="/klinik/lacak/`+kode[1]+`/skm"`) {
		t.Fatalf("no survey on the tracking page:\n%s", l.Body)
	}
	if r := anon.Post("/klinik/lacak/"+kode[1]+"/skm", url.Values{"u1": {"5"}, "u3": {"2"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="u1-galat"`) {
		t.Fatalf("a score of 5: %d\n%s", r.Status, r.Body)
	}
	if r := anon.Post("/klinik/lacak/"+kode[1]+"/skm", url.Values{"u1": {"4"}, "u3": {"2"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("survey: %d\n%s", r.Status, r.Body)
	}
	if l := anon.Get("/klinik/lacak/" + kode[1] + "?pesan=skm"); !strings.Contains(l.Body, "Terima kasih") || strings.Contains(l.Body, "/skm\"") {
		t.Fatalf("after the survey:\n%s", l.Body)
	}
	if r := anon.Post("/klinik/lacak/"+kode[1]+"/skm", url.Values{"u1": {"4"}}); r.Status != http.StatusConflict {
		t.Fatalf("a second survey: %d", r.Status)
	}
}
