package account

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"maps"
	"slices"
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
// It is correct only while it hears every change. Listen holds a connection
// on AuthChannel and sends a heartbeat through the application's pool every
// Heartbeat; PostgreSQL delivers notifications in commit order, so hearing a
// heartbeat proves that every change committed before it was sent has been
// heard. Entries answer only while the last heartbeat heard was sent less
// than two Heartbeats ago: a change committed by another process is seen
// within milliseconds, and even on a connection that died silently never
// more than two Heartbeats after its commit. A change committed by this
// process is seen at once (Invalidate).
//
// Each notification, each reconnect and each local change starts a new
// generation; an entry answers only in the generation it was read in, so a
// principal read before a change is never served after the change is heard.
type SessionCache struct {
	// TTL bounds how long an entry lives even without any change.
	TTL time.Duration
	// Max bounds the entries; when full, the cache starts over.
	Max int
	// Heartbeat is how often the listener proves it still hears changes.
	Heartbeat time.Duration
	Logger    *slog.Logger

	gen       atomic.Uint64
	listening atomic.Bool
	fresh     atomic.Int64 // unix ns when the last heartbeat heard was sent
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
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &SessionCache{TTL: time.Minute, Max: 100_000, Heartbeat: time.Second, Logger: logger}
}

// lookup returns the principal cached for a token hash, if it is current.
func (c *SessionCache) lookup(hash []byte, now time.Time) (*tenancy.Principal, bool) {
	if !c.Listening() {
		return nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[[32]byte(hash)]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || !now.Before(e.until) {
		return nil, false
	}
	return clonePrincipal(&e.p), true
}

// clonePrincipal copies p deeply: each request gets a principal of its own.
func clonePrincipal(p *tenancy.Principal) *tenancy.Principal {
	q := *p
	q.Roles = maps.Clone(p.Roles)
	q.Wilayah = make(map[tenancy.Domain][]string, len(p.Wilayah))
	for d, w := range p.Wilayah {
		q.Wilayah[d] = slices.Clone(w)
	}
	return &q
}

// generation is taken before reading a session from the database; store
// keeps the result only if nothing changed in between.
func (c *SessionCache) generation() (uint64, bool) {
	if c == nil {
		return 0, false
	}
	g := c.gen.Load()
	return g, c.Listening()
}

func (c *SessionCache) store(hash []byte, gen uint64, p *tenancy.Principal, until time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.Listening() || c.gen.Load() != gen {
		return
	}
	if c.entries == nil || len(c.entries) >= c.Max {
		c.entries = make(map[[32]byte]cachedPrincipal)
	}
	c.entries[[32]byte(hash)] = cachedPrincipal{p: *clonePrincipal(p), gen: gen, until: until}
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
// ends, reconnecting after failures. Behind a transaction-mode pooler, where
// LISTEN silently hears nothing, heartbeats are never heard and the cache
// stays off.
func (c *SessionCache) Listen(ctx context.Context, direct *pgx.ConnConfig, pool *pgxpool.Pool) {
	backoff, failures := 100*time.Millisecond, 0
	for ctx.Err() == nil {
		start := time.Now()
		heard, err := c.listen(ctx, direct, pool)
		c.listening.Store(false)
		c.Invalidate()
		if ctx.Err() != nil {
			return
		}
		if heard || time.Since(start) > time.Minute {
			backoff, failures = 100*time.Millisecond, 0
		}
		failures++
		// Say it once; a cache that cannot hear (no direct connection
		// configured) would otherwise repeat it forever.
		level := slog.LevelWarn
		if failures > 1 {
			level = slog.LevelDebug
		}
		c.Logger.Log(ctx, level, "session cache off: not hearing changes; sessions are read per request",
			"error", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// Listening reports whether the cache answers: its connection heard a
// heartbeat sent less than two Heartbeats ago.
func (c *SessionCache) Listening() bool {
	return c != nil && c.listening.Load() && time.Since(time.Unix(0, c.fresh.Load())) < 2*c.Heartbeat
}

const heartbeatPrefix = "heartbeat:"

// listen serves one connection until it fails; heard says whether it ever
// heard its heartbeat.
func (c *SessionCache) listen(ctx context.Context, direct *pgx.ConnConfig, pool *pgxpool.Pool) (heard bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, direct.Copy())
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "listen "+AuthChannel); err != nil {
		return false, err
	}
	var (
		pending string    // the heartbeat awaited, "" once heard
		sentAt  time.Time // when pending was sent
	)
	// The heartbeat goes out on its own goroutine: waiting for a pool
	// connection must not stop this loop from reading notifications.
	beat := func() {
		pending, sentAt = heartbeatPrefix+rand.Text(), time.Now()
		go func(payload string) {
			bctx, cancel := context.WithTimeout(ctx, c.Heartbeat)
			defer cancel()
			_, _ = pool.Exec(bctx, "select pg_notify($1, $2)", AuthChannel, payload) // unheard, it turns the cache off
		}(pending)
	}
	beat()
	for {
		wait, cancel := context.WithDeadline(ctx, sentAt.Add(c.Heartbeat))
		n, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case err == nil && pending != "" && n.Payload == pending:
			pending = ""
			c.fresh.Store(sentAt.UnixNano())
			if !heard {
				// Whatever was cached before this connection heard its first
				// heartbeat is void.
				c.Invalidate()
				c.listening.Store(true)
				heard = true
			}
		case err == nil && strings.HasPrefix(n.Payload, heartbeatPrefix):
			// another process's heartbeat, or a late one of ours
		case err == nil:
			c.Invalidate()
		case ctx.Err() != nil:
			return heard, ctx.Err()
		case !pgconn.Timeout(err):
			return heard, err
		case pending != "":
			return heard, errors.New("a heartbeat sent through the pool was not heard within a heartbeat period; is a transaction pooler between?")
		default:
			beat()
		}
	}
}
