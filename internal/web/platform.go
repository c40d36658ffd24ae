package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// The platform pages (/platform/...), read-only, for platform admins: the
// offices with their size and last sign-in, and who holds which role
// where. Onboarding and billing come with their own issue. Sizes are the
// province dashboards' (get-dasbor-provinsi, which platform admins may
// read in every province): counts from the rollups, never the register.
// The River jobs UI is the API's /admin/jobs/ (view-jobs), linked from the
// menu.

func (a *App) platformRoutes() {
	a.platform("GET /platform/kantor", "view-platform-kantor", a.platformKantor)
	a.platform("GET /platform/pengguna", "view-platform-pengguna", a.platformPengguna)
	a.onboardingRoutes() // platform_kantor.go
}

// platform registers a platform page: signed in, and action decided in the
// platform domain (no platform role: 404; a role without it: 403).
func (a *App) platform(pattern, action string, h handler) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		q, ok := a.requireSession(w, r)
		if !ok {
			return
		}
		if err := a.Authz.Decide(q.ctx, q.P, tenancy.PlatformDomain, action); err != nil {
			a.fail(w, r.WithContext(q.ctx), err)
			return
		}
		a.serve(w, r, q, h)
	})
}

// menuPlatform is the platform's menu, the entries the caller may open
// (none for anyone but a platform admin).
func (q *Permintaan) menuPlatform(aktif string) []Menu {
	var out []Menu
	for _, m := range []struct{ label, tautan, action string }{
		{"Kantor", "/platform/kantor", "view-platform-kantor"},
		{"Pengguna", "/platform/pengguna", "view-platform-pengguna"},
		{"Pekerjaan latar belakang", "/admin/jobs/", "view-jobs"},
	} {
		if q.app.Authz.Decide(q.ctx, q.P, tenancy.PlatformDomain, m.action) == nil {
			out = append(out, Menu{Label: m.label, Tautan: m.tautan, Aktif: m.tautan == aktif})
		}
	}
	return out
}

func (q *Permintaan) halamanPlatform(judul, aktif string) Halaman {
	h := q.Halaman(judul, "")
	h.Menu = q.menuPlatform(aktif)
	h.can = func(action string) bool { return q.app.Authz.Decide(q.ctx, q.P, tenancy.PlatformDomain, action) == nil }
	return h
}

// platformKantorView lists every active office.
type platformKantorView struct {
	Halaman
	Baris []KantorPlatform
	Buka  *BukaForm // the "open an office" form, for whom create-tenant allows
}

// KantorPlatform is one office of the platform's list.
type KantorPlatform struct {
	Slug, Nama, Provinsi, KodeProvinsi string
	Keadaan                            string // the subscription state in words
	UMKM, Koperasi                     int
	DihitungAt, MasukTerakhir          *time.Time
	Dibuat                             time.Time
}

func (a *App) platformKantor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.showPlatformKantor(w, r, q, &BukaForm{}, http.StatusOK)
}

func (a *App) showPlatformKantor(w http.ResponseWriter, r *http.Request, q *Permintaan, buka *BukaForm, status int) error {
	offices, err := a.Tenants.List(q.ctx, tenant.Visible{All: true}, "", 10000)
	if err != nil {
		return err
	}
	last, err := a.Accounts.LastSignIn(q.ctx)
	if err != nil {
		return err
	}
	provinces := map[string]map[string]dasbor.RingkasanTenant{}
	v := &platformKantorView{Halaman: q.halamanPlatform("Kantor", "/platform/kantor")}
	if a.Authz.Decide(q.ctx, q.P, tenancy.PlatformDomain, "create-tenant") == nil {
		v.Buka = buka
	}
	for _, t := range offices {
		fig, ok := provinces[t.ProvinceCode]
		if !ok {
			p, err := a.Dasbor.Provinsi(q.ctx, t.ProvinceCode)
			if err != nil {
				return err
			}
			fig = map[string]dasbor.RingkasanTenant{}
			for _, o := range p.Tenant {
				fig[o.Tenant] = o
			}
			provinces[t.ProvinceCode] = fig
		}
		var until time.Time
		if t.StateUntil != nil {
			until = *t.StateUntil
		}
		k := KantorPlatform{Slug: t.Slug, Nama: t.Name, Provinsi: t.ProvinceName, KodeProvinsi: t.ProvinceCode, Dibuat: t.CreatedAt,
			Keadaan: keadaanDi(langganan.State(t.State), langganan.Reason(t.StateReason), until, a.location(t.Timezone))}
		if o, ok := fig[t.Slug]; ok {
			k.UMKM, k.Koperasi, k.DihitungAt = o.UMKM.Total, o.Koperasi.Total, o.DihitungAt
		}
		if at, ok := last[tenancy.TenantDomain(t.Slug)]; ok {
			k.MasukTerakhir = &at
		}
		v.Baris = append(v.Baris, k)
	}
	slices.SortStableFunc(v.Baris, func(x, y KantorPlatform) int {
		return strings.Compare(x.KodeProvinsi+x.Nama, y.KodeProvinsi+y.Nama)
	})
	a.render(w, r, status, v)
	return nil
}

// platformPenggunaView is the user search across offices.
type platformPenggunaView struct {
	Halaman
	Cari   string
	Dicari bool // a search was made
	Hasil  []PenggunaPlatform
	Penuh  bool // as many as one search shows: there may be more
}

// PenggunaPlatform is an account with where it holds which role.
type PenggunaPlatform struct {
	Nama, Email string
	Nonaktif    bool
	Peran       []PeranPlatform
}

// PeranPlatform is one role, in words.
type PeranPlatform struct {
	Tempat, Tautan, Peran string
	Wilayah               []string
	Aktif                 bool
}

func (a *App) platformPengguna(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &platformPenggunaView{Halaman: q.halamanPlatform("Pengguna", "/platform/pengguna"), Cari: r.URL.Query().Get("q")}
	if strings.TrimSpace(v.Cari) == "" {
		a.render(w, r, http.StatusOK, v)
		return nil
	}
	v.Dicari = true
	found, err := a.Accounts.SearchUsers(q.ctx, v.Cari, account.MaxCari)
	if err != nil {
		return err
	}
	v.Penuh = len(found) == account.MaxCari
	offices, err := a.Tenants.List(q.ctx, tenant.Visible{All: true}, "", 10000)
	if err != nil {
		return err
	}
	tenants, provinces := map[string]string{}, map[string]string{}
	for _, t := range offices {
		tenants[t.Slug], provinces[t.ProvinceCode] = t.Name, t.ProvinceName
	}
	for _, u := range found {
		p := PenggunaPlatform{Nama: u.Name, Email: u.Email, Nonaktif: u.Disabled}
		for _, pr := range u.Peran {
			row := PeranPlatform{Peran: namaPeran[pr.Role], Wilayah: pr.Wilayah, Aktif: pr.Active}
			switch code, isProvince := pr.Domain.Province(); {
			case pr.Domain == tenancy.PlatformDomain:
				row.Tempat = "Platform Sentra"
			case isProvince:
				row.Tempat, row.Tautan = "Provinsi "+code, "/p/"+code+"/dasbor"
				if n := provinces[code]; n != "" {
					row.Tempat = "Provinsi " + n
				}
			default:
				row.Tempat = string(pr.Domain) + " (tidak aktif)"
				if n, ok := tenants[string(pr.Domain)]; ok {
					row.Tempat = n
				}
			}
			p.Peran = append(p.Peran, row)
		}
		v.Hasil = append(v.Hasil, p)
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}
