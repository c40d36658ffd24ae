// Package account holds Sentra's people: users, their credentials, their
// sessions, and the roles they hold per domain. Identity is global (one
// person may work for a tenant, a province and the platform); every tenant's
// view of it is filtered by the role assignments of that tenant.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the account service.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// TokenTTL is how long a login lasts.
	TokenTTL time.Duration
	Throttle Throttle
	// Sessions, if set, keeps authenticated sessions in memory.
	Sessions *SessionCache
	// Sealer seals TOTP secrets at rest (the data key of NIKs).
	Sealer *pii.Sealer
	// Mailer mails invitations; nil: the link is only shown to whoever
	// invited.
	Mailer *surel.Mailer
}

// Throttle limits failed logins in a sliding window.
type Throttle struct {
	Window     time.Duration
	PerAccount int // failures per e-mail
	PerClient  int // failures per client address
}

// DefaultThrottle: 5 wrong passwords per account or 30 per address in 15
// minutes, then wait.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerClient: 30}

// Session is a fresh login.
type Session struct {
	ID        uuid.UUID
	Token     string
	ExpiresAt time.Time
	// MustEnrolTOTP: the session may only enrol TOTP (tenancy.Principal).
	MustEnrolTOTP bool
}

// SessionCookie is the browser cookie holding a session's token: set by the
// web pages' login, read by the API and the pages alike.
const SessionCookie = "sentra_session"

// Kinds of session.
const (
	KindBearer = "bearer"
	KindCookie = "cookie"
)

var (
	errBadLogin = apperr.Unauthenticated(apperr.T("Email atau kata sandi salah.", "Wrong e-mail or password."))
	errBadToken = apperr.Unauthenticated(apperr.T("Sesi tidak valid atau sudah berakhir. Silakan masuk lagi.", "Invalid or expired session. Please log in again."))
)

// NormalizeEmail is how e-mails are stored and compared.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Login checks a password and opens a session or, for a user with TOTP, a
// challenge to be answered with a code (LoginTOTP). Unknown e-mail, wrong
// password and disabled account get the same answer in about the same time.
func (s *Service) Login(ctx context.Context, email, password, client, kind string) (Session, *Challenge, error) {
	email = NormalizeEmail(email)
	accountKey, clientKey := throttleKey("account", email), throttleKey("client", client)
	if err := s.checkThrottle(ctx, accountKey, clientKey); err != nil {
		return Session{}, nil, err
	}
	var (
		userID             uuid.UUID
		hash               string
		hasTOTP, mustEnrol bool
	)
	err := s.DB.ReadRow(ctx, `select u.id, c.password_hash, `+hasTOTPSQL+`, `+requiresTOTPSQL+`
		from users u join credentials c on c.user_id = u.id
		where u.email = $1 and u.disabled_at is null`, []any{email}, &userID, &hash, &hasTOTP, &mustEnrol)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		_, _ = CheckPassword(dummyHash, password)
		return Session{}, nil, s.fail(ctx, errBadLogin, accountKey, clientKey)
	case err != nil:
		return Session{}, nil, fmt.Errorf("login lookup: %w", err)
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return Session{}, nil, fmt.Errorf("check password of %s: %w", userID, err)
	}
	if !ok {
		return Session{}, nil, s.fail(ctx, errBadLogin, accountKey, clientKey)
	}
	if hasTOTP {
		// The account's failures are forgiven only once the code is right.
		ch, err := s.openChallenge(ctx, userID, kind)
		return Session{}, ch, err
	}
	var sess Session
	err = s.DB.InTx(ctx, func(tx pgx.Tx) error {
		// A success forgives the account's earlier failures, not the address's.
		if _, err := tx.Exec(ctx, "delete from login_failures where key = $1", accountKey); err != nil {
			return err
		}
		sess, err = s.openSession(ctx, tx, userID, kind)
		return err
	})
	sess.MustEnrolTOTP = mustEnrol
	return sess, nil, err
}

func (s *Service) openSession(ctx context.Context, tx pgx.Tx, userID uuid.UUID, kind string) (Session, error) {
	token, err := newToken()
	if err != nil {
		return Session{}, err
	}
	sess := Session{ID: uuid.Must(uuid.NewV7()), Token: token, ExpiresAt: s.Now().Add(s.TokenTTL).UTC().Truncate(time.Second)}
	_, err = tx.Exec(ctx, `insert into sessions (id, user_id, token_hash, kind, expires_at) values ($1, $2, $3, $4, $5)`,
		sess.ID, userID, hashToken(token), kind, sess.ExpiresAt)
	if err != nil {
		return Session{}, fmt.Errorf("open session: %w", err)
	}
	return sess, nil
}

// newToken is a fresh random opaque token.
func newToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func throttleKey(kind, value string) []byte {
	h := sha256.Sum256([]byte("sentra-login:" + kind + ":" + value))
	return h[:]
}

