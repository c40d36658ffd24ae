package account

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/surel"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation is an invitation just made: the token is in the link, shown
// once to whoever made it; only its hash is stored.
type Invitation struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	Token     string    `json:"-"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Invite invites email to the office t with role, in tx (a tenant
// transaction of t), audited.
func Invite(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, email, name string, role tenancy.Role, now time.Time) (Invitation, error) {
	email = NormalizeEmail(email)
	if role != tenancy.RoleAdmin && role != tenancy.RoleStaf && role != tenancy.RoleViewer {
		return Invitation{}, apperr.InvalidField("body.role", role, apperr.T("Peran harus admin, staf atau viewer.", "Role must be admin, staf or viewer."))
	}
	// The password is chosen by the invitee; check the rest as for a new user.
	if fields := ValidateNewUser(email, name, "kata-sandi-sementara-yang-cukup-panjang"); len(fields) > 0 {
		return Invitation{}, apperr.Invalid(apperr.T("Data undangan tidak valid.", "Invalid invitation."), fields...)
	}
	token, err := newToken()
	if err != nil {
		return Invitation{}, err
	}
	inv := Invitation{ID: uuid.Must(uuid.NewV7()), Email: email, Role: string(role), Token: token, ExpiresAt: now.Add(InvitationTTL)}
	var by *uuid.UUID
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		by = &p.UserID
	}
	if _, err := tx.Exec(ctx, `insert into undangan (tenant_id, id, token_hash, email, name, role, created_by, expires_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, inv.ID, hashToken(token), email, name, string(role), by, inv.ExpiresAt); err != nil {
		return Invitation{}, err
	}
	return inv, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "invite", Entity: "undangan", EntityID: inv.ID.String(),
		After: map[string]any{"email": email, "role": role, "expires_at": inv.ExpiresAt}})
}

// Pending is an invitation as its link shows it.
type Pending struct {
	Email, Name, Role string
	Exists            bool // the e-mail already has an account: its password proves the invitee
}

var (
	textInvitationGone = apperr.T("Tautan undangan ini tidak berlaku: sudah dipakai, kedaluwarsa, atau salah. Mintalah undangan baru.",
		"This invitation link does not work: used, expired or wrong. Ask for a new invitation.")
)

// PendingInvitation reads the invitation of token in office t (a tenant
// transaction of t); a used, expired or unknown one is a refusal naming
// the link.
func PendingInvitation(ctx context.Context, tx pgx.Tx, token string, now time.Time) (Pending, uuid.UUID, error) {
	var (
		p  Pending
		id uuid.UUID
	)
	err := tx.QueryRow(ctx, `select i.id, i.email, i.name, i.role, exists (select from users u where u.email = i.email)
		from undangan i where i.token_hash = $1 and i.used_at is null and i.expires_at > $2 for update of i`,
		hashToken(token), now).Scan(&id, &p.Email, &p.Name, &p.Role, &p.Exists)
	if errors.Is(err, pgx.ErrNoRows) {
		return Pending{}, uuid.Nil, apperr.InvalidField("path.token", nil, textInvitationGone)
	}
	return p, id, err
}

// AcceptInvitation uses the invitation of token in office t (a tenant
// transaction of t): a new account with password, or, for an e-mail that
// has one, the role granted to it once its password is given. Single use:
// the row lock and used_at make a second use fail.
func AcceptInvitation(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, token, name, password string, now time.Time) (uuid.UUID, error) {
	p, id, err := PendingInvitation(ctx, tx, token, now)
	if err != nil {
		return uuid.Nil, err
	}
	var user uuid.UUID
	if p.Exists {
		var hash string
		if err := tx.QueryRow(ctx, `select u.id, c.password_hash from users u join credentials c on c.user_id = u.id where u.email = $1`,
			p.Email).Scan(&user, &hash); err != nil {
			return uuid.Nil, err
		}
		if ok, err := CheckPassword(hash, password); err != nil || !ok {
			return uuid.Nil, apperr.InvalidField("body.password", nil, apperr.T(
				"Email ini sudah punya akun: masukkan kata sandi akun tersebut.", "This e-mail has an account: enter its password."))
		}
	} else {
		if strings.TrimSpace(name) == "" {
			name = p.Name
		}
		if user, err = CreateUser(ctx, tx, p.Email, name, password); err != nil {
			return uuid.Nil, err
		}
	}
	if err := Grant(ctx, tx, user, tenancy.TenantDomain(t.Slug), tenancy.Role(p.Role), nil, nil); err != nil {
		return uuid.Nil, err
	}
	if _, err := tx.Exec(ctx, "update undangan set used_at = $2, used_by = $3 where tenant_id = $4 and id = $1", id, now, user, t.ID); err != nil {
		return uuid.Nil, err
	}
	return user, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "accept", Entity: "undangan", EntityID: id.String(),
		After: map[string]any{"user_id": user, "role": p.Role}})
}

// InvitationPath is the page of an invitation's link, relative to
// Sentra's address.
func InvitationPath(slug, token string) string {
	return "/undangan/" + url.PathEscape(slug) + "/" + url.PathEscape(token)
}

// MailInvitation mails the invitation's link to the invitee when mail is
// configured, after the invitation was committed; it reports whether the
// relay took it. A failure is logged without the link or the address and
// loses nothing: the link is shown to whoever invited, as without mail.
func (s *Service) MailInvitation(ctx context.Context, inv Invitation, t *tenancy.Tenant, name string) bool {
	if s.Mailer == nil {
		return false
	}
	loc, err := format.Lokasi(t.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	greeting := "Bapak/Ibu"
	if name = strings.TrimSpace(name); name != "" {
		greeting += " " + name
	}
	err = s.Mailer.Send(ctx, surel.Message{To: inv.Email, Subject: "Undangan ke Sentra: " + t.Name,
		Body: fmt.Sprintf(`Yth. %s,

Anda diundang sebagai %s %s di Sentra, sistem data UMKM dan koperasi kantor Anda.

Buka tautan ini untuk membuat kata sandi dan masuk:
%s

Tautan hanya dapat dipakai sekali dan berlaku sampai %s.
Jika Anda tidak merasa diundang, abaikan e-mail ini.

Sentra
`, greeting, peran(inv.Role), t.Name, s.Mailer.Link(InvitationPath(t.Slug, inv.Token)), format.Waktu(inv.ExpiresAt, loc))})
	if err != nil {
		// A relay's refusal may quote the address: never in the log.
		msg := strings.ReplaceAll(err.Error(), inv.Email, pii.Email(inv.Email))
		s.Logger.WarnContext(ctx, "invitation not mailed; its link is shown to whoever invited", "invitation", inv.ID, "error", msg)
		return false
	}
	return true
}

// peran is a role as an invitation names it.
func peran(role string) string {
	switch tenancy.Role(role) {
	case tenancy.RoleAdmin:
		return "admin"
	case tenancy.RoleViewer:
		return "pembaca"
	}
	return "staf"
}
