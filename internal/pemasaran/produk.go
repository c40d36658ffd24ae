package pemasaran

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

// Produk is a business's product as the API shows it.
type Produk struct {
	ID           uuid.UUID    `json:"id"`
	UMKMID       uuid.UUID    `json:"umkm_id"`
	NamaUsaha    string       `json:"nama_usaha"`
	Nama         string       `json:"nama"`
	Kategori     string       `json:"kategori" enum:"makanan_olahan_rumah,produk_hewan_olahan,makanan_siap_saji,minuman,kerajinan,fesyen,kosmetik,lainnya"`
	Harga        int64        `json:"harga" doc:"Price in whole rupiah."`
	Keterangan   *string      `json:"keterangan,omitempty"`
	Foto         []ProdukFoto `json:"foto" nullable:"false"`
	ArchivedAt   *time.Time   `json:"archived_at,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	Version      int64        `json:"-"`
	kecamatan    string
	kelurahan    string
	umkmArchived bool
}

// ProdukInput is a product as staff write it; an update replaces every field.
type ProdukInput struct {
	Nama       string  `json:"nama" maxLength:"200" example:"Keripik Singkong Pedas 200 g"`
	Kategori   string  `json:"kategori" enum:"makanan_olahan_rumah,produk_hewan_olahan,makanan_siap_saji,minuman,kerajinan,fesyen,kosmetik,lainnya"`
	Harga      int64   `json:"harga" minimum:"0" maximum:"1000000000" doc:"Price in whole rupiah." example:"15000"`
	Keterangan *string `json:"keterangan,omitempty" maxLength:"2000"`
}

func validateProduk(in ProdukInput) (ProdukInput, error) {
	f := &fieldErrs{prefix: "body"}
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		in.Nama = *n
	}
	f.oneOf("kategori", in.Kategori, AllKategori)
	if in.Harga < 0 || in.Harga > 1_000_000_000 {
		f.add("harga", in.Harga, apperr.T("Harga 0 sampai Rp1.000.000.000 (rupiah utuh).", "Price 0 to Rp1,000,000,000 (whole rupiah)."))
	}
	in.Keterangan = f.text("keterangan", in.Keterangan, 2000, false)
	return in, f.err(apperr.T("Data produk tidak valid. Periksa isian yang disebutkan.", "Invalid product. Check the fields listed."))
}

const produkCols = `p.id, p.umkm_id, u.nama_usaha, p.nama, p.kategori, p.harga, p.keterangan, p.archived_at, p.created_at, p.updated_at, p.version,
	u.kecamatan_kode, u.kelurahan_kode, u.archived_at is not null`

const produkFrom = ` from produk p join umkm u on u.tenant_id = p.tenant_id and u.id = p.umkm_id`

// umkmScope keeps a petugas to the businesses of their regions ($1).
const umkmScope = ` ($1::text[] is null or u.kecamatan_kode = any($1) or u.kelurahan_kode = any($1))`

func scanProduk(row pgx.Row) (Produk, error) {
	var p Produk
	err := row.Scan(&p.ID, &p.UMKMID, &p.NamaUsaha, &p.Nama, &p.Kategori, &p.Harga, &p.Keterangan, &p.ArchivedAt, &p.CreatedAt, &p.UpdatedAt,
		&p.Version, &p.kecamatan, &p.kelurahan, &p.umkmArchived)
	return p, err
}

func getProdukTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, v View, forUpdate bool) (Produk, error) {
	sql := "select " + produkCols + produkFrom + " where" + umkmScope + " and p.id = $2"
	if forUpdate {
		sql += " for update of p"
	}
	p, err := scanProduk(tx.QueryRow(ctx, sql, v.arg(), id))
	if err != nil {
		return Produk{}, db.MapError(err)
	}
	p.Foto, err = fotoListTx(ctx, tx, []uuid.UUID{id})
	return p, err
}

// umkmLive checks business id is in v's reach (not found otherwise) and
// not archived.
func umkmLive(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, v View) error {
	var archived bool
	err := tx.QueryRow(ctx, `select u.archived_at is not null from umkm u where`+umkmScope+` and u.id = $2`, v.arg(), id).Scan(&archived)
	if err != nil {
		return db.MapError(err)
	}
	if archived {
		return apperr.Conflict(apperr.T("UMKM ini sudah diarsipkan.", "This UMKM is archived."), "/v1/tenants/"+t.Slug+"/umkm/"+id.String())
	}
	return nil
}

// GetProduk returns a product in v's reach, with its photos' metadata.
func (s *Service) GetProduk(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) (Produk, error) {
	var p Produk
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) (err error) {
		p, err = getProdukTx(ctx, tx, id, v, false)
		return err
	})
	return p, err
}

// CreateProdukTx records a product of business umkmID in tx.
func (s *Service) CreateProdukTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, umkmID uuid.UUID, in ProdukInput, v View) (Produk, error) {
	in, err := validateProduk(in)
	if err != nil {
		return Produk{}, err
	}
	if err := umkmLive(ctx, tx, t, umkmID, v); err != nil {
		return Produk{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into produk (tenant_id, id, umkm_id, nama, kategori, harga, keterangan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, t.ID, id, umkmID, in.Nama, in.Kategori, in.Harga, in.Keterangan, s.Now()); err != nil {
		return Produk{}, db.MapError(fmt.Errorf("insert produk: %w", err))
	}
	p, err := getProdukTx(ctx, tx, id, View{}, false)
	if err != nil {
		return Produk{}, err
	}
	return p, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "produk", EntityID: id.String(), After: p})
}

func lockProduk(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, id uuid.UUID, version int64, v View) (Produk, error) {
	p, err := getProdukTx(ctx, tx, id, v, true)
	if err != nil {
		return Produk{}, err
	}
	if p.ArchivedAt != nil {
		return Produk{}, apperr.Conflict(apperr.T("Produk sudah diarsipkan.", "The product is archived."), ProdukPath(t.Slug, id))
	}
	if version != 0 && p.Version != version {
		return Produk{}, apperr.PreconditionFailed()
	}
	return p, nil
}

// UpdateProduk replaces a product's fields if version is current. Its
// decisions keep the category they were taken for.
func (s *Service) UpdateProduk(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in ProdukInput, v View) (Produk, error) {
	in, err := validateProduk(in)
	if err != nil {
		return Produk{}, err
	}
	var p Produk
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := lockProduk(ctx, tx, t, id, version, v)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update produk set nama = $2, kategori = $3, harga = $4, keterangan = $5, version = version + 1, updated_at = $6
			where id = $1`, id, in.Nama, in.Kategori, in.Harga, in.Keterangan, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("update produk: %w", err))
		}
		if p, err = getProdukTx(ctx, tx, id, View{}, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "produk", EntityID: id.String(), Before: before, After: p})
	})
	return p, err
}

