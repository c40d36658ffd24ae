package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

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
