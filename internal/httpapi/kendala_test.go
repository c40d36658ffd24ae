package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// newUMKM registers a business through the API and returns its id and ETag.
func (b *testBundle) newUMKM(t *testing.T, slug, token string, body map[string]any) (string, string) {
	t.Helper()
	r := b.do(t, http.MethodPost, "/v1/tenants/"+slug+"/umkm", token, body)
	if r.status != http.StatusCreated {
		t.Fatalf("create umkm %v: %d %s", body["nama_usaha"], r.status, r.raw)
	}
	return r.body["id"].(string), r.header.Get("ETag")
}

func umkmBody(usaha, pemilik, kec, kel string) map[string]any {
	return map[string]any{"nama_usaha": usaha, "nama_pemilik": pemilik, "sektor": "kuliner", "kecamatan_kode": kec, "kelurahan_kode": kel}
}

// petugasOf creates a petugas of depok assigned to one kecamatan and logs in.
func (b *testBundle) petugasOf(t *testing.T, wilayah string) string {
	t.Helper()
	ctx := context.Background()
	err := b.env.DB.InTx(ctx, func(tx pgx.Tx) error {
		id, err := account.CreateUser(ctx, tx, "petugas@depok.test", "Petugas Pancoran Mas", testPassword)
		if err != nil {
			return err
		}
		return account.Grant(ctx, tx, id, tenancy.TenantDomain("depok"), tenancy.RolePetugas, []string{wilayah}, nil)
	})
	if err != nil {
		t.Fatalf("petugas: %v", err)
	}
	return b.login(t, "petugas@depok.test")
}

