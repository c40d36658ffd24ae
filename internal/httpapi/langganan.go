package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/account"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
)

// The platform's side of an office's life as a customer (BILLING.md): its
// state and the facts a platform admin records — a trial, a suspension,
// its lifting, an extension of grace. Each records a fact and the state
// follows from langganan.Evaluate. Every platform POST honours an
// Idempotency-Key (platformOnce): a retry gets the first answer.

type langgananBody struct {
	Billed       bool       `json:"billed" doc:"false for an office Sentra does not bill (it stays active)."`
	State        string     `json:"state" enum:"provisioning,trialing,active,grace,read_only,canceled,offboarding,archived"`
	Reason       string     `json:"reason" doc:"Why: setup, trial, trial_expired, paid, invoice_overdue, grace_extended, invoice_unpaid, suspended, canceled, ..."`
	Until        *time.Time `json:"until,omitempty" doc:"When the state ends by itself (trial end, read-only day, end of an extension or of the export window)."`
	OverdueSince *time.Time `json:"overdue_since,omitempty" doc:"Due date of the oldest unpaid invoice."`
	Restricted   bool       `json:"restricted" doc:"In grace past the optional step: no new users or imports."`
}

type langgananOutput struct {
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Body     langgananBody
}

func langgananOf(st langganan.Status) *langgananOutput {
	b := langgananBody{Billed: st.Billed, State: string(st.State), Reason: string(st.Reason), Restricted: st.Restricted}
	if !st.Until.IsZero() {
		b.Until = &st.Until
	}
	if !st.OverdueSince.IsZero() {
		b.OverdueSince = &st.OverdueSince
	}
	return &langgananOutput{Body: b}
}

