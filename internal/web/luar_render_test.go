package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// luarSamples are the views of agencies' lists, hostile text in every string.
func luarSamples(frame func(string) Halaman, at time.Time) map[string]viewModel {
	h := hostile
	kel, kec, baris := "32.76.01.1006", "32.76.01", 7
	b := barisLuar("depok", luar.BarisDaftar{ID: uuid.New(), AgensiID: uuid.New(), AgensiNama: h, ProgramNama: h, Jenis: "pelatihan", Tahun: 2026,
		Status: luar.BelumCocok, NIK: &h, NIB: &h, NamaUsaha: &h, NamaPemilik: &h, KelurahanKode: &kel, Kelurahan: &h, KecamatanKode: &kec,
		Keterangan: &h, Baris: &baris, UpdatedAt: at})
	job := pekerjaan.Job{ID: uuid.New(), Jenis: luar.JobKind, Status: pekerjaan.Selesai, CreatedAt: at}
	return map[string]viewModel{
		"program-luar": &luarView{Halaman: frame("Daftar peserta agensi lain"),
			isianForm:  isianForm{Isi: url.Values{"program_nama": {h}, "tahun": {h}}, Galat: map[string]string{"agensi_id": h, "program_nama": h, "berkas": h}},
			AgensiOpsi: []Opsi{{Nilai: uuid.NewString(), Label: h}}, JenisOpsi: []Opsi{{Nilai: "pelatihan", Label: h}}, UjiCoba: true, Pesan: h,
			Selesai: h, Impor: []BarisImporLuar{{Job: job, Param: luar.ImportParams{ProgramNama: h, Tahun: 2026, DryRun: true}, Agensi: h, Tautan: "/t/depok/pekerjaan/x"}},
			Baris: []BarisLuar{b}, Lanjut: "/t/depok/program/luar?cursor=" + h},
		"program-luar-baris": &luarBarisView{Halaman: frame(h), B: b, Q: h,
			Calon: []umkm.Record{{ID: uuid.New(), NamaUsaha: h, NamaPemilik: h, KelurahanKode: kel}}},
	}
}

// TestLuarJobPageShowsTheMatches: the job page of a list's dry run says
// how its rows matched, in Indonesian numbers, why rows need a person,
// and offers to store the same list.
func TestLuarJobPageShowsTheMatches(t *testing.T) {
	a, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	h := Halaman{Judul: "Impor daftar agensi lain", Kantor: &tenancy.Tenant{ID: uuid.New(), Slug: "depok"}, can: func(string) bool { return true }}
	v := &pekerjaanView{Halaman: h, UjiCoba: true, Job: pekerjaan.Job{ID: uuid.New(), Jenis: luar.JobKind, Status: pekerjaan.Selesai},
		Luar:      &luar.Summary{Baris: 1500, NIK: 1200, NIB: 100, Nama: 50, BelumCocok: 140, TidakValid: 9, Duplikat: 1},
		LuarBaris: []luar.RowResult{{Baris: 7, Hasil: luar.HasilTidakValid, Alasan: "NIK: NIK harus 16 digit angka."}}}
	w := httptest.NewRecorder()
	a.render(w, httptest.NewRequest(http.MethodGet, "/", nil), http.StatusOK, v)
	body := w.Body.String()
	for _, want := range []string{"1.500", "1.200", "Cocok menurut NIK", "Belum cocok", "NIK harus 16 digit angka", "Uji coba: belum ada yang disimpan",
		"/program/luar/impor/" + v.Job.ID.String() + "/terapkan"} {
		if !strings.Contains(body, want) {
			t.Errorf("job page lacks %q", want)
		}
	}
}
