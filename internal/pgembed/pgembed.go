// Package pgembed runs a private PostgreSQL cluster from the server binaries
// installed on the machine, for the demo, the tests and the benchmarks. It is
// not for production: deploy/ describes a real server.
//
// initdb refuses to run as root, so when the process is root the cluster runs
// as the "postgres" OS user (created by every distribution's server package).
// That user must be able to enter every folder above the cluster; a checkout
// under /root (mode 700) is not, so a caller may name a RootFallback to
// place the cluster under instead.
package pgembed

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Role names: the owner runs migrations, the application role owns nothing.
const (
	OwnerRole = "sentra_owner"
	AppRole   = "sentra_app"
)

// ErrNoServer explains what to install when the server binaries are missing.
var ErrNoServer = errors.New(`PostgreSQL server binaries (initdb, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin.
Sentra starts a private PostgreSQL cluster when DATABASE_URL is not set, and needs the server programs for it (version 15 or newer).
Install them, for example "apt-get install postgresql" on Debian/Ubuntu, "dnf install postgresql-server" on Fedora or "brew install postgresql@15" on macOS,
or set DATABASE_URL to an existing server (see README.md)`)

// Options configure a cluster.
type Options struct {
	Dir    string // holds data/ and the credentials; reused if it exists
	Fast   bool   // no fsync: for throw-away test clusters only
	Logger *slog.Logger
	// RootFallback, when set, is where the cluster goes if the process is
	// root and the postgres OS user cannot enter a folder above Dir: under
	// RootFallback/<hash of Dir>, so every run from the same Dir finds the
	// same cluster. Empty: such a Dir is an error that says what to do.
	RootFallback string
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dir    string
	server *url.URL // set when attached to an existing server
	creds  credentials
	cmd    *exec.Cmd
	done   chan error
	logger *slog.Logger
}

type credentials struct {
	Port      int    `json:"port"`
	Superuser string `json:"superuser_password"`
	Owner     string `json:"owner_password"`
	App       string `json:"app_password"`
}

// Start initialises the cluster under opts.Dir if needed and starts it.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	runAs, err := serverUser()
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	moved := false
	if runAs != nil && opts.RootFallback != "" {
		if blocked := firstBlocked(dir, runAs); blocked != "" {
			asked := dir
			dir, moved = FallbackDir(opts.RootFallback, asked), true
			logger.Warn("private postgres placed outside the data folder: running as root, it runs as the postgres OS user, which cannot enter a folder above it",
				"dir", dir, "data_dir", asked, "blocked", blocked)
		}
	}
	if err := makeDir(dir, runAs); err != nil {
		return nil, err
	}
	if moved {
		if err := ownDir(dir, runAs); err != nil {
			return nil, err
		}
	}
	c := &Cluster{dir: dir, logger: logger, done: make(chan error, 1)}
	if err := c.loadOrCreateCredentials(); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx, bin, data, runAs); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx, bin, data, runAs, opts.Fast); err != nil {
		return nil, err
	}
	if err := c.bootstrapRoles(ctx); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// makeDir creates dir. When the server runs as another OS user, that user
