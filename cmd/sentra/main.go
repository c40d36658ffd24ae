// Command sentra is the whole product in one binary: the API, the workers,
// migrations, tenant loading, user administration and the local demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // tenant time zones resolve even on images without zoneinfo
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

const usage = `Sentra: the register of UMKM and cooperatives for Dinas Koperasi dan UMKM offices.

Usage: sentra <command> [flags]

Commands:
  serve          run the HTTP API and the background workers (--workers=false: API only)
  worker         run the background workers only
  migrate        bring the database schema up to date (as the owner role)
  demo           run everything on a private PostgreSQL with demo tenants and users
  tenants sync   load the tenants (tenants/<slug>/) into the database
  users add      create a user and give them a role in a domain
  openapi        print the OpenAPI document
  bench umkm     measure the register (JSON lines; see README); also bench koperasi,
                 dashboards, load, web, program (overlap and the never-helped) and
                 pemasaran (marketing points' consignment ledgers)
  version        print the version

Run "sentra <command> --help" for a command's flags. Every flag also reads an
environment variable (shown in --help); DATABASE_URL is the application's
database connection.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "sentra:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, true)
	case "worker":
		return cmdServe(ctx, rest, false)
	case "migrate":
		return cmdMigrate(ctx, rest)
	case "demo":
		return cmdDemo(ctx, rest)
	case "tenants":
		if len(rest) > 0 && rest[0] == "sync" {
			return cmdTenantsSync(ctx, rest[1:])
		}
		return errors.New(`usage: sentra tenants sync [flags]`)
	case "users":
		if len(rest) > 0 && rest[0] == "add" {
			return cmdUsersAdd(ctx, rest[1:])
		}
		return errors.New(`usage: sentra users add [flags]`)
	case "openapi":
		return cmdOpenAPI(rest)
	case "bench":
		return cmdBench(ctx, rest)
	case "version":
		fmt.Println(version)
		return nil
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
