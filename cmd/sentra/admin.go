package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/logging"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func cmdMigrate(ctx context.Context, args []string) error {
	fs := newFlagSet("migrate", "Brings the application schema and River's schema up to date. Runs as the owner role;\nidempotent, and safe to start twice at once (the second waits for the first).")
	var c common
	c.register(fs)
	ownerURL := fs.String("owner-database-url", envString("SENTRA_OWNER_DATABASE_URL", env("DATABASE_URL")),
		"PostgreSQL URL of the owner role that owns the schema (env SENTRA_OWNER_DATABASE_URL; default DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger, err := logging.New(os.Stderr, c.logLevel, c.logFormat)
	if err != nil {
		return err
	}
	if *ownerURL == "" {
		return errors.New("SENTRA_OWNER_DATABASE_URL (or DATABASE_URL) is not set")
	}
	if err := db.Migrate(ctx, *ownerURL, logger); err != nil {
		return err
	}
	logger.Info("database is up to date")
	return nil
}

func cmdTenantsSync(ctx context.Context, args []string) error {
	flags := newFlagSet("tenants sync", "Loads the tenants and their wilayah into the database: creates new ones, updates\nexisting ones, deletes nothing. Idempotent.")
	var c common
	c.register(flags)
	dir := flags.String("tenants-dir", env("SENTRA_TENANTS_DIR"), "read tenants from this folder instead of those built into the binary (env SENTRA_TENANTS_DIR)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	logger, err := logging.New(os.Stderr, c.logLevel, c.logFormat)
	if err != nil {
		return err
	}
	if c.databaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	d, err := db.Open(ctx, c.databaseURL, db.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	var src fs.FS = tenants.FS
	if *dir != "" {
		src = os.DirFS(*dir)
	}
	res, err := syncTenants(ctx, d, src)
	for _, r := range res {
		logger.Info("tenant synced", "tenant", r.Slug, "created", r.Created, "wilayah", r.Wilayah)
	}
	return err
}

func syncTenants(ctx context.Context, d *db.DB, src fs.FS) ([]tenant.SyncResult, error) {
	cfgs, err := tenant.Load(src)
	if err != nil {
		return nil, err
	}
	return (&tenant.Store{DB: d}).Sync(ctx, cfgs)
}

func cmdUsersAdd(ctx context.Context, args []string) error {
	fs := newFlagSet("users add", "Creates a user (or reuses the account with that e-mail) and gives them a role in a domain.\nThe password (12–256 characters, not a common one) is read from SENTRA_USER_PASSWORD or, if unset,\nfrom the first line of standard input.")
	var c common
	c.register(fs)
	email := fs.String("email", "", "the user's e-mail (required)")
	name := fs.String("name", "", "the user's full name (required for a new account)")
	role := fs.String("role", "", "admin, staf or viewer in a tenant; province_viewer; platform_admin (required)")
	domain := fs.String("domain", "", "a tenant slug (depok), province:<code> (province:32) or platform (required)")
	wilayah := fs.String("wilayah", "", "for a petugas: comma-separated kecamatan or desa/kelurahan codes they work in")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *role == "" || *domain == "" {
		fs.Usage()
		return errors.New("--email, --role and --domain are required")
	}
	if c.databaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	password := env("SENTRA_USER_PASSWORD")
	if password == "" {
		fmt.Fprint(os.Stderr, "Password: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	d, err := db.Open(ctx, c.databaseURL, db.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	dom, r := tenancy.Domain(*domain), tenancy.Role(*role)
	if dom.IsTenant() {
		if _, err := (&tenant.Store{DB: d}).BySlug(ctx, *domain); err != nil {
			return fmt.Errorf("tenant %q: not found (run `sentra tenants sync` first?)", *domain)
		}
	}
	var created bool
	err = d.InTx(ctx, func(tx pgx.Tx) error {
		id, c, err := account.EnsureUser(ctx, tx, *email, *name, password)
		if err != nil {
			return err
		}
		created = c
		var areas []string
		if *wilayah != "" {
			areas = strings.Split(*wilayah, ",")
		}
		return account.Grant(ctx, tx, id, dom, r, areas, nil)
	})
	if err != nil {
		return describe(err)
	}
	fmt.Printf("%s is %s in %s (new account: %v)\n", account.NormalizeEmail(*email), r, dom, created)
	return nil
}

// describe turns a domain error into a line for a terminal.
func describe(err error) error {
	p := httpapi.Describe(err)
	if p == "" {
		return err
	}
	return errors.New(p)
}

func cmdOpenAPI(args []string) error {
	fs := newFlagSet("openapi", "Prints the OpenAPI 3.1 document of the API.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	doc := httpapi.New(httpapi.Deps{Logger: discardLogger()}).API().OpenAPI()
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
