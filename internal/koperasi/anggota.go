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

// UMKM members of a cooperative. An UMKM may belong to several; the
// cooperative may facilitate (difasilitasi) its member businesses: reach
// them with programmes, aid and marketing (seed 000, 002). Membership is
// part of the cooperative: changing it moves the cooperative's version.
// The UMKM is read from its table here (the foreign key ties them already);
// the UMKM registry's package is not imported.

// Anggota is one membership.
type Anggota struct {
	KoperasiID   uuid.UUID `json:"koperasi_id"`
	NamaKoperasi string    `json:"nama_koperasi"`
	UMKMID       uuid.UUID `json:"umkm_id"`
	NamaUsaha    string    `json:"nama_usaha"`
	Sejak        *string   `json:"sejak,omitempty" format:"date" doc:"Member since."`
	Difasilitasi bool      `json:"difasilitasi" doc:"The cooperative facilitates this business."`
	CreatedAt    time.Time `json:"created_at"`
}

// AnggotaInput adds an UMKM of the same tenant as a member.
type AnggotaInput struct {
	UMKMID uuid.UUID `json:"umkm_id" doc:"An UMKM of this tenant (another tenant's is not found)."`
	AnggotaUbah
}

// AnggotaUbah is what can change in a membership.
type AnggotaUbah struct {
	Sejak        *string `json:"sejak,omitempty" format:"date" doc:"Member since, YYYY-MM-DD; not in the future."`
	Difasilitasi bool    `json:"difasilitasi,omitempty"`
}

const anggotaSelect = `select a.koperasi_id, k.nama, a.umkm_id, u.nama_usaha, a.sejak, a.difasilitasi, a.created_at
	from koperasi_anggota_umkm a join koperasi k on k.id = a.koperasi_id join umkm u on u.id = a.umkm_id `

func scanAnggota(row pgx.Row) (Anggota, error) {
	var a Anggota
	var sejak *time.Time
	err := row.Scan(&a.KoperasiID, &a.NamaKoperasi, &a.UMKMID, &a.NamaUsaha, &sejak, &a.Difasilitasi, &a.CreatedAt)
	a.Sejak = day(sejak)
	return a, err
}

// AnggotaPath is where a membership lives in the API.
func AnggotaPath(tenantSlug string, koperasiID, umkmID uuid.UUID) string {
	return Path(tenantSlug, koperasiID) + "/anggota/" + umkmID.String()
}

func (s *Service) checkSejak(t *tenancy.Tenant, in AnggotaUbah) (*time.Time, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return nil, err
	}
	f := &fieldErrs{prefix: "body"}
	d := f.date("sejak", in.Sejak, today)
	return d, f.err(apperr.T("Data keanggotaan tidak valid.", "Invalid membership."))
}

// AddAnggotaTx makes an UMKM of tenant t a member of a live cooperative,
// in tx. An UMKM that does not exist here (or is another tenant's) is not
// found; an archived one is refused; an existing member is a conflict.
func (s *Service) AddAnggotaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID uuid.UUID, in AnggotaInput) (Anggota, int64, error) {
	if _, err := s.lockLive(ctx, tx, t, koperasiID, 0); err != nil {
		return Anggota{}, 0, err
	}
	sejak, err := s.checkSejak(t, in.AnggotaUbah)
	if err != nil {
		return Anggota{}, 0, err
	}
	var archived *time.Time
	if err := tx.QueryRow(ctx, `select archived_at from umkm where id = $1`, in.UMKMID).Scan(&archived); err != nil {
		return Anggota{}, 0, db.MapError(err)
	}
	if archived != nil {
		return Anggota{}, 0, apperr.InvalidField("body.umkm_id", in.UMKMID.String(), apperr.T(
			"UMKM ini sudah diarsipkan; tidak bisa menjadi anggota.", "This UMKM is archived; it cannot become a member."))
	}
	tag, err := tx.Exec(ctx, `insert into koperasi_anggota_umkm (tenant_id, koperasi_id, umkm_id, sejak, difasilitasi, created_at)
		values ($1, $2, $3, $4, $5, $6) on conflict do nothing`, t.ID, koperasiID, in.UMKMID, sejak, in.Difasilitasi, s.Now())
	if err != nil {
		return Anggota{}, 0, fmt.Errorf("insert anggota: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Anggota{}, 0, conflictOn("umkm_id", apperr.T("UMKM ini sudah menjadi anggota koperasi ini.", "This UMKM is already a member of this cooperative."),
			AnggotaPath(t.Slug, koperasiID, in.UMKMID))
	}
	return s.finishAnggota(ctx, tx, t, koperasiID, in.UMKMID, "create", nil)
}