// openCategories is kendala_terbuka as stored and as the open constraints
// say it must be.
func (b *testBundle) openCategories(t *testing.T, slug, id string) (stored, fromRows []string) {
	t.Helper()
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug], func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select kendala_terbuka, coalesce((select array_agg(distinct kategori order by kategori)
			from umkm_kendala where umkm_id = $1 and selesai_at is null), '{}') from umkm where id = $1`, id).Scan(&stored, &fromRows)
	})
	if err != nil {
		t.Fatal(err)
	}
	return stored, fromRows
}

// TestKendalaOverHTTP: recording and resolving constraints keeps the
// business's open categories exact and its ETag moving, answers 201 with
// Location, replays an Idempotency-Key, refuses bad input naming the field,
// and writes audit rows.
func TestKendalaOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	id, etag0 := b.newUMKM(t, "depok", staf, umkmBody("Keripik Singkong Bu Siti", "Siti Aminah", "32.76.01", "32.76.01.1006"))
	base := "/v1/tenants/depok/umkm/" + id + "/kendala"
	audits := b.count(t, "depok", "select count(*) from audit_log")

	r := b.do(t, http.MethodPost, base, staf, map[string]any{"kategori": "permodalan", "catatan": "Butuh modal mesin"}, "Idempotency-Key", "kd-1")
	if r.status != http.StatusCreated || r.body["status"] != "terbuka" || r.body["umkm_id"] != id {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	kid := r.body["id"].(string)
	if loc := r.header.Get("Location"); loc != base+"/"+kid {
		t.Errorf("Location %q, want %q", loc, base+"/"+kid)
	}
	if got := b.do(t, http.MethodGet, r.header.Get("Location"), staf, nil); got.status != http.StatusOK || got.body["id"] != kid {
		t.Errorf("GET Location: %d %s", got.status, got.raw)
	}
	// A retry with the same key: the first answer, nothing new written.
	again := b.do(t, http.MethodPost, base, staf, map[string]any{"kategori": "permodalan", "catatan": "Butuh modal mesin"}, "Idempotency-Key", "kd-1")
	if again.status != http.StatusCreated || again.body["id"] != kid || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %s", again.status, again.raw)
	}
	// The same key for another business is another request.
	other, _ := b.newUMKM(t, "depok", staf, umkmBody("Bakso Pak Joko", "Joko", "32.76.01", "32.76.01.1006"))
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+other+"/kendala", staf,
		map[string]any{"kategori": "permodalan", "catatan": "Butuh modal mesin"}, "Idempotency-Key", "kd-1"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, another business: %d %s", r.status, r.raw)
	}
	for _, kat := range []string{"pemasaran", "permodalan"} {
		if r := b.do(t, http.MethodPost, base, staf, map[string]any{"kategori": kat, "dilaporkan": "2026-01-10"}); r.status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", kat, r.status, r.raw)
		}
	}
	if stored, want := b.openCategories(t, "depok", id); !slices.Equal(stored, []string{"pemasaran", "permodalan"}) || !slices.Equal(stored, want) {
		t.Errorf("kendala_terbuka %q, constraints say %q", stored, want)
	}

	// The record changed: its ETag moved, and a write with the old one is stale.
	rec := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+id, staf, nil)
	if rec.header.Get("ETag") == etag0 {
		t.Errorf("ETag %s did not move after constraints were recorded", etag0)
	}
	if got := rec.body["kendala_terbuka"]; len(got.([]any)) != 2 {
		t.Errorf("GET umkm kendala_terbuka %v", got)
	}
	if r := b.do(t, http.MethodPut, "/v1/tenants/depok/umkm/"+id, staf, umkmBody("Keripik Singkong Bu Siti", "Siti Aminah", "32.76.01", "32.76.01.1006"),
		"If-Match", etag0); r.status != http.StatusPreconditionFailed {
		t.Errorf("PUT with the ETag from before the constraints: %d, want 412", r.status)
	}

	// Resolve: twice is the same answer.
	res := b.do(t, http.MethodPost, base+"/"+kid+"/selesai", staf, nil)
	if res.status != http.StatusOK || res.body["status"] != "selesai" || res.body["selesai_at"] == nil {
		t.Fatalf("resolve: %d %s", res.status, res.raw)
	}
	res2 := b.do(t, http.MethodPost, base+"/"+kid+"/selesai", staf, nil)
	if res2.status != http.StatusOK || res2.body["selesai_at"] != res.body["selesai_at"] {
		t.Errorf("resolve again: %d %s, first %s", res2.status, res2.raw, res.raw)
	}
	if stored, want := b.openCategories(t, "depok", id); !slices.Equal(stored, []string{"pemasaran", "permodalan"}) || !slices.Equal(stored, want) {
		t.Errorf("after one of two permodalan resolved: kendala_terbuka %q, constraints say %q", stored, want)
	}

	// Audit: three constraints created and one resolved (each with the
	// record's own change), the second business created.
	if n := b.count(t, "depok", "select count(*) from audit_log") - audits; n != 9 {
		t.Errorf("%d audit rows written, want 9", n)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where entity = 'kendala' and entity_id = $1 and actor_id = $2", kid, b.depokStaf.ID); n != 2 {
		t.Errorf("%d audit rows of the constraint by the staf, want 2 (create, resolve)", n)
	}

	list := b.do(t, http.MethodGet, base+"?limit=2", staf, nil)
	var page struct {
		Items []struct {
			ID         string `json:"id"`
			Dilaporkan string `json:"dilaporkan"`
			Status     string `json:"status"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	list.decode(t, &page)
	if list.status != http.StatusOK || len(page.Items) != 2 || page.NextCursor == "" || page.Items[0].Dilaporkan < page.Items[1].Dilaporkan {
		t.Errorf("list: %d %s", list.status, list.raw)
	}
	if r := b.do(t, http.MethodGet, base+"?status=terbuka&limit=50", staf, nil); r.status != http.StatusOK || len(r.body["items"].([]any)) != 2 {
		t.Errorf("open only: %d %s", r.status, r.raw)
	}

	// Bad input: 422 naming the field, in Indonesian; nothing written.
	before := b.count(t, "depok", "select count(*) from umkm_kendala")
	for _, tc := range []struct {
		name, body, field, id string
	}{
		{"unknown category", `{"kategori":"cuaca"}`, "body.kategori", "harus salah satu dari"},
		{"bad date", `{"kategori":"sdm","dilaporkan":"10/01/2026"}`, "body.dilaporkan", "tanggal"},
		{"no such day", `{"kategori":"sdm","dilaporkan":"2026-02-30"}`, "body.dilaporkan", "tanggal"},
		{"future date", `{"kategori":"sdm","dilaporkan":"2999-01-01"}`, "body.dilaporkan", "setelah hari ini"},
		{"no category", `{"catatan":"x"}`, "body.kategori", "wajib diisi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(t, http.MethodPost, base, staf, tc.body)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("%d %s, want 422", r.status, r.raw)
			}
			msg, ok := r.problem(t).field(tc.field)
			if !ok || !strings.Contains(msg, tc.id) {
				t.Errorf("field %s: %q (present %v), want it to mention %q; %s", tc.field, msg, ok, tc.id, r.raw)
			}
		})
	}
	if n := b.count(t, "depok", "select count(*) from umkm_kendala"); n != before {
		t.Errorf("refused requests wrote %d constraints", n-before)
	}
}

