// Package web is Sentra in the browser: server-rendered pages in Bahasa
// Indonesia for the offices' staff and the public. It is the only importer
// of html/template and of the static files. A sibling of internal/httpapi,
// not a client of it: handlers call the domain services directly, with the
// same principal, tenant resolution, petugas scope (umkm.Access) and Casbin
// decision (authz.Decide) as the API, so a page never shows or does what
// the API would refuse.
//
// The handler is mounted on the API's mux (httpapi.Deps.Pages), inside the
// same middleware: request id and tenant in the log, metrics,
// http.CrossOriginProtection and the security headers. Every form is a
// plain HTML form that works without JavaScript; htmx (static/) makes some
// of them nicer. State changes only on POST.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Deps are what the pages need: the API's own services.
type Deps struct {
	Logger   *slog.Logger
	Accounts *account.Service
	Tenants  *tenant.Store
	Authz    *authz.Authorizer
	UMKM     *umkm.Service
	Dasbor   *dasbor.Service
	// DB and Queue start long work (imports, exports) as the API does:
	// the job recorded and its River work enqueued in one transaction. DB
	// also reads what has no service of its own (a record's audit log) and
	// holds the transaction of a create, as the API's handlers do.
	DB       *db.DB
	Queue    pekerjaan.Inserter
	Koperasi *koperasi.Service
	// Pendanaan is funding: the board, applications, the subsidy ledger.
	Pendanaan *pendanaan.Service
	// Pemasaran is marketing points, products and curation.
	Pemasaran *pemasaran.Service
	// Konsinyasi is the consignment ledgers of the listings.
	Konsinyasi *konsinyasi.Service
	// Program is the office's programmes and their participants.
	Program *program.Service
	// Pasar is the businesses' shops and retail listings and the city's
	// purchases from them (pasar*.go).
	Pasar *pasar.Service
	// Tumpang is the overlap of help: the warning before a selection and
	// its override (the programme page).
	Tumpang *tumpang.Service
	// RegistrasiLimits rate-limit the public registration pages, the same
	// buckets as the API's public endpoints (zero: the defaults).
	RegistrasiLimits umkm.RegistrasiLimits
	// SecureCookies marks the session cookie Secure (served over HTTPS).
	SecureCookies bool
	// Billing records contracts and payments (platform pages); without a
	// Ledger it is off and the pages say so.
	Billing *langganan.Billing
	// Bundel is an office's export bundle when it closes (the platform's
	// office page; the office admins' Tagihan page).
	Bundel *bundel.Service
	// Luar imports and keeps other agencies' participant lists.
	Luar *luar.Service
	// Kemitraan is the partners and their agreements.
	Kemitraan *kemitraan.Service
	// Klinik is the consultation clinic.
	Klinik *klinik.Service
}

// App is the web app: an http.Handler for the patterns it lists.
type App struct {
	Deps
	mux    *http.ServeMux
	pages  pages
	assets assets
	zones  sync.Map // IANA name → *time.Location (LoadLocation reads a file each time)
	// kantorPatterns are the office pages (a.kantor), for the tests that
	// probe every one of another office.
	kantorPatterns []string
}

// location is an office's time zone; WIB when it has none or an unknown one
// (logged: the tenant file is wrong).
func (a *App) location(name string) *time.Location {
	if loc, ok := a.zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := format.Lokasi(name)
	if err != nil {
		a.Logger.Warn("office time zone unusable, showing WIB", "timezone", name, "error", err)
		loc = wib
	}
	a.zones.Store(name, loc)
	return loc
}

// contentSecurityPolicy is the one policy of every page (WEB.md): nothing
// inline, nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

var (
	wib = mustLocation("Asia/Jakarta")

	textInternal = apperr.T("Terjadi kesalahan di server. Kesalahan sudah dicatat; coba lagi sebentar lagi.",
		"Something went wrong on our side. It has been logged; please try again shortly.")
)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// New builds the pages. It fails when a view does not parse, is not
// registered with its view model, or names a static file that does not
// exist: a broken page stops the start, not a user.
func New(d Deps) (*App, error) {
	a := &App{Deps: d, mux: http.NewServeMux()}
	var err error
	if a.assets, err = loadAssets(); err != nil {
		return nil, fmt.Errorf("web static files: %w", err)
	}
	if err := a.parseViews(); err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	a.routes()
	return a, nil
}

