package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

// The staff's review of online registrations: oldest first, a candidate
// duplicate beside each, accept or reject with a reason (the API's
// list-registrasi, accept-registrasi and reject-registrasi).

// registrasiPageSize: a queue reviewed a few at a time.
const registrasiPageSize = 20

// registrasiView is the review queue of one status.
type registrasiView struct {
	Halaman
	Status     string // menunggu, diterima, ditolak
	Items      []BarisRegistrasi
	Berikutnya string
	Pesan      string // a decision that failed for a registration no longer listed
	Selesai    string // the decision just made, in words
}

// StatusOpsi are the queue's tabs.
func (v *registrasiView) StatusOpsi() []Opsi {
	return []Opsi{{"menunggu", "Menunggu"}, {"diterima", "Diterima"}, {"ditolak", "Ditolak"}}
}

// BarisRegistrasi is one registration with its regions named, the live
// record it may duplicate, and what the reviewer typed on a failed decision.
type BarisRegistrasi struct {
	umkm.Registrasi
	NamaKecamatan, NamaKelurahan string
	Duplikat                     *umkm.Record
	Pesan                        string
	Galat                        map[string]string
	Ketikan                      string // the reason typed, kept when rejecting failed
}

// Versi is the version the decision forms send back (the API's If-Match).
func (b BarisRegistrasi) Versi() string { return strconv.FormatInt(b.Version, 10) }

// SektorLabel is a sector in words.
func (b BarisRegistrasi) SektorLabel() string { return labelOpsi(sektorOpsi, b.Data.Sektor) }

func labelOpsi(opsi []Opsi, v string) string {
	for _, o := range opsi {
		if o.Nilai == v {
			return o.Label
		}
	}
	return v
}

// keputusan is a decision that failed, to show beside its registration.
type keputusan struct {
	id     uuid.UUID
	err    *apperr.Error
	alasan string
}

func (a *App) registrasiList(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	in := r.URL.Query()
	status := in.Get("status")
	if status == "" {
		status = umkm.RegistrasiMenunggu
	}
	v := &registrasiView{Halaman: q.Halaman("Registrasi online", "registrasi"), Status: status}
	if kode, ok := umkm.ParseKode(umkm.KodePrefix(q.T.Slug), in.Get("kode")); ok {
		switch in.Get("hasil") {
		case umkm.RegistrasiDiterima:
			v.Selesai = "Pendaftaran " + kode + " diterima: usahanya kini ada di register sebagai binaan."
		case umkm.RegistrasiDitolak:
			v.Selesai = "Pendaftaran " + kode + " ditolak. Pendaftar membaca alasannya dengan kode lacaknya."
		}
	}
	return a.showRegistrasi(w, r, q, v, in.Get("cursor"), nil)
}

// showRegistrasi renders the queue; k, if any, is a decision that failed.
func (a *App) showRegistrasi(w http.ResponseWriter, r *http.Request, q *Permintaan, v *registrasiView, cursor string, k *keputusan) error {
	switch v.Status {
	case umkm.RegistrasiMenunggu, umkm.RegistrasiDiterima, umkm.RegistrasiDitolak:
	default:
		return apperr.InvalidField("query.status", v.Status, apperr.T("Status harus menunggu, diterima atau ditolak.",
			"Status must be menunggu, diterima or ditolak."))
	}
	var after uuid.UUID
	if cursor != "" {
		var err error
		if after, err = uuid.Parse(cursor); err != nil {
			return apperr.InvalidField("query.cursor", cursor, apperr.T("Kursor halaman tidak valid.", "Invalid page cursor."))
		}
	}
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	items, err := a.UMKM.ListRegistrasi(q.ctx, q.T, umkm.RegistrasiFilter{Status: v.Status, After: after, Limit: registrasiPageSize + 1}, sc, view)
	if err != nil {
		return err
	}
	if len(items) > registrasiPageSize {
		items = items[:registrasiPageSize]
		v.Berikutnya = r.URL.Path + "?" + url.Values{"status": {v.Status}, "cursor": {items[len(items)-1].ID.String()}}.Encode()
	}
	reg, err := a.wilayah(q)
	if err != nil {
		return err
	}
	names := reg.nama
	shown := false
	for _, it := range items {
		b := BarisRegistrasi{Registrasi: it, NamaKecamatan: names[it.Data.KecamatanKode], NamaKelurahan: names[it.Data.KelurahanKode]}
		if it.DuplikatUMKMID != nil {
			rec, err := a.UMKM.Get(q.ctx, q.T, *it.DuplikatUMKMID, sc, view)
			if err == nil {
				b.Duplikat = &rec
			} else if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindNotFound {
				return err
			}
		}
		if k != nil && k.id == it.ID {
			shown = true
			b.Pesan, b.Galat, b.Ketikan = k.err.Message.ID, fieldErrors(k.err, nil), k.alasan
		}
		v.Items = append(v.Items, b)
	}
	status := http.StatusOK
	if k != nil {
		status = httpStatus(k.err.Kind)
		if !shown {
			v.Pesan = k.err.Message.ID
		}
	}
	a.render(w, r, status, v)
	return nil
}

// httpStatus is the status the API answers for an error of kind.
func httpStatus(kind apperr.Kind) int {
	switch kind {
	case apperr.KindConflict:
		return http.StatusConflict
	case apperr.KindPreconditionFailed:
		return http.StatusPreconditionFailed
	case apperr.KindNotFound:
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}

func (a *App) terimaRegistrasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.putuskan(w, r, q, umkm.RegistrasiDiterima)
}

func (a *App) tolakRegistrasi(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	return a.putuskan(w, r, q, umkm.RegistrasiDitolak)
}

// putuskan decides a registration at the version the reviewer saw. On
// success, back to the queue (POST, redirect, GET); on a refusal the queue
// again, the message beside the registration and the reason kept.
func (a *App) putuskan(w http.ResponseWriter, r *http.Request, q *Permintaan, hasil string) error {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return apperr.NotFound()
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))
	}
	version, err := strconv.ParseInt(r.PostForm.Get("versi"), 10, 64)
	if err != nil {
		return apperr.PreconditionFailed()
	}
	sc, view, err := umkm.Access(q.ctx, a.Authz, q.P, q.T)
	if err != nil {
		return err
	}
	alasan := r.PostForm.Get("alasan")
	var reg umkm.Registrasi
	if hasil == umkm.RegistrasiDiterima {
		reg, err = a.UMKM.AcceptRegistrasi(q.ctx, q.T, id, version, q.P.UserID, sc, view)
	} else {
		reg, err = a.UMKM.RejectRegistrasi(q.ctx, q.T, id, version, alasan, q.P.UserID, sc, view)
	}
	if err != nil {
		ae, ok := apperr.As(err)
		if !ok || ae.Kind == apperr.KindNotFound || ae.Kind == apperr.KindForbidden || ae.Kind == apperr.KindInternal {
			return err
		}
		v := &registrasiView{Halaman: q.Halaman("Registrasi online", "registrasi"), Status: umkm.RegistrasiMenunggu}
		return a.showRegistrasi(w, r, q, v, "", &keputusan{id: id, err: ae, alasan: alasan})
	}
	next := url.Values{"kode": {reg.KodeLacak}, "hasil": {hasil}}
	http.Redirect(w, r, "/t/"+q.T.Slug+"/registrasi?"+next.Encode(), http.StatusSeeOther)
	return nil
}
