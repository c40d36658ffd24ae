package account_test

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// cached returns a service whose session cache listens until the test ends.
func cached(t *testing.T, env *dbtest.Env, c *clock) (*account.Service, func()) {
	t.Helper()
	s := service(env, c, account.DefaultThrottle)
	s.Sessions = account.NewSessionCache(slog.New(slog.DiscardHandler))
	stop := listen(t, s, env.DB.Pool.Config().ConnConfig, env.DB.Pool)
	eventually(t, "the cache listens", func() bool { return s.Sessions.Listening() })
	return s, stop
}

// listen runs s's listener until stop is called or the test ends.
func listen(t *testing.T, s *account.Service, direct *pgx.ConnConfig, pool *pgxpool.Pool) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Sessions.Listen(ctx, direct, pool) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: not yet %s", what)
		}
	}
}

// authzVersion moves authz_state without announcing it: nothing a real change
// does, but it tells a principal served from memory from one read now.
func bumpAuthzVersionQuietly(t *testing.T, env *dbtest.Env) {
	exec(t, env.DB, "update authz_state set version = version + 1000")
}

func authenticate(t *testing.T, s *account.Service, token string) *tenancy.Principal {
	t.Helper()
	p, err := s.Authenticate(t.Context(), token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return p
}

// servedFromMemory asserts that token's principal now comes from the cache.
func servedFromMemory(t *testing.T, env *dbtest.Env, s *account.Service, token string) *tenancy.Principal {
	t.Helper()
	first := authenticate(t, s, token)
	bumpAuthzVersionQuietly(t, env)
	again := authenticate(t, s, token)
	if again.AuthzVersion != first.AuthzVersion {
		t.Fatalf("second Authenticate read the database (version %d → %d); want it served from memory", first.AuthzVersion, again.AuthzVersion)
	}
	return again
}

func TestSessionCacheDropsSessionsRevokedByAnotherProcess(t *testing.T) {
	env := dbtest.New(t)
	s, _ := cached(t, env, newClock())
	plainUser(t, env.DB, "rina@depok.go.id")
	sess, _, err := s.Login(t.Context(), "rina@depok.go.id", password, "10.0.1.1", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	servedFromMemory(t, env, s, sess.Token)

	// Another process (here: a plain connection) revokes the session.
	exec(t, env.DB, "update sessions set revoked_at = now() where id = $1", sess.ID)
	eventually(t, "refused after the revocation", func() bool {
		_, err := s.Authenticate(t.Context(), sess.Token)
		return apperr.KindOf(err) == apperr.KindUnauthenticated
	})
}

func TestSessionCacheDropsRolesChangedByAnotherProcess(t *testing.T) {
	env := dbtest.New(t)
	s, _ := cached(t, env, newClock())
	tn := newTenant(t, env.DB, "depok")
	m := member(t, env.DB, tn, "andi@depok.go.id", tenancy.RoleAdmin)
	member(t, env.DB, tn, "admin2@depok.go.id", tenancy.RoleAdmin)
	sess, _, err := s.Login(t.Context(), "andi@depok.go.id", password, "10.0.1.2", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	if p := servedFromMemory(t, env, s, sess.Token); p.Roles[tenancy.TenantDomain("depok")] != tenancy.RoleAdmin {
		t.Fatalf("roles %v, want depok admin", p.Roles)
	}
	exec(t, env.DB, "update role_assignments set role = 'viewer' where user_id = $1", m.ID)
	eventually(t, "the new role", func() bool {
		return authenticate(t, s, sess.Token).Roles[tenancy.TenantDomain("depok")] == tenancy.RoleViewer
	})

	exec(t, env.DB, "update users set disabled_at = now() where id = $1", m.ID)
	eventually(t, "refused after the user is disabled", func() bool {
		_, err := s.Authenticate(t.Context(), sess.Token)
		return apperr.KindOf(err) == apperr.KindUnauthenticated
	})
}

// TestSessionCacheSeesOwnChangesAtOnce: a logout or a member change made by
// this process is refused on the very next call, without waiting for the
// notification.
func TestSessionCacheSeesOwnChangesAtOnce(t *testing.T) {
	env := dbtest.New(t)
	s, _ := cached(t, env, newClock())
	tn := newTenant(t, env.DB, "depok")
	member(t, env.DB, tn, "kepala@depok.go.id", tenancy.RoleAdmin)
	m := member(t, env.DB, tn, "staf@depok.go.id", tenancy.RoleStaf)
	login := func() account.Session {
		sess, _, err := s.Login(t.Context(), "staf@depok.go.id", password, "10.0.1.3", account.KindBearer)
		if err != nil {
			t.Fatal(err)
		}
		return sess
	}
	out, disabled := login(), login()
	servedFromMemory(t, env, s, out.Token)
	servedFromMemory(t, env, s, disabled.Token)

	if err := s.Logout(t.Context(), out.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.Authenticate(t.Context(), out.Token)
	wantKind(t, "right after logout", err, apperr.KindUnauthenticated)

	off := false
	if _, err := s.UpdateMember(t.Context(), tn, m.ID, m.Version, account.UpdateParams{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if p := authenticate(t, s, disabled.Token); len(p.Roles) != 0 {
		t.Errorf("right after the member was disabled: roles %v, want none", p.Roles)
	}
}

func TestSessionCacheNeverOutlivesTheSession(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	s, _ := cached(t, env, c)
	plainUser(t, env.DB, "wati@depok.go.id")
	sess, _, err := s.Login(t.Context(), "wati@depok.go.id", password, "10.0.1.4", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	s.Sessions.TTL = 2 * time.Hour // longer than the session: its expiry must still hold
	servedFromMemory(t, env, s, sess.Token)
	c.Advance(time.Hour + time.Second)
	_, err = s.Authenticate(t.Context(), sess.Token)
	wantKind(t, "cached session past its expiry", err, apperr.KindUnauthenticated)
}

func TestSessionCacheEntriesExpireAfterTTL(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	s, _ := cached(t, env, c)
	plainUser(t, env.DB, "yanti@depok.go.id")
	sess, _, err := s.Login(t.Context(), "yanti@depok.go.id", password, "10.0.1.5", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	p := servedFromMemory(t, env, s, sess.Token)
	c.Advance(s.Sessions.TTL)
	if again := authenticate(t, s, sess.Token); again.AuthzVersion == p.AuthzVersion {
		t.Errorf("after the TTL: still version %d from memory, want a fresh read", p.AuthzVersion)
	}
}

// TestSessionCacheStaysOffWhenItHearsNothing: a listener that does not hear
// the application's commits (here: connected to another database, as LISTEN
// through a transaction pooler would be) never turns the cache on.
func TestSessionCacheStaysOffWhenItHearsNothing(t *testing.T) {
	env, elsewhere := dbtest.New(t), dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	s.Sessions = account.NewSessionCache(slog.New(slog.DiscardHandler))
	s.Sessions.Heartbeat = 200 * time.Millisecond
	listen(t, s, elsewhere.DB.Pool.Config().ConnConfig, env.DB.Pool)
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if s.Sessions.Listening() {
			t.Fatal("the cache turned on without hearing its heartbeat")
		}
	}
}

// TestSessionCacheTurnsOffWhenHeartbeatsStop: a cache that was hearing and
// then stops (here: its heartbeats cannot be sent) stops answering within
// two heartbeats.
func TestSessionCacheTurnsOffWhenHeartbeatsStop(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	s.Sessions = account.NewSessionCache(nil)
	s.Sessions.Heartbeat = 200 * time.Millisecond
	beats, err := pgxpool.New(t.Context(), env.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	defer beats.Close()
	listen(t, s, env.DB.Pool.Config().ConnConfig, beats)
	eventually(t, "the cache listens", func() bool { return s.Sessions.Listening() })
	plainUser(t, env.DB, "dian@depok.go.id")
	sess, _, err := s.Login(t.Context(), "dian@depok.go.id", password, "10.0.1.8", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	servedFromMemory(t, env, s, sess.Token)

	beats.Close()
	stopped := time.Now()
	eventually(t, "the cache is off", func() bool { return !s.Sessions.Listening() })
	if took := time.Since(stopped); took > 3*s.Sessions.Heartbeat {
		t.Errorf("off %v after the heartbeats stopped, want within two heartbeats (%v)", took, 2*s.Sessions.Heartbeat)
	}
	before := authenticate(t, s, sess.Token)
	bumpAuthzVersionQuietly(t, env)
	if after := authenticate(t, s, sess.Token); after.AuthzVersion == before.AuthzVersion {
		t.Errorf("heartbeats stopped, yet version %d came from memory", before.AuthzVersion)
	}
}

// TestSessionCacheSurvivesALostConnection: a change committed while the
// listener is away, unheard, is not hidden by what was cached before.
func TestSessionCacheSurvivesALostConnection(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	s.Sessions = account.NewSessionCache(nil)
	// The listener's dials wait while the gate is closed.
	var gate atomic.Bool
	direct := env.DB.Pool.Config().ConnConfig.Copy()
	dial := direct.DialFunc
	direct.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		for gate.Load() {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
		}
		return dial(ctx, network, addr)
	}
	listen(t, s, direct, env.DB.Pool)
	eventually(t, "the cache listens", func() bool { return s.Sessions.Listening() })

	tn := newTenant(t, env.DB, "depok")
	m := member(t, env.DB, tn, "lina@depok.go.id", tenancy.RoleAdmin)
	member(t, env.DB, tn, "admin2@depok.go.id", tenancy.RoleAdmin)
	sess, _, err := s.Login(t.Context(), "lina@depok.go.id", password, "10.0.1.7", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	servedFromMemory(t, env, s, sess.Token)

	gate.Store(true)
	admin, err := pgx.Connect(t.Context(), env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var killed bool
	if err := admin.QueryRow(t.Context(), `select bool_or(pg_terminate_backend(pid)) from pg_stat_activity
		where datname = current_database() and query = 'listen `+account.AuthChannel+`'`).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the listener: %v %v", killed, err)
	}
	eventually(t, "the cache is off", func() bool { return !s.Sessions.Listening() })
	exec(t, env.DB, "update role_assignments set role = 'viewer' where user_id = $1", m.ID) // heard by nobody
	gate.Store(false)
	eventually(t, "listening again", func() bool { return s.Sessions.Listening() })
	if p := authenticate(t, s, sess.Token); p.Roles[tenancy.TenantDomain("depok")] != tenancy.RoleViewer {
		t.Errorf("after reconnecting: roles %v, want the viewer role set while away", p.Roles)
	}
}

// TestSessionCacheIsOffWithoutItsConnection: a notification missed while
// not listening could be a revocation, so nothing is served from memory.
func TestSessionCacheIsOffWithoutItsConnection(t *testing.T) {
	env := dbtest.New(t)
	s, stop := cached(t, env, newClock())
	plainUser(t, env.DB, "eko@depok.go.id")
	sess, _, err := s.Login(t.Context(), "eko@depok.go.id", password, "10.0.1.6", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	servedFromMemory(t, env, s, sess.Token)
	stop()
	eventually(t, "the cache is off", func() bool { return !s.Sessions.Listening() })
	before := authenticate(t, s, sess.Token)
	bumpAuthzVersionQuietly(t, env)
	if after := authenticate(t, s, sess.Token); after.AuthzVersion == before.AuthzVersion {
		t.Errorf("not listening, yet version %d came from memory", before.AuthzVersion)
	}
}