// Patterns are what the API's mux hands to the web app. /daftar/ and
// /lacak/ are the public registration pages; /p/ the province pages,
// /platform/ the platform admins'.
func (a *App) Patterns() []string {
	return []string{"/{$}", "/masuk", "/masuk/", "/keluar", "/t/", "/daftar/", "/lacak/", "/klinik/", "/undangan/", "/static/", "/p/", "/platform/"}
}

// routes lists every page. Office pages use a.kantor with the Casbin
// action of the API operation they correspond to; see README "Adding a page".
func (a *App) routes() {
	a.mux.HandleFunc("GET /static/{hash}/{name}", a.assets.serve)

	a.publik("GET /masuk", a.masukForm)
	a.publik("POST /masuk", a.masuk)
	a.publik("POST /masuk/totp", a.masukTOTP)
	a.publik("POST /keluar", a.keluar)

	a.signedIn("GET /{$}", a.beranda)

	a.kantor("GET /t/{tenant}/dasbor", "get-dasbor", a.dasbor)
	a.kantor("GET /t/{tenant}/dasbor/wilayah/{kode}", "get-dasbor-wilayah", a.dasborWilayah)
	a.kantor("GET /t/{tenant}/peta", "get-dasbor", a.peta)
	a.kantor("GET /t/{tenant}/umkm", "list-umkm", a.daftarUMKM)
	a.umkmRoutes()
	a.koperasiRoutes()
	a.programRoutes()    // programmes and participants (program*.go)
	a.pemasaranRoutes()  // marketing points, products, curation (pemasaran*.go)
	a.luarRoutes()       // other agencies' participant lists (luar.go)
	a.klinikRoutes()     // the consultation clinic and its public form (klinik*.go)
	a.pasarRoutes()      // online and retail markets, government purchases (pasar*.go)
	a.konsinyasiRoutes() // consignment ledgers and the late-report dashboard (konsinyasi*.go)

	// Imports, exports and their jobs (impor.go).
	a.kantor("GET /t/{tenant}/impor", "import-umkm", a.imporForm)
	a.kantor("POST /t/{tenant}/impor", "import-umkm", a.impor)
	a.kantor("GET /t/{tenant}/impor/template", "get-umkm-template", a.imporTemplate)
	a.kantor("POST /t/{tenant}/umkm/ekspor", "export-umkm", a.ekspor)
	a.kantor("GET /t/{tenant}/pekerjaan", "get-pekerjaan", a.pekerjaanSaya)
	a.kantor("GET /t/{tenant}/pekerjaan/{id}", "get-pekerjaan", a.pekerjaanPage)
	a.kantor("POST /t/{tenant}/pekerjaan/{id}/terapkan", "import-umkm", a.terapkan)
	a.kantor("GET /t/{tenant}/berkas/{id}", "get-berkas", a.berkas)

	// Online registration: the public form and status, the staff's review (daftar.go, registrasi.go).
	a.publik("GET /daftar/{tenant}", a.daftarForm)
	a.publik("POST /daftar/{tenant}", a.daftar)
	a.publik("GET /lacak/{$}", a.lacakForm)
	a.publik("GET /lacak/{kode}", a.lacak)
	a.publik("GET /undangan/{tenant}/{token}", a.undangan) // undangan.go
	a.publik("POST /undangan/{tenant}/{token}", a.undangan)
	a.kantor("GET /t/{tenant}/registrasi", "list-registrasi", a.registrasiList)
	a.kantor("POST /t/{tenant}/registrasi/{id}/terima", "accept-registrasi", a.terimaRegistrasi)
	a.kantor("POST /t/{tenant}/registrasi/{id}/tolak", "reject-registrasi", a.tolakRegistrasi)

	// The office's users and its audit log (pengguna.go, audit.go).
	a.kantor("GET /t/{tenant}/pengguna", "list-users", a.penggunaList)
	a.kantor("POST /t/{tenant}/pengguna", "create-user", a.tambahPengguna)
	a.kantor("GET /t/{tenant}/pengguna/{id}", "get-user", a.penggunaRekam)
	a.kantor("POST /t/{tenant}/pengguna/{id}", "update-user", a.ubahPengguna)
	a.kantor("GET /t/{tenant}/audit", "list-audit", a.auditList)
	a.kantor("GET /t/{tenant}/tagihan", "list-tagihan", a.tagihan) // tagihan.go

	a.reklasifikasiRoutes() // Reklasifikasi KSU (reklasifikasi.go)
	a.pendanaanRoutes()     // Pendanaan (pendanaan.go)
	a.kemitraanRoutes()     // Kemitraan (kemitraan.go)
	// Province viewers and platform admins (provinsi.go, platform.go).
	a.provinsiRoutes()
	a.platformRoutes()
}

