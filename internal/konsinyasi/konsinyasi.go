// Package konsinyasi is the consignment (titip jual) ledger of a listing at
// a marketing point (point × business × product): goods received, sales
// reported per period, returns, expired stock and its compensation, stock
// opname, the commission per the terms and the settlement to the business.
// DOMAIN.md "Marketing points, consignment and partnerships". Every movement
// locks the ledger's head row, so the balance
//
//	diterima = terjual + dikembalikan + kedaluwarsa + di_tangan − selisih
//
// holds under concurrent reports and the stock on hand never goes negative
// (the schema refuses it too). The listings and points are pemasaran's; this
// package reads their tables, not their package.
package konsinyasi

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the consignment ledgers of an office.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// Tenggang is the grace in days after a period ends before its missing
	// report is overdue (0: DefaultTenggang).
	Tenggang int
}

// DefaultTenggang: five days to hand in a period's sales report.
const DefaultTenggang = 5

// OpnameBasi: stock not counted for this many days is unreconciled.
const OpnameBasi = 90

// Konsinyasi is one listing's ledger with its totals.
type Konsinyasi struct {
	KurasiID       uuid.UUID `json:"kurasi_id"`
	TitikID        uuid.UUID `json:"titik_id"`
	UMKMID         uuid.UUID `json:"umkm_id"`
	NamaUsaha      string    `json:"nama_usaha"`
	ProdukID       uuid.UUID `json:"produk_id"`
	ProdukNama     string    `json:"produk_nama"`
	KurasiStatus   string    `json:"kurasi_status"`
	KomisiBP       *int      `json:"komisi_bp,omitempty" doc:"Commission in basis points of gross (1000 = 10%)."`
	BiayaBulanan   *int64    `json:"biaya_bulanan,omitempty" doc:"Fixed monthly fee in rupiah, charged on the first report ending in a month (at most that report's gross)."`
	Diterima       int64     `json:"diterima"`
	Terjual        int64     `json:"terjual"`
	Dikembalikan   int64     `json:"dikembalikan"`
	Kedaluwarsa    int64     `json:"kedaluwarsa"`
	Selisih        int64     `json:"selisih" doc:"Sum of opname variances (counted − expected); negative is stock lost."`
	DiTangan       int64     `json:"di_tangan" doc:"On hand: diterima − terjual − dikembalikan − kedaluwarsa + selisih."`
	Bruto          int64     `json:"bruto" doc:"Gross sales, rupiah."`
	Komisi         int64     `json:"komisi" doc:"Commission or fee, rupiah."`
	Kompensasi     int64     `json:"kompensasi" doc:"Compensation for expired stock, rupiah."`
	Dibayar        int64     `json:"dibayar" doc:"Settled to the business, rupiah."`
	Terutang       int64     `json:"terutang" doc:"Owed to the business: bruto − komisi + kompensasi − dibayar."`
	LaporSampai    *string   `json:"lapor_sampai,omitempty" format:"date" doc:"End of the last reported sales period."`
	TutupSampai    *string   `json:"tutup_sampai,omitempty" format:"date" doc:"Periods up to this day are closed by a settlement."`
	OpnameTerakhir *string   `json:"opname_terakhir,omitempty" format:"date"`
	SelisihTerbuka bool      `json:"selisih_terbuka" doc:"The last opname found a variance nobody explained."`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int64     `json:"-"`
}

