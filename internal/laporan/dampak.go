package laporan

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// AmbangDampak is the smallest group whose figures the impact report
// shows: below it a median says more about one business than about the
// programme, so the figure is withheld and only the count is given.
const AmbangDampak = 10

// UkuranDampak is one figure (annual sales in rupiah, or employees) of a group:
// how many of its businesses have it both before and now, and the medians
// of the value before, now, and of each business's change. The medians
// are absent (ditahan) when fewer than AmbangDampak businesses have it.
type UkuranDampak struct {
	Jumlah          int    `json:"jumlah" doc:"Businesses with the figure recorded before and now."`
	Ditahan         bool   `json:"ditahan" doc:"True when jumlah is under the threshold: the medians are withheld."`
	MedianAwal      *int64 `json:"median_awal,omitempty"`
	MedianAkhir     *int64 `json:"median_akhir,omitempty"`
	MedianPerubahan *int64 `json:"median_perubahan,omitempty" doc:"The median of each business's change (now minus before), rounded."`
}

// KelompokDampak is one group of the comparison: businesses, and their sales
// and employees.
type KelompokDampak struct {
	Usaha    int          `json:"usaha" doc:"Businesses in the group, with or without figures."`
	Omzet    UkuranDampak `json:"omzet" doc:"Annual sales, whole rupiah."`
	Karyawan UkuranDampak `json:"karyawan" doc:"Employees, men and women together."`
}

// Dampak is the comparison in one size and sector (Skala and Sektor empty:
// all the strata together).
type Dampak struct {
	Skala      string         `json:"skala,omitempty"`
	Sektor     string         `json:"sektor,omitempty"`
	Peserta    KelompokDampak `json:"peserta" doc:"Businesses that completed a programme of the filter."`
	Pembanding KelompokDampak `json:"pembanding" doc:"Businesses of the same size and sector never helped by anyone."`
}

// LaporanDampak is the impact report.
type LaporanDampak struct {
	Tahun   int      `json:"tahun,omitempty"`
	Jenis   string   `json:"jenis,omitempty"`
	Ambang  int      `json:"ambang" doc:"The smallest group whose medians are shown."`
	Catatan string   `json:"catatan" doc:"How the figures are taken, in Indonesian."`
	Total   Dampak   `json:"total" doc:"All strata that have participants."`
	Strata  []Dampak `json:"strata" nullable:"false" doc:"Per size and sector, only where there are participants."`
}

// dampakSQL compares the businesses that completed a programme of the
// filter ($1 year, $2 type) with those never helped, per size and sector.
// A business's "before" is its record as it stood before $3 (1 January of
// the year; without a year, its first recorded figures): the last figures
// in umkm_riwayat from before $3, else the first after. "Now" is the
// record. A business whose figures never changed has no history row and
// no "before". Its size is the one before (the programme may have made it
// grow); never-helped is tumpang's definition (belumDibantu), repeated
// here because domain packages do not import each other.
const dampakSQL = `with prog as (
		select id from program where archived_at is null and ($1::int = 0 or tahun = $1) and ($2::text = '' or jenis = $2)),
	ikut as (
		select distinct x.umkm_id as id from peserta x join prog on prog.id = x.program_id
		where x.status = 'selesai' and x.umkm_id is not null),
	awal as (
		select distinct on (r.umkm_id) r.umkm_id, r.omzet_tahunan, r.skala_hitung,
			case when r.karyawan_laki is not null or r.karyawan_perempuan is not null
				then coalesce(r.karyawan_laki, 0) + coalesce(r.karyawan_perempuan, 0) end as karyawan
		from umkm_riwayat r
		order by r.umkm_id, r.dicatat_at < $3 desc,
			case when r.dicatat_at < $3 then -extract(epoch from r.dicatat_at) else extract(epoch from r.dicatat_at) end),
	u as (
		select u.id, i.id is not null as peserta, u.sektor,
			coalesce(b.skala_hitung, u.skala_hitung, '` + TidakDiketahui + `') as skala,
			b.omzet_tahunan as omzet0, case when b.omzet_tahunan is not null then u.omzet_tahunan end as omzet1,
			b.karyawan as karyawan0,
			case when b.karyawan is not null and (u.karyawan_laki is not null or u.karyawan_perempuan is not null)
				then coalesce(u.karyawan_laki, 0) + coalesce(u.karyawan_perempuan, 0) end as karyawan1
		from umkm u
		left join ikut i on i.id = u.id
		left join awal b on b.umkm_id = u.id
		where u.archived_at is null and (i.id is not null or (` + belumDibantu + `))),
	s as (
		select u.* from u where (u.skala, u.sektor) in (select skala, sektor from u where peserta))
	select grouping(s.skala) = 1, coalesce(s.skala, ''), coalesce(s.sektor, ''), s.peserta, count(*),
		count(s.omzet1) filter (where s.omzet0 is not null),
		round(percentile_cont(0.5) within group (order by s.omzet0) filter (where s.omzet1 is not null))::bigint,
		round(percentile_cont(0.5) within group (order by s.omzet1) filter (where s.omzet0 is not null))::bigint,
		round(percentile_cont(0.5) within group (order by s.omzet1 - s.omzet0))::bigint,
		count(s.karyawan1) filter (where s.karyawan0 is not null),
		round(percentile_cont(0.5) within group (order by s.karyawan0) filter (where s.karyawan1 is not null))::bigint,
		round(percentile_cont(0.5) within group (order by s.karyawan1) filter (where s.karyawan0 is not null))::bigint,
		round(percentile_cont(0.5) within group (order by s.karyawan1 - s.karyawan0))::bigint
	from s
	group by grouping sets ((s.skala, s.sektor, s.peserta), (s.peserta))
	order by 1 desc, 2, 3, 4 desc`