// ServeHTTP answers with the strict CSP; a path no page takes is the same
// "tidak ditemukan" page as a missing record.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
	_, pattern := a.mux.Handler(r)
	if pattern == "" {
		a.fail(w, r, apperr.NotFound())
		return
	}
	tenancy.Note(r.Context()).Route = pattern // the metrics label
	a.mux.ServeHTTP(w, r)                     // (Handler sets no path values)
}

// handler is a page: it writes the page, or returns the error to show.
type handler func(w http.ResponseWriter, r *http.Request, q *Permintaan) error

// Permintaan is a page's request as the handler sees it: who asks and, on
// office pages, in which office.
type Permintaan struct {
	P   *tenancy.Principal // nil on public pages when nobody is signed in
	T   *tenancy.Tenant    // nil outside /t/{tenant}/
	app *App
	ctx context.Context
	loc *time.Location
}

// Can reports whether the caller may do action in the office of the page:
// the Casbin decision, then what the office's subscription allows, as the
// API decides both.
func (q *Permintaan) Can(action string) bool {
	if q.P == nil || q.T == nil {
		return false
	}
	return permits(q.ctx, q.app.Authz, q.P, q.T, action) == nil
}

// permits is the API's decision of action in office t (httpapi authorize).
func permits(ctx context.Context, az *authz.Authorizer, p *tenancy.Principal, t *tenancy.Tenant, action string) error {
	dom := tenancy.TenantDomain(t.Slug)
	if err := az.Decide(ctx, p, dom, action); err != nil {
		return err
	}
	return langganan.Permits(t.State, langganan.RoleIn(p, dom), action)
}

// Halaman is the frame of the page titled judul; aktif names the menu
// entry of this page (its path below /t/{tenant}/).
func (q *Permintaan) Halaman(judul, aktif string) Halaman {
	h := q.app.ctxHalaman(q.ctx, judul)
	h.loc = q.loc
	if q.T != nil {
		h.Kantor, h.can = q.T, q.Can
		for _, m := range menu {
			if q.Can(m.action) {
				h.Menu = append(h.Menu, Menu{Label: m.label, Tautan: "/t/" + q.T.Slug + "/" + m.path, Aktif: m.path == aktif})
			}
		}
	}
	return h
}

// menu is the office menu: an entry shows only to those its action allows.
var menu = []struct{ label, path, action string }{
	{"Dasbor", "dasbor", "get-dasbor"},
	{"Peta", "peta", "get-dasbor"},
	{"Register UMKM", "umkm", "list-umkm"},
	{"Register koperasi", "koperasi", "list-koperasi"},
	{"Program", "program", "list-program"},
	{"Daftar agensi lain", "program/luar", "list-luar"},
	{"Klinik", "klinik", "get-klinik-minggu"},
	{"Impor", "impor", "import-umkm"},
	{"Pekerjaan saya", "pekerjaan", "get-pekerjaan"},
	{"Registrasi online", "registrasi", "list-registrasi"},
	{"Reklasifikasi KSU", "reklasifikasi", "list-reklasifikasi"},
	{"Pendanaan", "pendanaan", "view-papan-dana"},
	{"Pemasaran", "pemasaran", "list-titik"},
	{"Kemitraan", "kemitraan", "list-mitra"},
	{"Pasar & belanja", "pasar", "get-ringkasan-pasar"},
	{"Pengguna", "pengguna", "list-users"},
	{"Log audit", "audit", "list-audit"},
	{"Tagihan", "tagihan", "list-tagihan"},
}

