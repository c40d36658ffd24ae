package konsinyasi

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/format"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// KonsinyasiBuka opens a listing's ledger with its terms: exactly one of a
// commission in basis points or a fixed monthly fee.
type KonsinyasiBuka struct {
	KomisiBP     *int   `json:"komisi_bp,omitempty" minimum:"0" maximum:"10000" doc:"Commission in basis points of gross (1000 = 10%)."`
	BiayaBulanan *int64 `json:"biaya_bulanan,omitempty" minimum:"0" doc:"Fixed monthly fee in rupiah."`
}

// KonsinyasiTerima records goods received from the business.
type KonsinyasiTerima struct {
	Jumlah             int64   `json:"jumlah" doc:"Quantity received."`
	Batch              *string `json:"batch,omitempty" maxLength:"100"`
	TanggalKedaluwarsa *string `json:"tanggal_kedaluwarsa,omitempty" format:"date" doc:"Expiry date of the batch, if it has one."`
	Tanggal            *string `json:"tanggal,omitempty" format:"date" doc:"Absent: today in the office's time zone."`
	Keterangan         *string `json:"keterangan,omitempty" maxLength:"1000"`
}

// KonsinyasiJual is a sales report for one period of the point's cadence:
// a week Monday–Sunday (mingguan) or a calendar month (bulanan).
type KonsinyasiJual struct {
	PeriodeMulai   string  `json:"periode_mulai" format:"date"`
	PeriodeSelesai string  `json:"periode_selesai" format:"date"`
	Jumlah         int64   `json:"jumlah" doc:"Quantity sold in the period (0: nothing sold)."`
	Bruto          int64   `json:"bruto" doc:"Gross sales in rupiah."`
	Sumber         string  `json:"sumber" enum:"mandiri,verifikasi" doc:"mandiri: reported by the operator; verifikasi: verified by staff."`
	Keterangan     *string `json:"keterangan,omitempty" maxLength:"1000"`
}

// KonsinyasiRetur is stock returned to the business.
type KonsinyasiRetur struct {
	Jumlah     int64   `json:"jumlah"`
	Tanggal    *string `json:"tanggal,omitempty" format:"date"`
	Keterangan *string `json:"keterangan,omitempty" maxLength:"1000"`
}

// KonsinyasiKedaluwarsa is stock expired at the point, with the
// compensation owed to the business per the terms.
type KonsinyasiKedaluwarsa struct {
	Jumlah     int64   `json:"jumlah"`
	Kompensasi int64   `json:"kompensasi" doc:"Compensation in rupiah (0 if the terms give none)."`
	Tanggal    *string `json:"tanggal,omitempty" format:"date"`
	Keterangan *string `json:"keterangan,omitempty" maxLength:"1000"`
}

// KonsinyasiOpname is a stock count; the variance against the ledger is
// recorded, and left open unless keterangan explains it.
type KonsinyasiOpname struct {
	Dihitung   int64   `json:"dihitung" doc:"Quantity counted on the shelf."`
	Tanggal    *string `json:"tanggal,omitempty" format:"date"`
	Keterangan *string `json:"keterangan,omitempty" maxLength:"1000" doc:"Why the count differs, if it does."`
}

// KonsinyasiSetor is a settlement to the business with its proof.
type KonsinyasiSetor struct {
	Jumlah     int64   `json:"jumlah" doc:"Rupiah paid; at most what is owed."`
	Tanggal    *string `json:"tanggal,omitempty" format:"date"`
	NomorBukti string  `json:"nomor_bukti" maxLength:"100" doc:"Transfer or receipt number."`
	Keterangan *string `json:"keterangan,omitempty" maxLength:"1000"`
}

