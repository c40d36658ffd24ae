package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPendanaanBaru: a staf finds a business by name, files its interest
// subsidy on the form (an amount beyond the scheme's tiers and one that is
// not a number are refused beside the field, nothing written), sends the
// same form twice and gets one application; a group grant without its SKPD
// decree is refused in words; another office's business is not found; a
// viewer may not file.
func TestPendanaanBaru(t *testing.T) {
	srv := webtest.New(t)
	id := srv.SeedKelompok(t, 1)[0]
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)

	found := staf.Get("/t/depok/pendanaan/baru?cari=umkm&q=" + url.QueryEscape("Usaha Mesra"))
	if found.Status != http.StatusOK || !strings.Contains(found.Body, `href="/t/depok/pendanaan/baru?umkm_id=`+id.String()+`"`) {
		t.Fatalf("search: %d\n%s", found.Status, found.Body)
	}
	form := staf.Get("/t/depok/pendanaan/baru?umkm_id=" + id.String())
	if form.Status != http.StatusOK || !strings.Contains(form.Body, `value="subsidi_bunga_depok"`) || strings.Contains(form.Body, `value="kredit_mesra"`) ||
		!strings.Contains(form.Body, "Usaha Mesra 1") {
		t.Fatalf("form: %d\n%s", form.Status, form.Body)
	}
	kunci := kunciField.FindStringSubmatch(form.Body)[1]
	fill := func(plafon string) url.Values {
		return url.Values{"kunci": {kunci}, "cari": {"umkm"}, "umkm_id": {id.String()}, "skema": {"subsidi_bunga_depok"},
			"plafon": {plafon}, "tenor_bulan": {"24"}, "bank": {"bjb"}}
	}
	if r := staf.Post("/t/depok/pendanaan/baru", fill("dua juta")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="plafon-galat"`) || !strings.Contains(r.Body, `value="dua juta"`) {
		t.Fatalf("a word for an amount: %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post("/t/depok/pendanaan/baru", fill("60.000.000")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="plafon-galat"`) || !strings.Contains(r.Body, "50.000.000") {
		t.Fatalf("beyond the tiers: %d\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, `select count(*) from pengajuan_dana`); n != 0 {
		t.Fatalf("%d applications after refusals", n)
	}
	r := staf.Post("/t/depok/pendanaan/baru", fill("25.000.000"))
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !pengajuanLink.MatchString(loc) {
		t.Fatalf("file: %d %q\n%s", r.Status, loc, r.Body)
	}
	if again := staf.Post("/t/depok/pendanaan/baru", fill("25.000.000")); again.Header.Get("Location") != loc {
		t.Errorf("the same form twice: %q, want %q", again.Header.Get("Location"), loc)
	}
	if n := srv.Count(t, `select count(*) from pengajuan_dana`); n != 1 {
		t.Fatalf("%d applications", n)
	}
	if page := staf.Get(loc); page.Status != http.StatusOK || !strings.Contains(page.Body, "Usaha Mesra 1") {
		t.Fatalf("application page: %d\n%s", page.Status, page.Body)
	}

	group := staf.Post("/t/depok/pendanaan/baru", url.Values{"kunci": {uuid.NewString()}, "cari": {"kelompok"}, "skema": {"hibah"},
		"nama_kelompok": {"Kelompok Usaha Bersama Melati"}, "plafon": {"10.000.000"}})
	if group.Status != http.StatusUnprocessableEntity || !strings.Contains(group.Body, `id="sk_kelompok-galat"`) ||
		!strings.Contains(group.Body, `value="Kelompok Usaha Bersama Melati"`) {
		t.Fatalf("a group grant without its decree: %d\n%s", group.Status, group.Body)
	}

	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if r := medan.Get("/t/medan/pendanaan/baru?umkm_id=" + id.String()); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Usaha Mesra") {
		t.Errorf("another office's business: %d\n%s", r.Status, r.Body)
	}
	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	if r := viewer.Get("/t/depok/pendanaan/baru"); r.Status != http.StatusForbidden {
		t.Errorf("viewer: %d", r.Status)
	}
	if r := viewer.Get("/t/depok/pendanaan"); r.Status != http.StatusOK || strings.Contains(r.Body, "/pendanaan/baru") {
		t.Errorf("viewer's board offers the form: %d", r.Status)
	}
}

// TestSkemaPagu: an admin sets this year's subsidy ceiling on the schemes
// page; the other years' ceilings stay; a ceiling in words and a second
// override from the same day are refused beside their fields; a staf reads
// the page without the form and may not post it; Medan's admin does not
// change Depok's.
func TestSkemaPagu(t *testing.T) {
	srv := webtest.New(t)
	admin := srv.Client(t)
	admin.Login(webtest.AdminDepok)
	page := admin.Get("/t/depok/pendanaan/skema")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "90% bunga disubsidi") || !strings.Contains(page.Body, `action="/t/depok/pendanaan/skema"`) {
		t.Fatalf("schemes: %d\n%s", page.Status, page.Body)
	}
	year := fmt.Sprint(time.Now().Year())
	before := srv.Count(t, `select count(*) from skema_dana_ubah`)
	form := func(pagu, day string) url.Values {
		return url.Values{"kode": {"subsidi_bunga_depok"}, "tahun": {year}, "pagu": {pagu}, "berlaku_mulai": {day}, "alasan": {"DPA 2026 perubahan"}}
	}
	if r := admin.Post("/t/depok/pendanaan/skema", form("satu miliar", year+"-01-05")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="pagu-galat"`) || !strings.Contains(r.Body, `value="satu miliar"`) {
		t.Fatalf("a ceiling in words: %d\n%s", r.Status, r.Body)
	}
	if r := admin.Post("/t/depok/pendanaan/skema", form("1.250.000.000", year+"-01-05")); r.Status != http.StatusSeeOther {
		t.Fatalf("set: %d\n%s", r.Status, r.Body)
	}
	page = admin.Get("/t/depok/pendanaan/skema?pesan=disimpan")
	if !strings.Contains(page.Body, "Rp 1.250.000.000") || !strings.Contains(page.Body, "DPA 2026 perubahan") ||
		!strings.Contains(page.Body, "Rp 1.500.000.000") || !strings.Contains(page.Body, "Rp 100.000.000") {
		t.Errorf("after the change:\n%s", page.Body)
	}
	if r := admin.Post("/t/depok/pendanaan/skema", form("1.300.000.000", year+"-01-05")); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, `id="berlaku_mulai-galat"`) {
		t.Fatalf("the same day twice: %d\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, `select count(*) from skema_dana_ubah`); n != before+1 {
		t.Fatalf("%d overrides, want %d", n, before+1)
	}
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	if r := staf.Get("/t/depok/pendanaan/skema"); r.Status != http.StatusOK || strings.Contains(r.Body, `name="pagu"`) {
		t.Errorf("staf's page: %d", r.Status)
	}
	if r := staf.Post("/t/depok/pendanaan/skema", form("1", year+"-02-01")); r.Status != http.StatusForbidden {
		t.Errorf("staf posts the ceiling: %d", r.Status)
	}
	if r := admin.Post("/t/medan/pendanaan/skema", form("1", year+"-03-01")); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
		t.Errorf("Depok's admin posts Medan's ceiling: %d", r.Status)
	}
	if n := srv.Count(t, `select count(*) from skema_dana_ubah`); n != before+1 {
		t.Errorf("%d overrides after another office's form, want %d", n, before+1)
	}
}
