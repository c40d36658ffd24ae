package pendanaan

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Subsidi is a debtor's month in the interest-subsidy ledger.
type Subsidi struct {
	ID            uuid.UUID  `json:"id"`
	PengajuanID   uuid.UUID  `json:"pengajuan_id"`
	Debitur       string     `json:"debitur" doc:"The business."`
	NamaPemilik   string     `json:"nama_pemilik" doc:"Masked unless the caller may read personal data."`
	Bank          string     `json:"bank"`
	Bulan         string     `json:"bulan" doc:"The month, YYYY-MM."`
	Pokok         int64      `json:"pokok" doc:"The loan's principal (rupiah): it decides the tier."`
	Bunga         int64      `json:"bunga" doc:"The month's interest due (rupiah)."`
	SubsidiBP     int        `json:"subsidi_bp" doc:"The subsidised share, basis points (9000 = 90 %)."`
	Subsidi       int64      `json:"subsidi" doc:"The office's share: rounded down to the rupiah."`
	BagianDebitur int64      `json:"bagian_debitur" doc:"The debtor's share: the rest, so subsidi + bagian_debitur = bunga."`
	KlaimID       *uuid.UUID `json:"klaim_id,omitempty" doc:"The bank's claim it is in, once claimed."`
	CreatedAt     time.Time  `json:"created_at"`
}

// SubsidiInput is a debtor's month as the bank reports it.
type SubsidiInput struct {
	PengajuanID string `json:"pengajuan_id" doc:"An active application of the interest-subsidy scheme."`
	Bulan       string `json:"bulan" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"The month, YYYY-MM (not after this month)."`
	Bunga       int64  `json:"bunga" doc:"The interest due that month (rupiah)."`
}

const subsidiCols = `s.id, s.pengajuan_id, u.nama_usaha, u.nama_pemilik, coalesce(p.bank, ''), s.bulan, s.pokok, s.bunga,
	s.subsidi_bp, s.subsidi, s.debitur, s.klaim_id, s.created_at`

const subsidiFrom = ` from subsidi_bunga s
	join pengajuan_dana p on p.tenant_id = s.tenant_id and p.id = s.pengajuan_id
	join umkm u on u.tenant_id = p.tenant_id and u.id = p.umkm_id`

func scanSubsidi(row pgx.Row, v View) (Subsidi, error) {
	var (
		s     Subsidi
		bulan time.Time
	)
	if err := row.Scan(&s.ID, &s.PengajuanID, &s.Debitur, &s.NamaPemilik, &s.Bank, &bulan, &s.Pokok, &s.Bunga,
		&s.SubsidiBP, &s.Subsidi, &s.BagianDebitur, &s.KlaimID, &s.CreatedAt); err != nil {
		return Subsidi{}, err
	}
	s.Bulan = bulan.Format("2006-01")
	if !v.PII {
		s.NamaPemilik = pii.Name(s.NamaPemilik)
	}
	return s, nil
}

// ParseBulan reads a month YYYY-MM at field as its first day.
func ParseBulan(field, s string) (time.Time, error) {
	m, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil || m.Year() < 2000 {
		return time.Time{}, apperr.InvalidField(field, s, apperr.T("Bulan harus YYYY-MM.", "Months are YYYY-MM."))
	}
	return m, nil
}

