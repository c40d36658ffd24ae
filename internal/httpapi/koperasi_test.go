package httpapi

// Tests of the cooperative registry over HTTP: create (idempotent), read
// with personal data by role, update and archive with If-Match, the pilot
// rule, every child (units, managers, RAT, health, members), lists, another
// tenant's ids, bad input, and the export through real River workers.

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// kBody is a valid create-koperasi body in kelurahan kel, with extra fields
// as name, value pairs.
func kBody(nama, kel string, extra ...any) map[string]any {
	m := map[string]any{"nama": nama, "kecamatan_kode": kel[:8], "kelurahan_kode": kel, "kelompok": "ksu"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	return m
}

type testKoperasi struct {
	ID                string  `json:"id"`
	Nama              string  `json:"nama"`
	Jenis             *string `json:"jenis"`
	Alamat            *string `json:"alamat"`
	Pilot             bool    `json:"pilot"`
	RATTerakhir       *string `json:"rat_terakhir"`
	RATTerlambat      bool    `json:"rat_terlambat"`
	KesehatanPredikat *string `json:"kesehatan_predikat"`
	Unit              []struct {
		ID     string `json:"id"`
		Volume []struct {
			Tahun  int   `json:"tahun"`
			Volume int64 `json:"volume"`
		} `json:"volume"`
	} `json:"unit"`
	Pengurus []struct {
		ID   string `json:"id"`
		Nama string `json:"nama"`
	} `json:"pengurus"`
}

// postKoperasi creates a cooperative in slug, failing unless it answers 201.
func (b *testBundle) postKoperasi(t *testing.T, slug, token string, body map[string]any) (testKoperasi, response) {
	t.Helper()
	r := b.do(t, http.MethodPost, "/v1/tenants/"+slug+"/koperasi", token, body)
	if r.status != http.StatusCreated {
		t.Fatalf("create koperasi %v in %s: %d %s", body["nama"], slug, r.status, r.raw)
	}
	var k testKoperasi
	r.decode(t, &k)
	return k, r
}

// wantProblem fails unless r is a problem with status naming location in
// Indonesian (the message contains id).
func wantProblem(t *testing.T, r response, status int, location, id string) testProblem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	p := r.problem(t)
	msg, ok := p.field(location)
	if !ok {
		t.Fatalf("no error at %s: %v (%s)", location, p.locations(), r.raw)
	}
	if !strings.Contains(msg, id) {
		t.Errorf("%s: message %q, want it to say %q", location, msg, id)
	}
	return p
}

func TestKoperasiRegistryOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	medan := b.login(t, b.medanStaf.Email)
	const list = "/v1/tenants/depok/koperasi"

	// Create, idempotently.
	body := kBody("KSU Maju Bersama", kelDepok, "alamat", "Jl. Melati 5", "pilot", true, "nik_koperasi", "3276010000123")
	r := b.do(t, http.MethodPost, list, staf, body, "Idempotency-Key", "kop-1")
	if r.status != http.StatusCreated || r.header.Get("ETag") != `"1"` {
		t.Fatalf("create: %d %q %s", r.status, r.header.Get("ETag"), r.raw)
	}
	var k testKoperasi
	r.decode(t, &k)
	path := list + "/" + k.ID
	if r.header.Get("Location") != path || !k.Pilot || k.Alamat == nil {
		t.Errorf("Location %q, record %s", r.header.Get("Location"), r.raw)
	}
	again := b.do(t, http.MethodPost, list, staf, body, "Idempotency-Key", "kop-1")
	var k2 testKoperasi
	again.decode(t, &k2)
	if again.status != http.StatusCreated || k2.ID != k.ID || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %d %s %q", again.status, again.raw, again.header.Get("Idempotent-Replayed"))
	}
	other := kBody("KSU Lain", kelDepok)
	if r := b.do(t, http.MethodPost, list, staf, other, "Idempotency-Key", "kop-1"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, another body: %d %s", r.status, r.raw)
	}
	if n := b.count(t, "depok", "select count(*) from koperasi"); n != 1 {
		t.Fatalf("%d cooperatives after the retries, want 1", n)
	}

	// Bad input: Indonesian, naming the field; English on request; nothing written.
	audits := b.count(t, "depok", "select count(*) from audit_log")
	wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("X", kelDepok, "jenis", "ksu")), 422, "body.jenis", "harus salah satu dari")
	wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("X", kelDepok, "kelompok", "bank")), 422, "body.kelompok", "harus salah satu dari")
	wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("X", kelDepok, "nik_koperasi", "12345")), 422, "body.nik_koperasi", "13–16 angka")
	wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("X", kelMedanPasar)), 422, "body.kecamatan_kode", "tidak ditemukan")
	wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("X", kelDepok, "anggota_laki", -1)), 422, "body.anggota_laki", "≥ 0")
	wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("X", kelDepok, "nik_koperasi", "12345"), "Accept-Language", "en"),
		422, "body.nik_koperasi", "13–16 digits")
	p := wantProblem(t, b.do(t, http.MethodPost, list, staf, kBody("KSU Kedua", kelDepokJaya, "pilot", true)), 409, "body.pilot", "sudah punya koperasi pilot")
	var existing struct {
		Existing string `json:"existing"`
	}
	b.do(t, http.MethodPost, list, staf, kBody("KSU Kedua", kelDepokJaya, "pilot", true)).decode(t, &existing)
	if existing.Existing != path || !strings.Contains(p.Detail, "pilot") {
		t.Errorf("pilot conflict: existing %q, detail %q", existing.Existing, p.Detail)
	}
	if n := b.count(t, "depok", "select count(*) from koperasi"); n != 1 {
		t.Errorf("%d cooperatives after bad input, want 1", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
		t.Errorf("bad input wrote %d audit rows", n-audits)
	}
	if r := b.do(t, http.MethodPost, list, viewer, kBody("X", kelDepok)); r.status != http.StatusForbidden {
		t.Errorf("viewer creates: %d", r.status)
	}

	// Update with If-Match.
	upd := kBody("KSU Maju Bersama", kelDepok, "alamat", "Jl. Melati 5", "pilot", true)
	// The legal type is the admin's decision in the reclassification
	// review: no role sets it through the registry (issue 4).
	admin := b.login(t, b.depokAdmin.Email)
	for who, token := range map[string]string{"staf": staf, "admin": admin} {
		withJenis := kBody("KSU Maju Bersama", kelDepok, "alamat", "Jl. Melati 5", "pilot", true, "jenis", "konsumen")
		p := wantProblem(t, b.do(t, http.MethodPut, path, token, withJenis, "If-Match", `"1"`), 409, "body.jenis", "tinjauan reklasifikasi")
		if !strings.Contains(p.Detail, "reklasifikasi") {
			t.Errorf("%s sets jenis: detail %q", who, p.Detail)
		}
	}
	if n := b.count(t, "depok", "select count(*) from koperasi where jenis is not null or version <> 1"); n != 0 {
		t.Fatalf("a refused jenis was written")
	}
	if r := b.do(t, http.MethodPut, path, staf, upd); r.status != http.StatusPreconditionRequired {
		t.Errorf("PUT without If-Match: %d", r.status)
	}
	if r := b.do(t, http.MethodPut, path, staf, upd, "If-Match", `"7"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale If-Match: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodPut, path, staf, upd, "If-Match", `"1"`)
	if r.status != http.StatusOK || r.header.Get("ETag") != `"2"` {
		t.Fatalf("update: %d %s", r.status, r.raw)
	}

	// Children: each write moves the cooperative's ETag.
	etagNow := `"2"`
	child := func(method, sub string, body any, want int) response {
		t.Helper()
		r := b.do(t, method, path+sub, staf, body, "If-Match", etagNow)
		if r.status != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, sub, r.status, want, r.raw)
		}
		if e := r.header.Get("ETag"); e == "" || e == etagNow {
			t.Fatalf("%s %s: ETag %q did not move from %s", method, sub, e, etagNow)
		} else {
			etagNow = e
		}
		return r
	}
	r = child(http.MethodPost, "/unit", map[string]any{"jenis_unit": "simpan_pinjam", "pola_simpan_pinjam": "close_loop", "pola_sejak": "2023-01-01",
		"volume": []map[string]any{{"tahun": 2025, "volume": 1_000_000}}}, http.StatusCreated)
	var unit struct {
		ID string `json:"id"`
	}
	r.decode(t, &unit)
	if r.header.Get("Location") != path+"/unit/"+unit.ID {
		t.Errorf("unit Location %q", r.header.Get("Location"))
	}
	wantProblem(t, b.do(t, http.MethodPost, path+"/unit", staf, map[string]any{"jenis_unit": "toko",
		"volume": []map[string]any{{"tahun": 2025, "volume": -1}}}), 422, "body.volume[0].volume", "≥ 0")
	wantProblem(t, b.do(t, http.MethodPost, path+"/unit", staf, map[string]any{"jenis_unit": "toko", "pola_simpan_pinjam": "open_loop"}),
		422, "body.pola_simpan_pinjam", "hanya untuk unit simpan pinjam")
	if r := b.do(t, http.MethodPut, path+"/unit/"+unit.ID, staf, map[string]any{"jenis_unit": "toko"}, "If-Match", `"2"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("unit update with the old ETag: %d", r.status)
	}
	child(http.MethodPut, "/unit/"+unit.ID, map[string]any{"jenis_unit": "simpan_pinjam", "pola_simpan_pinjam": "open_loop",
		"volume": []map[string]any{{"tahun": 2024, "volume": 5}, {"tahun": 2025, "volume": 7}}}, http.StatusOK)
	r = child(http.MethodPost, "/pengurus", map[string]any{"nama": "Siti Aminah", "jabatan": "ketua"}, http.StatusCreated)
	var pengurus struct {
		ID string `json:"id"`
	}
	r.decode(t, &pengurus)
	child(http.MethodPut, "/pengurus/"+pengurus.ID, map[string]any{"nama": "Siti Aminah", "jabatan": "ketua", "mulai": "2024-01-01"}, http.StatusOK)
	child(http.MethodPost, "/rat", map[string]any{"tahun": 2025, "tanggal": "2026-03-14"}, http.StatusCreated)
	wantProblem(t, b.do(t, http.MethodPost, path+"/rat", staf, map[string]any{"tahun": 2025, "tanggal": "2026-03-15"}), 409, "body.tahun", "sudah tercatat")
	r = child(http.MethodPost, "/kesehatan", map[string]any{"regime": "permenkop_9_2020", "tahun": 2025,
		"skor": map[string]any{"tata_kelola": 76, "profil_risiko": 76, "kinerja_keuangan": 76, "permodalan": 75.99}}, http.StatusCreated)
	var nilai struct {
		ID       string  `json:"id"`
		Predikat string  `json:"predikat"`
		Total    float64 `json:"skor_total"`
	}
	r.decode(t, &nilai)
	if nilai.Predikat != "cukup_sehat" || nilai.Total != 75.9975 {
		t.Errorf("assessment: %s", r.raw)
	}
	wantProblem(t, b.do(t, http.MethodPost, path+"/kesehatan", staf, map[string]any{"regime": "permenkop_9_2020", "tahun": 2024,
		"skor": map[string]any{"tata_kelola": 101, "profil_risiko": 76, "kinerja_keuangan": 76, "permodalan": 76}}),
		422, "body.skor.tata_kelola", "harus 0 sampai 100")
	wantProblem(t, b.do(t, http.MethodPost, path+"/kesehatan", staf, map[string]any{"regime": "perdep_06_2016", "tahun": 2024,
		"skor": map[string]any{"permodalan": 80}}), 422, "body.skor.jatidiri", "wajib diisi")

	// Members: an UMKM of this tenant; medan's answers like one that does not exist.
	uID, _ := b.newUMKM(t, "depok", staf, uBody("Keripik Bu Siti", "Siti Aminah", kelDepok))
	mID, _ := b.newUMKM(t, "medan", medan, uBody("Bika Ambon", "Rudi", kelMedanPasar))
	child(http.MethodPost, "/anggota", map[string]any{"umkm_id": uID, "difasilitasi": true}, http.StatusCreated)
	foreign := b.do(t, http.MethodPost, path+"/anggota", staf, map[string]any{"umkm_id": mID})
	unknown := b.do(t, http.MethodPost, path+"/anggota", staf, map[string]any{"umkm_id": uuid.NewString()})
	if foreign.status != http.StatusNotFound {
		t.Errorf("medan's UMKM as member: %d %s", foreign.status, foreign.raw)
	}
	sameAnswer(t, foreign, unknown)
	var members struct {
		Items []struct {
			UMKMID       string `json:"umkm_id"`
			Difasilitasi bool   `json:"difasilitasi"`
		} `json:"items"`
	}
	b.do(t, http.MethodGet, path+"/anggota", viewer, nil).decode(t, &members)
	if len(members.Items) != 1 || members.Items[0].UMKMID != uID || !members.Items[0].Difasilitasi {
		t.Errorf("members: %+v", members)
	}
	var ofUMKM struct {
		Items []struct {
			KoperasiID string `json:"koperasi_id"`
		} `json:"items"`
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+uID+"/koperasi", viewer, nil).decode(t, &ofUMKM)
	if len(ofUMKM.Items) != 1 || ofUMKM.Items[0].KoperasiID != k.ID {
		t.Errorf("cooperatives of the UMKM: %+v", ofUMKM)
	}
	child(http.MethodPut, "/anggota/"+uID, map[string]any{"difasilitasi": false}, http.StatusOK)

	// What a staf and a viewer read.
	var full, masked testKoperasi
	r = b.do(t, http.MethodGet, path, staf, nil)
	r.decode(t, &full)
	if r.header.Get("ETag") != etagNow {
		t.Errorf("GET ETag %q, want %s", r.header.Get("ETag"), etagNow)
	}
	b.do(t, http.MethodGet, path, viewer, nil).decode(t, &masked)
	if full.Alamat == nil || len(full.Pengurus) != 1 || full.Pengurus[0].Nama != "Siti Aminah" || *full.RATTerakhir != "2026-03-14" ||
		full.RATTerlambat || *full.KesehatanPredikat != "cukup_sehat" || len(full.Unit) != 1 || len(full.Unit[0].Volume) != 2 {
		t.Errorf("staf reads %+v", full)
	}
	if masked.Alamat != nil || masked.Pengurus[0].Nama != "S*** A***" {
		t.Errorf("viewer reads address %v, manager %q", masked.Alamat, masked.Pengurus[0].Nama)
	}
	var regimes struct {
		Items []struct {
			Kode  string `json:"kode"`
			Aspek []any  `json:"aspek"`
		} `json:"items"`
	}
	b.do(t, http.MethodGet, list+"/kesehatan-regime", viewer, nil).decode(t, &regimes)
	if len(regimes.Items) != 2 || len(regimes.Items[0].Aspek) == 0 {
		t.Errorf("regimes: %+v", regimes)
	}

	// Lists and their filters.
	b.postKoperasi(t, "depok", staf, kBody("Koperasi Tani Makmur", kelHarjamukti, "jenis", "produsen", "kelompok", "kud"))
	names := func(query string) []string {
		t.Helper()
		r := b.do(t, http.MethodGet, list+"?"+query, viewer, nil)
		if r.status != http.StatusOK {
			t.Fatalf("list ?%s: %d %s", query, r.status, r.raw)
		}
		var page struct {
			Items []testKoperasi `json:"items"`
		}
		r.decode(t, &page)
		var out []string
		for _, it := range page.Items {
			out = append(out, it.Nama)
			if it.Alamat != nil {
				t.Errorf("viewer's list shows an address: %+v", it)
			}
		}
		return out
	}
	for q, want := range map[string][]string{
		"":                          {"KSU Maju Bersama", "Koperasi Tani Makmur"},
		"jenis=belum":               {"KSU Maju Bersama"}, // the registry never types it (reclassification does)
		"jenis=produsen":            {"Koperasi Tani Makmur"},
		"kelompok=ksu":              {"KSU Maju Bersama"},
		"kecamatan=" + kecCimanggis: {"Koperasi Tani Makmur"},
		"predikat=cukup_sehat":      {"KSU Maju Bersama"},
		"pilot=true":                {"KSU Maju Bersama"},
		"rat_terlambat=true":        {"Koperasi Tani Makmur"},
		"rat_terlambat=false":       {"KSU Maju Bersama"},
		"aktif=false":               nil,
		"q=tanni":                   {"Koperasi Tani Makmur"},
		"sort=-created&limit=1":     {"Koperasi Tani Makmur"},
	} {
		if got := names(q); !slices.Equal(got, want) {
			t.Errorf("?%s: %q, want %q", q, got, want)
		}
	}
	wantProblem(t, b.do(t, http.MethodGet, list+"?jenis=ksu", viewer, nil), 422, "query.jenis", "harus salah satu dari")
	wantProblem(t, b.do(t, http.MethodGet, list+"?cursor=xyz", viewer, nil), 422, "query.cursor", "Cursor tidak valid")

	// Another tenant's ids answer exactly as ids that never existed.
	for _, sub := range []string{"", "/kesehatan", "/anggota"} {
		got := b.do(t, http.MethodGet, "/v1/tenants/medan/koperasi/"+k.ID+sub, medan, nil)
		nope := b.do(t, http.MethodGet, "/v1/tenants/medan/koperasi/"+uuid.NewString()+sub, medan, nil)
		if got.status != http.StatusNotFound {
			t.Errorf("depok's cooperative%s through medan: %d", sub, got.status)
		}
		sameAnswer(t, got, nope)
	}
	for _, w := range []struct{ method, sub string }{{http.MethodPut, ""}, {http.MethodDelete, ""}, {http.MethodDelete, "/unit/" + unit.ID},
		{http.MethodDelete, "/pengurus/" + pengurus.ID}, {http.MethodDelete, "/rat/2025"}, {http.MethodDelete, "/kesehatan/" + nilai.ID},
		{http.MethodDelete, "/anggota/" + uID}} {
		var body any
		if w.method == http.MethodPut {
			body = kBody("Diambil alih", kelMedanPasar)
		}
		got := b.do(t, w.method, "/v1/tenants/medan/koperasi/"+k.ID+w.sub, medan, body, "If-Match", etagNow)
		if got.status != http.StatusNotFound {
			t.Errorf("%s depok's %s through medan: %d %s", w.method, w.sub, got.status, got.raw)
		}
	}
	if r := b.do(t, http.MethodGet, path, staf, nil); r.header.Get("ETag") != etagNow {
		t.Errorf("medan's attempts changed the cooperative: ETag %q, want %s", r.header.Get("ETag"), etagNow)
	}

	// Deletes of children, then the archive.
	for _, sub := range []string{"/anggota/" + uID, "/kesehatan/" + nilai.ID, "/rat/2025", "/pengurus/" + pengurus.ID, "/unit/" + unit.ID} {
		child(http.MethodDelete, sub, nil, http.StatusNoContent)
	}
	if r := b.do(t, http.MethodDelete, path+"/rat/2025", staf, nil, "If-Match", etagNow); r.status != http.StatusNotFound {
		t.Errorf("deleting a deleted RAT: %d", r.status)
	}
	child(http.MethodDelete, "", nil, http.StatusOK)
	if got := names(""); !slices.Equal(got, []string{"Koperasi Tani Makmur"}) {
		t.Errorf("after archiving: %q", got)
	}
	if got := names("arsip=true"); len(got) != 2 {
		t.Errorf("with arsip=true: %q", got)
	}
	if r := b.do(t, http.MethodPost, path+"/unit", staf, map[string]any{"jenis_unit": "toko"}); r.status != http.StatusConflict {
		t.Errorf("unit of an archived cooperative: %d %s", r.status, r.raw)
	}
	// The pilot place is free again.
	b.postKoperasi(t, "depok", staf, kBody("KSU Pilot Baru", kelDepokJaya, "pilot", true))
	for entity, want := range map[string]int{"koperasi": 5, "koperasi_unit": 3, "koperasi_pengurus": 3, "koperasi_rat": 2,
		"koperasi_kesehatan": 2, "koperasi_anggota_umkm": 3} {
		if n := b.count(t, "depok", "select count(*) from audit_log where entity = $1", entity); n != want {
			t.Errorf("%d audit rows for %s, want %d", n, entity, want)
		}
	}
}