// ArchiveProduk takes a product out of lists; its listings stay as history.
func (s *Service) ArchiveProduk(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, v View) (Produk, error) {
	var p Produk
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := lockProduk(ctx, tx, t, id, version, v); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update produk set archived_at = $2, version = version + 1, updated_at = $2 where id = $1`, id, s.Now()); err != nil {
			return fmt.Errorf("archive produk: %w", err)
		}
		var err error
		if p, err = getProdukTx(ctx, tx, id, View{}, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "archive", Entity: "produk", EntityID: id.String(), After: p})
	})
	return p, err
}

// ListProduk returns the live products of business umkmID (a business has
// few), oldest first; not found outside v's reach.
func (s *Service) ListProduk(ctx context.Context, t *tenancy.Tenant, umkmID uuid.UUID, v View) ([]Produk, error) {
	var out []Produk
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `select true from umkm u where`+umkmScope+` and u.id = $2`, v.arg(), umkmID).Scan(&ok); err != nil {
			return db.MapError(err)
		}
		rows, err := tx.Query(ctx, "select "+produkCols+produkFrom+" where p.umkm_id = $1 and p.archived_at is null order by p.id limit 500", umkmID)
		if err != nil {
			return fmt.Errorf("list produk: %w", err)
		}
		if out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Produk, error) { return scanProduk(r) }); err != nil {
			return err
		}
		ids := make([]uuid.UUID, len(out))
		for i := range out {
			ids[i] = out[i].ID
		}
		foto, err := fotoListTx(ctx, tx, ids)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Foto = []ProdukFoto{}
			for _, f := range foto {
				if f.produkID == out[i].ID {
					out[i].Foto = append(out[i].Foto, f)
				}
			}
		}
		return nil
	})
	return out, err
}

// ProdukPath is where a product lives in the API.
func ProdukPath(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/pemasaran/produk/" + id.String()
}
