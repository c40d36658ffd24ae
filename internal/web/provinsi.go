package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/grafik"
	"github.com/sentra-id/sentra/internal/peta"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// The province pages (/p/{province}/...): for province viewers of that
// province and platform admins, who hold no role in any office. They show
// what get-dasbor-provinsi and get-dasbor-provinsi-tenant answer, and
// nothing else: the figures come from the rollups read in a province
// transaction (dasbor.Service.Provinsi, ProvinsiTenant), in which no table
// holding personal data is visible, and a desa/kelurahan's small count is
// hidden by the service, never here. Every hidden cell reads
// peta.Disembunyikan and is coloured alike on the map.

// provinsiRoutes are the province pages.
func (a *App) provinsiRoutes() {
	a.provinsi("GET /p/{province}/dasbor", "get-dasbor-provinsi", a.dasborProvinsi)
	a.provinsi("GET /p/{province}/dasbor/{tenant}", "get-dasbor-provinsi-tenant", a.dasborProvinsiKantor)
}

// kodeProvinsi is the API's {province} pattern.
var kodeProvinsi = regexp.MustCompile(`^[0-9]{2}$`)

// provinsi registers a province page under /p/{province}/: signed in, and
// action decided in the province's domain exactly as the API decides the
// operation of the same name (no role there: 404, as for a province that
// does not exist; a role without the permission: 403). A code that is no
// province code is not found.
func (a *App) provinsi(pattern, action string, h handler) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		q, ok := a.requireSession(w, r)
		if !ok {
			return
		}
		code := r.PathValue("province")
		var err error = apperr.NotFound()
		if kodeProvinsi.MatchString(code) {
			err = a.Authz.Decide(q.ctx, q.P, tenancy.ProvinceDomain(code), action)
		}
		if err != nil {
			a.fail(w, r.WithContext(q.ctx), err)
			return
		}
		a.serve(w, r, q, h)
	})
}

// halamanProvinsi is the frame of a province page: its menu is the
// province's dashboard (and, for a platform admin, the platform's pages).
func (q *Permintaan) halamanProvinsi(code, judul, aktif string) Halaman {
	h := q.Halaman(judul, "")
	h.Menu = append(h.Menu, Menu{Label: "Dasbor provinsi", Tautan: "/p/" + code + "/dasbor", Aktif: aktif == "dasbor"})
	h.Menu = append(h.Menu, q.menuPlatform("")...)
	return h
}

// kantorProvinsi are the active offices of a province, by slug, as
// list-tenants shows them to its viewers.
func (a *App) kantorProvinsi(q *Permintaan, code string) ([]tenant.Tenant, error) {
	return a.Tenants.List(q.ctx, tenant.Visible{Provinces: []string{code}}, "", 1000)
}

// provinsiView is a province's dashboard: each office and their sum.
type provinsiView struct {
	Halaman
	Kode, Nama string
	DihitungAt *time.Time
	Ringkasan  []Ringkasan
	PerKantor  []BarisKantor
	Jumlah     BarisKantor
	Peta       petaProvinsi
	Grafik     []Grafik
	Program    TabelProgram // per office; no province sum
	Ambang     int          // the small-cell threshold of the programme figures
}

// BarisKantor is one office in a province's table (or their sum).
type BarisKantor struct {
	Nama, Href                                     string
	UMKM, Binaan, Legalitas, Berkendala, Perempuan int
	Koperasi, KoperasiAktif                        int
	DihitungAt                                     *time.Time
	AdaBatas                                       bool // drawn on the map
}

// petaProvinsi is a map on a province page, or what stands in for it.
type petaProvinsi struct {
	Judul   string
	Ada     bool
	SVG     template.HTML
	Legenda []peta.Tingkat
	Catatan string
}

func barisKantor(nama, href string, u dasbor.AngkaUMKM, k dasbor.AngkaKoperasi, at *time.Time) BarisKantor {
	return BarisKantor{Nama: nama, Href: href, UMKM: u.Total, Binaan: nilai(u.StatusBinaan, "binaan"),
		Legalitas: nilai(u.LegalitasLengkap, "ya"), Berkendala: nilai(u.Berkendala, "ya"), Perempuan: nilai(u.JenisKelamin, "P"),
		Koperasi: k.Total, KoperasiAktif: nilai(k.Aktif, "ya"), DihitungAt: at}
}