// TestKendalaAccess: viewers read but cannot write (403); another tenant's
// business or constraint is 404, exactly as one that does not exist; a
// petugas reaches only the businesses of their area (404 outside), and the
// map shows only their area.
func TestKendalaAccess(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	viewer := b.login(t, b.depokViewer.Email)
	medanStaf := b.login(t, b.medanStaf.Email)
	inArea, _ := b.newUMKM(t, "depok", staf, umkmBody("Keripik Singkong Bu Siti", "Siti Aminah", "32.76.01", "32.76.01.1006"))
	outside, _ := b.newUMKM(t, "depok", staf, umkmBody("Kopi Tugu", "Andi", "32.76.02", "32.76.02.1009"))
	medan, _ := b.newUMKM(t, "medan", medanStaf, umkmBody("Bika Ambon Sehati", "Lubis", "12.71.01", "12.71.01.1001"))
	mk := b.do(t, http.MethodPost, "/v1/tenants/medan/umkm/"+medan+"/kendala", medanStaf, map[string]any{"kategori": "pemasaran"})
	if mk.status != http.StatusCreated {
		t.Fatalf("medan kendala: %d %s", mk.status, mk.raw)
	}
	medanKendala := mk.body["id"].(string)
	dk := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+outside+"/kendala", staf, map[string]any{"kategori": "sdm"})
	if dk.status != http.StatusCreated {
		t.Fatalf("depok kendala: %d %s", dk.status, dk.raw)
	}
	outsideKendala := dk.body["id"].(string)
	audits := b.count(t, "depok", "select count(*) from audit_log")

	// Viewer: reads, never writes.
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+outside+"/kendala", viewer, nil); r.status != http.StatusOK {
		t.Errorf("viewer lists: %d %s", r.status, r.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/kendala/pemetaan", viewer, nil); r.status != http.StatusOK {
		t.Errorf("viewer maps: %d %s", r.status, r.raw)
	}
	for _, w := range []struct{ method, path string }{
		{http.MethodPost, "/v1/tenants/depok/umkm/" + outside + "/kendala"},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + outside + "/kendala/" + outsideKendala + "/selesai"},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + outside + "/gabung"},
		{http.MethodGet, "/v1/tenants/depok/umkm/duplikat"},
	} {
		r := b.do(t, w.method, w.path, viewer, map[string]any{"kategori": "sdm"}, "If-Match", `"1"`)
		if r.status != http.StatusForbidden {
			t.Errorf("viewer %s %s: %d, want 403", w.method, w.path, r.status)
		}
		r.problem(t)
	}

	// Another tenant's ids through depok: the same answer as for nothing.
	nothing := uuid.NewString()
	for _, p := range []struct{ method, path, none string }{
		{http.MethodGet, "/v1/tenants/depok/umkm/" + medan + "/kendala", "/v1/tenants/depok/umkm/" + nothing + "/kendala"},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + medan + "/kendala", "/v1/tenants/depok/umkm/" + nothing + "/kendala"},
		{http.MethodGet, "/v1/tenants/depok/umkm/" + medan + "/kendala/" + medanKendala, "/v1/tenants/depok/umkm/" + medan + "/kendala/" + nothing},
		{http.MethodGet, "/v1/tenants/depok/umkm/" + inArea + "/kendala/" + medanKendala, "/v1/tenants/depok/umkm/" + inArea + "/kendala/" + nothing},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + medan + "/kendala/" + medanKendala + "/selesai", "/v1/tenants/depok/umkm/" + nothing + "/kendala/" + nothing + "/selesai"},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + inArea + "/kendala/" + medanKendala + "/selesai", "/v1/tenants/depok/umkm/" + inArea + "/kendala/" + nothing + "/selesai"},
	} {
		body := map[string]any{"kategori": "sdm"}
		if p.method == http.MethodGet || strings.HasSuffix(p.path, "/selesai") {
			body = nil
		}
		got := b.do(t, p.method, p.path, staf, body)
		if got.status != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404: %s", p.method, p.path, got.status, got.raw)
			continue
		}
		sameAnswer(t, got, b.do(t, p.method, p.none, staf, body))
	}
	// A constraint of another depok business, under this one's path.
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		path := "/v1/tenants/depok/umkm/" + inArea + "/kendala/" + outsideKendala
		if method == http.MethodPost {
			path += "/selesai"
		}
		if r := b.do(t, method, path, staf, nil); r.status != http.StatusNotFound {
			t.Errorf("%s %s (the constraint of another business): %d, want 404", method, path, r.status)
		}
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/medan/umkm/"+medan+"/kendala/"+medanKendala, medanStaf, nil); r.body["status"] != "terbuka" {
		t.Errorf("medan's constraint after depok's attempts: %s", r.raw)
	}

	// Petugas of Pancoran Mas: their business yes, Cimanggis's no.
	petugas := b.petugasOf(t, "32.76.01")
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+inArea+"/kendala", petugas, map[string]any{"kategori": "bahan_baku"}); r.status != http.StatusCreated {
		t.Errorf("petugas in their area: %d %s", r.status, r.raw)
	}
	for _, p := range []struct{ method, path string }{
		{http.MethodGet, "/v1/tenants/depok/umkm/" + outside + "/kendala"},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + outside + "/kendala"},
		{http.MethodGet, "/v1/tenants/depok/umkm/" + outside + "/kendala/" + outsideKendala},
		{http.MethodPost, "/v1/tenants/depok/umkm/" + outside + "/kendala/" + outsideKendala + "/selesai"},
	} {
		body := map[string]any{"kategori": "sdm"}
		if p.method == http.MethodGet || strings.HasSuffix(p.path, "/selesai") {
			body = nil
		}
		if r := b.do(t, p.method, p.path, petugas, body); r.status != http.StatusNotFound {
			t.Errorf("petugas outside their area %s %s: %d, want 404", p.method, p.path, r.status)
		}
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/duplikat", petugas, nil); r.status != http.StatusForbidden {
		t.Errorf("petugas lists duplicates: %d, want 403", r.status)
	}
	m := b.do(t, http.MethodGet, "/v1/tenants/depok/kendala/pemetaan", petugas, nil)
	var pm struct {
		Total     struct{ Kendala int } `json:"total"`
		Kecamatan []struct {
			Kode string `json:"kode"`
		} `json:"kecamatan"`
	}
	m.decode(t, &pm)
	if m.status != http.StatusOK || len(pm.Kecamatan) != 1 || pm.Kecamatan[0].Kode != "32.76.01" || pm.Total.Kendala != 1 {
		t.Errorf("petugas's map: %d %s", m.status, m.raw)
	}
	if stored, want := b.openCategories(t, "depok", outside); !slices.Equal(stored, []string{"sdm"}) || !slices.Equal(stored, want) {
		t.Errorf("outside business kendala_terbuka %q, constraints say %q", stored, want)
	}
	// Only the petugas's one constraint (and its record's change) was written.
	if n := b.count(t, "depok", "select count(*) from audit_log") - audits; n != 2 {
		t.Errorf("%d audit rows written by refused or allowed requests, want 2", n)
	}
}

