package httpapi

// The tests of this package drive the real server (the same wiring as
// cmd/sentra/serve.go) over HTTP against a fresh, migrated PostgreSQL
// database per test, connected as the application role, so authorization and
// row-level security are exercised exactly as in production.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"riverqueue.com/riverui"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/logging"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/metrics"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/stripe"
	"github.com/sentra-id/sentra/internal/stripemock"
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/surel/sureltest"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testPassword is every test user's password.
const testPassword = "kata-sandi-uji-2026"

// testUser is an account created by setup.
type testUser struct {
	ID    uuid.UUID
	Email string
}

// testBundle is one server on its own database.
type testBundle struct {
	env     *dbtest.Env
	srv     *Server
	ts      *httptest.Server
	client  *http.Client         // does not follow redirects
	tenants map[string]uuid.UUID // slug → id
	logs    *syncBuffer          // everything the server logged (printed when the test fails)
	billing *langganan.Billing   // off unless withStripe
	relay   *sureltest.Relay     // the SMTP relay, with withMail

	// The users, one per role: admin/staf/viewer of depok and medan, the
	// viewer of province 32 (Jawa Barat: depok and karawang) and a platform
	// admin.
	depokAdmin, depokStaf, depokViewer testUser
	medanAdmin, medanStaf, medanViewer testUser
	provinceViewer, platformAdmin      testUser
}

type setupConfig struct {
	jobs, secure bool
	metrics      *metrics.Access
	stripe       bool
	mail         bool
}

// withMail mails invitations through an SMTP relay on loopback (b.relay).
func withMail(c *setupConfig) { c.mail = true }

// withStripe bills through the official stripe-mock (started for the
// test), with webhookSecret verifying events.
func withStripe(c *setupConfig) { c.stripe = true }

// webhookSecret signs the tests' Stripe events.
const webhookSecret = "whsec_uji_sentra"

// withJobs mounts River UI under /admin/jobs/ as serve.go does.
func withJobs(c *setupConfig) { c.jobs = true }

// withMetrics measures the server as serve.go does and serves /metrics to
// those access allows.
func withMetrics(access metrics.Access) func(*setupConfig) {
	return func(c *setupConfig) { c.metrics = &access }
}

// withSecureCookies serves as with --secure-cookies (behind HTTPS).
func withSecureCookies(c *setupConfig) { c.secure = true }