func (s *Service) finishAnggota(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, koperasiID, umkmID uuid.UUID, action string, before *Anggota) (Anggota, int64, error) {
	a, err := scanAnggota(tx.QueryRow(ctx, anggotaSelect+`where a.koperasi_id = $1 and a.umkm_id = $2`, koperasiID, umkmID))
	if err != nil {
		return Anggota{}, 0, err
	}
	e := audit.Entry{TenantID: t.ID, Action: action, Entity: "koperasi_anggota_umkm", EntityID: koperasiID.String() + "/" + umkmID.String(), After: a}
	if before != nil {
		e.Before = before
	}
	if err := audit.Record(ctx, tx, e); err != nil {
		return Anggota{}, 0, err
	}
	v, err := s.touch(ctx, tx, koperasiID)
	return a, v, err
}

func anggotaOf(ctx context.Context, tx pgx.Tx, koperasiID, umkmID uuid.UUID) (Anggota, error) {
	a, err := scanAnggota(tx.QueryRow(ctx, anggotaSelect+`where a.koperasi_id = $1 and a.umkm_id = $2 for update of a`, koperasiID, umkmID))
	return a, db.MapError(err)
}

// UpdateAnggota changes a membership; version is the cooperative's.
func (s *Service) UpdateAnggota(ctx context.Context, t *tenancy.Tenant, koperasiID, umkmID uuid.UUID, version int64, in AnggotaUbah) (Anggota, int64, error) {
	var (
		a Anggota
		v int64
	)
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := s.lockLive(ctx, tx, t, koperasiID, version); err != nil {
			return err
		}
		before, err := anggotaOf(ctx, tx, koperasiID, umkmID)
		if err != nil {
			return err
		}
		sejak, err := s.checkSejak(t, in)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update koperasi_anggota_umkm set sejak = $3, difasilitasi = $4 where koperasi_id = $1 and umkm_id = $2`,
			koperasiID, umkmID, sejak, in.Difasilitasi); err != nil {
			return fmt.Errorf("update anggota: %w", err)
		}
		a, v, err = s.finishAnggota(ctx, tx, t, koperasiID, umkmID, "update", &before)
		return err
	})
	return a, v, err
}

// RemoveAnggota ends a membership; version is the cooperative's.
func (s *Service) RemoveAnggota(ctx context.Context, t *tenancy.Tenant, koperasiID, umkmID uuid.UUID, version int64) (int64, error) {
	return s.changeChild(ctx, t, koperasiID, version, func(tx pgx.Tx) (audit.Entry, error) {
		before, err := anggotaOf(ctx, tx, koperasiID, umkmID)
		if err != nil {
			return audit.Entry{}, err
		}
		if _, err := tx.Exec(ctx, `delete from koperasi_anggota_umkm where koperasi_id = $1 and umkm_id = $2`, koperasiID, umkmID); err != nil {
			return audit.Entry{}, fmt.Errorf("delete anggota: %w", err)
		}
		return audit.Entry{Action: "delete", Entity: "koperasi_anggota_umkm", EntityID: koperasiID.String() + "/" + umkmID.String(), Before: before}, nil
	})
}

// ListAnggota returns up to limit+1 members of a cooperative after the
// UMKM id after (keyset on the primary key), in id order; the caller pages.
// area, when set (a petugas), lists only the members inside those regions:
// the others do not exist for them in the UMKM registry either.
func (s *Service) ListAnggota(ctx context.Context, t *tenancy.Tenant, koperasiID uuid.UUID, area []string, after uuid.UUID, limit int) ([]Anggota, error) {
	if len(area) == 0 {
		area = nil // the whole tenant
	}
	var out []Anggota
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := s.getTx(ctx, tx, t, koperasiID, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, anggotaSelect+`where a.koperasi_id = $1 and a.umkm_id > $2
			and ($4::text[] is null or u.kecamatan_kode = any($4) or u.kelurahan_kode = any($4))
			order by a.umkm_id limit $3`, koperasiID, after, limit+1, area)
		if err != nil {
			return fmt.Errorf("list anggota: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Anggota, error) { return scanAnggota(r) })
		return err
	})
	return out, err
}

// ListKoperasiOfUMKM returns up to limit+1 memberships of an UMKM after the
// cooperative id after, in id order. area, when set (a petugas), limits the
// UMKM to those regions, as the UMKM registry does: outside it, not found.
func (s *Service) ListKoperasiOfUMKM(ctx context.Context, t *tenancy.Tenant, umkmID uuid.UUID, area []string, after uuid.UUID, limit int) ([]Anggota, error) {
	var out []Anggota
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `select exists (select from umkm where id = $1
			and ($2::text[] is null or kecamatan_kode = any($2) or kelurahan_kode = any($2)))`, umkmID, area).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return apperr.NotFound()
		}
		rows, err := tx.Query(ctx, anggotaSelect+`where a.umkm_id = $1 and a.koperasi_id > $2 order by a.koperasi_id limit $3`,
			umkmID, after, limit+1)
		if err != nil {
			return fmt.Errorf("list koperasi of umkm: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Anggota, error) { return scanAnggota(r) })
		return err
	})
	return out, err
}