// TestPemetaanOverHTTP: counts by category per kecamatan and kelurahan with
// names, totals, and nothing personal in the answer.
func TestPemetaanOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	a, _ := b.newUMKM(t, "depok", staf, map[string]any{"nama_usaha": "Keripik Bu Siti", "nama_pemilik": "Siti Aminah", "sektor": "kuliner",
		"kecamatan_kode": "32.76.01", "kelurahan_kode": "32.76.01.1006", "nik": "3276014507850001", "telepon": "081234567890", "alamat": "Jl. Melati 3"})
	c, _ := b.newUMKM(t, "depok", staf, umkmBody("Kopi Tugu", "Andi", "32.76.02", "32.76.02.1009"))
	for _, k := range []struct{ id, kat string }{{a, "permodalan"}, {a, "pemasaran"}, {c, "permodalan"}} {
		if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+k.id+"/kendala", staf, map[string]any{"kategori": k.kat}); r.status != http.StatusCreated {
			t.Fatal(r.status)
		}
	}
	r := b.do(t, http.MethodGet, "/v1/tenants/depok/kendala/pemetaan", staf, nil)
	if r.status != http.StatusOK {
		t.Fatalf("map: %d %s", r.status, r.raw)
	}
	for _, leak := range []string{"Siti", "3276014507850001", "0812", "Melati", "nik", "telepon", "nama_pemilik"} {
		if strings.Contains(string(r.raw), leak) {
			t.Errorf("the map carries %q", leak)
		}
	}
	var m struct {
		Total struct {
			Kendala     int            `json:"kendala"`
			UMKM        int            `json:"umkm"`
			PerKategori map[string]int `json:"per_kategori"`
		} `json:"total"`
		Kecamatan []struct {
			Kode, Nama string
			Kendala    int `json:"kendala"`
			Kelurahan  []struct {
				Kode, Nama  string
				Kendala     int            `json:"kendala"`
				PerKategori map[string]int `json:"per_kategori"`
			} `json:"kelurahan"`
		} `json:"kecamatan"`
	}
	r.decode(t, &m)
	if m.Total.Kendala != 3 || m.Total.UMKM != 2 || m.Total.PerKategori["permodalan"] != 2 || m.Total.PerKategori["legalitas"] != 0 {
		t.Errorf("total %+v", m.Total)
	}
	var found bool
	for _, k := range m.Kecamatan {
		for _, l := range k.Kelurahan {
			if l.Kode == "32.76.01.1006" {
				found = l.Nama == "Depok" && l.Kendala == 2 && l.PerKategori["pemasaran"] == 1 && k.Nama == "Pancoran Mas" && k.Kendala == 2
			}
		}
	}
	if !found {
		t.Errorf("kelurahan Depok not counted right: %s", r.raw)
	}
	f := b.do(t, http.MethodGet, "/v1/tenants/depok/kendala/pemetaan?kecamatan=32.76.02", staf, nil)
	if f.status != http.StatusOK || len(f.body["kecamatan"].([]any)) != 1 {
		t.Errorf("filtered: %d %s", f.status, f.raw)
	}
	if bad := b.do(t, http.MethodGet, "/v1/tenants/depok/kendala/pemetaan?kecamatan=12.71.01", staf, nil); bad.status != http.StatusUnprocessableEntity {
		t.Errorf("medan's kecamatan: %d, want 422", bad.status)
	} else if _, ok := bad.problem(t).field("query.kecamatan"); !ok {
		t.Errorf("422 does not name query.kecamatan: %s", bad.raw)
	}
}

