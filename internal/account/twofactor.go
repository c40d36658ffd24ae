package account

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The second factor. Admins (of a tenant, or of the platform) may enrol an
// authenticator app; from then on a correct password opens a Challenge, and
// only its token with a valid code opens a session. A tenant may require it
// of all its admins: an admin of such a tenant without TOTP still logs in,
// but the session may do nothing except enrol (tenancy.Principal
// MustEnrolTOTP), so the office never locks out an admin who has not set
// it up yet, and no admin work happens without it.

const (
	// ChallengeTTL is how long a password step waits for its code.
	ChallengeTTL = 5 * time.Minute
	// MaxCodeAttempts wrong codes end a challenge: log in again. Wrong codes
	// also count as failed logins of the account (Throttle), so new
	// challenges do not buy more guesses.
	MaxCodeAttempts = 5
	totpIssuer      = "Sentra"
)

// SQL about the user u: an active admin of a tenant that requires TOTP of
// its admins; a confirmed TOTP.
const (
	requiresTOTPSQL = `exists (select from role_assignments ra join tenants tt on tt.slug = ra.domain
		where ra.user_id = u.id and ra.role = 'admin' and ra.disabled_at is null and tt.wajib_totp_admin)`
	hasTOTPSQL = `exists (select from totp x where x.user_id = u.id and x.confirmed_at is not null)`
)

var (
	errBadChallenge = apperr.Unauthenticated(apperr.T(
		"Langkah masuk tidak valid atau sudah berakhir. Silakan masuk lagi dengan kata sandi.",
		"This login step is invalid or has expired. Please log in again with your password."))
	// ErrWrongCode: the challenge still takes another code.
	ErrWrongCode = apperr.Unauthenticated(apperr.T(
		"Kode verifikasi salah atau sudah dipakai.", "Wrong or already used verification code."))
	errCodesExhausted = apperr.Unauthenticated(apperr.T(
		fmt.Sprintf("Kode verifikasi salah %d kali. Silakan masuk lagi dengan kata sandi.", MaxCodeAttempts),
		fmt.Sprintf("%d wrong verification codes. Please log in again with your password.", MaxCodeAttempts)))
	errNotTOTPRole = &apperr.Error{Kind: apperr.KindForbidden, Message: apperr.T(
		"Verifikasi dua langkah (TOTP) tersedia untuk admin kantor dan admin platform.",
		"Two-step verification (TOTP) is for office and platform admins.")}
	codeField = func(msg apperr.Text) *apperr.Error { return apperr.InvalidField("body.kode", nil, msg) }
)

// ErrMustEnrolTOTP answers every request of a session that may only enrol.
var ErrMustEnrolTOTP = &apperr.Error{Kind: apperr.KindForbidden, Message: apperr.T(
	"Kantor Anda mewajibkan verifikasi dua langkah (TOTP) bagi admin. Aktifkan TOTP terlebih dahulu (POST /v1/me/totp).",
	"Your office requires two-step verification (TOTP) of admins. Enrol first (POST /v1/me/totp).")}

// Challenge is what a correct password of a user with TOTP opens.
type Challenge struct {
	Token     string
	ExpiresAt time.Time
}

// Enrolment is a TOTP secret waiting for its first code. The secret is shown
// only now; after confirmation it is never returned.
type Enrolment struct {
	Secret string // base32, for typing in
	URI    string // otpauth://, for a QR code
}

func (s *Service) openChallenge(ctx context.Context, userID uuid.UUID, kind string) (*Challenge, error) {
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	ch := &Challenge{Token: token, ExpiresAt: s.Now().Add(ChallengeTTL).UTC().Truncate(time.Second)}
	_, err = s.DB.Pool.Exec(ctx, `insert into login_challenges (id, token_hash, user_id, kind, expires_at) values ($1, $2, $3, $4, $5)`,
		uuid.Must(uuid.NewV7()), hashToken(token), userID, kind, ch.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("open login challenge: %w", err)
	}
	return ch, nil
}

