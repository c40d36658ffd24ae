// Package httpapi is Sentra's HTTP API: Huma v2 on the standard library mux.
// It is the only importer of huma. Every operation declares its permission
// (see perm.go); the authorization middleware refuses any that does not.
package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/swaggest/swgui/v5emb"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/metrics"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Version is the API version shown in the OpenAPI document.
const Version = "1.0.0"

// errNotUTF8 is a request body that is not UTF-8, which JSON must be.
var errNotUTF8 = errors.New("request body is not UTF-8")

// Deps are what the API needs.
type Deps struct {
	Logger   *slog.Logger
	DB       *db.DB
	Accounts *account.Service
	Tenants  *tenant.Store
	Authz    *authz.Authorizer
	UMKM     *umkm.Service
	Koperasi *koperasi.Service
	Program  *program.Service
	// Pasar is the businesses' shops and retail listings and the city's purchases.
	Pasar  *pasar.Service
	Dasbor *dasbor.Service
	// Pendanaan is funding: schemes, applications, the subsidy ledger.
	Pendanaan *pendanaan.Service
	// Pemasaran is marketing points, products and curation.
	Pemasaran *pemasaran.Service
	// Kemitraan is the partners and their agreements.
	Kemitraan *kemitraan.Service
	// Konsinyasi is the consignment ledgers of the listings.
	Konsinyasi *konsinyasi.Service
	Queue      Queue // enqueues jobs in the request's transaction
	// Jobs is River UI, mounted under /admin/jobs/ for platform admins; nil
	// leaves it out.
	Jobs http.Handler
	// SecureCookies marks session cookies Secure (serve over HTTPS).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (only behind
	// a proxy that sets it).
	TrustProxy bool
	// RegistrasiLimits rate-limit the public registration endpoints; a zero
	// limit takes umkm.DefaultRegistrasiLimits.
	RegistrasiLimits umkm.RegistrasiLimits
	// Metrics records every request; nil records nothing.
	Metrics *metrics.Metrics
	// Pages is the web app (internal/web), mounted on this mux at its
	// patterns so it runs inside the same middleware: request id, access
	// log, metrics, cross-origin protection, security headers. nil: API only.
	Pages Pages
	// Billing is Stripe billing; without a Ledger (no key) it is off and
	// says so (503 billing_off) where Stripe is needed.
	Billing *langganan.Billing
	// Bundel makes and serves an office's export bundle when it closes.
	Bundel *bundel.Service
	// WebhookSecrets verify Stripe's webhook events (the current secret
	// and, while rotating, the previous one).
	WebhookSecrets []string
	// MetricsAccess, when set, serves Metrics at GET /metrics to those it
	// allows (nil: not on this listener, e.g. with --metrics-addr).
	MetricsAccess *metrics.Access
	// Luar imports and keeps other agencies' participant lists.
	Luar *luar.Service
	// Klinik is the consultation clinic.
	Klinik *klinik.Service
}

// Pages is an HTTP surface mounted beside the API: the web app.
type Pages interface {
	http.Handler
	// Patterns are the ServeMux patterns it answers; none may clash with
	// the API's (/v1, /docs, /openapi.json, /healthz, /readyz, /metrics,
	// /admin).
	Patterns() []string
}

// Server is the HTTP API.
type Server struct {
	Deps
	api     huma.API
	handler http.Handler
	schemas *schemaNamer // which Go types got each schema name (tests)
}

