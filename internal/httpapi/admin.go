package httpapi

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// sessionCookie carries a browser session (set here and by the web pages'
// /masuk). Unsafe cross-site requests are refused by
// http.CrossOriginProtection.
const sessionCookie = account.SessionCookie

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Masuk — Sentra</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}.err{color:#b91c1c}</style></head>
<body><h1>Sentra</h1><p>Masuk untuk membuka halaman admin.</p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
{{if .Tantangan}}<form method="post" action="/admin/login/totp">
<input type="hidden" name="next" value="{{.Next}}"><input type="hidden" name="tantangan" value="{{.Tantangan}}">
<label for="kode">Kode verifikasi (6 angka dari aplikasi autentikator)</label>
<input id="kode" name="kode" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required autofocus>
<button type="submit">Verifikasi</button></form>
{{else}}<form method="post" action="/admin/login">
<input type="hidden" name="next" value="{{.Next}}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{{.Email}}">
<label for="password">Kata sandi</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Masuk</button></form>{{end}}</body></html>`))

// loginPageData fills the login page; with Tantangan it asks for the code.
type loginPageData struct{ Error, Email, Next, Tantangan string }

func (s *Server) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/login", func(w http.ResponseWriter, r *http.Request) {
		s.renderLogin(w, http.StatusOK, loginPageData{Next: safeNext(r.URL.Query().Get("next"))})
	})
	mux.HandleFunc("POST /admin/login", s.adminLogin)
	mux.HandleFunc("POST /admin/login/totp", s.adminLoginTOTP)
	mux.HandleFunc("POST /admin/logout", s.adminLogout)
	if s.Jobs != nil {
		mux.Handle("/admin/jobs/", s.requirePlatform("view-jobs", s.Jobs))
	}
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, d loginPageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = loginPage.Execute(w, d)
}

func (s *Server) adminLogin(w http.ResponseWriter, r *http.Request) {
	if !s.parseLoginForm(w, r) {
		return
	}
	ctx := r.Context()
	email, next := r.PostForm.Get("email"), safeNext(r.PostForm.Get("next"))
	sess, ch, err := s.Accounts.Login(ctx, email, r.PostForm.Get("password"), clientAddr(ctx), account.KindCookie)
	switch {
	case err != nil:
		s.renderLoginError(ctx, w, err, loginPageData{Email: email, Next: next})
	case ch != nil:
		s.renderLogin(w, http.StatusOK, loginPageData{Next: next, Tantangan: ch.Token})
	default:
		s.setSession(w, r, sess, next)
	}
}

// parseLoginForm reads a small form, or answers that it is not one.
func (s *Server) parseLoginForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, http.StatusBadRequest, loginPageData{Error: "Formulir tidak valid."})
		return false
	}
	return true
}

// adminLoginTOTP is the second step of a browser login.
func (s *Server) adminLoginTOTP(w http.ResponseWriter, r *http.Request) {
	if !s.parseLoginForm(w, r) {
		return
	}
	ctx := r.Context()
	next, token := safeNext(r.PostForm.Get("next")), r.PostForm.Get("tantangan")
	sess, err := s.Accounts.LoginTOTP(ctx, token, r.PostForm.Get("kode"), clientAddr(ctx))
	if err != nil {
		d := loginPageData{Next: next}
		if err == account.ErrWrongCode {
			d.Tantangan = token // the challenge lives on: ask again
		}
		s.renderLoginError(ctx, w, err, d)
		return
	}
	s.setSession(w, r, sess, next)
}

func (s *Server) renderLoginError(ctx context.Context, w http.ResponseWriter, err error, d loginPageData) {
	p := toProblem(ctx, "id", err)
	if ra := p.headers.Get("Retry-After"); ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	d.Error = p.Detail
	s.renderLogin(w, p.Status, d)
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, sess account.Session, next string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) adminLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if p, err := s.Accounts.Authenticate(r.Context(), c.Value); err == nil {
			if err := s.Accounts.Logout(r.Context(), p.SessionID); err != nil {
				writeProblem(w, toProblem(r.Context(), "id", err))
				return
			}
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// requirePlatform lets through browser sessions of users allowed action on
// the platform; others are sent to log in, or get 404 when logged in.
func (s *Server) requirePlatform(action string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		token := ""
		if c, err := r.Cookie(sessionCookie); err == nil {
			token = c.Value
		}
		p, err := s.Accounts.Authenticate(ctx, token)
		if err != nil {
			if apperr.KindOf(err) == apperr.KindUnauthenticated && r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
				return
			}
			writeProblem(w, toProblem(ctx, language(r.Header.Get("Accept-Language")), err))
			return
		}
		if p.MustEnrolTOTP {
			err = account.ErrMustEnrolTOTP
		} else {
			err = s.Authz.Decide(ctx, p, tenancy.PlatformDomain, action)
		}
		if err != nil {
			writeProblem(w, toProblem(ctx, language(r.Header.Get("Accept-Language")), err))
			return
		}
		next.ServeHTTP(w, r.WithContext(tenancy.WithPrincipal(ctx, p)))
	})
}

// safeNext keeps redirects inside the admin pages (no open redirect).
func safeNext(next string) string {
	if len(next) > 1 && len(next) < 200 && next[0] == '/' && next[1] != '/' && next[1] != '\\' {
		return next
	}
	return "/admin/jobs/"
}

// healthz: the process is alive.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// readyz: the database answers and its schema is the one this binary expects.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Pool.Ping(ctx); err != nil {
		writeProblem(w, toProblem(ctx, "en", apperr.Unavailable(err)))
		return
	}
	if err := s.DB.CheckMigrated(ctx); err != nil {
		writeProblem(w, toProblem(ctx, "en", apperr.Unavailable(err)))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ready"}` + "\n"))
}
