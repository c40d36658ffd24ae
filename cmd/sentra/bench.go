package main

import (
	"context"
	"errors"
	"os"
	"runtime/pprof"
	"time"

	"github.com/sentra-id/sentra/internal/bench"
	"github.com/sentra-id/sentra/internal/logging"
)

func cmdBench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "koperasi" {
		return cmdBenchKoperasi(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "load" {
		return cmdBenchLoad(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "web" {
		return cmdBenchWeb(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "program" {
		return cmdBenchProgram(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "pemasaran" {
		return cmdBenchPemasaran(ctx, args[1:])
	}
	if len(args) == 0 || (args[0] != "umkm" && args[0] != "dashboards") {
		return errors.New("usage: sentra bench umkm|koperasi|dashboards|load|web|program|pemasaran [flags]")
	}
	what := args[0]
	fs := newFlagSet("bench "+what, `Measures the UMKM register (umkm) or the dashboards (dashboards) on a private PostgreSQL
(or DATABASE_URL, which must then be able to create roles and databases) and prints one JSON
object per line.`)
	logLevel := fs.String("log-level", envString("SENTRA_LOG_LEVEL", "warn"), "progress on stderr at info")
	o := bench.DefaultUMKM
	d := bench.DefaultDasbor
	if what == "umkm" {
		fs.IntVar(&o.ImportRows, "import-rows", o.ImportRows, "rows in the imported CSV")
		fs.IntVar(&o.TotalRows, "total-rows", o.TotalRows, "rows across the four tenants for the read benchmarks")
		fs.DurationVar(&o.Duration, "duration", o.Duration, "length of each throughput measurement")
		fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "concurrent clients for the throughput measurements")
		fs.IntVar(&o.Requests, "requests", o.Requests, "requests per latency measurement")
	} else {
		fs.IntVar(&d.TotalRows, "total-rows", d.TotalRows, "businesses across the four tenants")
		fs.IntVar(&d.Concurrency, "concurrency", d.Concurrency, "concurrent clients for the latency measurements")
		fs.IntVar(&d.Requests, "requests", d.Requests, "requests per latency measurement")
		fs.IntVar(&d.Changes, "changes", d.Changes, "committed changes timed until the figure shows them")
	}
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	keep := fs.Bool("keep-database", false, "leave the run's database on the DATABASE_URL server, to inspect (drop it by hand)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return runBench(ctx, *logLevel, *cpuProfile, func(e *bench.Env) error {
		if *keep {
			if err := e.KeepDatabase(); err != nil {
				return err
			}
		}
		if what == "dashboards" {
			return bench.Dasbor(ctx, e, d)
		}
		return bench.UMKM(ctx, e, o)
	})
}

func cmdBenchKoperasi(ctx context.Context, args []string) error {
	fs := newFlagSet("bench koperasi", `Measures the reclassification campaign of cooperatives on a private PostgreSQL (or
DATABASE_URL, which must then be able to create roles and databases) and prints one JSON
object per line.`)
	logLevel := fs.String("log-level", envString("SENTRA_LOG_LEVEL", "warn"), "progress on stderr at info")
	o := bench.DefaultKoperasi
	fs.IntVar(&o.Koperasi, "koperasi", o.Koperasi, "KSU cooperatives to classify (1–6 business units each)")
	fs.IntVar(&o.Batch, "batch", o.Batch, "cooperatives per campaign transaction")
	fs.IntVar(&o.Rounds, "rounds", o.Rounds, "campaign and loop measured this many times each, alternately (medians)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return runBench(ctx, *logLevel, *cpuProfile, func(e *bench.Env) error { return bench.Koperasi(ctx, e, o) })
}

func cmdBenchWeb(ctx context.Context, args []string) error {
	fs := newFlagSet("bench web", `Measures the web pages over HTTP with a signed-in staf session, on one office's register
on a private PostgreSQL (or DATABASE_URL, which must then be able to create roles and
databases): p50/p95 server time and bytes per page. Prints one JSON object per line.`)
	logLevel := fs.String("log-level", envString("SENTRA_LOG_LEVEL", "warn"), "progress on stderr at info")
	o := bench.DefaultWeb
	fs.StringVar(&o.Tenant, "tenant", o.Tenant, "the office measured")
	fs.IntVar(&o.Rows, "rows", o.Rows, "businesses of that office")
	fs.IntVar(&o.Requests, "requests", o.Requests, "requests per page")
	fs.IntVar(&o.ImportRows, "import-rows", o.ImportRows, "rows of the dry-run import whose report is measured (0: skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return runBench(ctx, *logLevel, "", func(e *bench.Env) error { return bench.Web(ctx, e, o) })
}

func cmdBenchProgram(ctx context.Context, args []string) error {
	fs := newFlagSet("bench program", `Measures the overlap check, the never-helped list and the overlap report on one office
with its programmes and other agencies' lists, on a private PostgreSQL (or DATABASE_URL, which
must then be able to create roles and databases). Prints one JSON object per line.`)
	logLevel := fs.String("log-level", envString("SENTRA_LOG_LEVEL", "warn"), "progress on stderr at info")
	o := bench.DefaultProgram
	fs.StringVar(&o.Tenant, "tenant", o.Tenant, "the office measured")
	fs.IntVar(&o.Rows, "rows", o.Rows, "businesses of that office")
	fs.IntVar(&o.Programs, "programs", o.Programs, "programmes in its ledger")
	fs.IntVar(&o.Participations, "participations", o.Participations, "participations: half in its programmes, half in four other agencies' lists")
	fs.IntVar(&o.Requests, "requests", o.Requests, "overlap checks timed (the never-helped pages and counts a fifth of it each)")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "concurrent callers for the latency measurements")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	keep := fs.Bool("keep-database", false, "leave the run's database on the DATABASE_URL server, to inspect (drop it by hand)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Rows < 100 || o.Programs < 1 || o.Participations < 2 || o.Requests < 1 || o.Concurrency < 1 {
		return errors.New("--rows must be at least 100, --programs, --requests and --concurrency at least 1, --participations at least 2")
	}
	return runBench(ctx, *logLevel, *cpuProfile, func(e *bench.Env) error {
		if *keep {
			if err := e.KeepDatabase(); err != nil {
				return err
			}
		}
		return bench.Program(ctx, e, o)
	})
}

func cmdBenchPemasaran(ctx context.Context, args []string) error {
	fs := newFlagSet("bench pemasaran", `Measures a marketing point's stock, a listing's consignment ledger, the late-report
dashboard and one sales report on one office with its points, products and two years of weekly
reports, on a private PostgreSQL (or DATABASE_URL, which must then be able to create roles and
databases). Prints one JSON object per line.`)
	logLevel := fs.String("log-level", envString("SENTRA_LOG_LEVEL", "warn"), "progress on stderr at info")
	o := bench.DefaultPemasaran
	fs.StringVar(&o.Tenant, "tenant", o.Tenant, "the office measured")
	fs.IntVar(&o.Rows, "rows", o.Rows, "businesses of that office")
	fs.IntVar(&o.Produk, "produk", o.Produk, "products per business")
	fs.IntVar(&o.Titik, "titik", o.Titik, "marketing points")
	fs.IntVar(&o.Kurasi, "kurasi", o.Kurasi, "listings with a consignment ledger, spread evenly over the points")
	fs.IntVar(&o.Minggu, "minggu", o.Minggu, "weeks of weekly sales reports per ledger")
	fs.IntVar(&o.Requests, "requests", o.Requests, "stock and ledger reads timed (the dashboard a tenth, the sales reports a quarter)")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "concurrent callers for the latency measurements")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	keep := fs.Bool("keep-database", false, "leave the run's database on the DATABASE_URL server, to inspect (drop it by hand)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Rows < 1 || o.Produk < 1 || o.Titik < 1 || o.Kurasi < 1 || o.Minggu < 13 || o.Requests < 1 || o.Concurrency < 1 {
		return errors.New("--rows, --produk, --titik, --kurasi, --requests and --concurrency must be at least 1, --minggu at least 13 (the late partner is silent 6 weeks and unsettled 12)")
	}
	if o.Kurasi > o.Rows*o.Produk*o.Titik {
		return errors.New("--kurasi is more than every product at every point (--rows × --produk × --titik)")
	}
	return runBench(ctx, *logLevel, *cpuProfile, func(e *bench.Env) error {
		if *keep {
			if err := e.KeepDatabase(); err != nil {
				return err
			}
		}
		return bench.Pemasaran(ctx, e, o)
	})
}

func cmdBenchLoad(ctx context.Context, args []string) error {
	fs := newFlagSet("bench load", `Runs an API process and a worker process of this binary on a private PostgreSQL, with
staff sessions of four offices while one imports and others export, and injects faults: the
worker killed mid-import and mid-export, PostgreSQL restarted, every connection terminated by
the server. Prints one JSON object per line; fails when a request failed outside the restart
window or a committed write was lost.`)
	logLevel := fs.String("log-level", envString("SENTRA_LOG_LEVEL", "info"), "progress on stderr at info")
	o := bench.DefaultLoad
	fs.IntVar(&o.PerOffice, "per-office", o.PerOffice, "businesses per office before the run")
	fs.IntVar(&o.Sessions, "sessions", o.Sessions, "simulated staff sessions")
	fs.DurationVar(&o.Duration, "duration", o.Duration, "length of the load, faults included")
	fs.IntVar(&o.ImportRows, "import-rows", o.ImportRows, "rows of the import run under the load")
	fs.DurationVar(&o.ThinkMin, "think-min", o.ThinkMin, "shortest pause between a session's requests")
	fs.DurationVar(&o.ThinkMax, "think-max", o.ThinkMax, "longest pause between a session's requests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.ThinkMin < 0 || o.ThinkMax < o.ThinkMin {
		return errors.New("--think-max must be at least --think-min, both 0 or more")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	o.Binary = exe
	return runBench(ctx, *logLevel, "", func(e *bench.Env) error { return bench.Load(ctx, e, o) })
}

// runBench sets up the benchmark's database (and the CPU profile when
// asked) and runs fn on it.
func runBench(ctx context.Context, logLevel, cpuProfile string, fn func(*bench.Env) error) error {
	logger, err := logging.New(os.Stderr, logLevel, "text")
	if err != nil {
		return err
	}
	setupCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	e, err := bench.Setup(setupCtx, "", env("DATABASE_URL"), os.Stdout, logger)
	if err != nil {
		return err
	}
	defer e.Close()
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return fn(e)
}
