// Package webtest starts the real Sentra server, API and web pages on one
// handler exactly as cmd/sentra/serve.go wires them, over httptest on a
// fresh PostgreSQL database (internal/dbtest, as the application role, so
// row-level security is exercised): the four real tenants, one user per
// role, real services. For the web package's handler tests and the
// browser tests; never imported by production code.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/logging"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/stripe"
	"github.com/sentra-id/sentra/internal/stripemock"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web"
	"github.com/sentra-id/sentra/tenants"
)

// Password is every test user's password.
const Password = "kata-sandi-uji-2026"

// Users, by e-mail: one per role. The petugas of Depok works in
// PetugasKecamatan only.
const (
	StafDepok    = "staf@depok.test"
	AdminDepok   = "admin@depok.test"
	ViewerDepok  = "viewer@depok.test"
	PetugasDepok = "petugas@depok.test"
	StafMedan    = "staf@medan.test"
	// Multi holds roles in two offices (staf of Depok, viewer of Medan).
	Multi = "dua@kantor.test"
	// ProvinsiJabar is a province viewer of Jawa Barat (32: Depok and
	// Karawang); Platform a platform admin.
	ProvinsiJabar = "jabar@province.test"
	Platform      = "platform@sentra.test"
)

// Server is one running server on its own database.
type Server struct {
	URL     string
	Env     *dbtest.Env
	Tenants map[string]*tenancy.Tenant // slug → tenant
	// Store is the server's tenant store: a test that changes an office's
	// state tells it (Forget), as the server's own writes do.
	Store    *tenant.Store
	UMKM     *umkm.Service
	Program  *program.Service
	Pasar    *pasar.Service
	Accounts *account.Service
	// Pendanaan is funding, as the server runs it.
	Pendanaan *pendanaan.Service
	// Pemasaran is marketing points, products and curation.
	Pemasaran *pemasaran.Service
	// Konsinyasi is the consignment ledgers.
	Konsinyasi *konsinyasi.Service
	// PetugasKecamatan is the code of the kecamatan the petugas of Depok
	// works in (the first of Depok).
	PetugasKecamatan string
	Logs             *SyncBuffer // everything the server logged
	// Luar is other agencies' lists, as the server runs them.
	Luar *luar.Service
	// Kemitraan is the partners and their agreements, as the server runs them.
	Kemitraan *kemitraan.Service
	// Klinik is the consultation clinic, as the server runs it.
	Klinik *klinik.Service

	services jobs.Services // what workers started by Work use
}

// Option changes how New builds the server.
type Option func(*options)

type options struct{ stripe bool }

// WithStripe bills through the official stripe-mock, started for the test
// (contracts and payments; without it billing is off and says so).
func WithStripe(o *options) { o.stripe = true }

