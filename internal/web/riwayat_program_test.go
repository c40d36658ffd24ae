package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/web/webtest"
)

// TestRiwayatProgramOnRecords: the UMKM record shows the business's
// programmes newest first, a completed training with its certificate and
// date linked to its programme, another agency's row beside it; the
// cooperative record shows its own application. A petugas of another
// kecamatan gets no such business (nor its history) and such a
// cooperative without its history; another office's id is not found, and
// a business never helped says so.
func TestRiwayatProgramOnRecords(t *testing.T) {
	b := bedTumpang(t)
	srv, in1, in2, out, staf, petugas, medan, p := b.srv, b.in1, b.in2, b.out, b.staf, b.petugas, b.medan, b.program
	luarRow(t, srv, "Baznas Kota Depok", "Modal Usaha Baznas", "bantuan_modal", 2025, in1)
	luarRow(t, srv, "Baznas Kota Depok", "Modal Usaha Baznas", "bantuan_modal", 2025, out)
	for _, id := range []uuid.UUID{in1.ID, out.ID} {
		if r := staf.Post(p+"/peserta", url.Values{"umkm_id": {id.String()}, "pemohon": {"umkm"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("apply: status %d:\n%s", r.Status, r.Body)
		}
	}
	row := pesertaRow(t, staf.Get(p).Body, in1.NamaUsaha)
	if r := step(t, staf, row, "pilih", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("select: status %d:\n%s", r.Status, r.Body)
	}
	row = pesertaRow(t, staf.Get(p).Body, in1.NamaUsaha)
	if r := step(t, staf, row, "selesai", url.Values{"tanggal": {"2026-05-12"}, "sertifikat_nomor": {"SERT/2026/001"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("complete: status %d:\n%s", r.Status, r.Body)
	}
	k := newKoperasi(t, staf, "depok", url.Values{"nama": {"Koperasi Maju Bersama"}, "kecamatan_kode": {in1.KecamatanKode},
		"kelurahan_kode": {in1.KelurahanKode}, "aktif": {"true"}})
	kOut := newKoperasi(t, staf, "depok", url.Values{"nama": {"Koperasi Jauh Sejahtera"}, "kecamatan_kode": {out.KecamatanKode},
		"kelurahan_kode": {out.KelurahanKode}, "aktif": {"true"}})
	for _, kp := range []string{k, kOut} {
		if r := staf.Post(p+"/peserta", url.Values{"koperasi_id": {kp[strings.LastIndex(kp, "/")+1:]}, "pemohon": {"koperasi"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("apply the cooperative: status %d:\n%s", r.Status, r.Body)
		}
	}

	section := func(body string) string {
		i := strings.Index(body, `<h2 id="riwayat-program">`)
		if i < 0 {
			return ""
		}
		return body[i : i+strings.Index(body[i:], "</section>")]
	}
	rec := "/t/depok/umkm/" + in1.ID.String()
	for name, c := range map[string]*webtest.Client{"staf": staf, "petugas of the kecamatan": petugas} {
		r := c.Get(rec)
		s := section(r.Body)
		if r.Status != http.StatusOK || s == "" {
			t.Fatalf("%s: status %d, no programme history:\n%s", name, r.Status, r.Body)
		}
		for _, want := range []string{`<a href="` + p + `">Pelatihan Kemasan 2026</a>`, "Selesai, 12 Mei 2026", "Sertifikat SERT/2026/001",
			"Modal Usaha Baznas<br><span class=\"petunjuk\">daftar agensi lain</span>", "Baznas Kota Depok", "Tercatat di daftar agensi"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: the history lacks %q:\n%s", name, want, s)
			}
		}
		if strings.Index(s, "Pelatihan Kemasan 2026") > strings.Index(s, "Modal Usaha Baznas") {
			t.Errorf("%s: not newest first:\n%s", name, s)
		}
	}
	if s := section(staf.Get("/t/depok/umkm/" + in2.ID.String()).Body); !strings.Contains(s, "Belum pernah mengikuti program apa pun.") {
		t.Errorf("a business never helped:\n%s", s)
	}
	for name, c := range map[string]*webtest.Client{"staf": staf, "petugas of the kecamatan": petugas} {
		r := c.Get(k)
		if s := section(r.Body); !strings.Contains(s, `<a href="`+p+`">Pelatihan Kemasan 2026</a>`) || !strings.Contains(s, "Mendaftar") {
			t.Errorf("%s: the cooperative's history: status %d:\n%s", name, r.Status, s)
		}
	}
	// A petugas reads every cooperative, its programmes only in their regions.
	if r := petugas.Get(kOut); r.Status != http.StatusOK || section(r.Body) != "" || strings.Contains(r.Body, "Pelatihan Kemasan 2026") {
		t.Errorf("petugas, a cooperative of another kecamatan: status %d, want 200 without the history:\n%s", r.Status, section(r.Body))
	}
	if s := section(staf.Get(kOut).Body); !strings.Contains(s, "Pelatihan Kemasan 2026") {
		t.Errorf("staf sees no history of the cooperative outside the petugas' kecamatan:\n%s", s)
	}

	// out is in another kecamatan than the petugas'.
	r := petugas.Get("/t/depok/umkm/" + out.ID.String())
	if r.Status != http.StatusNotFound || strings.Contains(r.Body, "Modal Usaha Baznas") || strings.Contains(r.Body, html.EscapeString(out.NamaUsaha)) {
		t.Errorf("petugas of another kecamatan: status %d, want 404 without the history:\n%s", r.Status, r.Body)
	}
	for _, path := range []string{"/t/medan/umkm/" + in1.ID.String(), "/t/medan/koperasi/" + k[strings.LastIndex(k, "/")+1:]} {
		if r := medan.Get(path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Pelatihan Kemasan 2026") {
			t.Errorf("another office's id %s: status %d, want 404", path, r.Status)
		}
	}
}
