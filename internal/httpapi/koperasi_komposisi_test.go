package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestKoperasiKomposisiOverHTTP: a year's business composition is put whole
// with the cooperative's ETag; shares that do not add up to 100, a unit
// twice or a unit that is not this cooperative's are refused naming the
// field, in Indonesian (English on request), with nothing written.
func TestKoperasiKomposisiOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer, medan := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email), b.login(t, b.medanStaf.Email)
	k, _ := b.postKoperasi(t, "depok", staf, kBody("KSU Porsi", kelDepok))
	path := "/v1/tenants/depok/koperasi/" + k.ID
	etag := `"1"`
	addUnit := func(koperasiPath, token, etagIn string, body map[string]any) (string, string) {
		t.Helper()
		r := b.do(t, http.MethodPost, koperasiPath+"/unit", token, body)
		if r.status != http.StatusCreated {
			t.Fatalf("unit: %d %s", r.status, r.raw)
		}
		var u struct {
			ID string `json:"id"`
		}
		r.decode(t, &u)
		return u.ID, r.header.Get("ETag")
	}
	toko, _ := addUnit(path, staf, etag, map[string]any{"jenis_unit": "toko"})
	usp, etag := addUnit(path, staf, etag, map[string]any{"jenis_unit": "simpan_pinjam", "pola_simpan_pinjam": "close_loop"})
	tetangga, _ := b.postKoperasi(t, "depok", staf, kBody("KSU Tetangga", kelDepok))
	lain, _ := addUnit("/v1/tenants/depok/koperasi/"+tetangga.ID, staf, `"1"`, map[string]any{"jenis_unit": "toko"})

	body := func(shares ...any) map[string]any {
		var p []map[string]any
		for i := 0; i+1 < len(shares); i += 2 {
			p = append(p, map[string]any{"unit_id": shares[i], "persen": shares[i+1]})
		}
		return map[string]any{"tahun": 2024, "porsi": p}
	}
	audits := b.count(t, "depok", "select count(*) from audit_log")
	for _, c := range []struct {
		name, location, says string
		body                 map[string]any
		lang                 string
	}{
		{"sum 90", "body.porsi", "yang diisi berjumlah 90%", body(toko, 50, usp, 40), ""},
		{"sum 100.01", "body.porsi", "yang diisi berjumlah 100,01%", body(toko, 60.01, usp, 40), ""},
		{"sum 90 in English", "body.porsi", "add up to 90%", body(toko, 50, usp, 40), "en"},
		{"three decimals", "body.porsi[0].persen", "dua angka desimal", body(toko, 59.995, usp, 40.005), ""},
		{"share over 100", "body.porsi[0].persen", "≤ 100", body(toko, 101, usp, -1), ""},
		{"unit twice", "body.porsi[1].unit_id", "hanya boleh sekali", body(toko, 50, toko, 50), ""},
		{"another cooperative's unit", "body.porsi[1].unit_id", "Bukan unit usaha aktif koperasi ini", body(toko, 50, lain, 50), ""},
		{"no share", "body.porsi", "jumlah minimal 1", map[string]any{"tahun": 2024, "porsi": []any{}}, ""},
		{"future year", "body.tahun", "Tahun harus 1945–2026", map[string]any{"tahun": 2030, "porsi": []any{map[string]any{"unit_id": toko, "persen": 100}}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			hdr := []string{"If-Match", etag}
			if c.lang != "" {
				hdr = append(hdr, "Accept-Language", c.lang)
			}
			wantProblem(t, b.do(t, http.MethodPut, path+"/komposisi", staf, c.body, hdr...), http.StatusUnprocessableEntity, c.location, c.says)
		})
	}
	// A unit of another cooperative answers exactly as a unit that never
	// existed (but for the id echoed).
	fake := uuid.NewString()
	elsewhere := b.do(t, http.MethodPut, path+"/komposisi", staf, body(lain, 100), "If-Match", etag)
	unknown := b.do(t, http.MethodPut, path+"/komposisi", staf, body(fake, 100), "If-Match", etag)
	if elsewhere.status != unknown.status || strings.ReplaceAll(string(elsewhere.raw), lain, "ID") != strings.ReplaceAll(string(unknown.raw), fake, "ID") {
		t.Errorf("another cooperative's unit: %d %s\nunknown unit: %d %s", elsewhere.status, elsewhere.raw, unknown.status, unknown.raw)
	}
	if n := b.count(t, "depok", "select count(*) from koperasi_unit_porsi"); n != 0 {
		t.Errorf("%d shares written by refused input", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
		t.Errorf("refused input wrote %d audit rows", n-audits)
	}

	// If-Match: required, current; another tenant's cooperative is not found.
	good := body(toko, 60, usp, 40)
	if r := b.do(t, http.MethodPut, path+"/komposisi", staf, good); r.status != http.StatusPreconditionRequired {
		t.Errorf("without If-Match: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodPut, path+"/komposisi", staf, good, "If-Match", `"1"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale If-Match: %d %s", r.status, r.raw)
	}
	got := b.do(t, http.MethodPut, "/v1/tenants/medan/koperasi/"+k.ID+"/komposisi", medan, good, "If-Match", etag)
	nope := b.do(t, http.MethodPut, "/v1/tenants/medan/koperasi/"+uuid.NewString()+"/komposisi", medan, good, "If-Match", etag)
	if got.status != http.StatusNotFound {
		t.Errorf("depok's cooperative through medan: %d %s", got.status, got.raw)
	}
	sameAnswer(t, got, nope)
	if r := b.do(t, http.MethodPut, path+"/komposisi", viewer, good, "If-Match", etag); r.status != http.StatusForbidden {
		t.Errorf("viewer writes: %d", r.status)
	}

	r := b.do(t, http.MethodPut, path+"/komposisi", staf, good, "If-Match", etag)
	if r.status != http.StatusOK || r.header.Get("ETag") == etag {
		t.Fatalf("put: %d %q %s", r.status, r.header.Get("ETag"), r.raw)
	}
	etag = r.header.Get("ETag")
	var put struct {
		Tahun int `json:"tahun"`
		Porsi []struct {
			UnitID string  `json:"unit_id"`
			Persen float64 `json:"persen"`
		} `json:"porsi"`
	}
	r.decode(t, &put)
	if put.Tahun != 2024 || len(put.Porsi) != 2 || put.Porsi[0].UnitID != toko || put.Porsi[0].Persen != 60 || put.Porsi[1].Persen != 40 {
		t.Errorf("answer %s", r.raw)
	}
	// Everyone who reads the cooperative sees it in the detail.
	var d struct {
		Komposisi []struct {
			Tahun int `json:"tahun"`
			Porsi []struct {
				UnitID string  `json:"unit_id"`
				Persen float64 `json:"persen"`
			} `json:"porsi"`
		} `json:"komposisi"`
	}
	r = b.do(t, http.MethodGet, path, viewer, nil)
	r.decode(t, &d)
	if r.header.Get("ETag") != etag || len(d.Komposisi) != 1 || d.Komposisi[0].Tahun != 2024 || len(d.Komposisi[0].Porsi) != 2 {
		t.Errorf("detail %q %s", r.header.Get("ETag"), r.raw)
	}

	// Removing the year: If-Match, then it is gone.
	if r := b.do(t, http.MethodDelete, path+"/komposisi/2024", staf, nil, "If-Match", `"1"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale delete: %d", r.status)
	}
	r = b.do(t, http.MethodDelete, path+"/komposisi/2024", staf, nil, "If-Match", etag)
	if r.status != http.StatusNoContent || r.header.Get("ETag") == etag {
		t.Fatalf("delete: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodDelete, path+"/komposisi/2024", staf, nil, "If-Match", r.header.Get("ETag")); r.status != http.StatusNotFound {
		t.Errorf("delete again: %d", r.status)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'koperasi_komposisi'"); n != 2 {
		t.Errorf("%d composition audit rows, want 2", n)
	}
}