// CreateSubsidiTx records a debtor's month in tx: the tier from the
// application's principal under the scheme version it was decided under,
// the split exact in rupiah. Only an active application of the subsidy
// scheme accrues (paid off or defaulted ones stop), one row per month.
func (s *Service) CreateSubsidiTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in SubsidiInput, v View) (Subsidi, error) {
	f := &fieldErrs{}
	pid := f.uuid("body.pengajuan_id", &in.PengajuanID)
	bulan, err := ParseBulan("body.bulan", in.Bulan)
	if err != nil {
		e, _ := apperr.As(err)
		f.list = append(f.list, e.Fields...)
	}
	today, err := t.Today(s.Now())
	if err != nil {
		return Subsidi{}, err
	}
	if !bulan.IsZero() && bulan.After(today) {
		f.add("body.bulan", in.Bulan, apperr.T("Bulan tidak boleh setelah bulan ini.", "The month cannot be after this one."))
	}
	if in.Bunga <= 0 {
		f.add("body.bunga", in.Bunga, apperr.T("Bunga harus lebih dari nol rupiah.", "The interest must be more than zero rupiah."))
	}
	if err := f.err(errSubsidi); err != nil {
		return Subsidi{}, err
	}
	p, err := getTx(ctx, tx, t, *pid, v, true, today)
	if err != nil {
		if apperr.KindOf(err) == apperr.KindNotFound {
			return Subsidi{}, apperr.InvalidField("body.pengajuan_id", in.PengajuanID, apperr.T("Pengajuan tidak ditemukan.", "No such application."))
		}
		return Subsidi{}, err
	}
	if p.Jenis != JenisSubsidiBunga {
		return Subsidi{}, apperr.InvalidField("body.pengajuan_id", in.PengajuanID, apperr.T("Pengajuan ini bukan skema subsidi bunga.", "This application is not of the interest-subsidy scheme."))
	}
	if p.Tahap != TahapAktif {
		return Subsidi{}, apperr.Conflict(apperr.T(
			fmt.Sprintf("Subsidi hanya untuk pinjaman aktif; pengajuan ini di tahap \"%s\".", NamaTahap[p.Tahap]),
			fmt.Sprintf("Only an active loan is subsidised; this application is at stage %q.", p.Tahap)), Path(t.Slug, p.ID))
	}
	// The tiers in force on the day it was applied for (with the office's
	// overrides of then): a loan's share does not change with a later decree.
	applied, err := t.Today(p.CreatedAt)
	if err != nil {
		return Subsidi{}, err
	}
	sk, err := skemaTx(ctx, tx, t, p.Skema, applied, "body.pengajuan_id")
	if err != nil {
		return Subsidi{}, err
	}
	bp, ok := TingkatSubsidi(sk.Aturan, p.Plafon)
	if !ok {
		return Subsidi{}, errPokokSubsidi(sk.Aturan, "body.pengajuan_id", p.Plafon)
	}
	b := Bagi(in.Bunga, bp)
	id := uuid.Must(uuid.NewV7())
	if _, err := tx.Exec(ctx, `insert into subsidi_bunga (tenant_id, id, pengajuan_id, bulan, pokok, bunga, subsidi_bp, subsidi, debitur, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.ID, id, p.ID, bulan, p.Plafon, in.Bunga, b.SubsidiBP, b.Subsidi, b.Debitur, s.Now()); err != nil {
		if apperr.KindOf(db.MapError(err)) == apperr.KindConflict {
			return Subsidi{}, apperr.Conflict(apperr.T("Bulan ini sudah dicatat untuk debitur tersebut.", "This month is recorded for that debtor already."), Path(t.Slug, p.ID))
		}
		return Subsidi{}, db.MapError(err)
	}
	out, err := scanSubsidi(tx.QueryRow(ctx, `select `+subsidiCols+subsidiFrom+` where s.id = $1`, id), v)
	if err != nil {
		return Subsidi{}, fmt.Errorf("read subsidi: %w", err)
	}
	return out, auditTx(ctx, tx, t, "create", "subsidi_bunga", id.String(), nil, struct {
		PengajuanID uuid.UUID `json:"pengajuan_id"`
		Bulan       string    `json:"bulan"`
		Bunga       int64     `json:"bunga"`
		Bagian
	}{p.ID, out.Bulan, in.Bunga, b})
}

var errSubsidi = apperr.T("Data subsidi bunga tidak valid. Periksa isian yang disebutkan.", "Invalid interest-subsidy row. Check the fields listed.")

// Buku is the ledger of a month: its rows, their totals, and the year's
// budget.
type Buku struct {
	Bulan        string    `json:"bulan"`
	Items        []Subsidi `json:"items" nullable:"false"`
	TotalBunga   int64     `json:"total_bunga"`
	TotalSubsidi int64     `json:"total_subsidi"`
	TotalDebitur int64     `json:"total_debitur"`
	BelumDiklaim int64     `json:"belum_diklaim" doc:"Subsidy of the month in no claim yet (rupiah)."`
	Pagu         Pagu      `json:"pagu"`
	Klaim        []Klaim   `json:"klaim" nullable:"false" doc:"The bank claims of the month."`
}

// Pagu is the year's subsidy budget: the ceiling and what claims have used.
type Pagu struct {
	Tahun    int   `json:"tahun"`
	Pagu     int64 `json:"pagu" doc:"The ceiling (rupiah); 0: none set for the year."`
	Terpakai int64 `json:"terpakai" doc:"Committed by the bank claims (rupiah)."`
	Sisa     int64 `json:"sisa"`
}

// Ledger returns month bulan of the ledger (all banks, or bank).
func (s *Service) Ledger(ctx context.Context, t *tenancy.Tenant, bulan time.Time, bank string, v View) (Buku, error) {
	b := Buku{Bulan: bulan.Format("2006-01"), Items: []Subsidi{}, Klaim: []Klaim{}}
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select `+subsidiCols+subsidiFrom+` where s.bulan = $1 and ($2 = '' or p.bank = $2)
			order by u.nama_usaha, s.id`, bulan, bank)
		if err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if b.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Subsidi, error) { return scanSubsidi(r, v) }); err != nil {
			return err
		}
		for _, r := range b.Items {
			b.TotalBunga += r.Bunga
			b.TotalSubsidi += r.Subsidi
			b.TotalDebitur += r.BagianDebitur
			if r.KlaimID == nil {
				b.BelumDiklaim += r.Subsidi
			}
		}
		if b.Items == nil {
			b.Items = []Subsidi{}
		}
		if b.Pagu, err = paguTx(ctx, tx, t, bulan.Year(), false); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `select `+klaimCols+` from klaim_subsidi where bulan = $1 and ($2 = '' or bank = $2) order by id`, bulan, bank)
		if err != nil {
			return fmt.Errorf("klaim: %w", err)
		}
		b.Klaim, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Klaim, error) { return scanKlaim(r) })
		if b.Klaim == nil {
			b.Klaim = []Klaim{}
		}
		return err
	})
	return b, err
}

