package kemitraan

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func sortAcara(a []AcaraKemitraan) {
	sort.SliceStable(a, func(i, j int) bool { return a[i].Hari < a[j].Hari })
}

// IngatkanTx stores the office's reminders as of now, in the office's time
// zone: agreements in force ending within 60 days, evaluations overdue and
// duties overdue. Each is keyed by agreement, kind, task and the day it is
// about (the end, the evaluation due, the task due), so the hourly clock
// reruns without duplicating; it answers how many are new.
func (s *Service) IngatkanTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, now time.Time) (int, error) {
	today, err := officeDay(t, now)
	if err != nil {
		return 0, err
	}
	ps, err := listPerjanjianTx(ctx, tx, today, "p.status = 'berlaku' and p.mulai <= $1 and p.berakhir >= $1", today)
	if err != nil {
		return 0, err
	}
	type row struct {
		perjanjian uuid.UUID
		jenis      string
		tugas      *uuid.UUID
		hari       string
		pesan      string
	}
	var rows []row
	limit := today.AddDate(0, 0, ingatkanHari).Format(time.DateOnly)
	for _, p := range ps {
		if p.Berakhir <= limit {
			end, _ := time.Parse(time.DateOnly, p.Berakhir)
			rows = append(rows, row{p.ID, "akan_berakhir", nil, p.Berakhir, fmt.Sprintf("Perjanjian %q dengan %s berakhir %s (%d hari lagi).",
				p.Judul, p.MitraNama, format.Tanggal(end, time.UTC), int(end.Sub(today).Hours()/24))})
		}
		if due, late := evaluasiJatuhTempo(p, today); late {
			rows = append(rows, row{p.ID, "evaluasi_terlambat", nil, due.Format(time.DateOnly), fmt.Sprintf("Perjanjian %q dengan %s belum dievaluasi sejak %s (wajib paling sedikit dua kali setahun).",
				p.Judul, p.MitraNama, format.Tanggal(due.AddDate(0, -evaluasiBulan, 0), time.UTC))})
		}
	}
	ts, err := tugasTx(ctx, tx, today, "t.selesai is null and t.jatuh_tempo < $1 and p.status = 'berlaku'", today)
	if err != nil {
		return 0, err
	}
	for _, x := range ts {
		due, _ := time.Parse(time.DateOnly, x.JatuhTempo)
		rows = append(rows, row{x.PerjanjianID, "tugas_terlambat", &x.ID, x.JatuhTempo, fmt.Sprintf("Tugas %q (%s) lewat jatuh tempo %s.",
			x.Judul, x.MitraNama, format.Tanggal(due, time.UTC))})
	}
	n := 0
	for _, r := range rows {
		tag, err := tx.Exec(ctx, `insert into kemitraan_pengingat (tenant_id, id, perjanjian_id, jenis, tugas_id, hari, pesan, created_at)
			values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`, t.ID, uuid.Must(uuid.NewV7()), r.perjanjian, r.jenis, r.tugas, r.hari, r.pesan, now)
		if err != nil {
			return n, fmt.Errorf("insert pengingat: %w", err)
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

// PengingatFilter narrows the stored reminders.
type PengingatFilter struct {
	MitraID      uuid.UUID
	PerjanjianID uuid.UUID
	Limit        int
}

// ListPengingat lists stored reminders, newest subject day first.
func (s *Service) ListPengingat(ctx context.Context, t *tenancy.Tenant, f PengingatFilter) ([]PengingatKemitraan, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var out []PengingatKemitraan
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select r.id, r.perjanjian_id, p.judul, p.mitra_id, m.nama, r.jenis, r.tugas_id, to_char(r.hari, 'YYYY-MM-DD'), r.pesan, r.created_at
			from kemitraan_pengingat r join kemitraan_perjanjian p on p.id = r.perjanjian_id join kemitraan_mitra m on m.id = p.mitra_id
			where ($1::uuid is null or p.mitra_id = $1) and ($2::uuid is null or r.perjanjian_id = $2)
			order by r.hari desc, r.id desc limit $3`, nilUUID(f.MitraID), nilUUID(f.PerjanjianID), f.Limit)
		if err != nil {
			return fmt.Errorf("list pengingat: %w", err)
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[PengingatKemitraan])
		return err
	})
	return out, err
}

func nilUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