// TestDuplikatAndMergeOverHTTP: staf see likely duplicates (no NIK or phone);
// only admin merges, with If-Match; the duplicate is then archived and
// points at the survivor; bad merges are refused naming sumber_id.
func TestDuplikatAndMergeOverHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	admin := b.login(t, b.depokAdmin.Email)
	medanStaf := b.login(t, b.medanStaf.Email)
	surv, survTag := b.newUMKM(t, "depok", staf, map[string]any{"nama_usaha": "Keripik Singkong Bu Siti", "nama_pemilik": "Siti Aminah",
		"sektor": "kuliner", "kecamatan_kode": "32.76.01", "kelurahan_kode": "32.76.01.1006", "telepon": "081234567890"})
	dup, _ := b.newUMKM(t, "depok", staf, map[string]any{"nama_usaha": "Keripik Singkong Bu Sity", "nama_pemilik": "Siti Aminah",
		"sektor": "kuliner", "kecamatan_kode": "32.76.01", "kelurahan_kode": "32.76.01.1006", "nik": "3276014507850001", "nib": "9120001234567"})
	medan, _ := b.newUMKM(t, "medan", medanStaf, umkmBody("Keripik Singkong Bu Siti", "Siti Aminah", "12.71.01", "12.71.01.1001"))
	if r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+dup+"/kendala", staf, map[string]any{"kategori": "pemasaran"}); r.status != http.StatusCreated {
		t.Fatal(r.status)
	}
	survTag = b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+surv, staf, nil).header.Get("ETag")

	list := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/duplikat?kelurahan=32.76.01.1006", staf, nil)
	if list.status != http.StatusOK {
		t.Fatalf("duplikat: %d %s", list.status, list.raw)
	}
	var page struct {
		Items []struct {
			A, B      struct{ ID string }
			Kemiripan float64 `json:"kemiripan"`
			Kelurahan string  `json:"kelurahan"`
		} `json:"items"`
	}
	list.decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].A.ID != surv || page.Items[0].B.ID != dup || page.Items[0].Kelurahan != "Depok" || page.Items[0].Kemiripan < 0.6 {
		t.Errorf("duplikat page: %s", list.raw)
	}
	for _, leak := range []string{"3276014507850001", "nik", "0812", "telepon", "9120001234567"} {
		if strings.Contains(string(list.raw), leak) {
			t.Errorf("the duplicate list carries %q", leak)
		}
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/duplikat?kelurahan=32.76.99.1001", staf, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown kelurahan: %d", r.status)
	}

	path := "/v1/tenants/depok/umkm/" + surv + "/gabung"
	merge := func(token string, body any, headers ...string) response {
		return b.do(t, http.MethodPost, path, token, body, headers...)
	}
	audits := b.count(t, "depok", "select count(*) from audit_log")
	if r := merge(staf, map[string]any{"sumber_id": dup}, "If-Match", survTag); r.status != http.StatusForbidden {
		t.Errorf("staf merges: %d, want 403", r.status)
	}
	if r := merge(admin, map[string]any{"sumber_id": dup}); r.status != http.StatusPreconditionRequired {
		t.Errorf("no If-Match: %d, want 428", r.status)
	}
	if r := merge(admin, map[string]any{"sumber_id": dup}, "If-Match", `"99"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale If-Match: %d, want 412", r.status)
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
		id     string
	}{
		{"into itself", map[string]any{"sumber_id": surv}, http.StatusUnprocessableEntity, "dirinya sendiri"},
		{"not a uuid", map[string]any{"sumber_id": "bukan-uuid"}, http.StatusUnprocessableEntity, "UUID"},
		{"missing", map[string]any{}, http.StatusUnprocessableEntity, "wajib diisi"},
		{"another tenant's record", map[string]any{"sumber_id": medan}, http.StatusNotFound, "tidak ditemukan"},
		{"nothing", map[string]any{"sumber_id": uuid.NewString()}, http.StatusNotFound, "tidak ditemukan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := merge(admin, tc.body, "If-Match", survTag)
			if r.status != tc.status {
				t.Fatalf("%d %s, want %d", r.status, r.raw, tc.status)
			}
			if msg, ok := r.problem(t).field("body.sumber_id"); !ok || !strings.Contains(msg, tc.id) {
				t.Errorf("body.sumber_id: %q (present %v), want it to mention %q: %s", msg, ok, tc.id, r.raw)
			}
		})
	}
	if n := b.count(t, "depok", "select count(*) from audit_log"); n != audits {
		t.Fatalf("refused merges wrote %d audit rows", n-audits)
	}

	r := merge(admin, map[string]any{"sumber_id": dup}, "If-Match", survTag)
	if r.status != http.StatusOK || r.header.Get("ETag") == survTag || r.body["nib"] != "9120001234567" {
		t.Fatalf("merge: %d ETag %s %s", r.status, r.header.Get("ETag"), r.raw)
	}
	if got := r.body["kendala_terbuka"].([]any); len(got) != 1 || got[0] != "pemasaran" {
		t.Errorf("survivor kendala_terbuka %v, want the duplicate's pemasaran", got)
	}
	if r.body["telepon"] != "081234567890" {
		t.Errorf("survivor's phone %v, want its own (a PII role sees it whole)", r.body["telepon"])
	}
	d := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+dup, staf, nil)
	if d.status != http.StatusOK || d.body["archived_at"] == nil || d.body["merged_into"] != surv {
		t.Errorf("the duplicate after merge: %d %s", d.status, d.raw)
	}
	if stored, want := b.openCategories(t, "depok", surv); !slices.Equal(stored, want) || len(stored) != 1 {
		t.Errorf("survivor kendala_terbuka %q, constraints say %q", stored, want)
	}
	if stored, want := b.openCategories(t, "depok", dup); len(stored) != 0 || len(want) != 0 {
		t.Errorf("duplicate kendala_terbuka %q, constraints say %q", stored, want)
	}
	if n := b.count(t, "depok", "select count(*) from audit_log where action = 'merge' and actor_id = $1 and entity_id = any($2)",
		b.depokAdmin.ID, []string{surv, dup}); n != 2 {
		t.Errorf("%d merge audit rows, want 2 (both records)", n)
	}
	// Merged once: again (with the new ETag) is a conflict naming sumber_id.
	again := merge(admin, map[string]any{"sumber_id": dup}, "If-Match", r.header.Get("ETag"))
	if again.status != http.StatusConflict || again.body["existing"] != "/v1/tenants/depok/umkm/"+surv {
		t.Errorf("merge again: %d %s", again.status, again.raw)
	} else if _, ok := again.problem(t).field("body.sumber_id"); !ok {
		t.Errorf("conflict does not name body.sumber_id: %s", again.raw)
	}
	// The duplicate is gone from the list of likely duplicates.
	if l := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/duplikat", staf, nil); len(l.body["items"].([]any)) != 0 {
		t.Errorf("duplicates after the merge: %s", l.raw)
	}
	// Medan's record is untouched.
	if m := b.do(t, http.MethodGet, "/v1/tenants/medan/umkm/"+medan, medanStaf, nil); m.body["archived_at"] != nil {
		t.Errorf("medan's record: %s", m.raw)
	}
}
