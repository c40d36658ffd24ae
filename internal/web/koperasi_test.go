package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

var koperasiLocation = regexp.MustCompile(`^/t/(\w+)/koperasi/([0-9a-f-]{36})\?pesan=dibuat$`)

// newKoperasi registers a cooperative through the form as c and returns
// its page.
func newKoperasi(t *testing.T, c *webtest.Client, slug string, form url.Values) string {
	t.Helper()
	r := c.Post("/t/"+slug+"/koperasi/baru", form)
	m := koperasiLocation.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create koperasi: status %d, Location %q:\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return "/t/" + slug + "/koperasi/" + m[2]
}

// mustRedirect posts form and wants the record page back.
func mustRedirect(t *testing.T, c *webtest.Client, path string, form url.Values) {
	t.Helper()
	if r := c.Post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d:\n%s", path, r.Status, r.Body)
	}
}

var versiOf = regexp.MustCompile(`name="versi" value="(\d+)"`)

// TestKoperasiPages walks the register of cooperatives over HTTP without
// JavaScript, for every role.
func TestKoperasiPages(t *testing.T) {
	srv := webtest.New(t)
	home, away := seeded(t, srv, true), seeded(t, srv, false)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	clients := map[string]*webtest.Client{"staf": staf}
	for role, email := range map[string]string{"admin": webtest.AdminDepok, "viewer": webtest.ViewerDepok, "petugas": webtest.PetugasDepok} {
		clients[role] = srv.Client(t)
		clients[role].Login(email)
	}

	// A cooperative of hostile text in the petugas' kecamatan, the pilot
	// of it, with every part; another outside it.
	k := newKoperasi(t, staf, "depok", url.Values{"nama": {hostile}, "jenis": {"konsumen"}, "kelompok": {"kopwan"},
		"kecamatan_kode": {home.KecamatanKode}, "kelurahan_kode": {home.KelurahanKode}, "alamat": {hostile}, "sektor": {hostile},
		"anggota_laki": {"120"}, "anggota_perempuan": {"1.034"}, "aktif": {"true"}, "pilot": {"true"}})
	mustRedirect(t, staf, k+"/unit/baru", url.Values{"jenis_unit": {"toko"}, "nama": {hostile}, "aktif": {"true"},
		"volume_tahun_0": {"2025"}, "volume_0": {"Rp 150.000.000"}})
	mustRedirect(t, staf, k+"/pengurus/baru", url.Values{"nama": {"Siti Rahmawati"}, "jabatan": {"ketua"}, "mulai": {"2024-01-01"}})
	mustRedirect(t, staf, k+"/pengurus/baru", url.Values{"nama": {"Bambang Sutrisno"}, "jabatan": {"pengawas"}})
	mustRedirect(t, staf, k+"/rat/baru", url.Values{"tahun": {"2025"}, "tanggal": {"2026-03-14"}, "catatan": {hostile}})
	mustRedirect(t, staf, k+"/anggota/baru", url.Values{"umkm_id": {home.ID.String()}, "sejak": {"2025-02-01"}, "difasilitasi": {"true"}})
	other := newKoperasi(t, staf, "depok", url.Values{"nama": {"Koperasi Jauh Sejahtera"}, "kecamatan_kode": {away.KecamatanKode},
		"kelurahan_kode": {away.KelurahanKode}, "aktif": {"true"}})
	mustRedirect(t, staf, other+"/pengurus/baru", url.Values{"nama": {"Dewi Lestari"}, "jabatan": {"ketua"}})

	t.Run("a score out of range stays beside its field, everything typed kept; a valid one shows the computed predicate", func(t *testing.T) {
		r := staf.Get(k + "/kesehatan/baru?regime=permenkop_9_2020")
		for _, want := range []string{"Tata kelola", "rentang 0–100, bobot 25", `name="skor_permodalan"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		form := url.Values{"regime": {"permenkop_9_2020"}, "tahun": {"2025"}, "skor_tata_kelola": {"180"}, "skor_profil_risiko": {"75,5"},
			"skor_kinerja_keuangan": {"70"}, "skor_permodalan": {"82"}}
		r = staf.Post(k+"/kesehatan/baru", form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422:\n%s", r.Status, r.Body)
		}
		for _, want := range []string{`id="skor_tata_kelola-galat"`, "Skor Tata kelola harus 0 sampai 100.", `value="180"`, `value="75,5"`, `value="82"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the refused form lacks %q", want)
			}
		}
		form.Set("skor_tata_kelola", "80")
		mustRedirect(t, staf, k+"/kesehatan/baru", form)
		r = staf.Get(k)
		// (80 + 75,5 + 70 + 82) / 4 = 76,875: sehat from 76.
		if !strings.Contains(r.Body, `<strong class="skor-total">76,88</strong>`) || !strings.Contains(r.Body, `<strong class="predikat">Sehat</strong>`) {
			t.Errorf("the record does not show the computed total and predicate:\n%s", r.Body)
		}
	})

	t.Run("every page renders for each role as the API allows", func(t *testing.T) {
		reads := []string{"/t/depok/koperasi", "/t/depok/koperasi?jenis=belum&aktif=true", "/t/depok/koperasi?q=" + url.QueryEscape("kutip satu"),
			"/t/depok/koperasi?pilot=true&kecamatan=" + home.KecamatanKode, "/t/depok/koperasi?rat_terlambat=true&predikat=sehat&kelompok=ksu",
			k, other}
		writes := []string{"/t/depok/koperasi/baru", k + "/ubah", k + "/arsip", k + "/unit/baru", k + "/pengurus/baru", k + "/rat/baru",
			k + "/kesehatan/baru", k + "/anggota/baru?cari=" + url.QueryEscape(home.NamaUsaha), k + "/komposisi"}
		for role, c := range clients {
			pages := reads
			if role != "petugas" { // a petugas has no office dashboard (get-dasbor)
				pages = append(slices.Clone(reads), "/t/depok/dasbor")
			}
			for _, p := range pages {
				if r := c.Get(p); r.Status != http.StatusOK {
					t.Errorf("%s GET %s: status %d", role, p, r.Status)
				}
			}
			want := http.StatusOK
			if role == "viewer" || role == "petugas" {
				want = http.StatusForbidden
			}
			for _, p := range writes {
				if r := c.Get(p); r.Status != want {
					t.Errorf("%s GET %s: status %d, want %d", role, p, r.Status, want)
				}
			}
		}
		r := staf.Get(k)
		for _, want := range []string{"2025: Rp 150.000.000", "Siti Rahmawati", "Bambang Sutrisno", "Pengawas", "2026-03-14", home.NamaUsaha} {
			if !strings.Contains(r.Body, html.EscapeString(want)) {
				t.Errorf("the record lacks %q", want)
			}
		}
		for _, p := range []string{"/t/depok/koperasi", "/t/depok/dasbor"} {
			if !strings.Contains(staf.Get(p).Body, `href="/t/depok/koperasi"`) {
				t.Errorf("%s: the menu lacks Register koperasi", p)
			}
		}
	})

	t.Run("stored text comes back escaped", func(t *testing.T) {
		for _, p := range []string{"/t/depok/koperasi", "/t/depok/koperasi?q=" + url.QueryEscape(hostile), k, k + "/ubah", k + "/arsip", "/t/depok/dasbor"} {
			r := staf.Get(p)
			if strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, `"kutip"`) {
				t.Errorf("%s: stored text not escaped", p)
			}
			if !strings.Contains(r.Body, "&lt;script&gt;alert(1)&lt;/script&gt; &#34;kutip&#34; &#39;satu&#39; {{.Judul}}") {
				t.Errorf("%s: the hostile text is not shown escaped and literal", p)
			}
		}
	})

	t.Run("names and address masked per role as the API does", func(t *testing.T) {
		viewer, petugas := clients["viewer"].Get(k).Body, clients["petugas"].Get(k).Body
		if strings.Contains(viewer, "Siti Rahmawati") || !strings.Contains(viewer, "Nama disamarkan") || strings.Count(viewer, html.EscapeString(hostile)) > strings.Count(staf.Get(k).Body, html.EscapeString(hostile))-1 {
			t.Errorf("a viewer sees a manager's name or the address")
		}
		if !strings.Contains(petugas, "Siti Rahmawati") {
			t.Errorf("a petugas does not see the managers of a cooperative of their area")
		}
		if far := clients["petugas"].Get(other).Body; strings.Contains(far, "Dewi Lestari") {
			t.Errorf("a petugas sees a manager's name outside their area")
		}
	})

	t.Run("the dashboard shows the pilot of each kecamatan and links figures to the register", func(t *testing.T) {
		r := staf.Get("/t/depok/dasbor")
		for _, want := range []string{"Koperasi pilot per kecamatan", `href="` + k + `"`, `href="/t/depok/koperasi?pilot=true"`,
			"Reklasifikasi KSU", "Kepatuhan RAT", `href="/t/depok/koperasi?aktif=true&amp;jenis=belum"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the dashboard lacks %q", want)
			}
		}
		if n := strings.Count(r.Body, `href="`+k+`"`); n != 1 {
			t.Errorf("the pilot shows %d times, want once", n)
		}
	})

	t.Run("a second pilot in the kecamatan is refused beside the field, the form kept", func(t *testing.T) {
		r := staf.Post("/t/depok/koperasi/baru", url.Values{"nama": {"Koperasi Kedua"}, "kecamatan_kode": {home.KecamatanKode},
			"kelurahan_kode": {home.KelurahanKode}, "pilot": {"true"}, "aktif": {"true"}})
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, `id="pilot-galat"`) || !strings.Contains(r.Body, `value="Koperasi Kedua"`) ||
			!strings.Contains(r.Body, `href="`+k+`"`) {
			t.Errorf("status %d:\n%s", r.Status, r.Body)
		}
	})

	t.Run("a change saved by someone else in between is shown, nothing typed lost", func(t *testing.T) {
		form := staf.Get(k + "/ubah")
		old := versiOf.FindStringSubmatch(form.Body)
		mustRedirect(t, staf, k+"/rat/baru", url.Values{"tahun": {"2024"}, "tanggal": {"2025-04-01"}}) // moves the version
		r := staf.Post(k+"/ubah", url.Values{"versi": {old[1]}, "nama": {"Nama Baru Saya"}, "kecamatan_kode": {home.KecamatanKode},
			"kelurahan_kode": {home.KelurahanKode}, "aktif": {"true"}, "pilot": {"true"}})
		if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "sudah diubah orang lain") || !strings.Contains(r.Body, `value="Nama Baru Saya"`) {
			t.Fatalf("status %d:\n%s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "Versi yang tersimpan") || versiOf.FindStringSubmatch(r.Body)[1] == old[1] {
			t.Errorf("the conflict shows no saved version or keeps the old version")
		}
		// A delete at the old version removes nothing.
		if r := staf.Post(k+"/rat/2024/hapus", url.Values{"versi": {old[1]}}); r.Status != http.StatusPreconditionFailed {
			t.Errorf("stale delete: status %d", r.Status)
		}
	})

	t.Run("another office's cooperative is not found", func(t *testing.T) {
		medan := srv.Client(t)
		medan.Login(webtest.StafMedan)
		id := strings.TrimPrefix(k, "/t/depok/koperasi/")
		for _, p := range []string{"/t/medan/koperasi/" + id, "/t/medan/koperasi/" + id + "/ubah", "/t/medan/koperasi/" + id + "/unit/baru", k} {
			if r := medan.Get(p); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Tidak ditemukan") {
				t.Errorf("GET %s: status %d, want 404", p, r.Status)
			}
		}
		if r := medan.Post("/t/medan/koperasi/"+id+"/rat/baru", url.Values{"tahun": {"2023"}, "tanggal": {"2024-01-05"}}); r.Status != http.StatusNotFound {
			t.Errorf("POST to another office's cooperative: status %d, want 404", r.Status)
		}
	})

	t.Run("a viewer's forged POST is refused", func(t *testing.T) {
		for _, p := range []string{"/t/depok/koperasi/baru", k + "/ubah", k + "/arsip", k + "/unit/baru", k + "/pengurus/baru", k + "/rat/baru",
			k + "/kesehatan/baru", k + "/anggota/baru", k + "/komposisi", k + "/rat/2025/hapus"} {
			for _, role := range []string{"viewer", "petugas"} {
				if r := clients[role].Post(p, url.Values{"versi": {"1"}, "nama": {"Palsu"}, "tahun": {"2025"}}); r.Status != http.StatusForbidden {
					t.Errorf("%s forged POST %s: status %d, want 403", role, p, r.Status)
				}
			}
		}
	})

	t.Run("the export runs as a job with its progress page", func(t *testing.T) {
		srv.Work(t)
		r := staf.Post("/t/depok/koperasi/ekspor", url.Values{"format": {"csv"}, "kecamatan": {home.KecamatanKode}})
		job := r.Header.Get("Location")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(job, "/t/depok/pekerjaan/") {
			t.Fatalf("export: status %d, Location %q", r.Status, job)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			page := staf.Get(job)
			if strings.Contains(page.Body, "koperasi diekspor") {
				if !strings.Contains(page.Body, "1 koperasi diekspor") {
					t.Errorf("the export counts other rows than the filter's:\n%s", page.Body)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the export did not finish:\n%s", page.Body)
			}
			time.Sleep(200 * time.Millisecond)
		}
	})

	t.Run("archive asks first, then the cooperative leaves the list", func(t *testing.T) {
		form := staf.Get(other + "/arsip")
		v := versiOf.FindStringSubmatch(form.Body)
		if !strings.Contains(form.Body, "Ya, arsipkan") || v == nil {
			t.Fatalf("no confirmation:\n%s", form.Body)
		}
		mustRedirect(t, staf, other+"/arsip", url.Values{"versi": {v[1]}})
		if strings.Contains(staf.Get("/t/depok/koperasi").Body, "Koperasi Jauh Sejahtera") {
			t.Errorf("an archived cooperative is still listed")
		}
		if !strings.Contains(staf.Get("/t/depok/koperasi?arsip=true").Body, "Koperasi Jauh Sejahtera") {
			t.Errorf("arsip=true does not list the archived cooperative")
		}
	})
}