// BukaTx opens the ledger of listing kurasiID of point titikID; the
// listing must be accepted or on display.
func (s *Service) BukaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiBuka) (Konsinyasi, error) {
	f := &fieldErrs{}
	switch {
	case (in.KomisiBP == nil) == (in.BiayaBulanan == nil):
		f.add("komisi_bp", in.KomisiBP, apperr.T("Isi salah satu: komisi_bp (persen dalam basis poin) atau biaya_bulanan (rupiah).",
			"Give exactly one of komisi_bp (basis points) or biaya_bulanan (rupiah)."))
	case in.KomisiBP != nil && (*in.KomisiBP < 0 || *in.KomisiBP > 10000):
		f.add("komisi_bp", *in.KomisiBP, apperr.T("Komisi 0–10000 basis poin (0–100%).", "Commission is 0–10000 basis points."))
	case in.BiayaBulanan != nil && (*in.BiayaBulanan < 0 || *in.BiayaBulanan > maxJumlah):
		f.add("biaya_bulanan", *in.BiayaBulanan, apperr.T("Biaya bulanan 0–1.000.000.000 rupiah.", "The monthly fee is 0–1,000,000,000 rupiah."))
	}
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	var status string
	err := tx.QueryRow(ctx, "select status from titik_kurasi where titik_id = $1 and id = $2 for update", titikID, kurasiID).Scan(&status)
	if err != nil {
		return Konsinyasi{}, db.MapError(err)
	}
	if status != "diterima" && status != "tampil" {
		return Konsinyasi{}, apperr.Conflict(apperr.T("Hanya produk yang diterima atau tampil yang bisa dititipkan.",
			"Only an accepted or displayed listing takes consignment."), "")
	}
	tag, err := tx.Exec(ctx, `insert into konsinyasi (tenant_id, kurasi_id, titik_id, komisi_bp, biaya_bulanan, created_at, updated_at)
		values ($1, $2, $3, $4, $5, $6, $6) on conflict do nothing`, t.ID, kurasiID, titikID, in.KomisiBP, in.BiayaBulanan, s.Now())
	if err != nil {
		return Konsinyasi{}, db.MapError(fmt.Errorf("buka konsinyasi: %w", err))
	}
	if tag.RowsAffected() == 0 {
		return Konsinyasi{}, apperr.Conflict(apperr.T("Buku konsinyasi produk ini sudah dibuka.", "This listing's ledger is already open."),
			Path(t.Slug, titikID, kurasiID))
	}
	k, err := getHeadTx(ctx, tx, titikID, kurasiID)
	if err != nil {
		return Konsinyasi{}, err
	}
	return k, record(ctx, tx, t, "create", nil, k, in)
}

// locked is a ledger locked for a movement, with what its rules need.
type locked struct {
	Konsinyasi
	kadens        string
	tampilSelesai *time.Time
	today         time.Time
}

// lock takes the ledger's head row for the rest of tx: every movement of
// a listing waits for the one before, so the stock read is the stock.
func (s *Service) lock(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID) (locked, error) {
	var l locked
	today, err := t.Today(s.Now())
	if err != nil {
		return l, err
	}
	l.today = today
	err = tx.QueryRow(ctx, `select t.lapor_kadens, c.tampil_selesai from konsinyasi k
			join titik_kurasi c on c.tenant_id = k.tenant_id and c.id = k.kurasi_id
			join titik t on t.tenant_id = k.tenant_id and t.id = k.titik_id
		where k.titik_id = $1 and k.kurasi_id = $2 for update of k`, titikID, kurasiID).Scan(&l.kadens, &l.tampilSelesai)
	if err != nil {
		return l, db.MapError(err)
	}
	l.Konsinyasi, err = getHeadTx(ctx, tx, titikID, kurasiID)
	return l, err
}

// entry starts a dated movement: the ledger locked, its day (today when
// absent, never after) and its note checked.
func (s *Service) entry(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, tanggal, keterangan *string) (locked, *fieldErrs, time.Time, *string, error) {
	l, err := s.lock(ctx, tx, t, titikID, kurasiID)
	if err != nil {
		return l, nil, time.Time{}, nil, err
	}
	f := &fieldErrs{}
	tgl := f.day("tanggal", tanggal, l.today, false)
	f.notAfter("tanggal", tgl, l.today)
	return l, f, tgl, f.text("keterangan", keterangan, 1000, false), nil
}

// melebihi is the refusal of taking out more than is on hand.
func melebihi(field string, v, onHand int64) error {
	return apperr.InvalidField("body."+field, v, apperr.T(
		fmt.Sprintf("Melebihi stok di tangan (%s).", format.Angka(onHand)), fmt.Sprintf("More than the stock on hand (%d).", onHand)))
}

type gerakRow struct {
	jenis                string
	tanggal              time.Time
	jumlah               int64
	batch                *string
	exp, mulai, selesai  *time.Time
	bruto, komisi        *int64
	sumber               *string
	kompensasi, dihitung *int64
	keterangan           *string
}

