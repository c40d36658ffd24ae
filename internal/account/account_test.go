package account_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const password = "kata-sandi-yang-panjang"

// clock is an adjustable Now for the service.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func service(env *dbtest.Env, c *clock, th account.Throttle) *account.Service {
	return &account.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: c.Now, TokenTTL: time.Hour, Throttle: th}
}

func newTenant(t *testing.T, d *db.DB, slug string) *tenancy.Tenant {
	return dbtest.NewTenant(t, d, slug)
}

// member adds a user with role in tenant t, the way the API does.
func member(t *testing.T, d *db.DB, tn *tenancy.Tenant, email string, role tenancy.Role) account.Member {
	t.Helper()
	var m account.Member
	err := d.InTenantTx(t.Context(), tn.ID, func(tx pgx.Tx) error {
		var err error
		m, err = account.AddMemberTx(t.Context(), tx, tn, account.AddParams{Email: email, Name: "Pengguna " + string(role), Role: role, Password: password})
		return err
	})
	if err != nil {
		t.Fatalf("add %s as %s: %v", email, role, err)
	}
	return m
}

// plainUser creates an account with no role.
func plainUser(t *testing.T, d *db.DB, email string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	if err := d.InTx(t.Context(), func(tx pgx.Tx) error {
		var err error
		id, err = account.CreateUser(t.Context(), tx, email, "Pengguna", password)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func exec(t *testing.T, d *db.DB, sql string, args ...any) {
	t.Helper()
	if err := d.InTx(t.Context(), func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), sql, args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func wantKind(t *testing.T, what string, err error, kind apperr.Kind) *apperr.Error {
	t.Helper()
	if got := apperr.KindOf(err); got != kind {
		t.Fatalf("%s: error %v (kind %d), want kind %d", what, err, got, kind)
	}
	e, _ := apperr.As(err)
	return e
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h1, err := account.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := account.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h1, "$argon2id$") || strings.Contains(h1, password) {
		t.Errorf("hash %q: want a PHC argon2id string without the password", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no random salt")
	}
	// Change one character well inside the key (the last one of unpadded
	// base64 carries unused bits).
	i := len(h1) - 10
	c := byte('A')
	if h1[i] == 'A' {
		c = 'B'
	}
	tampered := h1[:i] + string(c) + h1[i+1:]
	tests := []struct {
		name, hash, password string
		want                 bool
		wantErr              bool
	}{
		{"right password", h1, password, true, false},
		{"right password, other salt", h2, password, true, false},
		{"wrong password", h1, password + "!", false, false},
		{"empty password", h1, "", false, false},
		{"case matters", h1, strings.ToUpper(password), false, false},
		{"tampered hash", tampered, password, false, false},
		{"not a hash", "plaintext", password, false, true},
		{"bcrypt hash", "$2a$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01", password, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := account.CheckPassword(tt.hash, tt.password)
			if ok != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("CheckPassword = %v, %v; want %v, error %v", ok, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestLoginOpensSessionThatAuthenticates(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	s := service(env, c, account.DefaultThrottle)
	tn := newTenant(t, env.DB, "depok")
	m := member(t, env.DB, tn, "siti@depok.go.id", tenancy.RoleStaf)

	sess, _, err := s.Login(t.Context(), "  Siti@Depok.go.id ", password, "10.0.0.1", account.KindBearer)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if len(sess.Token) < 40 || sess.ID == uuid.Nil {
		t.Fatalf("session %+v: want an id and a long random token", sess)
	}
	if want := c.Now().Add(time.Hour); !sess.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt %v, want %v (now + TokenTTL)", sess.ExpiresAt, want)
	}
	p, err := s.Authenticate(t.Context(), sess.Token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if p.UserID != m.ID || p.SessionID != sess.ID || p.Email != "siti@depok.go.id" {
		t.Errorf("principal %+v, want user %s session %s", p, m.ID, sess.ID)
	}
	if p.Roles[tenancy.TenantDomain("depok")] != tenancy.RoleStaf || len(p.Roles) != 1 {
		t.Errorf("roles %v, want depok: staf only", p.Roles)
	}
	if p.AuthzVersion < 1 {
		t.Errorf("AuthzVersion %d, want the current authz_state version", p.AuthzVersion)
	}
}

// TestLoginFailuresAreIndistinguishable: unknown e-mail, wrong password and
// disabled account get exactly the same answer, so nobody learns which
// e-mails have accounts.
func TestLoginFailuresAreIndistinguishable(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	plainUser(t, env.DB, "ada@depok.go.id")
	disabled := plainUser(t, env.DB, "nonaktif@depok.go.id")
	exec(t, env.DB, "update users set disabled_at = now() where id = $1", disabled)

	var first *apperr.Error
	for _, c := range []struct{ name, email, password string }{
		{"unknown e-mail", "tidak-ada@depok.go.id", password},
		{"wrong password", "ada@depok.go.id", "salah-kata-sandi-nya"},
		{"disabled account, right password", "nonaktif@depok.go.id", password},
	} {
		_, _, err := s.Login(t.Context(), c.email, c.password, "10.0.0.2", account.KindBearer)
		e := wantKind(t, c.name, err, apperr.KindUnauthenticated)
		if first == nil {
			first = e
			continue
		}
		if !reflect.DeepEqual(*e, *first) || err.Error() != first.Error() {
			t.Errorf("%s: %#v, want exactly the unknown e-mail's answer %#v", c.name, *e, *first)
		}
	}
}

func TestDisabledUserCannotLogInOrAuthenticate(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	id := plainUser(t, env.DB, "budi@depok.go.id")
	sess, _, err := s.Login(t.Context(), "budi@depok.go.id", password, "10.0.0.3", account.KindCookie)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, env.DB, "update users set disabled_at = now() where id = $1", id)

	_, err = s.Authenticate(t.Context(), sess.Token)
	wantKind(t, "Authenticate with the session of a disabled user", err, apperr.KindUnauthenticated)
	_, _, err = s.Login(t.Context(), "budi@depok.go.id", password, "10.0.0.3", account.KindCookie)
	wantKind(t, "Login of a disabled user", err, apperr.KindUnauthenticated)
}

func TestThrottlePerAccount(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	th := account.Throttle{Window: 15 * time.Minute, PerAccount: 3, PerClient: 100}
	s := service(env, c, th)
	plainUser(t, env.DB, "rina@depok.go.id")
	login := func(pw, client string) error {
		_, _, err := s.Login(t.Context(), "rina@depok.go.id", pw, client, account.KindBearer)
		return err
	}

	for i := range th.PerAccount {
		c.Advance(time.Second)
		wantKind(t, fmt.Sprintf("wrong password %d", i+1), login("bukan-sandi-yang-benar", fmt.Sprintf("10.1.0.%d", i)), apperr.KindUnauthenticated)
	}
	// Right password, fresh address: the account is locked for the window.
	e := wantKind(t, "right password after PerAccount failures", login(password, "10.9.9.9"), apperr.KindTooManyRequests)
	if e.RetryAfter <= 0 || e.RetryAfter > th.Window {
		t.Errorf("RetryAfter %v, want within (0, %v]", e.RetryAfter, th.Window)
	}
	// Once the first failure leaves the window, the account may try again.
	c.Advance(th.Window)
	if err := login(password, "10.9.9.9"); err != nil {
		t.Errorf("login after the window: %v", err)
	}
}

func TestSuccessfulLoginResetsAccountFailures(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	th := account.Throttle{Window: 15 * time.Minute, PerAccount: 3, PerClient: 100}
	s := service(env, c, th)
	plainUser(t, env.DB, "joko@depok.go.id")
	login := func(pw string) error {
		c.Advance(time.Second)
		_, _, err := s.Login(t.Context(), "joko@depok.go.id", pw, "10.0.0.4", account.KindBearer)
		return err
	}
	// PerAccount-1 failures, a success, PerAccount-1 failures: without the
	// reset that is 2×(PerAccount-1) ≥ PerAccount failures in the window.
	for round := range 2 {
		for range th.PerAccount - 1 {
			wantKind(t, "wrong password", login("bukan-sandi-yang-benar"), apperr.KindUnauthenticated)
		}
		if err := login(password); err != nil {
			t.Fatalf("round %d: right password after %d failures: %v", round+1, th.PerAccount-1, err)
		}
	}
}

func TestThrottlePerClientAcrossAccounts(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	th := account.Throttle{Window: 15 * time.Minute, PerAccount: 100, PerClient: 3}
	s := service(env, c, th)
	plainUser(t, env.DB, "korban@depok.go.id")
	const attacker = "203.0.113.7"

	// Password spraying: one guess each at different (partly unknown) e-mails.
	for i := range th.PerClient {
		c.Advance(time.Second)
		_, _, err := s.Login(t.Context(), fmt.Sprintf("orang%d@depok.go.id", i), "tebakan-kata-sandi", attacker, account.KindBearer)
		wantKind(t, "spray", err, apperr.KindUnauthenticated)
	}
	_, _, err := s.Login(t.Context(), "korban@depok.go.id", password, attacker, account.KindBearer)
	e := wantKind(t, "right password from the throttled address", err, apperr.KindTooManyRequests)
	if e.RetryAfter <= 0 {
		t.Errorf("RetryAfter %v, want > 0", e.RetryAfter)
	}
	// The account itself is not locked: its owner elsewhere logs in, and
	// that success does not forgive the attacker's address.
	if _, _, err := s.Login(t.Context(), "korban@depok.go.id", password, "10.0.0.5", account.KindBearer); err != nil {
		t.Fatalf("login from another address: %v", err)
	}
	_, _, err = s.Login(t.Context(), "korban@depok.go.id", password, attacker, account.KindBearer)
	wantKind(t, "throttled address after another address's success", err, apperr.KindTooManyRequests)
}

func TestAuthenticateRejectsExpiredRevokedAndForeignTokens(t *testing.T) {
	env := dbtest.New(t)
	c := newClock()
	s := service(env, c, account.DefaultThrottle)
	plainUser(t, env.DB, "dewi@depok.go.id")
	login := func() account.Session {
		t.Helper()
		sess, _, err := s.Login(t.Context(), "dewi@depok.go.id", password, "10.0.0.6", account.KindBearer)
		if err != nil {
			t.Fatal(err)
		}
		return sess
	}
	expiring, revoked, kept := login(), login(), login()
	if err := s.Logout(t.Context(), revoked.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(t.Context(), kept.Token); err != nil {
		t.Fatalf("a live session after another was revoked: %v", err)
	}
	_, err := s.Authenticate(t.Context(), revoked.Token)
	wantKind(t, "revoked session", err, apperr.KindUnauthenticated)

	c.Advance(time.Hour - time.Second)
	if _, err := s.Authenticate(t.Context(), expiring.Token); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	c.Advance(2 * time.Second)
	_, err = s.Authenticate(t.Context(), expiring.Token)
	wantKind(t, "expired session", err, apperr.KindUnauthenticated)

	for name, token := range map[string]string{
		"empty":              "",
		"unknown":            base64.RawURLEncoding.EncodeToString(make([]byte, 32)),
		"over 256 bytes":     strings.Repeat("a", 300),
		"token hash instead": hex.EncodeToString(sha(kept.Token)),
	} {
		_, err := s.Authenticate(t.Context(), token)
		wantKind(t, name+" token", err, apperr.KindUnauthenticated)
	}
}

func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// TestTokenStoredOnlyAsHash looks behind the application with the superuser:
// a database dump must not contain a usable token in any form.
func TestTokenStoredOnlyAsHash(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	plainUser(t, env.DB, "eko@depok.go.id")
	sess, _, err := s.Login(t.Context(), "eko@depok.go.id", password, "10.0.0.7", account.KindBearer)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	admin, err := pgx.Connect(ctx, env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())

	var stored []byte
	if err := admin.QueryRow(ctx, "select token_hash from sessions where id = $1", sess.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if string(stored) == sess.Token || !reflect.DeepEqual(stored, sha(sess.Token)) {
		t.Errorf("sessions.token_hash = %x, want SHA-256 of the token, never the token", stored)
	}

	raw, err := base64.RawURLEncoding.DecodeString(sess.Token)
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]string{
		"token":                 sess.Token,
		"token bytes as hex":    hex.EncodeToString([]byte(sess.Token)),
		"decoded token as hex":  hex.EncodeToString(raw),
		"decoded token, base64": base64.StdEncoding.EncodeToString(raw),
	}
	rows, err := admin.Query(ctx, `select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
		where table_schema in ('public', 'river') and table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		for form, v := range forms {
			var n int
			if err := admin.QueryRow(ctx, "select count(*) from "+table+" x where strpos(x::text, $1) > 0", v).Scan(&n); err != nil {
				t.Fatalf("search %s: %v", table, err)
			}
			if n > 0 {
				t.Errorf("%s holds the %s in %d rows", table, form, n)
			}
		}
	}
}

func TestUpdateMemberWithStaleVersionFails(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	tn := newTenant(t, env.DB, "depok")
	member(t, env.DB, tn, "admin@depok.go.id", tenancy.RoleAdmin)
	staf := member(t, env.DB, tn, "staf@depok.go.id", tenancy.RoleStaf)

	viewer := tenancy.RoleViewer
	updated, err := s.UpdateMember(t.Context(), tn, staf.ID, staf.Version, account.UpdateParams{Role: &viewer})
	if err != nil {
		t.Fatalf("first update: %v", err)
	}
	if updated.Version == staf.Version {
		t.Fatalf("version still %d after an update", updated.Version)
	}
	// A second editor still holding the first version.
	admin := tenancy.RoleAdmin
	_, err = s.UpdateMember(t.Context(), tn, staf.ID, staf.Version, account.UpdateParams{Role: &admin})
	wantKind(t, "update with the stale version", err, apperr.KindPreconditionFailed)
	got, err := s.GetMember(t.Context(), tn, staf.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != tenancy.RoleViewer || got.Version != updated.Version {
		t.Errorf("after the refused update: role %s version %d, want viewer %d", got.Role, got.Version, updated.Version)
	}
}

func TestLastActiveAdminCannotBeDemotedOrDisabled(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	tn := newTenant(t, env.DB, "depok")
	first := member(t, env.DB, tn, "kepala@depok.go.id", tenancy.RoleAdmin)
	staf, inactive := tenancy.RoleStaf, false

	for name, p := range map[string]account.UpdateParams{
		"demote":  {Role: &staf},
		"disable": {Active: &inactive},
	} {
		_, err := s.UpdateMember(t.Context(), tn, first.ID, first.Version, p)
		wantKind(t, name+" the only admin", err, apperr.KindInvalid)
	}

	// A disabled second admin does not count; an active one does.
	second := member(t, env.DB, tn, "wakil@depok.go.id", tenancy.RoleAdmin)
	second, err := s.UpdateMember(t.Context(), tn, second.ID, second.Version, account.UpdateParams{Active: &inactive})
	if err != nil {
		t.Fatalf("disable the second admin while the first is active: %v", err)
	}
	_, err = s.UpdateMember(t.Context(), tn, first.ID, first.Version, account.UpdateParams{Role: &staf})
	wantKind(t, "demote the only active admin", err, apperr.KindInvalid)

	active := true
	if _, err := s.UpdateMember(t.Context(), tn, second.ID, second.Version, account.UpdateParams{Active: &active}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateMember(t.Context(), tn, first.ID, first.Version, account.UpdateParams{Role: &staf}); err != nil {
		t.Errorf("demote one of two active admins: %v", err)
	}
}

func TestUpdateMemberOfAnotherTenantIsNotFound(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	depok, medan := newTenant(t, env.DB, "depok"), newTenant(t, env.DB, "medan")
	member(t, env.DB, medan, "admin@medan.go.id", tenancy.RoleAdmin)
	other := member(t, env.DB, medan, "staf@medan.go.id", tenancy.RoleStaf)
	viewer := tenancy.RoleViewer
	_, err := s.UpdateMember(t.Context(), depok, other.ID, other.Version, account.UpdateParams{Role: &viewer})
	wantKind(t, "Depok updating a Medan user", err, apperr.KindNotFound)
	_, err = s.GetMember(t.Context(), depok, other.ID)
	wantKind(t, "Depok reading a Medan user", err, apperr.KindNotFound)
}

func TestUpdateMemberWritesMaskedAuditEntry(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	tn := newTenant(t, env.DB, "depok")
	admin := member(t, env.DB, tn, "kepala@depok.go.id", tenancy.RoleAdmin)
	staf := member(t, env.DB, tn, "ani.staf@depok.go.id", tenancy.RoleStaf)

	ctx := tenancy.WithRequestID(tenancy.WithPrincipal(t.Context(), &tenancy.Principal{UserID: admin.ID}), "req-42")
	viewer := tenancy.RoleViewer
	if _, err := s.UpdateMember(ctx, tn, staf.ID, staf.Version, account.UpdateParams{Role: &viewer}); err != nil {
		t.Fatal(err)
	}

	type snapshot struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	var (
		actor         uuid.UUID
		action, reqID string
		before, after snapshot
		rowText       string
	)
	if err := env.DB.InTenantTx(t.Context(), tn.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), `select actor_id, action, request_id, before, after, a::text from audit_log a
			where entity = 'user' and entity_id = $1 and action <> 'create'`, staf.ID.String()).
			Scan(&actor, &action, &reqID, &before, &after, &rowText)
	}); err != nil {
		t.Fatalf("read the update's audit entry as the tenant: %v", err)
	}
	if action != "change_role" || actor != admin.ID || reqID != "req-42" {
		t.Errorf("audit action %q actor %s request %q, want change_role by %s in req-42", action, actor, reqID, admin.ID)
	}
	if before.Role != "staf" || after.Role != "viewer" {
		t.Errorf("audit role %q → %q, want staf → viewer", before.Role, after.Role)
	}
	if before.Email != "a***@depok.go.id" || after.Email != "a***@depok.go.id" {
		t.Errorf("audit e-mail before %q after %q, want a***@depok.go.id", before.Email, after.Email)
	}
	if strings.Contains(rowText, "ani.staf") {
		t.Errorf("audit row holds the e-mail in the clear: %s", rowText)
	}

	other := newTenant(t, env.DB, "medan")
	var seen int
	if err := env.DB.InTenantTx(t.Context(), other.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), "select count(*) from audit_log where entity_id = $1", staf.ID.String()).Scan(&seen)
	}); err != nil {
		t.Fatal(err)
	}
	if seen != 0 {
		t.Errorf("another tenant sees %d audit rows about this user, want 0", seen)
	}
}

// TestConcurrentDemotionsKeepAnAdmin: two admins demoting each other at the
// same moment must not leave the office with no admin. Each update checks
// "another active admin exists" and then writes; the test makes both reach
// their final write together (a superuser holds a lock on audit_log, which
// both must insert into), then lets them commit.
func TestConcurrentDemotionsKeepAnAdmin(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	tn := newTenant(t, env.DB, "depok")
	admins := []account.Member{
		member(t, env.DB, tn, "kepala@depok.go.id", tenancy.RoleAdmin),
		member(t, env.DB, tn, "wakil@depok.go.id", tenancy.RoleAdmin),
	}
	ctx := t.Context()
	gate, err := pgx.Connect(ctx, env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer gate.Close(context.Background())
	if _, err := gate.Exec(ctx, "begin; lock table audit_log in share mode"); err != nil {
		t.Fatal(err)
	}

	staf := tenancy.RoleStaf
	errs := make(chan error, len(admins))
	for _, m := range admins {
		go func() {
			_, err := s.UpdateMember(ctx, tn, m.ID, m.Version, account.UpdateParams{Role: &staf})
			errs <- err
		}()
	}
	// Wait until both updates are blocked on a lock: at the gate, or on each
	// other if the service serialises them.
	env.AwaitLockWaits(t, len(admins), nil)
	if _, err := gate.Exec(ctx, "commit"); err != nil {
		t.Fatal(err)
	}

	succeeded := 0
	for range admins {
		if err := <-errs; err == nil {
			succeeded++
		}
	}
	var active int
	if err := env.DB.Pool.QueryRow(ctx, `select count(*) from role_assignments
		where domain = $1 and role = 'admin' and disabled_at is null`, tn.Slug).Scan(&active); err != nil {
		t.Fatal(err)
	}
	if active == 0 || succeeded > 1 {
		t.Errorf("after two concurrent demotions: %d succeeded, %d active admins left; want at most one demotion and at least one admin", succeeded, active)
	}
}
