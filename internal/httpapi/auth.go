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

// Steps of a login.
const (
	stepDone      = "selesai"     // token issued
	stepTOTP      = "totp"        // send a code with the challenge to /v1/auth/login/totp
	stepEnrolTOTP = "daftar_totp" // token issued, but it may only enrol TOTP
)

type loginOutput struct {
	Body struct {
		Langkah string `json:"langkah" enum:"selesai,totp,daftar_totp" doc:"selesai: logged in. totp: the account has two-step verification; POST the tantangan with a code to /v1/auth/login/totp. daftar_totp: logged in, but the office requires TOTP of admins and this token may only enrol it (POST /v1/me/totp)."`
		Token   string `json:"token,omitempty" doc:"Opaque bearer token: send as Authorization: Bearer <token>."`
		// Not a session: worth nothing without a code of the user's authenticator.
		Tantangan string    `json:"tantangan,omitempty" doc:"With langkah totp: the challenge token, valid for 5 minutes and 5 codes."`
		ExpiresAt time.Time `json:"expires_at" doc:"When the token, or the challenge, expires."`
	}
}

func sessionOutput(sess account.Session) *loginOutput {
	out := &loginOutput{}
	out.Body.Langkah, out.Body.Token, out.Body.ExpiresAt = stepDone, sess.Token, sess.ExpiresAt
	if sess.MustEnrolTOTP {
		out.Body.Langkah = stepEnrolTOTP
	}
	return out
}

type loginTOTPInput struct {
	Body struct {
		Tantangan string `json:"tantangan" maxLength:"256" doc:"The challenge from POST /v1/auth/login."`
		Kode      string `json:"kode" maxLength:"16" doc:"The 6-digit code the authenticator app shows." example:"123456"`
	}
}

type meOutput struct {
	Body struct {
		ID    uuid.UUID    `json:"id"`
		Email string       `json:"email"`
		Name  string       `json:"name"`
		Roles []domainRole `json:"roles" nullable:"false"`
		// MustEnrolTOTP mirrors the principal: a client shows enrolment first.
		WajibDaftarTOTP bool `json:"wajib_daftar_totp" doc:"The office requires TOTP of admins and this user has none: until they enrol, every other operation answers 403."`
	}
}

type domainRole struct {
	Domain string       `json:"domain" doc:"A tenant slug, province:<code> or platform." example:"depok"`
	Role   tenancy.Role `json:"role" enum:"admin,staf,viewer,province_viewer,platform_admin"`
}

func (s *Server) registerAuth() {
	register(s.api, public, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/v1/auth/login", Tags: []string{"Auth"},
		Summary: "Log in with e-mail and password",
		Description: "Answers a bearer token (langkah selesai), or for an account with two-step verification a challenge " +
			"(langkah totp, no token) to send with a code to /v1/auth/login/totp. An admin whose office requires TOTP and who has " +
			"none gets a token that may only enrol (langkah daftar_totp). Unknown e-mail and wrong password get the same answer; " +
			"repeated failures per account or client address are throttled (429 with Retry-After).",
		MaxBodyBytes: 4 << 10,
		Errors:       []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *loginInput) (*loginOutput, error) {
		sess, ch, err := s.Accounts.Login(ctx, in.Body.Email, in.Body.Password, clientAddr(ctx), account.KindBearer)
		if err != nil {
			return nil, err
		}
		if ch != nil {
			out := &loginOutput{}
			out.Body.Langkah, out.Body.Tantangan, out.Body.ExpiresAt = stepTOTP, ch.Token, ch.ExpiresAt
			return out, nil
		}
		return sessionOutput(sess), nil
	})

	register(s.api, public, huma.Operation{
		OperationID: "login-totp", Method: http.MethodPost, Path: "/v1/auth/login/totp", Tags: []string{"Auth"},
		Summary: "Second login step: a TOTP code for the challenge",
		Description: "Answers the bearer token. Each code works once; after 5 wrong codes the challenge ends (log in again), " +
			"and wrong codes count as failed logins of the account (429 with Retry-After).",
		MaxBodyBytes: 4 << 10,
		Errors:       []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	}, func(ctx context.Context, in *loginTOTPInput) (*loginOutput, error) {
		sess, err := s.Accounts.LoginTOTP(ctx, in.Body.Tantangan, in.Body.Kode, clientAddr(ctx))
		if err != nil {
			return nil, err
		}
		return sessionOutput(sess), nil
	})

	register(s.api, enrolling, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/v1/auth/logout", Tags: []string{"Auth"},
		Summary: "Revoke the current token", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		return nil, s.Accounts.Logout(ctx, principal(ctx).SessionID)
	})

	register(s.api, enrolling, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/v1/me", Tags: []string{"Auth"},
		Summary: "The current user and their role in each domain",
	}, func(ctx context.Context, _ *struct{}) (*meOutput, error) {
		p := principal(ctx)
		out := &meOutput{}
		out.Body.ID, out.Body.Email, out.Body.Name, out.Body.WajibDaftarTOTP = p.UserID, p.Email, p.Name, p.MustEnrolTOTP
		out.Body.Roles = []domainRole{}
		for d, r := range p.Roles {
			out.Body.Roles = append(out.Body.Roles, domainRole{Domain: string(d), Role: r})
		}
		sort.Slice(out.Body.Roles, func(i, j int) bool { return out.Body.Roles[i].Domain < out.Body.Roles[j].Domain })
		return out, nil
	})
}

// clientAddr is the caller's address, for throttling only.
func clientAddr(ctx context.Context) string { return tenancy.ClientAddr(ctx) }

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