func ringkasanUMKM(u dasbor.AngkaUMKM, k dasbor.AngkaKoperasi) []Ringkasan {
	return []Ringkasan{
		{Label: "UMKM terdaftar", Nilai: u.Total},
		{Label: "UMKM binaan", Nilai: nilai(u.StatusBinaan, "binaan"), Dari: u.Total},
		{Label: "Legalitas lengkap", Nilai: nilai(u.LegalitasLengkap, "ya"), Dari: u.Total},
		{Label: "Punya kendala terbuka", Nilai: nilai(u.Berkendala, "ya"), Dari: u.Total},
		{Label: "Koperasi terdaftar", Nilai: k.Total},
		{Label: "Koperasi aktif", Nilai: nilai(k.Aktif, "ya"), Dari: k.Total},
	}
}

func (a *App) dasborProvinsi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	code := r.PathValue("province")
	p, err := a.Dasbor.Provinsi(q.ctx, code)
	if err != nil {
		return err
	}
	offices, err := a.kantorProvinsi(q, code)
	if err != nil {
		return err
	}
	bySlug := map[string]tenant.Tenant{}
	for _, t := range offices {
		bySlug[t.Slug] = t
	}
	nama := p.NamaProvinsi
	if nama == "" {
		nama = "Provinsi " + code
	}
	v := &provinsiView{Halaman: q.halamanProvinsi(code, "Dasbor "+nama, "dasbor"), Kode: code, Nama: nama,
		DihitungAt: p.DihitungAt, Ringkasan: ringkasanUMKM(p.UMKM, p.Koperasi)}
	v.Jumlah = barisKantor("Jumlah provinsi", "", p.UMKM, p.Koperasi, p.DihitungAt)

	d := peta.Data{Judul: "Jumlah UMKM per kabupaten/kota", Nilai: map[string]float64{}}
	var kabkota []string
	names, hrefs := map[string]string{}, map[string]string{}
	var bars []grafik.Batang
	for _, o := range p.Tenant {
		href := "/p/" + code + "/dasbor/" + url.PathEscape(o.Tenant)
		row := barisKantor(o.NamaTenant, href, o.UMKM, o.Koperasi, o.DihitungAt)
		if t, ok := bySlug[o.Tenant]; ok && t.KemendagriCode != "" {
			kk := t.KemendagriCode
			kabkota = append(kabkota, kk)
			names[kk], hrefs[kk] = o.NamaTenant, href
			d.Nilai[kk] = float64(o.UMKM.Total)
			row.AdaBatas = peta.Ada(kk)
		}
		v.PerKantor = append(v.PerKantor, row)
		bars = append(bars, grafik.Batang{Label: o.NamaTenant, Nilai: o.UMKM.Total, Href: href})
	}
	d.Href = func(kk string) string { return hrefs[kk] }
	h, err := peta.Provinsi(kabkota, names, d)
	if err != nil {
		return err
	}
	v.Peta = petaProvinsi{Judul: d.Judul, Ada: h.Ada, SVG: template.HTML(h.SVG), Legenda: h.Legenda, Catatan: peta.Catatan} // #nosec G203 -- peta escapes every text

	perKantor := Grafik{ID: "per-kantor", Judul: "UMKM per kantor", Kepala: "Kantor", Kolom: []string{"Jumlah UMKM", "Bagian"},
		SVG: template.HTML(grafik.Mendatar("UMKM per kantor", bars))} // #nosec G203 -- grafik escapes every text
	for _, row := range v.PerKantor {
		perKantor.Baris = append(perKantor.Baris, BarisAngka{Label: row.Nama, Href: row.Href,
			Nilai: []string{format.Angka(row.UMKM), format.Persen(row.UMKM, p.UMKM.Total)}})
	}
	v.Grafik = append([]Grafik{perKantor}, tautan{}.umkm(p.UMKM)...)
	v.Program = programKantor(p.Tenant, func(slug string) string { return "/p/" + code + "/dasbor/" + url.PathEscape(slug) })
	v.Ambang = max(a.Dasbor.Ambang, 1)
	a.render(w, r, http.StatusOK, v)
	return nil
}

