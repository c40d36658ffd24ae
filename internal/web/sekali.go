package web

import (
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/idempotency"
)

// once runs create, a form's POST that makes a record, in one transaction
// of the page's office, once per form key (kunci, a UUID the form carries
// as the API's Idempotency-Key): a second click or a resent form answers
// the first record's id instead of making another; the same key with
// another body is refused, as in the API. Without a key create just runs.
// create answers the record's id and its API path.
func (a *App) once(q *Permintaan, kunci, operation string, body any, status int, create func(tx pgx.Tx) (uuid.UUID, string, error)) (uuid.UUID, error) {
	var id uuid.UUID
	err := a.DB.InTenantTx(q.ctx, q.T.ID, func(tx pgx.Tx) error {
		req := idempotency.Request{TenantID: q.T.ID, UserID: q.P.UserID, Key: kunci, Operation: operation, Body: body}
		if kunci != "" {
			stored, err := idempotency.Lookup(q.ctx, tx, req)
			if err != nil {
				return err
			}
			if stored != nil {
				return json.Unmarshal(stored.Response, &id)
			}
		}
		var (
			path string
			err  error
		)
		if id, path, err = create(tx); err != nil || kunci == "" {
			return err
		}
		return idempotency.Save(q.ctx, tx, req, status, id, path)
	})
	return id, err
}
