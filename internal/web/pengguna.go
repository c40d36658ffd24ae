package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Pengguna: the office's users for its admin (the API's list-users,
// create-user, get-user and update-user): add one, change a role or a
// petugas's regions, disable access. The rules (one active admin kept,
// regions of this office only, a password that is not a common one) are
// account's.

// penggunaPageSize: an office has tens of users, not thousands.
const penggunaPageSize = 50

// penggunaView is the list of the office's users with the form that adds one.
type penggunaView struct {
	Halaman
	Items      []BarisPengguna
	Berikutnya string
	Baru       penggunaForm
	Selesai    string // what was just done, in words
}

// BarisPengguna is one user in the list.
type BarisPengguna struct {
	account.Member
	Peran   string   // the role in words
	Wilayah []string // a petugas's regions by name
}

// penggunaForm is the add form as typed, with its messages.
type penggunaForm struct {
	Nama, Email, Peran string
	Tugas              wilayahTugas
	Galat              map[string]string
	Pesan              string
}

// PeranOpsi are the roles of an office in words.
func (penggunaForm) PeranOpsi() []Opsi { return peranOpsi }

var peranOpsi = []Opsi{
	{string(tenancy.RoleStaf), "Staf: membaca dan mengubah register"},
	{string(tenancy.RoleViewer), "Pembaca: hanya membaca"},
	{string(tenancy.RolePetugas), "Petugas wilayah: mengubah register di wilayah tugasnya"},
	{string(tenancy.RoleAdmin), "Admin kantor: juga mengelola pengguna"},
}

// wilayahTugas are a petugas's regions to choose from, grouped by
// kecamatan, with those chosen marked: checkboxes in a <details> per
// kecamatan, so the form works without JavaScript.
type wilayahTugas struct {
	Kecamatan []TugasKecamatan
	Dipilih   []string
	nama      map[string]string // every region's name by code
}

// TugasKecamatan is a kecamatan with its desa/kelurahan.
type TugasKecamatan struct {
	Kode, Nama string
	Kelurahan  []Opsi
}

// Pilih reports whether the region kode is chosen.
func (t wilayahTugas) Pilih(kode string) bool { return slices.Contains(t.Dipilih, kode) }

// Terpilih is how many regions of kecamatan (itself or its desa/kelurahan)
// are chosen: a closed group still says so.
func (t wilayahTugas) Terpilih(kecamatan string) int {
	n := 0
	for _, k := range t.Dipilih {
		if k == kecamatan || strings.HasPrefix(k, kecamatan+".") {
			n++
		}
	}
	return n
}

// names are the names of regions, in the order given.
func (t wilayahTugas) names(kode []string) []string {
	out := make([]string, 0, len(kode))
	for _, k := range kode {
		if n, ok := t.nama[k]; ok {
			out = append(out, n)
		} else {
			out = append(out, k)
		}
	}
	return out
}

// tugasOf builds the region choice of the office with chosen marked.
func (a *App) tugasOf(q *Permintaan, chosen []string) (wilayahTugas, error) {
	reg, err := a.wilayah(q)
	if err != nil {
		return wilayahTugas{}, err
	}
	t := wilayahTugas{Dipilih: chosen, nama: reg.nama}
	for i, k := range reg.kecamatan {
		t.Kecamatan = append(t.Kecamatan, TugasKecamatan{Kode: k.Nilai, Nama: k.Label, Kelurahan: reg.grup[i].Opsi})
	}
	return t, nil
}

func (a *App) penggunaList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	v := &penggunaView{Halaman: q.Halaman("Pengguna", "pengguna"), Selesai: pesanPengguna[r.URL.Query().Get("pesan")]}
	var err error
	if v.Baru.Tugas, err = a.tugasOf(q, nil); err != nil {
		return err
	}
	return a.showPengguna(w, r, q, v, r.URL.Query().Get("cursor"), http.StatusOK)
}

// What a redirect after a change tells the list (?pesan=...): fixed words.
var pesanPengguna = map[string]string{
	"ditambah": "Pengguna sudah ditambahkan. Berikan kata sandi awalnya secara langsung; mintalah ia menggantinya.",
	"disimpan": "Perubahan pengguna sudah disimpan. Berlaku pada permintaan berikutnya.",
}

func (a *App) showPengguna(w http.ResponseWriter, r *http.Request, q *Permintaan, v *penggunaView, cursor string, status int) error {
	var after uuid.UUID
	if cursor != "" {
		var err error
		if after, err = uuid.Parse(cursor); err != nil {
			return apperr.InvalidField("query.cursor", cursor, apperr.T("Kursor halaman tidak valid.", "Invalid page cursor."))
		}
	}
	items, err := a.Accounts.ListMembers(q.ctx, q.T, after, penggunaPageSize+1)
	if err != nil {
		return err
	}
	if len(items) > penggunaPageSize {
		items = items[:penggunaPageSize]
		v.Berikutnya = r.URL.Path + "?" + url.Values{"cursor": {items[len(items)-1].ID.String()}}.Encode()
	}
	for _, m := range items {
		v.Items = append(v.Items, BarisPengguna{Member: m, Peran: namaPeran[m.Role], Wilayah: v.Baru.Tugas.names(m.Wilayah)})
	}
	a.render(w, r, status, v)
	return nil
}

