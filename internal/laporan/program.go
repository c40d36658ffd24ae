package laporan

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// Capaian is one programme's target against what it realised, in the
// programme's unit: distinct people (the owner's NIK; a business without
// one counts as one person), distinct businesses or distinct cooperatives
// among the participants who completed it.
type Capaian struct {
	ProgramID      uuid.UUID `json:"program_id"`
	Nama           string    `json:"nama"`
	Jenis          string    `json:"jenis"`
	Tahun          int       `json:"tahun"`
	RenjaKode      *string   `json:"renja_kode,omitempty"`
	RenjaIndikator *string   `json:"renja_indikator,omitempty"`
	Satuan         string    `json:"satuan" enum:"orang,usaha,koperasi"`
	Target         int       `json:"target"`
	Realisasi      int       `json:"realisasi" doc:"Distinct people, businesses or cooperatives (satuan) that completed the programme."`
	TakTerhitung   int       `json:"tak_terhitung" doc:"Completions that cannot count in the unit (a cooperative in a programme counting people or businesses, a business in one counting cooperatives)."`
}

// CapaianRenja is one Renja sub-activity code in one unit: the targets of
// its programmes added up, the realisation counted once per person,
// business or cooperative across them.
type CapaianRenja struct {
	Kode      string  `json:"kode"`
	Indikator *string `json:"indikator,omitempty" doc:"The indicator of its programmes (the first named)."`
	Satuan    string  `json:"satuan" enum:"orang,usaha,koperasi"`
	Program   int     `json:"program" doc:"Programmes under the code."`
	Target    int     `json:"target"`
	Realisasi int     `json:"realisasi"`
}

// Corong is the participation funnel: applications, those found eligible
// at their last check, those selected (even if taken out later), the
// selected who attended at least one session, and those who completed.
type Corong struct {
	Mendaftar int `json:"mendaftar"`
	Layak     int `json:"layak"`
	Terpilih  int `json:"terpilih"`
	Hadir     int `json:"hadir"`
	Selesai   int `json:"selesai"`
}

// CorongProgram is one programme's funnel.
type CorongProgram struct {
	ProgramID uuid.UUID `json:"program_id"`
	Nama      string    `json:"nama"`
	Corong
}

// Rincian is the participations of one kecamatan, sex or size.
type Rincian struct {
	Kode      string `json:"kode" doc:"Kemendagri code, L/P, or the size; tidak_diketahui when the record does not say (cooperatives have no sex or size)."`
	Nama      string `json:"nama"`
	Mendaftar int    `json:"mendaftar"`
	Terpilih  int    `json:"terpilih"`
	Selesai   int    `json:"selesai"`
}

// LaporanProgram is the programme report.
type LaporanProgram struct {
	Tahun         int             `json:"tahun,omitempty"`
	Jenis         string          `json:"jenis,omitempty"`
	Program       []Capaian       `json:"program" nullable:"false"`
	Renja         []CapaianRenja  `json:"renja" nullable:"false" doc:"Per Renja sub-activity code and unit; programmes without a code are left out."`
	Corong        Corong          `json:"corong" doc:"All programmes of the filter together."`
	CorongProgram []CorongProgram `json:"corong_program" nullable:"false"`
	Kecamatan     []Rincian       `json:"kecamatan" nullable:"false"`
	JenisKelamin  []Rincian       `json:"jenis_kelamin" nullable:"false"`
	Skala         []Rincian       `json:"skala" nullable:"false"`
}

// TidakDiketahui is the code of a participation whose record does not say.
const TidakDiketahui = "tidak_diketahui"

// progCTE is the live programmes of the filter ($1 year or 0, $2 type or
// ”), and x their participations with the key each counts by in its
// programme's unit (null when it cannot count there).
const progCTE = `with prog as (
		select p.id, p.nama, p.jenis, p.tahun, p.renja_kode, p.renja_indikator, p.satuan, p.target
		from program p
		where p.archived_at is null and ($1::int = 0 or p.tahun = $1) and ($2::text = '' or p.jenis = $2)),
	x as (
		select x.id, x.program_id, x.status, x.layak, x.dipilih_at is not null as terpilih,
			h.peserta_id is not null as hadir, u.jenis_kelamin, u.skala_hitung,
			coalesce(u.kecamatan_kode, k.kecamatan_kode) as kecamatan_kode,
			case p.satuan
				when 'orang' then case when x.umkm_id is not null
					then coalesce('n' || encode(coalesce(x.nik_hash, u.nik_hash), 'hex'), 'u' || x.umkm_id::text) end
				when 'usaha' then x.umkm_id::text
				else x.koperasi_id::text end as kunci
		from peserta x
		join prog p on p.id = x.program_id
		left join umkm u on u.id = x.umkm_id
		left join koperasi k on k.id = x.koperasi_id
		left join (select distinct peserta_id from peserta_hadir) h on h.peserta_id = x.id)`

// Program reads the programme report.
func (s *Service) Program(ctx context.Context, t *tenancy.Tenant, f Filter) (LaporanProgram, error) {
	if err := f.check(JenisProgram); err != nil {
		return LaporanProgram{}, err
	}
	out := LaporanProgram{Tahun: f.Tahun, Jenis: f.Jenis, Program: []Capaian{}, Renja: []CapaianRenja{}, CorongProgram: []CorongProgram{},
		Kecamatan: []Rincian{}, JenisKelamin: []Rincian{}, Skala: []Rincian{}}
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := capaianTx(ctx, tx, f, &out); err != nil {
			return err
		}
		if err := renjaTx(ctx, tx, f, &out); err != nil {
			return err
		}
		return rincianTx(ctx, tx, f, &out)
	})
	return out, err
}

