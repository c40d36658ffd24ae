package idempotency_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/idempotency"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func newTenant(t *testing.T, d *db.DB, slug string) uuid.UUID { return dbtest.NewTenant(t, d, slug).ID }

type body struct {
	NamaUsaha string `json:"nama_usaha"`
}

type answer struct {
	ID string `json:"id"`
}

func request(tenant, user uuid.UUID, key, name string) idempotency.Request {
	return idempotency.Request{TenantID: tenant, UserID: user, Key: key, Operation: "create-umkm", Body: body{NamaUsaha: name}}
}

// platform is a platform admin's keyed request (no office).
func platform(user uuid.UUID, key, name string) idempotency.Request {
	return idempotency.Request{Platform: true, UserID: user, Key: key, Operation: "create-tenant", Body: body{NamaUsaha: name}}
}

// inScope runs fn in the transaction r's create runs in: its office's, or
// one of no tenant for the platform's.
func inScope(ctx context.Context, d *db.DB, r idempotency.Request, fn func(pgx.Tx) error) error {
	if r.Platform {
		return d.InTx(ctx, fn)
	}
	return d.InTenantTx(ctx, r.TenantID, fn)
}

// create is what an API create does with a key: look it up, and when new,
// "create" the record and save the answer, all in one tenant transaction.
// It reports the answer given and whether it was a replay.
func create(ctx context.Context, d *db.DB, r idempotency.Request, id string) (answer, bool, error) {
	var out answer
	var replayed bool
	err := inScope(ctx, d, r, func(tx pgx.Tx) error {
		stored, err := idempotency.Lookup(ctx, tx, r)
		if err != nil {
			return err
		}
		if stored != nil {
			replayed = true
			return json.Unmarshal(stored.Response, &out)
		}
		out = answer{ID: id}
		return idempotency.Save(ctx, tx, r, 201, out, "/v1/umkm/"+id)
	})
	return out, replayed, err
}

