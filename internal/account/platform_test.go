package account_test

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// TestSearchUsersAcrossDomains: a search by part of a name or e-mail finds
// accounts of every office and the province with all their roles; % and _
// match themselves only; an empty search finds nobody.
func TestSearchUsersAcrossDomains(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	depok, medan := newTenant(t, env.DB, "depok"), newTenant(t, env.DB, "medan")
	siti := member(t, env.DB, depok, "siti@depok.go.id", tenancy.RoleStaf)
	exec(t, env.DB, "update users set name = 'Siti Rahma' where id = $1", siti.ID)
	if err := env.DB.InTx(t.Context(), func(tx pgx.Tx) error {
		if err := account.Grant(t.Context(), tx, siti.ID, "medan", tenancy.RoleViewer, nil, nil); err != nil {
			return err
		}
		return account.Grant(t.Context(), tx, siti.ID, tenancy.ProvinceDomain("32"), tenancy.RoleProvinceViewer, nil, nil)
	}); err != nil {
		t.Fatal(err)
	}
	member(t, env.DB, medan, "budi@medan.go.id", tenancy.RoleAdmin)
	plainUser(t, env.DB, "tanpa_peran@contoh.id")

	found, err := s.SearchUsers(t.Context(), " RAHMA ", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].Email != "siti@depok.go.id" {
		t.Fatalf("search rahma: %+v, want siti only", found)
	}
	var got []string
	for _, p := range found[0].Peran {
		got = append(got, string(p.Domain)+"="+string(p.Role))
	}
	if want := []string{"depok=staf", "medan=viewer", "province:32=province_viewer"}; !equal(got, want) {
		t.Errorf("roles %v, want %v", got, want)
	}
	if found, _ = s.SearchUsers(t.Context(), "medan.go", 10); len(found) != 1 || found[0].Email != "budi@medan.go.id" {
		t.Errorf("search by e-mail: %+v, want budi", found)
	}
	if found, _ = s.SearchUsers(t.Context(), "a_p", 10); len(found) != 1 || len(found[0].Peran) != 0 {
		t.Errorf("search a_p: %+v, want the account without roles", found)
	}
	if found, _ = s.SearchUsers(t.Context(), "i_d", 10); len(found) != 0 {
		t.Errorf("search i_d: %+v, want nobody (_ is no wildcard: siti@depok would match one)", found)
	}
	if found, _ = s.SearchUsers(t.Context(), "%", 10); len(found) != 0 {
		t.Errorf("search %%: %+v, want nobody (no e-mail holds %%)", found)
	}
	if found, _ = s.SearchUsers(t.Context(), "  ", 10); len(found) != 0 {
		t.Errorf("empty search: %+v, want nobody", found)
	}
	if found, _ = s.SearchUsers(t.Context(), "go.id", 1); len(found) != 1 {
		t.Errorf("limit 1: %d accounts", len(found))
	}
}

// TestLastSignInPerDomain: a sign-in counts for every domain where the
// user's role is active, not where the office disabled it.
func TestLastSignInPerDomain(t *testing.T) {
	env := dbtest.New(t)
	s := service(env, newClock(), account.DefaultThrottle)
	depok, medan := newTenant(t, env.DB, "depok"), newTenant(t, env.DB, "medan")
	member(t, env.DB, depok, "siti@depok.go.id", tenancy.RoleStaf)
	budi := member(t, env.DB, medan, "budi@medan.go.id", tenancy.RoleStaf)
	exec(t, env.DB, "update role_assignments set disabled_at = now() where user_id = $1", budi.ID)
	if _, _, err := s.Login(t.Context(), "siti@depok.go.id", password, "10.0.0.1", account.KindCookie); err != nil {
		t.Fatal(err)
	}
	last, err := s.LastSignIn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := last["depok"]; !ok || len(last) != 1 {
		t.Errorf("last sign-in %v, want depok only", last)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
