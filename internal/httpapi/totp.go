package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sentra-id/sentra/internal/account"
)

type totpEnrolmentOutput struct {
	Body struct {
		Secret     string `json:"secret" doc:"Base32 secret, to type into an authenticator app. Shown only now."`
		OtpauthURI string `json:"otpauth_uri" doc:"otpauth:// URI of the same secret, for a QR code."`
	}
}

type totpCodeInput struct {
	Body struct {
		Kode string `json:"kode" maxLength:"16" doc:"The 6-digit code the authenticator app shows." example:"123456"`
	}
}

type disableTOTPInput struct {
	Body struct {
		Password string `json:"password" maxLength:"256" doc:"The account's password."`
		Kode     string `json:"kode" maxLength:"16" doc:"A current code of the authenticator."`
	}
}

type totpStatusOutput struct {
	Body struct {
		Aktif bool `json:"aktif" doc:"Logins ask for a code."`
	}
}

type keamananInput struct {
	TenantPath
	Body account.Keamanan
}

type keamananOutput struct {
	Body account.Keamanan
}

func (s *Server) registerTOTP() {
	tags := []string{"Auth"}
	register(s.api, enrolling, huma.Operation{
		OperationID: "start-totp", Method: http.MethodPost, Path: "/v1/me/totp", Tags: tags,
		Summary: "Start enrolling two-step verification (TOTP)",
		Description: "For office and platform admins. Answers a new secret (RFC 6238: SHA1, 6 digits, 30 s) to add to an " +
			"authenticator app; it takes effect only once confirmed with a code. Starting again replaces an unconfirmed secret; " +
			"an active one must be disabled first (409).",
		Errors: []int{http.StatusForbidden, http.StatusConflict},
	}, func(ctx context.Context, _ *struct{}) (*totpEnrolmentOutput, error) {
		e, err := s.Accounts.StartTOTP(ctx, principal(ctx))
		if err != nil {
			return nil, err
		}
		out := &totpEnrolmentOutput{}
		out.Body.Secret, out.Body.OtpauthURI = e.Secret, e.URI
		return out, nil
	})

	register(s.api, enrolling, huma.Operation{
		OperationID: "confirm-totp", Method: http.MethodPost, Path: "/v1/me/totp/konfirmasi", Tags: tags,
		Summary:     "Confirm TOTP enrolment with a code",
		Description: "From now on, logins of this account ask for a code.",
		Errors:      []int{http.StatusForbidden},
	}, func(ctx context.Context, in *totpCodeInput) (*totpStatusOutput, error) {
		if err := s.Accounts.ConfirmTOTP(ctx, principal(ctx), in.Body.Kode); err != nil {
			return nil, err
		}
		out := &totpStatusOutput{}
		out.Body.Aktif = true
		return out, nil
	})

	register(s.api, authenticated, huma.Operation{
		OperationID: "disable-totp", Method: http.MethodPost, Path: "/v1/me/totp/nonaktif", Tags: tags,
		Summary: "Disable TOTP, with the password and a current code",
		Description: "Refused for an admin of an office that requires TOTP. Wrong password or code count as failed logins " +
			"(429 with Retry-After).",
		MaxBodyBytes: 4 << 10,
		Errors:       []int{http.StatusTooManyRequests},
	}, func(ctx context.Context, in *disableTOTPInput) (*totpStatusOutput, error) {
		if err := s.Accounts.DisableTOTP(ctx, principal(ctx), in.Body.Password, in.Body.Kode, clientAddr(ctx)); err != nil {
			return nil, err
		}
		return &totpStatusOutput{}, nil
	})

	register(s.api, inTenant("get-keamanan"), huma.Operation{
		OperationID: "get-keamanan", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/keamanan", Tags: []string{"Tenants"},
		Summary: "The office's security settings",
	}, func(ctx context.Context, _ *TenantPath) (*keamananOutput, error) {
		k, err := s.Accounts.GetKeamanan(ctx, currentTenant(ctx))
		if err != nil {
			return nil, err
		}
		return &keamananOutput{Body: k}, nil
	})

	register(s.api, inTenant("update-keamanan"), huma.Operation{
		OperationID: "update-keamanan", Method: http.MethodPut, Path: "/v1/tenants/{tenant}/keamanan", Tags: []string{"Tenants"},
		Summary: "Change the office's security settings",
		Description: "A settings singleton, not a versioned record: the whole setting is replaced, so no If-Match is asked. " +
			"With wajib_totp_admin, each admin of the office without TOTP may, from their next request on, only enrol.",
	}, func(ctx context.Context, in *keamananInput) (*keamananOutput, error) {
		k, err := s.Accounts.SetKeamanan(ctx, currentTenant(ctx), in.Body)
		if err != nil {
			return nil, err
		}
		return &keamananOutput{Body: k}, nil
	})
}
