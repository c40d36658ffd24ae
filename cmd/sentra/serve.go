package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"
	"riverqueue.com/riverui"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/db"
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
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/internal/web"
)

func cmdServe(ctx context.Context, args []string, withHTTP bool) error {
	name, what := "serve", "Runs the HTTP API and, unless --workers=false, the background workers."
	if !withHTTP {
		name, what = "worker", "Runs the background workers only."
	}
	fs := newFlagSet(name, what)
	var c common
	var s server
	c.register(fs)
	s.register(fs, withHTTP)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := s.check(withHTTP); err != nil {
		return err
	}
	logger, err := logging.New(os.Stderr, c.logLevel, c.logFormat)
	if err != nil {
		return err
	}
	if c.databaseURL == "" {
		return errors.New("DATABASE_URL is not set (or use `sentra demo` for a private database)")
	}
	sealer, err := c.sealer()
	if err != nil {
		return err
	}
	api, work, err := s.openPools(ctx, c.databaseURL, withHTTP)
	if err != nil {
		return err
	}
	defer closePools(api, work)
	var ln net.Listener
	if withHTTP {
		if ln, err = net.Listen("tcp", s.addr); err != nil {
			return err
		}
	}
	return runtime{logger: logger, api: api, work: work, sealer: sealer, server: s, listener: ln}.run(ctx, nil)
}

// openPools opens the process's connection pools. The API and the workers
// have separate budgets, so a request never waits behind jobs for a
// connection; each has a small side pool for progress and failure records
// (see db.Options). A process without workers has no worker pool (work is
// api: River only enqueues, in the request's transaction); one without
// HTTP has no API pool (api is work).
func (s server) openPools(ctx context.Context, url string, withHTTP bool) (api, work *db.DB, err error) {
	if withHTTP {
		if api, err = db.Open(ctx, url, db.Options{MaxConns: int32(s.apiConns), SideConns: sideConns}); err != nil {
			return nil, nil, err
		}
		if !s.workers {
			return api, api, nil
		}
	}
	if work, err = db.Open(ctx, url, db.Options{MaxConns: s.workerPoolConns(), SideConns: sideConns}); err != nil {
		if api != nil {
			api.Close()
		}
		return nil, nil, err
	}
	if api == nil {
		api = work
	}
	return api, work, nil
}

// sideConns: progress writes are short and few at a time.
const sideConns = 2

func closePools(api, work *db.DB) {
	if work != api {
		work.Close()
	}
	api.Close()
}

// runtime is a running Sentra process: API and/or workers on one database,
// each on its own pool.
type runtime struct {
	logger   *slog.Logger
	api      *db.DB // requests
	work     *db.DB // jobs (api itself when this process works none)
	sealer   *pii.Sealer
	mail     *surel.Mailer // nil: mail is off
	server   server
	listener net.Listener // nil: workers only
}

