package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/metrics"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/stripe"
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/umkm"
)

// One scheme for every setting: a flag --name, and an environment variable
// SENTRA_NAME (DATABASE_URL keeps its usual name). The flag wins; an empty
// variable counts as unset.

func env(name string) string { return strings.TrimSpace(os.Getenv(name)) }

func envString(name, def string) string {
	if v := env(name); v != "" {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, err := strconv.ParseBool(env(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(env(name)); err == nil {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(env(name)); err == nil {
		return v
	}
	return def
}

// common are the settings every subcommand that talks to the database takes.
type common struct {
	databaseURL string
	logLevel    string
	logFormat   string
	dataKey     string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.databaseURL, "database-url", env("DATABASE_URL"),
		"PostgreSQL URL of the application role (env DATABASE_URL). The app must connect as a role that owns no table and has NOBYPASSRLS.")
	fs.StringVar(&c.logLevel, "log-level", envString("SENTRA_LOG_LEVEL", "info"), "debug, info, warn or error (env SENTRA_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", envString("SENTRA_LOG_FORMAT", "json"), "json or text (env SENTRA_LOG_FORMAT)")
	fs.StringVar(&c.dataKey, "data-key", env("SENTRA_DATA_KEY"),
		"base64 of 32 random bytes that seal NIKs at rest (env SENTRA_DATA_KEY; e.g. openssl rand -base64 32). Keep it: without it sealed NIKs cannot be read.")
}

// sealer builds the NIK sealer from the data key.
func (c *common) sealer() (*pii.Sealer, error) {
	if c.dataKey == "" {
		return nil, errors.New("SENTRA_DATA_KEY is not set: 32 random bytes in base64 (openssl rand -base64 32) that seal NIKs at rest")
	}
	key, err := pii.ParseKey(c.dataKey)
	if err != nil {
		return nil, err
	}
	return pii.NewSealer(key)
}

// server are the settings of a process serving HTTP and/or working jobs.
type server struct {
	addr            string
	workers         bool
	maxWorkers      int
	longWorkers     int
	tenantLongJobs  int
	apiConns        int
	workerConns     int
	pollOnly        bool
	trustProxy      bool
	secureCookies   bool
	tokenTTL        time.Duration
	shutdownTimeout time.Duration
	smallCell       int
	sessionCache    bool
	listenURL       string
	metricsAddr     string
	metricsAllow    string
	metricsToken    string
	stripe          stripe.Config
	surel           surel.Config
}

func (s *server) register(fs *flag.FlagSet, withHTTP bool) {
	if withHTTP {
		fs.StringVar(&s.addr, "addr", envString("SENTRA_ADDR", ":8080"), "HTTP listen address (env SENTRA_ADDR)")
		fs.BoolVar(&s.workers, "workers", envBool("SENTRA_WORKERS", true), "also run the background workers (env SENTRA_WORKERS)")
		fs.BoolVar(&s.trustProxy, "trust-proxy", envBool("SENTRA_TRUST_PROXY", false),
			"take the client address from X-Forwarded-For; only behind a proxy that sets it (env SENTRA_TRUST_PROXY)")
		fs.BoolVar(&s.secureCookies, "secure-cookies", envBool("SENTRA_SECURE_COOKIES", false),
			"mark session cookies Secure; turn on when served over HTTPS (env SENTRA_SECURE_COOKIES)")
		fs.DurationVar(&s.tokenTTL, "token-ttl", envDuration("SENTRA_TOKEN_TTL", 12*time.Hour), "how long a login lasts (env SENTRA_TOKEN_TTL)")
		fs.IntVar(&s.smallCell, "small-cell-threshold", envInt("SENTRA_SMALL_CELL_THRESHOLD", dasbor.DefaultAmbang),
			"province dashboards hide desa/kelurahan counts from 1 to this minus 1; 1 hides none (env SENTRA_SMALL_CELL_THRESHOLD)")
		fs.BoolVar(&s.sessionCache, "session-cache", envBool("SENTRA_SESSION_CACHE", true),
			"keep sessions in memory while a connection hears every change to them (env SENTRA_SESSION_CACHE)")
		fs.StringVar(&s.listenURL, "listen-database-url", env("SENTRA_LISTEN_DATABASE_URL"),
			"direct PostgreSQL URL (application role, not through a transaction pooler) on which the session cache hears changes; default the database URL (env SENTRA_LISTEN_DATABASE_URL)")
	} else {
		s.workers = true
	}
	if withHTTP {
		fs.IntVar(&s.apiConns, "db-api-conns", envInt("SENTRA_DB_API_CONNS", defaultAPIConns()),
			"database connections for requests; each request holds at most one at a time (env SENTRA_DB_API_CONNS)")
	}
	fs.IntVar(&s.maxWorkers, "max-workers", envInt("SENTRA_MAX_WORKERS", 4), "concurrent short jobs per process (env SENTRA_MAX_WORKERS)")
	fs.IntVar(&s.longWorkers, "long-workers", envInt("SENTRA_LONG_WORKERS", jobs.DefaultLongWorkers),
		"concurrent long jobs (imports, exports, campaigns, reports) per process (env SENTRA_LONG_WORKERS)")
	fs.IntVar(&s.tenantLongJobs, "tenant-long-jobs", envInt("SENTRA_TENANT_LONG_JOBS", jobs.DefaultTenantLongJobs),
		"long jobs of one office running at once, across all processes (env SENTRA_TENANT_LONG_JOBS)")
	fs.IntVar(&s.workerConns, "db-worker-conns", envInt("SENTRA_DB_WORKER_CONNS", 0),
		"database connections for jobs; 0 computes what the workers need: 2 x long-workers + max-workers + 6 (env SENTRA_DB_WORKER_CONNS)")
	fs.BoolVar(&s.pollOnly, "river-poll-only", envBool("SENTRA_RIVER_POLL_ONLY", false),
		"poll for jobs instead of LISTEN/NOTIFY, for pgbouncer in transaction mode (env SENTRA_RIVER_POLL_ONLY)")
	fs.DurationVar(&s.shutdownTimeout, "shutdown-timeout", envDuration("SENTRA_SHUTDOWN_TIMEOUT", 30*time.Second),
		"time to finish requests and running jobs on shutdown (env SENTRA_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&s.stripe.Key, "stripe-key", env("SENTRA_STRIPE_KEY"),
		"Stripe secret key; without one billing is off and says so, everything else works; prefer the env, flags show in ps (env SENTRA_STRIPE_KEY)")
	fs.StringVar(&s.stripe.URL, "stripe-url", env("SENTRA_STRIPE_URL"),
		"Stripe API base URL instead of https://api.stripe.com, e.g. stripe-mock on loopback (env SENTRA_STRIPE_URL)")
	fs.Func("stripe-webhook-secret", "signing secrets of the Stripe webhook endpoint, comma-separated: the current one and, while rotating, the previous (env SENTRA_STRIPE_WEBHOOK_SECRET)",
		func(v string) error { s.stripe.WebhookSecrets = splitList(v); return nil })
	s.stripe.WebhookSecrets = splitList(env("SENTRA_STRIPE_WEBHOOK_SECRET"))
	fs.StringVar(&s.surel.Addr, "smtp-addr", env("SENTRA_SMTP_ADDR"),
		"host:port of the SMTP relay that mails invitations; without one the link is shown to whoever invited (env SENTRA_SMTP_ADDR)")
	fs.StringVar(&s.surel.From, "smtp-from", envString("SENTRA_SMTP_FROM", "Sentra <noreply@localhost>"),
		"sender of Sentra's mail (env SENTRA_SMTP_FROM)")
	fs.StringVar(&s.surel.Username, "smtp-user", env("SENTRA_SMTP_USER"), "SMTP AUTH user; AUTH goes only over TLS or to localhost (env SENTRA_SMTP_USER)")
	fs.StringVar(&s.surel.Password, "smtp-password", env("SENTRA_SMTP_PASSWORD"),
		"SMTP AUTH password; prefer the env, flags show in ps (env SENTRA_SMTP_PASSWORD)")
	fs.BoolVar(&s.surel.InsecureTLS, "smtp-insecure-tls", envBool("SENTRA_SMTP_INSECURE_TLS", false),
		"accept any certificate from the relay (an intranet relay with a self-signed one); the password still goes encrypted (env SENTRA_SMTP_INSECURE_TLS)")
	fs.StringVar(&s.surel.PublicURL, "public-url", env("SENTRA_PUBLIC_URL"),
		"the address users open Sentra at (https://sentra.dinkop.go.id), for the links in mail (env SENTRA_PUBLIC_URL)")
	fs.StringVar(&s.metricsAddr, "metrics-addr", env("SENTRA_METRICS_ADDR"),
		"serve /metrics on this address of its own (e.g. :9090) instead of the API's; a worker serves metrics only with it (env SENTRA_METRICS_ADDR)")
	fs.StringVar(&s.metricsAllow, "metrics-allow", envString("SENTRA_METRICS_ALLOW", metrics.DefaultAllow),
		"client CIDRs or addresses that may read /metrics without the token, comma-separated; none for the token only (env SENTRA_METRICS_ALLOW)")
	fs.StringVar(&s.metricsToken, "metrics-token", env("SENTRA_METRICS_TOKEN"),
		"bearer token that may read /metrics from any address; prefer the env, flags show in ps (env SENTRA_METRICS_TOKEN)")
}

// defaultAPIConns: requests are short; a few connections per core keep the
// cores busy while others wait on the network.
func defaultAPIConns() int { return max(8, 4*goruntime.NumCPU()) }

// workerPoolConns is --db-worker-conns, or what the workers need.
func (s *server) workerPoolConns() int32 {
	if s.workerConns > 0 {
		return int32(s.workerConns)
	}
	return jobs.PoolConns(s.maxWorkers, s.longWorkers, umkm.ImportWriters)
}

// check refuses settings that cannot work.
func (s *server) check(withHTTP bool) error {
	if s.maxWorkers < 1 || s.longWorkers < 1 {
		return fmt.Errorf("--max-workers and --long-workers must be at least 1")
	}
	if withHTTP && s.apiConns < 2 {
		return fmt.Errorf("--db-api-conns %d: must be at least 2", s.apiConns)
	}
	if withHTTP && s.smallCell < 1 {
		return fmt.Errorf("--small-cell-threshold %d: must be at least 1 (1 hides nothing)", s.smallCell)
	}
	if _, err := s.metricsAccess(); err != nil {
		return err
	}
	return nil
}

// metricsAccess is who may read /metrics.
func (s *server) metricsAccess() (metrics.Access, error) {
	allow, err := metrics.ParseAllow(s.metricsAllow)
	if err != nil {
		return metrics.Access{}, fmt.Errorf("--metrics-allow: %w", err)
	}
	return metrics.Access{Allow: allow, Token: s.metricsToken, TrustProxy: s.trustProxy}, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: sentra %s [flags]\n\n%s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}