// LanggananInput is an office's path with the POST's key; exported for
// Huma, which reads only exported embedded structs.
type LanggananInput struct {
	TenantPath
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"A retry with the same key and request gets the first answer (Idempotent-Replayed: true) without it being done again; the same key with another request is refused (422). Keys are the caller's, kept 24 hours."`
}

type trialInput struct {
	LanggananInput
	Body struct {
		TrialUntil string `json:"trial_until" format:"date" doc:"Last day of the trial (at most 90 days from today)."`
	}
}

type suspendInput struct {
	LanggananInput
	Body struct {
		Alasan string `json:"alasan" minLength:"3" maxLength:"500" doc:"Why, for the audit log and the office's admin."`
	}
}

type graceInput struct {
	LanggananInput
	Body struct {
		GraceUntil string `json:"grace_until" format:"date" doc:"Last day without read-only (\"SP2D dalam proses\"), at most a year ahead."`
	}
}

// langgananBase is the path of an office's subscription facts.
const langgananBase = "/v1/admin/tenants/{tenant}/langganan"

// record builds the fact of operation for the office of path (a date is a
// day of its calendar) and records it once per Idempotency-Key of the
// request in.
func (s *Server) record(ctx context.Context, operation string, path *LanggananInput, in any,
	fact func(t tenant.Tenant) (langganan.Fact, error)) (*langgananOutput, error) {
	t, err := s.Tenants.Resolve(ctx, path.Tenant)
	if err != nil {
		return nil, err
	}
	f, err := fact(t)
	if err != nil {
		return nil, err
	}
	svc := &langganan.Service{DB: s.DB, Now: time.Now, Changed: s.Tenants.Forget}
	changed := false
	out, again, err := platformOnce(ctx, s, t.ID, path.IdempotencyKey, operation, in, http.StatusOK,
		func(tx pgx.Tx) (*langgananOutput, error) {
			st, ch, err := svc.RecordTx(ctx, tx, t.ID, f)
			changed = ch
			return langgananOf(st), err
		})
	if err != nil {
		return nil, err
	}
	if changed {
		s.Tenants.Forget(t.Slug)
	}
	out.Replayed = replayed(again)
	return out, nil
}

func (s *Server) registerLangganan() {
	tags := []string{"Platform"}
	const base = langgananBase

	register(s.api, onPlatform("get-langganan"), huma.Operation{
		OperationID: "get-langganan", Method: http.MethodGet, Path: base, Tags: tags,
		Summary: "An office's subscription state and why",
	}, func(ctx context.Context, in *TenantPath) (*langgananOutput, error) {
		t, err := s.Tenants.Resolve(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		var st langganan.Status
		err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			st, err = langganan.Get(ctx, tx, t.ID, time.Now())
			return err
		})
		if err != nil {
			return nil, err
		}
		return langgananOf(st), nil
	})

	register(s.api, onPlatform("start-uji-coba"), huma.Operation{
		OperationID: "start-uji-coba", Method: http.MethodPost, Path: base + "/uji-coba", Tags: tags,
		Summary: "Start (or move the end of) an office's trial", Description: "The first fact of a billed office. Refused after a contract.",
		Errors: []int{http.StatusConflict}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *trialInput) (*langgananOutput, error) {
		return s.record(ctx, "start-uji-coba", &in.LanggananInput, in, func(t tenant.Tenant) (langganan.Fact, error) {
			until, err := langganan.EndOfDay(in.Body.TrialUntil, t.Timezone, "body.trial_until")
			return langganan.StartTrial(until), err
		})
	})

	register(s.api, onPlatform("suspend-tenant"), huma.Operation{
		OperationID: "suspend-tenant", Method: http.MethodPost, Path: base + "/tangguhkan", Tags: tags,
		Summary: "Suspend an office: read-only whatever is paid", Description: "Reads, exports and login keep working.",
		MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *suspendInput) (*langgananOutput, error) {
		return s.record(ctx, "suspend-tenant", &in.LanggananInput, in, func(tenant.Tenant) (langganan.Fact, error) {
			return langganan.Suspend(in.Body.Alasan), nil
		})
	})

	register(s.api, onPlatform("reactivate-tenant"), huma.Operation{
		OperationID: "reactivate-tenant", Method: http.MethodPost, Path: base + "/aktifkan", Tags: tags,
		Summary: "Lift a suspension", Description: "The state is then what the trial and the invoices say.",
	}, func(ctx context.Context, in *LanggananInput) (*langgananOutput, error) {
		return s.record(ctx, "reactivate-tenant", in, in, func(tenant.Tenant) (langganan.Fact, error) { return langganan.Reactivate(), nil })
	})

	register(s.api, onPlatform("extend-grace"), huma.Operation{
		OperationID: "extend-grace", Method: http.MethodPost, Path: base + "/perpanjang", Tags: tags,
		Summary:      "Keep an office with an overdue invoice out of read-only until a date (SP2D in process)",
		MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *graceInput) (*langgananOutput, error) {
		return s.record(ctx, "extend-grace", &in.LanggananInput, in, func(t tenant.Tenant) (langganan.Fact, error) {
			until, err := langganan.EndOfDay(in.Body.GraceUntil, t.Timezone, "body.grace_until")
			return langganan.ExtendGrace(until), err
		})
	})
}

type openTenantInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"A retry with the same key and request gets the first answer (201, Idempotent-Replayed: true), never a second office; the same key with another request is refused (422). Keys are the caller's, kept 24 hours. Without a key, a retry answers 409 with the office's path."`
	Body           struct {
		Kode    string `json:"kode" maxLength:"5" example:"73.71" doc:"Kemendagri code of the kabupaten/kota."`
		Slug    string `json:"slug,omitempty" maxLength:"31" doc:"The office's address in Sentra; made from the name when absent."`
		BPSCode string `json:"bps_code,omitempty" maxLength:"4" doc:"BPS code, if known (never derived from the Kemendagri code)."`
	}
}

type openedBody struct {
	tenant.Tenant
	Kecamatan     int `json:"kecamatan" doc:"Kecamatan loaded."`
	DesaKelurahan int `json:"desa_kelurahan" doc:"Desa and kelurahan loaded."`
}

type openTenantOutput struct {
	Location string `header:"Location"`
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Body     openedBody
}

