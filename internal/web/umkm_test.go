package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// hostile is stored text as an attacker would type it.
const hostile = `<script>alert(1)</script> "kutip" 'satu' {{.Judul}}`

// seeded is a business of Depok's sample, inside the petugas' kecamatan
// (in) or outside it.
func seeded(t *testing.T, srv *webtest.Server, in bool) umkm.Record {
	t.Helper()
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], umkm.Filter{Limit: 100}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Items {
		if (r.KecamatanKode == srv.PetugasKecamatan) == in {
			return r
		}
	}
	t.Fatalf("no seeded business with in=%v", in)
	return umkm.Record{}
}

var (
	locationID = regexp.MustCompile(`^/t/depok/umkm/([0-9a-f-]{36})\?pesan=`)
	versiField = regexp.MustCompile(`name="versi" value="(\d+)"`)
)

// newBusiness is a filled-in create form in the region of r.
func newBusiness(r umkm.Record, nama string) url.Values {
	return url.Values{"nama_usaha": {nama}, "nama_pemilik": {"Siti Aminah"}, "sektor": {"kuliner"},
		"kecamatan_kode": {r.KecamatanKode}, "kelurahan_kode": {r.KelurahanKode}, "status_binaan": {"binaan"},
		"modal_usaha": {"15.000.000"}, "karyawan_laki": {"2"}, "saluran_penjualan": {"shopee", "offline"},
		"legalitas_pirt_status": {"dalam_proses"}}
}

// create registers form as c and returns the new record's id.
func create(t *testing.T, c *webtest.Client, form url.Values) string {
	t.Helper()
	r := c.Post("/t/depok/umkm/baru", form)
	m := locationID.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: status %d, Location %q:\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return m[1]
}

