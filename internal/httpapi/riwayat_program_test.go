package httpapi

import (
	"net/http"
	"testing"
)

// TestRiwayatProgram: a business's and a cooperative's programme history
// lists their participations, a completed training with its certificate;
// a petugas of another kecamatan and another office get 404, as for the
// record itself.
func TestRiwayatProgram(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer, medan := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email), b.login(t, b.medanStaf.Email)
	inside := b.loginPetugas(t, "petugas.riwayat@depok.test", kecPancoranMas)
	elsewhere := b.loginPetugas(t, "petugas.riwayat2@depok.test", kecCimanggis)
	const base = "/v1/tenants/depok"

	ag := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Dinas KUMKM Depok", "jenis": "kantor"})
	wantAnswer(t, ag, http.StatusCreated)
	pr := b.do(t, http.MethodPost, base+"/program", staf, map[string]any{"nama": "Pelatihan Kemasan", "jenis": "pelatihan", "agensi_id": ag.body["id"],
		"tahun": 2026, "sumber_dana": "apbd", "satuan": "orang", "kuota": 5, "status": "dibuka"})
	wantAnswer(t, pr, http.StatusCreated)
	prog := pr.body["id"].(string)
	u, _ := b.postUMKM(t, "depok", staf, uBody("Kue Siti", "Siti Aminah", kelDepok))
	k, _ := b.postKoperasi(t, "depok", staf, kBody("Koperasi Maju Bersama", kelDepok))
	ap := b.do(t, http.MethodPost, base+"/program/"+prog+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": u.ID})
	wantAnswer(t, ap, http.StatusCreated)
	one := base + "/program/" + prog + "/peserta/" + ap.body["id"].(string)
	wantAnswer(t, b.do(t, http.MethodPost, one+"/pilih", staf, nil, "If-Match", ap.header.Get("ETag")), http.StatusOK)
	cur := b.do(t, http.MethodGet, one, staf, nil)
	wantAnswer(t, b.do(t, http.MethodPost, one+"/selesai", staf, map[string]any{"tanggal": "2026-05-13", "sertifikat_nomor": "SERT/001"},
		"If-Match", cur.header.Get("ETag")), http.StatusOK)
	wantAnswer(t, b.do(t, http.MethodPost, base+"/program/"+prog+"/peserta", staf, map[string]any{"pemohon": "koperasi", "koperasi_id": k.ID}), http.StatusCreated)

	for name, token := range map[string]string{"viewer": viewer, "petugas of the kecamatan": inside} {
		r := b.do(t, http.MethodGet, base+"/umkm/"+u.ID.String()+"/program", token, nil)
		wantAnswer(t, r, http.StatusOK)
		items := r.body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("%s: %s", name, r.raw)
		}
		it := items[0].(map[string]any)
		if it["program_id"] != prog || it["status"] != "selesai" || it["sertifikat_nomor"] != "SERT/001" || it["selesai_tanggal"] != "2026-05-13" || it["sumber"] != "kantor" {
			t.Errorf("%s: %s", name, r.raw)
		}
	}
	r := b.do(t, http.MethodGet, base+"/koperasi/"+k.ID+"/program", viewer, nil)
	wantAnswer(t, r, http.StatusOK)
	if items := r.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["melalui"] != "koperasi" ||
		items[0].(map[string]any)["status"] != "mendaftar" {
		t.Errorf("cooperative: %s", r.raw)
	}
	for _, path := range []string{base + "/umkm/" + u.ID.String() + "/program", base + "/koperasi/" + k.ID + "/program"} {
		wantStatus(t, b.do(t, http.MethodGet, path, elsewhere, nil), http.StatusNotFound)
	}
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/umkm/"+u.ID.String()+"/program", medan, nil), http.StatusNotFound)
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/koperasi/"+k.ID+"/program", medan, nil), http.StatusNotFound)
}
