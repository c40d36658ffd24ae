package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dasbor"
)

// refreshAll runs what the dashboards' River job runs, for every tenant
// (this server's client only enqueues).
func (b *testBundle) refreshAll(t *testing.T) {
	t.Helper()
	for slug, id := range b.tenants {
		if err := b.env.DB.InTenantTx(context.Background(), id, func(tx pgx.Tx) error {
			_, err := dasbor.Refresh(context.Background(), tx, id)
			return err
		}); err != nil {
			t.Fatalf("refresh %s: %v", slug, err)
		}
	}
}

// TestProvinceDashboardsAreScopedToTheProvince: province 32 sees exactly
// Depok and Karawang, 36 only Tangsel, 12 only Medan; a province viewer
// sees only their province, and an office of another province or a
// province of someone else answers like one that does not exist.
func TestProvinceDashboardsAreScopedToTheProvince(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	b.postUMKM(t, "depok", staf, sitiBody())
	b.refreshAll(t)
	platform := b.login(t, b.platformAdmin.Email)
	jabar := b.login(t, b.provinceViewer.Email)

	slugs := func(r response) []string {
		t.Helper()
		var p dasbor.Provinsi
		r.decode(t, &p)
		var out []string
		for _, o := range p.Tenant {
			out = append(out, o.Tenant)
		}
		return out
	}
	for _, tc := range []struct {
		token, province string
		want            []string
	}{
		{platform, "32", []string{"depok", "karawang"}},
		{platform, "36", []string{"tangsel"}},
		{platform, "12", []string{"medan"}},
		{jabar, "32", []string{"depok", "karawang"}},
	} {
		r := b.do(t, http.MethodGet, "/v1/provinces/"+tc.province+"/dasbor", tc.token, nil)
		if r.status != http.StatusOK {
			t.Fatalf("province %s: %d %s", tc.province, r.status, r.raw)
		}
		if got := slugs(r); !slices.Equal(got, tc.want) {
			t.Errorf("province %s lists %q, want %q", tc.province, got, tc.want)
		}
	}
	var p dasbor.Provinsi
	b.do(t, http.MethodGet, "/v1/provinces/32/dasbor", jabar, nil).decode(t, &p)
	if p.UMKM.Total != 1 || p.Tenant[0].UMKM.Total != 1 || p.DihitungAt == nil || p.NamaProvinsi != "Jawa Barat" {
		t.Errorf("province 32: total %d, depok %d, dihitung_at %v, name %q", p.UMKM.Total, p.Tenant[0].UMKM.Total, p.DihitungAt, p.NamaProvinsi)
	}
	if r := b.do(t, http.MethodGet, "/v1/provinces/32/dasbor/depok", jabar, nil); r.status != http.StatusOK {
		t.Errorf("depok through province 32: %d %s", r.status, r.raw)
	}

	// What is out of scope looks exactly like what does not exist.
	for _, tc := range []struct {
		name, token, path, nope string
	}{
		{"another province", jabar, "/v1/provinces/36/dasbor", "/v1/provinces/99/dasbor"},
		{"an office of another province", jabar, "/v1/provinces/36/dasbor/tangsel", "/v1/provinces/99/dasbor/tangsel"},
		{"an office of another province, own province path", jabar, "/v1/provinces/32/dasbor/medan", "/v1/provinces/32/dasbor/nope"},
		{"platform: an office of another province", platform, "/v1/provinces/32/dasbor/medan", "/v1/provinces/32/dasbor/nope"},
		{"a tenant admin", b.login(t, b.depokAdmin.Email), "/v1/provinces/32/dasbor", "/v1/provinces/99/dasbor"},
		{"a tenant staf", staf, "/v1/provinces/32/dasbor/depok", "/v1/provinces/99/dasbor/depok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := b.do(t, http.MethodGet, tc.path, tc.token, nil)
			nope := b.do(t, http.MethodGet, tc.nope, tc.token, nil)
			if got.status != http.StatusNotFound {
				t.Fatalf("%s: %d, want 404: %s", tc.path, got.status, got.raw)
			}
			sameAnswer(t, got, nope)
		})
	}
	// Platform admins reach every province but one that does not exist.
	if r := b.do(t, http.MethodGet, "/v1/provinces/99/dasbor", platform, nil); r.status != http.StatusNotFound {
		t.Errorf("unknown province for the platform admin: %d %s", r.status, r.raw)
	}
	// The office dashboard is the office's: the province viewer of depok's
	// province gets 404 there, as on every tenant endpoint.
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/dasbor", jabar, nil); r.status != http.StatusNotFound {
		t.Errorf("office dashboard for the province viewer: %d %s", r.status, r.raw)
	}
}