// tambahPengguna adds a user from the form; on a refusal the list again
// with the form as typed (never the password) and each message beside its
// field.
func (a *App) tambahPengguna(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	p := account.AddParams{Email: strings.TrimSpace(f.Get("email")), Name: f.Get("nama"), Role: tenancy.Role(f.Get("peran")),
		Password: f.Get("sandi")}
	if p.Role == tenancy.RolePetugas {
		p.Wilayah = f["wilayah"]
	}
	err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		_, err := account.AddMemberTx(q.ctx, tx, q.T, p)
		return err
	})
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pengguna?pesan=ditambah", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict) {
		return err
	}
	v := &penggunaView{Halaman: q.Halaman("Pengguna", "pengguna")}
	v.Baru = penggunaForm{Nama: p.Name, Email: p.Email, Peran: string(p.Role), Pesan: ae.Message.ID,
		Galat: fieldErrors(ae, map[string]string{"name": "nama", "role": "peran", "password": "sandi"})}
	if v.Baru.Tugas, err = a.tugasOf(q, p.Wilayah); err != nil {
		return err
	}
	return a.showPengguna(w, r, q, v, "", httpStatus(ae.Kind))
}

// penggunaRekamView is one user with the form that changes their role,
// regions or access.
type penggunaRekamView struct {
	Halaman
	M       account.Member
	Peran   string // the role in the form
	Aktif   bool
	Tugas   wilayahTugas
	Versi   int64
	Galat   map[string]string
	Pesan   string
	Lain    *BarisPengguna // on a conflict: the version saved meanwhile
	Dirimu  bool           // the admin looks at their own account
	AuditKu string         // the audit log of this user's changes
}

// PeranOpsi are the roles of an office in words.
func (penggunaRekamView) PeranOpsi() []Opsi { return peranOpsi }

func (a *App) penggunaRekam(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := a.Accounts.GetMember(q.ctx, q.T, id)
	if err != nil {
		return err
	}
	v, err := a.penggunaRekamView(q, m, string(m.Role), m.Active, m.Wilayah)
	if err != nil {
		return err
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

func (a *App) penggunaRekamView(q *Permintaan, m account.Member, peran string, aktif bool, wilayah []string) (*penggunaRekamView, error) {
	v := &penggunaRekamView{Halaman: q.Halaman(m.Name, "pengguna"), M: m, Peran: peran, Aktif: aktif, Versi: m.Version,
		Dirimu: m.ID == q.P.UserID}
	if q.Can("list-audit") {
		v.AuditKu = "/t/" + q.T.Slug + "/audit?" + url.Values{"oleh": {m.ID.String()}}.Encode()
	}
	var err error
	v.Tugas, err = a.tugasOf(q, wilayah)
	return v, err
}

// ubahPengguna saves the form at the version it was opened with; a change
// made meanwhile by another admin is shown beside the form, as on the
// register.
func (a *App) ubahPengguna(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	version, err := strconv.ParseInt(f.Get("versi"), 10, 64)
	if err != nil {
		return apperr.PreconditionFailed()
	}
	role, active := tenancy.Role(f.Get("peran")), f.Get("aktif") == "ya"
	p := account.UpdateParams{Role: &role, Active: &active}
	if role == tenancy.RolePetugas {
		// Every box unticked is no region (refused), not "keep the old ones".
		p.Wilayah = append([]string{}, f["wilayah"]...)
	}
	_, err = a.Accounts.UpdateMember(q.ctx, q.T, id, version, p)
	if err == nil {
		http.Redirect(w, r, "/t/"+q.T.Slug+"/pengguna?pesan=disimpan", http.StatusSeeOther)
		return nil
	}
	ae, ok := apperr.As(err)
	if !ok || (ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindPreconditionFailed) {
		return err
	}
	cur, gerr := a.Accounts.GetMember(q.ctx, q.T, id)
	if gerr != nil {
		return gerr
	}
	v, verr := a.penggunaRekamView(q, cur, string(role), active, p.Wilayah)
	if verr != nil {
		return verr
	}
	v.Pesan = ae.Message.ID
	if ae.Kind == apperr.KindPreconditionFailed {
		v.Pesan = "Data ini sudah diubah orang lain sejak Anda membukanya. Pilihan Anda masih di formulir; " +
			"periksa versi mereka di bawah, lalu simpan lagi untuk menimpanya."
		v.Lain = &BarisPengguna{Member: cur, Peran: namaPeran[cur.Role], Wilayah: v.Tugas.names(cur.Wilayah)}
	} else {
		v.Versi = version // the form keeps the version it was opened with
		v.Galat = fieldErrors(ae, map[string]string{"role": "peran", "active": "aktif"})
	}
	a.render(w, r, httpStatus(ae.Kind), v)
	return nil
}