// KonsinyasiGerak is one movement of a ledger.
type KonsinyasiGerak struct {
	ID                 uuid.UUID `json:"id"`
	Jenis              string    `json:"jenis" enum:"terima,jual,retur,kedaluwarsa,opname"`
	Tanggal            string    `json:"tanggal" format:"date"`
	Jumlah             int64     `json:"jumlah" doc:"Quantity; for opname the variance (counted − expected)."`
	Batch              *string   `json:"batch,omitempty"`
	TanggalKedaluwarsa *string   `json:"tanggal_kedaluwarsa,omitempty" format:"date"`
	PeriodeMulai       *string   `json:"periode_mulai,omitempty" format:"date"`
	PeriodeSelesai     *string   `json:"periode_selesai,omitempty" format:"date"`
	Bruto              *int64    `json:"bruto,omitempty"`
	Komisi             *int64    `json:"komisi,omitempty"`
	Sumber             *string   `json:"sumber,omitempty" enum:"mandiri,verifikasi"`
	Kompensasi         *int64    `json:"kompensasi,omitempty"`
	Dihitung           *int64    `json:"dihitung,omitempty"`
	Keterangan         *string   `json:"keterangan,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
}

// KonsinyasiBayar is a settlement to the business.
type KonsinyasiBayar struct {
	ID          uuid.UUID `json:"id"`
	Jumlah      int64     `json:"jumlah"`
	Tanggal     string    `json:"tanggal" format:"date"`
	NomorBukti  string    `json:"nomor_bukti"`
	TutupSampai *string   `json:"tutup_sampai,omitempty" format:"date"`
	Keterangan  *string   `json:"keterangan,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// KonsinyasiRinci is a ledger with its movements and settlements.
type KonsinyasiRinci struct {
	Konsinyasi
	Gerak []KonsinyasiGerak `json:"gerak" nullable:"false"`
	Bayar []KonsinyasiBayar `json:"bayar" nullable:"false"`
}

// fieldErrs collects field problems under body.
type fieldErrs struct{ list []apperr.Field }

func (f *fieldErrs) add(field string, value any, msg apperr.Text) {
	f.list = append(f.list, apperr.Field{Location: "body." + field, Value: value, Message: msg})
}

func (f *fieldErrs) err() error {
	if len(f.list) == 0 {
		return nil
	}
	return apperr.Invalid(apperr.T("Data konsinyasi tidak valid. Periksa isian yang disebutkan.", "Invalid consignment entry. Check the fields listed."), f.list...)
}

var wajib = apperr.T("Wajib diisi.", "Required.")

func (f *fieldErrs) text(name string, v *string, maxLen int, required bool) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			f.add(name, nil, wajib)
		}
		return nil
	}
	s := strings.TrimSpace(*v)
	if m := spreadsheet.TextProblem(s, maxLen); m != nil {
		f.add(name, nil, *m)
	}
	return &s
}

// day parses an optional YYYY-MM-DD; absent is def.
func (f *fieldErrs) day(name string, v *string, def time.Time, required bool) time.Time {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			f.add(name, nil, wajib)
		}
		return def
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(*v))
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.add(name, *v, apperr.T("Tanggal harus YYYY-MM-DD (tahun 2000–2100).", "Dates are YYYY-MM-DD (years 2000–2100)."))
		return def
	}
	return d
}

// notAfter refuses a day after today.
func (f *fieldErrs) notAfter(name string, d, today time.Time) {
	if d.After(today) {
		f.add(name, d.Format(time.DateOnly), apperr.T("Tanggal tidak boleh setelah hari ini.", "The date cannot be after today."))
	}
}

const maxJumlah = 1_000_000_000

func (f *fieldErrs) jumlah(name string, v int64, min int64) {
	if v < min || v > maxJumlah {
		f.add(name, v, apperr.T(fmt.Sprintf("Harus bilangan bulat %d–%d.", min, int64(maxJumlah)), fmt.Sprintf("Must be a whole number %d–%d.", min, int64(maxJumlah))))
	}
}

func actor(ctx context.Context) *uuid.UUID {
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		return &p.UserID
	}
	return nil
}

func dayPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// Path is the API path of a listing's ledger.
func Path(tenantSlug string, titikID, kurasiID uuid.UUID) string {
	return fmt.Sprintf("/v1/tenants/%s/pemasaran/titik/%s/kurasi/%s/konsinyasi", tenantSlug, titikID, kurasiID)
}

const headCols = `k.kurasi_id, k.titik_id, c.umkm_id, u.nama_usaha, c.produk_id, p.nama, c.status, k.komisi_bp, k.biaya_bulanan,
	k.diterima, k.terjual, k.dikembalikan, k.kedaluwarsa, k.selisih, k.bruto, k.komisi, k.kompensasi, k.dibayar,
	k.lapor_sampai, k.tutup_sampai, k.opname_terakhir, k.selisih_terbuka, k.updated_at, k.version`

const headFrom = ` from konsinyasi k join titik_kurasi c on c.tenant_id = k.tenant_id and c.id = k.kurasi_id
	join produk p on p.tenant_id = c.tenant_id and p.id = c.produk_id
	join umkm u on u.tenant_id = c.tenant_id and u.id = c.umkm_id`

func scanHead(row pgx.Row) (Konsinyasi, error) {
	var (
		k                    Konsinyasi
		lapor, tutup, opname *time.Time
	)
	if err := row.Scan(&k.KurasiID, &k.TitikID, &k.UMKMID, &k.NamaUsaha, &k.ProdukID, &k.ProdukNama, &k.KurasiStatus, &k.KomisiBP, &k.BiayaBulanan,
		&k.Diterima, &k.Terjual, &k.Dikembalikan, &k.Kedaluwarsa, &k.Selisih, &k.Bruto, &k.Komisi, &k.Kompensasi, &k.Dibayar,
		&lapor, &tutup, &opname, &k.SelisihTerbuka, &k.UpdatedAt, &k.Version); err != nil {
		return Konsinyasi{}, err
	}
	k.DiTangan = k.Diterima - k.Terjual - k.Dikembalikan - k.Kedaluwarsa + k.Selisih
	k.Terutang = k.Bruto - k.Komisi + k.Kompensasi - k.Dibayar
	k.LaporSampai, k.TutupSampai, k.OpnameTerakhir = dayPtr(lapor), dayPtr(tutup), dayPtr(opname)
	return k, nil
}