// TestOfficeDashboard: the office's staff see their figures, targets and
// every count; a bad region is a 422 naming the parameter.
func TestOfficeDashboard(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	b.postUMKM(t, "depok", staf, sitiBody())
	b.postUMKM(t, "depok", staf, uBody("Batik Baru", "Rina", kelDepok, "jenis_kelamin", "P", "tahun_mulai", 2023))

	// Before any refresh: nothing computed yet, and it says so.
	var d dasbor.Dasbor
	r := b.do(t, http.MethodGet, "/v1/tenants/depok/dasbor", staf, nil)
	if r.status != http.StatusOK {
		t.Fatalf("dasbor: %d %s", r.status, r.raw)
	}
	r.decode(t, &d)
	if d.DihitungAt != nil || !strings.Contains(string(r.raw), `"dihitung_at":null`) {
		t.Errorf("before the first refresh: dihitung_at %v", d.DihitungAt)
	}

	b.refreshAll(t)
	d = dasbor.Dasbor{}
	b.do(t, http.MethodGet, "/v1/tenants/depok/dasbor", b.login(t, b.depokViewer.Email), nil).decode(t, &d)
	if d.UMKM.Total != 2 || d.DihitungAt == nil || len(d.Target) != 2 || d.Target[1].Tercapai != 1 {
		t.Errorf("dasbor after refresh: total %d, dihitung_at %v, targets %+v", d.UMKM.Total, d.DihitungAt, d.Target)
	}
	var cell *dasbor.Sel
	for _, k := range d.Wilayah {
		for _, l := range k.Kelurahan {
			if l.Kode == kelDepok {
				cell = &l.UMKM
			}
		}
	}
	if cell == nil || cell.Jumlah == nil || *cell.Jumlah != 2 || cell.Disembunyikan {
		t.Errorf("the office sees its own small counts: %+v", cell)
	}

	var w dasbor.WilayahDasbor
	if r := b.do(t, http.MethodGet, "/v1/tenants/depok/dasbor/wilayah?kode="+kelDepok, staf, nil); r.status != http.StatusOK {
		t.Fatalf("wilayah: %d %s", r.status, r.raw)
	} else {
		r.decode(t, &w)
	}
	if w.UMKM.Total != 2 || w.Tingkat != "desa_kelurahan" {
		t.Errorf("wilayah %s: %+v", kelDepok, w)
	}
	for _, path := range []string{"/v1/tenants/depok/dasbor/wilayah?kode=12.71.01", "/v1/tenants/depok/dasbor/wilayah"} {
		r := b.do(t, http.MethodGet, path, staf, nil)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422: %s", path, r.status, r.raw)
		}
		if _, ok := r.problem(t).field("query.kode"); !ok {
			t.Errorf("%s: problem does not name query.kode: %s", path, r.raw)
		}
	}
}

// personal matches a JSON field name that would carry someone's identity:
// names of people or businesses, NIK, phone, e-mail, address, RT/RW,
// coordinates. Region, office and programme names have their own keys.
var personal = regexp.MustCompile(`(^|_)(nik|nama|name|pemilik|owner|usaha|telepon|phone|hp|email|alamat|address|rt|rw|lat|latitude|lng|lon|longitude|koordinat|coordinates?)($|_)`)

// notPersonal are the name fields province responses may carry.
var notPersonal = []string{"nama_wilayah", "nama_tenant", "nama_provinsi", "nama_program"}

func personalKey(k string) bool { return personal.MatchString(k) && !slices.Contains(notPersonal, k) }

