package klinik

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// KlinikLayanan is a service area of the clinic.
type KlinikLayanan struct {
	ID         uuid.UUID  `json:"id"`
	Kode       string     `json:"kode"`
	Nama       string     `json:"nama"`
	Urutan     int        `json:"urutan"`
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
	Version    int64      `json:"-"`
}

// KlinikLayananInput is a service area as staff write it.
type KlinikLayananInput struct {
	Kode   string `json:"kode" maxLength:"40" example:"ekspor" doc:"Lower-case letters, digits and _; fixed once created."`
	Nama   string `json:"nama" maxLength:"200" example:"Ekspor"`
	Urutan int    `json:"urutan,omitempty" minimum:"0" maximum:"999"`
	Arsip  bool   `json:"arsip,omitempty" doc:"On update: archive (true) or restore."`
}

// bawaan are PLUT-KUMKM's seven areas plus legalitas (seed 000; DOMAIN.md),
// as the migration seeds them for the offices that existed then.
var bawaan = []KlinikLayananInput{
	{"kelembagaan", "Kelembagaan", 1, false}, {"sdm", "Sumber daya manusia (SDM)", 2, false}, {"produksi", "Produksi", 3, false},
	{"pembiayaan", "Pembiayaan", 4, false}, {"pemasaran", "Pemasaran", 5, false}, {"teknologi_informasi", "Teknologi informasi", 6, false},
	{"jaringan_kerja_sama", "Jaringan kerja sama", 7, false}, {"legalitas", "Legalitas dan perizinan", 8, false},
}

var kodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// seedLayanan gives an office with no area at all (one created after the
// migration) the standard ones; concurrent first reads insert each once.
func seedLayanan(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	var any bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from klinik_layanan)`).Scan(&any); err != nil || any {
		return err
	}
	for _, l := range bawaan {
		if _, err := tx.Exec(ctx, `insert into klinik_layanan (tenant_id, id, kode, nama, urutan) values ($1, $2, $3, $4, $5)
			on conflict do nothing`, tenantID, uuid.Must(uuid.NewV7()), l.Kode, l.Nama, l.Urutan); err != nil {
			return fmt.Errorf("seed klinik_layanan: %w", err)
		}
	}
	return nil
}

const layananCols = `id, kode, nama, urutan, archived_at, version`

func scanLayanan(r pgx.Row) (KlinikLayanan, error) {
	var l KlinikLayanan
	var u int16
	err := r.Scan(&l.ID, &l.Kode, &l.Nama, &u, &l.ArchivedAt, &l.Version)
	l.Urutan = int(u)
	return l, err
}

// ListLayanan returns the office's areas in their order (archived ones
// too when arsip).
func (s *Service) ListLayanan(ctx context.Context, t *tenancy.Tenant, arsip bool) ([]KlinikLayanan, error) {
	var out []KlinikLayanan
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := seedLayanan(ctx, tx, t.ID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select `+layananCols+` from klinik_layanan where $1 or archived_at is null order by urutan, nama`, arsip)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (KlinikLayanan, error) { return scanLayanan(r) })
		return err
	})
	return out, err
}

func checkLayanan(in KlinikLayananInput, create bool) (KlinikLayananInput, error) {
	f := &fieldErrs{prefix: "body"}
	if create && !kodeRe.MatchString(in.Kode) {
		f.add("kode", in.Kode, apperr.T("Kode 2–40 huruf kecil, angka atau _, diawali huruf.", "2–40 lower-case letters, digits or _, starting with a letter."))
	}
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		in.Nama = *n
	}
	if in.Urutan < 0 || in.Urutan > 999 {
		f.add("urutan", in.Urutan, apperr.T("Urutan 0–999.", "Order 0–999."))
	}
	return in, f.err()
}

// CreateLayananTx adds an area.
func (s *Service) CreateLayananTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in KlinikLayananInput) (KlinikLayanan, error) {
	in, err := checkLayanan(in, true)
	if err != nil {
		return KlinikLayanan{}, err
	}
	if err := seedLayanan(ctx, tx, t.ID); err != nil {
		return KlinikLayanan{}, err
	}
	l, err := scanLayanan(tx.QueryRow(ctx, `insert into klinik_layanan (tenant_id, id, kode, nama, urutan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $6) returning `+layananCols, t.ID, uuid.Must(uuid.NewV7()), in.Kode, in.Nama, in.Urutan, s.Now()))
	if err != nil {
		if ae, ok := apperr.As(db.MapError(err)); ok && ae.Kind == apperr.KindConflict {
			return KlinikLayanan{}, apperr.InvalidField("body.kode", in.Kode, apperr.T("Kode layanan sudah dipakai.", "The code is taken."))
		}
		return KlinikLayanan{}, db.MapError(err)
	}
	return l, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "klinik_layanan", EntityID: l.ID.String(), After: l})
}

// UpdateLayanan renames or reorders an area (its kode stays), or archives
// it (in.Arsip) or brings it back; tickets keep the area they had.
func (s *Service) UpdateLayanan(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in KlinikLayananInput) (KlinikLayanan, error) {
	in, err := checkLayanan(in, false)
	if err != nil {
		return KlinikLayanan{}, err
	}
	var l KlinikLayanan
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := scanLayanan(tx.QueryRow(ctx, `select `+layananCols+` from klinik_layanan where id = $1 for update`, id))
		if err != nil {
			return db.MapError(err)
		}
		if version != 0 && before.Version != version {
			return apperr.PreconditionFailed()
		}
		now := s.Now()
		var at *time.Time
		if in.Arsip {
			at = before.ArchivedAt
			if at == nil {
				at = &now
			}
		}
		if l, err = scanLayanan(tx.QueryRow(ctx, `update klinik_layanan set nama = $2, urutan = $3, archived_at = $4, version = version + 1,
				updated_at = $5 where id = $1 returning `+layananCols, id, in.Nama, in.Urutan, at, now)); err != nil {
			return db.MapError(err)
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "klinik_layanan", EntityID: id.String(), Before: before, After: l})
	})
	return l, err
}

// layananLive checks that id is a live area of the office, as field.
func layananLive(ctx context.Context, tx pgx.Tx, id uuid.UUID, field string) error {
	var ok bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from klinik_layanan where id = $1 and archived_at is null)`, id).Scan(&ok); err != nil {
		return fmt.Errorf("check layanan: %w", err)
	}
	if !ok {
		return apperr.InvalidField(field, id, apperr.T("Layanan tidak ditemukan di kantor ini.", "No such service area in this office."))
	}
	return nil
}
