package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func newTenant(t *testing.T, d *db.DB, slug string) uuid.UUID { return dbtest.NewTenant(t, d, slug).ID }

func record(t *testing.T, d *db.DB, tenant uuid.UUID, e audit.Entry) {
	t.Helper()
	if err := d.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error { return audit.Record(t.Context(), tx, e) }); err != nil {
		t.Fatalf("record %s %s: %v", e.Action, e.Entity, err)
	}
}

func list(t *testing.T, d *db.DB, tenant uuid.UUID, f audit.Filter) []audit.Item {
	t.Helper()
	var items []audit.Item
	if err := d.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
		var err error
		items, err = audit.List(t.Context(), tx, f)
		return err
	}); err != nil {
		t.Fatalf("list audit: %v", err)
	}
	return items
}

// umkmSnapshot has every kind of personal field the registry holds.
type umkmSnapshot struct {
	NamaUsaha  string  `json:"nama_usaha"`
	NIK        string  `json:"nik"`
	Telepon    string  `json:"telepon"`
	Email      string  `json:"email"`
	Alamat     string  `json:"alamat"`
	RT         string  `json:"rt"`
	Latitude   float64 `json:"latitude"`
	Longitude  float64 `json:"longitude"`
	OmzetTahun int64   `json:"omzet_tahunan"`
}

func TestRecordMasksPersonalDataAndNamesActor(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	actor := uuid.New()
	ctx := tenancy.WithRequestID(tenancy.WithPrincipal(t.Context(), &tenancy.Principal{UserID: actor}), "req-7")

	before := umkmSnapshot{NamaUsaha: "Keripik Bu Siti", NIK: "3276012345670001", Telepon: "081234567890",
		Email: "siti.rahayu@gmail.com", Alamat: "Jl. Kenanga No. 7", RT: "003", Latitude: -6.40251, Longitude: 106.79421, OmzetTahun: 120_000_000}
	after := before
	after.OmzetTahun = 150_000_000
	if err := env.DB.InTenantTx(ctx, tenant, func(tx pgx.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{TenantID: tenant, Action: "update", Entity: "umkm", EntityID: "u-1", Before: before, After: after})
	}); err != nil {
		t.Fatal(err)
	}

	items := list(t, env.DB, tenant, audit.Filter{Limit: 10})
	if len(items) != 1 {
		t.Fatalf("%d audit entries, want 1", len(items))
	}
	it := items[0]
	if it.ActorID == nil || *it.ActorID != actor || it.RequestID != "req-7" || it.Action != "update" || it.Entity != "umkm" || it.EntityID != "u-1" {
		t.Errorf("entry %+v, want update umkm u-1 by %s in req-7", it, actor)
	}
	for _, side := range []json.RawMessage{it.Before, it.After} {
		var got map[string]any
		if err := json.Unmarshal(side, &got); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"nama_usaha": "Keripik Bu Siti", "nik": "3276xxxxxxxx0001", "telepon": "xxxxxxxxx890",
			"email": "s***@gmail.com", "alamat": "***", "rt": "***", "latitude": nil, "longitude": nil}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %#v, want %#v", k, got[k], v)
			}
		}
		for _, secret := range []string{"3276012345670001", "081234567890", "siti.rahayu", "Kenanga", "6.40251", "106.79421"} {
			if strings.Contains(string(side), secret) {
				t.Errorf("audit snapshot %s holds %q", side, secret)
			}
		}
	}
	var b, a struct {
		Omzet int64 `json:"omzet_tahunan"`
	}
	if json.Unmarshal(it.Before, &b) != nil || json.Unmarshal(it.After, &a) != nil || b.Omzet != 120_000_000 || a.Omzet != 150_000_000 {
		t.Errorf("omzet %d → %d, want 120000000 → 150000000: the change itself must stay readable", b.Omzet, a.Omzet)
	}
}

func TestRecordWithoutPrincipalHasNoActor(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	record(t, env.DB, tenant, audit.Entry{TenantID: tenant, Action: "create", Entity: "umkm", EntityID: "u-1", After: map[string]any{"nama": "x"}})
	items := list(t, env.DB, tenant, audit.Filter{Limit: 10})
	if len(items) != 1 || items[0].ActorID != nil || items[0].RequestID != "" || items[0].Before != nil {
		t.Errorf("entries %+v, want one with no actor, request id or before", items)
	}
}

// TestAuditEntryCommitsWithTheChange: the entry is written in the caller's
// transaction, so a change that rolls back leaves no entry (and an entry
// never exists without its change).
func TestAuditEntryCommitsWithTheChange(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	errAbort := errors.New("the change failed")
	err := env.DB.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
		if err := audit.Record(t.Context(), tx, audit.Entry{TenantID: tenant, Action: "create", Entity: "umkm", EntityID: "u-1"}); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("InTenantTx = %v, want the callback's error", err)
	}
	if items := list(t, env.DB, tenant, audit.Filter{Limit: 10}); len(items) != 0 {
		t.Errorf("%d entries after a rolled-back change, want 0", len(items))
	}
}