// GetPagu returns the year's budget.
func (s *Service) GetPagu(ctx context.Context, t *tenancy.Tenant, tahun int) (Pagu, error) {
	var p Pagu
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) (err error) {
		p, err = paguTx(ctx, tx, t, tahun, false)
		return err
	})
	return p, err
}

// paguTx reads year tahun's budget: the ceiling from the subsidy scheme in
// force at the year's end (or today), what is used from subsidi_pagu; lock
// takes the year's row lock, creating the row, so claims queue on it.
func paguTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, tahun int, lock bool) (Pagu, error) {
	p := Pagu{Tahun: tahun}
	var kode string
	err := tx.QueryRow(ctx, `select kode from skema_dana where jenis = 'subsidi_bunga'
		and (provinsi_kode is null or provinsi_kode = $1) and (kantor_slug is null or kantor_slug = $2)
		order by berlaku_mulai desc limit 1`, t.ProvinceCode, t.Slug).Scan(&kode)
	if err != nil && apperr.KindOf(db.MapError(err)) != apperr.KindNotFound {
		return p, fmt.Errorf("pagu skema: %w", err)
	}
	if kode != "" {
		sk, err := skemaTx(ctx, tx, t, kode, time.Date(tahun, 12, 31, 0, 0, 0, 0, time.UTC), "tahun")
		if err == nil {
			p.Pagu = sk.Aturan.PaguTahunan[strconv.Itoa(tahun)]
		} else if apperr.KindOf(err) != apperr.KindInvalid {
			return p, err
		}
	}
	if lock {
		if _, err := tx.Exec(ctx, `insert into subsidi_pagu (tenant_id, tahun) values ($1, $2) on conflict do nothing`, t.ID, tahun); err != nil {
			return p, fmt.Errorf("pagu row: %w", err)
		}
		err = tx.QueryRow(ctx, `select terpakai from subsidi_pagu where tahun = $1 for update`, tahun).Scan(&p.Terpakai)
	} else {
		err = tx.QueryRow(ctx, `select coalesce((select terpakai from subsidi_pagu where tahun = $1), 0)`, tahun).Scan(&p.Terpakai)
	}
	if err != nil {
		return p, fmt.Errorf("pagu: %w", err)
	}
	p.Sisa = max(0, p.Pagu-p.Terpakai)
	return p, nil
}

