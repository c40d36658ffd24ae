package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestPasarPages: on a business's record page staff add a shop (a
// javascript: link is refused beside the field, nothing written) and a
// retail listing; a viewer sees them without the forms; a purchase over
// the Toko Daring limit is refused beside its value, the next one counts
// in the year's share; another office sees none of it.
func TestPasarPages(t *testing.T) {
	srv := webtest.New(t)
	depok := srv.Tenants["depok"]
	var rec umkm.Record
	if err := srv.Env.DB.InTenantTx(context.Background(), depok.ID, func(tx pgx.Tx) error {
		var err error
		rec, err = srv.UMKM.CreateTx(context.Background(), tx, depok, umkm.Input{NamaUsaha: "Kue Siti Pasar", NamaPemilik: "Siti Aminah", Sektor: "kuliner",
			KecamatanKode: "32.76.01", KelurahanKode: "32.76.01.1006"}, "staf", umkm.Scope{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	page := "/t/depok/umkm/" + rec.ID.String()
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)

	shop := url.Values{"kunci": {"k-toko"}, "platform": {"shopee"}, "tautan": {"javascript:alert(1)"}, "dibina_oleh": {"program"}, "aktif_terakhir": {today}}
	r := staf.Post(page+"/toko-daring", shop)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="toko-tautan-galat"`) || !strings.Contains(r.Body, "https://") {
		t.Fatalf("javascript: link: status %d", r.Status)
	}
	shop.Set("tautan", "https://shopee.co.id/kuesiti")
	if r := staf.Post(page+"/toko-daring", shop); r.Status != http.StatusSeeOther {
		t.Fatalf("shop: status %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(page+"/toko-daring", shop); r.Status != http.StatusSeeOther { // the same form again: one shop
		t.Fatalf("shop again: status %d", r.Status)
	}
	// The day it was last seen selling, never after today.
	own := staf.Get(page)
	m := regexp.MustCompile(`action="(/t/depok/umkm/[0-9a-f-]{36}/toko-daring/([0-9a-f-]{36})/aktif)"[^>]*><input type="hidden" name="versi" value="(\d+)"`).FindStringSubmatch(own.Body)
	if m == nil {
		t.Fatalf("no last-active form:\n%s", own.Body)
	}
	r = staf.Post(m[1], url.Values{"versi": {m[3]}, "aktif_terakhir": {"2100-01-01"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="aktif-`+m[2]+`-galat"`) {
		t.Fatalf("a future last-active day: status %d", r.Status)
	}
	if r := staf.Post(m[1], url.Values{"versi": {m[3]}, "aktif_terakhir": {"2025-01-02"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("last active: status %d\n%s", r.Status, r.Body)
	}
	if r := staf.Post(m[1], url.Values{"versi": {m[3]}, "aktif_terakhir": {today}}); r.Status != http.StatusPreconditionFailed {
		t.Fatalf("a stale version: status %d", r.Status)
	}
	if !strings.Contains(staf.Get(page).Body, "Tidak aktif") {
		t.Error("a shop last active in 2025 is shown active")
	}
	if r := staf.Post(page+"/gerai-ritel", url.Values{"kunci": {"k-gerai"}, "peritel": {"lokal"}, "jumlah_gerai": {"3"}, "jumlah_produk": {"2"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="gerai-peritel_nama-galat"`) {
		t.Fatalf("local retailer without a name: status %d", r.Status)
	}
	if r := staf.Post(page+"/gerai-ritel", url.Values{"kunci": {"k-gerai"}, "peritel": {"indomaret"}, "jumlah_gerai": {"24"}, "jumlah_produk": {"6"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("listing: status %d\n%s", r.Status, r.Body)
	}
	viewer := srv.Client(t)
	viewer.Login(webtest.ViewerDepok)
	v := viewer.Get(page)
	if strings.Count(v.Body, `href="https://shopee.co.id/kuesiti" rel="noopener noreferrer nofollow"`) != 1 || !strings.Contains(v.Body, "Indomaret") ||
		strings.Contains(v.Body, `action="`+page+`/toko-daring"`) {
		t.Fatalf("viewer's record page:\n%s", v.Body)
	}

	buy := url.Values{"kunci": {"k-beli"}, "penjual": {"umkm:" + rec.ID.String()}, "opd": {"Dinas Pendidikan"}, "saluran": {"toko_daring"}, "tanggal": {today}, "nilai": {"50.000.001"}}
	r = staf.Post("/t/depok/pasar/belanja", buy)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="belanja-nilai-galat"`) || !strings.Contains(r.Body, "50.000.000") {
		t.Fatalf("over the limit: status %d", r.Status)
	}
	year := today[:4]
	if r := staf.Post("/t/depok/pasar/anggaran", url.Values{"tahun": {year}, "nilai": {"1.000.000.000"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("budget: status %d\n%s", r.Status, r.Body)
	}
	buy.Set("nilai", "50.000.000")
	if r := staf.Post("/t/depok/pasar/belanja", buy); r.Status != http.StatusSeeOther {
		t.Fatalf("purchase: status %d\n%s", r.Status, r.Body)
	}
	b := viewer.Get("/t/depok/pasar/belanja?tahun=" + year)
	for _, want := range []string{"<strong>5,00%</strong>", "Rp 1.000.000.000", `value="500"`, "Dinas Pendidikan", "Kue Siti Pasar"} {
		if !strings.Contains(b.Body, want) {
			t.Errorf("purchases page lacks %q", want)
		}
	}
	if l := viewer.Get("/t/depok/pasar/toko?platform=shopee&kecamatan=32.76.01"); !strings.Contains(l.Body, "Kue Siti Pasar") {
		t.Errorf("the shop list lacks the shop (status %d)", l.Status)
	}
	if l := viewer.Get("/t/depok/pasar/toko?aktif=ya"); strings.Contains(l.Body, "Kue Siti Pasar") {
		t.Error("a shop last active in 2025 listed as active")
	}
	if l := viewer.Get("/t/depok/pasar/toko?platform=friendster"); l.Status != http.StatusUnprocessableEntity || !strings.Contains(l.Body, `id="platform-galat"`) {
		t.Errorf("an unknown platform: status %d", l.Status)
	}
	s := viewer.Get("/t/depok/pasar")
	if s.Status != http.StatusOK || !strings.Contains(s.Body, "Pancoran Mas") || !strings.Contains(s.Body, "Indomaret") {
		t.Fatalf("summary: %d", s.Status)
	}
	medan := srv.Client(t)
	medan.Login(webtest.StafMedan)
	if r := medan.Get("/t/medan/pasar/belanja?tahun=" + year); strings.Contains(r.Body, "Kue Siti Pasar") {
		t.Error("Medan sees Depok's purchase")
	}
	if r := medan.Post(page+"/toko-daring", shop); r.Status == http.StatusSeeOther {
		t.Error("Medan wrote to Depok's business")
	}
}
