package konsinyasi

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// TandaiTerlambat raises the overdue sales reports of office t at now (in
// its time zone): for each open point, the last period of its cadence that
// ended more than Tenggang days ago, if a listing holding stock received by
// then has no report through that period's end. One alert per point and
// period, however often it runs; alerts whose listings have all reported
// since are closed. It answers the alerts raised and closed.
func (s *Service) TandaiTerlambatTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, now time.Time) (raised, closed int64, err error) {
	today, err := t.Today(now)
	if err != nil {
		return 0, 0, err
	}
	grace := s.Tenggang
	if grace <= 0 {
		grace = DefaultTenggang
	}
	// The last ended period of each cadence, then one back if it ended
	// within the grace.
	due := func(kadens string) (time.Time, time.Time) {
		m, _ := Periode(kadens, today)
		m, e := Periode(kadens, m.AddDate(0, 0, -1))
		if int(today.Sub(e).Hours()/24) <= grace {
			m, e = Periode(kadens, m.AddDate(0, 0, -1))
		}
		return m, e
	}
	wm, we := due("mingguan")
	bm, be := due("bulanan")
	tag, err := tx.Exec(ctx, `insert into konsinyasi_terlambat (tenant_id, titik_id, periode_mulai, periode_selesai, created_at)
			select t.tenant_id, t.id, p.mulai, p.selesai, $5
			from titik t
			cross join lateral (select case t.lapor_kadens when 'mingguan' then $1::date else $3::date end as mulai,
			                           case t.lapor_kadens when 'mingguan' then $2::date else $4::date end as selesai) p
			where t.status = 'aktif' and t.archived_at is null
			  and exists (select 1 from konsinyasi k
			              where k.titik_id = t.id and (k.lapor_sampai is null or k.lapor_sampai < p.selesai)
			                and exists (select 1 from konsinyasi_gerak g where g.kurasi_id = k.kurasi_id and g.jenis = 'terima' and g.tanggal <= p.selesai))
			on conflict do nothing`, wm, we, bm, be, now)
	if err != nil {
		return 0, 0, fmt.Errorf("tandai terlambat: %w", err)
	}
	raised = tag.RowsAffected()
	tag, err = tx.Exec(ctx, `update konsinyasi_terlambat a set selesai_at = $1
			where a.selesai_at is null
			  and not exists (select 1 from konsinyasi k
			                  where k.titik_id = a.titik_id and (k.lapor_sampai is null or k.lapor_sampai < a.periode_selesai)
			                    and exists (select 1 from konsinyasi_gerak g where g.kurasi_id = k.kurasi_id and g.jenis = 'terima' and g.tanggal <= a.periode_selesai))`, now)
	if err != nil {
		return 0, 0, fmt.Errorf("tutup terlambat: %w", err)
	}
	return raised, tag.RowsAffected(), nil
}

// Terlambat is an open overdue-report alert.
type Terlambat struct {
	TitikID        uuid.UUID `json:"titik_id"`
	TitikNama      string    `json:"titik_nama"`
	PeriodeMulai   string    `json:"periode_mulai" format:"date"`
	PeriodeSelesai string    `json:"periode_selesai" format:"date"`
	CreatedAt      time.Time `json:"created_at"`
}

// OperatorTerlambat is one operator's line of the late-report dashboard:
// the points it runs, the sales reports overdue, the listings whose stock
// is unreconciled (no opname in OpnameBasi days while holding stock, or a
// variance unexplained) and the money not yet settled to the businesses.
type OperatorTerlambat struct {
	OperatorJenis  string      `json:"operator_jenis" enum:"kantor,koperasi,mitra,ritel"`
	OperatorNama   string      `json:"operator_nama" doc:"The partner's or retailer's name, the cooperative's, or empty for the office."`
	KoperasiID     *uuid.UUID  `json:"koperasi_id,omitempty"`
	Titik          int         `json:"titik"`
	LaporTerlambat int         `json:"lapor_terlambat" doc:"Open overdue sales-report alerts."`
	StokBelumCocok int         `json:"stok_belum_cocok" doc:"Listings with stock not counted in 90 days or an unexplained variance."`
	BelumDisetor   int64       `json:"belum_disetor" doc:"Rupiah owed to businesses, not yet settled."`
	Terlambat      []Terlambat `json:"terlambat" nullable:"false" doc:"The open alerts, oldest first."`
}

