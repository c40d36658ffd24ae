package pemasaran

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/format"
)

// Syarat is one requirement of a rule version: a document of the
// register's kinds, for the business sizes listed (none: every size).
type Syarat struct {
	Dokumen string   `json:"dokumen"`
	Skala   []string `json:"skala,omitempty"`
}

// KurasiGagal is a requirement the business did not meet, and why.
type KurasiGagal struct {
	Dokumen string `json:"dokumen" doc:"nib, pirt, bpom_md, slhs, halal, ..."`
	Alasan  string `json:"alasan" doc:"Why, in Indonesian."`
}

// Gerbang is the legality gate's answer for a product category and a
// business on a day.
type Gerbang struct {
	Kategori string
	Versi    int
	Gagal    []KurasiGagal
}

// Lolos reports whether every requirement was met.
func (g Gerbang) Lolos() bool { return len(g.Gagal) == 0 }

// dokumen is a legal document as the register keeps it (umkm.legalitas).
type dokumen struct {
	Jenis         string     `json:"jenis"`
	Status        string     `json:"status"`
	BerlakuSampai *time.Time `json:"berlaku_sampai"`
}

// gerbangTx checks business umkmID against the rule version of kategori in
// force on day: each required document must be issued and, if it expires,
// valid on that day. A business of unknown size is held to every size's
// requirements.
func gerbangTx(ctx context.Context, tx pgx.Tx, kategori string, umkmID uuid.UUID, day time.Time) (Gerbang, error) {
	g := Gerbang{Kategori: kategori, Gagal: []KurasiGagal{}}
	var raw []byte
	err := tx.QueryRow(ctx, `select versi, syarat from produk_aturan where kategori = $1 and berlaku_mulai <= $2
		order by berlaku_mulai desc limit 1`, kategori, day).Scan(&g.Versi, &raw)
	if err == pgx.ErrNoRows {
		return Gerbang{}, apperr.InvalidField("body.produk_id", nil, apperr.T("Belum ada aturan kurasi untuk kategori produk ini pada tanggal itu.",
			"No curation rule for this product category on that day."))
	}
	if err != nil {
		return Gerbang{}, fmt.Errorf("aturan %s: %w", kategori, err)
	}
	var syarat []Syarat
	if err := json.Unmarshal(raw, &syarat); err != nil {
		return Gerbang{}, fmt.Errorf("aturan %s v%d: %w", kategori, g.Versi, err)
	}
	var (
		skala *string
		nib   *string
		legal []byte
	)
	if err := tx.QueryRow(ctx, `select coalesce(skala_hitung, skala_dilaporkan), nib, legalitas from umkm where id = $1`, umkmID).
		Scan(&skala, &nib, &legal); err != nil {
		return Gerbang{}, db.MapError(err)
	}
	var docs []dokumen
	if err := json.Unmarshal(legal, &docs); err != nil {
		return Gerbang{}, fmt.Errorf("umkm %s legalitas: %w", umkmID, err)
	}
	for _, s := range syarat {
		if len(s.Skala) > 0 && skala != nil && !slices.Contains(s.Skala, *skala) {
			continue
		}
		if alasan := cekDokumen(s.Dokumen, docs, nib, day); alasan != "" {
			g.Gagal = append(g.Gagal, KurasiGagal{Dokumen: s.Dokumen, Alasan: alasan})
		}
	}
	return g, nil
}

// cekDokumen answers why document kind is not valid on day ("" when it is).
func cekDokumen(kind string, docs []dokumen, nib *string, day time.Time) string {
	label := DokumenLabel[kind]
	if label == "" {
		label = kind
	}
	i := slices.IndexFunc(docs, func(d dokumen) bool { return d.Jenis == kind })
	if i < 0 {
		if kind == "nib" && nib != nil { // the NIB number on the record is the document
			return ""
		}
		return label + " belum tercatat."
	}
	d := docs[i]
	switch {
	case d.Status == "dalam_proses":
		return label + " masih dalam proses."
	case d.Status != "terbit":
		return label + " belum terbit."
	case d.BerlakuSampai != nil && d.BerlakuSampai.Before(day):
		return label + " sudah kedaluwarsa (berlaku sampai " + format.Tanggal(*d.BerlakuSampai, time.UTC) + ")."
	}
	return ""
}

// KategoriProduk is a product category with the versions of its gate rules.
type KategoriProduk struct {
	Kode   string          `json:"kode"`
	Nama   string          `json:"nama"`
	Pangan bool            `json:"pangan" doc:"Food: the food documents and halal apply."`
	Aturan []AturanGerbang `json:"aturan" nullable:"false" doc:"Rule versions, oldest first; a decision uses the newest in force on its day."`
}

// AturanGerbang is one version of a category's gate rules.
type AturanGerbang struct {
	Versi        int      `json:"versi"`
	BerlakuMulai string   `json:"berlaku_mulai" format:"date"`
	Syarat       []Syarat `json:"syarat" nullable:"false"`
	Dasar        string   `json:"dasar" doc:"The regulation it follows."`
}

// ListKategori returns the product categories and their rule versions.
func (s *Service) ListKategori(ctx context.Context) ([]KategoriProduk, error) {
	var out []KategoriProduk
	err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select k.kode, k.nama, k.pangan, a.versi, a.berlaku_mulai, a.syarat, a.dasar
			from produk_kategori k join produk_aturan a on a.kategori = k.kode order by k.urut, a.versi`)
		if err != nil {
			return fmt.Errorf("list kategori: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				k   KategoriProduk
				a   AturanGerbang
				day time.Time
				raw []byte
			)
			if err := rows.Scan(&k.Kode, &k.Nama, &k.Pangan, &a.Versi, &day, &raw, &a.Dasar); err != nil {
				return err
			}
			a.BerlakuMulai = day.Format(time.DateOnly)
			if err := json.Unmarshal(raw, &a.Syarat); err != nil {
				return err
			}
			if n := len(out); n == 0 || out[n-1].Kode != k.Kode {
				k.Aturan = []AturanGerbang{}
				out = append(out, k)
			}
			out[len(out)-1].Aturan = append(out[len(out)-1].Aturan, a)
		}
		return rows.Err()
	})
	return out, err
}
