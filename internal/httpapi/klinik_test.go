package httpapi

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// nextMonday is the first Monday after today in Jakarta.
func nextMonday() string {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	d := time.Now().In(loc)
	for d = d.AddDate(0, 0, 1); d.Weekday() != time.Monday; d = d.AddDate(0, 0, 1) {
	}
	return d.Format(time.DateOnly)
}

// TestKlinikAPI runs the clinic through the API: areas, a consultant, two
// tickets whose staff race for one slot (one 200, one 409 naming mulai),
// refusals naming their field, masking for a viewer, another office's 404,
// and the public form with its tracking code.
func TestKlinikAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, admin, viewer, medan := b.login(t, b.depokStaf.Email), b.login(t, b.depokAdmin.Email), b.login(t, b.depokViewer.Email), b.login(t, b.medanStaf.Email)
	const base = "/v1/tenants/depok/klinik"

	ls := b.do(t, http.MethodGet, base+"/layanan", viewer, nil)
	if ls.status != http.StatusOK {
		t.Fatalf("layanan: %d %s", ls.status, ls.raw)
	}
	items := ls.body["items"].([]any)
	if len(items) != 8 {
		t.Fatalf("%d areas, want 8", len(items))
	}
	var legalitas string
	for _, it := range items {
		if m := it.(map[string]any); m["kode"] == "legalitas" {
			legalitas = m["id"].(string)
		}
	}
	wantStatus(t, b.do(t, http.MethodPost, base+"/layanan", viewer, map[string]any{"kode": "ekspor", "nama": "Ekspor"}), http.StatusForbidden)
	wantProblem(t, b.do(t, http.MethodPost, base+"/layanan", staf, map[string]any{"kode": "legalitas", "nama": "Lagi"}), http.StatusUnprocessableEntity, "body.kode", "")

	kons := map[string]any{"nama": "Rina Marlina", "slot_menit": 60, "kuota_harian": 2, "layanan": []string{legalitas},
		"jadwal": []map[string]any{{"hari": 1, "mulai": "09:00", "selesai": "12:00", "tempat": "Sentra UMKM Depok"}}}
	bad := map[string]any{"nama": "X", "slot_menit": 60, "kuota_harian": 2, "layanan": []string{legalitas},
		"jadwal": []map[string]any{{"hari": 1, "mulai": "09:00", "selesai": "09:30", "tempat": "Sentra"}}}
	wantProblem(t, b.do(t, http.MethodPost, base+"/konsultan", staf, bad), http.StatusUnprocessableEntity, "body.jadwal[0].selesai", "")
	k := b.do(t, http.MethodPost, base+"/konsultan", staf, kons, "Idempotency-Key", "kons-1")
	if k.status != http.StatusCreated {
		t.Fatalf("konsultan: %d %s", k.status, k.raw)
	}
	konsID := k.body["id"].(string)

	wantProblem(t, b.do(t, http.MethodPost, base+"/tiket", staf, map[string]any{"saluran": "walk_in", "layanan_id": legalitas, "nama": "Siti"}),
		http.StatusUnprocessableEntity, "body.pertanyaan", "")
	tiket := func(nama string) response {
		r := b.do(t, http.MethodPost, base+"/tiket", staf, map[string]any{"saluran": "walk_in", "layanan_id": legalitas, "nama": nama,
			"telepon": "0812-3456-7890", "pertanyaan": "Bagaimana mengurus NIB?"})
		if r.status != http.StatusCreated {
			t.Fatalf("tiket: %d %s", r.status, r.raw)
		}
		return r
	}
	t1, t2 := tiket("Siti Aminah"), tiket("Ani Lestari")
	path := func(r response) string { return base + "/tiket/" + r.body["id"].(string) }
	senin := nextMonday()

	wantProblem(t, b.do(t, http.MethodPut, path(t1)+"/jadwal", staf, map[string]any{"konsultan_id": konsID, "tanggal": senin, "mulai": "09:30"},
		"If-Match", t1.header.Get("ETag")), http.StatusUnprocessableEntity, "body.mulai", "")
	wantStatus(t, b.do(t, http.MethodPut, path(t1)+"/jadwal", viewer, map[string]any{"konsultan_id": konsID, "tanggal": senin, "mulai": "09:00"},
		"If-Match", t1.header.Get("ETag")), http.StatusForbidden)

	var wg sync.WaitGroup
	got := make([]response, 2)
	for i, x := range []struct {
		r     response
		token string
	}{{t1, staf}, {t2, admin}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = b.do(t, http.MethodPut, path(x.r)+"/jadwal", x.token, map[string]any{"konsultan_id": konsID, "tanggal": senin, "mulai": "09:00"},
				"If-Match", x.r.header.Get("ETag"))
		}()
	}
	wg.Wait()
	if got[0].status+got[1].status != http.StatusOK+http.StatusConflict {
		t.Fatalf("race: %d %s / %d %s", got[0].status, got[0].raw, got[1].status, got[1].raw)
	}
	for _, g := range got {
		if g.status == http.StatusConflict {
			wantProblem(t, g, http.StatusConflict, "body.mulai", "")
		}
	}

	w := b.do(t, http.MethodGet, base+"/jadwal?tanggal="+senin, viewer, nil)
	if w.status != http.StatusOK || w.body["senin"] != senin {
		t.Fatalf("week: %d %s", w.status, w.raw)
	}
	if !strings.Contains(string(w.raw), `"tiket_kode"`) {
		t.Fatalf("the booked slot is not on the week: %s", w.raw)
	}

	v := b.do(t, http.MethodGet, path(t1), viewer, nil)
	if v.status != http.StatusOK || v.body["telepon"] != "xxxxxxxxx890" || v.body["nama"] != "S*** A***" {
		t.Fatalf("viewer sees: %d %v %v", v.status, v.body["nama"], v.body["telepon"])
	}
	if s := b.do(t, http.MethodGet, path(t1), staf, nil); s.body["telepon"] != "081234567890" {
		t.Fatalf("staf sees %v", s.body["telepon"])
	}
	wantStatus(t, b.do(t, http.MethodGet, strings.Replace(path(t1), "/depok/", "/medan/", 1), medan, nil), http.StatusNotFound)

	// Outcome and survey on the booked one.
	booked := t1
	if got[1].status == http.StatusOK {
		booked = t2
	}
	cur := b.do(t, http.MethodGet, path(booked), staf, nil)
	wantProblem(t, b.do(t, http.MethodPost, path(booked)+"/hasil", staf, map[string]any{"jenis": "rujuk_instansi"}, "If-Match", cur.header.Get("ETag")),
		http.StatusUnprocessableEntity, "body.instansi", "")
	h := b.do(t, http.MethodPost, path(booked)+"/hasil", staf, map[string]any{"jenis": "rujuk_instansi", "instansi": "dpmptsp",
		"catatan": "Daftar NIB lewat OSS", "tindak_lanjut": senin, "selesai": true}, "If-Match", cur.header.Get("ETag"))
	if h.status != http.StatusOK || h.body["status"] != "selesai" {
		t.Fatalf("hasil: %d %s", h.status, h.raw)
	}
	wantProblem(t, b.do(t, http.MethodPost, path(booked)+"/skm", staf, map[string]any{"u1": 5}), http.StatusUnprocessableEntity, "body.u1", "")
	if r := b.do(t, http.MethodPost, path(booked)+"/skm", staf, map[string]any{"u1": 4, "u2": 3}); r.status != http.StatusCreated {
		t.Fatalf("skm: %d %s", r.status, r.raw)
	}
	wantStatus(t, b.do(t, http.MethodPost, path(booked)+"/skm", staf, map[string]any{"u1": 4}), http.StatusConflict)
	y := b.do(t, http.MethodGet, base+"/skm?tahun="+senin[:4], viewer, nil)
	if y.status != http.StatusOK || y.body["responden"].(float64) != 1 || y.body["ikm"].(float64) != 87.5 {
		t.Fatalf("skm year: %d %s", y.status, y.raw)
	}

	// The public form and its code.
	p := b.do(t, http.MethodPost, "/v1/public/depok/klinik/tiket", "", map[string]any{"layanan_id": legalitas, "pertanyaan": "Cara dapat halal gratis?",
		"nama": "Budi", "telepon": "08129998887"})
	if p.status != http.StatusCreated {
		t.Fatalf("public: %d %s", p.status, p.raw)
	}
	kode := p.body["kode"].(string)
	st := b.do(t, http.MethodGet, "/v1/public/depok/klinik/tiket/"+kode, "", nil)
	if st.status != http.StatusOK || st.body["status"] != "baru" || strings.Contains(string(st.raw), "Budi") || strings.Contains(string(st.raw), "0812") {
		t.Fatalf("public status: %d %s", st.status, st.raw)
	}
	wantStatus(t, b.do(t, http.MethodGet, "/v1/public/medan/klinik/tiket/"+kode, "", nil), http.StatusNotFound)
	wantStatus(t, b.do(t, http.MethodPost, "/v1/public/depok/klinik/tiket/"+kode+"/skm", "", map[string]any{"u1": 4}), http.StatusConflict) // not done yet
	wantStatus(t, b.do(t, http.MethodPost, "/v1/public/medan/klinik/tiket/"+kode+"/skm", "", map[string]any{"u1": 4}), http.StatusNotFound)
	wantProblem(t, b.do(t, http.MethodPost, "/v1/public/depok/klinik/tiket", "", map[string]any{"layanan_id": legalitas, "pertanyaan": "x",
		"nama": "Budi", "telepon": "12"}), http.StatusUnprocessableEntity, "body.telepon", "")
}
