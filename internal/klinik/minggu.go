package klinik

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// SlotMinggu is a slot of a consultant's day with who holds it.
type SlotMinggu struct {
	Slot
	TiketID   *uuid.UUID `json:"tiket_id,omitempty"`
	TiketKode *string    `json:"tiket_kode,omitempty"`
}

// HariKonsultan is a consultant's day in the week.
type HariKonsultan struct {
	Tanggal time.Time
	Slot    []SlotMinggu
	Terisi  int
	Penuh   bool // the daily capacity is reached: free slots cannot be booked
}

// BarisMinggu is a consultant's week.
type BarisMinggu struct {
	Konsultan KlinikKonsultan
	Hari      [7]HariKonsultan
}

// Minggu is the clinic's week from Monday Senin.
type Minggu struct {
	Senin time.Time
	Baris []BarisMinggu
}

// Week returns the schedule of the week holding day (office calendar):
// each live consultant × Monday–Sunday, the slots booked and free.
func (s *Service) Week(ctx context.Context, t *tenancy.Tenant, day time.Time) (Minggu, error) {
	senin := day.AddDate(0, 0, 1-isoWeekday(day))
	w := Minggu{Senin: senin}
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		ks, err := listKonsultanTx(ctx, tx, false)
		if err != nil {
			return err
		}
		type key struct {
			k    uuid.UUID
			d    string
			from string
		}
		held := map[key]SlotMinggu{}
		rows, err := tx.Query(ctx, `select konsultan_id, to_char(tanggal, 'YYYY-MM-DD'), to_char(mulai, 'HH24:MI'), id, kode from klinik_tiket
			where tanggal >= $1 and tanggal < $2 and status in ('dijadwalkan', 'selesai')`, senin, senin.AddDate(0, 0, 7))
		if err != nil {
			return err
		}
		var (
			kid, tid   uuid.UUID
			d, m, kode string
		)
		if _, err := pgx.ForEachRow(rows, []any{&kid, &d, &m, &tid, &kode}, func() error {
			id, k := tid, kode
			held[key{kid, d, m}] = SlotMinggu{TiketID: &id, TiketKode: &k}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range ks {
			b := BarisMinggu{Konsultan: k}
			for i := range 7 {
				day := senin.AddDate(0, 0, i)
				h := HariKonsultan{Tanggal: day}
				for _, sl := range k.Slots(i + 1) {
					sm := held[key{k.ID, day.Format(time.DateOnly), sl.Mulai}]
					sm.Slot = sl
					if sm.TiketID != nil {
						h.Terisi++
					}
					h.Slot = append(h.Slot, sm)
				}
				h.Penuh = h.Terisi >= k.KuotaHarian
				b.Hari[i] = h
			}
			w.Baris = append(w.Baris, b)
		}
		return nil
	})
	return w, err
}
