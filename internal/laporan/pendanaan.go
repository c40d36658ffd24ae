package laporan

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// TahapDana is one stage of the funding pipeline: how many applications
// are in it now, how many ever reached it, and the median time those that
// left it spent there (applications still in it are not counted: their
// time is not over).
type TahapDana struct {
	Tahap      string `json:"tahap"`
	Sekarang   int    `json:"sekarang" doc:"Applications at this stage now."`
	Dicapai    int    `json:"dicapai" doc:"Applications that reached this stage."`
	Selesai    int    `json:"selesai" doc:"Applications that moved on from it: the median is theirs."`
	MedianHari *int   `json:"median_hari,omitempty" doc:"Median whole days spent at the stage (rounded); absent when none moved on."`
}

// AlasanDana is how many applications failed for one coded reason.
type AlasanDana struct {
	Kode   string `json:"kode" enum:"slik,pinjaman_lain,paylater,dokumen,lainnya"`
	Jumlah int    `json:"jumlah"`
}

// LaporanPendanaan is the funding report: applications made in the year
// (in the office's calendar) of the scheme kind.
type LaporanPendanaan struct {
	Tahun  int          `json:"tahun,omitempty"`
	Jenis  string       `json:"jenis,omitempty"`
	Jumlah int          `json:"jumlah" doc:"Applications."`
	Tahap  []TahapDana  `json:"tahap" nullable:"false" doc:"Only stages some application reached."`
	Alasan []AlasanDana `json:"alasan" nullable:"false" doc:"Every reason code, zero included, most frequent first."`
}

// pengajuanCTE is the applications of the filter: $1 year (0: all) by
// when they were made in the office's zone $3, $2 scheme kind (” all).
const pengajuanCTE = `with a as (
		select id, tahap, alasan_tolak from pengajuan_dana
		where ($1::int = 0 or extract(year from created_at at time zone $3::text) = $1) and ($2::text = '' or jenis = $2))`

// urutanTahap is the pipeline's order (pendanaan.Papan; migration 030's
// vocabulary): the report lists stages in it.
var urutanTahap = []string{"dirujuk", "diajukan", "lengkap", "dikirim_bank", "disurvei", "disetujui", "akad", "sk", "aktif", "lunas", "macet", "ditolak"}

// Pendanaan reads the funding report.
func (s *Service) Pendanaan(ctx context.Context, t *tenancy.Tenant, f Filter) (LaporanPendanaan, error) {
	if err := f.check(JenisDana); err != nil {
		return LaporanPendanaan{}, err
	}
	out := LaporanPendanaan{Tahun: f.Tahun, Jenis: f.Jenis, Tahap: []TahapDana{}, Alasan: []AlasanDana{}}
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		// Stages: each row of the history with the start of the next one
		// (none: the application is still there).
		rows, err := tx.Query(ctx, pengajuanCTE+`,
		r as (
			select t.tahap, extract(epoch from n.mulai_at - t.mulai_at) / 86400 as hari
			from pengajuan_dana_tahap t join a on a.id = t.pengajuan_id
			left join pengajuan_dana_tahap n on n.pengajuan_id = t.pengajuan_id and n.no = t.no + 1),
		s as (
			select tahap, count(*) as dicapai, count(hari) as selesai,
				round(percentile_cont(0.5) within group (order by hari))::int as median
			from r group by tahap),
		c as (select tahap, count(*) as sekarang from a group by tahap)
		select s.tahap, coalesce(c.sekarang, 0), s.dicapai, s.selesai, s.median
		from s left join c on c.tahap = s.tahap
		order by array_position($4::text[], s.tahap), s.tahap`, f.Tahun, f.Jenis, t.TimeZone, urutanTahap)
		if err != nil {
			return fmt.Errorf("laporan tahap dana: %w", err)
		}
		out.Tahap, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (TahapDana, error) {
			var d TahapDana
			return d, r.Scan(&d.Tahap, &d.Sekarang, &d.Dicapai, &d.Selesai, &d.MedianHari)
		})
		if err != nil {
			return fmt.Errorf("scan tahap dana: %w", err)
		}
		rows, err = tx.Query(ctx, pengajuanCTE+`
		select k.kode, count(a.id), (select count(*) from a)
		from unnest($4::text[]) with ordinality k (kode, urut) left join a on a.alasan_tolak = k.kode
		group by k.kode, k.urut order by 2 desc, k.urut`, f.Tahun, f.Jenis, t.TimeZone, alasanKode)
		if err != nil {
			return fmt.Errorf("laporan alasan dana: %w", err)
		}
		out.Alasan, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AlasanDana, error) {
			var d AlasanDana
			return d, r.Scan(&d.Kode, &d.Jumlah, &out.Jumlah)
		})
		if err != nil {
			return fmt.Errorf("scan alasan dana: %w", err)
		}
		return nil
	})
	return out, err
}

// alasanKode are the coded rejection reasons (pendanaan.AlasanTolak).
var alasanKode = []string{"slik", "pinjaman_lain", "paylater", "dokumen", "lainnya"}