func (s *Service) checkThrottle(ctx context.Context, accountKey, clientKey []byte) error {
	since := s.Now().Add(-s.Throttle.Window)
	var accountN, clientN int
	var accountOldest, clientOldest *time.Time
	err := s.DB.ReadRow(ctx, `select
			count(*) filter (where key = $1), min(failed_at) filter (where key = $1),
			count(*) filter (where key = $2), min(failed_at) filter (where key = $2)
		from login_failures where key in ($1, $2) and failed_at > $3`,
		[]any{accountKey, clientKey, since}, &accountN, &accountOldest, &clientN, &clientOldest)
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	var oldest *time.Time
	switch {
	case accountN >= s.Throttle.PerAccount:
		oldest = accountOldest
	case clientN >= s.Throttle.PerClient:
		oldest = clientOldest
	default:
		return nil
	}
	wait := oldest.Add(s.Throttle.Window).Sub(s.Now())
	if wait < time.Second {
		wait = time.Second
	}
	return apperr.TooManyRequests(apperr.T(
		"Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.",
		"Too many failed login attempts. Try again later."), wait)
}

// fail records a failed login (a wrong password or code) for the account and
// the address, and returns answer.
func (s *Service) fail(ctx context.Context, answer error, accountKey, clientKey []byte) error {
	_, err := s.DB.Pool.Exec(ctx, "insert into login_failures (key, failed_at) values ($1, $3), ($2, $3)", accountKey, clientKey, s.Now())
	if err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return answer
}

// Authenticate resolves a token to its principal with its roles, in one
// query. Disabled users, revoked or expired sessions get 401.
func (s *Service) Authenticate(ctx context.Context, token string) (*tenancy.Principal, error) {
	if token == "" || len(token) > 256 {
		return nil, errBadToken
	}
	hash, now := hashToken(token), s.Now()
	if p, ok := s.Sessions.lookup(hash, now); ok {
		return p, nil
	}
	gen, cache := s.Sessions.generation()
	p := &tenancy.Principal{}
	var (
		roles   map[string]string
		areas   map[string][]string
		expires time.Time
	)
	err := s.DB.ReadRow(ctx, `select s.id, s.expires_at, u.id, u.email, u.name, (select version from authz_state),
			`+requiresTOTPSQL+` and not `+hasTOTPSQL+`,
			coalesce((select jsonb_object_agg(domain, role) from role_assignments r
				where r.user_id = u.id and r.disabled_at is null), '{}'),
			coalesce((select jsonb_object_agg(domain, wilayah) from role_assignments r
				where r.user_id = u.id and r.disabled_at is null and r.wilayah is not null), '{}')
		from sessions s join users u on u.id = s.user_id
		where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2 and u.disabled_at is null`,
		[]any{hash, now}, &p.SessionID, &expires, &p.UserID, &p.Email, &p.Name, &p.AuthzVersion, &p.MustEnrolTOTP, &roles, &areas)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	p.Roles = make(map[tenancy.Domain]tenancy.Role, len(roles))
	for d, r := range roles {
		p.Roles[tenancy.Domain(d)] = tenancy.Role(r)
	}
	p.Wilayah = make(map[tenancy.Domain][]string, len(areas))
	for d, w := range areas {
		p.Wilayah[tenancy.Domain(d)] = w
	}
	if cache {
		until := now.Add(s.Sessions.TTL)
		if expires.Before(until) {
			until = expires
		}
		s.Sessions.store(hash, gen, p, until)
	}
	return p, nil
}

// Logout revokes a session.
func (s *Service) Logout(ctx context.Context, sessionID uuid.UUID) error {
	_, err := s.DB.Pool.Exec(ctx, "update sessions set revoked_at = $2 where id = $1 and revoked_at is null", sessionID, s.Now())
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	s.Sessions.Invalidate()
	return nil
}

// PruneExpired deletes sessions past their expiry or revoked (login
// challenges past theirs count as sessions), and login failures outside the
// throttle window. Run by the retention job.
func (s *Service) PruneExpired(ctx context.Context, tx pgx.Tx) (sessions, failures int64, err error) {
	now := s.Now()
	tag, err := tx.Exec(ctx, "delete from sessions where expires_at < $1 or revoked_at < $1 - interval '1 day'", now)
	if err != nil {
		return 0, 0, fmt.Errorf("prune sessions: %w", err)
	}
	sessions = tag.RowsAffected()
	if tag, err = tx.Exec(ctx, "delete from login_challenges where expires_at < $1", now); err != nil {
		return 0, 0, fmt.Errorf("prune login challenges: %w", err)
	}
	sessions += tag.RowsAffected()
	tag, err = tx.Exec(ctx, "delete from login_failures where failed_at < $1", now.Add(-s.Throttle.Window))
	if err != nil {
		return 0, 0, fmt.Errorf("prune login failures: %w", err)
	}
	return sessions, tag.RowsAffected(), nil
}