// New starts the server; it stops when t ends. The register of Depok holds
// a generated sample of 60 businesses and its dashboard is computed.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var o options
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	env := dbtest.New(t)
	s := &Server{Env: env, Tenants: map[string]*tenancy.Tenant{}, Logs: &SyncBuffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", s.Logs.String())
		}
	})
	logger, err := logging.New(s.Logs, "debug", "text")
	if err != nil {
		t.Fatal(err)
	}
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatalf("load tenants: %v", err)
	}
	store := &tenant.Store{DB: env.DB, Logger: logger}
	s.Store = store
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatalf("sync tenants: %v", err)
	}
	var kemendagri = map[string]string{}
	for _, slug := range []string{"depok", "tangsel", "karawang", "medan"} {
		tn, err := store.BySlug(ctx, slug)
		if err != nil {
			t.Fatalf("tenant %s: %v", slug, err)
		}
		s.Tenants[slug], kemendagri[slug] = tn.Scope(), tn.KemendagriCode
	}
	kec, err := store.ListWilayah(ctx, s.Tenants["depok"].ID, "", 1)
	if err != nil || len(kec) == 0 {
		t.Fatalf("kecamatan of depok: %v", err)
	}
	s.PetugasKecamatan = kec[0].Kode
	s.users(t)

	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	// No session cache: a test that ends a session in the database sees it
	// ended on the next request.
	accounts := &account.Service{DB: env.DB, Logger: logger, Now: time.Now, TokenTTL: 12 * time.Hour,
		Throttle: account.DefaultThrottle, Sealer: sealer}
	s.Accounts = accounts
	az, err := authz.New(ctx, env.DB.Pool)
	if err != nil {
		t.Fatalf("authz: %v", err)
	}
	s.UMKM = &umkm.Service{DB: env.DB, Sealer: sealer, Logger: logger, Now: time.Now}
	cooperatives := &koperasi.Service{DB: env.DB, Logger: logger, Now: time.Now}
	bundles := &bundel.Service{DB: env.DB, Sealer: sealer, Now: time.Now, Logger: logger}
	s.Luar = &luar.Service{DB: env.DB, Sealer: sealer, Logger: logger, Now: time.Now, NIK: umkm.NormalizeNIK, NIB: umkm.NormalizeNIB}
	s.services = jobs.Services{DB: env.DB, Accounts: accounts, UMKM: s.UMKM, Koperasi: cooperatives, Bundel: bundles, Logger: logger, Luar: s.Luar}
	client, err := jobs.NewClient(jobs.Config{Work: false, Logger: logger}, s.services)
	if err != nil {
		t.Fatalf("river client: %v", err)
	}
	dashboards := &dasbor.Service{DB: env.DB, Logger: logger, Now: time.Now, Ambang: dasbor.DefaultAmbang,
		Kategori: httpapi.DasborKategori()}
	// The wiring of cmd/sentra/serve.go: one Billing for the pages and the
	// API, off without Stripe.
	billing := &langganan.Billing{DB: env.DB, PPN: langganan.DefaultPPN, APIVersion: stripe.APIVersion, Now: time.Now, Logger: logger}
	if o.stripe {
		mock := stripemock.ForTest(t)
		if billing.Ledger, err = stripe.New(stripe.Config{Key: stripemock.Key, URL: mock.URL}, logger); err != nil {
			t.Fatal(err)
		}
	}
	s.services.Billing = billing
	s.Pendanaan = &pendanaan.Service{DB: env.DB, Logger: logger, Now: time.Now}
	s.Kemitraan = &kemitraan.Service{DB: env.DB, Logger: logger, Now: time.Now}
	overlap := &tumpang.Service{DB: env.DB, Logger: logger, Now: time.Now}
	s.Program = &program.Service{DB: env.DB, Logger: logger, Now: time.Now, Tumpang: overlap, Sealer: sealer}
	s.services.Program, s.services.Tumpang = s.Program, overlap
	s.Pemasaran = &pemasaran.Service{DB: env.DB, Logger: logger, Now: time.Now, Rujuk: httpapi.PemasaranRujuk(s.UMKM)}
	s.Klinik = &klinik.Service{DB: env.DB, Logger: logger, Now: time.Now, Register: s.UMKM, Throttle: umkm.PublicThrottle{UMKM: s.UMKM}}
	s.Pasar = &pasar.Service{DB: env.DB, Logger: logger, Now: time.Now}
	s.Konsinyasi = &konsinyasi.Service{DB: env.DB, Logger: logger, Now: time.Now}
	pages, err := web.New(web.Deps{Logger: logger, Accounts: accounts, Tenants: store, Authz: az, UMKM: s.UMKM, Dasbor: dashboards, Program: s.Program, Tumpang: overlap,
		DB: env.DB, Queue: client, Koperasi: cooperatives, Pendanaan: s.Pendanaan, Billing: billing, Bundel: bundles,
		Luar: s.Luar, Pemasaran: s.Pemasaran, Kemitraan: s.Kemitraan, Klinik: s.Klinik, Pasar: s.Pasar, Konsinyasi: s.Konsinyasi})
	if err != nil {
		t.Fatalf("web: %v", err)
	}
	api := httpapi.New(httpapi.Deps{Logger: logger, DB: env.DB, Accounts: accounts, Authz: az, Tenants: store,
		UMKM: s.UMKM, Koperasi: cooperatives, Pendanaan: s.Pendanaan, Dasbor: dashboards, Queue: client, Pages: pages, Billing: billing, Bundel: bundles,
		Program: s.Program, Luar: s.Luar, Pemasaran: s.Pemasaran, Kemitraan: s.Kemitraan, Klinik: s.Klinik, Pasar: s.Pasar, Konsinyasi: s.Konsinyasi})

	depok := s.Tenants["depok"]
	if err := s.UMKM.Seed(ctx, depok, kemendagri["depok"], 60, 1); err != nil {
		t.Fatalf("seed depok: %v", err)
	}
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		_, err := dasbor.Refresh(ctx, tx, depok.ID)
		return err
	}); err != nil {
		t.Fatalf("dashboard of depok: %v", err)
	}

	ts := httptest.NewServer(api.Handler())
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// Work starts River workers for the jobs the server queues (imports,
// exports), as `sentra serve --workers` would; they stop when t ends.
// Without it queued jobs wait.
func (s *Server) Work(t testing.TB) {
	t.Helper()
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 1, LongWorkers: 1, Logger: s.services.Logger}, s.services)
	if err != nil {
		t.Fatalf("river workers: %v", err)
	}
	for _, id := range []string{"retention", "dasbor"} {
		client.PeriodicJobs().RemoveByID(id)
	}
	if err := client.Start(context.Background()); err != nil {
		t.Fatalf("start river workers: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.Stop(ctx); err != nil {
			t.Errorf("stop river workers: %v", err)
		}
	})
}

