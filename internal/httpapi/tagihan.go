package httpapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/langganan"
	"github.com/sentra-id/sentra/internal/stripe"
)

// Stripe billing (BILLING.md): a platform admin records the contract
// (which subscribes the office in a job) and payments from SP2D; Stripe's
// webhook queues a sync; the office's admin reads its invoices. Stripe is
// called only from jobs, never from a request.

type contractInput struct {
	LanggananInput
	Body struct {
		Plan           string `json:"plan" maxLength:"31" example:"dasar" doc:"A plan of the price list: dasar, menengah, penuh."`
		ContractNumber string `json:"contract_number" maxLength:"100" example:"027/SPK/DISKOP-UKM/IV/2027" doc:"Number of the signed contract (SPK)."`
		NPWP           string `json:"npwp" maxLength:"25" example:"01.234.567.8-901.000" doc:"The office's NPWP (15 or 16 digits; dots and dashes allowed), its tax id on the invoices."`
		BillingEmail   string `json:"billing_email" maxLength:"254" example:"bendahara@diskopukm.depok.go.id" doc:"Where Stripe sends the invoices (the treasurer)."`
		DaysUntilDue   int    `json:"days_until_due" minimum:"1" maximum:"365" example:"30" doc:"Days from an invoice to its due date, 1 to 365."`
	}
}

type paymentInput struct {
	LanggananInput
	ID   uuid.UUID `path:"id" doc:"The invoice."`
	Body struct {
		SP2DNumber   string                  `json:"sp2d_number" maxLength:"100" example:"00123/SP2D/LS/2027"`
		PaidOn       string                  `json:"paid_on" format:"date" doc:"Day of the transfer (the office's calendar)."`
		ReceivedIDR  int64                   `json:"received_idr" doc:"Whole rupiah received: less than invoiced when the treasurer withheld PPh."`
		TaxDocuments []langganan.TaxDocument `json:"tax_documents,omitempty" maxItems:"10" doc:"Faktur pajak (PPN) and bukti potong (PPh)."`
	}
}

type invoiceOutput struct {
	Replayed string `header:"Idempotent-Replayed" doc:"\"true\" when this answer repeats the first answer to the same Idempotency-Key; absent otherwise."`
	Body     langganan.InvoiceView
}

type tagihanBody struct {
	langgananBody
	Contract  *langganan.ContractView `json:"contract,omitempty" doc:"The plan and contract; absent before a contract is recorded."`
	Usage     *langganan.Usage        `json:"usage,omitempty" doc:"Seats and records against the plan's soft limits (metered for the renewal, never blocking); absent for an office Sentra does not bill."`
	CaraBayar string                  `json:"cara_bayar" doc:"How to pay, in the caller's language."`
	Items     []langganan.InvoiceView `json:"items"`
}

type tagihanOutput struct {
	Body tagihanBody
}

type webhookInput struct {
	Signature string `header:"Stripe-Signature" maxLength:"2048"`
	RawBody   []byte
}

type webhookOutput struct {
	Body struct {
		Received bool   `json:"received"`
		Outcome  string `json:"outcome,omitempty" enum:"queued,ignored_type,livemode_mismatch,api_version_mismatch,unknown_customer"`
	}
}

