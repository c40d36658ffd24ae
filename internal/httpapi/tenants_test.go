package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestWilayahPages: walking a tenant's wilayah page by page gives every
// kecamatan once, in code order, each with its own desa/kelurahan.
func TestWilayahPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		slug                       string
		user                       testUser
		kecamatan, kelurahan, desa int
	}{
		{"depok", b.depokStaf, 11, 63, 0},
		{"karawang", b.platformAdmin, 30, 12, 297}, // desa adat count as desa
		{"medan", b.medanViewer, 21, 151, 0},
	} {
		t.Run(tc.slug, func(t *testing.T) {
			token := b.login(t, tc.user.Email)
			seen := map[string]bool{}
			var kecamatan, kelurahan, desa, pages int
			last, cursor := "", ""
			for {
				path := "/v1/tenants/" + tc.slug + "/wilayah?limit=4"
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				r := b.do(t, http.MethodGet, path, token, nil)
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d %s", path, r.status, r.raw)
				}
				var page struct {
					Items []struct {
						Kode     string `json:"kode"`
						Nama     string `json:"nama"`
						Children []struct {
							Kode string `json:"kode"`
							Tipe string `json:"tipe"`
						} `json:"desa_kelurahan"`
					} `json:"items"`
					NextCursor string `json:"next_cursor"`
				}
				r.decode(t, &page)
				pages++
				if len(page.Items) > 4 {
					t.Fatalf("page %d has %d kecamatan, limit 4", pages, len(page.Items))
				}
				for _, k := range page.Items {
					if seen[k.Kode] {
						t.Errorf("kecamatan %s on two pages", k.Kode)
					}
					if k.Kode <= last {
						t.Errorf("kecamatan %s after %s: not in code order", k.Kode, last)
					}
					seen[k.Kode], last = true, k.Kode
					kecamatan++
					if len(k.Children) == 0 {
						t.Errorf("kecamatan %s (%s) has no desa/kelurahan", k.Kode, k.Nama)
					}
					for _, c := range k.Children {
						if !strings.HasPrefix(c.Kode, k.Kode+".") {
							t.Errorf("%s listed under kecamatan %s", c.Kode, k.Kode)
						}
						switch c.Tipe {
						case "kelurahan":
							kelurahan++
						case "desa", "desa_adat":
							desa++
						default:
							t.Errorf("%s: tipe %q", c.Kode, c.Tipe)
						}
					}
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
				if pages > 20 {
					t.Fatal("the pages do not end")
				}
			}
			if kecamatan != tc.kecamatan || kelurahan != tc.kelurahan || desa != tc.desa {
				t.Errorf("%d kecamatan, %d kelurahan, %d desa; want %d, %d, %d",
					kecamatan, kelurahan, desa, tc.kecamatan, tc.kelurahan, tc.desa)
			}
			if want := (tc.kecamatan + 3) / 4; pages != want {
				t.Errorf("%d pages of 4, want %d", pages, want)
			}
		})
	}
}