// Dasbor is the office's late-report dashboard, worst operator first: one
// query over the ledgers' heads and the open alerts (both indexed by point).
func (s *Service) Dasbor(ctx context.Context, t *tenancy.Tenant) ([]OperatorTerlambat, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return nil, err
	}
	var out []OperatorTerlambat
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `with per_titik as (
				select t.id, t.nama, t.operator_jenis, coalesce(t.operator_nama, ko.nama, '') as operator_nama, t.koperasi_id,
				       (select count(*) from konsinyasi k where k.titik_id = t.id
				          and (k.selisih_terbuka or (k.diterima - k.terjual - k.dikembalikan - k.kedaluwarsa + k.selisih > 0
				               and (k.opname_terakhir is null or k.opname_terakhir < $1)))) as belum_cocok,
				       (select coalesce(sum(k.bruto - k.komisi + k.kompensasi - k.dibayar), 0) from konsinyasi k where k.titik_id = t.id) as belum_disetor,
				       coalesce((select jsonb_agg(jsonb_build_object('mulai', a.periode_mulai, 'selesai', a.periode_selesai, 'at', a.created_at)
				                         order by a.periode_mulai)
				                 from konsinyasi_terlambat a where a.titik_id = t.id and a.selesai_at is null), '[]') as terlambat
				from titik t
				left join koperasi ko on ko.tenant_id = t.tenant_id and ko.id = t.koperasi_id
				where t.archived_at is null
				  and (exists (select 1 from konsinyasi k where k.titik_id = t.id)
				       or exists (select 1 from konsinyasi_terlambat a where a.titik_id = t.id and a.selesai_at is null)))
			select operator_jenis, operator_nama, koperasi_id, count(*)::int, sum(jsonb_array_length(terlambat))::int, sum(belum_cocok)::int,
			       sum(belum_disetor)::bigint,
			       jsonb_agg(jsonb_build_object('id', id, 'nama', nama, 'terlambat', terlambat)) filter (where jsonb_array_length(terlambat) > 0)
			from per_titik group by operator_jenis, operator_nama, koperasi_id
			order by 5 desc, 7 desc, 2`, today.AddDate(0, 0, -OpnameBasi))
		if err != nil {
			return fmt.Errorf("dasbor konsinyasi: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (OperatorTerlambat, error) {
			var (
				o      OperatorTerlambat
				titiks []struct {
					ID        uuid.UUID `json:"id"`
					Nama      string    `json:"nama"`
					Terlambat []struct {
						Mulai   string    `json:"mulai"`
						Selesai string    `json:"selesai"`
						At      time.Time `json:"at"`
					} `json:"terlambat"`
				}
			)
			if err := row.Scan(&o.OperatorJenis, &o.OperatorNama, &o.KoperasiID, &o.Titik, &o.LaporTerlambat, &o.StokBelumCocok, &o.BelumDisetor, &titiks); err != nil {
				return o, err
			}
			o.Terlambat = []Terlambat{}
			for _, p := range titiks {
				for _, a := range p.Terlambat {
					o.Terlambat = append(o.Terlambat, Terlambat{TitikID: p.ID, TitikNama: p.Nama, PeriodeMulai: a.Mulai, PeriodeSelesai: a.Selesai, CreatedAt: a.At})
				}
			}
			return o, nil
		})
		return err
	})
	if out == nil {
		out = []OperatorTerlambat{}
	}
	return out, err
}
