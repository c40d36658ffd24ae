package koperasi

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Business composition (komposisi usaha): many offices do not know a
// cooperative's rupiah volumes but do know its mix ("toko 60%, simpan pinjam
// 40%"). Staff record it per year as each active unit's share; the shares
// of a year add up to exactly 100 (two decimals). The reclassification
// policy weighs units by it for a year without rupiah volumes (reklas.go).
// A year's composition is replaced as a whole, never edited share by share,
// so it always adds up when written.

// Komposisi is a cooperative's business composition in one year.
type Komposisi struct {
	Tahun int         `json:"tahun"`
	Porsi []PorsiUnit `json:"porsi" nullable:"false" doc:"Each unit's share, in the order the units were added."`
}

// PorsiUnit is one unit's share of a year's business, in percent.
type PorsiUnit struct {
	UnitID uuid.UUID `json:"unit_id" doc:"An active business unit of this cooperative."`
	Persen float64   `json:"persen" minimum:"0" maximum:"100" doc:"Percent, at most two decimals." example:"60"`
}

// KomposisiInput replaces a year's composition.
type KomposisiInput struct {
	Tahun int         `json:"tahun" minimum:"1945" maximum:"2100" doc:"The year the composition describes: not in the future." example:"2024"`
	Porsi []PorsiUnit `json:"porsi" minItems:"1" maxItems:"100" doc:"One entry per unit; the shares add up to exactly 100."`
}

// seratus is 100% in hundredths of a percent, the unit shares are kept in
// so that sums are exact.
const seratus = 10_000

// persenTeks writes hundredths of a percent as people read them: 9000 →
// "90", 10001 → "100,01" (Indonesian decimal comma) or "100.01".
func persenTeks(h int64, comma bool) string {
	s := strconv.FormatInt(h/100, 10)
	if r := h % 100; r != 0 {
		sep := "."
		if comma {
			sep = ","
		}
		s += sep + strings.TrimRight(fmt.Sprintf("%02d", r), "0")
	}
	return s
}

// checkKomposisi validates a composition against the cooperative's active
// units (aktif) and returns the shares in hundredths. A unit that is not an
// active unit of this cooperative gets one answer, whether it is inactive,
// another cooperative's, another tenant's or unknown.
func checkKomposisi(in KomposisiInput, aktif map[uuid.UUID]bool, today time.Time) ([]int32, error) {
	f := &fieldErrs{prefix: "body"}
	if in.Tahun < 1945 || in.Tahun > today.Year() {
		f.add("tahun", in.Tahun, apperr.T(fmt.Sprintf("Tahun harus 1945–%d.", today.Year()), fmt.Sprintf("The year must be 1945–%d.", today.Year())))
	}
	if len(in.Porsi) == 0 {
		f.add("porsi", nil, apperr.T("Isi porsi paling sedikit satu unit usaha.", "Give the share of at least one business unit."))
	}
	hundredths := make([]int32, len(in.Porsi))
	seen := map[uuid.UUID]bool{}
	var sum int64
	sharesOK := true
	for i, p := range in.Porsi {
		loc := fmt.Sprintf("porsi[%d]", i)
		switch {
		case seen[p.UnitID]:
			f.add(loc+".unit_id", p.UnitID, apperr.T("Satu unit usaha hanya boleh sekali.", "Each business unit at most once."))
		case !aktif[p.UnitID]:
			f.add(loc+".unit_id", p.UnitID, apperr.T("Bukan unit usaha aktif koperasi ini.", "Not an active business unit of this cooperative."))
		}
		seen[p.UnitID] = true
		h := math.Round(p.Persen * 100)
		switch {
		case math.IsNaN(p.Persen) || p.Persen < 0 || p.Persen > 100:
			f.add(loc+".persen", p.Persen, apperr.T("Porsi harus 0 sampai 100 persen.", "A share is 0 to 100 percent."))
			sharesOK = false
		case math.Abs(p.Persen*100-h) > 1e-6:
			f.add(loc+".persen", p.Persen, apperr.T("Porsi paling banyak dua angka desimal.", "A share has at most two decimals."))
			sharesOK = false
		default:
			hundredths[i] = int32(h)
			sum += int64(h)
		}
	}
	if sharesOK && len(in.Porsi) > 0 && sum != seratus {
		f.add("porsi", nil, apperr.T(
			fmt.Sprintf("Porsi usaha harus berjumlah 100%%; yang diisi berjumlah %s%%.", persenTeks(sum, true)),
			fmt.Sprintf("The shares must add up to 100%%; the ones given add up to %s%%.", persenTeks(sum, false))))
	}
	return hundredths, f.err(apperr.T("Komposisi usaha tidak valid. Periksa isian yang disebutkan.", "Invalid business composition. Check the fields listed."))
}

