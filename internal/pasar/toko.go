package pasar

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Toko is a business's shop on a marketplace.
type Toko struct {
	ID               uuid.UUID  `json:"id"`
	UMKMID           uuid.UUID  `json:"umkm_id"`
	NamaUsaha        string     `json:"nama_usaha"`
	KecamatanKode    string     `json:"kecamatan_kode"`
	Platform         string     `json:"platform"`
	Tautan           string     `json:"tautan" doc:"https only."`
	DibinaOleh       string     `json:"dibina_oleh" doc:"Who brought the business online: program (an office programme), staf, mandiri (itself)."`
	TanggalBergabung *string    `json:"tanggal_bergabung,omitempty" format:"date"`
	PenjualanPertama *string    `json:"penjualan_pertama,omitempty" format:"date"`
	AktifTerakhir    *string    `json:"aktif_terakhir,omitempty" format:"date"`
	Aktif            bool       `json:"aktif" doc:"Sold within the last 90 days of the office's calendar (today and the 89 days before)."`
	ArchivedAt       *time.Time `json:"archived_at,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	Version          int64      `json:"version"`
}

// TokoInput is a shop as written.
type TokoInput struct {
	UMKMID           uuid.UUID `json:"umkm_id" doc:"The business of the register."`
	Platform         string    `json:"platform" enum:"shopee,tokopedia,grab,gojek,tiktok_shop,bukalapak,lazada,lainnya"`
	Tautan           string    `json:"tautan" maxLength:"500" doc:"The shop's https link."`
	DibinaOleh       string    `json:"dibina_oleh" enum:"program,staf,mandiri"`
	TanggalBergabung string    `json:"tanggal_bergabung,omitempty" doc:"YYYY-MM-DD, not after today."`
	PenjualanPertama string    `json:"penjualan_pertama,omitempty" doc:"YYYY-MM-DD, not after today."`
	AktifTerakhir    string    `json:"aktif_terakhir,omitempty" doc:"YYYY-MM-DD, the last day seen selling; not after today."`
}

type tokoRow struct {
	platform, tautan, dibina  string
	bergabung, pertama, aktif *time.Time
}

func validateToko(in TokoInput, today time.Time) (tokoRow, error) {
	f := &fieldErrs{prefix: "body"}
	var r tokoRow
	if in.UMKMID == uuid.Nil {
		f.add("umkm_id", nil, wajib)
	}
	f.oneOf("platform", in.Platform, AllPlatform)
	f.oneOf("dibina_oleh", in.DibinaOleh, AllDibinaOleh)
	link, msg := Tautan(in.Tautan)
	if msg != nil {
		f.add("tautan", nil, *msg)
	}
	r.platform, r.tautan, r.dibina = in.Platform, link, in.DibinaOleh
	r.bergabung = f.day("tanggal_bergabung", in.TanggalBergabung, today, false)
	r.pertama = f.day("penjualan_pertama", in.PenjualanPertama, today, false)
	r.aktif = f.day("aktif_terakhir", in.AktifTerakhir, today, false)
	if r.aktif != nil && r.pertama != nil && r.aktif.Before(*r.pertama) {
		f.add("aktif_terakhir", in.AktifTerakhir, apperr.T("Terakhir aktif tidak boleh sebelum penjualan pertama.",
			"Last active cannot be before the first sale."))
	}
	return r, f.err()
}

// aktifSejak is the first day of the 90-day window ending today.
func aktifSejak(today time.Time) time.Time { return today.AddDate(0, 0, -(AktifHari - 1)) }

const tokoCols = `d.id, d.umkm_id, u.nama_usaha, u.kecamatan_kode, d.platform, d.tautan, d.dibina_oleh, d.tanggal_bergabung,
	d.penjualan_pertama, d.aktif_terakhir, d.archived_at, d.created_at, d.updated_at, d.version`

const tokoFrom = ` from toko_daring d join umkm u on u.id = d.umkm_id`

// inView narrows u (the business) to the regions in placeholder p.
func inView(p string) string {
	return ` and (` + p + `::text[] is null or u.kecamatan_kode = any(` + p + `) or u.kelurahan_kode = any(` + p + `))`
}

func scanToko(row pgx.Row, today time.Time) (Toko, error) {
	var x Toko
	var bergabung, pertama, aktif *time.Time
	if err := row.Scan(&x.ID, &x.UMKMID, &x.NamaUsaha, &x.KecamatanKode, &x.Platform, &x.Tautan, &x.DibinaOleh, &bergabung,
		&pertama, &aktif, &x.ArchivedAt, &x.CreatedAt, &x.UpdatedAt, &x.Version); err != nil {
		return Toko{}, err
	}
	x.TanggalBergabung, x.PenjualanPertama, x.AktifTerakhir = fmtDay(bergabung), fmtDay(pertama), fmtDay(aktif)
	x.Aktif = aktif != nil && !aktif.Before(aktifSejak(today))
	return x, nil
}

func getTokoTx(ctx context.Context, tx pgx.Tx, v View, id uuid.UUID, today time.Time, forUpdate bool) (Toko, error) {
	sql := "select " + tokoCols + tokoFrom + " where d.id = $1" + inView("$2")
	if forUpdate {
		sql += " for update of d"
	}
	x, err := scanToko(tx.QueryRow(ctx, sql, id, v.arg()), today)
	return x, db.MapError(err)
}

// GetToko returns one shop of a business in v.
func (s *Service) GetToko(ctx context.Context, t *tenancy.Tenant, v View, id uuid.UUID) (Toko, error) {
	today, err := s.today(t)
	if err != nil {
		return Toko{}, err
	}
	var x Toko
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		x, err = getTokoTx(ctx, tx, v, id, today, false)
		return err
	})
	return x, err
}

// CreateTokoTx records a shop of a business in v.
func (s *Service) CreateTokoTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, v View, in TokoInput) (Toko, error) {
	today, err := s.today(t)
	if err != nil {
		return Toko{}, err
	}
	r, err := validateToko(in, today)
	if err != nil {
		return Toko{}, err
	}
	if err := usahaInView(ctx, tx, v, in.UMKMID, "body.umkm_id"); err != nil {
		return Toko{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into toko_daring (tenant_id, id, umkm_id, platform, tautan, dibina_oleh, tanggal_bergabung,
			penjualan_pertama, aktif_terakhir, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		t.ID, id, in.UMKMID, r.platform, r.tautan, r.dibina, r.bergabung, r.pertama, r.aktif, s.Now()); err != nil {
		return Toko{}, db.MapError(fmt.Errorf("insert toko_daring: %w", err))
	}
	x, err := getTokoTx(ctx, tx, v, id, today, false)
	if err != nil {
		return Toko{}, err
	}
	return x, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "toko_daring", EntityID: id.String(), After: x})
}

// UpdateToko replaces a shop's fields if version is current; archive
// takes it out of the lists (a shop closed is kept as history).
func (s *Service) UpdateToko(ctx context.Context, t *tenancy.Tenant, v View, id uuid.UUID, version int64, in *TokoInput) (Toko, error) {
	today, err := s.today(t)
	if err != nil {
		return Toko{}, err
	}
	var r tokoRow
	if in != nil {
		if r, err = validateToko(*in, today); err != nil {
			return Toko{}, err
		}
	}
	get := func(tx pgx.Tx, forUpdate bool) (Toko, error) { return getTokoTx(ctx, tx, v, id, today, forUpdate) }
	if in == nil {
		return change(ctx, s, t, "toko_daring", id, version, get, nil)
	}
	return change(ctx, s, t, "toko_daring", id, version, get, func(tx pgx.Tx, before Toko) error {
		if in.UMKMID != before.UMKMID {
			if err := usahaInView(ctx, tx, v, in.UMKMID, "body.umkm_id"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `update toko_daring set umkm_id = $2, platform = $3, tautan = $4, dibina_oleh = $5, tanggal_bergabung = $6,
			penjualan_pertama = $7, aktif_terakhir = $8, version = version + 1, updated_at = $9 where id = $1`,
			id, in.UMKMID, r.platform, r.tautan, r.dibina, r.bergabung, r.pertama, r.aktif, s.Now())
		return db.MapError(err)
	})
}

// TokoFilter narrows the list of shops.
type TokoFilter struct {
	UMKMID    uuid.UUID
	Platform  string
	Aktif     *bool // sold within the last 90 days (or not)
	Kecamatan string
	Cursor    string
	Limit     int
}

// TokoPage is a page of shops, newest first.
type TokoPage struct {
	Items      []Toko
	NextCursor string
}

// ListToko returns the shops of businesses in v, newest first.
func (s *Service) ListToko(ctx context.Context, t *tenancy.Tenant, v View, f TokoFilter) (TokoPage, error) {
	fe := &fieldErrs{prefix: "query"}
	if f.Platform != "" {
		fe.oneOf("platform", f.Platform, AllPlatform)
	}
	if err := fe.err(); err != nil {
		return TokoPage{}, err
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return TokoPage{}, err
	}
	today, err := s.today(t)
	if err != nil {
		return TokoPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := []any{v.arg()}
	where := []string{"d.archived_at is null"}
	arg := func(x any) string { args = append(args, x); return fmt.Sprintf("$%d", len(args)) }
	if f.UMKMID != uuid.Nil {
		where = append(where, "d.umkm_id = "+arg(f.UMKMID))
	}
	if f.Platform != "" {
		where = append(where, "d.platform = "+arg(f.Platform))
	}
	if f.Aktif != nil {
		p := arg(aktifSejak(today))
		if *f.Aktif {
			where = append(where, "d.aktif_terakhir >= "+p)
		} else {
			where = append(where, "(d.aktif_terakhir is null or d.aktif_terakhir < "+p+")")
		}
	}
	if f.Kecamatan != "" {
		where = append(where, "u.kecamatan_kode = "+arg(f.Kecamatan))
	}
	if cur != nil {
		where = append(where, "d.id < "+arg(cur.ID))
	}
	sql := "select " + tokoCols + tokoFrom + " where " + strings.Join(where, " and ") + inView("$1") +
		" order by d.id desc limit " + arg(f.Limit+1)
	var page TokoPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("list toko_daring: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Toko, error) { return scanToko(r, today) })
		return err
	})
	if err != nil {
		return TokoPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	return page, nil
}