func getHeadTx(ctx context.Context, tx pgx.Tx, titikID, kurasiID uuid.UUID) (Konsinyasi, error) {
	k, err := scanHead(tx.QueryRow(ctx, "select "+headCols+headFrom+" where k.titik_id = $1 and k.kurasi_id = $2", titikID, kurasiID))
	return k, db.MapError(err)
}

// Get is a listing's ledger with its movements and settlements, newest
// first.
func (s *Service) Get(ctx context.Context, t *tenancy.Tenant, titikID, kurasiID uuid.UUID) (KonsinyasiRinci, error) {
	var r KonsinyasiRinci
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		if r.Konsinyasi, err = getHeadTx(ctx, tx, titikID, kurasiID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select id, jenis, tanggal, jumlah, batch, tanggal_kedaluwarsa, periode_mulai, periode_selesai, bruto, komisi,
				sumber, kompensasi, dihitung, keterangan, created_at
			from konsinyasi_gerak where kurasi_id = $1 order by tanggal desc, id desc`, kurasiID)
		if err != nil {
			return fmt.Errorf("gerak: %w", err)
		}
		r.Gerak, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (KonsinyasiGerak, error) {
			var (
				g             KonsinyasiGerak
				tgl           time.Time
				exp, mul, sel *time.Time
			)
			err := row.Scan(&g.ID, &g.Jenis, &tgl, &g.Jumlah, &g.Batch, &exp, &mul, &sel, &g.Bruto, &g.Komisi, &g.Sumber, &g.Kompensasi,
				&g.Dihitung, &g.Keterangan, &g.CreatedAt)
			g.Tanggal = tgl.Format(time.DateOnly)
			g.TanggalKedaluwarsa, g.PeriodeMulai, g.PeriodeSelesai = dayPtr(exp), dayPtr(mul), dayPtr(sel)
			return g, err
		})
		if err != nil {
			return fmt.Errorf("gerak: %w", err)
		}
		rows, err = tx.Query(ctx, `select id, jumlah, tanggal, nomor_bukti, tutup_sampai, keterangan, created_at
			from konsinyasi_bayar where kurasi_id = $1 order by tanggal desc, id desc`, kurasiID)
		if err != nil {
			return fmt.Errorf("bayar: %w", err)
		}
		r.Bayar, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (KonsinyasiBayar, error) {
			var (
				b     KonsinyasiBayar
				tgl   time.Time
				tutup *time.Time
			)
			err := row.Scan(&b.ID, &b.Jumlah, &tgl, &b.NomorBukti, &tutup, &b.Keterangan, &b.CreatedAt)
			b.Tanggal, b.TutupSampai = tgl.Format(time.DateOnly), dayPtr(tutup)
			return b, err
		})
		if err != nil {
			return fmt.Errorf("bayar: %w", err)
		}
		return nil
	})
	if r.Gerak == nil {
		r.Gerak = []KonsinyasiGerak{}
	}
	if r.Bayar == nil {
		r.Bayar = []KonsinyasiBayar{}
	}
	return r, err
}

// Stok is a point's ledgers at a glance, one per listing, by product name.
func (s *Service) Stok(ctx context.Context, t *tenancy.Tenant, titikID uuid.UUID) ([]Konsinyasi, error) {
	var out []Konsinyasi
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "select count(*) from titik where id = $1", titikID).Scan(&n); err != nil {
			return fmt.Errorf("titik: %w", err)
		}
		if n == 0 {
			return apperr.NotFound()
		}
		rows, err := tx.Query(ctx, "select "+headCols+headFrom+" where k.titik_id = $1 order by p.nama, k.kurasi_id", titikID)
		if err != nil {
			return fmt.Errorf("stok: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Konsinyasi, error) { return scanHead(row) })
		return err
	})
	if out == nil {
		out = []Konsinyasi{}
	}
	return out, err
}

// record writes the audit entry of a ledger change.
func record(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, action string, before *Konsinyasi, after Konsinyasi, detail any) error {
	var b any
	if before != nil {
		b = *before
	}
	return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: action, Entity: "konsinyasi", EntityID: after.KurasiID.String(),
		Before: b, After: map[string]any{"saldo": after, "catatan": detail}})
}