func TestListFiltersAndPagesNewestFirst(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	for i := range 5 {
		record(t, env.DB, tenant, audit.Entry{TenantID: tenant, Action: "update", Entity: "umkm", EntityID: "u-1", After: map[string]any{"n": i}})
	}
	record(t, env.DB, tenant, audit.Entry{TenantID: tenant, Action: "create", Entity: "umkm", EntityID: "u-2"})
	record(t, env.DB, tenant, audit.Entry{TenantID: tenant, Action: "create", Entity: "user", EntityID: "u-1"})

	if got := list(t, env.DB, tenant, audit.Filter{Limit: 100}); len(got) != 7 {
		t.Errorf("unfiltered: %d entries, want 7", len(got))
	}
	if got := list(t, env.DB, tenant, audit.Filter{Entity: "umkm", Limit: 100}); len(got) != 6 {
		t.Errorf("entity umkm: %d entries, want 6", len(got))
	}

	// Pages of 2 of umkm u-1: 5 entries, newest first, no repeats.
	var seen []string
	after := uuid.Nil
	for page := 0; ; page++ {
		items := list(t, env.DB, tenant, audit.Filter{Entity: "umkm", EntityID: "u-1", After: after, Limit: 2})
		if len(items) == 0 {
			break
		}
		if page > 5 {
			t.Fatal("paging does not end")
		}
		for _, it := range items {
			if it.Entity != "umkm" || it.EntityID != "u-1" {
				t.Errorf("filter leaked %s %s", it.Entity, it.EntityID)
			}
			var n struct{ N int }
			_ = json.Unmarshal(it.After, &n)
			seen = append(seen, fmt.Sprint(n.N))
		}
		after = items[len(items)-1].ID
	}
	if got := strings.Join(seen, ","); got != "4,3,2,1,0" {
		t.Errorf("pages gave %s, want 4,3,2,1,0 (newest first, each once)", got)
	}
}

func TestListFiltersByActorActionAndTime(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	siti, budi := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	as := func(user uuid.UUID) context.Context {
		return tenancy.WithPrincipal(t.Context(), &tenancy.Principal{UserID: user})
	}
	recordAs := func(ctx context.Context, e audit.Entry) {
		t.Helper()
		if err := env.DB.InTenantTx(ctx, tenant, func(tx pgx.Tx) error { return audit.Record(ctx, tx, e) }); err != nil {
			t.Fatal(err)
		}
	}
	recordAs(as(siti), audit.Entry{TenantID: tenant, Action: "create", Entity: "umkm", EntityID: "a"})
	recordAs(as(budi), audit.Entry{TenantID: tenant, Action: "update", Entity: "umkm", EntityID: "a"})
	time.Sleep(5 * time.Millisecond) // the bound below falls between two milliseconds
	mid := time.Now()
	time.Sleep(5 * time.Millisecond)
	recordAs(as(siti), audit.Entry{TenantID: tenant, Action: "update", Entity: "umkm", EntityID: "a"})
	recordAs(t.Context(), audit.Entry{TenantID: tenant, Action: "archive", Entity: "umkm", EntityID: "a"})

	ids := func(items []audit.Item) string {
		var out []string
		for _, it := range items {
			who := "sistem"
			switch {
			case it.ActorID == nil:
			case *it.ActorID == siti:
				who = "siti"
			case *it.ActorID == budi:
				who = "budi"
			}
			out = append(out, who+":"+it.Action)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		name string
		f    audit.Filter
		want string
	}{
		{"by actor", audit.Filter{Actor: siti}, "siti:update,siti:create"},
		{"by action", audit.Filter{Action: "update"}, "siti:update,budi:update"},
		{"actor and action", audit.Filter{Actor: siti, Action: "create"}, "siti:create"},
		{"from", audit.Filter{From: mid}, "sistem:archive,siti:update"},
		{"until", audit.Filter{Until: mid}, "budi:update,siti:create"},
		{"nothing in the window", audit.Filter{From: mid.Add(time.Hour)}, ""},
	} {
		c.f.Limit = 10
		if got := ids(list(t, env.DB, tenant, c.f)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAuditIsPerTenant(t *testing.T) {
	env := dbtest.New(t)
	depok, medan := newTenant(t, env.DB, "depok"), newTenant(t, env.DB, "medan")
	record(t, env.DB, depok, audit.Entry{TenantID: depok, Action: "create", Entity: "umkm", EntityID: "u-1"})
	if got := list(t, env.DB, medan, audit.Filter{Limit: 10}); len(got) != 0 {
		t.Errorf("Medan lists %d of Depok's audit entries, want 0", len(got))
	}
	// Writing an entry for another tenant is refused, not silently filed.
	err := env.DB.InTenantTx(t.Context(), medan, func(tx pgx.Tx) error {
		return audit.Record(t.Context(), tx, audit.Entry{TenantID: depok, Action: "create", Entity: "umkm", EntityID: "u-2"})
	})
	if err == nil {
		t.Error("Medan recorded an audit entry into Depok's log")
	}
	if got := list(t, env.DB, depok, audit.Filter{Limit: 10}); len(got) != 1 {
		t.Errorf("Depok has %d entries, want its 1", len(got))
	}
}

// TestAuditLogIsAppendOnly: the application role may neither change nor
// delete entries, not even its own tenant's.
func TestAuditLogIsAppendOnly(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	record(t, env.DB, tenant, audit.Entry{TenantID: tenant, Action: "create", Entity: "umkm", EntityID: "u-1"})
	for _, sql := range []string{
		"update audit_log set action = 'nothing happened'",
		"delete from audit_log",
		"truncate audit_log",
	} {
		err := env.DB.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
			_, err := tx.Exec(t.Context(), sql)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as the app role: %v, want permission denied", sql, err)
		}
	}
	if got := list(t, env.DB, tenant, audit.Filter{Limit: 10}); len(got) != 1 || got[0].Action != "create" {
		t.Errorf("entries after the attempts: %+v, want the original one", got)
	}
}
