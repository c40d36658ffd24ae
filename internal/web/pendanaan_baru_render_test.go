package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// pendanaanBaruSample is the one-applicant form filled in, a group's grant
// refused, with hostile text wherever a user typed.
func pendanaanBaruSample(frame func(string) Halaman, _ time.Time) viewModel {
	return &baruView{Halaman: frame("Pengajuan pendanaan baru"), Cari: "kelompok", Pemohon: hostile, Kunci: "k",
		Skema: []pendanaan.Skema{{Kode: "hibah", Jenis: pendanaan.JenisHibah, Nama: hostile}},
		Isi:   url.Values{"nama_kelompok": {hostile}, "sk_kelompok": {hostile}, "plafon": {hostile}, "catatan": {hostile}, "skema": {"hibah"}},
		Galat: map[string]string{"sk_kelompok": hostile, "plafon": hostile, "pemohon": hostile}, Pesan: hostile}
}

// TestPendanaanBaruSearchRenders: the search step, with what was typed and
// what the register holds escaped, each result a link to its form.
func TestPendanaanBaruSearchRenders(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	id, kop := uuid.New(), uuid.New()
	for name, v := range map[string]*baruView{
		"umkm":     {Cari: "umkm", Q: hostile, Dicari: true, UMKM: []umkm.Record{{ID: id, NamaUsaha: hostile, NamaPemilik: hostile}}},
		"koperasi": {Cari: "koperasi", Q: hostile, Dicari: true, Koperasi: []koperasi.Koperasi{{ID: kop, Nama: hostile}}},
		"none":     {Cari: "umkm", Q: hostile, Dicari: true},
	} {
		v.Halaman = Halaman{Judul: "Pengajuan pendanaan baru", Kantor: &tenancy.Tenant{Slug: "depok", Name: "Kota Depok"},
			can: func(string) bool { return true }, loc: wib}
		w := httptest.NewRecorder()
		a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
		body := w.Body.String()
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s: hostile text not escaped or not shown:\n%s", name, body)
		}
		want := map[string]string{"umkm": "/pendanaan/baru?umkm_id=" + id.String(), "koperasi": "/pendanaan/baru?koperasi_id=" + kop.String(),
			"none": "Daftarkan dulu di register"}[name]
		if !strings.Contains(body, want) {
			t.Errorf("%s: no %q in\n%s", name, want, body)
		}
	}
}