// LoginTOTP answers a challenge with a code and opens the session.
func (s *Service) LoginTOTP(ctx context.Context, token, code, client string) (Session, error) {
	if token == "" || len(token) > 256 {
		return Session{}, errBadChallenge
	}
	var (
		id, userID  uuid.UUID
		kind, email string
	)
	err := s.DB.Pool.QueryRow(ctx, `select c.id, c.user_id, c.kind, u.email from login_challenges c join users u on u.id = c.user_id
		where c.token_hash = $1 and c.expires_at > $2 and u.disabled_at is null`, hashToken(token), s.Now()).Scan(&id, &userID, &kind, &email)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, errBadChallenge
	}
	if err != nil {
		return Session{}, fmt.Errorf("login challenge: %w", err)
	}
	accountKey, clientKey := throttleKey("account", email), throttleKey("client", client)
	if err := s.checkThrottle(ctx, accountKey, clientKey); err != nil {
		return Session{}, err
	}
	var (
		sess  Session
		wrong error
	)
	err = s.DB.InTx(ctx, func(tx pgx.Tx) error {
		// Locked: two guesses sent at once count as two.
		var failures int
		err := tx.QueryRow(ctx, "select failures from login_challenges where id = $1 for update", id).Scan(&failures)
		if errors.Is(err, pgx.ErrNoRows) {
			return errBadChallenge // answered or ended meanwhile
		}
		if err != nil {
			return err
		}
		ok, err := s.useCode(ctx, tx, userID, code, true)
		if err != nil {
			return err
		}
		if !ok {
			if failures+1 >= MaxCodeAttempts {
				_, err = tx.Exec(ctx, "delete from login_challenges where id = $1", id)
				wrong = errCodesExhausted
			} else {
				_, err = tx.Exec(ctx, "update login_challenges set failures = failures + 1 where id = $1", id)
				wrong = ErrWrongCode
			}
			return err
		}
		if _, err := tx.Exec(ctx, "delete from login_challenges where id = $1", id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "delete from login_failures where key = $1", accountKey); err != nil {
			return err
		}
		sess, err = s.openSession(ctx, tx, userID, kind)
		return err
	})
	if err != nil {
		return Session{}, err
	}
	if wrong != nil {
		return Session{}, s.fail(ctx, wrong, accountKey, clientKey)
	}
	return sess, nil
}

// useCode checks code against the user's TOTP (the confirmed one, or the one
// awaiting confirmation) and, when right, marks its step used, in tx.
func (s *Service) useCode(ctx context.Context, tx pgx.Tx, userID uuid.UUID, code string, confirmed bool) (bool, error) {
	var (
		sealed []byte
		last   int64
	)
	err := tx.QueryRow(ctx, `select secret_sealed, last_step from totp where user_id = $1 and (confirmed_at is not null) = $2
		for update`, userID, confirmed).Scan(&sealed, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read totp: %w", err)
	}
	key, err := s.openSecret(userID, sealed)
	if err != nil {
		return false, err
	}
	step, ok := matchTOTP(key, code, s.Now(), last)
	if !ok {
		return false, nil
	}
	_, err = tx.Exec(ctx, `update totp set last_step = $2, confirmed_at = coalesce(confirmed_at, $3) where user_id = $1`, userID, step, s.Now())
	return err == nil, err
}

func (s *Service) openSecret(userID uuid.UUID, sealed []byte) ([]byte, error) {
	if s.Sealer == nil {
		return nil, errors.New("account: no sealer for totp secrets")
	}
	b32, err := s.Sealer.Open(userID, sealed) // bound to the user: a row copied to another user does not open
	if err != nil {
		return nil, fmt.Errorf("totp secret of %s: %w", userID, err)
	}
	return totpEncoding.DecodeString(b32)
}

// mayUseTOTP: office admins and platform admins.
func mayUseTOTP(p *tenancy.Principal) bool {
	for d, r := range p.Roles {
		if (d.IsTenant() && r == tenancy.RoleAdmin) || r == tenancy.RolePlatformAdmin {
			return true
		}
	}
	return false
}

// StartTOTP gives p a new secret to add to an authenticator app; it takes
// effect once ConfirmTOTP sees a code of it. Starting again replaces a
// secret not yet confirmed; a confirmed one must be disabled first.
func (s *Service) StartTOTP(ctx context.Context, p *tenancy.Principal) (Enrolment, error) {
	if !mayUseTOTP(p) {
		return Enrolment{}, errNotTOTPRole
	}
	if s.Sealer == nil {
		return Enrolment{}, errors.New("account: no sealer for totp secrets")
	}
	key := make([]byte, 20) // 160 bits, RFC 4226's recommendation for SHA1
	if _, err := rand.Read(key); err != nil {
		return Enrolment{}, err
	}
	secret := totpEncoding.EncodeToString(key)
	tag, err := s.DB.Pool.Exec(ctx, `insert into totp (user_id, secret_sealed) values ($1, $2)
		on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, last_step = 0, created_at = now()
		where totp.confirmed_at is null`, p.UserID, s.Sealer.Seal(p.UserID, secret))
	if err != nil {
		return Enrolment{}, fmt.Errorf("start totp: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Enrolment{}, apperr.Conflict(apperr.T(
			"TOTP sudah aktif. Nonaktifkan dulu untuk mendaftarkan perangkat lain.",
			"TOTP is already active. Disable it first to enrol another device."), "")
	}
	q := url.Values{"secret": {secret}, "issuer": {totpIssuer}, "algorithm": {"SHA1"},
		"digits": {fmt.Sprint(totpDigits)}, "period": {fmt.Sprint(totpPeriod)}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + p.Email, RawQuery: q.Encode()}
	return Enrolment{Secret: secret, URI: u.String()}, nil
}

