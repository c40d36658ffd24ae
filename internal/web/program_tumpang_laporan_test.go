package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web/webtest"
)

// luarRow records a matched row of another agency's list for business u.
func luarRow(t *testing.T, srv *webtest.Server, agensi, programNama, jenis string, tahun int, u umkm.Record) {
	t.Helper()
	srv.Exec(t, `insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, umkm_id, cocok_oleh, status)
		select $1, $2, id, $3, $4, $5, $6, 'nib', 'cocok' from agensi where tenant_id = $1 and nama = $7`,
		srv.Tenants["depok"].ID, uuid.New(), programNama, jenis, tahun, u.ID, agensi)
}

// bedTumpang is Depok with two businesses in the petugas' kecamatan and
// one outside, clients of staf, that petugas and Medan's staf, a training
// of 2026 and the agency Baznas Kota Depok for other agencies' rows.
type tumpangBed struct {
	srv                  *webtest.Server
	in1, in2, out        umkm.Record
	staf, petugas, medan *webtest.Client
	program              string
}

func bedTumpang(t *testing.T) tumpangBed {
	t.Helper()
	b := tumpangBed{srv: webtest.New(t)}
	b.in1, b.in2, b.out = inKecamatan(t, b.srv)
	b.staf, b.petugas, b.medan = b.srv.Client(t), b.srv.Client(t), b.srv.Client(t)
	b.staf.Login(webtest.StafDepok)
	b.petugas.Login(webtest.PetugasDepok)
	b.medan.Login(webtest.StafMedan)
	b.program = newProgram(t, b.staf, "depok", url.Values{"nama": {"Pelatihan Kemasan 2026"}, "jenis": {"pelatihan"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"5"}, "target": {"5"}, "status": {"dibuka"}})
	b.srv.Exec(t, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, 'Baznas Kota Depok', 'baznas')`, b.srv.Tenants["depok"].ID, uuid.New())
	return b
}

// TestTumpangLaporanPage: the overlap report lists the businesses helped
// twice with the same kind in the year, with their sources and the totals
// above; a petugas sees their kecamatan only, another office gets not
// found, a bad year is refused beside its field, and the programme list
// and the never-helped page link to it.
func TestTumpangLaporanPage(t *testing.T) {
	b := bedTumpang(t)
	srv, in1, in2, out, staf, petugas, medan, p := b.srv, b.in1, b.in2, b.out, b.staf, b.petugas, b.medan, b.program
	for _, u := range []umkm.Record{in1, in2} {
		if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {u.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
		}
	}
	luarRow(t, srv, "Baznas Kota Depok", "Pelatihan Digital Baznas", "pelatihan", 2026, in1)
	luarRow(t, srv, "Baznas Kota Depok", "Pelatihan Digital Baznas", "pelatihan", 2026, out)
	luarRow(t, srv, "Baznas Kota Depok", "Pelatihan Pemasaran Baznas", "pelatihan", 2026, out)
	// Another kind and another year are no overlap of 2026's training.
	luarRow(t, srv, "Baznas Kota Depok", "Modal Usaha Baznas", "bantuan_modal", 2026, in2)
	luarRow(t, srv, "Baznas Kota Depok", "Pelatihan Baznas 2025", "pelatihan", 2025, in2)

	const path = "/t/depok/program/tumpang?tahun=2026&jenis=pelatihan"
	r := staf.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d:\n%s", r.Status, r.Body)
	}
	for _, want := range []string{`id="jumlah-usaha">2<`, `id="jumlah-partisipasi">4<`, `id="jumlah-agensi">2<`,
		html.EscapeString(in1.NamaUsaha), html.EscapeString(out.NamaUsaha), "Baznas Kota Depok; Dinas KUMKM depok",
		"Pelatihan Digital Baznas; Pelatihan Kemasan 2026", "Pelatihan Digital Baznas; Pelatihan Pemasaran Baznas"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("staf's report lacks %q", want)
		}
	}
	if strings.Contains(r.Body, html.EscapeString(in2.NamaUsaha)) {
		t.Errorf("a business helped once with training in 2026 is in the report")
	}

	r = petugas.Get(path)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="jumlah-usaha">1<`) || !strings.Contains(r.Body, html.EscapeString(in1.NamaUsaha)) ||
		strings.Contains(r.Body, html.EscapeString(out.NamaUsaha)) {
		t.Errorf("petugas: status %d, want only %q of their kecamatan:\n%s", r.Status, in1.NamaUsaha, r.Body)
	}
	if r := staf.Get("/t/depok/program/tumpang?tahun=2025&jenis=pelatihan"); !strings.Contains(r.Body, `id="jumlah-usaha">0<`) ||
		!strings.Contains(r.Body, "Tidak ada usaha yang menerima pelatihan lebih dari sekali pada tahun 2025") {
		t.Errorf("2025 has no overlap:\n%s", r.Body)
	}
	if r := staf.Get("/t/depok/program/tumpang?tahun=dua&jenis=pelatihan"); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `id="tahun-galat"`) || !strings.Contains(r.Body, `value="dua"`) {
		t.Errorf("a year not a number: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
	if r := staf.Get("/t/depok/program/tumpang?tahun=2026&jenis="); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="jenis-galat"`) {
		t.Errorf("no type: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
	if r := medan.Get(path); r.Status != http.StatusNotFound {
		t.Errorf("another office: status %d, want 404", r.Status)
	}
	if r := staf.Get("/t/depok/program/tumpang"); r.Status != http.StatusOK || !strings.Contains(r.Body, `value="`+strconv.Itoa(time.Now().Year())+`"`) ||
		!strings.Contains(r.Body, `<option value="pelatihan" selected>`) {
		t.Errorf("without filters: status %d, want this year's training:\n%s", r.Status, r.Body)
	}
	for _, page := range []string{"/t/depok/program", "/t/depok/program/belum-pernah"} {
		if r := staf.Get(page); !strings.Contains(r.Body, `href="/t/depok/program/tumpang"`) {
			t.Errorf("%s does not link to the overlap report", page)
		}
	}
}
