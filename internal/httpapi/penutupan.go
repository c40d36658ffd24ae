package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/bundel"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/tenant"
)

// Closing an office (BILLING.md "Offboarding"): a platform admin cancels
// its subscription, later starts its offboarding, which queues its full
// export bundle; the platform and the office's admins follow the bundle
// and get a signed link that downloads it without signing in, until it
// expires. The daily clock purges the office after the window.

type cancelInput struct {
	LanggananInput
	Body struct {
		Alasan string `json:"alasan" maxLength:"500" doc:"Why (the SPK is not renewed, the office leaves), for the audit log."`
	}
}

type bundelBody struct {
	Pekerjaan pekerjaan.Job `json:"pekerjaan" doc:"The job making the bundle, with its progress."`
	Persen    *int          `json:"persen,omitempty" doc:"Progress, 0 to 100, once the total is known."`
	Hasil     *bundel.Hasil `json:"hasil,omitempty" doc:"The bundle, once made."`
	Tautan    string        `json:"tautan,omitempty" doc:"Signed download path, once made: whoever holds it downloads the bundle without signing in, until berlaku_sampai. Each answer signs a fresh one."`
	Berlaku   *time.Time    `json:"berlaku_sampai,omitempty" doc:"When the link expires (7 days)."`
}

type bundelOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         bundelBody
}

// DownloadInput is a download link's path; exported for Huma, which
// reads only exported embedded structs.
type DownloadInput struct {
	TenantPath
	Token string `path:"token" maxLength:"128" doc:"The signed token of the link."`
}

func (s *Server) registerPenutupan() {
	tags := []string{"Platform"}
	register(s.api, onPlatform("cancel-langganan"), huma.Operation{
		OperationID: "cancel-langganan", Method: http.MethodPost, Path: langgananBase + "/batal", Tags: tags,
		Summary:     "Cancel an office's subscription: it reads and exports only, during its export window",
		Description: "Idempotent: cancelling again changes nothing (the first date and reason stay). Refused (409) for an office already closing.",
		Errors:      []int{http.StatusConflict}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *cancelInput) (*langgananOutput, error) {
		return s.record(ctx, "cancel-langganan", &in.LanggananInput, in, func(t tenant.Tenant) (langganan.Fact, error) {
			return langganan.Cancel(in.Body.Alasan, func(ctx context.Context, tx pgx.Tx) error {
				return s.Billing.FollowCancel(ctx, tx, s.Queue, t.ID)
			}), nil
		})
	})

	register(s.api, onPlatform("close-kantor"), huma.Operation{
		OperationID: "close-kantor", Method: http.MethodPost, Path: langgananBase + "/akhiri", Tags: tags,
		Summary: "Start closing (offboarding) an office",
		Description: "For an office whose subscription was canceled, or that is read-only. Only its admins may then sign in; " +
			"its full export bundle is made (GET .../bundel); its rows are purged after the purge window. " +
			"Idempotent; again after a failed bundle, it makes a new one. An office still active is refused (409) saying so.",
		Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *LanggananInput) (*langgananOutput, error) {
		if err := s.bundleReady(); err != nil {
			return nil, err
		}
		by := principal(ctx).UserID
		return s.record(ctx, "close-kantor", in, in, func(t tenant.Tenant) (langganan.Fact, error) {
			return langganan.Offboard(func(ctx context.Context, tx pgx.Tx) error {
				// A read-only office's contract ends with it: Stripe follows.
				if err := s.Billing.FollowCancel(ctx, tx, s.Queue, t.ID); err != nil {
					return err
				}
				return s.Bundel.Queue(ctx, tx, s.Queue, t.ID, by)
			}), nil
		})
	})

	// The same answer for the platform and for the office's admins.
	register(s.api, onPlatform("get-bundel"), huma.Operation{
		OperationID: "get-bundel", Method: http.MethodGet, Path: "/v1/admin/tenants/{tenant}/bundel", Tags: tags,
		Summary: "An office's export bundle: its progress, and a signed download link once made",
	}, s.bundelOf)
	register(s.api, inTenant("export-bundel"), huma.Operation{
		OperationID: "export-bundel", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/bundel", Tags: []string{"Pekerjaan"},
		Summary:     "The office's full export bundle, for its admins: progress, and a signed download link once made",
		Description: "Made when the office is being closed (offboarding). Not found before.",
	}, s.bundelOf)

	register(s.api, public, huma.Operation{
		OperationID: "download-bundel", Method: http.MethodGet, Path: "/v1/public/{tenant}/bundel/{token}", Tags: []string{"Public"},
		Summary: "Download an office's export bundle (zip) through its signed link",
		Description: "No account: the link is the credential. A link that is not genuine, or names a bundle that is gone, is not found; " +
			"a genuine one past its expiry is refused (403 tautan_kedaluwarsa). Repr-Digest carries the zip's SHA-256.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {Description: "The bundle.", Content: map[string]*huma.MediaType{
			"application/zip": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}, func(ctx context.Context, in *DownloadInput) (*huma.StreamResponse, error) {
		if err := s.bundleReady(); err != nil {
			return nil, err
		}
		t, err := s.Tenants.Resolve(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		u, err := s.Bundel.Buka(ctx, t.ID, in.Token)
		if err != nil {
			return nil, err
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("Content-Type", "application/zip")
			hctx.SetHeader("Content-Disposition", `attachment; filename="`+url.PathEscape(u.Nama)+`"`)
			hctx.SetHeader("Content-Length", strconv.FormatInt(u.Ukuran, 10))
			hctx.SetHeader("Cache-Control", "private, no-store")
			if sum, err := hex.DecodeString(u.SHA256); err == nil {
				hctx.SetHeader("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
			}
			hctx.SetStatus(http.StatusOK)
			if err := s.Bundel.Salin(ctx, u, hctx.BodyWriter()); err != nil {
				// Headers are gone: cut the connection, so the client sees
				// a short body, never a whole-looking broken zip.
				loggerFrom(ctx).ErrorContext(ctx, "bundle download cut", "error", err)
				panic(http.ErrAbortHandler)
			}
		}}, nil
	})
}

func (s *Server) bundleReady() error {
	if s.Bundel == nil {
		return apperr.Unavailable(nil)
	}
	return nil
}

// bundelOf is the office's newest bundle, with a fresh link once made.
func (s *Server) bundelOf(ctx context.Context, in *TenantPath) (*bundelOutput, error) {
	if err := s.bundleReady(); err != nil {
		return nil, err
	}
	t, err := s.Tenants.Resolve(ctx, in.Tenant)
	if err != nil {
		return nil, err
	}
	var k bundel.Keadaan
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) (err error) {
		k, err = s.Bundel.Lihat(ctx, tx, t.ID, t.Slug)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &bundelOutput{CacheControl: "private, no-store", Body: bundelBody{Pekerjaan: k.Job, Hasil: k.Hasil, Tautan: k.Tautan}}
	if k.Persen >= 0 {
		out.Body.Persen = &k.Persen
	}
	if !k.Berlaku.IsZero() {
		out.Body.Berlaku = &k.Berlaku
	}
	return out, nil
}