// TestKoperasiExportOverHTTP: the export runs on real River workers; its
// columns are the registry's, personal columns (alamat, ketua) only for
// roles that may read personal data, formulas neutralised, and only the
// tenant's own cooperatives. A petugas reads every cooperative, personal
// data only in their area, and writes none.
func TestKoperasiExportOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := b.startUMKMWorkers(t)
	staf, viewer := b.login(t, b.depokStaf.Email), b.login(t, b.depokViewer.Email)
	maju, _ := b.postKoperasi(t, "depok", staf, kBody("KSU Maju Bersama", kelDepok, "alamat", "Jl. Melati 5", "jenis", "konsumen"))
	tani, _ := b.postKoperasi(t, "depok", staf, kBody("Koperasi Tani Makmur", kelHarjamukti, "alamat", "Jl. Sawah 2"))
	for _, p := range []struct{ id, nama, jabatan string }{{maju.ID, "Siti Aminah", "ketua"}, {maju.ID, "Budi Santoso", "bendahara"}, {tani.ID, "Joko Susilo", "ketua"}} {
		if r := b.do(t, http.MethodPost, "/v1/tenants/depok/koperasi/"+p.id+"/pengurus", staf, map[string]any{"nama": p.nama, "jabatan": p.jabatan}); r.status != http.StatusCreated {
			t.Fatalf("pengurus: %d %s", r.status, r.raw)
		}
	}
	// A retried unit create is one unit; the same key for another
	// cooperative is another request, refused.
	for _, c := range []struct {
		id   string
		want int
	}{{maju.ID, http.StatusCreated}, {maju.ID, http.StatusCreated}, {tani.ID, http.StatusUnprocessableEntity}} {
		r := b.do(t, http.MethodPost, "/v1/tenants/depok/koperasi/"+c.id+"/unit", staf, map[string]any{"jenis_unit": "toko"}, "Idempotency-Key", "unit-1")
		if r.status != c.want {
			t.Fatalf("unit: %d, want %d: %s", r.status, c.want, r.raw)
		}
	}
	if n := b.count(t, "depok", "select count(*) from koperasi_unit"); n != 1 {
		t.Errorf("%d units after a retry, want 1", n)
	}
	// Older data may hold a formula; the export neutralises it.
	b.count(t, "depok", "with u as (update koperasi set sektor = '=HYPERLINK(\"http://x\")' where id = $1 returning 1) select count(*) from u", tani.ID)
	b.postKoperasi(t, "medan", b.login(t, b.medanStaf.Email), kBody("KSU Medan Jaya", kelMedanPasar, "alamat", "Jl. Medan 1"))

	export := func(token, query string, want int) [][]string {
		t.Helper()
		r := b.do(t, http.MethodPost, "/v1/tenants/depok/koperasi/ekspor?"+query, token, nil)
		if r.status != http.StatusAccepted {
			t.Fatalf("export: %d %s", r.status, r.raw)
		}
		awaitJob(t, events, "ekspor_koperasi")
		job := b.getJob(t, token, r.header.Get("Location"))
		if job.Jenis != "ekspor_koperasi" || job.Status != "selesai" || job.Selesai != want || job.HasilBerkasID == "" {
			t.Fatalf("export job: %+v %s", job, job.Hasil)
		}
		f := b.do(t, http.MethodGet, "/v1/tenants/depok/berkas/"+job.HasilBerkasID, token, nil)
		if f.status != http.StatusOK || !strings.HasPrefix(f.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("download: %d %q", f.status, f.header.Get("Content-Type"))
		}
		rows := readCSV(t, f.raw)
		if len(rows) != want+1 {
			t.Fatalf("export has %d lines, want a header and %d:\n%s", len(rows), want, f.raw)
		}
		for _, v := range []string{"Medan", "Jl. Medan"} {
			if strings.Contains(string(f.raw), v) {
				t.Errorf("export carries %q of another tenant", v)
			}
		}
		return rows
	}
	sRows := export(staf, "format=csv", 2)
	for _, col := range []string{"id", "nama", "jenis", "kelompok", "kecamatan_kode", "unit_usaha", "rat_terlambat", "kesehatan_predikat", "alamat", "ketua"} {
		if !slices.Contains(sRows[0], col) {
			t.Errorf("staf's export lacks %s: %q", col, sRows[0])
		}
	}
	if ketua := csvColumn(t, sRows, "ketua"); ketua[maju.ID] != "Siti Aminah" || ketua[tani.ID] != "Joko Susilo" {
		t.Errorf("ketua column %v", ketua)
	}
	if unit := csvColumn(t, sRows, "unit_usaha"); unit[maju.ID] != "toko" {
		t.Errorf("unit_usaha column %v", unit)
	}
	if s := csvColumn(t, sRows, "sektor"); s[tani.ID] != `'=HYPERLINK("http://x")` {
		t.Errorf("formula not neutralised: %q", s[tani.ID])
	}
	vRows := export(viewer, "", 2)
	for _, col := range []string{"alamat", "ketua"} {
		if slices.Contains(vRows[0], col) {
			t.Errorf("viewer's export has the personal column %s: %q", col, vRows[0])
		}
	}
	for _, v := range []string{"Siti", "Budi", "Joko", "Melati", "Sawah"} {
		for _, row := range vRows {
			if strings.Contains(strings.Join(row, ","), v) {
				t.Errorf("viewer's export carries %q: %q", v, row)
			}
		}
	}
	if got := export(viewer, "jenis=belum", 1); got[1][slices.Index(got[0], "id")] != tani.ID {
		t.Errorf("filtered export: %q", got)
	}

	// A petugas of Cimanggis: every cooperative, personal data of Cimanggis only.
	petugas := b.loginPetugas(t, "petugas.koperasi@depok.test", kecCimanggis)
	var page struct {
		Items []testKoperasi `json:"items"`
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/koperasi", petugas, nil).decode(t, &page)
	if len(page.Items) != 2 || page.Items[0].Alamat != nil || page.Items[1].Alamat == nil || *page.Items[1].Alamat != "Jl. Sawah 2" {
		t.Errorf("petugas's list: %+v", page.Items)
	}
	var one testKoperasi
	b.do(t, http.MethodGet, "/v1/tenants/depok/koperasi/"+maju.ID, petugas, nil).decode(t, &one)
	if one.Pengurus[0].Nama != "S*** A***" {
		t.Errorf("petugas outside the area reads the manager %q", one.Pengurus[0].Nama)
	}
	pRows := export(petugas, "", 2)
	if ketua := csvColumn(t, pRows, "ketua"); ketua[maju.ID] != "" || ketua[tani.ID] != "Joko Susilo" {
		t.Errorf("petugas's export ketua %v", ketua)
	}
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/koperasi", petugas, kBody("X", kelHarjamukti)); r.status != http.StatusForbidden {
		t.Errorf("petugas creates a cooperative: %d", r.status)
	}

	// Members of a cooperative: the petugas lists only those of Cimanggis,
	// as the UMKM registry shows them only those.
	inside, _ := b.newUMKM(t, "depok", staf, uBody("Keripik Cimanggis", "Ani", kelHarjamukti))
	outside, _ := b.newUMKM(t, "depok", staf, uBody("Keripik Pancoran", "Budi", kelDepok))
	etag := b.do(t, http.MethodGet, "/v1/tenants/depok/koperasi/"+maju.ID, staf, nil).header.Get("ETag")
	for _, id := range []string{inside, outside} {
		r := b.do(t, http.MethodPost, "/v1/tenants/depok/koperasi/"+maju.ID+"/anggota", staf, map[string]any{"umkm_id": id}, "If-Match", etag)
		if r.status != http.StatusCreated {
			t.Fatalf("add member: %d %s", r.status, r.raw)
		}
		etag = r.header.Get("ETag")
	}
	var members struct {
		Items []struct {
			UMKMID string `json:"umkm_id"`
		} `json:"items"`
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/koperasi/"+maju.ID+"/anggota", petugas, nil).decode(t, &members)
	if len(members.Items) != 1 || members.Items[0].UMKMID != inside {
		t.Errorf("petugas of Cimanggis lists members %+v, want only %s", members.Items, inside)
	}
	b.do(t, http.MethodGet, "/v1/tenants/depok/koperasi/"+maju.ID+"/anggota", staf, nil).decode(t, &members)
	if len(members.Items) != 2 {
		t.Errorf("staf lists members %+v, want both", members.Items)
	}
}
