package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A petugas must not learn of records outside their assigned wilayah: such
// records are "not found" for them, so no answer may point at one.

// TestPetugasConflictKeepsOutOfAreaRecordHidden: a petugas of Pancoran Mas
// registers (or updates) a business with the NIK or NIB of a business in
// Cimanggis. The refusal stands (409) but names neither the record nor its
// id.
func TestPetugasConflictKeepsOutOfAreaRecordHidden(t *testing.T) {
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	petugas := b.loginPetugas(t, "petugas@depok.test", kecPancoranMas)
	outside, _ := b.postUMKM(t, "depok", staf, uBody("Bakso Cimanggis", "Joko", kelHarjamukti,
		"nik", "3276010101800002", "nib", "9120001234567"))
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+outside.ID.String(), petugas, nil); r.status != http.StatusNotFound {
		t.Fatalf("precondition: petugas GET outside record: %d, want 404", r.status)
	}
	hidden := func(t *testing.T, r response, field string) {
		t.Helper()
		if r.status != http.StatusConflict {
			t.Fatalf("status %d, want 409: %s", r.status, r.raw)
		}
		if strings.Contains(string(r.raw), outside.ID.String()) || r.body["existing"] != nil {
			t.Errorf("the answer points at the out-of-area record: %s", r.raw)
		}
		if !strings.Contains(string(r.raw), "body."+field) {
			t.Errorf("the answer does not name body.%s: %s", field, r.raw)
		}
	}
	for _, c := range []struct{ field, value string }{{"nik", "3276010101800002"}, {"nib", "9120001234567"}} {
		t.Run(c.field, func(t *testing.T) {
			hidden(t, b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", petugas,
				uBody("Warung Baru", "Andi", kelDepok, c.field, c.value)), c.field)
		})
	}
	own, r := b.postUMKM(t, "depok", petugas, uBody("Warung Depok", "Andi", kelDepok))
	hidden(t, b.do(t, http.MethodPut, "/v1/tenants/depok/umkm/"+own.ID.String(), petugas,
		uBody("Warung Depok", "Andi", kelDepok, "nik", "3276010101800002"), "If-Match", r.header.Get("ETag")), "nik")

	// Staff, who see the whole office, are still pointed at the record.
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/umkm", staf, uBody("Warung Baru", "Andi", kelDepok, "nib", "9120001234567"))
	if r.status != http.StatusConflict || !strings.HasSuffix(fmt.Sprint(r.body["existing"]), outside.ID.String()) {
		t.Errorf("staff conflict: %d %s, want existing = the record", r.status, r.raw)
	}
}

// TestPetugasRegistrasiHidesOutOfAreaDuplicate: an online registration in
// Pancoran Mas whose NIK belongs to a business in Cimanggis shows the
// Pancoran Mas petugas no duplicate id; staff see it.
func TestPetugasRegistrasiHidesOutOfAreaDuplicate(t *testing.T) {
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	petugas := b.loginPetugas(t, "petugas@depok.test", kecPancoranMas)
	outside, _ := b.postUMKM(t, "depok", staf, uBody("Bakso Cimanggis", "Joko", kelHarjamukti, "nik", formNIK))
	kode := b.registered(t, "depok", form(nil)) // in Pancoran Mas
	id, item := b.pendingID(t, "depok", petugas, kode)
	if item["duplikat_umkm_id"] != nil {
		t.Errorf("list-registrasi shows a petugas a record outside their area: %v", item["duplikat_umkm_id"])
	}
	r := b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi/"+id.String(), petugas, nil)
	if r.status != http.StatusOK || r.body["duplikat_umkm_id"] != nil {
		t.Errorf("get-registrasi for the petugas: %d %s", r.status, r.raw)
	}
	r = b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi/"+id.String(), staf, nil)
	if r.body["duplikat_umkm_id"] != outside.ID.String() {
		t.Errorf("get-registrasi for staff: duplikat_umkm_id %v, want %s", r.body["duplikat_umkm_id"], outside.ID)
	}

	// An accepted registration whose record staff later moved out of the
	// petugas's area no longer points at it.
	kode = b.registered(t, "depok", form(map[string]any{"nik": "3276015001900003", "nama_usaha": "Toko Lain"}))
	id, _ = b.pendingID(t, "depok", staf, kode)
	r = b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi/"+id.String(), staf, nil)
	r = b.do(t, http.MethodPost, "/v1/tenants/depok/registrasi/"+id.String()+"/terima", staf, nil, "If-Match", r.header.Get("ETag"))
	if r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.raw)
	}
	recPath := "/v1/tenants/depok/umkm/" + r.body["umkm_id"].(string)
	rec := b.do(t, http.MethodGet, recPath, staf, nil)
	moved := rec.body
	moved["kecamatan_kode"], moved["kelurahan_kode"] = kecCimanggis, kelHarjamukti
	for _, k := range []string{"id", "sumber", "skala_hitung", "skala_tidak_sesuai", "legalitas_terbit", "legalitas_lengkap",
		"kendala_terbuka", "created_at", "updated_at", "nik"} {
		delete(moved, k)
	}
	if u := b.do(t, http.MethodPut, recPath, staf, moved, "If-Match", rec.header.Get("ETag")); u.status != http.StatusOK {
		t.Fatalf("move the record: %d %s", u.status, u.raw)
	}
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/registrasi/"+id.String(), petugas, nil); r.status != http.StatusOK || r.body["umkm_id"] != nil {
		t.Errorf("the petugas sees the moved record's id: %d %s", r.status, r.raw)
	}
}

// TestPetugasMergedIntoHidesOutOfAreaSurvivor: a Pancoran Mas record merged
// into a Cimanggis one shows the Pancoran Mas petugas that it was merged,
// not into which record.
func TestPetugasMergedIntoHidesOutOfAreaSurvivor(t *testing.T) {
	b := setup(t)
	admin := b.login(t, b.depokAdmin.Email)
	petugas := b.loginPetugas(t, "petugas@depok.test", kecPancoranMas)
	surv, r := b.postUMKM(t, "depok", admin, uBody("Bakso Joko", "Joko", kelHarjamukti))
	dup, _ := b.postUMKM(t, "depok", admin, uBody("Bakso Joko", "Joko", kelDepok))
	m := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/"+surv.ID.String()+"/gabung", admin,
		map[string]any{"sumber_id": dup.ID.String()}, "If-Match", r.header.Get("ETag"))
	if m.status != http.StatusOK {
		t.Fatalf("merge: %d %s", m.status, m.raw)
	}
	for _, path := range []string{"/v1/tenants/depok/umkm/" + dup.ID.String(), "/v1/tenants/depok/umkm?arsip=true&limit=50"} {
		g := b.do(t, http.MethodGet, path, petugas, nil)
		if g.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, g.status, g.raw)
		}
		if strings.Contains(string(g.raw), surv.ID.String()) {
			t.Errorf("GET %s names the out-of-area survivor: %s", path, g.raw)
		}
	}
	if g := b.do(t, http.MethodGet, "/v1/tenants/depok/umkm/"+dup.ID.String(), admin, nil); g.body["merged_into"] != surv.ID.String() {
		t.Errorf("admin's merged_into %v, want %s", g.body["merged_into"], surv.ID)
	}
}