// komposisiTx reads a cooperative's compositions, latest year first (or the
// one of tahun when it is not 0).
func komposisiTx(ctx context.Context, tx pgx.Tx, koperasiID uuid.UUID, tahun int) ([]Komposisi, error) {
	rows, err := tx.Query(ctx, `select p.tahun, p.unit_id, p.persen::float8
		from koperasi_unit u join koperasi_unit_porsi p on p.tenant_id = u.tenant_id and p.unit_id = u.id
		where u.koperasi_id = $1 and ($2 = 0 or p.tahun = $2)
		order by p.tahun desc, u.id`, koperasiID, tahun)
	if err != nil {
		return nil, fmt.Errorf("list komposisi: %w", err)
	}
	out := []Komposisi{}
	var (
		y int
		p PorsiUnit
	)
	_, err = pgx.ForEachRow(rows, []any{&y, &p.UnitID, &p.Persen}, func() error {
		if len(out) == 0 || out[len(out)-1].Tahun != y {
			out = append(out, Komposisi{Tahun: y})
		}
		out[len(out)-1].Porsi = append(out[len(out)-1].Porsi, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list komposisi: %w", err)
	}
	return out, nil
}

// deleteKomposisi removes the composition of a year of the cooperative.
func deleteKomposisi(ctx context.Context, tx pgx.Tx, koperasiID uuid.UUID, tahun int) error {
	_, err := tx.Exec(ctx, `delete from koperasi_unit_porsi p using koperasi_unit u
		where p.tenant_id = u.tenant_id and p.unit_id = u.id and u.koperasi_id = $1 and p.tahun = $2`, koperasiID, tahun)
	if err != nil {
		return fmt.Errorf("delete komposisi: %w", err)
	}
	return nil
}

// PutKomposisi replaces a cooperative's composition of a year; version is
// the cooperative's (If-Match). It returns the composition written and the
// cooperative's new version.
func (s *Service) PutKomposisi(ctx context.Context, t *tenancy.Tenant, koperasiID uuid.UUID, version int64, in KomposisiInput) (Komposisi, int64, error) {
	var (
		out Komposisi
		v   int64
	)
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := s.lockLive(ctx, tx, t, koperasiID, version); err != nil {
			return err
		}
		today, err := t.Today(s.Now())
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select id from koperasi_unit where koperasi_id = $1 and aktif`, koperasiID)
		if err != nil {
			return fmt.Errorf("active units: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			return fmt.Errorf("active units: %w", err)
		}
		aktif := make(map[uuid.UUID]bool, len(ids))
		for _, id := range ids {
			aktif[id] = true
		}
		hundredths, err := checkKomposisi(in, aktif, today)
		if err != nil {
			return err
		}
		before, err := komposisiTx(ctx, tx, koperasiID, in.Tahun)
		if err != nil {
			return err
		}
		if err := deleteKomposisi(ctx, tx, koperasiID, in.Tahun); err != nil {
			return err
		}
		units := make([]uuid.UUID, len(in.Porsi))
		for i, p := range in.Porsi {
			units[i] = p.UnitID
		}
		// numeric(5,2) from hundredths: exact, whatever float the client sent.
		if _, err := tx.Exec(ctx, `insert into koperasi_unit_porsi (tenant_id, unit_id, tahun, persen)
			select $1, u, $2, h::numeric / 100 from unnest($3::uuid[], $4::integer[]) as x(u, h)`,
			t.ID, in.Tahun, units, hundredths); err != nil {
			return fmt.Errorf("write komposisi: %w", err)
		}
		after, err := komposisiTx(ctx, tx, koperasiID, in.Tahun)
		if err != nil || len(after) != 1 {
			return fmt.Errorf("read komposisi back: %d years, %w", len(after), err)
		}
		out = after[0]
		e := audit.Entry{TenantID: t.ID, Action: "create", Entity: "koperasi_komposisi",
			EntityID: koperasiID.String() + "/" + strconv.Itoa(in.Tahun), After: out}
		if len(before) > 0 {
			e.Action, e.Before = "update", before[0]
		}
		if err := audit.Record(ctx, tx, e); err != nil {
			return err
		}
		v, err = s.touch(ctx, tx, koperasiID)
		return err
	})
	return out, v, err
}

// DeleteKomposisi removes a cooperative's composition of a year; version is
// the cooperative's. A year without one is not found.
func (s *Service) DeleteKomposisi(ctx context.Context, t *tenancy.Tenant, koperasiID uuid.UUID, tahun int, version int64) (int64, error) {
	return s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		before, err := komposisiTx(ctx, tx, koperasiID, tahun)
		if err != nil {
			return audit.Entry{}, err
		}
		if len(before) == 0 {
			return audit.Entry{}, apperr.NotFound()
		}
		if err := deleteKomposisi(ctx, tx, koperasiID, tahun); err != nil {
			return audit.Entry{}, err
		}
		return audit.Entry{Action: "delete", Entity: "koperasi_komposisi", EntityID: koperasiID.String() + "/" + strconv.Itoa(tahun), Before: before[0]}, nil
	})
}
