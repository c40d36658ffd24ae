package koperasi

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Unit is a business unit (unit usaha) with its yearly volumes. A
// savings-and-loan unit says whether it serves members only (close loop:
// stays with Kemenkop, Permenkop 8/2023) or non-members too (open loop:
// moves to OJK under UU 4/2023), and since when.
type Unit struct {
	ID               uuid.UUID `json:"id"`
	JenisUnit        string    `json:"jenis_unit"`
	Nama             *string   `json:"nama,omitempty"`
	PolaSimpanPinjam *string   `json:"pola_simpan_pinjam,omitempty" enum:"close_loop,open_loop"`
	PolaSejak        *string   `json:"pola_sejak,omitempty" format:"date"`
	Aktif            bool      `json:"aktif"`
	Volume           []Volume  `json:"volume" nullable:"false" doc:"Yearly volume, latest year first."`
}

// Volume is a unit's volume in one year: sales, or loans given for a
// savings-and-loan unit, in whole rupiah.
type Volume struct {
	Tahun  int   `json:"tahun" minimum:"1945" maximum:"2100"`
	Volume int64 `json:"volume" minimum:"0" doc:"Whole rupiah, not negative."`
}

// UnitInput is a business unit as staff write it; an update replaces the
// unit and all its volumes.
type UnitInput struct {
	JenisUnit        string   `json:"jenis_unit" enum:"toko,waserda,sembako,simpan_pinjam,produksi,kerajinan,pengolahan,pertanian,peternakan,perikanan,pemasaran_hasil,transportasi,travel_umroh,klinik,apotek,listrik,wisata,rental,logistik,jasa_lain,lainnya"`
	Nama             *string  `json:"nama,omitempty" maxLength:"200"`
	PolaSimpanPinjam *string  `json:"pola_simpan_pinjam,omitempty" enum:"close_loop,open_loop" doc:"Only for a simpan_pinjam unit."`
	PolaSejak        *string  `json:"pola_sejak,omitempty" format:"date" doc:"Since when the loop applies; needs pola_simpan_pinjam."`
	Aktif            *bool    `json:"aktif,omitempty" doc:"Absent: true."`
	Volume           []Volume `json:"volume,omitempty" maxItems:"100" doc:"One entry per year."`
}

// MaxVolume bounds a yearly volume (Rp1.000 triliun).
const MaxVolume = 1_000_000_000_000_000

type unitRow struct {
	in    UnitInput
	sejak *time.Time
	aktif bool
}

func checkUnit(in UnitInput, today time.Time) (unitRow, error) {
	f := &fieldErrs{prefix: "body"}
	r := unitRow{in: in, aktif: true}
	oneOf(f, "jenis_unit", &in.JenisUnit, AllUnitKinds)
	r.in.Nama = f.text("nama", in.Nama, 200, false)
	if in.PolaSimpanPinjam != nil {
		switch {
		case in.JenisUnit != "simpan_pinjam":
			f.add("pola_simpan_pinjam", *in.PolaSimpanPinjam, apperr.T("Pola close/open loop hanya untuk unit simpan pinjam.", "Close/open loop applies to a savings-and-loan unit only."))
		default:
			oneOf(f, "pola_simpan_pinjam", in.PolaSimpanPinjam, []string{"close_loop", "open_loop"})
		}
	}
	r.sejak = f.date("pola_sejak", in.PolaSejak, today)
	if r.sejak != nil && in.PolaSimpanPinjam == nil {
		f.add("pola_sejak", *in.PolaSejak, apperr.T("Isi pola_simpan_pinjam bersama tanggalnya.", "Give pola_simpan_pinjam with its date."))
	}
	if in.Aktif != nil {
		r.aktif = *in.Aktif
	}
	seen := map[int]bool{}
	for i, v := range in.Volume {
		loc := fmt.Sprintf("volume[%d]", i)
		switch {
		case v.Tahun < 1945 || v.Tahun > today.Year():
			f.add(loc+".tahun", v.Tahun, apperr.T(fmt.Sprintf("Tahun harus 1945–%d.", today.Year()), fmt.Sprintf("The year must be 1945–%d.", today.Year())))
		case seen[v.Tahun]:
			f.add(loc+".tahun", v.Tahun, apperr.T("Satu tahun hanya boleh sekali.", "Each year at most once."))
		}
		seen[v.Tahun] = true
		if v.Volume < 0 || v.Volume > MaxVolume {
			f.add(loc+".volume", v.Volume, apperr.T("Volume harus 0 sampai Rp1.000 triliun; tidak boleh negatif.", "The volume is 0 to Rp1,000 trillion; never negative."))
		}
	}
	return r, f.err(apperr.T("Data unit usaha tidak valid. Periksa isian yang disebutkan.", "Invalid business unit. Check the fields listed."))
}

const unitCols = `id, jenis_unit, nama, pola_simpan_pinjam, pola_sejak, aktif,
	(select coalesce(jsonb_agg(jsonb_build_object('tahun', v.tahun, 'volume', v.volume) order by v.tahun desc), '[]')
		from koperasi_unit_volume v where v.unit_id = koperasi_unit.id)`

func scanUnit(row pgx.Row) (Unit, error) {
	var u Unit
	var sejak *time.Time
	if err := row.Scan(&u.ID, &u.JenisUnit, &u.Nama, &u.PolaSimpanPinjam, &sejak, &u.Aktif, &u.Volume); err != nil {
		return Unit{}, err
	}
	u.PolaSejak = day(sejak)
	return u, nil
}

