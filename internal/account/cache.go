package account

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// AuthChannel is where PostgreSQL announces every committed change to
// sessions, users and role assignments (migration 013).
const AuthChannel = "sentra_auth"

// SessionCache keeps recently authenticated principals in memory, so that a
// request does not pay a database round trip for its session (about a third
// of the cost of reading one record over HTTP).
//
// It is correct only while it hears every change, so it is used only while
// Listen holds a connection on AuthChannel. Each notification, each
// reconnect and each local revocation starts a new generation; an entry
// answers only in the generation it was read in, so no principal read before
// a change is served after the change is heard. A change committed by
// another process is heard within the notification's delivery time (a few
// milliseconds); one committed by this process is seen at once.
type SessionCache struct {
	// TTL bounds how long an entry lives even without any change.
	TTL time.Duration
	// Max bounds the entries; when full, the cache starts over.
	Max int
	// Heartbeat is how often the listener proves it still hears changes; a
	// heartbeat not heard within the next period turns the cache off.
	Heartbeat time.Duration
	Logger    *slog.Logger

	gen       atomic.Uint64
	listening atomic.Bool
	mu        sync.Mutex
	entries   map[[32]byte]cachedPrincipal
}

type cachedPrincipal struct {
	p     tenancy.Principal
	gen   uint64
	until time.Time // the session's expiry or the TTL, whichever is first
}

// NewSessionCache returns a cache that is inactive until Listen connects.
func NewSessionCache(logger *slog.Logger) *SessionCache {
	return &SessionCache{TTL: time.Minute, Max: 100_000, Heartbeat: 5 * time.Second, Logger: logger}
}

// lookup returns the principal cached for a token hash, if it is current.
func (c *SessionCache) lookup(hash []byte, now time.Time) (*tenancy.Principal, bool) {
	if c == nil || !c.listening.Load() {
		return nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[[32]byte(hash)]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || !now.Before(e.until) {
		return nil, false
	}
	p := e.p // callers may keep the pointer; the maps are only ever read
	return &p, true
}

// generation is taken before reading a session from the database; store
// keeps the result only if nothing changed in between.
func (c *SessionCache) generation() (uint64, bool) {
	if c == nil {
		return 0, false
	}
	g := c.gen.Load()
	return g, c.listening.Load()
}

func (c *SessionCache) store(hash []byte, gen uint64, p *tenancy.Principal, until time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.listening.Load() || c.gen.Load() != gen {
		return
	}
	if c.entries == nil || len(c.entries) >= c.Max {
		c.entries = make(map[[32]byte]cachedPrincipal)
	}
	c.entries[[32]byte(hash)] = cachedPrincipal{p: *p, gen: gen, until: until}
}

// Invalidate forgets every entry. Called for every notification and by this
// process's own revocations once they are committed.
func (c *SessionCache) Invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.gen.Add(1)
	clear(c.entries)
	c.mu.Unlock()
}

// Listen keeps a connection of its own listening on AuthChannel until ctx
// ends, reconnecting after failures. The cache answers only while that
// connection demonstrably hears what the application commits: a heartbeat
// sent through pool must come back every Heartbeat. Behind a
// transaction-mode pooler, where LISTEN silently hears nothing, or on a
// connection that died quietly, the heartbeat is missed and the cache turns
// itself off.
func (c *SessionCache) Listen(ctx context.Context, direct *pgx.ConnConfig, pool *pgxpool.Pool) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		start := time.Now()
		err := c.listen(ctx, direct, pool)
		c.listening.Store(false)
		c.Invalidate()
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			backoff = 100 * time.Millisecond
		}
		c.Logger.Warn("session cache off: not hearing changes", "error", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

const heartbeatPrefix = "heartbeat:"

func (c *SessionCache) listen(ctx context.Context, direct *pgx.ConnConfig, pool *pgxpool.Pool) error {
	conn, err := pgx.ConnectConfig(ctx, direct.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "listen "+AuthChannel); err != nil {
		return err
	}
	var (
		pending string    // the heartbeat awaited, "" once heard
		next    time.Time // when to send the next one; pending must be heard by then
	)
	beat := func() error {
		pending, next = heartbeatPrefix+rand.Text(), time.Now().Add(c.Heartbeat)
		_, err := pool.Exec(ctx, "select pg_notify($1, $2)", AuthChannel, pending)
		return err
	}
	if err := beat(); err != nil {
		return err
	}
	for {
		wait, cancel := context.WithDeadline(ctx, next)
		n, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil && n.Payload == pending:
			pending = ""
			if !c.listening.Load() {
				// Whatever was cached before this connection heard its first
				// heartbeat is void.
				c.Invalidate()
				c.listening.Store(true)
			}
		case err == nil && strings.HasPrefix(n.Payload, heartbeatPrefix):
			// another process's heartbeat
		case err == nil:
			c.Invalidate()
		case ctx.Err() != nil:
			return ctx.Err()
		case !pgconn.Timeout(err):
			return err
		case pending != "":
			return errors.New("a heartbeat sent through the pool was not heard; is a transaction pooler between?")
		default:
			if err := beat(); err != nil {
				return err
			}
		}
	}
}

// Listening reports whether the cache is in use.
func (c *SessionCache) Listening() bool { return c != nil && c.listening.Load() }
