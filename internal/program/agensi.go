package program

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Agensi is an agency that runs programmes: this office (kantor) or
// another (an OPD, a kelurahan, the province, Baznas, a bank, CSR).
type Agensi struct {
	ID         uuid.UUID  `json:"id"`
	Nama       string     `json:"nama"`
	Jenis      string     `json:"jenis" enum:"kantor,opd,kelurahan,provinsi,baznas,bank,csr,lainnya"`
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
	Version    int64      `json:"-"`
}

// AgensiInput is an agency as staff write it.
type AgensiInput struct {
	Nama  string `json:"nama" maxLength:"200" example:"Baznas Kota Depok"`
	Jenis string `json:"jenis" enum:"kantor,opd,kelurahan,provinsi,baznas,bank,csr,lainnya" doc:"kantor: this office (at most one)."`
	Arsip bool   `json:"arsip,omitempty" doc:"On update: archive (true) or restore (false)."`
}

func checkAgensi(in AgensiInput) (AgensiInput, error) {
	f := &fieldErrs{prefix: "body"}
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		in.Nama = *n
	}
	f.oneOf("jenis", in.Jenis, AllAgensi)
	return in, f.err(apperr.T("Data agensi tidak valid.", "Invalid agency."))
}

// agensiConflict turns a duplicate name or a second "this office" into 409.
func agensiConflict(err error) error {
	switch {
	case db.IsUniqueViolation(err, "agensi_nama_key"):
		return apperr.Conflict(apperr.T("Agensi dengan nama ini sudah ada.", "An agency with this name exists."), "")
	case db.IsUniqueViolation(err, "agensi_kantor_key"):
		return apperr.Conflict(apperr.T("Kantor ini sudah tercatat sebagai agensi (jenis kantor hanya satu).", "This office is already an agency (one of jenis kantor)."), "")
	}
	return db.MapError(err)
}

const agensiCols = `id, nama, jenis, archived_at, version`

func scanAgensi(r pgx.Row) (Agensi, error) {
	var a Agensi
	err := r.Scan(&a.ID, &a.Nama, &a.Jenis, &a.ArchivedAt, &a.Version)
	return a, err
}

// ListAgensi lists the tenant's agencies by name (archived with arsip).
func (s *Service) ListAgensi(ctx context.Context, t *tenancy.Tenant, arsip bool) ([]Agensi, error) {
	var out []Agensi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select `+agensiCols+` from agensi where $1 or archived_at is null order by jenis <> 'kantor', lower(nama), id`, arsip)
		if err != nil {
			return fmt.Errorf("list agensi: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Agensi, error) { return scanAgensi(r) })
		return err
	})
	if out == nil {
		out = []Agensi{}
	}
	return out, err
}

// AgensiPath is where an agency lives in the API.
func AgensiPath(slug string, id uuid.UUID) string {
	return "/v1/tenants/" + slug + "/agensi/" + id.String()
}

// CreateAgensiTx adds an agency.
func (s *Service) CreateAgensiTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in AgensiInput) (Agensi, error) {
	in, err := checkAgensi(in)
	if err != nil {
		return Agensi{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, $3, $4)`, t.ID, id, in.Nama, in.Jenis); err != nil {
		return Agensi{}, agensiConflict(err)
	}
	a, err := scanAgensi(tx.QueryRow(ctx, `select `+agensiCols+` from agensi where id = $1`, id))
	if err != nil {
		return Agensi{}, err
	}
	return a, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "agensi", EntityID: id.String(), After: a})
}

// UpdateAgensi renames, retypes, archives or restores an agency if
// version is current.
func (s *Service) UpdateAgensi(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in AgensiInput) (Agensi, error) {
	in, err := checkAgensi(in)
	if err != nil {
		return Agensi{}, err
	}
	var a Agensi
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := scanAgensi(tx.QueryRow(ctx, `select `+agensiCols+` from agensi where id = $1 for update`, id))
		if err != nil {
			return db.MapError(err)
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		var archived *time.Time
		if in.Arsip {
			archived = before.ArchivedAt
			if archived == nil {
				now := s.Now()
				archived = &now
			}
		}
		a, err = scanAgensi(tx.QueryRow(ctx, `update agensi set nama = $2, jenis = $3, archived_at = $4, version = version + 1, updated_at = now()
			where id = $1 returning `+agensiCols, id, in.Nama, in.Jenis, archived))
		if err != nil {
			return agensiConflict(err)
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "agensi", EntityID: id.String(), Before: before, After: a})
	})
	return a, err
}
