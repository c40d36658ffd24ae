package koperasi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Health assessments (penilaian kesehatan). Each regime (reference data in
// kesehatan_regime/aspek/predikat, with its source) scores aspects in a
// range with a weight; the total is the weighted mean of the aspect scores
// and the predicate is the band that holds it: from skor_min (inclusive) to
// skor_maks (exclusive), the top band including its skor_maks. The predicate
// is computed, never typed. Arithmetic is exact (big.Rat): 75.99 is below 76.

// Regime is a health assessment regime, for building the form.
type Regime struct {
	Kode         string  `json:"kode"`
	Nama         string  `json:"nama"`
	Sumber       string  `json:"sumber" doc:"The regulation it comes from."`
	BerlakuMulai string  `json:"berlaku_mulai" format:"date"`
	Aspek        []Aspek `json:"aspek" nullable:"false" doc:"Every aspect must be scored, within its range."`
	Predikat     []Band  `json:"predikat" nullable:"false" doc:"Bands, highest first."`

	aspek map[string]aspekRat
	bands []bandRat
}

// Aspek is one scored aspect of a regime.
type Aspek struct {
	Kode     string  `json:"kode"`
	Nama     string  `json:"nama"`
	SkorMin  float64 `json:"skor_min"`
	SkorMaks float64 `json:"skor_maks"`
	Bobot    float64 `json:"bobot" doc:"Weight in the total."`
}

// Band is the range of totals that gives a predicate: skor_min inclusive,
// skor_maks exclusive except for the top band.
type Band struct {
	Predikat string  `json:"predikat"`
	SkorMin  float64 `json:"skor_min"`
	SkorMaks float64 `json:"skor_maks"`
}

type aspekRat struct{ min, max, bobot *big.Rat }

type bandRat struct {
	predikat string
	min, max *big.Rat
}

func rat(s string) (*big.Rat, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("not a number: %q", s)
	}
	return r, nil
}

func ratFloat(r *big.Rat) float64 { f, _ := r.Float64(); return f }

