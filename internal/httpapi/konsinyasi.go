package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The consignment ledger of a listing at a marketing point, the point's
// stock at a glance and the office's late-report dashboard. Each movement
// is a create (Idempotency-Key replays it) answering the ledger after it;
// concurrency is the ledger's row lock, so no If-Match is asked.

type konsinyasiInput[T any] struct {
	TitikKurasiPath
	IdemHeader
	Body T
}

func (s *Server) registerKonsinyasi() {
	tags := []string{"Konsinyasi"}
	const ledger = "/v1/tenants/{tenant}/pemasaran/titik/{id}/kurasi/{kurasi_id}/konsinyasi"
	moveErrors := []int{http.StatusConflict}

	register(s.api, inTenant("get-konsinyasi"), huma.Operation{
		OperationID: "get-konsinyasi", Method: http.MethodGet, Path: ledger, Tags: tags,
		Summary: "A listing's consignment ledger: totals, movements and settlements",
	}, func(ctx context.Context, in *TitikKurasiPath) (*versioned[konsinyasi.KonsinyasiRinci], error) {
		r, err := s.Konsinyasi.Get(ctx, currentTenant(ctx), in.ID, in.KurasiID)
		if err != nil {
			return nil, err
		}
		return answer(r, r.Version, http.StatusOK), nil
	})

	register(s.api, inTenant("list-titik-konsinyasi"), huma.Operation{
		OperationID: "list-titik-konsinyasi", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/pemasaran/titik/{id}/konsinyasi", Tags: tags,
		Summary: "A point's stock and sales at a glance, per product",
	}, func(ctx context.Context, in *TitikPath) (*itemsOutput[konsinyasi.Konsinyasi], error) {
		list, err := s.Konsinyasi.Stok(ctx, currentTenant(ctx), in.ID)
		return items(list), err
	})

	register(s.api, inTenant("get-konsinyasi-terlambat"), huma.Operation{
		OperationID: "get-konsinyasi-terlambat", Method: http.MethodGet, Path: "/v1/tenants/{tenant}/pemasaran/konsinyasi/terlambat", Tags: tags,
		Summary: "The late-report dashboard: per operator, reports overdue, stock unreconciled, money not yet settled",
	}, func(ctx context.Context, _ *TenantPath) (*itemsOutput[konsinyasi.OperatorTerlambat], error) {
		list, err := s.Konsinyasi.Dasbor(ctx, currentTenant(ctx))
		return items(list), err
	})

	register(s.api, inTenant("create-konsinyasi"), huma.Operation{
		OperationID: "create-konsinyasi", Method: http.MethodPost, Path: ledger, Tags: tags,
		Summary:       "Open a listing's ledger with its terms (commission in basis points or a monthly fee)",
		Description:   "The listing must be diterima or tampil; a second open is 409. The terms move to the agreement once partnerships land.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 4 << 10, Errors: moveErrors,
	}, func(ctx context.Context, in *konsinyasiInput[konsinyasi.KonsinyasiBuka]) (*versioned[konsinyasi.Konsinyasi], error) {
		return konsinyasiCreate(ctx, s, in, "create-konsinyasi", s.Konsinyasi.BukaTx)
	})
	movement(s, "create-konsinyasi-terima", ledger+"/terima", "Record goods received from the business (quantity, batch, expiry)", tags,
		s.Konsinyasi.TerimaTx)
	movement(s, "create-konsinyasi-jual", ledger+"/jual", "Report a period's sales (quantity, gross; self-reported or verified)", tags,
		s.Konsinyasi.JualTx)
	movement(s, "create-konsinyasi-retur", ledger+"/retur", "Record stock returned to the business", tags, s.Konsinyasi.ReturTx)
	movement(s, "create-konsinyasi-kedaluwarsa", ledger+"/kedaluwarsa", "Record expired stock and its compensation", tags,
		s.Konsinyasi.KedaluwarsaTx)
	movement(s, "create-konsinyasi-opname", ledger+"/opname", "Record a stock count; the variance is recorded", tags, s.Konsinyasi.OpnameTx)
	movement(s, "create-konsinyasi-setor", ledger+"/setor", "Record a settlement to the business with its proof, at most what is owed", tags,
		s.Konsinyasi.SetorTx)
}

// movement registers one ledger movement: more than on hand, a closed or
// overlapping period, or a settlement above what is owed is 422 naming the
// field; nothing is written then.
func movement[T any](s *Server, op, path, summary string, tags []string,
	run konsinyasiRun[T]) {
	register(s.api, inTenant(op), huma.Operation{
		OperationID: op, Method: http.MethodPost, Path: path, Tags: tags, Summary: summary,
		DefaultStatus: http.StatusCreated, MaxBodyBytes: 8 << 10, Errors: []int{http.StatusConflict},
	}, func(ctx context.Context, in *konsinyasiInput[T]) (*versioned[konsinyasi.Konsinyasi], error) {
		return konsinyasiCreate(ctx, s, in, op, run)
	})
}

type konsinyasiRun[T any] func(context.Context, pgx.Tx, *tenancy.Tenant, uuid.UUID, uuid.UUID, T) (konsinyasi.Konsinyasi, error)

// konsinyasiCreate runs a ledger write once per Idempotency-Key.
func konsinyasiCreate[T any](ctx context.Context, s *Server, in *konsinyasiInput[T], op string, run konsinyasiRun[T]) (*versioned[konsinyasi.Konsinyasi], error) {
	t := currentTenant(ctx)
	return createVersioned(ctx, s, in.IdempotencyKey, op, in.Body, func(tx pgx.Tx) (konsinyasi.Konsinyasi, int64, string, error) {
		k, err := run(ctx, tx, t, in.ID, in.KurasiID, in.Body)
		return k, k.Version, konsinyasi.Path(t.Slug, in.ID, in.KurasiID), err
	})
}
