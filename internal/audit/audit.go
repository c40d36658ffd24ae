// Package audit writes and reads the tenant's audit log. Every write through
// the API records one entry in the same transaction as the change, so the log
// and the data can never disagree.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Entry is one change to one record.
type Entry struct {
	TenantID uuid.UUID
	Action   string // create, update, archive, change_role, disable, ...
	Entity   string // user, umkm, koperasi, ...
	EntityID string
	Before   any // snapshots; personal fields are masked on the way in
	After    any
}

// Record writes e in tx. The actor and request id come from ctx.
func Record(ctx context.Context, tx pgx.Tx, e Entry) error {
	return RecordMany(ctx, tx, []Entry{e})
}

// RecordMany writes entries in tx with one statement, for set-based changes
// (a bulk approval touches hundreds of records; each still gets its entry).
func RecordMany(ctx context.Context, tx pgx.Tx, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	var actor *uuid.UUID
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		actor = &p.UserID
	}
	var reqID *string
	if id := tenancy.RequestID(ctx); id != "" {
		reqID = &id
	}
	n := len(entries)
	tenants, ids := make([]uuid.UUID, n), make([]uuid.UUID, n)
	actions, entities, entityIDs := make([]string, n), make([]string, n), make([]string, n)
	befores, afters := make([]*string, n), make([]*string, n)
	for i, e := range entries {
		before, err := maskedJSON(e.Before)
		if err != nil {
			return err
		}
		after, err := maskedJSON(e.After)
		if err != nil {
			return err
		}
		tenants[i], ids[i] = e.TenantID, uuid.Must(uuid.NewV7())
		actions[i], entities[i], entityIDs[i] = e.Action, e.Entity, e.EntityID
		befores[i], afters[i] = jsonText(before), jsonText(after)
	}
	_, err := tx.Exec(ctx, `insert into audit_log (tenant_id, id, actor_id, action, entity, entity_id, before, after, request_id)
		select t, i, $3, a, e, ei, b::jsonb, af::jsonb, $9
		from unnest($1::uuid[], $2::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as x(t, i, a, e, ei, b, af)`,
		tenants, ids, actor, actions, entities, entityIDs, befores, afters, reqID)
	if err != nil {
		return fmt.Errorf("record audit %s %s (%d entries): %w", entries[0].Action, entries[0].Entity, n, err)
	}
	return nil
}

func jsonText(b []byte) *string {
	if b == nil {
		return nil
	}
	s := string(b)
	return &s
}

func maskedJSON(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit snapshot: %w", err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	return json.Marshal(pii.MaskTree(tree))
}

// Item is an entry as read back.
type Item struct {
	ID        uuid.UUID       `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   *uuid.UUID      `json:"actor_id,omitempty"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
}

// Filter narrows a listing.
type Filter struct {
	Entity   string
	EntityID string
	Action   string
	Actor    uuid.UUID // only this user's changes
	// From and Until bound the time of the change (Until exclusive); zero
	// is unbounded. They are bounds on the id (UUIDv7 starts with its
	// millisecond), so the primary key serves them.
	From, Until time.Time
	After       uuid.UUID // keyset: entries older than this id (ids are UUIDv7, time-ordered)
	Limit       int
}

// List returns entries newest first. Runs in a tenant transaction; the
// (tenant_id, id) primary key serves the keyset.
func List(ctx context.Context, tx pgx.Tx, f Filter) ([]Item, error) {
	rows, err := tx.Query(ctx, `select id, at, actor_id, action, entity, entity_id, before, after, coalesce(request_id, '')
		from audit_log
		where ($1 = '' or entity = $1) and ($2 = '' or entity_id = $2)
		  and ($3::uuid is null or id < $3)
		  and ($5 = '' or action = $5) and ($6::uuid is null or actor_id = $6)
		  and ($7::uuid is null or id >= $7) and ($8::uuid is null or id < $8)
		order by id desc limit $4`,
		f.Entity, f.EntityID, nullUUID(f.After), f.Limit, f.Action, nullUUID(f.Actor), idAt(f.From), idAt(f.Until))
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) {
		var it Item
		err := r.Scan(&it.ID, &it.At, &it.ActorID, &it.Action, &it.Entity, &it.EntityID, &it.Before, &it.After, &it.RequestID)
		return it, err
	})
}

// idAt is the smallest UUIDv7 of instant t (nil for zero t): ids of
// entries written before t sort below it.
func idAt(t time.Time) *uuid.UUID {
	if t.IsZero() {
		return nil
	}
	var id uuid.UUID
	ms := t.UnixMilli()
	for i := 5; i >= 0; i-- {
		id[i] = byte(ms)
		ms >>= 8
	}
	id[6] = 0x70 // version 7
	return &id
}

func nullUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
