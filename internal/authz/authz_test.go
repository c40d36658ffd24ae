package authz_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/authz"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// user creates an account holding role in domain (none when role is "").
// Role assignments are not tenant-owned: the domain is a string, so no
// tenant row is needed for a tenant domain.
func user(t *testing.T, d *db.DB, email string, domain tenancy.Domain, role tenancy.Role) uuid.UUID {
	t.Helper()
	ctx := t.Context()
	var id uuid.UUID
	err := d.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if id, err = account.CreateUser(ctx, tx, email, "Pengguna Uji", "kata-sandi-cukup-panjang"); err != nil {
			return err
		}
		if role == "" {
			return nil
		}
		return account.Grant(ctx, tx, id, domain, role, nil, nil)
	})
	if err != nil {
		t.Fatalf("create %s as %s in %s: %v", email, role, domain, err)
	}
	return id
}

func authzVersion(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var v int64
	if err := d.Pool.QueryRow(t.Context(), "select version from authz_state").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
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

func allowed(t *testing.T, a *authz.Authorizer, p *tenancy.Principal, domain tenancy.Domain, action string) bool {
	t.Helper()
	ok, err := a.Allowed(t.Context(), p, domain, action)
	if err != nil {
		t.Fatalf("Allowed(%s, %s): %v", domain, action, err)
	}
	return ok
}

func TestAllowedByRoleAndDomain(t *testing.T) {
	env := dbtest.New(t)
	staf := user(t, env.DB, "staf@depok.go.id", "depok", tenancy.RoleStaf)
	admin := user(t, env.DB, "admin@depok.go.id", "depok", tenancy.RoleAdmin)
	platform := user(t, env.DB, "ops@sentra.id", tenancy.PlatformDomain, tenancy.RolePlatformAdmin)
	viewer := user(t, env.DB, "viewer@depok.go.id", "depok", tenancy.RoleViewer)
	nobody := user(t, env.DB, "tamu@depok.go.id", "", "")

	a, err := authz.New(t.Context(), env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	version := authzVersion(t, env.DB)
	p := func(id uuid.UUID) *tenancy.Principal { return &tenancy.Principal{UserID: id, AuthzVersion: version} }

	tests := []struct {
		name   string
		user   uuid.UUID
		domain tenancy.Domain
		action string
		want   bool
	}{
		{"staf reads its tenant", staf, "depok", "get-tenant", true},
		{"staf may not create users", staf, "depok", "create-user", false},
		{"staf has nothing in another tenant", staf, "medan", "get-tenant", false},
		{"staf has nothing on the platform", staf, tenancy.PlatformDomain, "view-jobs", false},
		{"staf action unknown to the policy", staf, "depok", "drop-tenant", false},
		{"admin creates users in its tenant", admin, "depok", "create-user", true},
		{"admin creates no users in another tenant", admin, "medan", "create-user", false},
		{"admin sees no jobs", admin, tenancy.PlatformDomain, "view-jobs", false},
		{"staf reads the programme report", staf, "depok", "get-laporan-program", true},
		{"admin reads the funding report", admin, "depok", "get-laporan-pendanaan", true},
		{"staf records a funding application's paper", staf, "depok", "create-pengajuan-dana-berkas", true},
		{"staf records no paper in another tenant", staf, "medan", "create-pengajuan-dana-berkas", false},
		{"platform admin records no paper", platform, "depok", "create-pengajuan-dana-berkas", false},
		{"staf reads no report of another tenant", staf, "medan", "get-laporan-dampak", false},
		{"platform admin sees jobs", platform, tenancy.PlatformDomain, "view-jobs", true},
		{"platform role does not spill into a tenant", platform, "depok", "create-user", false},
		{"account without a role", nobody, "depok", "get-tenant", false},
		{"unknown user", uuid.New(), "depok", "get-tenant", false},
		{"staf exports a participant list", staf, "depok", "export-peserta", true},
		{"staf exports no participant list of another tenant", staf, "medan", "export-peserta", false},
		{"admin reads the sharing log", admin, "depok", "list-peserta-ekspor", true},
		{"staf exports the never-helped", staf, "depok", "export-belum-pernah", true},
		{"staf exports the programmes", staf, "depok", "export-program", true},
		{"platform admin exports no programme's participants", platform, "depok", "export-peserta", false},
		{"staf reads a business's programme history", staf, "depok", "list-umkm-program", true},
		{"admin reads a cooperative's programme history", admin, "depok", "list-koperasi-program", true},
		{"staf reads no programme history of another tenant", staf, "medan", "list-umkm-program", false},
		{"platform admin reads no programme history", platform, "depok", "list-koperasi-program", false},
		{"staf curates a product for a marketing point", staf, "depok", "create-titik-kurasi", true},
		{"admin adds a product photo", admin, "depok", "create-produk-foto", true},
		{"staf opens no marketing point in another tenant", staf, "medan", "create-titik", false},
		{"platform admin sees no product photo", platform, "depok", "get-produk-foto", false},
		{"account without a role reads no marketing point", nobody, "depok", "list-titik", false},
		{"staf books a clinic slot", staf, "depok", "update-klinik-jadwal", true},
		{"staf edits the clinic's areas", staf, "depok", "update-klinik-layanan", true},
		{"staf books no slot in another tenant", staf, "medan", "update-klinik-jadwal", false},
		{"platform admin reads no clinic ticket", platform, "depok", "get-klinik-tiket", false},
		{"staf records a marketplace shop", staf, "depok", "create-toko-daring", true},
		{"admin records the goods-and-services budget", admin, "depok", "update-anggaran-belanja", true},
		{"staf records a government purchase", staf, "depok", "create-belanja-pemerintah", true},
		{"staf records no purchase in another tenant", staf, "medan", "create-belanja-pemerintah", false},
		{"platform admin reads no budget share", platform, "depok", "get-anggaran-belanja", false},
		{"viewer reads a point's consignment stock", viewer, "depok", "list-titik-konsinyasi", true},
		{"viewer reads the late-report dashboard", viewer, "depok", "get-konsinyasi-terlambat", true},
		{"viewer reports no sales", viewer, "depok", "create-konsinyasi-jual", false},
		{"staf reports a period's sales", staf, "depok", "create-konsinyasi-jual", true},
		{"admin records a settlement", admin, "depok", "create-konsinyasi-setor", true},
		{"staf records no settlement in another tenant", staf, "medan", "create-konsinyasi-setor", false},
		{"platform admin reads no ledger", platform, "depok", "get-konsinyasi", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowed(t, a, p(tt.user), tt.domain, tt.action); got != tt.want {
				t.Errorf("Allowed(%s, %s) = %v, want %v", tt.domain, tt.action, got, tt.want)
			}
		})
	}
}

// TestDecide: no role in the domain is NotFound (as for a domain that does
// not exist), a role without the permission is Forbidden, and platform
// admins reach what the policy gives them on the platform in any domain.
func TestDecide(t *testing.T) {
	env := dbtest.New(t)
	viewer := user(t, env.DB, "viewer@depok.go.id", "depok", tenancy.RoleViewer)
	platform := user(t, env.DB, "ops@sentra.id", tenancy.PlatformDomain, tenancy.RolePlatformAdmin)
	a, err := authz.New(t.Context(), env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	version := authzVersion(t, env.DB)
	viewerP := &tenancy.Principal{UserID: viewer, AuthzVersion: version, Roles: map[tenancy.Domain]tenancy.Role{"depok": tenancy.RoleViewer}}
	platformP := &tenancy.Principal{UserID: platform, AuthzVersion: version,
		Roles: map[tenancy.Domain]tenancy.Role{tenancy.PlatformDomain: tenancy.RolePlatformAdmin}}

	const allowed = apperr.Kind(-1)
	tests := []struct {
		name   string
		p      *tenancy.Principal
		domain tenancy.Domain
		action string
		want   apperr.Kind
	}{
		{"viewer lists its register", viewerP, "depok", "list-umkm", allowed},
		{"viewer reads the budget share", viewerP, "depok", "get-anggaran-belanja", allowed},
		{"viewer may not record a purchase", viewerP, "depok", "create-belanja-pemerintah", apperr.KindForbidden},
		{"viewer may not record a shop", viewerP, "depok", "create-toko-daring", apperr.KindForbidden},
		{"viewer may not edit", viewerP, "depok", "update-umkm", apperr.KindForbidden},
		{"viewer in another tenant", viewerP, "medan", "list-umkm", apperr.KindNotFound},
		{"viewer on the platform", viewerP, tenancy.PlatformDomain, "view-jobs", apperr.KindNotFound},
		{"viewer reads the impact report", viewerP, "depok", "get-laporan-dampak", allowed},
		{"viewer reads the clinic's week", viewerP, "depok", "get-klinik-minggu", allowed},
		{"viewer reads the clinic's SKM", viewerP, "depok", "get-klinik-skm", allowed},
		{"viewer books no slot", viewerP, "depok", "update-klinik-jadwal", apperr.KindForbidden},
		{"viewer records no outcome", viewerP, "depok", "create-klinik-hasil", apperr.KindForbidden},
		{"platform admin reads any tenant", platformP, "medan", "get-tenant", allowed},
		{"platform admin has no register", platformP, "medan", "list-umkm", apperr.KindNotFound},
		{"platform admin sees jobs", platformP, tenancy.PlatformDomain, "view-jobs", allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := a.Decide(t.Context(), tt.p, tt.domain, tt.action)
			switch {
			case tt.want == allowed && err != nil:
				t.Errorf("Decide(%s, %s) = %v, want allowed", tt.domain, tt.action, err)
			case tt.want != allowed && (err == nil || apperr.KindOf(err) != tt.want):
				t.Errorf("Decide(%s, %s) = %v, want kind %d", tt.domain, tt.action, err, tt.want)
			}
		})
	}
}

// TestChangesTakeEffectOnNextRequest: the authorizer of a running process
// holds the assignments it loaded; a revoke bumps authz_state.version (a
// trigger), each request carries the version read with its session, and the
// next request with the newer version is decided on the new assignments,
// without a restart.
func TestChangesTakeEffectOnNextRequest(t *testing.T) {
	env := dbtest.New(t)
	staf := user(t, env.DB, "staf@depok.go.id", "depok", tenancy.RoleStaf)
	other := user(t, env.DB, "staf2@depok.go.id", "depok", tenancy.RoleStaf)
	a, err := authz.New(t.Context(), env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	loaded := authzVersion(t, env.DB)
	if !allowed(t, a, &tenancy.Principal{UserID: staf, AuthzVersion: loaded}, "depok", "get-tenant") {
		t.Fatal("staf may not get-tenant before the revoke")
	}

	steps := []struct {
		name   string
		sql    string
		user   uuid.UUID
		action string
		want   bool
	}{
		{"role assignment disabled", "update role_assignments set disabled_at = now() where user_id = $1", staf, "get-tenant", false},
		{"role assignment enabled again", "update role_assignments set disabled_at = null where user_id = $1", staf, "get-tenant", true},
		{"promoted to admin", "update role_assignments set role = 'admin' where user_id = $1", staf, "create-user", true},
		{"account disabled", "update users set disabled_at = now() where id = $1", other, "get-tenant", false},
		{"assignment deleted", "delete from role_assignments where user_id = $1", staf, "get-tenant", false},
	}
	for _, st := range steps {
		before := authzVersion(t, env.DB)
		exec(t, env.DB, st.sql, st.user)
		after := authzVersion(t, env.DB)
		if after <= before {
			t.Fatalf("%s: authz_state.version %d → %d, want it to move", st.name, before, after)
		}
		if got := allowed(t, a, &tenancy.Principal{UserID: st.user, AuthzVersion: after}, "depok", st.action); got != st.want {
			t.Errorf("%s: next request (version %d) Allowed(%s) = %v, want %v", st.name, after, st.action, got, st.want)
		}
	}
}

// The verbs operation ids may start with. A new verb is fine when it is one:
// add it here.
var verbs = []string{"get", "list", "create", "update", "delete", "archive", "restore", "import", "export",
	"read", "view", "approve", "accept", "reject", "resolve", "map", "review", "submit", "invite", "enable", "disable", "assign", "revoke",
	"run", "cancel", "retry", "sync", "verify", "merge", "close", "open", "publish", "download", "upload", "manage", "reset",
	"start", "suspend", "reactivate", "extend", "receive", "complete", "pay"}

var actionName = regexp.MustCompile(`^([a-z]+)(-[a-z0-9]+)+$`)

func TestPolicyActionsAreKebabCaseVerbNoun(t *testing.T) {
	actions := authz.Actions()
	if len(actions) == 0 {
		t.Fatal("no actions in policy.csv")
	}
	for act, roles := range actions {
		m := actionName.FindStringSubmatch(act)
		switch {
		case m == nil:
			t.Errorf("action %q is not kebab-case verb-noun (e.g. list-umkm)", act)
		case !slices.Contains(verbs, m[1]):
			t.Errorf("action %q does not start with a verb (%s is not one of %v)", act, m[1], verbs)
		}
		for _, r := range roles {
			if !r.Valid() {
				t.Errorf("action %q granted to unknown role %q", act, r)
			}
		}
	}
}

// TestPolicyFileIsWellFormed: every rule line is "p, role, action" (Actions
// would silently skip or misread anything else).
func TestPolicyFileIsWellFormed(t *testing.T) {
	raw, err := os.ReadFile("policy.csv")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 3 || strings.TrimSpace(f[0]) != "p" {
			t.Errorf("policy.csv:%d: %q, want \"p, role, action\"", i+1, line)
			continue
		}
		key := strings.TrimSpace(f[1]) + " " + strings.TrimSpace(f[2])
		if seen[key] {
			t.Errorf("policy.csv:%d: duplicate rule %s", i+1, key)
		}
		seen[key] = true
	}
}

// TestKemitraanRoles: a viewer reads the partnerships and writes nothing,
// staf and admin write, a petugas has no part in them, and no role reaches
// another office's.
func TestKemitraanRoles(t *testing.T) {
	env := dbtest.New(t)
	viewer := user(t, env.DB, "viewer@depok.go.id", "depok", tenancy.RoleViewer)
	staf := user(t, env.DB, "staf@depok.go.id", "depok", tenancy.RoleStaf)
	admin := user(t, env.DB, "admin@depok.go.id", "depok", tenancy.RoleAdmin)
	platform := user(t, env.DB, "ops@sentra.id", tenancy.PlatformDomain, tenancy.RolePlatformAdmin)
	a, err := authz.New(t.Context(), env.DB.Pool)
	if err != nil {
		t.Fatal(err)
	}
	version := authzVersion(t, env.DB)
	p := func(id uuid.UUID) *tenancy.Principal { return &tenancy.Principal{UserID: id, AuthzVersion: version} }
	tests := []struct {
		name   string
		user   uuid.UUID
		domain tenancy.Domain
		action string
		want   bool
	}{
		{"viewer lists partners", viewer, "depok", "list-mitra", true},
		{"viewer reads an agreement", viewer, "depok", "get-perjanjian", true},
		{"viewer reads the calendar", viewer, "depok", "get-kalender-kemitraan", true},
		{"viewer adds no partner", viewer, "depok", "create-mitra", false},
		{"viewer terminates no agreement", viewer, "depok", "close-perjanjian", false},
		{"staf adds a partner", staf, "depok", "create-mitra", true},
		{"staf renews an agreement", staf, "depok", "extend-perjanjian", true},
		{"staf records an evaluation", staf, "depok", "create-perjanjian-evaluasi", true},
		{"admin terminates an agreement", admin, "depok", "close-perjanjian", true},
		{"staf adds no partner in another office", staf, "medan", "create-mitra", false},
		{"platform admin lists no partner", platform, "depok", "list-mitra", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allowed(t, a, p(tt.user), tt.domain, tt.action); got != tt.want {
				t.Errorf("Allowed(%s, %s) = %v, want %v", tt.domain, tt.action, got, tt.want)
			}
		})
	}
	// A petugas (who needs a region to exist) has no line of the partnerships.
	for _, act := range []string{"list-mitra", "get-mitra", "list-mitra-tanpa-perjanjian", "get-perjanjian", "list-perjanjian-mitra",
		"list-tugas-terlambat", "list-pengingat-kemitraan", "get-kalender-kemitraan", "create-mitra", "create-perjanjian"} {
		roles := authz.Actions()[act]
		if len(roles) == 0 {
			t.Errorf("%s: no line in policy.csv", act)
		}
		if slices.Contains(roles, tenancy.RolePetugas) {
			t.Errorf("%s granted to petugas", act)
		}
	}
}