// TestProvinceResponsesCarryNoPersonalData walks the OpenAPI schema of every
// province operation's answer, and real answers over a register full of
// personal data, and finds no field or value that identifies a person.
func TestProvinceResponsesCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	b := setup(t)
	api := b.srv.API()
	ops := operationsIn(t, api, scopeProvince)
	registry := api.OpenAPI().Components.Schemas

	// 1. The documented shapes.
	var walk func(path string, s *huma.Schema, seen map[string]bool)
	walk = func(path string, s *huma.Schema, seen map[string]bool) {
		if s == nil {
			return
		}
		if s.Ref != "" {
			if seen[s.Ref] {
				return
			}
			seen[s.Ref] = true
			walk(path, registry.SchemaFromRef(s.Ref), seen)
			return
		}
		for name, p := range s.Properties {
			if personalKey(name) {
				t.Errorf("%s.%s: a field a province response must not have", path, name)
			}
			walk(path+"."+name, p, seen)
		}
		walk(path+"[]", s.Items, seen)
		for _, sub := range slices.Concat(s.OneOf, s.AnyOf, s.AllOf) {
			walk(path, sub, seen)
		}
	}
	fields := 0
	for _, o := range ops {
		res := o.op.Responses["200"]
		if res == nil || res.Content["application/json"] == nil {
			t.Fatalf("%s: no 200 JSON response documented", o.op.OperationID)
		}
		walk(o.op.OperationID, res.Content["application/json"].Schema, map[string]bool{})
		fields++
	}

	// 2. Real answers. Every kind of personal data in the register, in
	// every province, and tiny kelurahan counts.
	personalValues := []string{"Siti Aminah", "Keripik Singkong", nikSiti, nikSitiMasked, "3456", "siti@contoh.id",
		"Melati", "-6.4025", "106.7942", "3.5952", "98.6722", nibSiti}
	b.postUMKM(t, "depok", b.login(t, b.depokStaf.Email), sitiBody())
	b.postUMKM(t, "medan", b.login(t, b.medanStaf.Email), uBody("Bika Ambon Siti Aminah", "Siti Aminah", kelMedanPasar,
		"nik", "1271014507850001", "telepon", "0812-3456-7890", "email", "siti@contoh.id", "alamat", "Jl. Melati No. 5",
		"latitude", 3.5952, "longitude", 98.6722)) // in Medan: a point must lie in the office
	b.refreshAll(t)
	var keys func(path string, v any)
	keys = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if personalKey(k) {
					t.Errorf("%s.%s in a province answer", path, k)
				}
				keys(path+"."+k, x)
			}
		case []any:
			for _, x := range v {
				keys(path+"[]", x)
			}
		}
	}
	answers := 0
	for _, token := range []string{b.login(t, b.platformAdmin.Email), b.login(t, b.provinceViewer.Email)} {
		for _, o := range ops {
			for _, path := range []string{fillPath(t, o.path, "depok", b.depokStaf.ID),
				strings.Replace(fillPath(t, o.path, "medan", b.depokStaf.ID), "/32/", "/12/", 1)} {
				r := b.do(t, http.MethodGet, path, token, nil)
				if r.status == http.StatusNotFound {
					continue // the province viewer of 32 and province 12
				}
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d %s", path, r.status, r.raw)
				}
				answers++
				for _, v := range personalValues {
					if strings.Contains(string(r.raw), v) {
						t.Errorf("%s: the answer contains %q", path, v)
					}
				}
				var body any
				if err := json.Unmarshal(r.raw, &body); err != nil {
					t.Fatal(err)
				}
				keys(path, body)
			}
		}
	}
	if fields == 0 || answers < 4 {
		t.Fatalf("checked %d documented operations and %d answers: the walk found nothing to check", fields, answers)
	}
}

// TestProvinceViewHidesSmallCells: the same kelurahan is a number for the
// office and hidden (null, disembunyikan) for the province.
func TestProvinceViewHidesSmallCells(t *testing.T) {
	t.Parallel()
	b := setup(t)
	staf := b.login(t, b.depokStaf.Email)
	b.postUMKM(t, "depok", staf, sitiBody())
	b.refreshAll(t)
	cellOf := func(r response) json.RawMessage {
		t.Helper()
		var d struct {
			Wilayah []struct {
				Kelurahan []struct {
					Kode string          `json:"kode"`
					UMKM json.RawMessage `json:"umkm"`
				} `json:"kelurahan"`
			} `json:"wilayah"`
		}
		r.decode(t, &d)
		for _, k := range d.Wilayah {
			for _, l := range k.Kelurahan {
				if l.Kode == kelDepok {
					return l.UMKM
				}
			}
		}
		t.Fatalf("kelurahan %s missing: %s", kelDepok, r.raw)
		return nil
	}
	own := cellOf(b.do(t, http.MethodGet, "/v1/tenants/depok/dasbor", staf, nil))
	province := cellOf(b.do(t, http.MethodGet, "/v1/provinces/32/dasbor/depok", b.login(t, b.provinceViewer.Email), nil))
	if string(own) != `{"jumlah":1,"disembunyikan":false}` || string(province) != `{"jumlah":null,"disembunyikan":true}` {
		t.Errorf("kelurahan cell: office %s, province %s", own, province)
	}
}
