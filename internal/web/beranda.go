package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// berandaView is the home page of someone with work in several places (or
// none): where they may go.
type berandaView struct {
	Halaman
	Pilihan []Pilihan
}

// Pilihan is one place to work: an office, a province, the platform.
type Pilihan struct {
	Nama, Peran string
	Tautan      string // "" when the web has no page for it yet
	Keterangan  string
}

var namaPeran = map[tenancy.Role]string{
	tenancy.RoleAdmin: "Admin kantor", tenancy.RoleStaf: "Staf", tenancy.RoleViewer: "Pembaca",
	tenancy.RolePetugas: "Petugas wilayah", tenancy.RoleProvinceViewer: "Pemantau provinsi",
	tenancy.RolePlatformAdmin: "Admin platform",
}

// landing is the first page of an office for p: the dashboard for those who
// read the whole register, the register for a petugas (whose permissions
// hold no dashboard); "" when p may open neither.
func (a *App) landing(q *Permintaan, slug string) string {
	for _, l := range []struct{ path, action string }{{"dasbor", "get-dasbor"}, {"umkm", "list-umkm"}} {
		if a.Authz.Decide(q.ctx, q.P, tenancy.TenantDomain(slug), l.action) == nil {
			return "/t/" + slug + "/" + l.path
		}
	}
	return ""
}

// beranda sends someone who works in one office straight to it; others pick.
func (a *App) beranda(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	domains := make([]tenancy.Domain, 0, len(q.P.Roles))
	for d := range q.P.Roles {
		domains = append(domains, d)
	}
	slices.Sort(domains)
	v := &berandaView{Halaman: q.Halaman("Beranda", "")}
	for _, d := range domains {
		role := q.P.Roles[d]
		c := Pilihan{Peran: namaPeran[role]}
		switch {
		case d == tenancy.PlatformDomain:
			c.Nama = "Platform Sentra"
			if m := q.menuPlatform(""); len(m) > 0 {
				c.Tautan, c.Keterangan = m[0].Tautan, "Kantor, pengguna, dan pekerjaan latar belakang"
			}
		case d.IsTenant():
			t, err := a.Tenants.Resolve(q.ctx, string(d))
			if apperr.KindOf(err) == apperr.KindNotFound {
				continue // an office no longer active
			} else if err != nil {
				return err
			}
			c.Nama, c.Tautan = t.Name, a.landing(q, t.Slug)
		default:
			code, _ := d.Province()
			c.Nama, c.Tautan = "Provinsi "+code, "/p/"+code+"/dasbor"
			if offices, err := a.kantorProvinsi(q, code); err != nil {
				return err
			} else if len(offices) > 0 {
				c.Nama = "Provinsi " + offices[0].ProvinceName
			}
		}
		v.Pilihan = append(v.Pilihan, c)
	}
	if len(v.Pilihan) == 1 && v.Pilihan[0].Tautan != "" && !strings.HasPrefix(v.Pilihan[0].Tautan, "/admin/") {
		http.Redirect(w, r, v.Pilihan[0].Tautan, http.StatusSeeOther)
		return nil
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}
