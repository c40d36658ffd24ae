package tenant_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestLoadEmbeddedTenants(t *testing.T) {
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatalf("Load(tenants.FS): %v", err)
	}

	tests := []struct {
		slug, name, kind, code, bps, province string
		kecamatan, kelurahan, desa            int
	}{
		{"depok", "Kota Depok", "kota", "32.76", "3276", "32", 11, 63, 0},
		{"karawang", "Kabupaten Karawang", "kabupaten", "32.15", "3215", "32", 30, 12, 297},
		{"medan", "Kota Medan", "kota", "12.71", "1275", "12", 21, 151, 0},
		{"tangsel", "Kota Tangerang Selatan", "kota", "36.74", "3674", "36", 7, 54, 0},
	}
	if len(cfgs) != len(tests) {
		t.Fatalf("Load returned %d tenants, want %d", len(cfgs), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			c := cfgs[i] // Load sorts by slug
			if c.Slug != tt.slug || c.Name != tt.name || c.Kind != tt.kind {
				t.Errorf("got %s %q %s, want %s %q %s", c.Slug, c.Name, c.Kind, tt.slug, tt.name, tt.kind)
			}
			if c.KemendagriCode != tt.code || c.BPSCode != tt.bps || c.Province.Code != tt.province {
				t.Errorf("codes %s/%s/%s, want kemendagri %s, bps %s, province %s",
					c.KemendagriCode, c.BPSCode, c.Province.Code, tt.code, tt.bps, tt.province)
			}
			if c.Timezone != "Asia/Jakarta" || c.Locale != "id-ID" {
				t.Errorf("timezone %q locale %q, want Asia/Jakarta id-ID", c.Timezone, c.Locale)
			}
			kec, kel, desa := c.Counts()
			if kec != tt.kecamatan || kel != tt.kelurahan || desa != tt.desa {
				t.Errorf("Counts() = %d/%d/%d, want %d/%d/%d", kec, kel, desa, tt.kecamatan, tt.kelurahan, tt.desa)
			}
			if !slices.IsSortedFunc(c.Wilayah, func(a, b tenant.Wilayah) int { return strings.Compare(a.Kode, b.Kode) }) {
				t.Error("wilayah.csv is not in kode order")
			}
			for _, w := range c.Wilayah {
				if w.Level == tenant.LevelDesaKelurahan && !strings.HasPrefix(w.Kode, w.Parent+".") {
					t.Errorf("%s: parent %q", w.Kode, w.Parent)
				}
			}
		})
	}
}

// A tiny valid tenant; each case below breaks one thing in it.
const (
	goodYAML = `slug: depok
name: Kota Depok
kind: kota
kemendagri_code: "32.76"
bps_code: "3276"
province:
  code: "32"
  name: Jawa Barat
timezone: Asia/Jakarta
locale: id-ID
settings: {}
`
	goodCSV = `kode,nama,level,tipe,bps_kode
32.76.01,Pancoran Mas,kecamatan,,
32.76.01.1006,Depok,desa_kelurahan,kelurahan,
32.76.01.1007,"Depok Jaya, ""Lama""",desa_kelurahan,kelurahan,3276010007
`
)

func mapFS(dir, yml, csv string) fstest.MapFS {
	return fstest.MapFS{
		dir + "/tenant.yaml": {Data: []byte(yml)},
		dir + "/wilayah.csv": {Data: []byte(csv)},
	}
}

