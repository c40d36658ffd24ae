package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
)

type listAuditInput struct {
	TenantPath
	PageParams
	Entity   string    `query:"entity" maxLength:"50" doc:"Only entries about this kind of record (user, umkm, ...)."`
	EntityID string    `query:"entity_id" maxLength:"100" doc:"Only entries about this record."`
	Action   string    `query:"action" maxLength:"50" doc:"Only this kind of change (create, update, archive, change_role, ...)."`
	ActorID  string    `query:"actor_id" format:"uuid" doc:"Only changes made by this user."`
	From     time.Time `query:"from" doc:"Only changes at or after this instant (RFC 3339)."`
	Until    time.Time `query:"until" doc:"Only changes before this instant (RFC 3339)."`
}

type listAuditOutput struct {
	Body Page[audit.Item]
}

func (s *Server) registerAudit() {
	register(s.api, inTenant("list-audit"), huma.Operation{
		OperationID: "list-audit", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/audit", Tags: []string{"Audit"},
		Summary:     "The tenant's audit log, newest first",
		Description: "Every write records who, what, the record before and after (personal data masked) and the request id.",
	}, func(ctx context.Context, in *listAuditInput) (*listAuditOutput, error) {
		after, err := decodeUUIDCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		var actor uuid.UUID
		if in.ActorID != "" {
			if actor, err = uuid.Parse(in.ActorID); err != nil {
				return nil, apperr.InvalidField("query.actor_id", in.ActorID, apperr.T("Bukan id pengguna yang valid.", "Not a valid user id."))
			}
		}
		var items []audit.Item
		err = s.DB.InTenantTx(ctx, currentTenant(ctx).ID, func(tx pgx.Tx) error {
			items, err = audit.List(ctx, tx, audit.Filter{
				Entity: in.Entity, EntityID: in.EntityID, Action: in.Action, Actor: actor, From: in.From, Until: in.Until,
				After: after, Limit: in.Limit + 1})
			return err
		})
		if err != nil {
			return nil, err
		}
		return &listAuditOutput{Body: paginate(items, in.Limit, func(it audit.Item) string { return it.ID.String() })}, nil
	})
}
