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

// create is what an API create does with a key: look it up, and when new,
// "create" the record and save the answer, all in one tenant transaction.
// It reports the answer given and whether it was a replay.
func create(ctx context.Context, d *db.DB, r idempotency.Request, id string) (answer, bool, error) {
	var out answer
	var replayed bool
	err := d.InTenantTx(ctx, r.TenantID, func(tx pgx.Tx) error {
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
		firstDone <- env.DB.InTenantTx(ctx, r.TenantID, func(tx pgx.Tx) error {
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

func TestPruneDeletesOnlyOldKeys(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	tenant := newTenant(t, env.DB, "depok")
	user := uuid.New()
	for _, k := range []string{"old", "new"} {
		if _, _, err := create(ctx, env.DB, request(tenant, user, k, "Warung"), k); err != nil {
			t.Fatal(err)
		}
	}
	err := env.DB.InTenantTx(ctx, tenant, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "update idempotency_keys set created_at = now() - interval '25 hours' where key = 'old'"); err != nil {
			return err
		}
		n, err := idempotency.Prune(ctx, tx, 24)
		if err == nil && n != 1 {
			t.Errorf("Prune deleted %d keys, want 1", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, replayed, _ := create(ctx, env.DB, request(tenant, user, "new", "Warung"), "x"); !replayed {
		t.Error("the fresh key was pruned")
	}
	if _, replayed, _ := create(ctx, env.DB, request(tenant, user, "old", "Warung"), "x"); replayed {
		t.Error("the old key was kept")
	}
}
