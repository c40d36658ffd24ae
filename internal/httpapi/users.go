package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// UserPath is the path of one user; exported for Huma, as TenantPath.
type UserPath struct {
	TenantPath
	ID uuid.UUID `path:"id" doc:"User id."`
}

type userOutput struct {
	ETag     string `header:"ETag"`
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Status   int
	Body     account.Member
}

type listUsersInput struct {
	TenantPath
	PageParams
}

type listUsersOutput struct {
	Body Page[account.Member]
}

type createUserBody struct {
	Email    string       `json:"email" maxLength:"254" example:"siti@depok.go.id"`
	Name     string       `json:"name" maxLength:"200" example:"Siti Rahmawati"`
	Role     tenancy.Role `json:"role" enum:"admin,staf,viewer,petugas"`
	Wilayah  []string     `json:"wilayah,omitempty" maxItems:"100" doc:"For a petugas (required then): the kecamatan or desa/kelurahan codes they work in."`
	Password string       `json:"password" minLength:"12" maxLength:"256" doc:"Initial password (12–256 characters, not a common one); its owner should change it."`
}

type createUserInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes a retried create safe: the same key returns the first answer."`
	Body           createUserBody
}

type updateUserInput struct {
	UserPath
	IfMatch string `header:"If-Match" doc:"The ETag of the version being changed (required)."`
	Body    struct {
		Role    *tenancy.Role `json:"role,omitempty" enum:"admin,staf,viewer,petugas"`
		Wilayah []string      `json:"wilayah,omitempty" maxItems:"100" doc:"A petugas's regions, replacing the ones they had (kecamatan or desa/kelurahan codes)."`
		Active  *bool         `json:"active,omitempty" doc:"false disables the user's access to this tenant (their account and other roles stay)."`
	}
}

func (s *Server) registerUsers() {
	tags := []string{"Users"}
	register(s.api, inTenant("list-users"), huma.Operation{
		OperationID: "list-users", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/users", Tags: tags,
		Summary: "Users of the tenant",
	}, func(ctx context.Context, in *listUsersInput) (*listUsersOutput, error) {
		after, err := decodeUUIDCursor(in.Cursor)
		if err != nil {
			return nil, err
		}
		items, err := s.Accounts.ListMembers(ctx, currentTenant(ctx), after, in.Limit+1)
		if err != nil {
			return nil, err
		}
		return &listUsersOutput{Body: paginate(items, in.Limit, func(m account.Member) string { return m.ID.String() })}, nil
	})

	register(s.api, inTenant("get-user"), huma.Operation{
		OperationID: "get-user", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/users/{id}", Tags: tags,
		Summary: "One user of the tenant",
	}, func(ctx context.Context, in *UserPath) (*userOutput, error) {
		m, err := s.Accounts.GetMember(ctx, currentTenant(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &userOutput{ETag: etag(m.Version), Status: http.StatusOK, Body: m}, nil
	})

	register(s.api, inTenant("create-user"), huma.Operation{
		OperationID: "create-user", Method: http.MethodPost, Path: "/v1/tenants/{tenant}/users", Tags: tags,
		Summary: "Add a user to the tenant", DefaultStatus: http.StatusCreated, MaxBodyBytes: 16 << 10,
		Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *createUserInput) (*userOutput, error) {
		t := currentTenant(ctx)
		res, err := createOnce(ctx, s, in.IdempotencyKey, "create-user", in.Body, func(tx pgx.Tx) (created[account.Member], error) {
			m, err := account.AddMemberTx(ctx, tx, t, account.AddParams{
				Email: in.Body.Email, Name: in.Body.Name, Role: in.Body.Role, Wilayah: in.Body.Wilayah, Password: in.Body.Password})
			return created[account.Member]{Record: m, Version: m.Version,
				Location: "/v1/tenants/" + t.Slug + "/users/" + m.ID.String()}, err
		})
		if err != nil {
			return nil, err
		}
		return &userOutput{ETag: etag(res.Version), Location: res.Location, Replayed: replayed(res.Replayed),
			Status: http.StatusCreated, Body: res.Record}, nil
	})

	register(s.api, inTenant("update-user"), huma.Operation{
		OperationID: "update-user", Method: http.MethodPatch, Path: "/v1/tenants/{tenant}/users/{id}", Tags: tags,
		Summary:     "Change a user's role or a petugas's regions, or disable their access",
		Description: "Requires If-Match with the ETag from the last read. A tenant must keep one active admin.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *updateUserInput) (*userOutput, error) {
		version, err := ifMatch(in.IfMatch)
		if err != nil {
			return nil, err
		}
		m, err := s.Accounts.UpdateMember(ctx, currentTenant(ctx), in.ID, version,
			account.UpdateParams{Role: in.Body.Role, Wilayah: in.Body.Wilayah, Active: in.Body.Active})
		if err != nil {
			return nil, err
		}
		return &userOutput{ETag: etag(m.Version), Status: http.StatusOK, Body: m}, nil
	})
}
