package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestLaporanProgramPage: the report shows a programme's target in its
// unit with its charts, the funding and impact sections for those who
// may read them, the year's message beside its field; a petugas is
// refused as the API refuses them, and another office sees nothing of it.
func TestLaporanProgramPage(t *testing.T) {
	srv := webtest.New(t)
	in1, _, _ := inKecamatan(t, srv)
	staf, viewer, petugas, medan := srv.Client(t), srv.Client(t), srv.Client(t), srv.Client(t)
	staf.Login(webtest.StafDepok)
	viewer.Login(webtest.ViewerDepok)
	petugas.Login(webtest.PetugasDepok)
	medan.Login(webtest.StafMedan)
	p := newProgram(t, staf, "depok", url.Values{"nama": {"Pelatihan Kemasan Laporan"}, "jenis": {"pelatihan"}, "tahun": {"2026"},
		"sumber_dana": {"apbd"}, "satuan": {"orang"}, "kuota": {"5"}, "target": {"1500"}, "status": {"dibuka"},
		"renja_kode": {"2.17.07.2.01.0015"}, "renja_indikator": {"Jumlah pelaku usaha yang dilatih"}})
	if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {in1.ID.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
	}
	if r := staf.Get("/t/depok/program"); !strings.Contains(r.Body, `href="/t/depok/program/laporan"`) {
		t.Errorf("the programme list does not link the report:\n%s", r.Body)
	}
	r := viewer.Get("/t/depok/program/laporan?tahun=2026&jenis=pelatihan")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d:\n%s", r.Status, r.Body)
	}
	for _, want := range []string{"Pelatihan Kemasan Laporan", "1.500", "2.17.07.2.01.0015", `class="grafik grafik-bertumpuk"`,
		"Corong partisipasi", "Mengapa pengajuan pendanaan ditolak", "Median perubahan omzet", "ditahan (kurang dari 10 usaha)"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if r := viewer.Get("/t/depok/program/laporan?tahun=dua"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="tahun-galat"`) {
		t.Errorf("a year in words: status %d, want 422 beside the field:\n%s", r.Status, r.Body)
	}
	if r := viewer.Get("/t/depok/program/laporan?tahun=1999"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="tahun-galat"`) {
		t.Errorf("year 1999: status %d, want 422 beside the field", r.Status)
	}
	if r := petugas.Get("/t/depok/program/laporan"); r.Status != http.StatusForbidden {
		t.Errorf("petugas: status %d, want 403", r.Status)
	}
	if r := medan.Get("/t/medan/program/laporan"); r.Status != http.StatusOK || strings.Contains(r.Body, "Pelatihan Kemasan Laporan") {
		t.Errorf("medan: status %d, or sees depok's programme", r.Status)
	}
}
