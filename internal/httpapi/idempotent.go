package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/idempotency"
)

// created is the answer to a create: the record, where it lives, its
// version for the ETag, and whether it is a replay of an earlier answer.
// Status is the answer's status when not 201 (a start that answers 202).
type created[T any] struct {
	Record   T      `json:"record"`
	Location string `json:"location"`
	Version  int64  `json:"version"`
	Status   int    `json:"-"`
	Replayed bool   `json:"-"`
}

// createOnce runs create in the current tenant's transaction. With an
// Idempotency-Key, the first answer is stored in that same transaction and
// replayed to retries; the same key with another body is refused.
func createOnce[T any](ctx context.Context, s *Server, key, operation string, body any,
	create func(tx pgx.Tx) (created[T], error)) (created[T], error) {
	t := currentTenant(ctx)
	var out created[T]
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		req := idempotency.Request{TenantID: t.ID, UserID: principal(ctx).UserID, Key: key, Operation: operation, Body: body}
		if key != "" {
			stored, err := idempotency.Lookup(ctx, tx, req)
			if err != nil {
				return err
			}
			if stored != nil {
				if err := json.Unmarshal(stored.Response, &out); err != nil {
					return fmt.Errorf("replay %s: %w", operation, err)
				}
				out.Replayed = true
				return nil
			}
		}
		var err error
		if out, err = create(tx); err != nil {
			return err
		}
		if key != "" {
			status := out.Status
			if status == 0 {
				status = http.StatusCreated
			}
			return idempotency.Save(ctx, tx, req, status, out, out.Location)
		}
		return nil
	})
	return out, err
}

// etag renders a version as a strong ETag.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch parses the If-Match header of a write: missing → 428, malformed or
// a wildcard → 412 (a client must name the version it saw).
func ifMatch(h string) (int64, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, apperr.PreconditionRequired()
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v < 1 {
		return 0, apperr.PreconditionFailed()
	}
	return v, nil
}

// replayed renders the Idempotent-Replayed header: present only on replays.
func replayed(r bool) string {
	if r {
		return "true"
	}
	return ""
}

// sealedAnswer is a platform POST's answer as stored: sealed to its caller,
// since one (an invitation) carries a link whose token is otherwise kept
// only as its hash.
type sealedAnswer struct {
	Sealed []byte `json:"sealed"`
}

// platformOnce runs do, a platform admin's POST, once per Idempotency-Key:
// in one transaction — the office's (tenantID), or one of no tenant when
// opening an office (uuid.Nil) — the key is claimed on the platform, do
// runs and its answer is stored. A retry with the key and the same request
// (in: its path and body) gets that answer (status, body, Location)
// without do running again; with another request, 422. It reports whether
// the answer is a replay. Without a key, do just runs.
func platformOnce[O any](ctx context.Context, s *Server, tenantID uuid.UUID, key, operation string, in any, status int,
	do func(tx pgx.Tx) (*O, error)) (*O, bool, error) {
	inTx := s.DB.InTx
	if tenantID != uuid.Nil {
		inTx = func(ctx context.Context, fn func(pgx.Tx) error) error { return s.DB.InTenantTx(ctx, tenantID, fn) }
	}
	caller := principal(ctx).UserID
	var (
		out   *O
		again bool
	)
	err := inTx(ctx, func(tx pgx.Tx) error {
		req := idempotency.Request{Platform: true, UserID: caller, Key: key, Operation: operation, Body: in}
		if key != "" {
			if s.Accounts.Sealer == nil {
				return fmt.Errorf("%s: an Idempotency-Key answer needs the data key to be sealed", operation)
			}
			stored, err := idempotency.Lookup(ctx, tx, req)
			if err != nil {
				return err
			}
			if stored != nil {
				var a sealedAnswer
				if err := json.Unmarshal(stored.Response, &a); err != nil {
					return fmt.Errorf("replay %s: %w", operation, err)
				}
				plain, err := s.Accounts.Sealer.Open(caller, a.Sealed)
				if err != nil {
					return fmt.Errorf("replay %s: %w", operation, err)
				}
				out, again = new(O), true
				return json.Unmarshal([]byte(plain), out)
			}
		}
		var err error
		if out, err = do(tx); err != nil || key == "" {
			return err
		}
		plain, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return idempotency.Save(ctx, tx, req, status, sealedAnswer{Sealed: s.Accounts.Sealer.Seal(caller, string(plain))}, "")
	})
	return out, again, err
}