// setup builds the production server on a fresh database holding the four
// real tenants and one user per role.
func setup(t *testing.T, opts ...func(*setupConfig)) *testBundle {
	t.Helper()
	var cfg setupConfig
	for _, o := range opts {
		o(&cfg)
	}
	ctx := context.Background()
	env := dbtest.New(t)
	b := &testBundle{env: env, tenants: map[string]uuid.UUID{}, logs: &syncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", b.logs.String())
		}
	})
	logger, err := logging.New(b.logs, "debug", "text")
	if err != nil {
		t.Fatal(err)
	}

	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatalf("load tenants: %v", err)
	}
	store := &tenant.Store{DB: env.DB, Logger: logger}
	synced, err := store.Sync(ctx, cfgs)
	if err != nil {
		t.Fatalf("sync tenants: %v", err)
	}
	for _, r := range synced {
		b.tenants[r.Slug] = r.ID
	}

	// Hashing a password is the slow part of a user (argon2id): hash them
	// concurrently, each user in its own transaction.
	users := []struct {
		dst    *testUser
		email  string
		domain tenancy.Domain
		role   tenancy.Role
	}{
		{&b.depokAdmin, "admin@depok.test", "depok", tenancy.RoleAdmin},
		{&b.depokStaf, "staf@depok.test", "depok", tenancy.RoleStaf},
		{&b.depokViewer, "viewer@depok.test", "depok", tenancy.RoleViewer},
		{&b.medanAdmin, "admin@medan.test", "medan", tenancy.RoleAdmin},
		{&b.medanStaf, "staf@medan.test", "medan", tenancy.RoleStaf},
		{&b.medanViewer, "viewer@medan.test", "medan", tenancy.RoleViewer},
		{&b.provinceViewer, "viewer@jabar.test", tenancy.ProvinceDomain("32"), tenancy.RoleProvinceViewer},
		{&b.platformAdmin, "admin@sentra.test", tenancy.PlatformDomain, tenancy.RolePlatformAdmin},
	}
	var wg sync.WaitGroup
	errs := make([]error, len(users))
	for i, u := range users {
		wg.Go(func() {
			errs[i] = env.DB.InTx(ctx, func(tx pgx.Tx) error {
				id, err := account.CreateUser(ctx, tx, u.email, "Pengguna "+string(u.role), testPassword)
				if err != nil {
					return err
				}
				*u.dst = testUser{ID: id, Email: u.email}
				return account.Grant(ctx, tx, id, u.domain, u.role, nil, nil)
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("create %s: %v", users[i].email, err)
		}
	}

	// The wiring of cmd/sentra/serve.go.
	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	accounts := &account.Service{DB: env.DB, Logger: logger, Now: time.Now, TokenTTL: 12 * time.Hour, Throttle: account.DefaultThrottle,
		Sessions: account.NewSessionCache(logger), Sealer: sealer}
	if cfg.mail {
		b.relay = sureltest.Start(t)
		if accounts.Mailer, err = surel.New(surel.Config{Addr: b.relay.Addr, From: "Sentra <noreply@sentra.test>", Username: sureltest.User,
			Password: sureltest.Password, PublicURL: "https://sentra.test", InsecureTLS: true}); err != nil {
			t.Fatal(err)
		}
	}
	listenCtx, stopListening := context.WithCancel(ctx)
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		accounts.Sessions.Listen(listenCtx, env.DB.Pool.Config().ConnConfig, env.DB.Pool)
	}()
	t.Cleanup(func() { stopListening(); <-listening })
	for deadline := time.Now().Add(10 * time.Second); !accounts.Sessions.Listening(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("session cache: not listening after 10 s")
		}
	}
	az, err := authz.New(ctx, env.DB.Pool)
	if err != nil {
		t.Fatalf("authz: %v", err)
	}
	registry := &umkm.Service{DB: env.DB, Sealer: sealer, Logger: logger, Now: time.Now}
	cooperatives := &koperasi.Service{DB: env.DB, Logger: logger, Now: time.Now}
	lists := &luar.Service{DB: env.DB, Sealer: sealer, Logger: logger, Now: time.Now, NIK: umkm.NormalizeNIK, NIB: umkm.NormalizeNIB}
	// A client that enqueues only (an API process started with --workers=false).
	client, err := jobs.NewClient(jobs.Config{Work: false, Logger: logger},
		jobs.Services{DB: env.DB, Accounts: accounts, UMKM: registry, Koperasi: cooperatives, Logger: logger, Luar: lists})
	if err != nil {
		t.Fatalf("river client: %v", err)
	}
	dashboards := &dasbor.Service{DB: env.DB, Logger: logger, Now: time.Now, Ambang: dasbor.DefaultAmbang, Kategori: DasborKategori()}
	deps := Deps{Logger: logger, DB: env.DB, Accounts: accounts, Authz: az, Tenants: store, UMKM: registry, Koperasi: cooperatives,
		Pasar:      &pasar.Service{DB: env.DB, Logger: logger, Now: time.Now},
		Program:    &program.Service{DB: env.DB, Logger: logger, Now: time.Now, Tumpang: &tumpang.Service{DB: env.DB, Logger: logger, Now: time.Now}, Sealer: sealer},
		Pendanaan:  &pendanaan.Service{DB: env.DB, Logger: logger, Now: time.Now},
		Pemasaran:  &pemasaran.Service{DB: env.DB, Logger: logger, Now: time.Now, Rujuk: PemasaranRujuk(registry)},
		Kemitraan:  &kemitraan.Service{DB: env.DB, Logger: logger, Now: time.Now},
		Konsinyasi: &konsinyasi.Service{DB: env.DB, Logger: logger, Now: time.Now},
		Dasbor:     dashboards, Queue: client, SecureCookies: cfg.secure,
		Bundel: &bundel.Service{DB: env.DB, Sealer: sealer, Now: time.Now, Logger: logger}, Luar: lists,
		Klinik: &klinik.Service{DB: env.DB, Logger: logger, Now: time.Now, Register: registry,
			Throttle: umkm.PublicThrottle{UMKM: registry}}}
	if cfg.metrics != nil {
		m := metrics.New()
		if err := m.AddPool("api", env.DB.Pool); err != nil {
			t.Fatal(err)
		}
		if err := m.WatchJobs(env.DB.Pool, db.RiverSchema); err != nil {
			t.Fatal(err)
		}
		registry.Imports = m
		deps.Metrics, deps.MetricsAccess = m, cfg.metrics
	}
	if cfg.jobs {
		ui, err := riverui.NewHandler(&riverui.HandlerOpts{
			Endpoints: riverui.NewEndpoints(client, nil), Logger: logger, Prefix: "/admin/jobs",
		})
		if err != nil {
			t.Fatalf("river ui: %v", err)
		}
		uiCtx, stop := context.WithCancel(ctx)
		t.Cleanup(stop) // runs before the database closes (cleanups run last-in first-out)
		if err := ui.Start(uiCtx); err != nil {
			t.Fatalf("river ui: %v", err)
		}
		deps.Jobs = ui
	}
	deps.Billing = &langganan.Billing{DB: env.DB, PPN: langganan.DefaultPPN, APIVersion: stripe.APIVersion, Now: time.Now, Logger: logger}
	if cfg.stripe {
		mock := stripemock.ForTest(t)
		ledger, err := stripe.New(stripe.Config{Key: stripemock.Key, URL: mock.URL}, logger)
		if err != nil {
			t.Fatal(err)
		}
		deps.Billing.Ledger, deps.WebhookSecrets = ledger, []string{webhookSecret}
	}
	b.billing = deps.Billing
	b.srv = New(deps)
	b.ts = httptest.NewServer(b.srv.Handler())
	t.Cleanup(b.ts.Close)
	b.client = &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return b
}

