package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Member is a user as one tenant sees them: their role there and whether
// their access to it is active.
type Member struct {
	ID        uuid.UUID    `json:"id"`
	Email     string       `json:"email"`
	Name      string       `json:"name"`
	Role      tenancy.Role `json:"role"`
	Wilayah   []string     `json:"wilayah" nullable:"false" doc:"For a petugas: the region codes they work in."`
	Active    bool         `json:"active"`
	CreatedAt time.Time    `json:"created_at"`
	Version   int64        `json:"-"`
}

var textRole = apperr.T("Peran harus admin, staf, viewer atau petugas.", "Role must be admin, staf, viewer or petugas.")

// AddParams are the fields of a new member.
type AddParams struct {
	Email    string
	Name     string
	Role     tenancy.Role
	Wilayah  []string // for a petugas
	Password string   // the initial password, to be changed by its owner
}

// UpdateParams change a member; nil leaves a field as it is.
type UpdateParams struct {
	Role    *tenancy.Role
	Wilayah []string // with Role petugas (or for a petugas)
	Active  *bool
}

// ValidateNewUser checks the fields of a new account.
func ValidateNewUser(email, name, password string) []apperr.Field {
	var fields []apperr.Field
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email, ".") {
		fields = append(fields, apperr.Field{Location: "body.email", Value: email,
			Message: apperr.T("Alamat email tidak valid.", "Not a valid e-mail address.")})
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > 200 {
		fields = append(fields, apperr.Field{Location: "body.name", Value: name,
			Message: apperr.T("Nama wajib diisi (maksimal 200 karakter).", "Name is required (at most 200 characters).")})
	}
	if f := CheckNewPassword("body.password", password); f != nil {
		fields = append(fields, *f)
	}
	return fields
}

// CreateUser creates an account with a password, in tx.
func CreateUser(ctx context.Context, tx pgx.Tx, email, name, password string) (uuid.UUID, error) {
	email = NormalizeEmail(email)
	if fields := ValidateNewUser(email, name, password); len(fields) > 0 {
		return uuid.Nil, apperr.Invalid(apperr.T("Data pengguna tidak valid.", "Invalid user."), fields...)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return uuid.Nil, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, "insert into users (id, email, name) values ($1, $2, $3)", id, email, strings.TrimSpace(name)); err != nil {
		if db.IsUniqueViolation(err, "users_email_key") {
			return uuid.Nil, apperr.Conflict(apperr.T(
				"Email ini sudah terdaftar pada akun lain. Hubungi admin platform untuk menambahkan peran ke akun tersebut.",
				"This e-mail already belongs to an account. Ask a platform admin to add a role to it."), "")
		}
		return uuid.Nil, fmt.Errorf("create user: %w", err)
	}
	if _, err := tx.Exec(ctx, "insert into credentials (user_id, password_hash) values ($1, $2)", id, hash); err != nil {
		return uuid.Nil, fmt.Errorf("create credentials: %w", err)
	}
	return id, nil
}

// Grant gives userID role in domain (replacing any role there), in tx. A
// petugas needs the region codes they work in; other roles take none.
// Checking them scopes tx to the petugas's tenant.
func Grant(ctx context.Context, tx pgx.Tx, userID uuid.UUID, domain tenancy.Domain, role tenancy.Role, wilayah []string, by *uuid.UUID) error {
	if !tenancy.RoleFits(domain, role) {
		return apperr.InvalidField("body.role", role, apperr.T("Peran ini tidak berlaku untuk domain tersebut.", "This role does not apply to that domain."))
	}
	if err := checkWilayah(ctx, tx, domain, role, wilayah); err != nil {
		return err
	}
	if role != tenancy.RolePetugas {
		wilayah = nil
	}
	_, err := tx.Exec(ctx, `insert into role_assignments (user_id, domain, role, wilayah, granted_by) values ($1, $2, $3, $4, $5)
		on conflict (user_id, domain) do update set role = excluded.role, wilayah = excluded.wilayah, disabled_at = null,
			version = role_assignments.version + 1`,
		userID, string(domain), string(role), wilayah, by)
	if err != nil {
		return fmt.Errorf("grant %s in %s: %w", role, domain, err)
	}
	return nil
}