// users creates one account per role, hashing passwords concurrently
// (argon2id is the slow part).
func (s *Server) users(t testing.TB) {
	ctx := context.Background()
	type grant struct {
		domain  tenancy.Domain
		role    tenancy.Role
		wilayah []string
	}
	users := map[string][]grant{
		StafDepok:     {{"depok", tenancy.RoleStaf, nil}},
		AdminDepok:    {{"depok", tenancy.RoleAdmin, nil}},
		ViewerDepok:   {{"depok", tenancy.RoleViewer, nil}},
		PetugasDepok:  {{"depok", tenancy.RolePetugas, []string{s.PetugasKecamatan}}},
		StafMedan:     {{"medan", tenancy.RoleStaf, nil}},
		Multi:         {{"depok", tenancy.RoleStaf, nil}, {"medan", tenancy.RoleViewer, nil}},
		ProvinsiJabar: {{tenancy.ProvinceDomain("32"), tenancy.RoleProvinceViewer, nil}},
		Platform:      {{tenancy.PlatformDomain, tenancy.RolePlatformAdmin, nil}},
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for email, grants := range users {
		wg.Go(func() {
			err := s.Env.DB.InTx(ctx, func(tx pgx.Tx) error {
				id, err := account.CreateUser(ctx, tx, email, "Pengguna "+strings.Split(email, "@")[0], Password)
				if err != nil {
					return err
				}
				for _, g := range grants {
					if err := account.Grant(ctx, tx, id, g.domain, g.role, g.wilayah, nil); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("create users: %v", errs)
	}
}

// Exec runs SQL as the database's superuser (behind RLS), e.g. to end a
// session as time would.
func (s *Server) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.Env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// Count runs a count(*) query as the superuser (behind RLS): what the
// database holds, whatever a page says.
func (s *Server) Count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.Env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// ExpireSessions ends every session of the user with email, as its expiry
// would.
func (s *Server) ExpireSessions(t testing.TB, email string) {
	t.Helper()
	s.Exec(t, `update sessions set expires_at = now() - interval '1 second'
		where user_id = (select id from users where email = $1)`, email)
}

// Record records fact on the office as a platform admin's action does
// (the state follows from the facts) and returns its status.
func (s *Server) Record(t testing.TB, slug string, fact langganan.Fact) langganan.Status {
	t.Helper()
	svc := &langganan.Service{DB: s.Env.DB, Now: time.Now, Changed: s.Store.Forget}
	st, err := svc.Record(context.Background(), s.Tenants[slug].ID, slug, fact)
	if err != nil {
		t.Fatalf("record a fact of %s: %v", slug, err)
	}
	return st
}

// Kontrak gives the office a contract (plan dasar, invoices due 30 days
// after they are sent), as a platform admin records it but without its
// Stripe subscription, then mirrors invoices as the Stripe sync does. The
// state follows from those facts; the status is returned.
func (s *Server) Kontrak(t testing.TB, slug string, invoices ...langganan.StripeInvoice) langganan.Status {
	t.Helper()
	s.Record(t, slug, func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) error {
		_, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, plan_code, contract_at, contract_number, npwp, billing_email, days_until_due)
				values ($1, 'dasar', $2, '027/SPK/DISKOP-UKM/IV/2026', '012345678901000', 'bendahara@kantor.test', 30)
			on conflict (tenant_id) do update set plan_code = excluded.plan_code, contract_at = excluded.contract_at,
				contract_number = excluded.contract_number, npwp = excluded.npwp, billing_email = excluded.billing_email,
				days_until_due = excluded.days_until_due, version = tenant_billing.version + 1, updated_at = now()`, tenantID, now)
		return err
	})
	ctx := context.Background()
	id := s.Tenants[slug].ID
	var st langganan.Status
	err := s.Env.DB.InTenantTx(ctx, id, func(tx pgx.Tx) error {
		var err error
		st, _, err = langganan.Mirror(langganan.WithActor(ctx, "stripe"), tx, id, langganan.Fetched{Invoices: invoices}, time.Now())
		return err
	})
	if err != nil {
		t.Fatalf("mirror the invoices of %s: %v", slug, err)
	}
	s.Store.Forget(slug)
	return st
}

// Client is an HTTP client of the server with its own cookies; it does not
// follow redirects, so a test sees them.
func (s *Server) Client(t testing.TB) *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Client{t: t, base: s.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Client is a browser without JavaScript: cookies, forms, no redirects.
type Client struct {
	t    testing.TB
	base string
	http *http.Client
}

// Response is an answer as a test sees it.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Get fetches path.
func (c *Client) Get(path string) Response {
	c.t.Helper()
	return c.Do(http.MethodGet, path, nil, nil)
}

// Post submits a form to path as a page of the site would (same origin).
func (c *Client) Post(path string, form url.Values) Response {
	c.t.Helper()
	return c.Do(http.MethodPost, path, form, http.Header{"Origin": {c.base}, "Sec-Fetch-Site": {"same-origin"}})
}

// Upload submits a multipart form to path as a page of the site would:
// fields, and the file content named name in field file.
func (c *Client) Upload(path string, fields url.Values, file, name string, content []byte) Response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(file, name)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	if err := mw.Close(); err != nil {
		c.t.Fatal(err)
	}
	return c.send(http.MethodPost, path, &body, http.Header{"Origin": {c.base}, "Sec-Fetch-Site": {"same-origin"},
		"Content-Type": {mw.FormDataContentType()}})
}

// Do sends a request with a form body (nil: none) and extra headers.
func (c *Client) Do(method, path string, form url.Values, h http.Header) Response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
		h = h.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.send(method, path, body, h)
}

func (c *Client) send(method, path string, body io.Reader, h http.Header) Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
}

// Login signs in through /masuk and fails the test unless it succeeds.
func (c *Client) Login(email string) {
	c.t.Helper()
	r := c.Post("/masuk", url.Values{"email": {email}, "password": {Password}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("log in as %s: status %d, body %s", email, r.Status, r.Body)
	}
}

// SyncBuffer is a log sink safe for concurrent writers.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// PersonalData is what Depok's register holds about people, read through
// the API as its admin (who reads personal data unmasked): owners' names,
// business names (which often carry them), NIK, phones and addresses. A
// page a province viewer can reach must show none of it.
func (s *Server) PersonalData(t testing.TB) []string {
	t.Helper()
	c := s.Client(t)
	c.Login(AdminDepok)
	r := c.Get("/v1/tenants/depok/umkm?limit=500")
	if r.Status != http.StatusOK {
		t.Fatalf("list umkm: %d %s", r.Status, r.Body)
	}
	var page struct {
		Items []struct {
			NamaPemilik string  `json:"nama_pemilik"`
			NamaUsaha   string  `json:"nama_usaha"`
			NIK         *string `json:"nik"`
			Telepon     *string `json:"telepon"`
			Alamat      *string `json:"alamat"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(r.Body), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 50 {
		t.Fatalf("%d records, want Depok's sample", len(page.Items))
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, it.NamaPemilik, it.NamaUsaha)
		for _, p := range []*string{it.NIK, it.Telepon, it.Alamat} {
			if p != nil && *p != "" {
				out = append(out, *p)
			}
		}
	}
	return out
}

// nikLike is anything that looks like a NIK, whole or masked.
var nikLike = regexp.MustCompile(`\b[0-9]{16}\b|[0-9]{4}x{6,}`)

// ShowsPersonalData is the first of people (PersonalData) that page shows,
// or something that looks like a NIK; "" when none.
func ShowsPersonalData(page string, people []string) string {
	for _, s := range people {
		if len(s) >= 4 && strings.Contains(page, s) {
			return s
		}
	}
	return nikLike.FindString(page)
}

// Tenant is the office of slug as the server resolves it (one opened by a
// test too).
func (s *Server) Tenant(t testing.TB, slug string) *tenancy.Tenant {
	t.Helper()
	o, err := s.Store.Resolve(context.Background(), slug)
	if err != nil {
		t.Fatalf("office %s: %v", slug, err)
	}
	return o.Scope()
}

// Mirror stores invoices of an office as the Stripe sync does after
// fetching them (stripe-mock cannot make an invoice overdue) and applies
// its state; the server's cache is told.
func (s *Server) Mirror(t testing.TB, tenantID uuid.UUID, invoices ...langganan.StripeInvoice) {
	t.Helper()
	ctx := context.Background()
	if err := s.Env.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		_, _, err := langganan.Mirror(ctx, tx, tenantID, langganan.Fetched{Invoices: invoices}, time.Now())
		return err
	}); err != nil {
		t.Fatalf("mirror invoices: %v", err)
	}
	var slug string
	if err := s.Env.DB.InTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select slug from tenants where id = $1", tenantID).Scan(&slug)
	}); err != nil {
		t.Fatal(err)
	}
	s.Store.Forget(slug)
}
