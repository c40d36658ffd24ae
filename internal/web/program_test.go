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

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

var programLocation = regexp.MustCompile(`^/t/(\w+)/program/([0-9a-f-]{36})\?pesan=dibuat$`)

// newProgram creates an agency and a programme through the forms as c and
// returns the programme's page.
func newProgram(t *testing.T, c *webtest.Client, slug string, form url.Values) string {
	t.Helper()
	if r := c.Post("/t/"+slug+"/program/agensi", url.Values{"agensi_nama": {"Dinas KUMKM " + slug}, "agensi_jenis": {"kantor"}}); r.Status != http.StatusSeeOther && r.Status != http.StatusConflict {
		t.Fatalf("create agensi: status %d:\n%s", r.Status, r.Body)
	}
	page := c.Get("/t/" + slug + "/program/baru")
	m := regexp.MustCompile(`<option value="([0-9a-f-]{36})">Dinas KUMKM`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the form offers no agency:\n%s", page.Body)
	}
	form.Set("agensi_id", m[1])
	r := c.Post("/t/"+slug+"/program/baru", form)
	loc := programLocation.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || loc == nil {
		t.Fatalf("create program: status %d, Location %q:\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	return "/t/" + slug + "/program/" + loc[2]
}

// inKecamatan are two seeded businesses of Depok in the petugas' kecamatan
// and one outside it.
func inKecamatan(t *testing.T, srv *webtest.Server) (in1, in2, out umkm.Record) {
	t.Helper()
	page, err := srv.UMKM.List(context.Background(), srv.Tenants["depok"], umkm.Filter{Limit: 100}, umkm.Scope{}, umkm.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	var ins []umkm.Record
	for _, r := range page.Items {
		if r.KecamatanKode == srv.PetugasKecamatan {
			ins = append(ins, r)
		} else if out.ID == uuid.Nil {
			out = r
		}
	}
	if len(ins) < 2 || out.ID == uuid.Nil {
		t.Fatalf("seeded depok lacks two businesses in %s and one outside", srv.PetugasKecamatan)
	}
	return ins[0], ins[1], out
}

// pesertaRow is the table row of the participant of business nama.
func pesertaRow(t *testing.T, body, nama string) string {
	t.Helper()
	for _, row := range strings.Split(body, "<tr id=\"peserta-")[1:] {
		if strings.Contains(row, html.EscapeString(nama)) {
			return row[:strings.Index(row, "</tr>")]
		}
	}
	t.Fatalf("no participant row for %q:\n%s", nama, body)
	return ""
}

var (
	rowAction = regexp.MustCompile(`action="(/t/depok/program/[0-9a-f-]{36}/peserta/[0-9a-f-]{36})/(\w+)"[^>]*>\s*<input type="hidden" name="versi" value="(\d+)"`)
	sesiForm  = regexp.MustCompile(`action="(/t/depok/program/[0-9a-f-]{36}/sesi/[0-9a-f-]{36}/hadir)" id="hadir-[0-9a-f-]{36}"><input type="hidden" name="versi" value="(\d+)"`)
)

// step posts a participant's step as shown in its row; it returns the answer.
func step(t *testing.T, c *webtest.Client, row, action string, form url.Values) webtest.Response {
	t.Helper()
	for _, m := range rowAction.FindAllStringSubmatch(row, -1) {
		if m[2] == action {
			if form == nil {
				form = url.Values{}
			}
			form.Set("versi", m[3])
			return c.Post(m[1]+"/"+action, form)
		}
	}
	t.Fatalf("the row offers no %s:\n%s", action, row)
	return webtest.Response{}
}

// TestProgramPages walks a programme over HTTP without JavaScript: the
// form's errors beside their fields and its stale version, applicants from
// the register with their eligibility reasons, the last place taken once,
// attendance, completion; the pages' permissions are the API's, and
// another office's programme is a missing one.
func TestProgramPages(t *testing.T) {
	srv := webtest.New(t)
	in1, in2, out := inKecamatan(t, srv)
	staf, viewer, medan := srv.Client(t), srv.Client(t), srv.Client(t)
	staf.Login(webtest.StafDepok)
	viewer.Login(webtest.ViewerDepok)
	medan.Login(webtest.StafMedan)

	t.Run("bad input stays beside its field, everything typed kept", func(t *testing.T) {
		r := staf.Post("/t/depok/program/baru", url.Values{"nama": {""}, "jenis": {"pelatihan"}, "tahun": {"2026"}, "kuota": {"nol"},
			"renja_kode": {"2.17.x"}, "aturan_skala": {"true"}, "keterangan": {"Tetap di formulir"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422:\n%s", r.Status, r.Body)
		}
		for _, want := range []string{`id="nama-galat"`, `id="kuota-galat"`, "Tetap di formulir"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		r = staf.Post("/t/depok/program/baru", url.Values{"nama": {"Uji"}, "jenis": {"pelatihan"}, "tahun": {"2026"}, "kuota": {"5"},
			"sumber_dana": {"apbd"}, "satuan": {"usaha"}, "agensi_id": {uuid.NewString()}, "aturan_skala": {"true"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="aturan_skala-galat"`) {
			t.Errorf("a rule without values: status %d:\n%s", r.Status, r.Body)
		}
		r = staf.Post("/t/depok/program/baru", url.Values{"nama": {"Uji"}, "jenis": {"pelatihan"}, "tahun": {"2026"}, "kuota": {"5"},
			"sumber_dana": {"apbd"}, "satuan": {"usaha"}, "agensi_id": {uuid.NewString()}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="agensi_id-galat"`) {
			t.Errorf("an unknown agency: status %d:\n%s", r.Status, r.Body)
		}
		if n := srv.Count(t, "select count(*) from program where tenant_id = $1", srv.Tenants["depok"].ID); n != 0 {
			t.Errorf("%d programmes written by refused forms", n)
		}
	})

	// One place; only businesses of the petugas' kecamatan are eligible.
	p := newProgram(t, staf, "depok", url.Values{"nama": {hostile}, "jenis": {"pelatihan"}, "tahun": {"2026"}, "sumber_dana": {"apbd"},
		"satuan": {"usaha"}, "kuota": {"1"}, "target": {"1"}, "status": {"dibuka"}, "aturan_kecamatan": {"true"},
		"nilai_kecamatan": {srv.PetugasKecamatan}})

	t.Run("the list and the menu", func(t *testing.T) {
		for name, c := range map[string]*webtest.Client{"staf": staf, "viewer": viewer} {
			r := c.Get("/t/depok/program?jenis=pelatihan&tahun=2026")
			if r.Status != http.StatusOK || !strings.Contains(r.Body, `href="/t/depok/program"`) || !strings.Contains(r.Body, html.EscapeString(hostile)) {
				t.Errorf("%s: status %d, no menu entry or programme:\n%s", name, r.Status, r.Body)
			}
			if strings.Contains(r.Body, "/program/baru") != (name == "staf") {
				t.Errorf("%s: the create button shows %v", name, name != "staf")
			}
		}
		if r := staf.Get("/t/depok/program?tahun=1800"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="tahun-galat"`) {
			t.Errorf("a year out of range: status %d", r.Status)
		}
		if r := staf.Get("/t/depok/program?jenis=event"); strings.Contains(r.Body, html.EscapeString(hostile)) {
			t.Error("the jenis filter let a pelatihan through")
		}
	})

	t.Run("a stale edit shows the saved version beside what was typed", func(t *testing.T) {
		form := staf.Get(p + "/ubah")
		v := versiOf.FindStringSubmatch(form.Body)
		if form.Status != http.StatusOK || v == nil {
			t.Fatalf("edit form: status %d", form.Status)
		}
		agensi := regexp.MustCompile(`<option value="([0-9a-f-]{36})" selected>`).FindStringSubmatch(form.Body)
		edit := url.Values{"versi": {v[1]}, "nama": {"Pelatihan Kemasan"}, "jenis": {"pelatihan"}, "tahun": {"2026"}, "sumber_dana": {"apbd"},
			"satuan": {"usaha"}, "kuota": {"1"}, "status": {"dibuka"}, "agensi_id": {agensi[1]}, "aturan_kecamatan": {"true"},
			"nilai_kecamatan": {srv.PetugasKecamatan}}
		if r := staf.Post(p+"/ubah", edit); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: status %d:\n%s", r.Status, r.Body)
		}
		edit.Set("nama", "Nama yang terlambat")
		r := staf.Post(p+"/ubah", edit)
		if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "Versi yang tersimpan") || !strings.Contains(r.Body, "Nama yang terlambat") {
			t.Errorf("stale edit: status %d:\n%s", r.Status, r.Body)
		}
	})

	t.Run("applicants, reasons, the last place, attendance, completion", func(t *testing.T) {
		r := staf.Get(p + "?cari=" + url.QueryEscape(in1.NamaUsaha))
		if !strings.Contains(r.Body, `value="`+in1.ID.String()+`"`) {
			t.Fatalf("the search does not offer %s:\n%s", in1.NamaUsaha, r.Body)
		}
		for _, u := range []umkm.Record{in1, in2, out} {
			if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {u.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("apply %s: status %d:\n%s", u.NamaUsaha, r.Status, r.Body)
			}
		}
		if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusConflict {
			t.Errorf("the same applicant twice: status %d", r.Status)
		}
		page := staf.Get(p).Body
		row := pesertaRow(t, page, out.NamaUsaha)
		if !strings.Contains(row, "Tidak layak") || !strings.Contains(row, "Kecamatan "+out.KecamatanKode+" tidak termasuk") || strings.Contains(row, "/pilih") {
			t.Errorf("the ineligible applicant's row:\n%s", row)
		}
		if row := pesertaRow(t, page, in1.NamaUsaha); !strings.Contains(row, "<strong>Layak</strong>") {
			t.Errorf("the eligible applicant's row:\n%s", row)
		}
		// Both eligible rows were shown with the quota free; the first
		// selection takes the last place, the second is refused.
		row1, row2 := pesertaRow(t, page, in1.NamaUsaha), pesertaRow(t, page, in2.NamaUsaha)
		if r := step(t, staf, row1, "pilih", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("select: status %d:\n%s", r.Status, r.Body)
		}
		r = step(t, staf, row2, "pilih", nil)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "role=\"alert\"") || !strings.Contains(strings.ToLower(r.Body), "kuota") {
			t.Errorf("the last place twice: status %d:\n%s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "Kuota terisi: 1 dari 1") {
			t.Error("the quota bar does not show the place taken")
		}

		// Viewers read it masked, with no buttons, and cannot post a step.
		vp := viewer.Get(p)
		if vp.Status != http.StatusOK || strings.Contains(vp.Body, in1.NamaPemilik) || strings.Contains(vp.Body, "/pilih") {
			t.Errorf("viewer: status %d, owner's name or a step shown", vp.Status)
		}
		if r := step(t, viewer, row2, "tolak", url.Values{"alasan": {"x"}}); r.Status != http.StatusForbidden {
			t.Errorf("viewer rejecting: status %d", r.Status)
		}
		if !strings.Contains(staf.Get(p).Body, in1.NamaPemilik) {
			t.Error("staff do not see the owner's name")
		}

		if r := staf.Post(p+"/sesi", url.Values{"judul": {"Hari 1"}, "tanggal": {"2026-05-12"}, "tempat": {"Aula"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("session: status %d:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(p+"/sesi", url.Values{"judul": {"Hari 2"}, "tanggal": {"12-05-2026"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="sesi-tanggal-galat"`) {
			t.Errorf("a session dated wrong: status %d", r.Status)
		}
		page = staf.Get(p).Body
		m := sesiForm.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, "12 Mei 2026") {
			t.Fatalf("no attendance grid:\n%s", page)
		}
		pid := regexp.MustCompile(`name="peserta_id" value="([0-9a-f-]{36})"`).FindStringSubmatch(page)
		if r := staf.Post(m[1], url.Values{"versi": {m[2]}, "peserta_id": {pid[1]}}); r.Status != http.StatusSeeOther {
			t.Fatalf("attendance: status %d:\n%s", r.Status, r.Body)
		}
		if r := staf.Post(m[1], url.Values{"versi": {m[2]}, "peserta_id": {pid[1]}}); r.Status != http.StatusPreconditionFailed {
			t.Errorf("attendance at a stale version: status %d", r.Status)
		}
		if page = staf.Get(p).Body; !strings.Contains(page, `value="`+pid[1]+`" form="hadir-`) || !regexp.MustCompile(`value="`+pid[1]+`" form="hadir-[^"]+" id="[^"]+" checked`).MatchString(page) {
			t.Error("the attendance is not ticked")
		}

		row1 = pesertaRow(t, page, in1.NamaUsaha)
		r = step(t, staf, row1, "selesai", url.Values{"tanggal": {"2026-05-12"}})
		if r.Status != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="sertifikat-[0-9a-f-]{36}-galat"`).MatchString(r.Body) {
			t.Errorf("a training completed without its certificate: status %d:\n%s", r.Status, r.Body)
		}
		if r := step(t, staf, row1, "selesai", url.Values{"tanggal": {"2026-05-12"}, "sertifikat_nomor": {"SERT/2026/001"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("complete: status %d:\n%s", r.Status, r.Body)
		}
		if row := pesertaRow(t, staf.Get(p).Body, in1.NamaUsaha); !strings.Contains(row, "Selesai") || !strings.Contains(row, "SERT/2026/001") || !strings.Contains(row, "12 Mei 2026") {
			t.Errorf("the completed row:\n%s", row)
		}
	})

	t.Run("another office's programme is a missing one", func(t *testing.T) {
		mp := newProgram(t, medan, "medan", url.Values{"nama": {"Program Medan"}, "jenis": {"event"}, "tahun": {"2026"},
			"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"10"}})
		mid := mp[strings.LastIndex(mp, "/")+1:]
		missing := staf.Get("/t/depok/program/" + uuid.NewString())
		if missing.Status != http.StatusNotFound {
			t.Fatalf("a missing programme: status %d", missing.Status)
		}
		for _, path := range []string{"/t/depok/program/" + mid, "/t/depok/program/" + mid + "/ubah", mp} {
			r := staf.Get(path)
			if r.Status != http.StatusNotFound || !strings.Contains(r.Body, "<h1>Tidak ditemukan</h1>") {
				t.Errorf("GET %s: status %d", path, r.Status)
			}
		}
		if r := staf.Post("/t/depok/program/"+mid+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusNotFound {
			t.Errorf("applying to medan's programme: status %d", r.Status)
		}
		if strings.Contains(staf.Get("/t/depok/program").Body, "Program Medan") {
			t.Error("medan's programme in depok's list")
		}
	})
}

// TestProgramOverlapWarning: an applicant who already received the same
// kind of help elsewhere shows it before the button; staf cannot select
// them, an admin overrides with a reason (beside the field when missing),
// and then staf selects.
func TestProgramOverlapWarning(t *testing.T) {
	srv := webtest.New(t)
	in1, _, _ := inKecamatan(t, srv)
	staf, admin := srv.Client(t), srv.Client(t)
	staf.Login(webtest.StafDepok)
	admin.Login(webtest.AdminDepok)
	p := newProgram(t, staf, "depok", url.Values{"nama": {"Pelatihan Kemasan"}, "jenis": {"pelatihan"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"5"}, "target": {"5"}, "status": {"dibuka"}})
	depok := srv.Tenants["depok"].ID
	srv.Exec(t, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, 'Baznas Kota Depok', 'baznas')`, depok, uuid.New())
	srv.Exec(t, `insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, umkm_id, cocok_oleh, status)
		select $1, $2, id, 'Pelatihan Digital Baznas', 'pelatihan', 2025, $3, 'nib', 'cocok' from agensi
		where tenant_id = $1 and nama = 'Baznas Kota Depok'`, depok, uuid.New(), in1.ID)
	if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
	}

	row := pesertaRow(t, staf.Get(p).Body, in1.NamaUsaha)
	for _, want := range []string{"Pernah menerima bantuan lain, 1 sejenis", "Pelatihan Digital Baznas (Baznas Kota Depok, 2025, daftar agensi lain)",
		"admin harus mengizinkan dengan alasan"} {
		if !strings.Contains(row, want) {
			t.Errorf("staf's row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(row, `/pilih"`) || strings.Contains(row, `/izin"`) {
		t.Errorf("staf is offered a selection or an override:\n%s", row)
	}

	row = pesertaRow(t, admin.Get(p).Body, in1.NamaUsaha)
	r := step(t, admin, row, "izin", url.Values{"alasan_izin": {"pendek"}})
	if r.Status != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="izin-[0-9a-f-]{36}-galat"`).MatchString(r.Body) ||
		!strings.Contains(r.Body, `value="pendek"`) {
		t.Fatalf("a short reason: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, "select count(*) from tumpang_izin where tenant_id = $1", depok); n != 0 {
		t.Fatalf("%d overrides written by a refused form", n)
	}
	if r := step(t, admin, row, "izin", url.Values{"alasan_izin": {"Pelatihan Baznas membahas pemasaran, bukan kemasan"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("override: status %d:\n%s", r.Status, r.Body)
	}

	row = pesertaRow(t, staf.Get(p).Body, in1.NamaUsaha)
	if !strings.Contains(row, "Diizinkan: Pelatihan Baznas membahas pemasaran, bukan kemasan") {
		t.Errorf("the row does not show the override:\n%s", row)
	}
	if r := step(t, staf, row, "pilih", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("select after the override: status %d:\n%s", r.Status, r.Body)
	}
	if n := srv.Count(t, "select count(*) from peserta where tenant_id = $1 and status = 'terpilih'", depok); n != 1 {
		t.Errorf("%d selected, want 1", n)
	}
}

// TestBelumPernahPage: the never-helped page counts the office's own
// businesses, leaves out one that took part in a programme, and refuses a
// filter it does not know beside its field.
func TestBelumPernahPage(t *testing.T) {
	srv := webtest.New(t)
	in1, _, _ := inKecamatan(t, srv)
	staf := srv.Client(t)
	staf.Login(webtest.StafDepok)
	depok := srv.Tenants["depok"].ID
	all := srv.Count(t, "select count(*) from umkm where tenant_id = $1 and archived_at is null", depok)
	r := staf.Get("/t/depok/program/belum-pernah")
	if want := "Belum pernah dibantu: " + format.Angka(all) + " dari " + format.Angka(all); r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
		t.Fatalf("status %d, want %q:\n%s", r.Status, want, r.Body)
	}
	p := newProgram(t, staf, "depok", url.Values{"nama": {"Pelatihan"}, "jenis": {"pelatihan"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"5"}, "target": {"5"}, "status": {"dibuka"}})
	if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
	}
	r = staf.Get("/t/depok/program/belum-pernah")
	if want := "Belum pernah dibantu: " + format.Angka(all-1) + " dari " + format.Angka(all); !strings.Contains(r.Body, want) {
		t.Errorf("after one application, want %q:\n%s", want, r.Body)
	}
	if r := staf.Get("/t/depok/program/belum-pernah?skala=raksasa"); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="skala-galat"`) {
		t.Errorf("an unknown size: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
}