// run serves until ctx ends, then shuts down in order: stop taking requests
// and finish those in flight, then stop the workers (running jobs get the
// shutdown timeout to finish). ready, if set, is called once serving.
func (r runtime) run(ctx context.Context, ready func()) error {
	var err error
	if r.mail, err = r.mailer(); err != nil {
		return err
	}
	pm, err := r.startMetrics()
	if err != nil {
		return err
	}
	defer pm.close() // on an early return; shut down in order below
	accounts, registry, cooperatives := r.services(r.api, pm)
	workAccounts, workRegistry, workCooperatives := accounts, registry, cooperatives
	if r.work != r.api {
		workAccounts, workRegistry, workCooperatives = r.services(r.work, pm)
	}
	ledger, err := r.ledger()
	if err != nil {
		return err
	}
	billing := func(d *db.DB) *langganan.Billing {
		return &langganan.Billing{DB: d, Ledger: ledger, PPN: langganan.DefaultPPN, APIVersion: stripe.APIVersion, Now: time.Now, Logger: r.logger}
	}
	client, err := jobs.NewClient(jobs.Config{Work: r.server.workers, PollOnly: r.server.pollOnly,
		MaxWorkers: r.server.maxWorkers, LongWorkers: r.server.longWorkers, TenantLongJobs: r.server.tenantLongJobs,
		Logger: r.logger, Middleware: []rivertype.Middleware{pm.RiverMiddleware()}},
		jobs.Services{DB: r.work, Accounts: workAccounts, UMKM: workRegistry, Koperasi: workCooperatives, Billing: billing(r.work),
			Bundel: r.bundel(r.work), Logger: r.logger, Luar: r.luar(r.work),
			Program:    &program.Service{DB: r.work, Logger: r.logger, Now: time.Now, Sealer: r.sealer},
			Tumpang:    &tumpang.Service{DB: r.work, Logger: r.logger, Now: time.Now},
			Kemitraan:  &kemitraan.Service{DB: r.work, Logger: r.logger, Now: time.Now},
			Konsinyasi: &konsinyasi.Service{DB: r.work, Logger: r.logger, Now: time.Now}})
	if err != nil {
		return err
	}
	warnSlowSearch(ctx, r.api, r.logger)
	if r.server.workers {
		if err := client.Start(ctx); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
		go jobs.Detak{DB: r.work, ClientID: client.ID(), Logger: r.logger,
			Every: jobs.DefaultBeat, Stale: jobs.DefaultStale}.Run(ctx)
		r.logger.Info("workers started", "max_workers", r.server.maxWorkers, "long_workers", r.server.longWorkers,
			"tenant_long_jobs", r.server.tenantLongJobs, "worker_conns", r.work.Pool.Config().MaxConns)
	}

	var httpServer *http.Server
	serveErr := make(chan error, 1)
	if r.listener != nil {
		if r.server.sessionCache {
			// LISTEN needs a direct connection; through a transaction pooler
			// the cache hears no heartbeat and stays off.
			direct := r.api.Pool.Config().ConnConfig
			if r.server.listenURL != "" {
				if direct, err = pgx.ParseConfig(r.server.listenURL); err != nil {
					return fmt.Errorf("--listen-database-url: %w", err)
				}
			}
			accounts.Sessions = account.NewSessionCache(r.logger)
			go accounts.Sessions.Listen(ctx, direct, r.api.Pool)
		}
		az, err := authz.New(ctx, r.api.Pool)
		if err != nil {
			return err
		}
		ui, err := riverui.NewHandler(&riverui.HandlerOpts{
			Endpoints: riverui.NewEndpoints(client, nil), Logger: r.logger, Prefix: "/admin/jobs",
		})
		if err != nil {
			return fmt.Errorf("river ui: %w", err)
		}
		if err := ui.Start(ctx); err != nil {
			return fmt.Errorf("river ui: %w", err)
		}
		dashboards := &dasbor.Service{DB: r.api, Logger: r.logger, Now: time.Now, Ambang: r.server.smallCell,
			Kategori: httpapi.DasborKategori()}
		tenants := &tenant.Store{DB: r.api, Logger: r.logger}
		apiBilling := billing(r.api)
		funding := &pendanaan.Service{DB: r.api, Logger: r.logger, Now: time.Now}
		partnerships := &kemitraan.Service{DB: r.api, Logger: r.logger, Now: time.Now}
		overlap := &tumpang.Service{DB: r.api, Logger: r.logger, Now: time.Now}
		programmes := &program.Service{DB: r.api, Logger: r.logger, Now: time.Now, Tumpang: overlap, Sealer: r.sealer}
		lists := r.luar(r.api)
		marketing := &pemasaran.Service{DB: r.api, Logger: r.logger, Now: time.Now, Rujuk: httpapi.PemasaranRujuk(registry)}
		clinic := &klinik.Service{DB: r.api, Logger: r.logger, Now: time.Now, Register: registry, Throttle: umkm.PublicThrottle{UMKM: registry}}
		markets := &pasar.Service{DB: r.api, Logger: r.logger, Now: time.Now}
		consignment := &konsinyasi.Service{DB: r.api, Logger: r.logger, Now: time.Now}
		pages, err := web.New(web.Deps{Logger: r.logger, Accounts: accounts, Tenants: tenants, Authz: az, Program: programmes, Tumpang: overlap,
			UMKM: registry, Dasbor: dashboards, DB: r.api, Queue: client, Koperasi: cooperatives, Pendanaan: funding,
			SecureCookies: r.server.secureCookies, Billing: apiBilling, Bundel: r.bundel(r.api), Luar: lists, Pemasaran: marketing, Kemitraan: partnerships, Klinik: clinic, Pasar: markets, Konsinyasi: consignment})
		if err != nil {
			return err
		}
		api := httpapi.New(httpapi.Deps{Logger: r.logger, DB: r.api, Accounts: accounts, Authz: az,
			Tenants: tenants, Jobs: ui, UMKM: registry, Koperasi: cooperatives,
			Program: programmes, Pasar: markets,
			Pendanaan: funding, Pemasaran: marketing, Kemitraan: partnerships, Konsinyasi: consignment, Dasbor: dashboards, Queue: client, Pages: pages,
			SecureCookies: r.server.secureCookies, TrustProxy: r.server.trustProxy,
			Metrics: pm.Metrics, MetricsAccess: pm.onAPI(), Billing: apiBilling, WebhookSecrets: r.server.stripe.WebhookSecrets,
			Bundel: r.bundel(r.api), Luar: lists, Klinik: clinic})
		httpServer = &http.Server{
			Handler:           api.Handler(),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       2 * time.Minute, // uploads; Huma bounds bodies per operation
			WriteTimeout:      5 * time.Minute, // exports stream
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(r.logger.Handler(), slog.LevelWarn),
		}
		go func() { serveErr <- httpServer.Serve(r.listener) }()
		r.logger.Info("serving", "addr", r.listener.Addr().String(), "version", version)
	}
	if ready != nil {
		ready()
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
	}
	r.logger.Info("shutting down", "timeout", r.server.shutdownTimeout.String())
	stopCtx, cancel := context.WithTimeout(context.Background(), r.server.shutdownTimeout)
	defer cancel()
	var errs []error
	if httpServer != nil {
		if err := httpServer.Shutdown(stopCtx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	}
	if r.server.workers {
		if err := client.Stop(stopCtx); err != nil {
			errs = append(errs, fmt.Errorf("stop workers: %w", err))
		}
	}
	if err := pm.stop(stopCtx); err != nil {
		errs = append(errs, fmt.Errorf("metrics shutdown: %w", err))
	}
	r.logger.Info("stopped")
	return errors.Join(errs...)
}

// ledger is Stripe, or nil when no key is configured (billing off, said
// once at start).
func (r runtime) ledger() (langganan.Ledger, error) {
	cfg := r.server.stripe
	if !cfg.Enabled() {
		r.logger.Warn("billing is off: no Stripe key (--stripe-key); contracts and payments answer 503 billing_off, everything else works")
		return nil, nil
	}
	c, err := stripe.New(cfg, r.logger)
	if err != nil {
		return nil, err
	}
	if len(cfg.WebhookSecrets) == 0 {
		r.logger.Warn("no Stripe webhook secret (--stripe-webhook-secret): webhook events are refused; the daily clock still syncs")
	}
	r.logger.Info("billing on", "stripe_url", cmp.Or(cfg.URL, "https://api.stripe.com"), "livemode", c.Livemode())
	return c, nil
}

// mailer is the SMTP relay, or nil when none is configured (said once).
func (r runtime) mailer() (*surel.Mailer, error) {
	if !r.server.surel.Enabled() {
		r.logger.Info("mail is off: no SMTP relay (--smtp-addr); invitation links are shown to whoever invited")
		return nil, nil
	}
	m, err := surel.New(r.server.surel)
	if err != nil {
		return nil, err
	}
	r.logger.Info("mail on", "smtp_addr", r.server.surel.Addr, "public_url", r.server.surel.PublicURL)
	return m, nil
}

// bundel makes and serves offices' export bundles on one pool.
func (r runtime) bundel(d *db.DB) *bundel.Service {
	return &bundel.Service{DB: d, Sealer: r.sealer, Now: time.Now, Logger: r.logger}
}

// services are the domain services on one pool.
func (r runtime) services(d *db.DB, pm *processMetrics) (*account.Service, *umkm.Service, *koperasi.Service) {
	accounts := &account.Service{DB: d, Logger: r.logger, Now: time.Now, TokenTTL: r.server.tokenTTL, Throttle: account.DefaultThrottle,
		Sealer: r.sealer, Mailer: r.mail}
	if accounts.TokenTTL == 0 {
		accounts.TokenTTL = 12 * time.Hour
	}
	return accounts, &umkm.Service{DB: d, Sealer: r.sealer, Logger: r.logger, Now: time.Now, Imports: pm.Metrics},
		&koperasi.Service{DB: d, Logger: r.logger, Now: time.Now}
}

// luar is the service of other agencies' lists on d, with the register's
// identifier rules.
func (r runtime) luar(d *db.DB) *luar.Service {
	return &luar.Service{DB: d, Sealer: r.sealer, Logger: r.logger, Now: time.Now, NIK: umkm.NormalizeNIK, NIB: umkm.NormalizeNIB}
}

// warnSlowSearch says so when the superuser setup (migrations/superuser.sql)
// was skipped: search still works, but reads every row of a tenant.
func warnSlowSearch(ctx context.Context, d *db.DB, logger *slog.Logger) {
	var leakproof bool
	err := d.Pool.QueryRow(ctx, "select coalesce(bool_and(proleakproof), false) from pg_proc where proname in ('word_similarity_op', 'word_similarity_commutator_op')").Scan(&leakproof)
	if err == nil && !leakproof {
		logger.Warn("name search cannot use its index under row-level security: run migrations/superuser.sql as a superuser (see deploy/README.md)")
	}
	var immutable bool
	err = d.Pool.QueryRow(ctx, "select coalesce(bool_and(provolatile = 'i'), false) from pg_proc where oid = 'public.unaccent(regdictionary, text)'::regprocedure").Scan(&immutable)
	if err == nil && !immutable {
		logger.Warn("the words of names are computed without inlining (slower imports and searches): run migrations/superuser.sql as a superuser (see deploy/README.md)")
	}
}