// response is an answer as a test sees it.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any // the decoded JSON object, nil if the body is none
}

// problem decodes the body as problem+json, failing unless it is one.
func (r response) problem(t *testing.T) testProblem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, r.raw)
	}
	var p testProblem
	if err := json.Unmarshal(r.raw, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, r.raw)
	}
	if p.Status != r.status {
		t.Errorf("problem status %d, response status %d", p.Status, r.status)
	}
	return p
}

// decode decodes the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.raw, v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, r.raw)
	}
}

type testProblem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// field returns the message of the error at location, and whether there is one.
func (p testProblem) field(location string) (string, bool) {
	for _, e := range p.Errors {
		if e.Location == location {
			return e.Message, true
		}
	}
	return "", false
}

func (p testProblem) locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// do sends a request. body is nil (none), a string or []byte (sent as is) or
// any other value (sent as JSON). headers are name, value pairs.
func (b *testBundle) do(t *testing.T, method, path, token string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case []byte:
		rd = bytes.NewReader(v)
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if len(headers)%2 != 0 {
		t.Fatalf("headers must be name, value pairs: %q", headers)
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(t, req)
}

func (b *testBundle) send(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		_ = json.Unmarshal(raw, &r.body)
	}
	return r
}

// login logs in with the test password and returns the bearer token.
func (b *testBundle) login(t *testing.T, email string) string {
	t.Helper()
	r := b.do(t, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": email, "password": testPassword})
	if r.status != http.StatusOK {
		t.Fatalf("login %s: %d %s", email, r.status, r.raw)
	}
	token, _ := r.body["token"].(string)
	if token == "" {
		t.Fatalf("login %s: no token in %s", email, r.raw)
	}
	return token
}

// count runs a count query as the application role, in the tenant's
// transaction when slug is not empty (tenant tables are under RLS).
func (b *testBundle) count(t *testing.T, slug, query string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	var n int
	fn := func(tx pgx.Tx) error { return tx.QueryRow(ctx, query, args...).Scan(&n) }
	var err error
	if slug == "" {
		err = b.env.DB.InTx(ctx, fn)
	} else {
		err = b.env.DB.InTenantTx(ctx, b.tenants[slug], fn)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
