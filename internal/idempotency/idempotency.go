// Package idempotency stores the first answer to a create made with an
// Idempotency-Key, so that a retry over a bad connection (field officers on
// mobile data) gets the same answer instead of a duplicate. The key is
// claimed in the same tenant transaction as the create: two concurrent
// requests with one key serialise on its primary key, and a create that rolls
// back releases the key.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Request identifies one keyed create.
type Request struct {
	TenantID  uuid.UUID
	UserID    uuid.UUID
	Key       string
	Operation string
	Body      any // hashed: the same key with another body is refused
}

// Stored is a replayed answer.
type Stored struct {
	Status   int
	Response json.RawMessage
	Location string
}

// Hash returns the fingerprint of a request body.
func Hash(op string, body any) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(append([]byte(op+"\x00"), b...))
	return h[:], nil
}

// Lookup returns the stored answer for r, or nil when the key is new. A key
// reused with a different body or operation is invalid input. It waits for a
// concurrent transaction holding the same key.
func Lookup(ctx context.Context, tx pgx.Tx, r Request) (*Stored, error) {
	hash, err := Hash(r.Operation, r.Body)
	if err != nil {
		return nil, err
	}
	// Take the key first: a concurrent holder makes this wait, then either
	// we find its committed answer or the key is ours.
	tag, err := tx.Exec(ctx, `insert into idempotency_keys (tenant_id, user_id, key, operation, request_hash, status, response)
		values ($1, $2, $3, $4, $5, 0, 'null') on conflict do nothing`, r.TenantID, r.UserID, r.Key, r.Operation, hash)
	if err != nil {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var (
		s        Stored
		op       string
		seenHash []byte
		location *string
	)
	err = tx.QueryRow(ctx, `select operation, request_hash, status, response, location from idempotency_keys
		where tenant_id = $1 and user_id = $2 and key = $3`, r.TenantID, r.UserID, r.Key).Scan(&op, &seenHash, &s.Status, &s.Response, &location)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("idempotency key vanished while claiming it")
	}
	if err != nil {
		return nil, err
	}
	if op != r.Operation || !bytes.Equal(seenHash, hash) {
		return nil, apperr.InvalidField("header.Idempotency-Key", r.Key, apperr.T(
			"Idempotency-Key ini sudah dipakai untuk permintaan lain. Gunakan kunci baru.",
			"This Idempotency-Key was used for a different request. Use a new key."))
	}
	if location != nil {
		s.Location = *location
	}
	return &s, nil
}

// Save records the answer to the request claimed by Lookup, in the same
// transaction as the create.
func Save(ctx context.Context, tx pgx.Tx, r Request, status int, response any, location string) error {
	b, err := json.Marshal(response)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `update idempotency_keys set status = $4, response = $5, location = nullif($6, '')
		where tenant_id = $1 and user_id = $2 and key = $3`, r.TenantID, r.UserID, r.Key, status, b, location)
	if err != nil {
		return fmt.Errorf("save idempotent answer: %w", err)
	}
	return nil
}

// Prune deletes keys older than the retention, in a tenant transaction.
func Prune(ctx context.Context, tx pgx.Tx, olderThanHours int) (int64, error) {
	tag, err := tx.Exec(ctx, "delete from idempotency_keys where created_at < now() - make_interval(hours => $1)", olderThanHours)
	if err != nil {
		return 0, fmt.Errorf("prune idempotency keys: %w", err)
	}
	return tag.RowsAffected(), nil
}