func (s *Server) registerTagihan() {
	base := "/v1/admin/tenants/{tenant}"
	register(s.api, onPlatform("create-kontrak"), huma.Operation{
		OperationID: "create-kontrak", Method: http.MethodPost, Path: base + "/langganan/kontrak", Tags: []string{"Platform"},
		Summary: "Record an office's contract (SPK) and subscribe it in Stripe",
		Description: "The office becomes active at once; a job creates its Stripe customer and its yearly subscription " +
			"(send_invoice, PPN as a tax rate). The same contract again changes nothing.",
		Errors: []int{http.StatusServiceUnavailable}, MaxBodyBytes: 4 << 10,
	}, func(ctx context.Context, in *contractInput) (*langgananOutput, error) {
		t, err := s.Tenants.Resolve(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		out, again, err := platformOnce(ctx, s, t.ID, in.IdempotencyKey, "create-kontrak", in, http.StatusOK,
			func(tx pgx.Tx) (*langgananOutput, error) {
				st, err := s.Billing.RecordContractTx(ctx, tx, t.ID, s.Queue, langganan.Contract{Plan: in.Body.Plan,
					ContractNumber: in.Body.ContractNumber, NPWP: in.Body.NPWP, BillingEmail: in.Body.BillingEmail, DaysUntilDue: in.Body.DaysUntilDue})
				return langgananOf(st), err
			})
		if err != nil {
			return nil, err
		}
		s.Tenants.Forget(t.Slug)
		out.Replayed = replayed(again)
		return out, nil
	})

	register(s.api, onPlatform("create-pembayaran"), huma.Operation{
		OperationID: "create-pembayaran", Method: http.MethodPost, Path: base + "/tagihan/{id}/bayar", Tags: []string{"Platform"},
		Summary: "Record the payment of an invoice from its SP2D",
		Description: "The invoice is no longer owed at once; a job sends the SP2D to Stripe and marks the invoice paid out of band. " +
			"The same payment again changes nothing.",
		Errors: []int{http.StatusConflict, http.StatusServiceUnavailable}, MaxBodyBytes: 16 << 10,
	}, func(ctx context.Context, in *paymentInput) (*invoiceOutput, error) {
		t, err := s.Tenants.Resolve(ctx, in.Tenant)
		if err != nil {
			return nil, err
		}
		loc, err := time.LoadLocation(t.Timezone)
		if err != nil {
			return nil, err
		}
		day, err := time.ParseInLocation(time.DateOnly, in.Body.PaidOn, loc)
		if err != nil {
			return nil, apperr.InvalidField("body.paid_on", in.Body.PaidOn, apperr.T("Tanggal tidak valid (tttt-bb-hh).", "Not a date (YYYY-MM-DD)."))
		}
		now := time.Now().In(loc)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		out, again, err := platformOnce(ctx, s, t.ID, in.IdempotencyKey, "create-pembayaran", in, http.StatusOK,
			func(tx pgx.Tx) (*invoiceOutput, error) {
				v, err := s.Billing.RecordPaymentTx(ctx, tx, t.ID, s.Queue, in.ID, langganan.Payment{SP2DNumber: in.Body.SP2DNumber, PaidOn: day,
					ReceivedIDR: in.Body.ReceivedIDR, TaxDocuments: in.Body.TaxDocuments}, today)
				return &invoiceOutput{Body: v}, err
			})
		if err != nil {
			return nil, err
		}
		s.Tenants.Forget(t.Slug)
		out.Replayed = replayed(again)
		return out, nil
	})

	register(s.api, inTenant("list-tagihan"), huma.Operation{
		OperationID: "list-tagihan", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/tagihan", Tags: []string{"Tagihan"},
		Summary:     "The office's subscription state and invoices, with how to pay",
		Description: "For the office's admins (and platform admins). Readable in every state that reads, read-only included.",
	}, func(ctx context.Context, in *TenantPath) (*tagihanOutput, error) {
		t := currentTenant(ctx)
		var tg langganan.Tagihan
		err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			var err error
			tg, err = langganan.ReadTagihan(ctx, tx, t.ID, t.Slug, time.Now())
			return err
		})
		if err != nil {
			return nil, err
		}
		lang, _ := ctx.Value(langKey{}).(string)
		items := tg.Invoices
		if items == nil {
			items = []langganan.InvoiceView{}
		}
		body := tagihanBody{langgananBody: langgananOf(tg.Status).Body, Contract: tg.Contract, CaraBayar: langganan.CaraBayar.In(lang), Items: items}
		if tg.Status.Billed {
			body.Usage = &tg.Usage
		}
		return &tagihanOutput{Body: body}, nil
	})

	register(s.api, public, huma.Operation{
		OperationID: "receive-stripe-event", Method: http.MethodPost, Path: "/v1/webhooks/stripe", Tags: []string{"Stripe"},
		Summary: "Stripe's webhook",
		Description: "The raw body is verified with the signing secret (300 s tolerance; during a rotation either secret). " +
			"The event is recorded once; a new one about an office's invoices or subscription queues one sync of that office, " +
			"which reads Stripe again and never trusts the payload. Unknown types, another mode or API version: recorded, 200, nothing changes.",
		Errors: []int{http.StatusBadRequest, http.StatusServiceUnavailable}, MaxBodyBytes: 512 << 10,
	}, func(ctx context.Context, in *webhookInput) (*webhookOutput, error) {
		if s.Billing.Off() {
			return nil, langganan.ErrBillingOff
		}
		ev, err := stripe.Verify(in.RawBody, in.Signature, s.WebhookSecrets)
		if errors.Is(err, stripe.ErrSignature) {
			return nil, &Problem{ErrorModel: huma.ErrorModel{Status: http.StatusBadRequest, Title: http.StatusText(http.StatusBadRequest),
				Detail: "The Stripe-Signature header does not verify this body."}, Code: "invalid_signature"}
		}
		if err != nil {
			return nil, err
		}
		outcome, _, err := s.Billing.Receive(ctx, s.Queue, ev)
		if err != nil {
			return nil, err
		}
		out := &webhookOutput{}
		out.Body.Received, out.Body.Outcome = true, outcome
		return out, nil
	})
}