func (s *Service) insertGerak(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, kurasiID uuid.UUID, g gerakRow) error {
	_, err := tx.Exec(ctx, `insert into konsinyasi_gerak (tenant_id, id, kurasi_id, jenis, tanggal, jumlah, batch, tanggal_kedaluwarsa,
			periode_mulai, periode_selesai, bruto, komisi, sumber, kompensasi, dihitung, keterangan, dicatat_oleh, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		t.ID, uuid.Must(uuid.NewV7()), kurasiID, g.jenis, g.tanggal, g.jumlah, g.batch, g.exp, g.mulai, g.selesai, g.bruto, g.komisi,
		g.sumber, g.kompensasi, g.dihitung, g.keterangan, actor(ctx), s.Now())
	return db.MapError(err)
}

// apply moves the head's totals (the schema checks the balance again) and
// answers the ledger after the movement, audited.
func (s *Service) apply(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, l locked, set string, args []any, detail any) (Konsinyasi, error) {
	args = append([]any{l.KurasiID, s.Now()}, args...)
	if _, err := tx.Exec(ctx, "update konsinyasi set "+set+", version = version + 1, updated_at = $2 where kurasi_id = $1", args...); err != nil {
		return Konsinyasi{}, db.MapError(fmt.Errorf("konsinyasi: %w", err))
	}
	k, err := getHeadTx(ctx, tx, l.TitikID, l.KurasiID)
	if err != nil {
		return Konsinyasi{}, err
	}
	before := l.Konsinyasi
	return k, record(ctx, tx, t, "update", &before, k, detail)
}

// TerimaTx records goods received; the listing must still be open.
func (s *Service) TerimaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiTerima) (Konsinyasi, error) {
	l, f, tgl, ket, err := s.entry(ctx, tx, t, titikID, kurasiID, in.Tanggal, in.Keterangan)
	if err != nil {
		return Konsinyasi{}, err
	}
	f.jumlah("jumlah", in.Jumlah, 1)
	var exp *time.Time
	if in.TanggalKedaluwarsa != nil {
		d := f.day("tanggal_kedaluwarsa", in.TanggalKedaluwarsa, time.Time{}, false)
		if !d.IsZero() {
			exp = &d
		}
	}
	batch := f.text("batch", in.Batch, 100, false)
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	if l.KurasiStatus != "diterima" && l.KurasiStatus != "tampil" {
		return Konsinyasi{}, apperr.Conflict(apperr.T("Produk ini sudah tidak tampil di titik ini; barang tidak bisa diterima lagi.",
			"The listing is closed; no more goods can be received."), "")
	}
	if err := s.insertGerak(ctx, tx, t, kurasiID, gerakRow{jenis: "terima", tanggal: tgl, jumlah: in.Jumlah, batch: batch, exp: exp, keterangan: ket}); err != nil {
		return Konsinyasi{}, err
	}
	return s.apply(ctx, tx, t, l, "diterima = diterima + $3", []any{in.Jumlah}, in)
}

// Periode is the reporting period of cadence kadens that holds day d: the
// ISO week (Monday–Sunday) or the calendar month.
func Periode(kadens string, d time.Time) (mulai, selesai time.Time) {
	if kadens == "mingguan" {
		back := (int(d.Weekday()) + 6) % 7
		mulai = d.AddDate(0, 0, -back)
		return mulai, mulai.AddDate(0, 0, 6)
	}
	mulai = time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	return mulai, mulai.AddDate(0, 1, -1)
}

// JualTx records a sales report: one whole period of the point's cadence,
// ended, not overlapping a reported one, not closed by a settlement or the
// end of the listing, and no more than on hand. The commission follows the
// terms: a share of gross, or the monthly fee on the first report ending in
// a month (at most its gross).
func (s *Service) JualTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiJual) (Konsinyasi, error) {
	l, err := s.lock(ctx, tx, t, titikID, kurasiID)
	if err != nil {
		return Konsinyasi{}, err
	}
	f := &fieldErrs{}
	mulai := f.day("periode_mulai", &in.PeriodeMulai, time.Time{}, true)
	selesai := f.day("periode_selesai", &in.PeriodeSelesai, time.Time{}, true)
	f.jumlah("jumlah", in.Jumlah, 0)
	f.jumlah("bruto", in.Bruto, 0)
	if in.Sumber != "mandiri" && in.Sumber != "verifikasi" {
		f.add("sumber", in.Sumber, apperr.T("Pilih: mandiri (dilaporkan pengelola) atau verifikasi (diperiksa staf).", "Choose mandiri or verifikasi."))
	}
	ket := f.text("keterangan", in.Keterangan, 1000, false)
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	if m, e := Periode(l.kadens, mulai); !m.Equal(mulai) || !e.Equal(selesai) {
		label := "satu minggu Senin–Minggu"
		if l.kadens == "bulanan" {
			label = "satu bulan kalender"
		}
		return Konsinyasi{}, apperr.Invalid(apperr.T("Periode laporan tidak sesuai jadwal lapor titik.", "The period does not follow the point's cadence."),
			apperr.Field{Location: "body.periode_mulai", Value: in.PeriodeMulai, Message: apperr.T(
				fmt.Sprintf("Titik ini melapor %s: periode yang memuat tanggal ini adalah %s–%s.", label, format.Tanggal(m, time.UTC), format.Tanggal(e, time.UTC)),
				"This point reports per "+l.kadens+" period.")})
	}
	closed := func(msg string) error {
		return apperr.InvalidField("body.periode_mulai", in.PeriodeMulai, apperr.T(msg, "The period is closed."))
	}
	switch {
	case selesai.After(l.today):
		return Konsinyasi{}, apperr.InvalidField("body.periode_selesai", in.PeriodeSelesai,
			apperr.T("Periode belum berakhir; laporkan setelah "+format.Tanggal(selesai, time.UTC)+".", "The period has not ended yet."))
	case l.TutupSampai != nil && in.PeriodeMulai <= *l.TutupSampai:
		return Konsinyasi{}, closed("Periode sudah ditutup oleh pembayaran sampai " + tanggal(*l.TutupSampai) + ".")
	case l.tampilSelesai != nil && mulai.After(*l.tampilSelesai):
		return Konsinyasi{}, closed("Produk sudah selesai tampil pada " + format.Tanggal(*l.tampilSelesai, time.UTC) + "; periode ini setelahnya.")
	}
	var overlap time.Time
	err = tx.QueryRow(ctx, `select periode_mulai from konsinyasi_gerak where kurasi_id = $1 and jenis = 'jual'
		and periode_mulai <= $3 and periode_selesai >= $2 limit 1`, kurasiID, mulai, selesai).Scan(&overlap)
	if err == nil {
		return Konsinyasi{}, apperr.InvalidField("body.periode_mulai", in.PeriodeMulai,
			apperr.T("Periode ini bertumpuk dengan laporan yang sudah ada (mulai "+format.Tanggal(overlap, time.UTC)+").", "The period overlaps a reported one."))
	} else if err != pgx.ErrNoRows {
		return Konsinyasi{}, fmt.Errorf("overlap: %w", err)
	}
	if in.Jumlah > l.DiTangan {
		return Konsinyasi{}, melebihi("jumlah", in.Jumlah, l.DiTangan)
	}
	komisi, err := s.komisi(ctx, tx, l, selesai, in.Bruto)
	if err != nil {
		return Konsinyasi{}, err
	}
	sumber := in.Sumber
	if err := s.insertGerak(ctx, tx, t, kurasiID, gerakRow{jenis: "jual", tanggal: l.today, jumlah: in.Jumlah, mulai: &mulai, selesai: &selesai,
		bruto: &in.Bruto, komisi: &komisi, sumber: &sumber, keterangan: ket}); err != nil {
		return Konsinyasi{}, err
	}
	return s.apply(ctx, tx, t, l, "terjual = terjual + $3, bruto = bruto + $4, komisi = komisi + $5, lapor_sampai = greatest(lapor_sampai, $6)",
		[]any{in.Jumlah, in.Bruto, komisi, selesai}, in)
}

func (s *Service) komisi(ctx context.Context, tx pgx.Tx, l locked, selesai time.Time, bruto int64) (int64, error) {
	if l.KomisiBP != nil {
		return bruto * int64(*l.KomisiBP) / 10000, nil
	}
	m, e := Periode("bulanan", selesai)
	var charged bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from konsinyasi_gerak where kurasi_id = $1 and jenis = 'jual'
		and periode_selesai between $2 and $3 and komisi > 0)`, l.KurasiID, m, e).Scan(&charged); err != nil {
		return 0, fmt.Errorf("biaya bulan ini: %w", err)
	}
	if charged {
		return 0, nil
	}
	return min(*l.BiayaBulanan, bruto), nil
}

