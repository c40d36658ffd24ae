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

// Sesi is one session of a programme: a day and a place.
type Sesi struct {
	ID      uuid.UUID `json:"id"`
	Judul   string    `json:"judul"`
	Tanggal string    `json:"tanggal" format:"date"`
	Tempat  *string   `json:"tempat,omitempty"`
	Hadir   int       `json:"hadir" doc:"Participants marked present."`
	Version int64     `json:"-"`
}

// SesiInput is a session as staff write it.
type SesiInput struct {
	Judul   string  `json:"judul" maxLength:"200" example:"Hari 1: Desain kemasan"`
	Tanggal string  `json:"tanggal" format:"date" doc:"YYYY-MM-DD." example:"2026-05-12"`
	Tempat  *string `json:"tempat,omitempty" maxLength:"300" example:"Aula Dinas KUMKM"`
}

func checkSesi(in SesiInput) (SesiInput, time.Time, error) {
	f := &fieldErrs{prefix: "body"}
	if j := f.text("judul", &in.Judul, 200, true); j != nil {
		in.Judul = *j
	}
	d := f.day("tanggal", in.Tanggal)
	in.Tempat = f.text("tempat", in.Tempat, 300, false)
	return in, d, f.err(apperr.T("Data sesi tidak valid. Periksa isian yang disebutkan.", "Invalid session. Check the fields listed."))
}

const sesiSelect = `select s.id, s.judul, s.tanggal, s.tempat, s.version,
	(select count(*) from peserta_hadir h where h.sesi_id = s.id) from program_sesi s`

func scanSesi(r pgx.Row) (Sesi, error) {
	var x Sesi
	var d time.Time
	err := r.Scan(&x.ID, &x.Judul, &d, &x.Tempat, &x.Version, &x.Hadir)
	x.Tanggal = d.Format(time.DateOnly)
	return x, err
}

func sesiTx(ctx context.Context, tx pgx.Tx, programID uuid.UUID) ([]Sesi, error) {
	rows, err := tx.Query(ctx, sesiSelect+` where s.program_id = $1 order by s.tanggal, s.id`, programID)
	if err != nil {
		return nil, fmt.Errorf("list sesi: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Sesi, error) { return scanSesi(r) })
	if out == nil {
		out = []Sesi{}
	}
	return out, err
}

func oneSesiTx(ctx context.Context, tx pgx.Tx, programID, id uuid.UUID) (Sesi, error) {
	x, err := scanSesi(tx.QueryRow(ctx, sesiSelect+` where s.program_id = $1 and s.id = $2`, programID, id))
	return x, db.MapError(err)
}

// SesiPath is where a session lives in the API.
func SesiPath(slug string, programID, id uuid.UUID) string {
	return Path(slug, programID) + "/sesi/" + id.String()
}

// CreateSesiTx adds a session to a live programme.
func (s *Service) CreateSesiTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, programID uuid.UUID, in SesiInput) (Sesi, error) {
	in, d, err := checkSesi(in)
	if err != nil {
		return Sesi{}, err
	}
	if _, err := lockLive(ctx, tx, t, programID, 0); err != nil {
		return Sesi{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into program_sesi (tenant_id, id, program_id, judul, tanggal, tempat) values ($1, $2, $3, $4, $5, $6)`,
		t.ID, id, programID, in.Judul, d, in.Tempat); err != nil {
		return Sesi{}, db.MapError(fmt.Errorf("insert sesi: %w", err))
	}
	x, err := oneSesiTx(ctx, tx, programID, id)
	if err != nil {
		return Sesi{}, err
	}
	return x, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "program_sesi", EntityID: id.String(), After: x})
}

// UpdateSesi replaces a session if version is current.
func (s *Service) UpdateSesi(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64, in SesiInput) (Sesi, error) {
	in, d, err := checkSesi(in)
	if err != nil {
		return Sesi{}, err
	}
	var x Sesi
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockSesi(ctx, tx, t, programID, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update program_sesi set judul = $2, tanggal = $3, tempat = $4, version = version + 1, updated_at = now()
			where id = $1`, id, in.Judul, d, in.Tempat); err != nil {
			return db.MapError(fmt.Errorf("update sesi: %w", err))
		}
		if x, err = oneSesiTx(ctx, tx, programID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "program_sesi", EntityID: id.String(), Before: before, After: x})
	})
	return x, err
}

// DeleteSesi removes a session with its attendance, if version is current.
func (s *Service) DeleteSesi(ctx context.Context, t *tenancy.Tenant, programID, id uuid.UUID, version int64) error {
	return s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockSesi(ctx, tx, t, programID, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from program_sesi where id = $1`, id); err != nil {
			return fmt.Errorf("delete sesi: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "delete", Entity: "program_sesi", EntityID: id.String(), Before: before})
	})
}

func lockSesi(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, programID, id uuid.UUID, version int64) (Sesi, error) {
	if _, err := lockLive(ctx, tx, t, programID, 0); err != nil {
		return Sesi{}, err
	}
	x, err := oneSesiTx(ctx, tx, programID, id)
	if err != nil {
		return Sesi{}, err
	}
	if x.Version != version {
		return Sesi{}, apperr.PreconditionFailed()
	}
	return x, nil
}