// must be able to traverse every folder above its data: the folders made here
// get search permission (0711, not read), and existing ones are checked.
func makeDir(dir string, runAs *syscall.Credential) error {
	var created []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = append(created, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if runAs == nil {
		return nil
	}
	for _, d := range created {
		if err := os.Chmod(d, 0o711); err != nil {
			return err
		}
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if !traversable(fi, runAs) && !slices.Contains(created, d) {
			return fmt.Errorf("running as root, the private PostgreSQL runs as the postgres OS user, which cannot enter %s; "+
				"choose a data folder elsewhere (--data-dir) or allow it: chmod o+x %s", d, d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// firstBlocked is the first existing folder above dir that user cannot
// enter, or "" when it can reach dir (folders still to be made are made
// enterable).
func firstBlocked(dir string, user *syscall.Credential) string {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && !traversable(fi, user) {
			return d
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}

// traversable reports whether user may enter the folder: the owner's, the
// group's or the others' search bit, whichever class applies (supplementary
// groups aside, which can only make us move a cluster that could stay).
func traversable(fi os.FileInfo, user *syscall.Credential) bool {
	perm := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case ok && st.Uid == user.Uid:
		return perm&0o100 != 0
	case ok && st.Gid == user.Gid:
		return perm&0o010 != 0
	}
	return perm&0o001 != 0
}

// FallbackDir is where a cluster for dir lives under root (see
// Options.RootFallback): a short hash of the absolute dir, stable across runs.
func FallbackDir(root, dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(root, hex.EncodeToString(sum[:6]))
}

// ownDir gives a fallback cluster folder to the server user, mode 700: it
// holds nothing of anyone else's, and nobody else needs to enter it.
func ownDir(dir string, user *syscall.Credential) error {
	if err := os.Chown(dir, int(user.Uid), int(user.Gid)); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}

// serverBinGlob is where Debian and Ubuntu install the server programs.
var serverBinGlob = "/usr/lib/postgresql/*/bin"

func findBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob(serverBinGlob)
	// Newest major version first.
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoServer
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// serverUser is the OS user the server must run as: nil for the current user,
// "postgres" when we are root.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New(`running as root: PostgreSQL refuses to run as root and there is no "postgres" OS user to run it as; create one (useradd --system postgres) or run as an ordinary user`)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) loadOrCreateCredentials() error {
	path := filepath.Join(c.dir, "credentials.json")
	b, err := os.ReadFile(path)
	if err == nil {
		return json.Unmarshal(b, &c.creds)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	c.creds = credentials{Superuser: secret(), Owner: secret(), App: secret()}
	b, _ = json.MarshalIndent(c.creds, "", "  ")
	return os.WriteFile(path, b, 0o600)
}

func (c *Cluster) saveCredentials() error {
	b, _ := json.MarshalIndent(c.creds, "", "  ")
	return os.WriteFile(filepath.Join(c.dir, "credentials.json"), b, 0o600)
}

func secret() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *Cluster) initdb(ctx context.Context, bin, data string, runAs *syscall.Credential) error {
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	pwfile := filepath.Join(data, "..", "pwfile")
	if err := os.WriteFile(pwfile, []byte(c.creds.Superuser+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if runAs != nil {
		// The server user owns its data folder and reads the password file
		// once; nothing else of ours becomes readable to it.
		if fi, err := os.Stat(c.dir); err != nil {
			return err
		} else if !traversable(fi, runAs) {
			if err := os.Chmod(c.dir, 0o711); err != nil {
				return err
			}
		}
		for _, p := range []string{data, pwfile} {
			if err := os.Chown(p, int(runAs.Uid), int(runAs.Gid)); err != nil {
				return err
			}
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", data, "-U", "postgres", "--auth=scram-sha-256", "--pwfile="+pwfile,
		"--encoding=UTF8", "--no-locale", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: runAs}
	if out, err := cmd.CombinedOutput(); err != nil {
		hint := ""
		if runAs != nil {
			hint = "\n(the cluster runs as the postgres OS user: every folder above " + c.dir + " must be searchable by it)"
		}
		return fmt.Errorf("initdb: %w\n%s%s", err, out, hint)
	}
	return nil
}

func (c *Cluster) start(ctx context.Context, bin, data string, runAs *syscall.Credential, fast bool) error {
	port := c.creds.Port
	if port == 0 || !portFree(port) {
		var err error
		if port, err = FreePort(); err != nil {
			return err
		}
		c.creds.Port = port
		if err := c.saveCredentials(); err != nil {
			return err
		}
	}
	args := []string{"-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
		"-c", "max_connections=200", "-c", "log_min_messages=warning"}
	if fast {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	} else {
		// The demo and benchmarks hold hundreds of thousands of records:
		// size the cache like a small real server, not like the default.
		// pg_stat_statements lets a run say where the server's time went.
		args = append(args, "-c", "shared_buffers=512MB", "-c", "effective_cache_size=4GB", "-c", "work_mem=16MB",
			"-c", "maintenance_work_mem=256MB", "-c", "shared_preload_libraries=pg_stat_statements")
	}
	logPath := filepath.Join(c.dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Own process group: a Ctrl-C in the terminal reaches us, and we stop the
	// server after the API and workers. Pdeathsig stops it if we die.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: runAs, Setpgid: true, Pdeathsig: syscall.SIGINT}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start postgres: %w", err)
	}
	c.cmd = cmd
	go func() { c.done <- cmd.Wait(); logFile.Close() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
		if err == nil {
			conn.Close(ctx)
			c.logger.Debug("private postgres ready", "port", port, "dir", c.dir)
			return nil
		}
		select {
		case werr := <-c.done:
			c.done <- werr
			return fmt.Errorf("postgres exited while starting (%v); its log %s ends with:\n%s", werr, logPath, tail(logPath, 15))
		case <-ctx.Done():
			c.Stop()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.Stop()
			return fmt.Errorf("postgres did not accept connections within 60s: %w", err)
		}
	}
}

func (c *Cluster) bootstrapRoles(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	// Passwords are set on every start so the credentials file stays the
	// single source of truth.
	for _, r := range []struct{ name, attrs, pw string }{
		{OwnerRole, "LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS", c.creds.Owner},
		{AppRole, "LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS NOINHERIT", c.creds.App},
	} {
		var exists bool
		if err := conn.QueryRow(ctx, "select exists (select from pg_roles where rolname = $1)", r.name).Scan(&exists); err != nil {
			return err
		}
		verb := "ALTER"
		if !exists {
			verb = "CREATE"
		}
		sql := fmt.Sprintf("%s ROLE %s %s PASSWORD %s", verb, r.name, r.attrs, quoteLiteral(r.pw))
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("bootstrap role %s: %w", r.name, err)
		}
	}
	return nil
}

// CreateDatabase creates database name owned by the owner role, if missing,
// and runs setup in it as the superuser (idempotent statements). With
// template set, the new database is a copy of it (fast: no migrations).
func (c *Cluster) CreateDatabase(ctx context.Context, name, template, setup string) error {
	if err := c.createDatabase(ctx, name, template); err != nil {
		return err
	}
	if setup == "" {
		return nil
	}
	conn, err := pgx.Connect(ctx, c.SuperuserURL(name))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, setup); err != nil {
		return fmt.Errorf("superuser setup of %s: %w", name, err)
	}
	return nil
}

func (c *Cluster) createDatabase(ctx context.Context, name, template string) error {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "select exists (select from pg_database where datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " OWNER " + OwnerRole
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// DropDatabase drops database name, closing its connections; a missing
// database is not an error. For runs on an attached server, which outlives
// them.
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.SuperuserURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// Attached reports whether the cluster is a server Sentra did not start.
func (c *Cluster) Attached() bool { return c.server != nil }

// SuperuserURL, OwnerURL and AppURL are connection strings for database db.
func (c *Cluster) SuperuserURL(db string) string { return c.url("postgres", c.creds.Superuser, db) }
func (c *Cluster) OwnerURL(db string) string     { return c.url(OwnerRole, c.creds.Owner, db) }
func (c *Cluster) AppURL(db string) string       { return c.url(AppRole, c.creds.App, db) }

func (c *Cluster) url(role, password, db string) string {
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(c.creds.Port)), RawQuery: "sslmode=disable"}
	if c.server != nil {
		u = *c.server
		if role == "postgres" { // the attached server's own admin login
			u.Path = "/" + db
			return u.String()
		}
	}
	u.User = url.UserPassword(role, password)
	u.Path = "/" + db
	return u.String()
}

// Attach uses an existing server instead of starting one. adminURL must log
// in as a role that may create roles and databases (a throw-away CI server);
// the Sentra roles get fresh passwords.
func Attach(ctx context.Context, adminURL string) (*Cluster, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	c := &Cluster{server: u, logger: slog.New(slog.DiscardHandler),
		creds: credentials{Owner: secret(), App: secret()}}
	if err := c.bootstrapRoles(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Stop shuts the server down (fast shutdown: open transactions roll back) and
// waits for it.
func (c *Cluster) Stop() error {
	if c.cmd == nil || c.cmd.Process == nil {
		return nil
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-c.done:
		c.done <- err
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		return errors.New("postgres did not stop within 30s; killed")
	}
	return nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// FreePort is a TCP port free on loopback now (for a server started next).
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