// Klaim is a bank's claim for a month's subsidy of its debtors.
type Klaim struct {
	ID             uuid.UUID  `json:"id"`
	Bank           string     `json:"bank"`
	Bulan          string     `json:"bulan" doc:"YYYY-MM."`
	Jumlah         int64      `json:"jumlah" doc:"The subsidy claimed (rupiah): the sum of its rows."`
	Baris          int        `json:"baris" doc:"How many debtors' months it covers."`
	Status         string     `json:"status" enum:"diajukan,diverifikasi,dibayar"`
	DiverifikasiAt *time.Time `json:"diverifikasi_at,omitempty"`
	NomorSP2D      *string    `json:"nomor_sp2d,omitempty"`
	TanggalSP2D    *string    `json:"tanggal_sp2d,omitempty" format:"date"`
	Version        int64      `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
}

const klaimCols = `id, bank, bulan, jumlah, baris, status, diverifikasi_at, nomor_sp2d, tanggal_sp2d, version, created_at`

func scanKlaim(row pgx.Row) (Klaim, error) {
	var (
		k       Klaim
		bulan   time.Time
		tglSP2D *time.Time
	)
	if err := row.Scan(&k.ID, &k.Bank, &bulan, &k.Jumlah, &k.Baris, &k.Status, &k.DiverifikasiAt, &k.NomorSP2D, &tglSP2D, &k.Version, &k.CreatedAt); err != nil {
		return Klaim{}, err
	}
	k.Bulan, k.TanggalSP2D = bulan.Format("2006-01"), dateString(tglSP2D)
	return k, nil
}

// KlaimInput is a bank's claim: the month's unclaimed rows of one bank.
type KlaimInput struct {
	Bank  string `json:"bank" minLength:"1" maxLength:"100"`
	Bulan string `json:"bulan" pattern:"^[0-9]{4}-[0-9]{2}$" doc:"YYYY-MM."`
}

// KlaimPath is where a claim lives in the API.
func KlaimPath(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/pendanaan/subsidi/klaim/" + id.String()
}

// CreateKlaimTx makes the claim of a bank for a month in tx: all that
// month's rows of its debtors not yet claimed, committed against the
// year's budget. The budget row is locked first, so of two claims that
// together pass the ceiling one succeeds and the other is refused.
func (s *Service) CreateKlaimTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, in KlaimInput) (Klaim, error) {
	bulan, err := ParseBulan("body.bulan", in.Bulan)
	if err != nil {
		return Klaim{}, err
	}
	bank := strings.TrimSpace(in.Bank)
	if bank == "" {
		return Klaim{}, apperr.InvalidField("body.bank", in.Bank, apperr.T("Bank wajib diisi.", "The bank is required."))
	}
	pagu, err := paguTx(ctx, tx, t, bulan.Year(), true)
	if err != nil {
		return Klaim{}, err
	}
	var (
		jumlah int64
		baris  int
	)
	if err := tx.QueryRow(ctx, `select coalesce(sum(s.subsidi), 0), count(*) from subsidi_bunga s
		join pengajuan_dana p on p.tenant_id = s.tenant_id and p.id = s.pengajuan_id
		where s.bulan = $1 and p.bank = $2 and s.klaim_id is null`, bulan, bank).Scan(&jumlah, &baris); err != nil {
		return Klaim{}, fmt.Errorf("klaim sum: %w", err)
	}
	if baris == 0 || jumlah == 0 {
		return Klaim{}, apperr.InvalidField("body.bulan", in.Bulan, apperr.T(
			"Tidak ada subsidi bulan ini dari bank tersebut yang belum diklaim.", "No unclaimed subsidy of that bank for the month."))
	}
	if pagu.Pagu == 0 {
		return Klaim{}, apperr.Conflict(apperr.T(fmt.Sprintf("Pagu subsidi bunga tahun %d belum ditetapkan.", pagu.Tahun),
			fmt.Sprintf("No subsidy budget is set for %d.", pagu.Tahun)), "")
	}
	if pagu.Terpakai+jumlah > pagu.Pagu {
		return Klaim{}, apperr.Conflict(apperr.T(
			fmt.Sprintf("Klaim %s melebihi sisa pagu subsidi bunga tahun %d (%s dari %s).",
				format.Rupiah(jumlah), pagu.Tahun, format.Rupiah(pagu.Sisa), format.Rupiah(pagu.Pagu)),
			fmt.Sprintf("The claim of %s is beyond what is left of the %d subsidy budget (%s of %s).",
				format.Rupiah(jumlah), pagu.Tahun, format.Rupiah(pagu.Sisa), format.Rupiah(pagu.Pagu))), "")
	}
	id, now := uuid.Must(uuid.NewV7()), s.Now()
	k, err := scanKlaim(tx.QueryRow(ctx, `insert into klaim_subsidi (tenant_id, id, bank, bulan, jumlah, baris, status, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, 'diajukan', $7, $7) returning `+klaimCols, t.ID, id, bank, bulan, jumlah, baris, now))
	if err != nil {
		return Klaim{}, fmt.Errorf("insert klaim: %w", err)
	}
	tag, err := tx.Exec(ctx, `update subsidi_bunga s set klaim_id = $1 from pengajuan_dana p
		where p.tenant_id = s.tenant_id and p.id = s.pengajuan_id and s.bulan = $2 and p.bank = $3 and s.klaim_id is null`, id, bulan, bank)
	if err != nil || tag.RowsAffected() != int64(baris) {
		return Klaim{}, fmt.Errorf("claim rows: %d of %d: %w", tag.RowsAffected(), baris, err)
	}
	if _, err := tx.Exec(ctx, `update subsidi_pagu set terpakai = terpakai + $2 where tahun = $1`, bulan.Year(), jumlah); err != nil {
		return Klaim{}, fmt.Errorf("pagu: %w", err)
	}
	return k, auditTx(ctx, tx, t, "create", "klaim_subsidi", id.String(), nil, k)
}

// GetKlaim returns one claim.
func (s *Service) GetKlaim(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (Klaim, error) {
	var k Klaim
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) (err error) {
		k, err = scanKlaim(tx.QueryRow(ctx, `select `+klaimCols+` from klaim_subsidi where id = $1`, id))
		return db.MapError(err)
	})
	return k, err
}

// BayarInput is the payment of a verified claim.
type BayarInput struct {
	NomorSP2D   string `json:"nomor_sp2d" minLength:"1" maxLength:"100" doc:"The SP2D (Surat Perintah Pencairan Dana) number."`
	TanggalSP2D string `json:"tanggal_sp2d" format:"date"`
}

// Verifikasi marks claim id (at version) verified by the office.
func (s *Service) Verifikasi(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64) (Klaim, error) {
	return s.moveKlaim(ctx, t, id, version, "diajukan", func(tx pgx.Tx) (pgx.Row, error) {
		return tx.QueryRow(ctx, `update klaim_subsidi set status = 'diverifikasi', diverifikasi_at = $2, version = version + 1, updated_at = $2
			where id = $1 returning `+klaimCols, id, s.Now()), nil
	})
}

// Bayar records the payment (SP2D) of verified claim id at version.
func (s *Service) Bayar(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, in BayarInput) (Klaim, error) {
	today, err := t.Today(s.Now())
	if err != nil {
		return Klaim{}, err
	}
	f := &fieldErrs{}
	nomor := f.text("body.nomor_sp2d", &in.NomorSP2D, 100)
	if nomor == nil && len(f.list) == 0 {
		f.add("body.nomor_sp2d", nil, apperr.T("Nomor SP2D wajib diisi.", "The SP2D number is required."))
	}
	tgl := f.date("body.tanggal_sp2d", &in.TanggalSP2D, today)
	if tgl == nil && len(f.list) == 0 {
		f.add("body.tanggal_sp2d", nil, apperr.T("Tanggal SP2D wajib diisi.", "The SP2D date is required."))
	}
	if err := f.err(apperr.T("Data pembayaran tidak valid.", "Invalid payment.")); err != nil {
		return Klaim{}, err
	}
	return s.moveKlaim(ctx, t, id, version, "diverifikasi", func(tx pgx.Tx) (pgx.Row, error) {
		return tx.QueryRow(ctx, `update klaim_subsidi set status = 'dibayar', nomor_sp2d = $2, tanggal_sp2d = $3, version = version + 1, updated_at = $4
			where id = $1 returning `+klaimCols, id, *nomor, *tgl, s.Now()), nil
	})
}

// moveKlaim moves a claim that is at status from on, at version.
func (s *Service) moveKlaim(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, version int64, from string, move func(pgx.Tx) (pgx.Row, error)) (Klaim, error) {
	var k Klaim
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := scanKlaim(tx.QueryRow(ctx, `select `+klaimCols+` from klaim_subsidi where id = $1 for update`, id))
		if err != nil {
			return db.MapError(err)
		}
		if before.Version != version {
			return apperr.PreconditionFailed()
		}
		if before.Status != from {
			return apperr.Conflict(apperr.T(fmt.Sprintf("Klaim berstatus \"%s\"; langkah ini untuk klaim berstatus \"%s\".", before.Status, from),
				fmt.Sprintf("The claim is %q; this step is for a claim that is %q.", before.Status, from)), KlaimPath(t.Slug, id))
		}
		row, err := move(tx)
		if err != nil {
			return err
		}
		if k, err = scanKlaim(row); err != nil {
			return fmt.Errorf("move klaim: %w", err)
		}
		return auditTx(ctx, tx, t, "update", "klaim_subsidi", id.String(), before, k)
	})
	return k, err
}
