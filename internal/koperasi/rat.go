package koperasi

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// RAT (rapat anggota tahunan) history. A cooperative that holds no RAT for
// two years may be dissolved (DOMAIN.md), so the registry flags it:
//
//	rat_terlambat ⇔ the latest RAT held (koperasi.rat_terakhir, the latest
//	date of its RAT history), or its founding (badan_hukum_tanggal) when it
//	has held none, is before today − 2 years in the office's calendar, or
//	neither is known.
//
// A RAT held exactly two years ago today still counts (not overdue); a
// cooperative founded less than two years ago is not overdue before its
// first RAT; one with neither date recorded is flagged, because nothing
// shows it meets. The rule is the same in Go (ratTerlambat, for a record)
// and in SQL (ratTerlambatSQL, for the list filter).

// RAT is one annual members' meeting.
type RAT struct {
	Tahun   int     `json:"tahun" doc:"The book year the meeting reports on."`
	Tanggal string  `json:"tanggal" format:"date" doc:"The day it was held."`
	Catatan *string `json:"catatan,omitempty"`
}

// RATInput is a meeting as staff record it.
type RATInput struct {
	Tahun   int     `json:"tahun" minimum:"1945" maximum:"2100" doc:"The book year (tahun buku) the meeting reports on." example:"2025"`
	Tanggal string  `json:"tanggal" format:"date" doc:"The day it was held, YYYY-MM-DD: not in the future, not before its book year." example:"2026-03-14"`
	Catatan *string `json:"catatan,omitempty" maxLength:"1000"`
}

func ratTerlambat(rat, founded *time.Time, cutoff time.Time) bool {
	base := rat
	if base == nil {
		base = founded
	}
	return base == nil || base.Before(cutoff)
}

// ratTerlambatSQL is ratTerlambat over koperasi; the expression matches
// the index koperasi_rat_idx. %s is the cut-off parameter.
const ratTerlambatSQL = `(coalesce(rat_terakhir, badan_hukum_tanggal) is null or coalesce(rat_terakhir, badan_hukum_tanggal) < %s)`

func checkRAT(in RATInput, today time.Time) (time.Time, *string, error) {
	f := &fieldErrs{prefix: "body"}
	if in.Tahun < 1945 || in.Tahun > today.Year() {
		f.add("tahun", in.Tahun, apperr.T(fmt.Sprintf("Tahun buku harus 1945–%d.", today.Year()), fmt.Sprintf("The book year must be 1945–%d.", today.Year())))
	}
	var tanggal time.Time
	if d := f.date("tanggal", &in.Tanggal, today); d != nil {
		tanggal = *d
		if d.Year() < in.Tahun {
			f.add("tanggal", in.Tanggal, apperr.T("RAT tidak bisa diadakan sebelum tahun bukunya.", "A RAT cannot be held before its book year."))
		}
	} else if in.Tanggal == "" {
		f.add("tanggal", nil, apperr.T("Wajib diisi.", "Required."))
	}
	catatan := f.text("catatan", in.Catatan, 1000, false)
	return tanggal, catatan, f.err(apperr.T("Data RAT tidak valid. Periksa isian yang disebutkan.", "Invalid RAT. Check the fields listed."))
}

func ratsTx(ctx context.Context, tx pgx.Tx, koperasiID uuid.UUID) ([]RAT, error) {
	rows, err := tx.Query(ctx, `select tahun, tanggal, catatan from koperasi_rat where koperasi_id = $1 order by tahun desc`, koperasiID)
	if err != nil {
		return nil, fmt.Errorf("list rat: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RAT, error) {
		var x RAT
		var d time.Time
		err := r.Scan(&x.Tahun, &d, &x.Catatan)
		x.Tanggal = d.Format(time.DateOnly)
		return x, err
	})
	if out == nil {
		out = []RAT{}
	}
	return out, err
}

// RATPath is where a cooperative's RAT of a year lives in the API.
func RATPath(tenantSlug string, koperasiID uuid.UUID, tahun int) string {
	return Path(tenantSlug, koperasiID) + "/rat/" + strconv.Itoa(tahun)
}

// CreateRATTx records a RAT of a live cooperative in tx; a second RAT for
// the same book year is a conflict (delete the wrong one first). The
// cooperative's rat_terakhir follows.
func (s *Service) CreateRATTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID uuid.UUID, in RATInput) (RAT, int64, error) {
	if _, err := s.lockLive(ctx, tx, t, koperasiID, 0); err != nil {
		return RAT{}, 0, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return RAT{}, 0, err
	}
	tanggal, catatan, err := checkRAT(in, today)
	if err != nil {
		return RAT{}, 0, err
	}
	tag, err := tx.Exec(ctx, `insert into koperasi_rat (tenant_id, koperasi_id, tahun, tanggal, catatan) values ($1, $2, $3, $4, $5)
		on conflict do nothing`, t.ID, koperasiID, in.Tahun, tanggal, catatan)
	if err != nil {
		return RAT{}, 0, fmt.Errorf("insert rat: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return RAT{}, 0, conflictOn("tahun", apperr.T("RAT tahun buku ini sudah tercatat. Hapus yang lama bila ingin menggantinya.",
			"A RAT for this book year is already recorded. Delete it first to replace it."), RATPath(t.Slug, koperasiID, in.Tahun))
	}
	rat := RAT{Tahun: in.Tahun, Tanggal: tanggal.Format(time.DateOnly), Catatan: catatan}
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "koperasi_rat",
		EntityID: koperasiID.String() + "/" + strconv.Itoa(in.Tahun), After: rat}); err != nil {
		return RAT{}, 0, err
	}
	v, err := s.touch(ctx, tx, koperasiID)
	return rat, v, err
}

// DeleteRAT removes the RAT of a book year; version is the cooperative's.
func (s *Service) DeleteRAT(ctx context.Context, t *tenancy.Tenant, koperasiID uuid.UUID, tahun int, version int64) (int64, error) {
	return s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		var before RAT
		var d time.Time
		err := tx.QueryRow(ctx, `delete from koperasi_rat where koperasi_id = $1 and tahun = $2 returning tahun, tanggal, catatan`,
			koperasiID, tahun).Scan(&before.Tahun, &d, &before.Catatan)
		if err != nil {
			return audit.Entry{}, db.MapError(err)
		}
		before.Tanggal = d.Format(time.DateOnly)
		return audit.Entry{Action: "delete", Entity: "koperasi_rat", EntityID: koperasiID.String() + "/" + strconv.Itoa(tahun), Before: before}, nil
	})
}