// regimesTx reads every regime with its aspects and bands.
func regimesTx(ctx context.Context, tx pgx.Tx) ([]Regime, error) {
	var out []Regime
	rows, err := tx.Query(ctx, `select kode, nama, sumber, berlaku_mulai from kesehatan_regime order by berlaku_mulai desc`)
	if err != nil {
		return nil, fmt.Errorf("read regimes: %w", err)
	}
	byKode := map[string]int{}
	var r Regime
	var mulai time.Time
	if _, err := pgx.ForEachRow(rows, []any{&r.Kode, &r.Nama, &r.Sumber, &mulai}, func() error {
		r.BerlakuMulai = mulai.Format(time.DateOnly)
		byKode[r.Kode] = len(out)
		out = append(out, Regime{Kode: r.Kode, Nama: r.Nama, Sumber: r.Sumber, BerlakuMulai: r.BerlakuMulai,
			Aspek: []Aspek{}, Predikat: []Band{}, aspek: map[string]aspekRat{}})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read regimes: %w", err)
	}
	rows, err = tx.Query(ctx, `select regime, kode, nama, skor_min::text, skor_maks::text, bobot::text from kesehatan_aspek order by regime, urutan`)
	if err != nil {
		return nil, fmt.Errorf("read aspects: %w", err)
	}
	var regime, kode, nama, lo, hi, bobot string
	if _, err := pgx.ForEachRow(rows, []any{&regime, &kode, &nama, &lo, &hi, &bobot}, func() error {
		g := &out[byKode[regime]]
		a := aspekRat{}
		var err error
		if a.min, err = rat(lo); err != nil {
			return err
		}
		if a.max, err = rat(hi); err != nil {
			return err
		}
		if a.bobot, err = rat(bobot); err != nil {
			return err
		}
		g.aspek[kode] = a
		g.Aspek = append(g.Aspek, Aspek{Kode: kode, Nama: nama, SkorMin: ratFloat(a.min), SkorMaks: ratFloat(a.max), Bobot: ratFloat(a.bobot)})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read aspects: %w", err)
	}
	rows, err = tx.Query(ctx, `select regime, predikat, skor_min::text, skor_maks::text from kesehatan_predikat order by regime, skor_min desc`)
	if err != nil {
		return nil, fmt.Errorf("read bands: %w", err)
	}
	if _, err := pgx.ForEachRow(rows, []any{&regime, &nama, &lo, &hi}, func() error {
		g := &out[byKode[regime]]
		b := bandRat{predikat: nama}
		var err error
		if b.min, err = rat(lo); err != nil {
			return err
		}
		if b.max, err = rat(hi); err != nil {
			return err
		}
		g.bands = append(g.bands, b)
		g.Predikat = append(g.Predikat, Band{Predikat: nama, SkorMin: ratFloat(b.min), SkorMaks: ratFloat(b.max)})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read bands: %w", err)
	}
	return out, nil
}

// Regimes lists the health assessment regimes with their aspects and bands.
func (s *Service) Regimes(ctx context.Context) ([]Regime, error) {
	var out []Regime
	err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = regimesTx(ctx, tx)
		return err
	})
	return out, err
}

// Nilai scores an assessment under regime g: the weighted total and its
// predicate. Every aspect of the regime must be scored within its range,
// and no other; problems name the aspect (body.skor.<aspek>).
func (g *Regime) Nilai(skor map[string]float64) (*big.Rat, string, error) {
	f := &fieldErrs{prefix: "body.skor"}
	for k := range skor {
		if _, ok := g.aspek[k]; !ok {
			f.add(k, nil, apperr.T("Aspek ini tidak ada dalam regime "+g.Nama+".", "This aspect is not part of regime "+g.Nama+"."))
		}
	}
	sum, weights := new(big.Rat), new(big.Rat)
	for _, a := range g.Aspek {
		v, ok := skor[a.Kode]
		if !ok {
			f.add(a.Kode, nil, apperr.T("Skor aspek "+a.Nama+" wajib diisi.", "The score of "+a.Nama+" is required."))
			continue
		}
		// The shortest decimal that is this float: what the client wrote.
		x, err := rat(strconv.FormatFloat(v, 'f', -1, 64))
		r := g.aspek[a.Kode]
		if err != nil || x.Cmp(r.min) < 0 || x.Cmp(r.max) > 0 {
			f.add(a.Kode, v, apperr.T(fmt.Sprintf("Skor %s harus %s sampai %s.", a.Nama, r.min.RatString(), r.max.RatString()),
				fmt.Sprintf("The score of %s must be %s to %s.", a.Nama, r.min.RatString(), r.max.RatString())))
			continue
		}
		sum.Add(sum, new(big.Rat).Mul(x, r.bobot))
		weights.Add(weights, r.bobot)
	}
	if err := f.err(apperr.T("Skor penilaian kesehatan tidak valid. Periksa aspek yang disebutkan.", "Invalid health scores. Check the aspects listed.")); err != nil {
		return nil, "", err
	}
	total := new(big.Rat).Quo(sum, weights)
	p, err := g.predikat(total)
	return total, p, err
}

// predikat finds the band holding total.
func (g *Regime) predikat(total *big.Rat) (string, error) {
	for i, b := range g.bands { // highest first
		top := i == 0
		if total.Cmp(b.min) >= 0 && (total.Cmp(b.max) < 0 || (top && total.Cmp(b.max) == 0)) {
			return b.predikat, nil
		}
	}
	return "", fmt.Errorf("regime %s: total %s in no band", g.Kode, total.FloatString(4))
}

// Penilaian is one health assessment of a cooperative.
type Penilaian struct {
	ID          uuid.UUID          `json:"id"`
	Regime      string             `json:"regime"`
	Tahun       int                `json:"tahun"`
	Skor        map[string]float64 `json:"skor" doc:"Score per aspect."`
	SkorTotal   float64            `json:"skor_total" doc:"Weighted total (4 decimals)."`
	Predikat    string             `json:"predikat" doc:"Computed from the regime's bands."`
	DinilaiOleh *uuid.UUID         `json:"dinilai_oleh,omitempty" doc:"The user who recorded it."`
	CreatedAt   time.Time          `json:"created_at"`
}

// PenilaianInput is an assessment as staff record it.
type PenilaianInput struct {
	Regime string             `json:"regime" maxLength:"50" doc:"A regime kode from GET .../koperasi/kesehatan-regime." example:"permenkop_9_2020"`
	Tahun  int                `json:"tahun" minimum:"2000" maximum:"2100" doc:"The year assessed." example:"2025"`
	Skor   map[string]float64 `json:"skor" doc:"Score per aspect kode: every aspect of the regime, within its range." example:"{\"tata_kelola\":80,\"profil_risiko\":75.5,\"kinerja_keuangan\":70,\"permodalan\":82}"`
}

const penilaianCols = `id, regime, tahun, skor, skor_total::float8, predikat, dinilai_oleh, created_at`

func scanPenilaian(row pgx.Row) (Penilaian, error) {
	var p Penilaian
	var skor []byte
	if err := row.Scan(&p.ID, &p.Regime, &p.Tahun, &skor, &p.SkorTotal, &p.Predikat, &p.DinilaiOleh, &p.CreatedAt); err != nil {
		return Penilaian{}, err
	}
	return p, json.Unmarshal(skor, &p.Skor)
}

// PenilaianPath is where an assessment lives in the API.
func PenilaianPath(tenantSlug string, koperasiID, id uuid.UUID) string {
	return Path(tenantSlug, koperasiID) + "/kesehatan/" + id.String()
}

// CreatePenilaianTx records an assessment of a live cooperative in tx; the
// cooperative's predicate and year follow its latest assessment. One per
// regime and year: a second is a conflict.
func (s *Service) CreatePenilaianTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID uuid.UUID, in PenilaianInput) (Penilaian, int64, error) {
	if _, err := s.lockLive(ctx, tx, t, koperasiID, 0); err != nil {
		return Penilaian{}, 0, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return Penilaian{}, 0, err
	}
	regimes, err := regimesTx(ctx, tx)
	if err != nil {
		return Penilaian{}, 0, err
	}
	var g *Regime
	var kodes []string
	for i := range regimes {
		kodes = append(kodes, regimes[i].Kode)
		if regimes[i].Kode == in.Regime {
			g = &regimes[i]
		}
	}
	f := &fieldErrs{prefix: "body"}
	if g == nil {
		sort.Strings(kodes)
		f.add("regime", in.Regime, apperr.T("Regime penilaian tidak dikenal. Pilih: "+strings.Join(kodes, ", ")+".",
			"Unknown assessment regime. Choose: "+strings.Join(kodes, ", ")+"."))
	}
	if in.Tahun < 2000 || in.Tahun > today.Year() {
		f.add("tahun", in.Tahun, apperr.T(fmt.Sprintf("Tahun penilaian harus 2000–%d.", today.Year()), fmt.Sprintf("The year must be 2000–%d.", today.Year())))
	}
	if err := f.err(apperr.T("Data penilaian kesehatan tidak valid.", "Invalid health assessment.")); err != nil {
		return Penilaian{}, 0, err
	}
	total, predikat, err := g.Nilai(in.Skor)
	if err != nil {
		return Penilaian{}, 0, err
	}
	skor, err := json.Marshal(in.Skor)
	if err != nil {
		return Penilaian{}, 0, err
	}
	var by *uuid.UUID
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		by = &p.UserID
	}
	p, err := scanPenilaian(tx.QueryRow(ctx, `insert into koperasi_kesehatan (tenant_id, id, koperasi_id, regime, tahun, skor, skor_total,
			predikat, dinilai_oleh, created_at)
		values ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10) on conflict do nothing returning `+penilaianCols,
		t.ID, uuid.Must(uuid.NewV7()), koperasiID, g.Kode, in.Tahun, skor, total.FloatString(4), predikat, by, s.Now()))
	if errors.Is(err, pgx.ErrNoRows) {
		var id uuid.UUID
		if err := tx.QueryRow(ctx, `select id from koperasi_kesehatan where koperasi_id = $1 and regime = $2 and tahun = $3`,
			koperasiID, g.Kode, in.Tahun).Scan(&id); err != nil {
			return Penilaian{}, 0, err
		}
		return Penilaian{}, 0, conflictOn("tahun", apperr.T("Penilaian regime ini untuk tahun ini sudah tercatat. Hapus yang lama bila ingin menggantinya.",
			"An assessment under this regime for this year is already recorded. Delete it first to replace it."), PenilaianPath(t.Slug, koperasiID, id))
	}
	if err != nil {
		return Penilaian{}, 0, fmt.Errorf("insert penilaian: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "koperasi_kesehatan", EntityID: p.ID.String(), After: p}); err != nil {
		return Penilaian{}, 0, err
	}
	v, err := s.touch(ctx, tx, koperasiID)
	return p, v, err
}