// New builds the API and its routes.
func New(d Deps) *Server {
	// Huma builds errors through these package variables; ours map domain
	// errors and keep internal text out of responses.
	huma.NewErrorWithContext = newProblem
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return newProblem(nil, status, msg, errs...)
	}

	s := &Server{Deps: d, schemas: newSchemaNamer()}
	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("Sentra API", Version)
	cfg.Components.Schemas = s.schemas.registry()
	cfg.Info.Description = "Sentra: the register of UMKM and cooperatives for Dinas Koperasi dan UMKM offices. " +
		"Errors are RFC 9457 problem+json; messages are in Bahasa Indonesia unless `Accept-Language: en`."
	cfg.DocsPath = "" // served from the binary below, not from a CDN
	// No "$schema" field and Link header on every response: huma builds
	// them per response by reflection, from the request's Host (wrong
	// behind a proxy). Clients find the schemas in /openapi.json.
	cfg.CreateHooks = nil
	cfg.RejectUnknownQueryParameters = true
	// JSON must be UTF-8; encoding/json would store a stray byte as U+FFFD
	// without a word, so such a body is refused instead.
	strictJSON := huma.DefaultJSONFormat
	strictJSON.Unmarshal = func(data []byte, v any) error {
		if !utf8.Valid(data) {
			return errNotUTF8
		}
		return json.Unmarshal(data, v)
	}
	cfg.Formats = map[string]huma.Format{"application/json": strictJSON, "json": strictJSON}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "Token from POST /v1/auth/login."},
		"cookie": {Type: "apiKey", In: "cookie", Name: sessionCookie, Description: "Browser session from /admin/login."},
	}
	s.api = humago.New(mux, cfg)
	s.api.UseMiddleware(nameOperation, s.authorize)

	s.registerAuth()
	s.registerTOTP()
	s.registerTenants()
	s.registerUsers()
	s.registerAudit()
	s.registerLangganan()
	s.registerOnboarding()
	s.registerUndangan()
	s.registerTagihan()
	s.registerPenutupan()
	s.registerUMKM()
	s.registerImports()
	s.registerKendala()
	s.registerRegistrasi()
	s.registerKoperasi()
	s.registerProgram()
	s.registerTumpang()
	s.registerProgramEkspor()
	s.registerReklasifikasi()
	s.registerDasbor()
	s.registerPendanaan()
	s.registerLuar()
	s.registerLaporan()
	s.registerPemasaran()
	s.registerKemitraan()
	s.registerKlinik()
	s.registerPasar()
	s.registerKonsinyasi()

	mux.Handle("GET /docs/", v5emb.New("Sentra API", "/openapi.json", "/docs/"))
	mux.Handle("GET /docs", http.RedirectHandler("/docs/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	s.registerAdmin(mux)
	if d.Pages != nil {
		for _, p := range d.Pages.Patterns() {
			mux.Handle(p, d.Pages)
		}
	}
	if d.Metrics != nil && d.MetricsAccess != nil {
		mux.Handle("GET /metrics", metricsRoute(d.Metrics, *d.MetricsAccess, d.Logger))
	}

	// http.CrossOriginProtection refuses cross-site unsafe requests from
	// browsers (Sec-Fetch-Site / Origin): CSRF protection for the cookie
	// session, harmless for bearer clients, which send neither header.
	csrf := http.NewCrossOriginProtection()
	s.handler = securityHeaders(s.observe(csrf.Handler(problemsForUnrouted(mux))), d.SecureCookies)
	return s
}

var installProblems sync.Once

// problemsForUnrouted answers requests no route takes (unknown path, or a
// method the path does not have) with problem+json like every other error,
// instead of the mux's plain text.
func problemsForUnrouted(mux *http.ServeMux) http.Handler {
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			tenancy.Note(r.Context()).Route = pattern
			mux.ServeHTTP(w, r)
			return
		}
		lang := language(r.Header.Get("Accept-Language"))
		var allow []string
		for _, m := range methods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			writeProblem(w, fromAppErr(apperr.NotFound(), lang))
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, &Problem{ErrorModel: huma.ErrorModel{Status: http.StatusMethodNotAllowed, Title: http.StatusText(http.StatusMethodNotAllowed),
			Detail: apperr.T("Metode ini tidak tersedia untuk alamat ini.", "This method is not available for this path.").In(lang)}})
	})
}

// Handler is the whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.handler }

// API exposes the Huma API (for the OpenAPI document and its tests).
func (s *Server) API() huma.API { return s.api }

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// observe gives every request an id (kept from X-Request-Id when sane), a
// logger carrying it, an access log line, its metrics and recovery from
// panics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		info := &tenancy.RequestInfo{}
		ctx := tenancy.WithRequestID(r.Context(), id)
		ctx = tenancy.WithRequestInfo(ctx, info)
		ctx = withLogger(ctx, s.Logger)
		ctx = tenancy.WithClientAddr(ctx, remoteHost(r, s.TrustProxy))
		ctx = db.WithWork(ctx) // a request never waits on the pool for itself
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.ErrorContext(ctx, "panic", "panic", v, "stack", string(debug.Stack()))
				if !rec.wrote {
					writeProblem(rec, internalProblem(ctx, language(r.Header.Get("Accept-Language")), http.StatusInternalServerError, nil))
				}
			}
			// The path only: query strings may carry names searched for.
			attrs := []any{"method", r.Method, "path", loggedPath(r.URL.Path), "status", rec.status,
				"duration_ms", float64(time.Since(start).Microseconds()) / 1000}
			if info.Tenant != "" {
				attrs = append(attrs, "tenant", info.Tenant)
			}
			if info.UserID != "" {
				attrs = append(attrs, "user_id", info.UserID)
			}
			s.Logger.InfoContext(ctx, "request", attrs...)
			s.Metrics.Request(metricsOperation(info), rec.status, time.Since(start))
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// loggedPath is a request path as the access log keeps it. A public
// registration's tracking code is the applicant's only credential (whoever
// holds it reads the registration's status), an invitation's token makes an
// account and a bundle's download token reads all of an office's data: the
// log names the parameter instead.
func loggedPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "/v1/public/"); ok {
		for secret, shown := range secretSegments {
			if tenant, code, ok := strings.Cut(rest, secret); ok && code != "" {
				return "/v1/public/" + tenant + secret + shown
			}
		}
	}
	// The invitation's page in the web app: /undangan/{tenant}/{token}.
	if rest, ok := strings.CutPrefix(p, "/undangan/"); ok {
		if tenant, token, ok := strings.Cut(rest, "/"); ok && token != "" {
			return "/undangan/" + tenant + "/{token}"
		}
	}
	return p
}

// secretSegments are the public paths whose rest is a secret: a
// registration's tracking code, an invitation's single-use token, a
// bundle's signed download token.
var secretSegments = map[string]string{"/registrasi/": "{kode}", "/undangan/": "{token}", "/bundel/": "{token}"}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
