package tumpang

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Ganda is a business that got the same kind of help two or more times in
// one year, from this office's programmes or other agencies' lists.
type Ganda struct {
	UMKMID        uuid.UUID `json:"umkm_id"`
	NamaUsaha     string    `json:"nama_usaha"`
	KecamatanKode string    `json:"kecamatan_kode"`
	KelurahanKode string    `json:"kelurahan_kode"`
	Jumlah        int       `json:"jumlah" doc:"Participations of this kind in the year."`
	JumlahAgensi  int       `json:"jumlah_agensi" doc:"Distinct agencies among them."`
	Agensi        []string  `json:"agensi" nullable:"false" doc:"The agencies' names."`
	Program       []string  `json:"program" nullable:"false" doc:"The programmes' names."`
}

// LaporanFilter picks the type and year of the overlap report.
type LaporanFilter struct {
	Tahun  int
	Jenis  string
	Cursor string
	Limit  int
}

// LaporanPage is a page of the overlap report, by business id.
type LaporanPage struct {
	Items      []Ganda
	NextCursor string
}

// sumberTahun is the CTE s of the report: one row per participation of
// type $2 in year $1, by business, with its agency and programme.
const sumberTahun = `s as (
		select x.umkm_id, p.agensi_id, a.nama as agensi, p.nama as program
		from program p join peserta x on x.program_id = p.id join agensi a on a.id = p.agensi_id
		where p.tahun = $1 and p.jenis = $2 and x.umkm_id is not null and x.` + pesertaHidup + `
		union all
		select l.umkm_id, l.agensi_id, a.nama, l.program_nama
		from partisipasi_luar l join agensi a on a.id = l.agensi_id
		where l.tahun = $1 and l.jenis = $2 and l.umkm_id is not null)`

func (f LaporanFilter) check() error {
	var fields []apperr.Field
	if f.Tahun < 2000 || f.Tahun > 2100 {
		fields = append(fields, apperr.Field{Location: "query.tahun", Value: f.Tahun, Message: apperr.T("Tahun wajib, 2000–2100.", "A year is required, 2000–2100.")})
	}
	if !slices.Contains(Jenis, f.Jenis) {
		fields = append(fields, apperr.Field{Location: "query.jenis", Value: f.Jenis, Message: apperr.T("Jenis program wajib dipilih.", "Choose a programme type.")})
	}
	if len(fields) > 0 {
		return apperr.Invalid(apperr.T("Filter tidak valid.", "Invalid filter."), fields...)
	}
	return nil
}

func (v View) wilayah() []string {
	if len(v.Wilayah) > 0 {
		return v.Wilayah
	}
	return nil
}

// RingkasGanda are the overlap report's totals: the businesses helped
// twice or more, their participations, and the agencies involved.
type RingkasGanda struct {
	Usaha       int `json:"usaha"`
	Partisipasi int `json:"partisipasi"`
	Agensi      int `json:"agensi"`
}

// RingkasLaporan is the totals of the report of f's type and year (the
// cursor ignored), over the same rows as Laporan.
func (s *Service) RingkasLaporan(ctx context.Context, t *tenancy.Tenant, f LaporanFilter, v View) (RingkasGanda, error) {
	if err := f.check(); err != nil {
		return RingkasGanda{}, err
	}
	var r RingkasGanda
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `with `+sumberTahun+`, g as (
				select s.umkm_id from s join umkm u on u.id = s.umkm_id
				where ($3::text[] is null or u.kecamatan_kode = any($3) or u.kelurahan_kode = any($3))
				group by s.umkm_id having count(*) >= 2)
			select (select count(*) from g), count(*), count(distinct s.agensi_id)
			from s join g on g.umkm_id = s.umkm_id`, int16(f.Tahun), f.Jenis, v.wilayah()).Scan(&r.Usaha, &r.Partisipasi, &r.Agensi)
		if err != nil {
			return fmt.Errorf("ringkas tumpang: %w", err)
		}
		return nil
	})
	return r, err
}

// Laporan is the overlap report of one type and year. Both branches read
// one year's rows through (tenant, tahun) indexes and group by business,
// so the report costs the year's participations of that type, not the
// ledger's.
func (s *Service) Laporan(ctx context.Context, t *tenancy.Tenant, f LaporanFilter, v View) (LaporanPage, error) {
	if err := f.check(); err != nil {
		return LaporanPage{}, err
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return LaporanPage{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var after *uuid.UUID
	if cur != nil {
		after = &cur.ID
	}
	wilayah := v.wilayah()
	var page LaporanPage
	err = s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `with `+sumberTahun+`
			select s.umkm_id, u.nama_usaha, u.kecamatan_kode, u.kelurahan_kode, count(*), count(distinct s.agensi_id),
				array_agg(distinct s.agensi order by s.agensi), array_agg(distinct s.program order by s.program)
			from s join umkm u on u.id = s.umkm_id
			where ($3::uuid is null or s.umkm_id > $3)
				and ($4::text[] is null or u.kecamatan_kode = any($4) or u.kelurahan_kode = any($4))
			group by s.umkm_id, u.nama_usaha, u.kecamatan_kode, u.kelurahan_kode
			having count(*) >= 2
			order by s.umkm_id limit $5`, int16(f.Tahun), f.Jenis, after, wilayah, f.Limit+1)
		if err != nil {
			return fmt.Errorf("laporan tumpang: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Ganda, error) {
			var g Ganda
			err := r.Scan(&g.UMKMID, &g.NamaUsaha, &g.KecamatanKode, &g.KelurahanKode, &g.Jumlah, &g.JumlahAgensi, &g.Agensi, &g.Program)
			return g, err
		})
		return err
	})
	if err != nil {
		return LaporanPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].UMKMID})
	}
	return page, nil
}
