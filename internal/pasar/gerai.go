package pasar

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

// Gerai is a business's listing in modern retail (the office curates; the
// money flows between retailer and business).
type Gerai struct {
	ID            uuid.UUID  `json:"id"`
	UMKMID        uuid.UUID  `json:"umkm_id"`
	NamaUsaha     string     `json:"nama_usaha"`
	KecamatanKode string     `json:"kecamatan_kode"`
	Peritel       string     `json:"peritel"`
	PeritelNama   *string    `json:"peritel_nama,omitempty" doc:"The local retailer's name."`
	JumlahGerai   int        `json:"jumlah_gerai" doc:"Outlets carrying the products."`
	JumlahProduk  int        `json:"jumlah_produk" doc:"Products listed."`
	Sejak         *string    `json:"sejak,omitempty" format:"date"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int64      `json:"version"`
}

// GeraiInput is a listing as written.
type GeraiInput struct {
	UMKMID       uuid.UUID `json:"umkm_id"`
	Peritel      string    `json:"peritel" enum:"indomaret,alfamart,lokal"`
	PeritelNama  *string   `json:"peritel_nama,omitempty" maxLength:"200" doc:"Required for lokal."`
	JumlahGerai  int       `json:"jumlah_gerai" doc:"1 to 100.000."`
	JumlahProduk int       `json:"jumlah_produk" doc:"1 to 10.000."`
	Sejak        string    `json:"sejak,omitempty" doc:"YYYY-MM-DD, not after today."`
}

type geraiRow struct {
	nama  *string
	sejak *time.Time
}

func validateGerai(in GeraiInput, today time.Time) (geraiRow, error) {
	f := &fieldErrs{prefix: "body"}
	var r geraiRow
	if in.UMKMID == uuid.Nil {
		f.add("umkm_id", nil, wajib)
	}
	f.oneOf("peritel", in.Peritel, AllPeritel)
	r.nama = f.text("peritel_nama", in.PeritelNama, 200, in.Peritel == "lokal")
	if in.Peritel != "lokal" {
		r.nama = nil // Indomaret and Alfamart name themselves
	}
	if in.JumlahGerai < 1 || in.JumlahGerai > 100000 {
		f.add("jumlah_gerai", in.JumlahGerai, apperr.T("Harus 1 sampai 100.000.", "Must be 1 to 100,000."))
	}
	if in.JumlahProduk < 1 || in.JumlahProduk > 10000 {
		f.add("jumlah_produk", in.JumlahProduk, apperr.T("Harus 1 sampai 10.000.", "Must be 1 to 10,000."))
	}
	r.sejak = f.day("sejak", in.Sejak, today, false)
	return r, f.err()
}

const geraiCols = `g.id, g.umkm_id, u.nama_usaha, u.kecamatan_kode, g.peritel, g.peritel_nama, g.jumlah_gerai, g.jumlah_produk, g.sejak,
	g.archived_at, g.created_at, g.updated_at, g.version`

const geraiFrom = ` from gerai_ritel g join umkm u on u.id = g.umkm_id`

func scanGerai(row pgx.Row) (Gerai, error) {
	var x Gerai
	var sejak *time.Time
	err := row.Scan(&x.ID, &x.UMKMID, &x.NamaUsaha, &x.KecamatanKode, &x.Peritel, &x.PeritelNama, &x.JumlahGerai, &x.JumlahProduk, &sejak,
		&x.ArchivedAt, &x.CreatedAt, &x.UpdatedAt, &x.Version)
	x.Sejak = fmtDay(sejak)
	return x, err
}

func getGeraiTx(ctx context.Context, tx pgx.Tx, v View, id uuid.UUID, forUpdate bool) (Gerai, error) {
	sql := "select " + geraiCols + geraiFrom + " where g.id = $1" + inView("$2")
	if forUpdate {
		sql += " for update of g"
	}
	x, err := scanGerai(tx.QueryRow(ctx, sql, id, v.arg()))
	return x, db.MapError(err)
}

// GetGerai returns one listing of a business in v.
func (s *Service) GetGerai(ctx context.Context, t *tenancy.Tenant, v View, id uuid.UUID) (Gerai, error) {
	var x Gerai
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		x, err = getGeraiTx(ctx, tx, v, id, false)
		return err
	})
	return x, err
}

// CreateGeraiTx records a retail listing of a business in v.
func (s *Service) CreateGeraiTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, v View, in GeraiInput) (Gerai, error) {
	today, err := s.today(t)
	if err != nil {
		return Gerai{}, err
	}
	r, err := validateGerai(in, today)
	if err != nil {
		return Gerai{}, err
	}
	if err := usahaInView(ctx, tx, v, in.UMKMID, "body.umkm_id"); err != nil {
		return Gerai{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into gerai_ritel (tenant_id, id, umkm_id, peritel, peritel_nama, jumlah_gerai, jumlah_produk, sejak,
			created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
		t.ID, id, in.UMKMID, in.Peritel, r.nama, in.JumlahGerai, in.JumlahProduk, r.sejak, s.Now()); err != nil {
		return Gerai{}, db.MapError(fmt.Errorf("insert gerai_ritel: %w", err))
	}
	x, err := getGeraiTx(ctx, tx, v, id, false)
	if err != nil {
		return Gerai{}, err
	}
	return x, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "gerai_ritel", EntityID: id.String(), After: x})
}

// UpdateGerai replaces a listing if version is current; in nil archives it.
func (s *Service) UpdateGerai(ctx context.Context, t *tenancy.Tenant, v View, id uuid.UUID, version int64, in *GeraiInput) (Gerai, error) {
	today, err := s.today(t)
	if err != nil {
		return Gerai{}, err
	}
	var r geraiRow
	if in != nil {
		if r, err = validateGerai(*in, today); err != nil {
			return Gerai{}, err
		}
	}
	get := func(tx pgx.Tx, forUpdate bool) (Gerai, error) { return getGeraiTx(ctx, tx, v, id, forUpdate) }
	if in == nil {
		return change(ctx, s, t, "gerai_ritel", id, version, get, nil)
	}
	return change(ctx, s, t, "gerai_ritel", id, version, get, func(tx pgx.Tx, before Gerai) error {
		if in.UMKMID != before.UMKMID {
			if err := usahaInView(ctx, tx, v, in.UMKMID, "body.umkm_id"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `update gerai_ritel set umkm_id = $2, peritel = $3, peritel_nama = $4, jumlah_gerai = $5, jumlah_produk = $6,
			sejak = $7, version = version + 1, updated_at = $8 where id = $1`,
			id, in.UMKMID, in.Peritel, r.nama, in.JumlahGerai, in.JumlahProduk, r.sejak, s.Now())
		return db.MapError(err)
	})
}

// ListGerai returns the live listings of businesses in v (one business's
// when umkmID is set), newest first; an office has few enough to show whole.
func (s *Service) ListGerai(ctx context.Context, t *tenancy.Tenant, v View, umkmID uuid.UUID) ([]Gerai, error) {
	var items []Gerai
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "select "+geraiCols+geraiFrom+" where g.archived_at is null and ($2::uuid is null or g.umkm_id = $2)"+
			inView("$1")+" order by g.id desc limit 1000", v.arg(), nilUUID(umkmID))
		if err != nil {
			return fmt.Errorf("list gerai_ritel: %w", err)
		}
		items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Gerai, error) { return scanGerai(r) })
		return err
	})
	return items, err
}

func nilUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
