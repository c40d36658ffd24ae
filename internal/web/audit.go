package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
)

// Log audit: who changed what in the office, newest first, filtered by
// kind of record, kind of change, who and when (the API's list-audit).
// Snapshots in the log are masked on the way in; the page shows which
// fields changed, not their values.

// auditPageSize entries per page.
const auditPageSize = 50

// auditView is a page of the log with its filters.
type auditView struct {
	Halaman
	F          auditFilter
	Galat      map[string]string
	Items      []BarisLog
	Berikutnya string
	Oleh       []Opsi // the office's users, to filter by
}

// auditFilter is the filter form as typed.
type auditFilter struct {
	Jenis, Aksi, Oleh, Dari, Sampai string
}

// BarisLog is one entry of the log in words.
type BarisLog struct {
	BarisAudit
	Jenis  string // the kind of record in words
	Tautan string // its page, where the web has one
	Kode   string // the record's id as it is shown when there is no page
}

// JenisOpsi are the kinds of record the log names.
func (*auditView) JenisOpsi() []Opsi { return jenisAudit }

// AksiOpsi are the kinds of change.
func (*auditView) AksiOpsi() []Opsi { return aksiAudit }

// Pilih is a filter's select, as the register's.
func (v *auditView) Pilih(nama, label, nilai, semua string, o []Opsi) Pilih {
	return Pilih{Nama: nama, Label: label, Nilai: nilai, Semua: semua, Opsi: o, Pesan: v.Galat[nama]}
}

var jenisAudit = []Opsi{
	{"umkm", "UMKM"}, {"kendala", "Kendala UMKM"}, {"registrasi", "Registrasi online"},
	{"koperasi", "Koperasi"}, {"koperasi_unit", "Unit usaha koperasi"}, {"koperasi_komposisi", "Komposisi koperasi"},
	{"koperasi_pengurus", "Pengurus/pengawas koperasi"}, {"koperasi_rat", "RAT koperasi"},
	{"koperasi_kesehatan", "Kesehatan koperasi"}, {"koperasi_anggota_umkm", "Anggota UMKM koperasi"},
	{"reklasifikasi_kampanye", "Kampanye reklasifikasi"}, {"reklasifikasi_usulan", "Usulan reklasifikasi"},
	{"user", "Pengguna"}, {"keamanan", "Keamanan akun"},
}

var aksiAudit = []Opsi{
	{"create", "Dibuat"}, {"update", "Diubah"}, {"delete", "Dihapus"}, {"archive", "Diarsipkan"},
	{"merge", "Digabungkan"}, {"accept", "Diterima"}, {"reject", "Ditolak"}, {"approve", "Disetujui"},
	{"resolve", "Diselesaikan"}, {"start", "Dimulai"}, {"change_role", "Peran diubah"},
	{"disable", "Akses dinonaktifkan"}, {"enable", "Akses diaktifkan"},
}

func (a *App) auditList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	v := &auditView{Halaman: q.Halaman("Log audit", "audit"), Galat: map[string]string{},
		F: auditFilter{Jenis: in.Get("jenis"), Aksi: in.Get("aksi"), Oleh: in.Get("oleh"), Dari: in.Get("dari"), Sampai: in.Get("sampai")}}
	f := audit.Filter{Entity: v.F.Jenis, Action: v.F.Aksi, Limit: auditPageSize + 1}
	if v.F.Jenis != "" && labelOpsi(jenisAudit, v.F.Jenis) == v.F.Jenis {
		v.Galat["jenis"] = "Pilih jenis data dari daftar."
	}
	if v.F.Aksi != "" && labelOpsi(aksiAudit, v.F.Aksi) == v.F.Aksi {
		v.Galat["aksi"] = "Pilih jenis perubahan dari daftar."
	}
	if v.F.Oleh != "" {
		var err error
		if f.Actor, err = uuid.Parse(v.F.Oleh); err != nil {
			v.Galat["oleh"] = "Pilih pengguna dari daftar."
		}
	}
	// Dates are days of the office's calendar: from the start of Dari to
	// the end of Sampai.
	day := func(name, s string, next bool) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, s, q.loc)
		if err != nil {
			v.Galat[name] = "Tanggal tidak valid (tttt-bb-hh)."
			return time.Time{}
		}
		if next {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	f.From, f.Until = day("dari", v.F.Dari, false), day("sampai", v.F.Sampai, true)
	if !f.From.IsZero() && !f.Until.IsZero() && !f.From.Before(f.Until) {
		v.Galat["sampai"] = "Tanggal akhir sebelum tanggal awal."
	}
	if c := in.Get("cursor"); c != "" {
		var err error
		if f.After, err = uuid.Parse(c); err != nil {
			return apperr.InvalidField("query.cursor", c, apperr.T("Kursor halaman tidak valid.", "Invalid page cursor."))
		}
	}
	members, err := a.allMembers(q)
	if err != nil {
		return err
	}
	names := map[uuid.UUID]string{}
	for _, m := range members {
		names[m.ID] = m.Name
		v.Oleh = append(v.Oleh, Opsi{Nilai: m.ID.String(), Label: m.Name})
	}
	if len(v.Galat) > 0 {
		a.render(w, r, http.StatusUnprocessableEntity, v)
		return nil
	}
	var items []audit.Item
	if err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		items, err = audit.List(q.ctx, tx, f)
		return err
	}); err != nil {
		return err
	}
	if len(items) > auditPageSize {
		items = items[:auditPageSize]
		next := url.Values{"cursor": {items[len(items)-1].ID.String()}}
		for k, val := range map[string]string{"jenis": v.F.Jenis, "aksi": v.F.Aksi, "oleh": v.F.Oleh, "dari": v.F.Dari, "sampai": v.F.Sampai} {
			if val != "" {
				next.Set(k, val)
			}
		}
		v.Berikutnya = r.URL.Path + "?" + next.Encode()
	}
	for _, it := range items {
		b := BarisLog{BarisAudit: BarisAudit{At: it.At, Aksi: labelOpsi(aksiAudit, it.Action), Oleh: "sistem",
			Perubahan: changedFields(it.Before, it.After)}, Jenis: labelOpsi(jenisAudit, it.Entity)}
		if it.ActorID != nil {
			if n, ok := names[*it.ActorID]; ok {
				b.Oleh = n
			} else {
				b.Oleh = "pengguna di luar kantor ini"
			}
		}
		switch it.Entity {
		case "umkm":
			b.Tautan = recordPath(q.T, it.EntityID)
		case "user":
			b.Tautan = "/t/" + q.T.Slug + "/pengguna/" + it.EntityID
		default:
			b.Kode = shortID(it.EntityID)
		}
		v.Items = append(v.Items, b)
	}
	a.render(w, r, http.StatusOK, v)
	return nil
}

// allMembers are the office's users, every page of them: the names of the
// log's actors and its "oleh" filter.
func (a *App) allMembers(q *Permintaan) ([]account.Member, error) {
	var all []account.Member
	after := uuid.Nil
	for {
		page, err := a.Accounts.ListMembers(q.ctx, q.T, after, 500)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < 500 {
			return all, nil
		}
		after = page[len(page)-1].ID
	}
}

// shortID is the start of an id, enough to tell records apart on a page.
func shortID(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}
