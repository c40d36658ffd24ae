package httpapi

import (
	"net/http"
	"testing"
	"time"
)

// TestLaporanProgram: a programme counting businesses read back in its
// unit with its funnel, the impact's small group withheld with its count
// shown, the funding report with every reason code; a petugas is refused
// and a bad filter names its field.
func TestLaporanProgram(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	const base = "/v1/tenants/depok"

	ag := b.do(t, http.MethodPost, base+"/agensi", staf, map[string]any{"nama": "Dinas KUMKM Depok", "jenis": "kantor"})
	wantAnswer(t, ag, http.StatusCreated)
	prog := b.do(t, http.MethodPost, base+"/program", staf, map[string]any{"nama": "Pendampingan Legalitas", "jenis": "pendampingan",
		"agensi_id": ag.body["id"], "tahun": 2026, "sumber_dana": "apbd", "renja_kode": "2.17.07.2.01.0004", "satuan": "usaha",
		"target": 3, "kuota": 5, "status": "dibuka"})
	wantAnswer(t, prog, http.StatusCreated)
	pid := prog.body["id"].(string)
	var peserta []string
	for _, nama := range []string{"Kue Siti", "Batik Ani"} {
		u, _ := b.postUMKM(t, "depok", staf, uBody(nama, "Pemilik "+nama, kelDepok))
		r := b.do(t, http.MethodPost, base+"/program/"+pid+"/peserta", staf, map[string]any{"pemohon": "umkm", "umkm_id": u.ID})
		wantAnswer(t, r, http.StatusCreated)
		peserta = append(peserta, base+"/program/"+pid+"/peserta/"+r.body["id"].(string))
	}
	pilih := b.do(t, http.MethodPost, peserta[0]+"/pilih", staf, nil, "If-Match", b.do(t, http.MethodGet, peserta[0], staf, nil).header.Get("ETag"))
	wantAnswer(t, pilih, http.StatusOK)
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)
	wantAnswer(t, b.do(t, http.MethodPost, peserta[0]+"/selesai", staf, map[string]any{"tanggal": today}, "If-Match", pilih.header.Get("ETag")), http.StatusOK)

	lp := b.do(t, http.MethodGet, base+"/laporan/program?tahun=2026", viewer, nil)
	wantAnswer(t, lp, http.StatusOK)
	p := lp.body["program"].([]any)
	if len(p) != 1 {
		t.Fatalf("programmes: %s", lp.raw)
	}
	c := p[0].(map[string]any)
	if c["satuan"] != "usaha" || c["target"] != 3.0 || c["realisasi"] != 1.0 {
		t.Errorf("capaian: %v", c)
	}
	if f := lp.body["corong"].(map[string]any); f["mendaftar"] != 2.0 || f["terpilih"] != 1.0 || f["selesai"] != 1.0 {
		t.Errorf("funnel: %v", f)
	}
	if r := lp.body["renja"].([]any); len(r) != 1 || r[0].(map[string]any)["realisasi"] != 1.0 {
		t.Errorf("renja: %v", r)
	}

	d := b.do(t, http.MethodGet, base+"/laporan/dampak?tahun=2026&jenis=pendampingan", viewer, nil)
	wantAnswer(t, d, http.StatusOK)
	tot := d.body["total"].(map[string]any)["peserta"].(map[string]any)
	omzet := tot["omzet"].(map[string]any)
	if tot["usaha"] != 1.0 || omzet["ditahan"] != true || omzet["median_perubahan"] != nil || d.body["ambang"] != 10.0 {
		t.Errorf("impact of one business must be withheld, its count shown: %s", d.raw)
	}

	fd := b.do(t, http.MethodGet, base+"/laporan/pendanaan?jenis=kredit_mesra", viewer, nil)
	wantAnswer(t, fd, http.StatusOK)
	if fd.body["jumlah"] != 0.0 || len(fd.body["alasan"].([]any)) != 5 {
		t.Errorf("funding: %s", fd.raw)
	}

	wantProblem(t, b.do(t, http.MethodGet, base+"/laporan/program?tahun=1999", viewer, nil), http.StatusUnprocessableEntity, "query.tahun", "")
	wantProblem(t, b.do(t, http.MethodGet, base+"/laporan/dampak?jenis=arisan", viewer, nil), http.StatusUnprocessableEntity, "query.jenis", "")
	petugas := b.loginPetugas(t, "petugas.laporan@depok.test", kecPancoranMas)
	for _, r := range []string{"program", "dampak", "pendanaan"} {
		wantStatus(t, b.do(t, http.MethodGet, base+"/laporan/"+r, petugas, nil), http.StatusForbidden)
	}
	wantStatus(t, b.do(t, http.MethodGet, "/v1/tenants/medan/laporan/program", viewer, nil), http.StatusNotFound)
}