// ListPenilaian lists a cooperative's assessments, latest year first. A
// cooperative has at most one per regime and year, so the list is short and
// unpaged.
func (s *Service) ListPenilaian(ctx context.Context, t *tenancy.Tenant, koperasiID uuid.UUID) ([]Penilaian, error) {
	var out []Penilaian
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := s.getTx(ctx, tx, t, koperasiID, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select `+penilaianCols+` from koperasi_kesehatan where koperasi_id = $1
			order by tahun desc, created_at desc, id desc`, koperasiID)
		if err != nil {
			return fmt.Errorf("list penilaian: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Penilaian, error) { return scanPenilaian(r) })
		return err
	})
	if out == nil {
		out = []Penilaian{}
	}
	return out, err
}

// DeletePenilaian removes an assessment; version is the cooperative's.
func (s *Service) DeletePenilaian(ctx context.Context, t *tenancy.Tenant, koperasiID, id uuid.UUID, version int64) (int64, error) {
	return s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		before, err := scanPenilaian(tx.QueryRow(ctx, `delete from koperasi_kesehatan where id = $1 and koperasi_id = $2 returning `+penilaianCols, id, koperasiID))
		if err != nil {
			return audit.Entry{}, db.MapError(err)
		}
		return audit.Entry{Action: "delete", Entity: "koperasi_kesehatan", EntityID: id.String(), Before: before}, nil
	})
}
