package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Sessions in the browser: the API's session cookie, set by /masuk with the
// account service's Login (its throttling and its messages), read by every
// page and by the API, revoked by POST /keluar.

var errNoSession = errors.New("no session cookie")

// session is the signed-in caller, from the session cookie.
func (a *App) session(r *http.Request) (*tenancy.Principal, error) {
	c, err := r.Cookie(account.SessionCookie)
	if err != nil || c.Value == "" {
		return nil, errNoSession
	}
	p, err := a.Accounts.Authenticate(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	tenancy.Note(r.Context()).UserID = p.UserID.String()
	return p, nil
}

// requireSession is the caller of a page that needs one; without a valid
// session it answers with the way to /masuk and back, and ok is false.
func (a *App) requireSession(w http.ResponseWriter, r *http.Request) (q *Permintaan, ok bool) {
	p, err := a.session(r)
	switch {
	case err == nil:
	case errors.Is(err, errNoSession) || apperr.KindOf(err) == apperr.KindUnauthenticated:
		a.toLogin(w, r)
		return nil, false
	default:
		a.fail(w, r, err)
		return nil, false
	}
	ctx := tenancy.WithPrincipal(r.Context(), p)
	if p.MustEnrolTOTP {
		// The API lets such a session do nothing but enrol; so do the pages.
		a.fail(w, r.WithContext(ctx), account.ErrMustEnrolTOTP)
		return nil, false
	}
	return &Permintaan{P: p, app: a, ctx: ctx, loc: wib}, true
}

// toLogin sends the browser to /masuk, to come back here after (a GET; after
// a POST, back to the page the form was on is not known: the home page).
func (a *App) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/masuk"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?lanjut=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		// htmx would follow a redirect and swap the login page into a
		// fragment: ask it to load the whole page instead.
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// lanjut is where to go after logging in: a path of this site only (no
// scheme, no host, no //evil.example), else the home page.
func lanjut(s string) string {
	if len(s) < 1 || len(s) > 2000 || s[0] != '/' || !teks.Clean(s) || strings.ContainsAny(s, "\\") {
		return "/"
	}
	if len(s) > 1 && s[1] == '/' {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return s
}

// masukView is the login page: the password step, or with Tantangan the
// code step. Galat holds a message per form field.
type masukView struct {
	Halaman
	Email, Lanjut string
	Tantangan     string // the challenge of the code step
	Pesan         string // a message for the whole form
	Galat         map[string]string
}

func (a *App) masukForm(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	next := lanjut(r.URL.Query().Get("lanjut"))
	if q.P != nil && !q.P.MustEnrolTOTP {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	a.render(w, r, http.StatusOK, &masukView{Halaman: Halaman{Judul: "Masuk"}, Lanjut: next})
	return nil
}

// maxLoginForm bounds a login form (the API's login takes 4 KiB of JSON).
const maxLoginForm = 8 << 10

func (a *App) masuk(w http.ResponseWriter, r *http.Request, _ *Permintaan) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))
	}
	v := &masukView{Halaman: Halaman{Judul: "Masuk"}, Email: r.PostForm.Get("email"), Lanjut: lanjut(r.PostForm.Get("lanjut"))}
	sess, ch, err := a.Accounts.Login(r.Context(), v.Email, r.PostForm.Get("password"), tenancy.ClientAddr(r.Context()), account.KindCookie)
	switch {
	case err != nil:
		return a.loginFailed(w, r, v, err, "password")
	case ch != nil:
		v.Tantangan = ch.Token
		a.render(w, r, http.StatusOK, v)
		return nil
	}
	a.setSession(w, r, sess, v.Lanjut)
	return nil
}

// masukTOTP is the second step: a code of the authenticator app.
func (a *App) masukTOTP(w http.ResponseWriter, r *http.Request, _ *Permintaan) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		return apperr.Invalid(apperr.T("Formulir tidak terbaca.", "The form could not be read."))
	}
	v := &masukView{Halaman: Halaman{Judul: "Masuk"}, Lanjut: lanjut(r.PostForm.Get("lanjut"))}
	token := r.PostForm.Get("tantangan")
	sess, err := a.Accounts.LoginTOTP(r.Context(), token, r.PostForm.Get("kode"), tenancy.ClientAddr(r.Context()))
	if err != nil {
		if errors.Is(err, account.ErrWrongCode) {
			v.Tantangan = token // the challenge lives on: ask again
			return a.loginFailed(w, r, v, err, "kode")
		}
		return a.loginFailed(w, r, v, err, "")
	}
	a.setSession(w, r, sess, v.Lanjut)
	return nil
}

// loginFailed shows the login form again with the service's message beside
// field (or above the form when throttled or for a step that ended).
func (a *App) loginFailed(w http.ResponseWriter, r *http.Request, v *masukView, err error, field string) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	status := http.StatusUnauthorized
	switch ae.Kind {
	case apperr.KindUnauthenticated:
		if field != "" {
			v.Galat = map[string]string{field: ae.Message.ID}
		} else {
			v.Pesan = ae.Message.ID
		}
	case apperr.KindTooManyRequests:
		status, v.Pesan = http.StatusTooManyRequests, ae.Message.ID
		setRetryAfter(w, ae.RetryAfter)
	default:
		return err
	}
	a.render(w, r, status, v)
	return nil
}

// setRetryAfter says how many seconds to wait before trying again.
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", fmt.Sprint(int(d.Round(time.Second).Seconds())))
}

func (a *App) setSession(w http.ResponseWriter, r *http.Request, sess account.Session, next string) {
	http.SetCookie(w, a.cookie(sess.Token, sess.ExpiresAt))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// cookie is the session cookie: HttpOnly, SameSite=Lax (Strict would log
// people out of links from e-mail and WhatsApp; cross-site POSTs are
// refused by http.CrossOriginProtection), Secure behind --secure-cookies.
func (a *App) cookie(token string, expires time.Time) *http.Cookie {
	c := &http.Cookie{Name: account.SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: a.SecureCookies, SameSite: http.SameSiteLaxMode}
	if token == "" {
		c.MaxAge = -1
	}
	return c
}

// keluar revokes the session and forgets the cookie.
func (a *App) keluar(w http.ResponseWriter, r *http.Request, q *Permintaan) error {
	if q.P != nil {
		if err := a.Accounts.Logout(r.Context(), q.P.SessionID); err != nil {
			return err
		}
	}
	http.SetCookie(w, a.cookie("", time.Time{}))
	http.Redirect(w, r, "/masuk", http.StatusSeeOther)
	return nil
}