// provinsiKantorView is one office as its province sees it: the office
// dashboard with small desa/kelurahan counts hidden.
type provinsiKantorView struct {
	Halaman
	Kode, NamaProvinsi string
	D                  dasbor.Dasbor
	Ringkasan          []Ringkasan
	Grafik             []Grafik
	Target             []GrafikTarget
	Wilayah            []KecamatanProvinsi
	Peta               petaProvinsi
	GrafikKecamatan    template.HTML // the bar chart of an office without a map
	AdaSembunyi        bool
	Program            ProgramProvinsiKantor
}

// KecamatanProvinsi is a kecamatan in the province's view of an office,
// with its desa/kelurahan as the service shows them.
type KecamatanProvinsi struct {
	dasbor.KecamatanDasbor
	Belum SelTeks // its never-helped
	Desa  []DesaProvinsi
}

// DesaProvinsi is a desa/kelurahan row: a count, or peta.Disembunyikan.
type DesaProvinsi struct {
	Kode, Nama     string
	UMKM, Koperasi string
	SembunyiUMKM   bool
	SembunyiKop    bool
	Belum          SelTeks // its never-helped
}

// teksSel is a cell as a page writes it: the count, or the one word of
// every hidden cell.
func teksSel(s dasbor.Sel) string {
	if s.Disembunyikan || s.Jumlah == nil {
		return peta.Disembunyikan
	}
	return format.Angka(*s.Jumlah)
}

func (a *App) dasborProvinsiKantor(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	code, slug := r.PathValue("province"), r.PathValue("tenant")
	d, err := a.Dasbor.ProvinsiTenant(q.ctx, code, slug)
	if err != nil {
		return err
	}
	offices, err := a.kantorProvinsi(q, code)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(offices, func(t tenant.Tenant) bool { return t.Slug == slug })
	if i < 0 { // the service found it, the listing not: it went inactive meanwhile
		return apperr.NotFound()
	}
	t := offices[i]
	q.loc = a.location(t.Timezone)
	v := &provinsiKantorView{Kode: code, NamaProvinsi: cmp.Or(t.ProvinceName, "Provinsi "+code), D: d,
		Ringkasan: ringkasanUMKM(d.UMKM, d.Koperasi)}
	v.Halaman = q.halamanProvinsi(code, "Dasbor "+d.NamaTenant, "dasbor")
	v.Grafik = tautan{}.umkm(d.UMKM)
	names := map[string]string{}
	m := peta.Data{Judul: "Jumlah UMKM per desa/kelurahan", Nilai: map[string]float64{}, Sembunyi: map[string]bool{}}
	var bars []grafik.Batang
	for _, kec := range d.Wilayah {
		names[kec.Kode] = kec.NamaWilayah
		k := KecamatanProvinsi{KecamatanDasbor: kec, Belum: selTeks(kec.BelumPernah)}
		for _, l := range kec.Kelurahan {
			row := DesaProvinsi{Kode: l.Kode, Nama: l.NamaWilayah, UMKM: teksSel(l.UMKM), Koperasi: teksSel(l.Koperasi),
				SembunyiUMKM: l.UMKM.Disembunyikan, SembunyiKop: l.Koperasi.Disembunyikan, Belum: selTeks(l.BelumPernah)}
			if l.UMKM.Disembunyikan || l.UMKM.Jumlah == nil {
				m.Sembunyi[l.Kode] = true
			} else {
				m.Nilai[l.Kode] = float64(*l.UMKM.Jumlah)
			}
			v.AdaSembunyi = v.AdaSembunyi || row.SembunyiUMKM || row.SembunyiKop || row.Belum.Sembunyi
			k.Desa = append(k.Desa, row)
		}
		v.Wilayah = append(v.Wilayah, k)
		bars = append(bars, grafik.Batang{Label: kec.NamaWilayah, Nilai: kec.UMKM})
	}
	v.Program = programProvinsiKantor(d)
	l := tautan{}
	for _, tg := range d.Target {
		v.Target = append(v.Target, l.target(tg, names))
	}
	h, err := peta.Gambar(t.KemendagriCode, m)
	if err != nil {
		return err
	}
	v.Peta = petaProvinsi{Judul: m.Judul, Ada: h.Ada, SVG: template.HTML(h.SVG), Legenda: h.Legenda, Catatan: peta.Catatan} // #nosec G203 -- peta escapes every text
	if !h.Ada {
		v.GrafikKecamatan = template.HTML(grafik.Mendatar("Jumlah UMKM per kecamatan", bars)) // #nosec G203 -- grafik escapes every text
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}
