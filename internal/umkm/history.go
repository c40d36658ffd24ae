package umkm

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// Riwayat is a business's figures at one moment (seed 002: "dulu
// karyawannya hanya lima tapi sekarang bisa 15 hingga 20").
type Riwayat struct {
	DicatatAt         time.Time `json:"dicatat_at"`
	KaryawanLaki      *int      `json:"karyawan_laki,omitempty"`
	KaryawanPerempuan *int      `json:"karyawan_perempuan,omitempty"`
	OmzetTahunan      *int64    `json:"omzet_tahunan,omitempty"`
	ModalUsaha        *int64    `json:"modal_usaha,omitempty"`
	TotalAset         *int64    `json:"total_aset,omitempty"`
	SkalaHitung       *string   `json:"skala_hitung,omitempty"`
	Sumber            string    `json:"sumber" doc:"How the record entered the register (staf, registrasi_online, impor)."`
}

// History returns a business's figures over time, oldest first; the last
// entry is the record's current figures.
func (s *Service) History(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, sc Scope) ([]Riwayat, error) {
	var out []Riwayat
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		cur, err := getTx(ctx, tx, id, sc, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select dicatat_at, karyawan_laki, karyawan_perempuan, omzet_tahunan, modal_usaha, total_aset,
			skala_hitung, sumber from umkm_riwayat where umkm_id = $1 order by dicatat_at limit 1000`, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Riwayat, error) {
			var h Riwayat
			return h, r.Scan(&h.DicatatAt, &h.KaryawanLaki, &h.KaryawanPerempuan, &h.OmzetTahunan, &h.ModalUsaha, &h.TotalAset, &h.SkalaHitung, &h.Sumber)
		})
		latest := Riwayat{DicatatAt: cur.UpdatedAt, KaryawanLaki: cur.KaryawanLaki, KaryawanPerempuan: cur.KaryawanPerempuan,
			OmzetTahunan: cur.OmzetTahunan, ModalUsaha: cur.ModalUsaha, TotalAset: cur.TotalAset, Sumber: cur.Sumber}
		if cur.SkalaHitung != nil {
			latest.SkalaHitung = &cur.SkalaHitung.Skala
		}
		out = append(out, latest)
		return err
	})
	return out, err
}
