package tumpang

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The programme history of a record (issue 17: completed training shows
// on the business's record): the same participations the overlap check
// lists for a candidate, for a business or a cooperative of the register.
// A business's include those of its owner under another business (by the
// NIK), as the never-helped list counts them.

// RiwayatUMKM is business id's participations, newest first. Out of the
// caller's regions, or not in this office: not found.
func (s *Service) RiwayatUMKM(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) ([]Partisipasi, error) {
	var out []Partisipasi
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var nikHash []byte
		var kec, kel string
		err := tx.QueryRow(ctx, `select nik_hash, kecamatan_kode, kelurahan_kode from umkm where id = $1`, id).Scan(&nikHash, &kec, &kel)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !v.inArea(kec, kel)) {
			return apperr.NotFound()
		}
		if err != nil {
			return fmt.Errorf("read umkm: %w", err)
		}
		out, err = partisipasiTx(ctx, tx, uuid.Nil, &id, nikHash, nil)
		return err
	})
	return out, err
}

// RiwayatKoperasi is cooperative id's participations in this office's
// programmes, newest first (other agencies' lists name businesses and
// people, not cooperatives). Out of the caller's regions: not found.
func (s *Service) RiwayatKoperasi(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) ([]Partisipasi, error) {
	var out []Partisipasi
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var kec, kel string
		err := tx.QueryRow(ctx, `select kecamatan_kode, kelurahan_kode from koperasi where id = $1`, id).Scan(&kec, &kel)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !v.inArea(kec, kel)) {
			return apperr.NotFound()
		}
		if err != nil {
			return fmt.Errorf("read koperasi: %w", err)
		}
		out, err = partisipasiTx(ctx, tx, uuid.Nil, nil, nil, &id)
		return err
	})
	return out, err
}