// publik registers a page anyone may open; the caller, if signed in, is
// known to it.
func (a *App) publik(pattern string, h handler) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		q := &Permintaan{app: a, ctx: r.Context(), loc: wib}
		if p, err := a.session(r); err == nil {
			q.P = p
			q.ctx = tenancy.WithPrincipal(q.ctx, p)
		}
		a.serve(w, r, q, h)
	})
}

// signedIn registers a page for anyone signed in.
func (a *App) signedIn(pattern string, h handler) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if q, ok := a.requireSession(w, r); ok {
			a.serve(w, r, q, h)
		}
	})
}

// kantor registers an office page under /t/{tenant}/: signed in, the tenant
// resolved, and action decided in its domain exactly as the API decides
// the operation of the same name (no role there: 404, as for an office that
// does not exist; a role without the permission: 403).
func (a *App) kantor(pattern, action string, h handler) {
	a.kantorPatterns = append(a.kantorPatterns, pattern)
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		q, ok := a.requireSession(w, r)
		if !ok {
			return
		}
		t, err := a.Tenants.Resolve(q.ctx, r.PathValue("tenant"))
		if err != nil {
			a.fail(w, r.WithContext(q.ctx), err)
			return
		}
		if err := permits(q.ctx, a.Authz, q.P, t.Scope(), action); err != nil {
			a.fail(w, r.WithContext(q.ctx), err)
			return
		}
		q.T = t.Scope()
		q.ctx = tenancy.WithTenant(q.ctx, q.T)
		tenancy.Note(q.ctx).Tenant = t.Slug
		q.loc = a.location(t.Timezone)
		a.serve(w, r, q, h)
	})
}

func (a *App) serve(w http.ResponseWriter, r *http.Request, q *Permintaan, h handler) {
	r = r.WithContext(q.ctx)
	if err := h(w, r, q); err != nil {
		a.fail(w, r, err)
	}
}

// galatView is the page of an error: not found, not allowed, too many
// attempts, a fault of ours.
type galatView struct {
	Halaman
	Pesan string
}

// fail shows err as a page, in the words the API uses for it.
func (a *App) fail(w http.ResponseWriter, r *http.Request, err error) {
	ae, ok := apperr.As(err)
	if !ok {
		a.internal(w, r, err)
		return
	}
	status, judul := http.StatusUnprocessableEntity, "Data tidak valid"
	switch ae.Kind {
	case apperr.KindNotFound:
		status, judul = http.StatusNotFound, "Tidak ditemukan"
	case apperr.KindForbidden:
		status, judul = http.StatusForbidden, "Tidak diizinkan"
	case apperr.KindUnauthenticated:
		a.toLogin(w, r)
		return
	case apperr.KindTooManyRequests:
		status, judul = http.StatusTooManyRequests, "Terlalu banyak percobaan"
		setRetryAfter(w, ae.RetryAfter)
	case apperr.KindConflict:
		status, judul = http.StatusConflict, "Bentrok dengan data lain"
	case apperr.KindPreconditionFailed:
		status, judul = http.StatusPreconditionFailed, "Data sudah diubah"
	case apperr.KindReadOnly:
		status, judul = http.StatusPaymentRequired, "Hanya dapat dibaca"
	case apperr.KindUnavailable:
		a.Logger.WarnContext(r.Context(), "unavailable", "error", err)
		status, judul = http.StatusServiceUnavailable, "Layanan tidak tersedia"
	case apperr.KindInternal:
		a.internal(w, r, err)
		return
	}
	a.render(w, r, status, &galatView{Halaman: a.ctxHalaman(r.Context(), judul), Pesan: ae.Message.ID})
}
