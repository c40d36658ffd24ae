// Package idempotency stores the first answer to a create made with an
// Idempotency-Key, so that a retry over a bad connection (field officers on
// mobile data) gets the same answer instead of a duplicate. The key is
// claimed in the same transaction as the create: two concurrent requests
// with one key serialise on its primary key, and a create that rolls back
// releases the key.
//
// An office's key lives with the office (idempotency_keys, under its RLS);
// a platform admin's POST keeps its key on the platform
// (platform_idempotency_keys), since opening an office has no office yet
// and the key is the caller's whatever office a request names.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Request identifies one keyed create.
type Request struct {
	// Platform: the key is the caller's on the platform, TenantID unused;
	// otherwise it is the caller's in the office TenantID.
	Platform  bool
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

// scope is where r's key lives: its table, its key columns, the
// condition on them and their values ($1, $2, ... in that order).
func (r Request) scope() (table, columns, match string, key []any) {
	if r.Platform {
		return "platform_idempotency_keys", "user_id, key", "user_id = $1 and key = $2", []any{r.UserID, r.Key}
	}
	return "idempotency_keys", "tenant_id, user_id, key", "tenant_id = $1 and user_id = $2 and key = $3",
		[]any{r.TenantID, r.UserID, r.Key}
}

// Lookup returns the stored answer for r, or nil when the key is new. A key
// reused with a different body or operation is invalid input. It waits for a
// concurrent transaction holding the same key.
func Lookup(ctx context.Context, tx pgx.Tx, r Request) (*Stored, error) {
	if !r.Platform && r.TenantID == uuid.Nil {
		return nil, errors.New("idempotency: an office's key without its office")
	}
	hash, err := Hash(r.Operation, r.Body)
	if err != nil {
		return nil, err
	}
	table, columns, match, key := r.scope()
	n := len(key)
	// Take the key first: a concurrent holder makes this wait, then either
	// we find its committed answer or the key is ours.
	tag, err := tx.Exec(ctx, fmt.Sprintf(`insert into %s (%s, operation, request_hash, status, response)
		values (%s, $%d, $%d, 0, 'null') on conflict do nothing`, table, columns, placeholders(n), n+1, n+2),
		append(key, r.Operation, hash)...)
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
	err = tx.QueryRow(ctx, `select operation, request_hash, status, response, location from `+table+` where `+match, key...).
		Scan(&op, &seenHash, &s.Status, &s.Response, &location)
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

func placeholders(n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = fmt.Sprintf("$%d", i+1)
	}
	return strings.Join(p, ", ")
}

// Save records the answer to the request claimed by Lookup, in the same
// transaction as the create.
func Save(ctx context.Context, tx pgx.Tx, r Request, status int, response any, location string) error {
	b, err := json.Marshal(response)
	if err != nil {
		return err
	}
	table, _, match, key := r.scope()
	n := len(key)
	_, err = tx.Exec(ctx, fmt.Sprintf(`update %s set status = $%d, response = $%d, location = nullif($%d, '') where %s`,
		table, n+1, n+2, n+3, match), append(key, status, b, location)...)
	if err != nil {
		return fmt.Errorf("save idempotent answer: %w", err)
	}
	return nil
}

// Prune deletes keys older than the retention, in a tenant transaction.
func Prune(ctx context.Context, tx pgx.Tx, olderThanHours int) (int64, error) {
	return prune(ctx, tx, "idempotency_keys", olderThanHours)
}

// PrunePlatform deletes the platform's keys older than the retention.
func PrunePlatform(ctx context.Context, tx pgx.Tx, olderThanHours int) (int64, error) {
	return prune(ctx, tx, "platform_idempotency_keys", olderThanHours)
}

func prune(ctx context.Context, tx pgx.Tx, table string, olderThanHours int) (int64, error) {
	tag, err := tx.Exec(ctx, "delete from "+table+" where created_at < now() - make_interval(hours => $1)", olderThanHours)
	if err != nil {
		return 0, fmt.Errorf("prune %s: %w", table, err)
	}
	return tag.RowsAffected(), nil
}