// belumDibantu is tumpang's never-helped: a business u with no live
// participation in this office's programmes and none in another agency's
// list, by the business or by its owner's NIK.
const belumDibantu = `not exists (select 1 from peserta p where p.umkm_id = u.id and p.status not in ('batal', 'ditolak'))
	and not exists (select 1 from partisipasi_luar l where l.umkm_id = u.id)
	and not exists (select 1 from peserta p where p.nik_hash = u.nik_hash and p.status not in ('batal', 'ditolak'))
	and not exists (select 1 from partisipasi_luar l where l.nik_hash = u.nik_hash and l.status <> 'dibuang')`

const catatanDampak = "Peserta: usaha yang menyelesaikan program sesuai filter. Pembanding: usaha terdaftar dengan skala dan sektor yang sama " +
	"yang belum pernah dibantu siapa pun. Angka awal: data usaha sebelum 1 Januari tahun laporan (tanpa filter tahun: data pertama yang tercatat); " +
	"angka akhir: data usaha sekarang. Usaha yang datanya tidak pernah berubah tidak punya angka awal. " +
	"Median ditahan bila usaha dengan data kurang dari 10; jumlah usahanya tetap ditampilkan."

// Dampak reads the impact report.
func (s *Service) Dampak(ctx context.Context, t *tenancy.Tenant, f Filter) (LaporanDampak, error) {
	if err := f.check(JenisProgram); err != nil {
		return LaporanDampak{}, err
	}
	cutoff, err := yearStart(f.Tahun, t.TimeZone)
	if err != nil {
		return LaporanDampak{}, fmt.Errorf("laporan dampak: %w", err)
	}
	since := pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	if !cutoff.IsZero() {
		since = pgtype.Timestamptz{Time: cutoff, Valid: true}
	}
	out := LaporanDampak{Tahun: f.Tahun, Jenis: f.Jenis, Ambang: AmbangDampak, Catatan: catatanDampak, Strata: []Dampak{}}
	err = s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, dampakSQL, f.Tahun, f.Jenis, since)
		if err != nil {
			return fmt.Errorf("laporan dampak: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				total, peserta bool
				skala, sektor  string
				k              KelompokDampak
			)
			if err := rows.Scan(&total, &skala, &sektor, &peserta, &k.Usaha,
				&k.Omzet.Jumlah, &k.Omzet.MedianAwal, &k.Omzet.MedianAkhir, &k.Omzet.MedianPerubahan,
				&k.Karyawan.Jumlah, &k.Karyawan.MedianAwal, &k.Karyawan.MedianAkhir, &k.Karyawan.MedianPerubahan); err != nil {
				return fmt.Errorf("scan dampak: %w", err)
			}
			d := &out.Total
			if !total {
				if n := len(out.Strata); n == 0 || out.Strata[n-1].Skala != skala || out.Strata[n-1].Sektor != sektor {
					out.Strata = append(out.Strata, Dampak{Skala: skala, Sektor: sektor})
				}
				d = &out.Strata[len(out.Strata)-1]
			}
			if peserta {
				d.Peserta = k
			} else {
				d.Pembanding = k
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// Every group under the threshold, an empty one included, is withheld.
		for _, d := range append([]*Dampak{&out.Total}, pointers(out.Strata)...) {
			for _, k := range []*KelompokDampak{&d.Peserta, &d.Pembanding} {
				k.Omzet.tahan()
				k.Karyawan.tahan()
			}
		}
		return nil
	})
	return out, err
}

func pointers(ds []Dampak) []*Dampak {
	out := make([]*Dampak, len(ds))
	for i := range ds {
		out[i] = &ds[i]
	}
	return out
}

// tahan withholds the medians of a group under the threshold.
func (u *UkuranDampak) tahan() {
	if u.Jumlah < AmbangDampak {
		u.Ditahan, u.MedianAwal, u.MedianAkhir, u.MedianPerubahan = true, nil, nil, nil
	}
}