const memberColumns = `u.id, u.email, u.name, r.role, coalesce(r.wilayah, '{}'), r.disabled_at is null, r.created_at, r.version`

func scanMember(row pgx.Row) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.Email, &m.Name, &m.Role, &m.Wilayah, &m.Active, &m.CreatedAt, &m.Version)
	return m, err
}

// checkWilayah: a petugas works in at least one region, each a kecamatan or
// desa/kelurahan of the tenant.
func checkWilayah(ctx context.Context, tx pgx.Tx, domain tenancy.Domain, role tenancy.Role, wilayah []string) error {
	if role != tenancy.RolePetugas {
		return nil
	}
	if len(wilayah) == 0 || len(wilayah) > 100 {
		return apperr.InvalidField("body.wilayah", nil, apperr.T(
			"Petugas harus diberi 1–100 wilayah tugas (kode kecamatan atau desa/kelurahan).",
			"A petugas needs 1–100 assigned regions (kecamatan or desa/kelurahan codes)."))
	}
	// wilayah is a tenant table: scope the transaction to the tenant (the
	// same tenant a tenant-domain grant is written for).
	var tenantID uuid.UUID
	if err := tx.QueryRow(ctx, "select id from tenants where slug = $1", string(domain)).Scan(&tenantID); err != nil {
		return db.MapError(err)
	}
	if err := db.SetTenant(ctx, tx, tenantID); err != nil {
		return err
	}
	var found int
	if err := tx.QueryRow(ctx, "select count(*) from wilayah where kode = any($1)", wilayah).Scan(&found); err != nil {
		return err
	}
	if found != len(wilayah) {
		return apperr.InvalidField("body.wilayah", wilayah, apperr.T(
			"Ada kode wilayah yang bukan wilayah kantor ini.", "Some region codes are not this office's regions."))
	}
	return nil
}

// ListMembers lists a tenant's users by id, after the given id (keyset).
func (s *Service) ListMembers(ctx context.Context, t *tenancy.Tenant, after uuid.UUID, limit int) ([]Member, error) {
	rows, err := s.DB.Pool.Query(ctx, `select `+memberColumns+`
		from role_assignments r join users u on u.id = r.user_id
		where r.domain = $1 and ($2::uuid is null or r.user_id > $2)
		order by r.user_id limit $3`, t.Slug, nullUUID(after), limit)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Member, error) { return scanMember(r) })
}

// GetMember returns one of a tenant's users; anyone else is not found.
func (s *Service) GetMember(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (Member, error) {
	m, err := scanMember(s.DB.Pool.QueryRow(ctx, `select `+memberColumns+`
		from role_assignments r join users u on u.id = r.user_id where r.domain = $1 and r.user_id = $2`, t.Slug, id))
	return m, db.MapError(err)
}

// AddMemberTx creates an account with a role in the tenant, audited, in tx
// (a tenant transaction of t).
func AddMemberTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, p AddParams) (Member, error) {
	if !tenancy.RoleFits(tenancy.TenantDomain(t.Slug), p.Role) {
		return Member{}, apperr.InvalidField("body.role", p.Role, textRole)
	}
	if fields := ValidateNewUser(NormalizeEmail(p.Email), p.Name, p.Password); len(fields) > 0 {
		return Member{}, apperr.Invalid(apperr.T("Data pengguna tidak valid.", "Invalid user."), fields...)
	}
	// An e-mail that already has an account (staff of another office, a
	// province official) gets the role on that account; its name and password
	// stay its owner's. The answer is the same as for a new account, so an
	// admin learns nothing about who works elsewhere.
	id, _, err := EnsureUser(ctx, tx, p.Email, p.Name, p.Password)
	if err != nil {
		return Member{}, err
	}
	var exists bool
	if err := tx.QueryRow(ctx, "select exists (select from role_assignments where user_id = $1 and domain = $2)", id, t.Slug).Scan(&exists); err != nil {
		return Member{}, err
	}
	if exists {
		return Member{}, apperr.Conflict(apperr.T("Pengguna dengan email ini sudah ada di kantor ini.",
			"A user with this e-mail already belongs to this office."), "/v1/tenants/"+t.Slug+"/users/"+id.String())
	}
	var by *uuid.UUID
	if pr, ok := tenancy.PrincipalFrom(ctx); ok {
		by = &pr.UserID
	}
	if err := Grant(ctx, tx, id, tenancy.TenantDomain(t.Slug), p.Role, p.Wilayah, by); err != nil {
		return Member{}, err
	}
	m, err := scanMember(tx.QueryRow(ctx, `select `+memberColumns+`
		from role_assignments r join users u on u.id = r.user_id where r.domain = $1 and r.user_id = $2`, t.Slug, id))
	if err != nil {
		return Member{}, err
	}
	return m, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "user", EntityID: id.String(), After: m})
}

