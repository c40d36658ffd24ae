package pemasaran

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Kurasi is a product's application to a point, the decision taken and
// the listing that follows.
type Kurasi struct {
	ID             uuid.UUID     `json:"id"`
	TitikID        uuid.UUID     `json:"titik_id"`
	TitikNama      string        `json:"titik_nama"`
	UMKMID         uuid.UUID     `json:"umkm_id"`
	NamaUsaha      string        `json:"nama_usaha"`
	ProdukID       uuid.UUID     `json:"produk_id"`
	ProdukNama     string        `json:"produk_nama"`
	Status         string        `json:"status" enum:"diterima,ditolak,dirujuk_legalitas,tampil,selesai"`
	AturanKategori string        `json:"aturan_kategori" doc:"The product category the gate's rules were taken for."`
	AturanVersi    int           `json:"aturan_versi" doc:"The version of that category's rules used."`
	TanggalPutusan string        `json:"tanggal_putusan" format:"date"`
	Gagal          []KurasiGagal `json:"gagal" nullable:"false" doc:"Each requirement the business did not meet."`
	Alasan         *string       `json:"alasan,omitempty" doc:"Why it was rejected."`
	KendalaID      *uuid.UUID    `json:"kendala_id,omitempty" doc:"The legalitas constraint opened on the business (dirujuk_legalitas)."`
	TampilMulai    *string       `json:"tampil_mulai,omitempty" format:"date"`
	TampilSelesai  *string       `json:"tampil_selesai,omitempty" format:"date"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	Version        int64         `json:"-"`
}

// KurasiInput applies a product to a point with the curator's decision;
// the gate may turn an acceptance into a referral.
type KurasiInput struct {
	ProdukID  uuid.UUID `json:"produk_id"`
	Keputusan string    `json:"keputusan" enum:"diterima,ditolak" doc:"The curator's decision on the product itself; diterima becomes dirujuk_legalitas when the legality gate fails."`
	Alasan    *string   `json:"alasan,omitempty" maxLength:"1000" doc:"Required for ditolak."`
}

// KurasiLangkah moves a listing: tampil (on display from tanggal) or
// selesai (rotated out on tanggal).
type KurasiLangkah struct {
	Status  string  `json:"status" enum:"tampil,selesai"`
	Tanggal *string `json:"tanggal,omitempty" format:"date" doc:"Absent: today in the office's time zone."`
}

const kurasiCols = `k.id, k.titik_id, t.nama, k.umkm_id, u.nama_usaha, k.produk_id, p.nama, k.status, k.aturan_kategori, k.aturan_versi,
	k.tanggal_putusan, k.gagal, k.alasan, k.kendala_id, k.tampil_mulai, k.tampil_selesai, k.created_at, k.updated_at, k.version`

const kurasiFrom = ` from titik_kurasi k join titik t on t.tenant_id = k.tenant_id and t.id = k.titik_id
	join produk p on p.tenant_id = k.tenant_id and p.id = k.produk_id
	join umkm u on u.tenant_id = k.tenant_id and u.id = k.umkm_id`

func scanKurasi(row pgx.Row) (Kurasi, error) {
	var (
		k            Kurasi
		putusan      time.Time
		mulai, akhir *time.Time
		gagal        []byte
	)
	if err := row.Scan(&k.ID, &k.TitikID, &k.TitikNama, &k.UMKMID, &k.NamaUsaha, &k.ProdukID, &k.ProdukNama, &k.Status, &k.AturanKategori,
		&k.AturanVersi, &putusan, &gagal, &k.Alasan, &k.KendalaID, &mulai, &akhir, &k.CreatedAt, &k.UpdatedAt, &k.Version); err != nil {
		return Kurasi{}, err
	}
	k.TanggalPutusan = putusan.Format(time.DateOnly)
	k.TampilMulai, k.TampilSelesai = dayPtr(mulai), dayPtr(akhir)
	if err := json.Unmarshal(gagal, &k.Gagal); err != nil {
		return Kurasi{}, fmt.Errorf("kurasi %s gagal: %w", k.ID, err)
	}
	return k, nil
}

func dayPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func getKurasiTx(ctx context.Context, tx pgx.Tx, titikID, id uuid.UUID, forUpdate bool) (Kurasi, error) {
	sql := "select " + kurasiCols + kurasiFrom + " where k.titik_id = $1 and k.id = $2"
	if forUpdate {
		sql += " for update of k"
	}
	k, err := scanKurasi(tx.QueryRow(ctx, sql, titikID, id))
	return k, db.MapError(err)
}

// Kurasikan applies a product to point titikID: the legality gate runs on
// the office's today with the rule version then in force, and the decision
// records that version and every failing requirement. A failed gate turns
// an acceptance into a referral, with a legalitas constraint on the
// business for the desk, in the same transaction.
func (s *Service) KurasikanTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID uuid.UUID, in KurasiInput, v View) (Kurasi, error) {
	f := &fieldErrs{prefix: "body"}
	if in.ProdukID == uuid.Nil {
		f.add("produk_id", nil, wajib)
	}
	f.oneOf("keputusan", in.Keputusan, []string{StatusDiterima, StatusDitolak})
	in.Alasan = f.text("alasan", in.Alasan, 1000, in.Keputusan == StatusDitolak)
	if err := f.err(apperr.T("Data kurasi tidak valid. Periksa isian yang disebutkan.", "Invalid curation. Check the fields listed.")); err != nil {
		return Kurasi{}, err
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return Kurasi{}, err
	}
	titik, err := lockTitik(ctx, tx, t, titikID, 0, v)
	if err != nil {
		return Kurasi{}, err
	}
	if titik.Status == "ditutup" {
		return Kurasi{}, apperr.Conflict(apperr.T("Titik pemasaran sudah ditutup.", "The marketing point is closed."), TitikPath(t.Slug, titikID))
	}
	p, err := getProdukTx(ctx, tx, in.ProdukID, v, true)
	if apperr.KindOf(err) == apperr.KindNotFound {
		return Kurasi{}, apperr.InvalidField("body.produk_id", in.ProdukID, apperr.T("Produk tidak ditemukan di kantor ini.", "No such product in this office."))
	}
	if err != nil {
		return Kurasi{}, err
	}
	if p.ArchivedAt != nil || p.umkmArchived {
		return Kurasi{}, apperr.InvalidField("body.produk_id", in.ProdukID, apperr.T("Produk atau UMKM-nya sudah diarsipkan.", "The product or its business is archived."))
	}
	var open uuid.UUID
	err = tx.QueryRow(ctx, `select id from titik_kurasi where titik_id = $1 and produk_id = $2 and status in ('diterima', 'tampil')`, titikID, p.ID).Scan(&open)
	if err == nil {
		return Kurasi{}, apperr.Conflict(apperr.T("Produk ini sudah diterima atau tampil di titik ini.", "This product is already accepted or on display here."),
			KurasiPath(t.Slug, titikID, open))
	} else if err != pgx.ErrNoRows {
		return Kurasi{}, fmt.Errorf("open kurasi: %w", err)
	}
	g, err := gerbangTx(ctx, tx, p.Kategori, p.UMKMID, today)
	if err != nil {
		return Kurasi{}, err
	}
	status := in.Keputusan
	var kendala *uuid.UUID
	if status == StatusDiterima && !g.Lolos() {
		if s.Rujuk == nil {
			return Kurasi{}, fmt.Errorf("pemasaran: no Rujuk: refusing a referral without its task")
		}
		status = StatusDirujuk
		var alasan []string
		for _, x := range g.Gagal {
			alasan = append(alasan, x.Alasan)
		}
		catatan := fmt.Sprintf("Kurasi produk %q untuk %s: %s", p.Nama, titik.Nama, strings.Join(alasan, " "))
		if r := []rune(catatan); len(r) > 1000 {
			catatan = string(r[:999]) + "…"
		}
		id, err := s.Rujuk(ctx, tx, t, p.UMKMID, catatan)
		if err != nil {
			return Kurasi{}, err
		}
		kendala = &id
	}
	gagal, _ := json.Marshal(g.Gagal)
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into titik_kurasi (tenant_id, id, titik_id, umkm_id, produk_id, status, aturan_kategori, aturan_versi,
			tanggal_putusan, gagal, alasan, kendala_id, diputuskan_oleh, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
		t.ID, id, titikID, p.UMKMID, p.ID, status, g.Kategori, g.Versi, today, gagal, in.Alasan, kendala, actor(ctx), s.Now()); err != nil {
		return Kurasi{}, db.MapError(fmt.Errorf("insert kurasi: %w", err))
	}
	k, err := getKurasiTx(ctx, tx, titikID, id, false)
	if err != nil {
		return Kurasi{}, err
	}
	return k, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "kurasi", EntityID: id.String(), After: k})
}

// Langkah moves a listing on: diterima → tampil → selesai, with its dates
// (not before the decision, not after today), if version is current.
func (s *Service) Langkah(ctx context.Context, t *tenancy.Tenant, titikID, id uuid.UUID, version int64, in KurasiLangkah, v View) (Kurasi, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return Kurasi{}, err
	}
	f := &fieldErrs{prefix: "body"}
	f.oneOf("status", in.Status, []string{StatusTampil, StatusSelesai})
	day := today
	if in.Tanggal != nil && strings.TrimSpace(*in.Tanggal) != "" {
		day, _ = f.day("tanggal", *in.Tanggal)
	}
	if err := f.err(apperr.T("Langkah kurasi tidak valid.", "Invalid listing step.")); err != nil {
		return Kurasi{}, err
	}
	var k Kurasi
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := getTitikTx(ctx, tx, titikID, v, false); err != nil {
			return err
		}
		before, err := getKurasiTx(ctx, tx, titikID, id, true)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return apperr.PreconditionFailed()
		}
		from := map[string]string{StatusTampil: StatusDiterima, StatusSelesai: StatusTampil}[in.Status]
		if before.Status != from {
			return apperr.InvalidField("body.status", in.Status, apperr.T(
				fmt.Sprintf("Hanya kurasi berstatus %s yang bisa menjadi %s (sekarang %s).", KurasiLabel[from], KurasiLabel[in.Status], KurasiLabel[before.Status]),
				fmt.Sprintf("Only a %s listing can become %s (it is %s).", from, in.Status, before.Status)))
		}
		lower := before.TanggalPutusan
		if in.Status == StatusSelesai {
			lower = *before.TampilMulai
		}
		ds := day.Format(time.DateOnly)
		switch {
		case ds < lower:
			return apperr.InvalidField("body.tanggal", ds, apperr.T("Tanggal tidak boleh sebelum "+lower+".", "The date cannot be before "+lower+"."))
		case day.After(today):
			return apperr.InvalidField("body.tanggal", ds, apperr.T("Tanggal tidak boleh setelah hari ini.", "The date cannot be after today."))
		}
		col := "tampil_mulai"
		if in.Status == StatusSelesai {
			col = "tampil_selesai"
		}
		if _, err := tx.Exec(ctx, `update titik_kurasi set status = $2, `+col+` = $3, version = version + 1, updated_at = $4 where id = $1`,
			id, in.Status, day, s.Now()); err != nil {
			return db.MapError(fmt.Errorf("langkah kurasi: %w", err))
		}
		if k, err = getKurasiTx(ctx, tx, titikID, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "update", Entity: "kurasi", EntityID: id.String(), Before: before, After: k})
	})
	return k, err
}

// GetKurasi returns one curation of a point in v's reach.
func (s *Service) GetKurasi(ctx context.Context, t *tenancy.Tenant, titikID, id uuid.UUID, v View) (Kurasi, error) {
	var k Kurasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := getTitikTx(ctx, tx, titikID, v, false); err != nil {
			return err
		}
		var err error
		k, err = getKurasiTx(ctx, tx, titikID, id, false)
		return err
	})
	return k, err
}

// ListKurasi returns a point's curations, newest first (at most 500:
// a point shows tens of products), optionally of one status.
func (s *Service) ListKurasi(ctx context.Context, t *tenancy.Tenant, titikID uuid.UUID, status string, v View) ([]Kurasi, error) {
	if status != "" {
		f := &fieldErrs{prefix: "query"}
		f.oneOf("status", status, AllKurasi)
		if err := f.err(apperr.T("Filter tidak valid.", "Invalid filter.")); err != nil {
			return nil, err
		}
	}
	var out []Kurasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if _, err := getTitikTx(ctx, tx, titikID, v, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "select "+kurasiCols+kurasiFrom+` where k.titik_id = $1 and ($2 = '' or k.status = $2) order by k.id desc limit 500`, titikID, status)
		if err != nil {
			return fmt.Errorf("list kurasi: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Kurasi, error) { return scanKurasi(r) })
		return err
	})
	return out, err
}

// KurasiProduk returns a product's curations at every point, newest first.
func (s *Service) KurasiProduk(ctx context.Context, t *tenancy.Tenant, produkID uuid.UUID, v View) ([]Kurasi, error) {
	var out []Kurasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "select "+kurasiCols+kurasiFrom+" where"+umkmScope+" and k.produk_id = $2 order by k.id desc limit 500", v.arg(), produkID)
		if err != nil {
			return fmt.Errorf("kurasi produk: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Kurasi, error) { return scanKurasi(r) })
		return err
	})
	return out, err
}

// KurasiPath is where a curation lives in the API.
func KurasiPath(tenantSlug string, titikID, id uuid.UUID) string {
	return TitikPath(tenantSlug, titikID) + "/kurasi/" + id.String()
}
