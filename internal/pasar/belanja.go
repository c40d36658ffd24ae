package pasar

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Belanja is a purchase by one of the city's offices (OPD) from a business
// of the register or a cooperative.
type Belanja struct {
	ID            uuid.UUID  `json:"id"`
	OPD           string     `json:"opd" doc:"The buying office."`
	Acara         *string    `json:"acara,omitempty" doc:"The event bought for."`
	Saluran       string     `json:"saluran" doc:"e_katalog_lokal, toko_daring (Toko Daring / Bela Pengadaan), pengadaan_langsung, lainnya."`
	Tanggal       string     `json:"tanggal" format:"date"`
	Nilai         int64      `json:"nilai" doc:"Rupiah."`
	UMKMID        *uuid.UUID `json:"umkm_id,omitempty"`
	KoperasiID    *uuid.UUID `json:"koperasi_id,omitempty"`
	Penjual       string     `json:"penjual" doc:"The business's or cooperative's name."`
	KecamatanKode string     `json:"kecamatan_kode"`
	Catatan       *string    `json:"catatan,omitempty"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	Version       int64      `json:"version"`
}

// BelanjaInput is a purchase as written: exactly one of umkm_id and koperasi_id.
type BelanjaInput struct {
	OPD        string     `json:"opd" maxLength:"200" doc:"The buying office (OPD), as the office names it."`
	Acara      *string    `json:"acara,omitempty" maxLength:"300"`
	Saluran    string     `json:"saluran" enum:"e_katalog_lokal,toko_daring,pengadaan_langsung,lainnya"`
	Tanggal    string     `json:"tanggal" doc:"YYYY-MM-DD, not after today."`
	Nilai      int64      `json:"nilai" doc:"Rupiah; through toko_daring at most 50.000.000."`
	UMKMID     *uuid.UUID `json:"umkm_id,omitempty"`
	KoperasiID *uuid.UUID `json:"koperasi_id,omitempty"`
	Catatan    *string    `json:"catatan,omitempty" maxLength:"1000"`
}

type belanjaRow struct {
	opd            string
	acara, catatan *string
	tanggal        time.Time
}

// nilaiMaks bounds one purchase (Rp10 triliun) so a year's sum stays an
// int64; anggaranMaks bounds a budget.
const (
	nilaiMaks    int64 = 10_000_000_000_000
	anggaranMaks int64 = 1_000_000_000_000_000
)

func validateBelanja(in BelanjaInput, today time.Time) (belanjaRow, error) {
	f := &fieldErrs{prefix: "body"}
	var r belanjaRow
	// One office typed two ways is still one office in the share by OPD
	// (grouped case-insensitively), so runs of spaces are one space.
	if opd := f.text("opd", &in.OPD, 200, true); opd != nil {
		r.opd = strings.Join(strings.Fields(*opd), " ")
	}
	r.acara = f.text("acara", in.Acara, 300, false)
	r.catatan = f.text("catatan", in.Catatan, 1000, false)
	f.oneOf("saluran", in.Saluran, AllSaluran)
	if d := f.day("tanggal", in.Tanggal, today, true); d != nil {
		r.tanggal = *d
	}
	switch {
	case in.Nilai <= 0 || in.Nilai > nilaiMaks:
		f.add("nilai", in.Nilai, apperr.T("Nilai harus lebih dari Rp0.", "The value must be above Rp0."))
	case in.Saluran == "toko_daring" && in.Nilai > BatasTokoDaring:
		f.add("nilai", in.Nilai, apperr.T(
			"Belanja melalui Toko Daring / Bela Pengadaan paling banyak Rp"+format.Angka(BatasTokoDaring)+"; di atas itu gunakan e-Katalog atau pengadaan langsung.",
			"Purchases through Toko Daring / Bela Pengadaan are at most Rp50,000,000; above that use the e-Katalog or direct procurement."))
	}
	switch {
	case (in.UMKMID == nil) == (in.KoperasiID == nil):
		f.add("umkm_id", nil, apperr.T("Pilih satu penjual: UMKM atau koperasi.", "Pick one seller: a business or a cooperative."))
	}
	return r, f.err()
}

const belanjaCols = `b.id, b.opd, b.acara, b.saluran, b.tanggal, b.nilai, b.umkm_id, b.koperasi_id, coalesce(u.nama_usaha, k.nama),
	coalesce(u.kecamatan_kode, k.kecamatan_kode), b.catatan, b.archived_at, b.created_at, b.updated_at, b.version`

const belanjaFrom = ` from belanja_pemerintah b left join umkm u on u.id = b.umkm_id left join koperasi k on k.id = b.koperasi_id`

func scanBelanja(row pgx.Row) (Belanja, error) {
	var x Belanja
	var tanggal time.Time
	err := row.Scan(&x.ID, &x.OPD, &x.Acara, &x.Saluran, &tanggal, &x.Nilai, &x.UMKMID, &x.KoperasiID, &x.Penjual, &x.KecamatanKode,
		&x.Catatan, &x.ArchivedAt, &x.CreatedAt, &x.UpdatedAt, &x.Version)
	x.Tanggal = tanggal.Format(time.DateOnly)
	return x, err
}

func getBelanjaTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, forUpdate bool) (Belanja, error) {
	sql := "select " + belanjaCols + belanjaFrom + " where b.id = $1"
	if forUpdate {
		sql += " for update of b"
	}
	x, err := scanBelanja(tx.QueryRow(ctx, sql, id))
	return x, db.MapError(err)
}

// GetBelanja returns one purchase.
func (s *Service) GetBelanja(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (Belanja, error) {
	var x Belanja
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		x, err = getBelanjaTx(ctx, tx, id, false)
		return err
	})
	return x, err
}

func penjualLive(ctx context.Context, tx pgx.Tx, in BelanjaInput) error {
	if in.UMKMID != nil {
		return usahaInView(ctx, tx, View{}, *in.UMKMID, "body.umkm_id")
	}
	return koperasiInView(ctx, tx, View{}, *in.KoperasiID, "body.koperasi_id")
}

// CreateBelanjaTx records a purchase.
func (s *Service) CreateBelanjaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in BelanjaInput) (Belanja, error) {
	today, err := s.today(t)
	if err != nil {
		return Belanja{}, err
	}
	r, err := validateBelanja(in, today)
	if err != nil {
		return Belanja{}, err
	}
	if err := penjualLive(ctx, tx, in); err != nil {
		return Belanja{}, err
	}
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into belanja_pemerintah (tenant_id, id, opd, acara, saluran, tanggal, nilai, umkm_id, koperasi_id,
			catatan, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
		t.ID, id, r.opd, r.acara, in.Saluran, r.tanggal, in.Nilai, in.UMKMID, in.KoperasiID, r.catatan, s.Now()); err != nil {
		return Belanja{}, db.MapError(fmt.Errorf("insert belanja_pemerintah: %w", err))
	}
	x, err := getBelanjaTx(ctx, tx, id, false)
	if err != nil {
		return Belanja{}, err
	}
	return x, audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "belanja_pemerintah", EntityID: id.String(), After: x})
}

// UpdateBelanja replaces a purchase if version is current; in nil archives it.
func (s *Service) UpdateBelanja(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in *BelanjaInput) (Belanja, error) {
	today, err := s.today(t)
	if err != nil {
		return Belanja{}, err
	}
	var r belanjaRow
	if in != nil {
		if r, err = validateBelanja(*in, today); err != nil {
			return Belanja{}, err
		}
	}
	get := func(tx pgx.Tx, forUpdate bool) (Belanja, error) { return getBelanjaTx(ctx, tx, id, forUpdate) }
	if in == nil {
		return change(ctx, s, t, "belanja_pemerintah", id, version, get, nil)
	}
	return change(ctx, s, t, "belanja_pemerintah", id, version, get, func(tx pgx.Tx, _ Belanja) error {
		if err := penjualLive(ctx, tx, *in); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `update belanja_pemerintah set opd = $2, acara = $3, saluran = $4, tanggal = $5, nilai = $6, umkm_id = $7,
			koperasi_id = $8, catatan = $9, version = version + 1, updated_at = $10 where id = $1`,
			id, r.opd, r.acara, in.Saluran, r.tanggal, in.Nilai, in.UMKMID, in.KoperasiID, r.catatan, s.Now())
		return db.MapError(err)
	})
}

// BelanjaFilter narrows the list of purchases.
type BelanjaFilter struct {
	Tahun   int
	Saluran string
	OPD     string // case-insensitive, whole name
	Limit   int
}

// ListBelanja returns a year's purchases (all years when Tahun is 0),
// latest first, at most Limit (500 by default).
func (s *Service) ListBelanja(ctx context.Context, t *tenancy.Tenant, f BelanjaFilter) ([]Belanja, error) {
	fe := &fieldErrs{prefix: "query"}
	if f.Saluran != "" {
		fe.oneOf("saluran", f.Saluran, AllSaluran)
	}
	if f.Tahun != 0 && (f.Tahun < 2000 || f.Tahun > 2100) {
		fe.add("tahun", f.Tahun, apperr.T("Tahun harus 2000 sampai 2100.", "The year must be 2000 to 2100."))
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	var items []Belanja
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "select "+belanjaCols+belanjaFrom+` where b.archived_at is null
			and ($1::int = 0 or extract(year from b.tanggal) = $1) and ($2 = '' or b.saluran = $2) and ($3 = '' or lower(b.opd) = lower($3))
			order by b.tanggal desc, b.id desc limit $4`, f.Tahun, f.Saluran, f.OPD, f.Limit)
		if err != nil {
			return fmt.Errorf("list belanja_pemerintah: %w", err)
		}
		items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Belanja, error) { return scanBelanja(r) })
		return err
	})
	return items, err
}

// Anggaran is the city's goods-and-services budget (belanja barang/jasa)
// of a fiscal year, as the office records it.
type Anggaran struct {
	Tahun     int       `json:"tahun"`
	Nilai     int64     `json:"nilai" doc:"Rupiah."`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// AnggaranInput is a budget as written.
type AnggaranInput struct {
	Nilai int64 `json:"nilai" doc:"Rupiah, above 0."`
}

// SetAnggaran records a year's budget: version 0 records a first one (409
// when one exists), else it replaces the current version (412 when stale).
func (s *Service) SetAnggaran(ctx context.Context, t *tenancy.Tenant, tahun int, version int64, in AnggaranInput) (Anggaran, error) {
	f := &fieldErrs{prefix: "body"}
	if tahun < 2000 || tahun > 2100 {
		f = &fieldErrs{prefix: "path"}
		f.add("tahun", tahun, apperr.T("Tahun harus 2000 sampai 2100.", "The year must be 2000 to 2100."))
	} else if in.Nilai <= 0 || in.Nilai > anggaranMaks {
		f.add("nilai", in.Nilai, apperr.T("Anggaran harus lebih dari Rp0.", "The budget must be above Rp0."))
	}
	if err := f.err(); err != nil {
		return Anggaran{}, err
	}
	var a Anggaran
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getAnggaranTx(ctx, tx, tahun, true)
		found := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		switch {
		case version == 0 && found:
			return apperr.Conflict(apperr.T("Anggaran tahun ini sudah dicatat; ubah dengan If-Match.", "This year's budget is recorded; change it with If-Match."), "")
		case version != 0 && (!found || before.Version != version):
			return apperr.PreconditionFailed()
		case found:
			_, err = tx.Exec(ctx, `update anggaran_belanja set nilai = $2, version = version + 1, updated_at = $3 where tahun = $1`, tahun, in.Nilai, s.Now())
		default:
			_, err = tx.Exec(ctx, `insert into anggaran_belanja (tenant_id, tahun, nilai, updated_at) values ($1, $2, $3, $4)`, t.ID, tahun, in.Nilai, s.Now())
		}
		if err != nil {
			return db.MapError(fmt.Errorf("set anggaran_belanja: %w", err))
		}
		if a, err = getAnggaranTx(ctx, tx, tahun, false); err != nil {
			return err
		}
		e := audit.Entry{TenantID: t.ID, Action: "update", Entity: "anggaran_belanja", EntityID: fmt.Sprint(tahun), After: a}
		if found {
			e.Before = before
		} else {
			e.Action = "create"
		}
		return audit.Record(ctx, tx, e)
	})
	return a, err
}

// getAnggaranTx answers pgx.ErrNoRows when the year has none.
func getAnggaranTx(ctx context.Context, tx pgx.Tx, tahun int, forUpdate bool) (Anggaran, error) {
	sql := `select tahun, nilai, updated_at, version from anggaran_belanja where tahun = $1`
	if forUpdate {
		sql += " for update"
	}
	var a Anggaran
	var th int16
	err := tx.QueryRow(ctx, sql, tahun).Scan(&th, &a.Nilai, &a.UpdatedAt, &a.Version)
	a.Tahun = int(th)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Anggaran{}, fmt.Errorf("get anggaran_belanja: %w", err)
	}
	return a, err
}

// BagianBelanja is one part of a year's purchases.
type BagianBelanja struct {
	Kunci    string `json:"kunci" doc:"The OPD's name or the channel."`
	Jumlah   int    `json:"jumlah" doc:"Purchases."`
	Nilai    int64  `json:"nilai" doc:"Rupiah."`
	PersenBP *int64 `json:"persen_bp,omitempty" doc:"Share of the year's goods-and-services budget in basis points (1/100 of a percent), rounded down; absent without a budget."`
}

// CapaianBelanja is a year's purchases from UMKM and cooperatives as a share of
// the goods-and-services budget, against the 40% target.
type CapaianBelanja struct {
	Tahun        int             `json:"tahun"`
	Anggaran     *int64          `json:"anggaran,omitempty" doc:"The year's goods-and-services budget; absent until the office records it."`
	AnggaranVer  int64           `json:"anggaran_version,omitempty" doc:"Its version, for If-Match."`
	Jumlah       int             `json:"jumlah"`
	Nilai        int64           `json:"nilai"`
	NilaiUMKM    int64           `json:"nilai_umkm"`
	NilaiKop     int64           `json:"nilai_koperasi"`
	PersenBP     *int64          `json:"persen_bp,omitempty" doc:"Nilai as a share of the budget, basis points, rounded down."`
	TargetBP     int64           `json:"target_bp" doc:"4000: 40% (UU 11/2020 Pasal 97, Perpres 12/2021 Pasal 65)."`
	KurangTarget *int64          `json:"kurang_target,omitempty" doc:"Rupiah still to buy to reach the target (0 when reached)."`
	PerOPD       []BagianBelanja `json:"per_opd" nullable:"false"`
	PerSaluran   []BagianBelanja `json:"per_saluran" nullable:"false"`
}

// share is part of whole in basis points, rounded down, exact (part*10000
// can pass int64 at budgets of this size).
func share(part, whole int64) int64 {
	n := new(big.Int).Mul(big.NewInt(part), big.NewInt(10000))
	return n.Quo(n, big.NewInt(whole)).Int64()
}

// Capaian answers the share of the city's goods-and-services spending in
// tahun that reached UMKM and cooperatives.
func (s *Service) Capaian(ctx context.Context, t *tenancy.Tenant, tahun int) (CapaianBelanja, error) {
	if tahun < 2000 || tahun > 2100 {
		return CapaianBelanja{}, apperr.InvalidField("query.tahun", tahun, apperr.T("Tahun harus 2000 sampai 2100.", "The year must be 2000 to 2100."))
	}
	c := CapaianBelanja{Tahun: tahun, TargetBP: TargetBP, PerOPD: []BagianBelanja{}, PerSaluran: []BagianBelanja{}}
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		a, err := getAnggaranTx(ctx, tx, tahun, false)
		if err == nil {
			c.Anggaran, c.AnggaranVer = &a.Nilai, a.Version
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		rows, err := tx.Query(ctx, `select grouping(saluran, lower(opd)), coalesce(saluran, min(opd), ''), count(*), coalesce(sum(nilai), 0)::bigint,
				coalesce(sum(nilai) filter (where umkm_id is not null), 0)::bigint
			from belanja_pemerintah where archived_at is null and tanggal >= make_date($1, 1, 1) and tanggal < make_date($1 + 1, 1, 1)
			group by grouping sets ((saluran), (lower(opd)), ())
			order by 4 desc, 2`, tahun)
		if err != nil {
			return fmt.Errorf("capaian belanja: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var set int // 1: per channel, 2: per OPD, 3: the year
			var b BagianBelanja
			var umkm int64
			if err := rows.Scan(&set, &b.Kunci, &b.Jumlah, &b.Nilai, &umkm); err != nil {
				return err
			}
			if c.Anggaran != nil {
				p := share(b.Nilai, *c.Anggaran)
				b.PersenBP = &p
			}
			switch {
			case set == 3:
				c.Jumlah, c.Nilai, c.NilaiUMKM, c.NilaiKop, c.PersenBP = b.Jumlah, b.Nilai, umkm, b.Nilai-umkm, b.PersenBP
			case set == 1:
				c.PerSaluran = append(c.PerSaluran, b)
			default:
				c.PerOPD = append(c.PerOPD, b)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return CapaianBelanja{}, err
	}
	if c.Anggaran != nil {
		if c.PersenBP == nil {
			zero := int64(0)
			c.PersenBP = &zero
		}
		// The target in rupiah, rounded up: 40% of the budget is reached
		// only when bought ≥ budget*4000/10000.
		target := *c.Anggaran/10000*TargetBP + (*c.Anggaran%10000*TargetBP+9999)/10000 // exact: no overflow
		k := max(target-c.Nilai, 0)
		c.KurangTarget = &k
	}
	return c, nil
}
