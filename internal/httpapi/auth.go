package httpapi

import (
	"context"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/tenancy"
)

type loginInput struct {
	Body struct {
		Email    string `json:"email" maxLength:"254" doc:"The account's e-mail." example:"staf@depok.demo"`
		Password string `json:"password" maxLength:"256" doc:"The account's password."`
	}
}

type loginOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"Opaque bearer token: send as Authorization: Bearer <token>."`
		ExpiresAt time.Time `json:"expires_at"`
	}
}

type meOutput struct {
	Body struct {
		ID    uuid.UUID    `json:"id"`
		Email string       `json:"email"`
		Name  string       `json:"name"`
		Roles []domainRole `json:"roles" nullable:"false"`
	}
}

type domainRole struct {
	Domain string       `json:"domain" doc:"A tenant slug, province:<code> or platform." example:"depok"`
	Role   tenancy.Role `json:"role" enum:"admin,staf,viewer,province_viewer,platform_admin"`
}

func (s *Server) registerAuth() {
	register(s.api, public, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/v1/auth/login", Tags: []string{"Auth"},
		Summary:      "Log in with e-mail and password",
		Description:  "Answers a bearer token. Unknown e-mail and wrong password get the same answer; repeated failures per account or client address are throttled (429 with Retry-After).",
		MaxBodyBytes: 4 << 10,
		Errors:       []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *loginInput) (*loginOutput, error) {
		sess, err := s.Accounts.Login(ctx, in.Body.Email, in.Body.Password, clientAddr(ctx), account.KindBearer)
		if err != nil {
			return nil, err
		}
		out := &loginOutput{}
		out.Body.Token, out.Body.ExpiresAt = sess.Token, sess.ExpiresAt
		return out, nil
	})

	register(s.api, authenticated, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/v1/auth/logout", Tags: []string{"Auth"},
		Summary: "Revoke the current token", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		return nil, s.Accounts.Logout(ctx, principal(ctx).SessionID)
	})

	register(s.api, authenticated, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/v1/me", Tags: []string{"Auth"},
		Summary: "The current user and their role in each domain",
	}, func(ctx context.Context, _ *struct{}) (*meOutput, error) {
		p := principal(ctx)
		out := &meOutput{}
		out.Body.ID, out.Body.Email, out.Body.Name = p.UserID, p.Email, p.Name
		out.Body.Roles = []domainRole{}
		for d, r := range p.Roles {
			out.Body.Roles = append(out.Body.Roles, domainRole{Domain: string(d), Role: r})
		}
		sort.Slice(out.Body.Roles, func(i, j int) bool { return out.Body.Roles[i].Domain < out.Body.Roles[j].Domain })
		return out, nil
	})
}

type clientAddrKey struct{}

// clientAddr is the caller's address, for throttling only.
func clientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}

// remoteHost is the host part of r.RemoteAddr, or the first X-Forwarded-For
// address when the server is told it runs behind a proxy it trusts.
func remoteHost(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			first, _, _ := strings.Cut(f, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