func TestLookupOfNewKeyFindsNothing(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	err := env.DB.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
		stored, err := idempotency.Lookup(t.Context(), tx, request(tenant, uuid.New(), "k-1", "Warung"))
		if err == nil && stored != nil {
			t.Errorf("Lookup of a new key = %+v, want nil", stored)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRetryReplaysTheFirstAnswer(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	tenant := newTenant(t, env.DB, "depok")
	r := request(tenant, uuid.New(), "k-1", "Warung Bu Siti")

	first, replayed, err := create(ctx, env.DB, r, "first")
	if err != nil || replayed {
		t.Fatalf("first request: %v, replayed %v", err, replayed)
	}
	second, replayed, err := create(ctx, env.DB, r, "second")
	if err != nil {
		t.Fatal(err)
	}
	if !replayed || second != first {
		t.Errorf("retry answered %+v (replayed %v), want the first answer %+v replayed", second, replayed, first)
	}
	err = env.DB.InTenantTx(ctx, tenant, func(tx pgx.Tx) error {
		stored, err := idempotency.Lookup(ctx, tx, r)
		if err != nil {
			return err
		}
		if stored == nil || stored.Status != 201 || stored.Location != "/v1/umkm/first" || string(stored.Response) != `{"id": "first"}` {
			t.Errorf("stored answer %+v, want 201 /v1/umkm/first {\"id\": \"first\"}", stored)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSameKeyWithAnotherRequestIsInvalid(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	tenant := newTenant(t, env.DB, "depok")
	user := uuid.New()
	if _, _, err := create(ctx, env.DB, request(tenant, user, "k-1", "Warung Bu Siti"), "first"); err != nil {
		t.Fatal(err)
	}
	otherOp := request(tenant, user, "k-1", "Warung Bu Siti")
	otherOp.Operation = "create-koperasi"
	for name, r := range map[string]idempotency.Request{
		"another body":      request(tenant, user, "k-1", "Toko Lain"),
		"another operation": otherOp,
	} {
		_, _, err := create(ctx, env.DB, r, "second")
		if apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("%s with a used key: %v, want KindInvalid", name, err)
		}
	}
}

// TestKeysAreScopedToTenantAndUser: the same key string from another user or
// in another tenant is a different request.
func TestKeysAreScopedToTenantAndUser(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	depok, medan := newTenant(t, env.DB, "depok"), newTenant(t, env.DB, "medan")
	user := uuid.New()
	if _, _, err := create(ctx, env.DB, request(depok, user, "k-1", "Warung"), "depok-user"); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]idempotency.Request{
		"another user, same tenant": request(depok, uuid.New(), "k-1", "Warung"),
		"same user, another tenant": request(medan, user, "k-1", "Warung"),
	} {
		got, replayed, err := create(ctx, env.DB, r, "fresh")
		if err != nil || replayed || got.ID != "fresh" {
			t.Errorf("%s: %+v replayed %v err %v, want a fresh create", name, got, replayed, err)
		}
	}
}

// concurrent runs a first request that holds its transaction open after
// claiming the key, starts a second request with the same key, waits until
// the second is blocked on the first's key, then lets the first finish with
// commit or rollback. It returns the second request's outcome.
func concurrent(t *testing.T, env *dbtest.Env, r idempotency.Request, commitFirst bool) (answer, bool, error) {
	t.Helper()
	ctx := t.Context()
	claimed, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	letFirstFinish := func() { once.Do(func() { close(release) }) }
	defer letFirstFinish() // never leave the first transaction hanging on a failure
	firstDone := make(chan error, 1)
	errRollback := errors.New("first request failed")
	go func() {
		firstDone <- inScope(ctx, env.DB, r, func(tx pgx.Tx) error {
			stored, err := idempotency.Lookup(ctx, tx, r)
			if err != nil || stored != nil {
				close(claimed)
				return fmt.Errorf("first lookup: %+v, %v", stored, err)
			}
			close(claimed)
			<-release
			if !commitFirst {
				return errRollback
			}
			return idempotency.Save(ctx, tx, r, 201, answer{ID: "first"}, "/v1/umkm/first")
		})
	}()
	<-claimed

	type result struct {
		a        answer
		replayed bool
		err      error
	}
	second := make(chan result, 1)
	go func() {
		a, replayed, err := create(ctx, env.DB, r, "second")
		second <- result{a, replayed, err}
	}()

	// The second must be waiting on the first's key before the first ends;
	// otherwise this test would not be testing concurrency at all.
	env.AwaitLockWaits(t, 1, func() error {
		select {
		case res := <-second:
			return fmt.Errorf("second request finished while the first held the key: %+v", res)
		default:
			return nil
		}
	})
	letFirstFinish()

	err := <-firstDone
	if (commitFirst && err != nil) || (!commitFirst && !errors.Is(err, errRollback)) {
		t.Fatalf("first request: %v", err)
	}
	select {
	case res := <-second:
		return res.a, res.replayed, res.err
	case <-time.After(10 * time.Second):
		t.Fatal("second request did not finish after the first ended")
	}
	panic("unreachable")
}

func TestConcurrentRetryWaitsAndReplays(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	got, replayed, err := concurrent(t, env, request(tenant, uuid.New(), "k-1", "Warung"), true)
	if err != nil || !replayed || got.ID != "first" {
		t.Errorf("second request: %+v replayed %v err %v, want the first's answer replayed", got, replayed, err)
	}
}

func TestRolledBackRequestReleasesKey(t *testing.T) {
	env := dbtest.New(t)
	tenant := newTenant(t, env.DB, "depok")
	r := request(tenant, uuid.New(), "k-1", "Warung")
	got, replayed, err := concurrent(t, env, r, false)
	if err != nil || replayed || got.ID != "second" {
		t.Fatalf("second request after the first rolled back: %+v replayed %v err %v, want its own fresh create", got, replayed, err)
	}
	// And it now owns the key.
	got, replayed, err = create(t.Context(), env.DB, r, "third")
	if err != nil || !replayed || got.ID != "second" {
		t.Errorf("third request: %+v replayed %v err %v, want the second's answer", got, replayed, err)
	}
}

// TestPruneDeletesOnlyOldKeys, of an office's keys and of the platform's.
func TestPruneDeletesOnlyOldKeys(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	tenant := newTenant(t, env.DB, "depok")
	user := uuid.New()
	for _, c := range []struct {
		table string
		req   func(key string) idempotency.Request
		prune func(context.Context, pgx.Tx, int) (int64, error)
	}{
		{"idempotency_keys", func(k string) idempotency.Request { return request(tenant, user, k, "Warung") }, idempotency.Prune},
		{"platform_idempotency_keys", func(k string) idempotency.Request { return platform(user, k, "Warung") }, idempotency.PrunePlatform},
	} {
		for _, k := range []string{"old", "new"} {
			if _, _, err := create(ctx, env.DB, c.req(k), k); err != nil {
				t.Fatal(err)
			}
		}
		err := inScope(ctx, env.DB, c.req("old"), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "update "+c.table+" set created_at = now() - interval '25 hours' where key = 'old'"); err != nil {
				return err
			}
			n, err := c.prune(ctx, tx, 24)
			if err == nil && n != 1 {
				t.Errorf("%s: pruned %d keys, want 1", c.table, n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, replayed, _ := create(ctx, env.DB, c.req("new"), "x"); !replayed {
			t.Errorf("%s: the fresh key was pruned", c.table)
		}
		if _, replayed, _ := create(ctx, env.DB, c.req("old"), "x"); replayed {
			t.Errorf("%s: the old key was kept", c.table)
		}
	}
}

// TestPlatformKeysAreTheCallers: a platform admin's key replays its first
// answer, refuses another body, and is theirs alone: another admin's same
// key, or the same key in an office, is another request.
func TestPlatformKeysAreTheCallers(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	depok := newTenant(t, env.DB, "depok")
	user := uuid.New()
	if got, replayed, err := create(ctx, env.DB, platform(user, "k-1", "Kota Makassar"), "first"); err != nil || replayed || got.ID != "first" {
		t.Fatalf("first: %+v replayed %v err %v", got, replayed, err)
	}
	if got, replayed, err := create(ctx, env.DB, platform(user, "k-1", "Kota Makassar"), "second"); err != nil || !replayed || got.ID != "first" {
		t.Errorf("retry: %+v replayed %v err %v, want the first answer", got, replayed, err)
	}
	if _, _, err := create(ctx, env.DB, platform(user, "k-1", "Kota Palu"), "second"); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("another body: %v, want KindInvalid", err)
	}
	for name, r := range map[string]idempotency.Request{
		"another admin":       platform(uuid.New(), "k-1", "Kota Makassar"),
		"the same in depok":   request(depok, user, "k-1", "Kota Makassar"),
		"another key, itself": platform(user, "k-2", "Kota Makassar"),
	} {
		if got, replayed, err := create(ctx, env.DB, r, "fresh"); err != nil || replayed || got.ID != "fresh" {
			t.Errorf("%s: %+v replayed %v err %v, want a fresh create", name, got, replayed, err)
		}
	}
	if _, err := idempotency.Lookup(ctx, nil, idempotency.Request{UserID: user, Key: "k-3", Operation: "x"}); err == nil {
		t.Error("an office's key without its office is looked up")
	}
}

func TestPlatformConcurrentRetryWaitsAndReplays(t *testing.T) {
	env := dbtest.New(t)
	got, replayed, err := concurrent(t, env, platform(uuid.New(), "k-1", "Kota Makassar"), true)
	if err != nil || !replayed || got.ID != "first" {
		t.Errorf("second request: %+v replayed %v err %v, want the first's answer replayed", got, replayed, err)
	}
}
