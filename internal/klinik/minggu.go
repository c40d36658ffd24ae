package klinik

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// KlinikSlotMinggu is a slot of a consultant's day with who holds it.
type KlinikSlotMinggu struct {
	KlinikSlot
	TiketID   *uuid.UUID `json:"tiket_id,omitempty" doc:"The ticket holding the slot; absent when free."`
	TiketKode *string    `json:"tiket_kode,omitempty"`
}

// KlinikHari is a consultant's day in the week.
type KlinikHari struct {
	Tanggal string             `json:"tanggal" doc:"YYYY-MM-DD."`
	Slot    []KlinikSlotMinggu `json:"slot" nullable:"false"`
	Terisi  int                `json:"terisi"`
	Penuh   bool               `json:"penuh" doc:"The daily capacity is reached: free slots cannot be booked."`
}

// KlinikBarisMinggu is a consultant's week.
type KlinikBarisMinggu struct {
	Konsultan KlinikKonsultan `json:"konsultan"`
	Hari      []KlinikHari    `json:"hari" nullable:"false" doc:"Monday to Sunday."`
}

// KlinikMinggu is the clinic's week from Monday Senin.
type KlinikMinggu struct {
	Senin string              `json:"senin" doc:"The Monday of the week, YYYY-MM-DD."`
	Baris []KlinikBarisMinggu `json:"baris" nullable:"false"`
}

// Week returns the schedule of the week holding day (office calendar):
// each live consultant × Monday–Sunday, the slots booked and free.
func (s *Service) Week(ctx context.Context, t *tenancy.Tenant, day time.Time) (KlinikMinggu, error) {
	senin := day.AddDate(0, 0, 1-isoWeekday(day))
	w := KlinikMinggu{Senin: senin.Format(time.DateOnly), Baris: []KlinikBarisMinggu{}}
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
		held := map[key]KlinikSlotMinggu{}
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
			held[key{kid, d, m}] = KlinikSlotMinggu{TiketID: &id, TiketKode: &k}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range ks {
			b := KlinikBarisMinggu{Konsultan: k, Hari: make([]KlinikHari, 7)}
			for i := range 7 {
				day := senin.AddDate(0, 0, i)
				h := KlinikHari{Tanggal: day.Format(time.DateOnly), Slot: []KlinikSlotMinggu{}}
				for _, sl := range k.Slots(i + 1) {
					sm := held[key{k.ID, day.Format(time.DateOnly), sl.Mulai}]
					sm.KlinikSlot = sl
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