func tanggal(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return format.Tanggal(d, time.UTC)
}

// ReturTx records stock returned to the business: no more than on hand.
func (s *Service) ReturTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiRetur) (Konsinyasi, error) {
	l, f, tgl, ket, err := s.entry(ctx, tx, t, titikID, kurasiID, in.Tanggal, in.Keterangan)
	if err != nil {
		return Konsinyasi{}, err
	}
	f.jumlah("jumlah", in.Jumlah, 1)
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	if in.Jumlah > l.DiTangan {
		return Konsinyasi{}, melebihi("jumlah", in.Jumlah, l.DiTangan)
	}
	if err := s.insertGerak(ctx, tx, t, kurasiID, gerakRow{jenis: "retur", tanggal: tgl, jumlah: in.Jumlah, keterangan: ket}); err != nil {
		return Konsinyasi{}, err
	}
	return s.apply(ctx, tx, t, l, "dikembalikan = dikembalikan + $3", []any{in.Jumlah}, in)
}

// KedaluwarsaTx records expired stock and the compensation owed for it.
func (s *Service) KedaluwarsaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiKedaluwarsa) (Konsinyasi, error) {
	l, f, tgl, ket, err := s.entry(ctx, tx, t, titikID, kurasiID, in.Tanggal, in.Keterangan)
	if err != nil {
		return Konsinyasi{}, err
	}
	f.jumlah("jumlah", in.Jumlah, 1)
	f.jumlah("kompensasi", in.Kompensasi, 0)
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	if in.Jumlah > l.DiTangan {
		return Konsinyasi{}, melebihi("jumlah", in.Jumlah, l.DiTangan)
	}
	komp := in.Kompensasi
	if err := s.insertGerak(ctx, tx, t, kurasiID, gerakRow{jenis: "kedaluwarsa", tanggal: tgl, jumlah: in.Jumlah, kompensasi: &komp, keterangan: ket}); err != nil {
		return Konsinyasi{}, err
	}
	return s.apply(ctx, tx, t, l, "kedaluwarsa = kedaluwarsa + $3, kompensasi = kompensasi + $4", []any{in.Jumlah, in.Kompensasi}, in)
}