// UpdateMember changes a member's role or access, if version is current.
// The last active admin of a tenant cannot be demoted or disabled: the office
// would lock itself out.
func (s *Service) UpdateMember(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, p UpdateParams) (Member, error) {
	if p.Role != nil && !tenancy.RoleFits(tenancy.TenantDomain(t.Slug), *p.Role) {
		return Member{}, apperr.InvalidField("body.role", *p.Role, textRole)
	}
	var after Member
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		// Member changes of one tenant take turns: two admins demoting each
		// other at once would each still see the other as an admin and leave
		// the office with none.
		if _, err := tx.Exec(ctx, "select pg_advisory_xact_lock(hashtext('sentra:members:' || $1))", t.Slug); err != nil {
			return err
		}
		before, err := scanMember(tx.QueryRow(ctx, `select `+memberColumns+`
			from role_assignments r join users u on u.id = r.user_id where r.domain = $1 and r.user_id = $2
			for update of r`, t.Slug, id))
		if err != nil {
			return db.MapError(err)
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		role, active := before.Role, before.Active
		if p.Role != nil {
			role = *p.Role
		}
		if p.Active != nil {
			active = *p.Active
		}
		if before.Role == tenancy.RoleAdmin && before.Active && (role != tenancy.RoleAdmin || !active) {
			var others int
			if err := tx.QueryRow(ctx, `select count(*) from role_assignments where domain = $1 and role = 'admin'
				and disabled_at is null and user_id <> $2`, t.Slug, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return apperr.Invalid(apperr.T("Kantor harus tetap memiliki minimal satu admin aktif.",
					"The office must keep at least one active admin."),
					apperr.Field{Location: "body.role", Value: role, Message: apperr.T("Ini admin aktif terakhir.", "This is the last active admin.")})
			}
		}
		wilayah := before.Wilayah
		if p.Wilayah != nil {
			wilayah = p.Wilayah
		}
		if role != tenancy.RolePetugas {
			wilayah = nil
		}
		if err := checkWilayah(ctx, tx, tenancy.TenantDomain(t.Slug), role, wilayah); err != nil {
			return err
		}
		if after, err = scanMember(tx.QueryRow(ctx, `update role_assignments r set role = $3, wilayah = $5,
				disabled_at = case when $4 then null else coalesce(r.disabled_at, now()) end, version = r.version + 1
			from users u where u.id = r.user_id and r.domain = $1 and r.user_id = $2
			returning `+memberColumns, t.Slug, id, string(role), active, wilayah)); err != nil {
			return err
		}
		action := "update"
		switch {
		case before.Active && !after.Active:
			action = "disable"
		case !before.Active && after.Active:
			action = "enable"
		case before.Role != after.Role:
			action = "change_role"
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: action, Entity: "user", EntityID: id.String(), Before: before, After: after})
	})
	if err == nil {
		s.Sessions.Invalidate() // committed: this process sees the change at once
	}
	return after, err
}

func nullUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// EnsureUser returns the account with email, creating it with name and
// password when missing (an existing account keeps its password). For the
// CLI and the demo.
func EnsureUser(ctx context.Context, tx pgx.Tx, email, name, password string) (uuid.UUID, bool, error) {
	var id uuid.UUID
	err := tx.QueryRow(ctx, "select id from users where email = $1", NormalizeEmail(email)).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, false, err
	}
	id, err = CreateUser(ctx, tx, email, name, password)
	return id, err == nil, err
}