// ConfirmTOTP activates p's pending secret with a code of it.
func (s *Service) ConfirmTOTP(ctx context.Context, p *tenancy.Principal, code string) error {
	if !mayUseTOTP(p) {
		return errNotTOTPRole
	}
	err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
		var pending bool
		if err := tx.QueryRow(ctx, "select exists (select from totp where user_id = $1 and confirmed_at is null)", p.UserID).Scan(&pending); err != nil {
			return err
		}
		if !pending {
			return codeField(apperr.T("Tidak ada pendaftaran TOTP yang menunggu konfirmasi. Mulai dengan POST /v1/me/totp.",
				"No TOTP enrolment awaits confirmation. Start with POST /v1/me/totp."))
		}
		ok, err := s.useCode(ctx, tx, p.UserID, code, false)
		if err != nil {
			return err
		}
		if !ok {
			return codeField(apperr.T("Kode salah. Masukkan 6 angka yang sedang tampil di aplikasi autentikator.",
				"Wrong code. Enter the 6 digits your authenticator app shows now."))
		}
		return nil
	})
	if err == nil {
		s.Sessions.Invalidate() // a session limited to enrolment is now a full one
	}
	return err
}

// DisableTOTP removes p's second factor; it takes the password and a current
// code, so that a session left open is not enough. Wrong ones count as failed
// logins. An admin of a tenant that requires TOTP cannot disable it.
func (s *Service) DisableTOTP(ctx context.Context, p *tenancy.Principal, password, code, client string) error {
	accountKey, clientKey := throttleKey("account", p.Email), throttleKey("client", client)
	if err := s.checkThrottle(ctx, accountKey, clientKey); err != nil {
		return err
	}
	var wrong error
	err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
		var (
			hash     string
			required bool
		)
		err := tx.QueryRow(ctx, `select c.password_hash, `+requiresTOTPSQL+` from users u join credentials c on c.user_id = u.id
			where u.id = $1`, p.UserID).Scan(&hash, &required)
		if err != nil {
			return fmt.Errorf("disable totp: %w", err)
		}
		if required {
			return apperr.Invalid(apperr.T("Kantor Anda mewajibkan TOTP bagi admin; TOTP tidak dapat dinonaktifkan.",
				"Your office requires TOTP of admins; it cannot be disabled."))
		}
		if ok, err := CheckPassword(hash, password); err != nil || !ok {
			wrong = apperr.InvalidField("body.password", nil, apperr.T("Kata sandi salah.", "Wrong password."))
			return err
		}
		ok, err := s.useCode(ctx, tx, p.UserID, code, true)
		if err != nil {
			return err
		}
		if !ok {
			wrong = codeField(apperr.T("Kode salah, sudah dipakai, atau TOTP tidak aktif.", "Wrong or used code, or TOTP is not active."))
			return nil
		}
		_, err = tx.Exec(ctx, "delete from totp where user_id = $1", p.UserID)
		return err
	})
	if err != nil {
		return err
	}
	if wrong != nil {
		return s.fail(ctx, wrong, accountKey, clientKey)
	}
	s.Sessions.Invalidate()
	return nil
}

// TOTPActive reports whether the user has a confirmed second factor.
func (s *Service) TOTPActive(ctx context.Context, userID uuid.UUID) (bool, error) {
	var ok bool
	err := s.DB.Pool.QueryRow(ctx, "select exists (select from totp where user_id = $1 and confirmed_at is not null)", userID).Scan(&ok)
	return ok, err
}

// Keamanan is a tenant's security settings.
type Keamanan struct {
	WajibTOTPAdmin bool `json:"wajib_totp_admin" doc:"Every admin of the office must use TOTP; an admin without it may only enrol after logging in."`
}

// GetKeamanan reads tenant t's security settings.
func (s *Service) GetKeamanan(ctx context.Context, t *tenancy.Tenant) (Keamanan, error) {
	var k Keamanan
	err := s.DB.Pool.QueryRow(ctx, "select wajib_totp_admin from tenants where id = $1", t.ID).Scan(&k.WajibTOTPAdmin)
	return k, err
}

// SetKeamanan changes tenant t's security settings, audited.
func (s *Service) SetKeamanan(ctx context.Context, t *tenancy.Tenant, k Keamanan) (Keamanan, error) {
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var before Keamanan
		if err := tx.QueryRow(ctx, "select wajib_totp_admin from tenants where id = $1 for update", t.ID).Scan(&before.WajibTOTPAdmin); err != nil {
			return err
		}
		if before == k {
			return nil
		}
		if _, err := tx.Exec(ctx, "update tenants set wajib_totp_admin = $2, updated_at = now() where id = $1", t.ID, k.WajibTOTPAdmin); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "keamanan", EntityID: t.Slug, Before: before, After: k})
	})
	if err == nil {
		s.Sessions.Invalidate()
	}
	return k, err
}
