package pemasaran

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// MaxFotoBytes is the largest photo kept (2 MB): enough for a product
// photo from a phone, small enough for the database and a slow uplink.
const MaxFotoBytes = 2 << 20

// MaxFotoPerProduk bounds a product's photos.
const MaxFotoPerProduk = 6

// FotoTypes are the image types kept, as sniffed from the bytes.
var FotoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// ProdukFoto is a photo's metadata; its bytes are served apart.
type ProdukFoto struct {
	ID        uuid.UUID `json:"id"`
	Tipe      string    `json:"tipe" enum:"image/jpeg,image/png,image/webp" doc:"The type sniffed from the content."`
	Ukuran    int       `json:"ukuran" doc:"Bytes."`
	CreatedAt time.Time `json:"created_at"`
	produkID  uuid.UUID
}

// FotoTerlaluBesar is the refusal of a photo over MaxFotoBytes.
func FotoTerlaluBesar(field string) error {
	return apperr.InvalidField(field, nil, apperr.T("Ukuran foto maksimal 2 MB.", "A photo is at most 2 MB."))
}

// ReadFoto reads a photo from r, refusing it (as field) once more than
// MaxFotoBytes arrive: an oversized upload is never read whole.
func ReadFoto(r io.Reader, field string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFotoBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read foto: %w", err)
	}
	if len(b) > MaxFotoBytes {
		return nil, FotoTerlaluBesar(field)
	}
	return b, nil
}

// SniffFoto answers the type of b by its content, refusing (as field) what
// is not a JPEG, PNG or WebP image, and a declared type (the client's
// Content-Type; empty or application/octet-stream: none) that disagrees
// with the content. The file's name is never consulted.
func SniffFoto(b []byte, declared, field string) (string, error) {
	if len(b) == 0 {
		return "", apperr.InvalidField(field, nil, apperr.T("Foto kosong.", "The photo is empty."))
	}
	if len(b) > MaxFotoBytes {
		return "", FotoTerlaluBesar(field)
	}
	tipe := http.DetectContentType(b)
	if !slices.Contains(FotoTypes, tipe) || !wholeImage(tipe, b) {
		return "", apperr.InvalidField(field, nil, apperr.T("Berkas bukan gambar JPEG, PNG, atau WebP.", "The file is not a JPEG, PNG or WebP image."))
	}
	if declared != "" {
		mt, _, err := mime.ParseMediaType(declared)
		if err != nil {
			mt = declared
		}
		if mt == "image/jpg" || mt == "image/pjpeg" {
			mt = "image/jpeg"
		}
		if mt != "application/octet-stream" && mt != tipe {
			return "", apperr.InvalidField(field, declared, apperr.T(
				fmt.Sprintf("Jenis berkas yang disebut (%s) tidak sesuai dengan isinya (%s).", mt, tipe),
				fmt.Sprintf("The declared type (%s) does not match the content (%s).", mt, tipe)))
		}
	}
	return tipe, nil
}

// wholeImage checks a little beyond the signature: a PNG's first chunk is
// its header (IHDR), a JPEG's second marker follows at once. Trailing data
// some phones append after a JPEG is kept: refusing it would refuse real
// photos.
func wholeImage(tipe string, b []byte) bool {
	switch tipe {
	case "image/jpeg":
		return len(b) >= 4 && b[3] >= 0xC0
	case "image/png":
		return len(b) >= 33 && string(b[12:16]) == "IHDR"
	case "image/webp":
		return len(b) >= 16
	}
	return false
}

func fotoListTx(ctx context.Context, tx pgx.Tx, produkIDs []uuid.UUID) ([]ProdukFoto, error) {
	rows, err := tx.Query(ctx, `select id, tipe, ukuran, created_at, produk_id from produk_foto where produk_id = any($1) order by id`, produkIDs)
	if err != nil {
		return nil, fmt.Errorf("list foto: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProdukFoto, error) {
		var f ProdukFoto
		err := r.Scan(&f.ID, &f.Tipe, &f.Ukuran, &f.CreatedAt, &f.produkID)
		return f, err
	})
	if out == nil {
		out = []ProdukFoto{}
	}
	return out, err
}

// AddFoto stores photo b of product produkID after checking it by content
// (SniffFoto; field names the upload for the error).
func (s *Service) AddFoto(ctx context.Context, t *tenancy.Tenant, produkID uuid.UUID, b []byte, declared, field string, v View) (ProdukFoto, error) {
	tipe, err := SniffFoto(b, declared, field)
	if err != nil {
		return ProdukFoto{}, err
	}
	var f ProdukFoto
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		p, err := lockProduk(ctx, tx, t, produkID, 0, v)
		if err != nil {
			return err
		}
		if len(p.Foto) >= MaxFotoPerProduk {
			return apperr.InvalidField(field, nil, apperr.T(fmt.Sprintf("Satu produk paling banyak %d foto; hapus yang lama dulu.", MaxFotoPerProduk),
				fmt.Sprintf("A product has at most %d photos; delete an old one first.", MaxFotoPerProduk)))
		}
		f = ProdukFoto{ID: uuid.Must(uuid.NewV7()), Tipe: tipe, Ukuran: len(b), CreatedAt: s.Now(), produkID: produkID}
		if _, err := tx.Exec(ctx, `insert into produk_foto (tenant_id, id, produk_id, tipe, ukuran, isi, created_at) values ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, f.ID, produkID, tipe, len(b), b, f.CreatedAt); err != nil {
			return fmt.Errorf("insert foto: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "produk_foto", EntityID: f.ID.String(), After: f})
	})
	return f, err
}

// Foto returns a photo's type and bytes, only to those who may read its
// product.
func (s *Service) Foto(ctx context.Context, t *tenancy.Tenant, produkID, fotoID uuid.UUID, v View) (string, []byte, error) {
	var (
		tipe string
		b    []byte
	)
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		return db.MapError(tx.QueryRow(ctx, `select f.tipe, f.isi from produk_foto f join produk p on p.tenant_id = f.tenant_id and p.id = f.produk_id
			join umkm u on u.tenant_id = p.tenant_id and u.id = p.umkm_id where`+umkmScope+` and f.produk_id = $2 and f.id = $3`,
			v.arg(), produkID, fotoID).Scan(&tipe, &b))
	})
	return tipe, b, err
}

// DeleteFoto removes a photo.
func (s *Service) DeleteFoto(ctx context.Context, t *tenancy.Tenant, produkID, fotoID uuid.UUID, v View) error {
	return s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := lockProduk(ctx, tx, t, produkID, 0, v); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `delete from produk_foto where produk_id = $1 and id = $2`, produkID, fotoID)
		if err != nil {
			return fmt.Errorf("delete foto: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.NotFound()
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "delete", Entity: "produk_foto", EntityID: fotoID.String()})
	})
}