// TestUMKMPages walks the register's pages over HTTP without JavaScript.
func TestUMKMPages(t *testing.T) {
	srv := webtest.New(t)
	home := seeded(t, srv, true)

	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)

	t.Run("stored text comes back escaped on every page", func(t *testing.T) {
		form := newBusiness(home, hostile)
		form.Set("nama_pemilik", hostile)
		form.Set("produk", hostile)
		form.Set("alamat", hostile)
		id := create(t, staf, form)
		if r := staf.Post("/t/depok/umkm/"+id+"/kendala", url.Values{"kategori": {"permodalan"}, "catatan": {hostile}}); r.Status != http.StatusSeeOther {
			t.Fatalf("kendala: status %d:\n%s", r.Status, r.Body)
		}
		admin := srv.Client(t)
		admin.Login(webtest.AdminDepok)
		for _, page := range []struct {
			c    *webtest.Client
			path string
		}{{staf, "/t/depok/umkm/" + id}, {admin, "/t/depok/umkm/" + id}, {staf, "/t/depok/umkm/" + id + "/ubah"},
			{staf, "/t/depok/umkm/" + id + "/arsip"}, {staf, "/t/depok/umkm?q=" + url.QueryEscape("kutip satu")},
			{staf, "/t/depok/umkm?q=" + url.QueryEscape(hostile)}} {
			r := page.c.Get(page.path)
			if r.Status != http.StatusOK {
				t.Errorf("%s: status %d", page.path, r.Status)
				continue
			}
			if strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, `"kutip"`) || strings.Contains(r.Body, `'satu'`) {
				t.Errorf("%s: stored text not escaped:\n%s", page.path, r.Body)
			}
			if !strings.Contains(r.Body, "&lt;script&gt;alert(1)&lt;/script&gt; &#34;kutip&#34; &#39;satu&#39; {{.Judul}}") {
				t.Errorf("%s: the hostile text is not shown escaped and literal", page.path)
			}
		}
		// Each stored field, not only the name, is on the record page.
		r := staf.Get("/t/depok/umkm/" + id)
		if n := strings.Count(r.Body, html.EscapeString(hostile)); n < 5 { // title, h1, name, owner, product, address, kendala
			t.Errorf("the hostile text shows %d times, want every field", n)
		}
	})

	t.Run("a mistake keeps everything typed, the service's words beside the field", func(t *testing.T) {
		form := newBusiness(home, "")
		form.Set("produk", "Keripik pedas level 5")
		form.Set("nib", "123")
		form.Set("omzet_tahunan", "banyak")
		r := staf.Post("/t/depok/umkm/baru", form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", r.Status)
		}
		for _, want := range []string{`id="omzet_tahunan-galat"`, `value="15.000.000"`, "Keripik pedas level 5",
			`value="shopee" checked`, `<option value="dalam_proses" selected>`, `value="banyak"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		form.Set("omzet_tahunan", "")
		r = staf.Post("/t/depok/umkm/baru", form)
		for _, want := range []string{`<p class="galat-isian" id="nama_usaha-galat">Wajib diisi, maksimal 200 karakter.</p>`,
			`aria-describedby="nama_usaha-galat"`, `id="nib-galat"`, "Keripik pedas level 5"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the service's answer lacks %s:\n%s", want, r.Body)
			}
		}
	})

	t.Run("a conflict shows the other version beside yours", func(t *testing.T) {
		id := create(t, staf, newBusiness(home, "Warung Bentrok"))
		edit := staf.Get("/t/depok/umkm/" + id + "/ubah")
		v := versiField.FindStringSubmatch(edit.Body)
		if edit.Status != http.StatusOK || v == nil {
			t.Fatalf("edit form: status %d", edit.Status)
		}
		mine := newBusiness(home, "Warung Bentrok Punya Saya")
		mine.Set("versi", v[1])
		theirs := newBusiness(home, "Warung Bentrok Punya Mereka")
		theirs.Set("versi", v[1])
		other := srv.Client(t)
		other.Login(webtest.AdminDepok)
		if r := other.Post("/t/depok/umkm/"+id+"/ubah", theirs); r.Status != http.StatusSeeOther {
			t.Fatalf("first save: status %d:\n%s", r.Status, r.Body)
		}
		r := staf.Post("/t/depok/umkm/"+id+"/ubah", mine)
		if r.Status != http.StatusPreconditionFailed {
			t.Fatalf("second save: status %d, want 412", r.Status)
		}
		for _, want := range []string{"Data ini sudah diubah orang lain", `value="Warung Bentrok Punya Saya"`,
			"<td>Warung Bentrok Punya Saya</td><td>Warung Bentrok Punya Mereka</td>"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the conflict lacks %s:\n%s", want, r.Body)
			}
		}
		// Saving again overwrites theirs, deliberately.
		nv := versiField.FindStringSubmatch(r.Body)
		mine.Set("versi", nv[1])
		again := staf.Post("/t/depok/umkm/"+id+"/ubah", mine)
		if again.Status != http.StatusSeeOther {
			t.Fatalf("save again: status %d", again.Status)
		}
		if r := staf.Get(again.Header.Get("Location")); !strings.Contains(r.Body, "Warung Bentrok Punya Saya") || !strings.Contains(r.Body, "Perubahan sudah disimpan.") {
			t.Error("the overwrite did not land")
		}
	})

	t.Run("a petugas outside their area gets the page of a missing record", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.PetugasDepok)
		out := seeded(t, srv, false)
		far, missing := c.Get("/t/depok/umkm/"+out.ID.String()), c.Get("/t/depok/umkm/"+uuid.NewString())
		if far.Status != http.StatusNotFound || missing.Status != http.StatusNotFound {
			t.Fatalf("status %d and %d, want 404", far.Status, missing.Status)
		}
		if requestID.ReplaceAllString(far.Body, "") != requestID.ReplaceAllString(missing.Body, "") {
			t.Error("the pages differ")
		}
		if r := c.Get("/t/depok/umkm/" + out.ID.String() + "/ubah"); r.Status != http.StatusNotFound {
			t.Errorf("edit form outside the area: status %d", r.Status)
		}
		if r := c.Get("/t/depok/umkm/" + home.ID.String()); r.Status != http.StatusOK {
			t.Errorf("a record of their area: status %d", r.Status)
		}
		if r := c.Get("/t/depok/umkm/bukan-uuid"); r.Status != http.StatusNotFound {
			t.Errorf("a malformed id: status %d", r.Status)
		}
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		if r := medan.Get("/t/medan/umkm/" + home.ID.String()); r.Status != http.StatusNotFound {
			t.Errorf("another office's record: status %d", r.Status)
		}
	})

	t.Run("a viewer sees no actions, personal data masked, and a forged POST is refused", func(t *testing.T) {
		c := srv.Client(t)
		c.Login(webtest.ViewerDepok)
		r := c.Get("/t/depok/umkm/" + home.ID.String())
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		for _, action := range []string{"/ubah", "/arsip", "/kendala", "Daftarkan usaha", "Tandai selesai"} {
			if strings.Contains(r.Body, action) {
				t.Errorf("a viewer is offered %s", action)
			}
		}
		if home.Telepon != nil && strings.Contains(r.Body, *home.Telepon) {
			t.Error("a viewer sees the full phone number")
		}
		if !strings.Contains(r.Body, "tidak ditampilkan untuk peran Anda") {
			t.Error("the address is not withheld from a viewer")
		}
		for _, post := range []string{"/t/depok/umkm/" + home.ID.String() + "/ubah", "/t/depok/umkm/" + home.ID.String() + "/arsip",
			"/t/depok/umkm/baru", "/t/depok/umkm/" + home.ID.String() + "/kendala"} {
			if r := c.Post(post, url.Values{"versi": {"1"}, "nama_usaha": {"Palsu"}, "kategori": {"sdm"}}); r.Status != http.StatusForbidden {
				t.Errorf("forged POST %s: status %d, want 403", post, r.Status)
			}
		}
		list := c.Get("/t/depok/umkm")
		if strings.Contains(list.Body, "/umkm/baru") || strings.Contains(list.Body, "/umkm/duplikat") {
			t.Error("the list offers a viewer to register or merge")
		}
	})

	t.Run("the list takes every filter of the API", func(t *testing.T) {
		r := staf.Get("/t/depok/umkm?sektor=kuliner&kecamatan=" + home.KecamatanKode)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d", r.Status)
		}
		if !strings.Contains(r.Body, `<option value="kuliner" selected>`) || strings.Contains(r.Body, "<td>Fesyen</td>") {
			t.Error("the sector filter is not applied or not kept")
		}
		bad := staf.Get("/t/depok/umkm?skala=raksasa&kendala=x&kelurahan=99")
		if bad.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown filter values: status %d", bad.Status)
		}
		for _, f := range []string{"skala-galat", "kendala-galat", "kelurahan-galat"} {
			if !strings.Contains(bad.Body, `id="`+f+`"`) {
				t.Errorf("no message %s", f)
			}
		}
		for _, q := range []string{"jenis_kelamin=P", "status_binaan=binaan", "punya_legalitas=nib", "tanpa_legalitas=halal",
			"kendala=permodalan", "arsip=true", "kelurahan=" + home.KelurahanKode} {
			if r := staf.Get("/t/depok/umkm?" + q); r.Status != http.StatusOK {
				t.Errorf("%s: status %d", q, r.Status)
			}
		}
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(staf.Get("/t/depok/umkm?status_binaan=bukan_binaan").Body)
		if next != nil && !strings.Contains(next[1], "status_binaan=bukan_binaan") {
			t.Errorf("berikutnya drops the filter: %s", next[1])
		}
	})

	t.Run("kendala are recorded and resolved from the record page", func(t *testing.T) {
		id := create(t, staf, newBusiness(home, "Toko Kendala"))
		bad := staf.Post("/t/depok/umkm/"+id+"/kendala", url.Values{"kategori": {"cuaca"}, "catatan": {"Hujan terus"}})
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="kategori-galat"`) || !strings.Contains(bad.Body, "Hujan terus") {
			t.Errorf("a wrong category: status %d, message or note lost", bad.Status)
		}
		staf.Post("/t/depok/umkm/"+id+"/kendala", url.Values{"kategori": {"pemasaran"}, "catatan": {"Sepi pembeli"}})
		r := staf.Get("/t/depok/umkm/" + id)
		m := regexp.MustCompile(`action="(/t/depok/umkm/` + id + `/kendala/[0-9a-f-]+/selesai)"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no resolve button:\n%s", r.Body)
		}
		if r := staf.Post(m[1], url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("resolve: status %d", r.Status)
		}
		r = staf.Get("/t/depok/umkm/" + id)
		if !strings.Contains(r.Body, "Sudah selesai") || !strings.Contains(r.Body, "Tidak ada kendala terbuka.") {
			t.Errorf("the resolved kendala is not shown resolved")
		}
	})

	t.Run("archive asks first, then the record says so", func(t *testing.T) {
		id := create(t, staf, newBusiness(home, "Toko Tutup"))
		ask := staf.Get("/t/depok/umkm/" + id + "/arsip")
		v := versiField.FindStringSubmatch(ask.Body)
		if ask.Status != http.StatusOK || v == nil || !strings.Contains(ask.Body, "Ya, arsipkan") {
			t.Fatalf("confirmation: status %d", ask.Status)
		}
		if r := staf.Post("/t/depok/umkm/"+id+"/arsip", url.Values{"versi": {"999"}}); r.Status != http.StatusPreconditionFailed ||
			!strings.Contains(r.Body, "Data ini sudah diubah orang lain") {
			t.Errorf("a stale archive: status %d", r.Status)
		}
		if r := staf.Post("/t/depok/umkm/"+id+"/arsip", url.Values{"versi": {v[1]}}); r.Status != http.StatusSeeOther {
			t.Fatalf("archive: status %d", r.Status)
		}
		r := staf.Get("/t/depok/umkm/" + id)
		if !strings.Contains(r.Body, "Usaha ini diarsipkan pada") || strings.Contains(r.Body, "/ubah\"") {
			t.Error("an archived record does not say so or still offers edits")
		}
		if strings.Contains(staf.Get("/t/depok/umkm?q=Toko+Tutup").Body, id) {
			t.Error("an archived record stays in the list")
		}
		if !strings.Contains(staf.Get("/t/depok/umkm?q=Toko+Tutup&arsip=true").Body, id) {
			t.Error("arsip=true does not list it")
		}
	})

	t.Run("duplicates side by side; only an admin merges", func(t *testing.T) {
		a := create(t, staf, newBusiness(home, "Bakso Mang Udin Sejahtera"))
		b := create(t, staf, newBusiness(home, "Bakso Mang Udin Sejahtra"))
		admin := srv.Client(t)
		admin.Login(webtest.AdminDepok)
		var compare string
		path := "/t/depok/umkm/duplikat?kecamatan=" + home.KecamatanKode
		for range 50 { // a page may hold no pairs and still go on
			r := admin.Get(path)
			if r.Status != http.StatusOK {
				t.Fatalf("duplicates: status %d", r.Status)
			}
			if m := regexp.MustCompile(`href="(/t/depok/umkm/duplikat/banding\?a=` + a + `&amp;b=` + b + `)"`).FindStringSubmatch(r.Body); m != nil {
				compare = html.UnescapeString(m[1])
				break
			}
			next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(r.Body)
			if next == nil {
				break
			}
			path = html.UnescapeString(next[1])
		}
		if compare == "" {
			t.Fatal("the pair is not listed")
		}
		if r := staf.Get(compare); r.Status != http.StatusOK || strings.Contains(r.Body, "/gabung") {
			t.Errorf("staf compare: status %d, or offered a merge", r.Status)
		}
		if r := staf.Post("/t/depok/umkm/"+a+"/gabung", url.Values{"versi": {"1"}, "sumber_id": {b}}); r.Status != http.StatusForbidden {
			t.Errorf("staf merge: status %d, want 403", r.Status)
		}
		r := admin.Get(compare)
		m := regexp.MustCompile(`action="/t/depok/umkm/` + a + `/gabung"[^>]*>\s*<input type="hidden" name="versi" value="(\d+)">`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no merge form for the admin:\n%s", r.Body)
		}
		if r := admin.Post("/t/depok/umkm/"+a+"/gabung", url.Values{"versi": {m[1]}, "sumber_id": {b}, "a": {a}, "b": {b}}); r.Status != http.StatusSeeOther {
			t.Fatalf("merge: status %d:\n%s", r.Status, r.Body)
		}
		if r := admin.Get("/t/depok/umkm/" + b); !strings.Contains(r.Body, `href="/t/depok/umkm/`+a+`"`) {
			t.Error("the merged record does not point at the one it went into")
		}
		if r := admin.Get("/t/depok/umkm/" + a); !strings.Contains(r.Body, "Jejak perubahan") || !strings.Contains(r.Body, "Digabungkan") {
			t.Error("the audit trail does not show the merge")
		}
	})
}
