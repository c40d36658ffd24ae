package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var (
	mitraLink      = regexp.MustCompile(`^/t/depok/kemitraan/mitra/([0-9a-f-]{36})\?pesan=dibuat$`)
	perjanjianLink = regexp.MustCompile(`^/t/depok/kemitraan/perjanjian/([0-9a-f-]{36})\?pesan=dibuat$`)
)

// TestKemitraanPages: a staf adds a partner (refused beside the field
// without a name, kept as typed), records an agreement refused for ending
// before it starts, then one over five years shown with the warning, adds
// a duty and an evaluation, renews it as a new agreement; a viewer reads
// with the contact masked and no forms; another office finds nothing; the
// partner leaves the "tanpa perjanjian" list once its agreement is in force.
func TestKemitraanPages(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)

	if home := staf.Get("/t/depok/kemitraan"); home.Status != http.StatusOK || !strings.Contains(home.Body, `href="/t/depok/kemitraan"`) || !strings.Contains(home.Body, "Belum ada mitra") {
		t.Fatalf("partner list: %d\n%s", home.Status, home.Body)
	}
	form := staf.Get("/t/depok/kemitraan/mitra/baru")
	kunci := kunciField.FindStringSubmatch(form.Body)[1]
	f := url.Values{"kunci": {kunci}, "jenis": {"rumah_sakit"}, "nama": {" "}, "kontak_nama": {"Siti Aminah"}, "telepon": {"081234567890"}}
	r := staf.Post("/t/depok/kemitraan/mitra", f)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="nama-galat"`) || !strings.Contains(r.Body, `value="Siti Aminah"`) {
		t.Fatalf("partner without a name: %d\n%s", r.Status, r.Body)
	}
	f.Set("nama", "RSUD Kota Depok")
	r = staf.Post("/t/depok/kemitraan/mitra", f)
	m := mitraLink.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("partner: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if again := staf.Post("/t/depok/kemitraan/mitra", f); again.Header.Get("Location") != r.Header.Get("Location") {
		t.Errorf("the same form twice: %q", again.Header.Get("Location"))
	}
	mitraID := m[1]
	if tanpa := viewer.Get("/t/depok/kemitraan?perjanjian=tanpa"); !strings.Contains(tanpa.Body, "RSUD Kota Depok") || strings.Contains(tanpa.Body, "081234567890") {
		t.Fatalf("tanpa perjanjian as viewer:\n%s", tanpa.Body)
	}
	if p := viewer.Get("/t/depok/kemitraan/mitra/" + mitraID); p.Status != http.StatusOK || strings.Contains(p.Body, "Siti Aminah") || strings.Contains(p.Body, "Perjanjian baru</a>") {
		t.Fatalf("partner page as viewer: %d\n%s", p.Status, p.Body)
	}
	if p := medan.Get("/t/medan/kemitraan/mitra/" + mitraID); p.Status != http.StatusNotFound {
		t.Fatalf("another office's partner: %d", p.Status)
	}

	pform := staf.Get("/t/depok/kemitraan/perjanjian/baru?mitra=" + mitraID)
	if !strings.Contains(pform.Body, `<option value="`+mitraID+`" selected>`) {
		t.Fatalf("agreement form does not preselect the partner:\n%s", pform.Body)
	}
	pk := kunciField.FindStringSubmatch(pform.Body)[1]
	pf := url.Values{"kunci": {pk}, "mitra_id": {mitraID}, "jenis": {"pks"}, "judul": {"Pojok UMKM di lobi"}, "mulai": {"2026-12-06"}, "berakhir": {"2026-12-01"}, "status": {"berlaku"}}
	r = staf.Post("/t/depok/kemitraan/perjanjian", pf)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="berakhir-galat"`) || !strings.Contains(r.Body, "tidak boleh sebelum tanggal mulai") ||
		!strings.Contains(r.Body, `value="Pojok UMKM di lobi"`) {
		t.Fatalf("end before start: %d\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, "select count(*) from kemitraan_perjanjian"); n != 0 {
		t.Fatalf("a refused agreement was written: %d", n)
	}
	today := time.Now().Format(time.DateOnly)
	pf.Set("mulai", "2026-01-01")
	pf.Set("berakhir", "2031-06-30")
	r = staf.Post("/t/depok/kemitraan/perjanjian", pf)
	pm := perjanjianLink.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || pm == nil {
		t.Fatalf("agreement: %d\n%s", r.Status, r.Body)
	}
	page := staf.Get(r.Header.Get("Location"))
	if !strings.Contains(page.Body, "Permendagri 22/2020 membatasi") || !strings.Contains(page.Body, "1 Januari 2026") || !strings.Contains(page.Body, "30 Juni 2031") {
		t.Fatalf("agreement page:\n%s", page.Body)
	}
	base := "/t/depok/kemitraan/perjanjian/" + pm[1]
	if r := staf.Post(base+"/tugas", url.Values{"tugas_judul": {"Laporan penjualan"}, "tugas_jatuh_tempo": {"besok"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="tugas_jatuh_tempo-galat"`) || !strings.Contains(r.Body, `value="Laporan penjualan"`) {
		t.Fatalf("duty with a bad date: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(base+"/tugas", url.Values{"tugas_judul": {"Laporan penjualan November"}, "tugas_jatuh_tempo": {"2026-01-05"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("duty: %d\n%s", r.Status, r.Body)
	}
	page = staf.Get(base)
	if !strings.Contains(page.Body, "Terlambat") {
		t.Fatalf("late duty not marked:\n%s", page.Body)
	}
	versi := regexp.MustCompile(`action="(` + regexp.QuoteMeta(base) + `/tugas/[0-9a-f-]{36}/selesai)"><input type="hidden" name="versi" value="(\d+)">`).FindStringSubmatch(page.Body)
	if versi == nil {
		t.Fatalf("no done button:\n%s", page.Body)
	}
	if r := staf.Post(versi[1], url.Values{"versi": {versi[2]}, "selesai": {today}}); r.Status != http.StatusSeeOther {
		t.Fatalf("duty done: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(base+"/evaluasi", url.Values{"evaluasi_tanggal": {today}, "evaluasi_hasil": {"Penjualan naik"}, "evaluasi_skor": {"sembilan"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="evaluasi_skor-galat"`) {
		t.Fatalf("evaluation with a bad score: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(base+"/evaluasi", url.Values{"evaluasi_tanggal": {today}, "evaluasi_hasil": {"Penjualan naik"}, "evaluasi_skor": {"80"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("evaluation: %d\n%s", r.Status, r.Body)
	}
	if tanpa := staf.Get("/t/depok/kemitraan?perjanjian=tanpa"); strings.Contains(tanpa.Body, "RSUD Kota Depok") {
		t.Fatalf("a partner with an agreement in force is listed without:\n%s", tanpa.Body)
	}
	rf := staf.Get(base + "/pembaruan")
	rk := kunciField.FindStringSubmatch(rf.Body)[1]
	r = staf.Post(base+"/pembaruan", url.Values{"kunci": {rk}, "jenis": {"pks"}, "judul": {"PKS lanjutan"}, "mulai": {"2031-07-01"}, "berakhir": {"2036-06-30"}, "status": {"draf"}})
	if r.Status != http.StatusSeeOther || !perjanjianLink.MatchString(r.Header.Get("Location")) {
		t.Fatalf("renewal: %d\n%s", r.Status, r.Body)
	}
	if p := staf.Get(r.Header.Get("Location")); !strings.Contains(p.Body, "Rantai pembaruan") || !strings.Contains(p.Body, "Pojok UMKM di lobi") {
		t.Fatalf("renewal page:\n%s", p.Body)
	}
	if p := viewer.Get(base); p.Status != http.StatusOK || strings.Contains(p.Body, "Tambah tugas") || strings.Contains(p.Body, "Putus perjanjian") {
		t.Fatalf("agreement page as viewer: %d\n%s", p.Status, p.Body)
	}
	if r := viewer.Post(base+"/putus", url.Values{"versi": {"1"}, "putus_alasan": {"x"}, "putus_tanggal": {today}}); r.Status != http.StatusForbidden {
		t.Fatalf("viewer terminates: %d", r.Status)
	}
	if c := viewer.Get("/t/depok/kemitraan/kalender?bulan=2031-06"); c.Status != http.StatusOK || !strings.Contains(c.Body, "30 Juni 2031") || !strings.Contains(c.Body, "Berakhir") {
		t.Fatalf("calendar: %d\n%s", c.Status, c.Body)
	}
	if c := viewer.Get("/t/depok/kemitraan/kalender?bulan=2031-13"); c.Status != http.StatusUnprocessableEntity {
		t.Fatalf("calendar of a month that is not: %d", c.Status)
	}
	if p := viewer.Get("/t/depok/kemitraan/pengingat"); p.Status != http.StatusOK {
		t.Fatalf("reminders: %d", p.Status)
	}
	petugas := srv.Client(t)
	petugas.Login(webtest.PetugasDepok)
	if r := petugas.Get("/t/depok/kemitraan"); r.Status != http.StatusForbidden {
		t.Fatalf("petugas reads the partners: %d", r.Status)
	}
}

// TestKemitraanEditPages: a draft agreement is put in force on its edit
// form (an end before the start refused beside the field, a stale form
// refused in words), and a partner's phone changed; the list then counts
// the agreement in force.
func TestKemitraanEditPages(t *testing.T) {
	srv := webtest.New(t)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	form := staf.Get("/t/depok/kemitraan/mitra/baru")
	r := staf.Post("/t/depok/kemitraan/mitra", url.Values{"kunci": {kunciField.FindStringSubmatch(form.Body)[1]}, "jenis": {"universitas"}, "nama": {"Politeknik Negeri Jakarta"}})
	mitraID := mitraLink.FindStringSubmatch(r.Header.Get("Location"))[1]
	pform := staf.Get("/t/depok/kemitraan/perjanjian/baru?mitra=" + mitraID)
	r = staf.Post("/t/depok/kemitraan/perjanjian", url.Values{"kunci": {kunciField.FindStringSubmatch(pform.Body)[1]}, "mitra_id": {mitraID}, "jenis": {"mou"},
		"judul": {"Nota Kesepakatan pendampingan"}, "mulai": {"2026-12-01"}, "berakhir": {"2029-11-30"}, "status": {"draf"}})
	pm := perjanjianLink.FindStringSubmatch(r.Header.Get("Location"))
	if pm == nil {
		t.Fatalf("agreement: %d\n%s", r.Status, r.Body)
	}
	edit := "/t/depok/kemitraan/perjanjian/" + pm[1] + "/ubah"
	e := staf.Get(edit)
	versi := versiField.FindStringSubmatch(e.Body)
	if e.Status != http.StatusOK || versi == nil || !strings.Contains(e.Body, `value="Nota Kesepakatan pendampingan"`) {
		t.Fatalf("edit form: %d\n%s", e.Status, e.Body)
	}
	f := url.Values{"versi": {versi[1]}, "jenis": {"mou"}, "judul": {"Nota Kesepakatan pendampingan"}, "mulai": {"2026-12-01"}, "berakhir": {"2026-11-30"}, "status": {"berlaku"}}
	if r := staf.Post(edit, f); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="berakhir-galat"`) {
		t.Fatalf("end before start: %d\n%s", r.Status, r.Body)
	}
	f.Set("berakhir", "2029-11-30")
	if r := staf.Post(edit, f); r.Status != http.StatusSeeOther {
		t.Fatalf("in force: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(edit, f); r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "sudah diubah orang lain") {
		t.Fatalf("stale form: %d\n%s", r.Status, r.Body)
	}
	me := staf.Get("/t/depok/kemitraan/mitra/" + mitraID + "/ubah")
	mv := versiField.FindStringSubmatch(me.Body)
	if mv == nil {
		t.Fatalf("partner edit form:\n%s", me.Body)
	}
	if r := staf.Post("/t/depok/kemitraan/mitra/"+mitraID+"/ubah", url.Values{"versi": {mv[1]}, "jenis": {"universitas"}, "nama": {"Politeknik Negeri Jakarta"},
		"telepon": {"telepon kantor"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="telepon-galat"`) {
		t.Fatalf("a phone in words: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post("/t/depok/kemitraan/mitra/"+mitraID+"/ubah", url.Values{"versi": {mv[1]}, "jenis": {"universitas"}, "nama": {"Politeknik Negeri Jakarta"},
		"telepon": {"021 7270036"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("partner changed: %d\n%s", r.Status, r.Body)
	}
	if l := staf.Get("/t/depok/kemitraan?perjanjian=ada"); !strings.Contains(l.Body, "Politeknik Negeri Jakarta") || !strings.Contains(l.Body, "021 7270036") {
		t.Fatalf("list with an agreement in force:\n%s", l.Body)
	}
}