// capaianTx reads each programme's target, realisation and funnel, and the
// funnel of them all (grouping sets: one scan).
func capaianTx(ctx context.Context, tx pgx.Tx, f Filter, out *LaporanProgram) error {
	rows, err := tx.Query(ctx, progCTE+`
		select p.id, p.nama, p.jenis, p.tahun, p.renja_kode, p.renja_indikator, p.satuan, p.target,
			count(distinct x.kunci) filter (where x.status = 'selesai'),
			count(x.id) filter (where x.status = 'selesai' and x.kunci is null),
			count(x.id), count(x.id) filter (where x.layak), count(x.id) filter (where x.terpilih),
			count(x.id) filter (where x.terpilih and x.hadir), count(x.id) filter (where x.status = 'selesai'),
			grouping(p.id) = 1
		from prog p left join x on x.program_id = p.id
		group by grouping sets ((p.id, p.nama, p.jenis, p.tahun, p.renja_kode, p.renja_indikator, p.satuan, p.target), ())
		order by grouping(p.id), p.tahun desc, p.nama, p.id`, f.Tahun, f.Jenis)
	if err != nil {
		return fmt.Errorf("laporan capaian: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c      Capaian
			cr     Corong
			tahun  *int16
			id     *uuid.UUID
			nama   *string
			jenis  *string
			satuan *string
			target *int32
			total  bool
		)
		if err := rows.Scan(&id, &nama, &jenis, &tahun, &c.RenjaKode, &c.RenjaIndikator, &satuan, &target, &c.Realisasi, &c.TakTerhitung,
			&cr.Mendaftar, &cr.Layak, &cr.Terpilih, &cr.Hadir, &cr.Selesai, &total); err != nil {
			return fmt.Errorf("scan capaian: %w", err)
		}
		if total {
			out.Corong = cr
			continue
		}
		c.ProgramID, c.Nama, c.Jenis, c.Tahun, c.Satuan, c.Target = *id, *nama, *jenis, int(*tahun), *satuan, int(*target)
		out.Program = append(out.Program, c)
		out.CorongProgram = append(out.CorongProgram, CorongProgram{ProgramID: c.ProgramID, Nama: c.Nama, Corong: cr})
	}
	return rows.Err()
}

// renjaTx reads the targets and realisation per Renja code and unit: the
// targets summed per programme, the realisation distinct across them.
func renjaTx(ctx context.Context, tx pgx.Tx, f Filter, out *LaporanProgram) error {
	rows, err := tx.Query(ctx, progCTE+`,
	target as (
		select renja_kode, satuan, count(*) as program, sum(target) as target,
			(array_agg(renja_indikator order by nama, id) filter (where renja_indikator is not null))[1] as indikator
		from prog where renja_kode is not null group by renja_kode, satuan),
	real as (
		select p.renja_kode, p.satuan, count(distinct x.kunci) as realisasi
		from x join prog p on p.id = x.program_id
		where p.renja_kode is not null and x.status = 'selesai' group by p.renja_kode, p.satuan)
	select t.renja_kode, t.indikator, t.satuan, t.program, t.target, coalesce(r.realisasi, 0)
	from target t left join real r on r.renja_kode = t.renja_kode and r.satuan = t.satuan
	order by t.renja_kode, t.satuan`, f.Tahun, f.Jenis)
	if err != nil {
		return fmt.Errorf("laporan renja: %w", err)
	}
	out.Renja, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (CapaianRenja, error) {
		var c CapaianRenja
		var target int64
		err := r.Scan(&c.Kode, &c.Indikator, &c.Satuan, &c.Program, &target, &c.Realisasi)
		c.Target = int(target)
		return c, err
	})
	if err != nil {
		return fmt.Errorf("scan renja: %w", err)
	}
	return nil
}

// rincianTx reads the participations per kecamatan, sex and size in one
// statement (grouping sets), named from the tenant's regions.
func rincianTx(ctx context.Context, tx pgx.Tx, f Filter, out *LaporanProgram) error {
	rows, err := tx.Query(ctx, progCTE+`
		select grouping(x.kecamatan_kode) = 0, grouping(x.jenis_kelamin) = 0,
			coalesce(x.kecamatan_kode, x.jenis_kelamin, x.skala_hitung, '`+TidakDiketahui+`'), coalesce(w.nama, ''),
			count(*), count(*) filter (where x.terpilih), count(*) filter (where x.status = 'selesai')
		from x left join wilayah w on w.kode = x.kecamatan_kode
		group by grouping sets ((x.kecamatan_kode, w.nama), (x.jenis_kelamin), (x.skala_hitung))
		order by 1 desc, 2 desc, 3`, f.Tahun, f.Jenis)
	if err != nil {
		return fmt.Errorf("laporan rincian: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r        Rincian
			kec, sex bool
		)
		if err := rows.Scan(&kec, &sex, &r.Kode, &r.Nama, &r.Mendaftar, &r.Terpilih, &r.Selesai); err != nil {
			return fmt.Errorf("scan rincian: %w", err)
		}
		switch {
		case kec:
			if r.Nama == "" {
				r.Nama = "Tidak diketahui"
			}
			out.Kecamatan = append(out.Kecamatan, r)
		case sex:
			r.Nama = namaKelamin[r.Kode]
			out.JenisKelamin = append(out.JenisKelamin, r)
		default:
			r.Nama = namaSkala[r.Kode]
			out.Skala = append(out.Skala, r)
		}
	}
	return rows.Err()
}

var (
	namaKelamin = map[string]string{"L": "Laki-laki", "P": "Perempuan", TidakDiketahui: "Tidak diketahui"}
	namaSkala   = map[string]string{"mikro": "Mikro", "kecil": "Kecil", "menengah": "Menengah", "besar": "Besar", TidakDiketahui: "Tidak diketahui"}
)
