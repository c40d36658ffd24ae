package umkm

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Sizes (skala usaha).
const (
	SkalaMikro    = "mikro"
	SkalaKecil    = "kecil"
	SkalaMenengah = "menengah"
	SkalaBesar    = "besar"
)

// Criteria of a computed size.
const (
	KriteriaModal = "modal"
	KriteriaOmzet = "omzet"
)

// Regulation is the thresholds of one regulation, loaded from skala_batas.
type Regulation struct {
	Name  string
	Tiers []Tier // mikro, kecil, menengah in ascending order
}

// Tier is the upper bound of one size.
type Tier struct {
	Skala     string
	ModalMaks int64
	OmzetMaks int64
}

// LoadRegulation reads a regulation's thresholds (reference data).
func LoadRegulation(ctx context.Context, pool *pgxpool.Pool, name string) (Regulation, error) {
	rows, err := pool.Query(ctx, `select skala, modal_maks, omzet_maks from skala_batas where regulasi = $1 order by modal_maks`, name)
	if err != nil {
		return Regulation{}, fmt.Errorf("load %s thresholds: %w", name, err)
	}
	defer rows.Close()
	r := Regulation{Name: name}
	for rows.Next() {
		var t Tier
		if err := rows.Scan(&t.Skala, &t.ModalMaks, &t.OmzetMaks); err != nil {
			return Regulation{}, err
		}
		r.Tiers = append(r.Tiers, t)
	}
	if err := rows.Err(); err != nil {
		return Regulation{}, err
	}
	if len(r.Tiers) != 3 {
		return Regulation{}, fmt.Errorf("regulation %s: want 3 size tiers, have %d", name, len(r.Tiers))
	}
	return r, nil
}

// Skala is a computed size with what it was computed from.
type Skala struct {
	Skala    string `json:"skala"`
	Kriteria string `json:"kriteria" enum:"modal,omzet"`
	Regulasi string `json:"regulasi"`
}

// Compute sizes a business under r. PP 7/2021 applies the capital criterion
// to new businesses and annual sales to running ones; a business is new in
// the year it started. With neither figure known there is no size.
func (r Regulation) Compute(modal, omzet *int64, tahunMulai *int, year int) *Skala {
	useOmzet := omzet != nil && (tahunMulai == nil || *tahunMulai < year || modal == nil)
	var v int64
	k := KriteriaModal
	switch {
	case useOmzet:
		v, k = *omzet, KriteriaOmzet
	case modal != nil:
		v = *modal
	default:
		return nil
	}
	for _, t := range r.Tiers {
		limit := t.ModalMaks
		if k == KriteriaOmzet {
			limit = t.OmzetMaks
		}
		if v <= limit {
			return &Skala{Skala: t.Skala, Kriteria: k, Regulasi: r.Name}
		}
	}
	return &Skala{Skala: SkalaBesar, Kriteria: k, Regulasi: r.Name}
}