func (s *Server) registerOnboarding() {
	register(s.api, onPlatform("create-tenant"), huma.Operation{
		OperationID: "create-tenant", Method: http.MethodPost, Path: "/v1/admin/tenants", Tags: []string{"Platform"},
		Summary:       "Open a kabupaten/kota as an office",
		Description:   "From its Kemendagri code (all Indonesia, Kepmendagri 300.2.2-2430/2025): name, kind, province, time zone and every kecamatan and desa/kelurahan are loaded; the office starts in provisioning.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *openTenantInput) (*openTenantOutput, error) {
		c, err := tenant.FromKode(in.Body.Kode, in.Body.Slug, in.Body.BPSCode)
		if err != nil {
			return nil, err
		}
		out, again, err := platformOnce(ctx, s, uuid.Nil, in.IdempotencyKey, "create-tenant", in, http.StatusCreated,
			func(tx pgx.Tx) (*openTenantOutput, error) {
				o, err := s.Tenants.OpenTx(ctx, tx, c)
				if err != nil {
					return nil, err
				}
				return &openTenantOutput{Location: "/v1/tenants/" + o.Slug,
					Body: openedBody{Tenant: o.Tenant, Kecamatan: o.Kecamatan, DesaKelurahan: o.DesaKelurahan}}, nil
			})
		if err != nil {
			return nil, err
		}
		out.Replayed = replayed(again)
		return out, nil
	})
}

type inviteInput struct {
	LanggananInput
	Body struct {
		Email string       `json:"email" maxLength:"254" example:"kadis@makassar.go.id"`
		Name  string       `json:"name" maxLength:"200"`
		Role  tenancy.Role `json:"role,omitempty" enum:"admin,staf,viewer" default:"admin"`
	}
}

type inviteOutput struct {
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Body     struct {
		account.Invitation
		Link   string `json:"link" doc:"The single-use link to give the invitee (shown once; only its hash is stored)."`
		Mailed bool   `json:"mailed" doc:"The link was mailed to the invitee (SMTP configured and the relay took it); false in a replay, which mails nothing."`
	}
}

type acceptInput struct {
	TenantPath
	Token string `path:"token" maxLength:"64"`
	Body  struct {
		Name     string `json:"name,omitempty" maxLength:"200" doc:"For a new account (the invitation's name when empty)."`
		Password string `json:"password" maxLength:"256" doc:"A new account's password, or the existing account's."`
	}
}

type acceptOutput struct {
	Body struct {
		UserID uuid.UUID `json:"user_id"`
	}
}

func (s *Server) registerUndangan() {
	register(s.api, onPlatform("invite-admin"), huma.Operation{
		OperationID: "invite-admin", Method: http.MethodPost, Path: "/v1/admin/tenants/{tenant}/undangan", Tags: []string{"Platform"},
		Summary:       "Invite an office's first admin (or other staff)",
		Description:   "A single-use link valid for 7 days, mailed to the invitee where SMTP is configured (mailed says whether it was) and shown here once in any case.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *inviteInput) (*inviteOutput, error) {
		t, err := s.Tenants.Resolve(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		role := in.Body.Role
		if role == "" {
			role = tenancy.RoleAdmin
		}
		var inv account.Invitation
		out, again, err := platformOnce(ctx, s, t.ID, in.IdempotencyKey, "invite-admin", in, http.StatusCreated,
			func(tx pgx.Tx) (*inviteOutput, error) {
				if inv, err = account.Invite(ctx, tx, t.Scope(), in.Body.Email, in.Body.Name, role, time.Now()); err != nil {
					return nil, err
				}
				out := &inviteOutput{}
				out.Body.Invitation, out.Body.Link = inv, account.InvitationPath(t.Slug, inv.Token)
				return out, nil
			})
		if err != nil {
			return nil, err
		}
		// Mailed after the commit, once: a replay repeats the first answer
		// and sends nothing (its mailed is false).
		if !again {
			out.Body.Mailed = s.Accounts.MailInvitation(ctx, inv, t.Scope(), in.Body.Name)
		}
		out.Replayed = replayed(again)
		return out, nil
	})

	register(s.api, public, huma.Operation{
		OperationID: "accept-undangan", Method: http.MethodPost, Path: "/v1/public/{tenant}/undangan/{token}", Tags: []string{"Public"},
		Summary:       "Accept an invitation: the account is created (or, for an e-mail that has one, the role granted)",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *acceptInput) (*acceptOutput, error) {
		t, err := s.Tenants.Resolve(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		var user uuid.UUID
		err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			user, err = account.AcceptInvitation(ctx, tx, t.Scope(), in.Token, in.Body.Name, in.Body.Password, time.Now())
			return err
		})
		if err != nil {
			return nil, err
		}
		out := &acceptOutput{}
		out.Body.UserID = user
		return out, nil
	})
}
