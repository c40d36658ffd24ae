package koperasi

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

// Pengurus is a manager or supervisor of a cooperative. The name is
// personal data: shown to roles that may read it, masked (S*** A***) for
// others, never in aggregates.
type Pengurus struct {
	ID      uuid.UUID `json:"id"`
	Nama    string    `json:"nama"`
	Jabatan string    `json:"jabatan" enum:"ketua,wakil_ketua,sekretaris,bendahara,pengurus,ketua_pengawas,pengawas,manajer"`
	Mulai   *string   `json:"mulai,omitempty" format:"date"`
	Selesai *string   `json:"selesai,omitempty" format:"date" doc:"End of the term; absent while serving."`
}

// Jabatan are the positions of pengurus, pengawas and the manager.
var Jabatan = []string{"ketua", "wakil_ketua", "sekretaris", "bendahara", "pengurus", "ketua_pengawas", "pengawas", "manajer"}

// PengurusInput is a manager as staff write it.
type PengurusInput struct {
	Nama    string  `json:"nama" maxLength:"200" doc:"Full name. Personal data."`
	Jabatan string  `json:"jabatan" enum:"ketua,wakil_ketua,sekretaris,bendahara,pengurus,ketua_pengawas,pengawas,manajer"`
	Mulai   *string `json:"mulai,omitempty" format:"date" doc:"Start of the term, YYYY-MM-DD."`
	Selesai *string `json:"selesai,omitempty" format:"date" doc:"End of the term, YYYY-MM-DD; not before mulai."`
}

type pengurusRow struct {
	nama, jabatan  string
	mulai, selesai *time.Time
}

func checkPengurus(in PengurusInput) (pengurusRow, error) {
	f := &fieldErrs{prefix: "body"}
	var r pengurusRow
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		r.nama = *n
	}
	oneOf(f, "jabatan", &in.Jabatan, Jabatan)
	r.jabatan = in.Jabatan
	r.mulai = f.date("mulai", in.Mulai, time.Time{})
	r.selesai = f.date("selesai", in.Selesai, time.Time{})
	if r.mulai != nil && r.selesai != nil && r.selesai.Before(*r.mulai) {
		f.add("selesai", *in.Selesai, apperr.T("Akhir masa jabatan tidak boleh sebelum awalnya.", "The end of a term cannot precede its start."))
	}
	return r, f.err(apperr.T("Data pengurus tidak valid. Periksa isian yang disebutkan.", "Invalid manager. Check the fields listed."))
}

const pengurusCols = `id, nama, jabatan, mulai, selesai`

func scanPengurus(row pgx.Row) (Pengurus, error) {
	var p Pengurus
	var mulai, selesai *time.Time
	if err := row.Scan(&p.ID, &p.Nama, &p.Jabatan, &mulai, &selesai); err != nil {
		return Pengurus{}, err
	}
	p.Mulai, p.Selesai = day(mulai), day(selesai)
	return p, nil
}

// pengurusTx lists a cooperative's managers in the order they were added.
func pengurusTx(ctx context.Context, tx pgx.Tx, koperasiID uuid.UUID) ([]Pengurus, error) {
	rows, err := tx.Query(ctx, `select `+pengurusCols+` from koperasi_pengurus where koperasi_id = $1 order by id`, koperasiID)
	if err != nil {
		return nil, fmt.Errorf("list pengurus: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Pengurus, error) { return scanPengurus(r) })
	if out == nil {
		out = []Pengurus{}
	}
	return out, err
}

// PengurusPath is where a manager lives in the API.
func PengurusPath(tenantSlug string, koperasiID, id uuid.UUID) string {
	return Path(tenantSlug, koperasiID) + "/pengurus/" + id.String()
}

// CreatePengurusTx adds a manager to a live cooperative in tx.
func (s *Service) CreatePengurusTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID uuid.UUID, in PengurusInput) (Pengurus, int64, error) {
	if _, err := s.lockLive(ctx, tx, t, koperasiID, 0); err != nil {
		return Pengurus{}, 0, err
	}
	r, err := checkPengurus(in)
	if err != nil {
		return Pengurus{}, 0, err
	}
	p, err := scanPengurus(tx.QueryRow(ctx, `insert into koperasi_pengurus (tenant_id, id, koperasi_id, nama, jabatan, mulai, selesai)
		values ($1, $2, $3, $4, $5, $6, $7) returning `+pengurusCols, t.ID, uuid.Must(uuid.NewV7()), koperasiID, r.nama, r.jabatan, r.mulai, r.selesai))
	if err != nil {
		return Pengurus{}, 0, fmt.Errorf("insert pengurus: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "koperasi_pengurus", EntityID: p.ID.String(), After: p}); err != nil {
		return Pengurus{}, 0, err
	}
	v, err := s.touch(ctx, tx, koperasiID)
	return p, v, err
}

func pengurusOf(ctx context.Context, tx pgx.Tx, koperasiID, id uuid.UUID) (Pengurus, error) {
	p, err := scanPengurus(tx.QueryRow(ctx, `select `+pengurusCols+` from koperasi_pengurus where id = $1 and koperasi_id = $2 for update`, id, koperasiID))
	return p, db.MapError(err)
}

// UpdatePengurus replaces a manager's data; version is the cooperative's.
func (s *Service) UpdatePengurus(ctx context.Context, t *tenancy.Tenant, koperasiID, id uuid.UUID, version int64, in PengurusInput) (Pengurus, int64, error) {
	var p Pengurus
	v, err := s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		before, err := pengurusOf(ctx, tx, koperasiID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		r, err := checkPengurus(in)
		if err != nil {
			return audit.Entry{}, err
		}
		if p, err = scanPengurus(tx.QueryRow(ctx, `update koperasi_pengurus set nama = $2, jabatan = $3, mulai = $4, selesai = $5
			where id = $1 returning `+pengurusCols, id, r.nama, r.jabatan, r.mulai, r.selesai)); err != nil {
			return audit.Entry{}, fmt.Errorf("update pengurus: %w", err)
		}
		return audit.Entry{Action: "update", Entity: "koperasi_pengurus", EntityID: id.String(), Before: before, After: p}, nil
	})
	return p, v, err
}

// DeletePengurus removes a manager; version is the cooperative's.
func (s *Service) DeletePengurus(ctx context.Context, t *tenancy.Tenant, koperasiID, id uuid.UUID, version int64) (int64, error) {
	return s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		before, err := pengurusOf(ctx, tx, koperasiID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		if _, err := tx.Exec(ctx, "delete from koperasi_pengurus where id = $1", id); err != nil {
			return audit.Entry{}, fmt.Errorf("delete pengurus: %w", err)
		}
		return audit.Entry{Action: "delete", Entity: "koperasi_pengurus", EntityID: id.String(), Before: before}, nil
	})
}