// unitsTx lists a cooperative's units in the order they were added.
func unitsTx(ctx context.Context, tx pgx.Tx, koperasiID uuid.UUID) ([]Unit, error) {
	rows, err := tx.Query(ctx, `select `+unitCols+` from koperasi_unit where koperasi_id = $1 order by id`, koperasiID)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Unit, error) { return scanUnit(r) })
	if out == nil {
		out = []Unit{}
	}
	return out, err
}

func writeVolumes(ctx context.Context, tx pgx.Tx, tenantID, unitID uuid.UUID, vs []Volume) error {
	if _, err := tx.Exec(ctx, "delete from koperasi_unit_volume where unit_id = $1", unitID); err != nil {
		return err
	}
	years := make([]int32, len(vs))
	volumes := make([]int64, len(vs))
	for i, v := range vs {
		years[i], volumes[i] = int32(v.Tahun), v.Volume
	}
	_, err := tx.Exec(ctx, `insert into koperasi_unit_volume (tenant_id, unit_id, tahun, volume)
		select $1, $2, y, v from unnest($3::smallint[], $4::bigint[]) as t(y, v)`, tenantID, unitID, years, volumes)
	if err != nil {
		return fmt.Errorf("write volumes: %w", err)
	}
	return nil
}

// UnitPath is where a unit lives in the API.
func UnitPath(tenantSlug string, koperasiID, id uuid.UUID) string {
	return Path(tenantSlug, koperasiID) + "/unit/" + id.String()
}

// CreateUnitTx adds a business unit to a live cooperative in tx, and
// returns it with the cooperative's new version.
func (s *Service) CreateUnitTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID uuid.UUID, in UnitInput) (Unit, int64, error) {
	if _, err := s.lockLive(ctx, tx, t, koperasiID, 0); err != nil {
		return Unit{}, 0, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return Unit{}, 0, err
	}
	r, err := checkUnit(in, today)
	if err != nil {
		return Unit{}, 0, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into koperasi_unit (tenant_id, id, koperasi_id, jenis_unit, nama, pola_simpan_pinjam, pola_sejak, aktif)
		values ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, id, koperasiID, r.in.JenisUnit, r.in.Nama, r.in.PolaSimpanPinjam, r.sejak, r.aktif); err != nil {
		return Unit{}, 0, fmt.Errorf("insert unit: %w", err)
	}
	return s.finishUnit(ctx, tx, t, koperasiID, id, r.in.Volume, "create", nil)
}

// finishUnit writes the volumes, audits the unit and moves the cooperative's
// version.
func (s *Service) finishUnit(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID, id uuid.UUID, vs []Volume, action string, before *Unit) (Unit, int64, error) {
	if err := writeVolumes(ctx, tx, t.ID, id, vs); err != nil {
		return Unit{}, 0, err
	}
	u, err := scanUnit(tx.QueryRow(ctx, `select `+unitCols+` from koperasi_unit where id = $1`, id))
	if err != nil {
		return Unit{}, 0, err
	}
	e := audit.Entry{TenantID: t.ID, Action: action, Entity: "koperasi_unit", EntityID: id.String(), After: u}
	if before != nil {
		e.Before = before
	}
	if err := audit.Record(ctx, tx, e); err != nil {
		return Unit{}, 0, err
	}
	v, err := s.touch(ctx, tx, koperasiID)
	return u, v, err
}

// unitOf reads a unit of the cooperative, locked; a unit of another
// cooperative is not found.
func unitOf(ctx context.Context, tx pgx.Tx, koperasiID, id uuid.UUID) (Unit, error) {
	u, err := scanUnit(tx.QueryRow(ctx, `select `+unitCols+` from koperasi_unit where id = $1 and koperasi_id = $2 for update`, id, koperasiID))
	return u, db.MapError(err)
}

// UpdateUnit replaces a unit and its volumes; version is the cooperative's
// (If-Match).
func (s *Service) UpdateUnit(ctx context.Context, t *tenancy.Tenant, koperasiID, id uuid.UUID, version int64, in UnitInput) (Unit, int64, error) {
	var (
		u Unit
		v int64
	)
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := s.lockLive(ctx, tx, t, koperasiID, version); err != nil {
			return err
		}
		before, err := unitOf(ctx, tx, koperasiID, id)
		if err != nil {
			return err
		}
		today, err := t.Today(s.Now())
		if err != nil {
			return err
		}
		r, err := checkUnit(in, today)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update koperasi_unit set jenis_unit = $2, nama = $3, pola_simpan_pinjam = $4, pola_sejak = $5, aktif = $6
			where id = $1`, id, r.in.JenisUnit, r.in.Nama, r.in.PolaSimpanPinjam, r.sejak, r.aktif); err != nil {
			return fmt.Errorf("update unit: %w", err)
		}
		u, v, err = s.finishUnit(ctx, tx, t, koperasiID, id, r.in.Volume, "update", &before)
		return err
	})
	return u, v, err
}

// DeleteUnit removes a unit and its volumes; version is the cooperative's.
func (s *Service) DeleteUnit(ctx context.Context, t *tenancy.Tenant, koperasiID, id uuid.UUID, version int64) (int64, error) {
	return s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		before, err := unitOf(ctx, tx, koperasiID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		if _, err := tx.Exec(ctx, "delete from koperasi_unit where id = $1", id); err != nil {
			return audit.Entry{}, fmt.Errorf("delete unit: %w", err)
		}
		return audit.Entry{Action: "delete", Entity: "koperasi_unit", EntityID: id.String(), Before: before}, nil
	})
}