func TestLoadFixture(t *testing.T) {
	cfgs, err := tenant.Load(mapFS("depok", goodYAML, goodCSV))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []tenant.Wilayah{
		{Kode: "32.76.01", Nama: "Pancoran Mas", Level: tenant.LevelKecamatan},
		{Kode: "32.76.01.1006", Nama: "Depok", Level: tenant.LevelDesaKelurahan, Tipe: tenant.TipeKelurahan, Parent: "32.76.01"},
		{Kode: "32.76.01.1007", Nama: `Depok Jaya, "Lama"`, Level: tenant.LevelDesaKelurahan, Tipe: tenant.TipeKelurahan, Parent: "32.76.01", BPSKode: "3276010007"},
	}
	if len(cfgs) != 1 || !slices.Equal(cfgs[0].Wilayah, want) {
		t.Fatalf("Load = %+v, want one tenant with wilayah %+v", cfgs, want)
	}
	if c := cfgs[0]; c.Province != (tenant.Province{Code: "32", Name: "Jawa Barat"}) || c.Settings == nil {
		t.Errorf("province %+v settings %v", c.Province, c.Settings)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name     string
		dir      string
		yml, csv func(string) string // edits of the good files; nil keeps them
		want     []string            // substrings of the error
	}{
		{
			name: "unknown yaml field",
			yml:  func(s string) string { return s + "logo: depok.png\n" },
			want: []string{"depok/tenant.yaml", "line 12: field logo not found"},
		},
		{
			name: "slug differs from folder",
			dir:  "kota-depok",
			want: []string{`kota-depok/tenant.yaml:1: slug: "depok" differs from its folder "kota-depok"`},
		},
		{
			name: "bad slug",
			dir:  "Depok",
			yml:  func(s string) string { return strings.Replace(s, "slug: depok", "slug: Depok", 1) },
			want: []string{`Depok/tenant.yaml:1: slug: "Depok" does not match`},
		},
		{
			name: "kind disagrees with code",
			yml:  func(s string) string { return strings.Replace(s, "kind: kota", "kind: kabupaten", 1) },
			want: []string{`depok/tenant.yaml:4: kemendagri_code: 32.76 does not fit kind "kabupaten"`},
		},
		{
			name: "code in another province",
			yml:  func(s string) string { return strings.Replace(s, `"32.76"`, `"36.76"`, 1) },
			want: []string{"depok/tenant.yaml:4: kemendagri_code: 36.76 is in province 36, not 32"},
		},
		{
			name: "bps code of another province",
			yml:  func(s string) string { return strings.Replace(s, `"3276"`, `"1275"`, 1) },
			want: []string{`depok/tenant.yaml:5: bps_code: "1275", want 4 digits starting with province code 32`},
		},
		{
			name: "bad timezone",
			yml:  func(s string) string { return strings.Replace(s, "Asia/Jakarta", "Asia/Djakarta", 1) },
			want: []string{"depok/tenant.yaml:9: timezone:", "Asia/Djakarta"},
		},
		{
			name: "missing timezone",
			yml:  func(s string) string { return strings.Replace(s, "timezone: Asia/Jakarta\n", "", 1) },
			want: []string{`depok/tenant.yaml: timezone: "", want an IANA zone`},
		},
		{
			name: "kode of another city",
			csv:  func(s string) string { return s + "32.15.01.2001,Tanjungpura,desa_kelurahan,desa,\n" },
			want: []string{`depok/wilayah.csv:5: kode "32.15.01.2001" is not in Kota Depok (32.76)`},
		},
		{
			name: "desa whose kecamatan is missing",
			csv:  func(s string) string { return s + "32.76.02.1001,Beji,desa_kelurahan,kelurahan,\n" },
			want: []string{"depok/wilayah.csv:5: kelurahan 32.76.02.1001: kecamatan 32.76.02 is not in the file"},
		},
		{
			name: "tipe disagrees with kode digit",
			csv: func(s string) string {
				return strings.Replace(s, "Depok,desa_kelurahan,kelurahan", "Depok,desa_kelurahan,desa", 1)
			},
			want: []string{`depok/wilayah.csv:3: kode 32.76.01.1006: tipe "desa", but its digit 1 means "kelurahan"`},
		},
		{
			name: "duplicate kode",
			csv:  func(s string) string { return s + "32.76.01.1006,Depok Baru,desa_kelurahan,kelurahan,\n" },
			want: []string{"depok/wilayah.csv:5: duplicate kode 32.76.01.1006 (first on line 3)"},
		},
		{
			name: "blank nama",
			csv:  func(s string) string { return strings.Replace(s, "Pancoran Mas", "  ", 1) },
			want: []string{"depok/wilayah.csv:2: kode 32.76.01: empty nama"},
		},
		{
			name: "kecamatan kode with a village part",
			csv: func(s string) string {
				return strings.Replace(s, "32.76.01,Pancoran Mas", "32.76.01.0001,Pancoran Mas", 1)
			},
			want: []string{`depok/wilayah.csv:2: kecamatan kode "32.76.01.0001", want PP.KK.CC`},
		},
		{
			name: "wrong header",
			csv:  func(s string) string { return strings.Replace(s, ",bps_kode", ",bps", 1) },
			want: []string{"depok/wilayah.csv:1: header"},
		},
		{
			name: "all yaml problems reported",
			yml: func(s string) string {
				return strings.NewReplacer("locale: id-ID", "locale: Indonesian", "kind: kota", "kind: city").Replace(s)
			},
			want: []string{`depok/tenant.yaml:3: kind: "city"`, `depok/tenant.yaml:10: locale: "Indonesian"`},
		},
		{
			name: "all csv problems reported",
			csv: func(s string) string {
				return s + "32.76.01.1006,Depok,desa_kelurahan,kelurahan,\n32.15.01.2001,X,desa_kelurahan,desa,\n"
			},
			want: []string{"wilayah.csv:5: duplicate kode", "wilayah.csv:6: kode \"32.15.01.2001\""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, yml, csv := "depok", goodYAML, goodCSV
			if tt.dir != "" {
				dir = tt.dir
			}
			if tt.yml != nil {
				yml = tt.yml(yml)
			}
			if tt.csv != nil {
				csv = tt.csv(csv)
			}
			cfgs, err := tenant.Load(mapFS(dir, yml, csv))
			if err == nil {
				t.Fatalf("Load succeeded with %d tenants, want an error containing %q", len(cfgs), tt.want)
			}
			if cfgs != nil {
				t.Errorf("Load returned tenants %v along with its error", cfgs)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadRejectsSecondOffice(t *testing.T) {
	fsys := mapFS("depok", goodYAML, goodCSV)
	for name, f := range mapFS("depok2", strings.Replace(goodYAML, "slug: depok", "slug: depok2", 1), goodCSV) {
		fsys[name] = f
	}
	_, err := tenant.Load(fsys)
	if err == nil || !strings.Contains(err.Error(), "depok2/tenant.yaml: kemendagri_code 32.76 is also tenant depok") {
		t.Fatalf("Load = %v, want the duplicate office rejected", err)
	}
}

func TestLoadRejectsMissingFiles(t *testing.T) {
	for _, fsys := range []fstest.MapFS{
		{},
		{"depok/tenant.yaml": {Data: []byte(goodYAML)}},
		{"depok/wilayah.csv": {Data: []byte(goodCSV)}},
	} {
		if _, err := tenant.Load(fsys); err == nil {
			t.Errorf("Load(%v) succeeded, want an error", slices.Sorted(maps.Keys(fsys)))
		}
	}
}
