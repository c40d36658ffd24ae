// Package db owns the connection pool and the only ways to run work against
// PostgreSQL: in a transaction scoped to one tenant, to one province, or to
// platform tables. The scope is set transaction-locally (SET LOCAL), so it lives
// exactly as long as the transaction and never leaks to the next user of the
// pooled connection (safe behind pgbouncer in transaction mode).
package db

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the application's handle on PostgreSQL, connected as the
// application role (no table ownership, NOBYPASSRLS).
type DB struct {
	Pool *pgxpool.Pool
	side *DB // nil: the side work shares Pool
}

// Options size the pools. Zero values keep pgx's defaults (or the URL's
// pool_max_conns).
type Options struct {
	// MaxConns bounds the main pool: the transactions of requests or jobs.
	MaxConns int32
	// SideConns, if above zero, opens a second small pool for the short
	// writes that go beside a running transaction: progress of long work,
	// the failure record of a job. A job holding its transaction on the
	// main pool then never waits on that pool for itself.
	SideConns int32
}

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	d, err := open(ctx, url, opt.MaxConns)
	if err != nil {
		return nil, err
	}
	if opt.SideConns > 0 {
		if d.side, err = open(ctx, url, opt.SideConns); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

func open(ctx context.Context, url string, maxConns int32) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		registerUUID(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Side is the handle for short writes beside a transaction the caller may
// hold on d (progress, failure records): the side pool, or d itself when
// none was opened.
func (d *DB) Side() *DB {
	if d.side != nil {
		return d.side
	}
	return d
}

// Close closes the pools.
func (d *DB) Close() {
	if d.side != nil {
		d.side.Close()
	}
	d.Pool.Close()
}

// InTenantTx runs fn in a transaction in which only tenantID's rows exist.
func (d *DB) InTenantTx(ctx context.Context, tenantID uuid.UUID, fn func(pgx.Tx) error) error {
	if tenantID == uuid.Nil {
		return errors.New("db: InTenantTx without a tenant")
	}
	return d.inTx(ctx, "begin", "app.tenant_id", tenantID.String(), fn)
}

// ReadTenantTx runs fn in a read-only transaction of tenantID (REPEATABLE
// READ: one snapshot), on one connection: for reads of several round trips
// that each depend on the last, which as separate batches would queue for
// the pool once each.
func (d *DB) ReadTenantTx(ctx context.Context, tenantID uuid.UUID, fn func(pgx.Tx) error) error {
	if tenantID == uuid.Nil {
		return errors.New("db: ReadTenantTx without a tenant")
	}
	return d.inTx(ctx, beginRead, "app.tenant_id", tenantID.String(), fn)
}

// InProvinceTx runs fn in a transaction that sees the aggregate rows of one
// province.
func (d *DB) InProvinceTx(ctx context.Context, code string, fn func(pgx.Tx) error) error {
	if code == "" {
		return errors.New("db: InProvinceTx without a province")
	}
	return d.inTx(ctx, "begin", "app.province_code", code, fn)
}

// InTx runs fn in a transaction with no tenant set: platform tables only;
// every tenant-owned table is empty and refuses writes here.
func (d *DB) InTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return d.inTx(ctx, "begin", "", "", fn)
}

var provinceCode = regexp.MustCompile(`^[0-9]{2}$`)

// beginRead begins the read-only transactions: one snapshot for all their
// statements.
const beginRead = "begin isolation level repeatable read read only"

// inTx runs fn in a transaction begun by begin with setting set to value
// (or a plain BEGIN and no setting, when setting is "").
func (d *DB) inTx(ctx context.Context, begin, setting, value string, fn func(pgx.Tx) error) (err error) {
	// BEGIN and the setting travel in one round trip (simple protocol, two
	// statements). SET LOCAL, not select set_config(...): no plan and no
	// result row, 6 µs instead of 23 µs per transaction. The value is
	// interpolated only because it is a UUID or a two-digit code, checked
	// by the callers' types and here.
	var opts pgx.TxOptions
	if setting != "" {
		if setting == "app.province_code" && !provinceCode.MatchString(value) {
			return fmt.Errorf("db: invalid province code %q", value)
		}
		opts.BeginQuery = fmt.Sprintf("%s; set local %s = '%s'", begin, setting, value)
	}
	release, err := hold(ctx, d.Pool)
	if err != nil {
		return err
	}
	defer release()
	tx, err := d.begin(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }() // no-op after Commit; ends the tx on error, panic or Goexit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ReadTenantBatch runs the read-only statements queue adds to a batch (with
// their QueryRow/Query callbacks) for a tenant in one round trip: BEGIN
// READ ONLY, the setting, the statements and COMMIT are pipelined. The
// transaction is REPEATABLE READ, so all statements see one snapshot. An error
// leaves the transaction open on a connection the pool then discards.
func (d *DB) ReadTenantBatch(ctx context.Context, tenantID uuid.UUID, queue func(*pgx.Batch)) error {
	if tenantID == uuid.Nil {
		return errors.New("db: ReadTenantBatch without a tenant")
	}
	return d.readBatch(ctx, "app.tenant_id", tenantID.String(), queue)
}

// ReadProvinceBatch is ReadTenantBatch for a province transaction.
func (d *DB) ReadProvinceBatch(ctx context.Context, code string, queue func(*pgx.Batch)) error {
	if !provinceCode.MatchString(code) {
		return fmt.Errorf("db: invalid province code %q", code)
	}
	return d.readBatch(ctx, "app.province_code", code, queue)
}

func (d *DB) readBatch(ctx context.Context, setting, value string, queue func(*pgx.Batch)) error {
	release, err := hold(ctx, d.Pool)
	if err != nil {
		return err
	}
	defer release()
	for try := 1; ; try++ {
		// A connection dropped by the server (restart, terminated backend)
		// fails on BEGIN, before any callback ran: the batch is sent again
		// on another connection.
		begun := false
		b := &pgx.Batch{}
		b.Queue(beginRead).Exec(func(pgconn.CommandTag) error { begun = true; return nil })
		b.Queue("select set_config($1, $2, true)", setting, value)
		queue(b)
		b.Queue("commit")
		err := d.Pool.SendBatch(ctx, b).Close()
		if err == nil || begun || try >= d.beginTries() || !retryable(ctx, err) {
			return err
		}
	}
}

// ReadTenantSteps runs a read-only transaction of tenantID (REPEATABLE READ:
// one snapshot) on one connection, for reads in steps, each chosen by what
// the last returned (a name search: its words, then pages of records). fn
// reads through read: each call sends the statements queue adds as one
// round trip. BEGIN and the tenant travel with the first step instead of
// in a round trip of their own, which under load cost as much as a step:
// a search of two steps takes three round trips, not four. COMMIT follows
// fn. On an error (or a panic) the transaction is rolled back; a
// connection that cannot be cleaned is closed by the pool.
func (d *DB) ReadTenantSteps(ctx context.Context, tenantID uuid.UUID, fn func(read func(queue func(*pgx.Batch)) error) error) (err error) {
	if tenantID == uuid.Nil {
		return errors.New("db: ReadTenantSteps without a tenant")
	}
	release, err := hold(ctx, d.Pool)
	if err != nil {
		return err
	}
	defer release()
	var (
		conn  *pgxpool.Conn
		begun bool
	)
	defer func() {
		if conn == nil {
			return
		}
		if begun { // fn failed or panicked: end the transaction
			_, _ = conn.Exec(context.WithoutCancel(ctx), "rollback")
		}
		conn.Release()
	}()
	read := func(queue func(*pgx.Batch)) error {
		if begun {
			b := &pgx.Batch{}
			queue(b)
			return conn.SendBatch(ctx, b).Close()
		}
		for try := 1; ; try++ {
			if conn == nil {
				c, err := d.Pool.Acquire(ctx)
				if err != nil {
					return err
				}
				conn = c
			}
			// As readBatch: a connection the server dropped fails on BEGIN,
			// before any of queue's callbacks ran, and the step is sent again
			// on another.
			b := &pgx.Batch{}
			b.Queue(beginRead).Exec(func(pgconn.CommandTag) error { begun = true; return nil })
			b.Queue("select set_config('app.tenant_id', $1, true)", tenantID.String())
			queue(b)
			err := conn.SendBatch(ctx, b).Close()
			if err == nil || begun || try >= d.beginTries() || !retryable(ctx, err) {
				return err
			}
			conn.Release() // closed: the pool discards it
			conn = nil
		}
	}
	if err := fn(read); err != nil {
		return err
	}
	if !begun {
		return nil // fn read nothing
	}
	if _, err := conn.Exec(ctx, "commit"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	begun = false
	return nil
}

// ReadRow runs one read-only statement outside a transaction and scans its
// row into dest, again on another connection when the one the pool handed
// out was dropped by the server (a read is safe to repeat). For the reads
// every request makes before its transaction: the session, the throttle.
func (d *DB) ReadRow(ctx context.Context, sql string, args []any, dest ...any) error {
	for try := 1; ; try++ {
		err := d.Pool.QueryRow(ctx, sql, args...).Scan(dest...)
		if err == nil || try >= d.beginTries() || !retryable(ctx, err) {
			return err
		}
	}
}

// beginTries bounds how often a transaction is begun again after its
// connection turned out to be dead: after a restart every idle connection
// of the pool may be, and a failed try costs no round trip (the server's
// goodbye is already read); past them a fresh connection either works or
// the server is down (503).
func (d *DB) beginTries() int { return int(d.Pool.Config().MaxConns) + 1 }

// begin begins a transaction, again on another connection when the one the
// pool handed out was dropped by the server.
func (d *DB) begin(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	for try := 1; ; try++ {
		tx, err := d.Pool.BeginTx(ctx, opts)
		if err == nil || try >= d.beginTries() || !retryable(ctx, err) {
			return tx, err
		}
	}
}

// SetTenant scopes an already open transaction to a tenant. For code that is
// handed a transaction by a library (River's JobCompleteTx, migrations).
func SetTenant(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if tenantID == uuid.Nil {
		return errors.New("db: SetTenant without a tenant")
	}
	_, err := tx.Exec(ctx, "select set_config('app.tenant_id', $1, true)", tenantID.String())
	return err
}

// TrigramSearch prepares a transaction for a typo-tolerant name search
// (pg_trgm word similarity, `word <% cari`). It is transaction-local.
//
//   - A threshold of 0.4 lets one typo in a short word through ("hidyat"
//     finds "Hidayat"); the default 0.6 does not.
//   - Candidates come from a bitmap scan (the trigram index, at scale). Under
//     a LIMIT the planner otherwise likes a sequential scan "until enough
//     rows match", whose cost depends on where the tenant's rows lie in the
//     heap: 10 ms or 1.8 s for the same query on 600.000 rows.
const TrigramSearch = `select set_config('pg_trgm.word_similarity_threshold', '0.4', true),
	set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`
