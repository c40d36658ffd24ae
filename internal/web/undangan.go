package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
)

// The invitation link of an office's first admin (or later staff):
// /undangan/{tenant}/{token}, made by a platform admin (invite-admin). The
// invitee chooses a password, or gives their account's when the e-mail has
// one; the link works once (account.AcceptInvitation).

// undanganView is the page of an invitation.
type undanganView struct {
	Halaman
	Aksi, NamaKantor, Email, Nama string
	Ada                           bool   // the e-mail has an account
	Pesan                         string // why the link does not work, or a refusal
	Galat                         map[string]string
	Berlaku                       bool // the link works: the form is shown
}

func (a *App) undangan(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	t, err := a.publicTenant(q, r.PathValue("tenant"))
	if err != nil {
		return err
	}
	token := r.PathValue("token")
	v := &undanganView{Halaman: q.Halaman("Undangan "+t.Name, ""), NamaKantor: t.Name,
		Aksi: "/undangan/" + url.PathEscape(t.Slug) + "/" + url.PathEscape(token)}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := parseForm(w, r); err != nil {
			return err
		}
		v.Nama = r.PostForm.Get("nama")
		err := a.DB.InTenantTx(q.ctx, t.ID, func(tx pgx.Tx) error {
			_, err := account.AcceptInvitation(q.ctx, tx, t.Scope(), token, v.Nama, r.PostForm.Get("password"), time.Now())
			return err
		})
		if err == nil {
			http.Redirect(w, r, "/masuk?"+url.Values{"lanjut": {"/t/" + t.Slug + "/pengguna"}}.Encode(), http.StatusSeeOther)
			return nil
		}
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindConflict {
			return err
		}
		v.Galat, status = fieldErrors(ae, map[string]string{"name": "nama"}), httpStatus(ae.Kind)
		if v.Pesan = v.Galat["token"]; v.Pesan == "" {
			v.Pesan = ae.Message.ID
		}
	}
	var p account.Pending
	err = a.DB.InTenantTx(q.ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		p, _, err = account.PendingInvitation(q.ctx, tx, token, time.Now())
		return err
	})
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindInvalid {
		v.Pesan = fieldErrors(ae, nil)["token"] // the link's own words
		a.render(w, r, http.StatusGone, v)
		return nil
	} else if err != nil {
		return err
	}
	v.Berlaku, v.Email, v.Ada = true, p.Email, p.Exists
	if v.Nama == "" {
		v.Nama = p.Name
	}
	a.render(w, r, status, v)
	return nil
}