// OpnameTx records a stock count: the variance against the ledger moves on
// hand to what was counted, and stays open unless explained.
func (s *Service) OpnameTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiOpname) (Konsinyasi, error) {
	l, f, tgl, ket, err := s.entry(ctx, tx, t, titikID, kurasiID, in.Tanggal, in.Keterangan)
	if err != nil {
		return Konsinyasi{}, err
	}
	f.jumlah("dihitung", in.Dihitung, 0)
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	variance := in.Dihitung - l.DiTangan
	counted := in.Dihitung
	if err := s.insertGerak(ctx, tx, t, kurasiID, gerakRow{jenis: "opname", tanggal: tgl, jumlah: variance, dihitung: &counted, keterangan: ket}); err != nil {
		return Konsinyasi{}, err
	}
	return s.apply(ctx, tx, t, l, "selisih = selisih + $3, opname_terakhir = greatest(opname_terakhir, $4), selisih_terbuka = $5",
		[]any{variance, tgl, variance != 0 && ket == nil}, in)
}

// SetorTx records a settlement to the business, never more than owed; it
// closes every period reported so far.
func (s *Service) SetorTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, titikID, kurasiID uuid.UUID, in KonsinyasiSetor) (Konsinyasi, error) {
	l, f, tgl, ket, err := s.entry(ctx, tx, t, titikID, kurasiID, in.Tanggal, in.Keterangan)
	if err != nil {
		return Konsinyasi{}, err
	}
	f.jumlah("jumlah", in.Jumlah, 1)
	bukti := f.text("nomor_bukti", &in.NomorBukti, 100, true)
	if err := f.err(); err != nil {
		return Konsinyasi{}, err
	}
	if in.Jumlah > l.Terutang {
		return Konsinyasi{}, apperr.InvalidField("body.jumlah", in.Jumlah, apperr.T(
			fmt.Sprintf("Melebihi yang terutang kepada UMKM (%s).", format.Rupiah(l.Terutang)), fmt.Sprintf("More than is owed (%d).", l.Terutang)))
	}
	var tutup *time.Time
	if l.LaporSampai != nil {
		d, _ := time.Parse(time.DateOnly, *l.LaporSampai)
		tutup = &d
	}
	if _, err := tx.Exec(ctx, `insert into konsinyasi_bayar (tenant_id, id, kurasi_id, jumlah, tanggal, nomor_bukti, tutup_sampai, keterangan, dicatat_oleh, created_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, t.ID, uuid.Must(uuid.NewV7()), kurasiID, in.Jumlah, tgl, *bukti, tutup, ket, actor(ctx), s.Now()); err != nil {
		return Konsinyasi{}, db.MapError(fmt.Errorf("bayar: %w", err))
	}
	return s.apply(ctx, tx, t, l, "dibayar = dibayar + $3, tutup_sampai = coalesce(greatest(tutup_sampai, $4), tutup_sampai)", []any{in.Jumlah, tutup}, in)
}
