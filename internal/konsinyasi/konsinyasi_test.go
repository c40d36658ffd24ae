package konsinyasi_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/konsinyasi"
)

// A month of a galeri: received, sold, returned, expired, counted, settled;
// every step balances and the money follows the terms.
func TestLedgerBalancesThroughAMonth(t *testing.T) {
	b := setup(t)
	l := b.listing(t, b.depok, b.titik(t, b.depok, "bulanan"), persen(1000)) // 10%
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 100, Batch: ptr("B-0112"), TanggalKedaluwarsa: ptr("2027-06-30"), Tanggal: ptr("2026-11-02")}, terima))
	k := must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-11-01", PeriodeSelesai: "2026-11-30", Jumlah: 40, Bruto: 3_400_000, Sumber: "mandiri"}, jual))
	if k.Komisi != 340_000 || k.Terutang != 3_060_000 || k.LaporSampai == nil || *k.LaporSampai != "2026-11-30" {
		t.Errorf("after the report: %+v", k)
	}
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiRetur{Jumlah: 10}, retur))
	k = must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiKedaluwarsa{Jumlah: 5, Kompensasi: 212_500}, kedaluwarsa))
	if k.DiTangan != 45 || k.Terutang != 3_272_500 {
		t.Errorf("after expiry: %+v", k)
	}
	k = must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiOpname{Dihitung: 43}, opname))
	if k.Selisih != -2 || k.DiTangan != 43 || !k.SelisihTerbuka || k.OpnameTerakhir == nil {
		t.Errorf("after an unexplained count: %+v", k)
	}
	k = must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiOpname{Dihitung: 43, Keterangan: ptr("Dua tas rusak terkena air, dibuang.")}, opname))
	if k.Selisih != -2 || k.SelisihTerbuka {
		t.Errorf("a count that agrees with an explanation should close the variance: %+v", k)
	}
	k = must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 3_000_000, NomorBukti: "TRF-20261205-01"}, setor))
	if k.Terutang != 272_500 || k.TutupSampai == nil || *k.TutupSampai != "2026-11-30" {
		t.Errorf("after settlement: %+v", k)
	}
	r := b.balanced(t, b.depok, l)
	if len(r.Gerak) != 6 || len(r.Bayar) != 1 || r.Bayar[0].NomorBukti != "TRF-20261205-01" {
		t.Errorf("ledger: %d movements, %+v", len(r.Gerak), r.Bayar)
	}
	var audits int
	if err := b.inTx(b.depok, func(tx pgxTx) error {
		return tx.QueryRow(context.Background(), "select count(*) from audit_log where entity = 'konsinyasi' and entity_id = $1", l.kurasi.String()).Scan(&audits)
	}); err != nil {
		t.Fatal(err)
	}
	if audits != 8 { // opened, six movements, one settlement
		t.Errorf("%d audit entries, want 8", audits)
	}
}

// Many reports at once on one listing: each waits for the head's lock, so
// the balance holds and on hand never goes negative; those that would
// take more than is on hand are refused naming jumlah, and nothing of them
// is written.
func TestConcurrentReportsKeepTheBalance(t *testing.T) {
	b := setup(t)
	b.now = time.Date(2028, 6, 1, 3, 0, 0, 0, time.UTC) // room for many weekly periods
	l := b.listing(t, b.depok, b.titik(t, b.depok, "mingguan"), persen(1500))
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 60, Tanggal: ptr("2026-01-01")}, terima))
	// 40 weekly reports of 3 (120 > 60) and 40 returns of 1 at once.
	first := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday
	var wg sync.WaitGroup
	var sold, returned, refused atomic.Int64
	errs := make(chan error, 80)
	for i := range 40 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			m := first.AddDate(0, 0, 7*i)
			_, err := do(b, b.depok, l, konsinyasi.KonsinyasiJual{PeriodeMulai: m.Format(time.DateOnly), PeriodeSelesai: m.AddDate(0, 0, 6).Format(time.DateOnly),
				Jumlah: 3, Bruto: 255_000, Sumber: "verifikasi"}, jual)
			switch ae, _ := apperr.As(err); {
			case err == nil:
				sold.Add(3)
			case ae != nil && ae.Kind == apperr.KindInvalid && len(ae.Fields) == 1 && ae.Fields[0].Location == "body.jumlah":
				refused.Add(1)
			default:
				errs <- err
			}
		}()
		go func() {
			defer wg.Done()
			_, err := do(b, b.depok, l, konsinyasi.KonsinyasiRetur{Jumlah: 1}, retur)
			switch ae, _ := apperr.As(err); {
			case err == nil:
				returned.Add(1)
			case ae != nil && ae.Kind == apperr.KindInvalid && ae.Fields[0].Location == "body.jumlah":
				refused.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected: %v", err)
	}
	r := b.balanced(t, b.depok, l)
	if r.Terjual != sold.Load() || r.Dikembalikan != returned.Load() || r.DiTangan != 60-sold.Load()-returned.Load() {
		t.Errorf("ledger %+v; sold %d returned %d", r.Konsinyasi, sold.Load(), returned.Load())
	}
	if r.DiTangan < 0 || r.DiTangan > 2 || refused.Load() == 0 {
		t.Errorf("on hand %d (refused %d): the stock should have run out", r.DiTangan, refused.Load())
	}
	if r.Komisi != int64(len(r.Gerak)-1-int(returned.Load()))*38_250 {
		t.Errorf("commission %d for %d sales reports", r.Komisi, len(r.Gerak)-1-int(returned.Load()))
	}
}

func TestMoreThanOnHandRefused(t *testing.T) {
	b := setup(t)
	l := b.listing(t, b.depok, b.titik(t, b.depok, "bulanan"), persen(1000))
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 10, Tanggal: ptr("2026-11-02")}, terima))
	_, err := do(b, b.depok, l, konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-11-01", PeriodeSelesai: "2026-11-30", Jumlah: 11, Bruto: 935_000, Sumber: "mandiri"}, jual)
	if msg := wantField(t, err, "body.jumlah"); !strings.Contains(msg, "stok di tangan (10)") {
		t.Errorf("message %q", msg)
	}
	_, err = do(b, b.depok, l, konsinyasi.KonsinyasiRetur{Jumlah: 11}, retur)
	wantField(t, err, "body.jumlah")
	_, err = do(b, b.depok, l, konsinyasi.KonsinyasiKedaluwarsa{Jumlah: 11}, kedaluwarsa)
	wantField(t, err, "body.jumlah")
	_, err = do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 0}, terima)
	wantField(t, err, "body.jumlah")
	_, err = do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 5, Tanggal: ptr("2026-12-09")}, terima)
	wantField(t, err, "body.tanggal")
	if r := b.balanced(t, b.depok, l); len(r.Gerak) != 1 || r.DiTangan != 10 {
		t.Errorf("a refusal wrote something: %+v", r)
	}
}

func TestSettlementCappedAtWhatIsOwed(t *testing.T) {
	b := setup(t)
	l := b.listing(t, b.depok, b.titik(t, b.depok, "bulanan"), persen(2000))
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 10, Tanggal: ptr("2026-10-01")}, terima))
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-10-01", PeriodeSelesai: "2026-10-31", Jumlah: 4, Bruto: 1_000_000, Sumber: "mandiri"}, jual))
	_, err := do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 800_001, NomorBukti: "TRF-1"}, setor)
	if msg := wantField(t, err, "body.jumlah"); !strings.Contains(msg, "Rp 800.000") {
		t.Errorf("message %q should name what is owed", msg)
	}
	_, err = do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 1000, NomorBukti: "  "}, setor)
	wantField(t, err, "body.nomor_bukti")
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 500_000, NomorBukti: "TRF-1"}, setor))
	_, err = do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 300_001, NomorBukti: "TRF-2"}, setor)
	wantField(t, err, "body.jumlah")
	k := must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 300_000, NomorBukti: "TRF-2"}, setor))
	if k.Terutang != 0 {
		t.Errorf("owed %d after paying all", k.Terutang)
	}
	b.balanced(t, b.depok, l)
}

// A period must follow the cadence, have ended, not overlap a reported
// one, and not be closed by a settlement or the end of the listing.
func TestPeriodRules(t *testing.T) {
	b := setup(t)
	l := b.listing(t, b.depok, b.titik(t, b.depok, "mingguan"), persen(1000))
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 50, Tanggal: ptr("2026-11-01")}, terima))
	week := func(mulai, selesai string) konsinyasi.KonsinyasiJual {
		return konsinyasi.KonsinyasiJual{PeriodeMulai: mulai, PeriodeSelesai: selesai, Jumlah: 1, Bruto: 85_000, Sumber: "mandiri"}
	}
	_, err := do(b, b.depok, l, week("2026-11-03", "2026-11-09"), jual) // a Tuesday
	if msg := wantField(t, err, "body.periode_mulai"); !strings.Contains(msg, "2 November 2026") {
		t.Errorf("message %q should name the week", msg)
	}
	_, err = do(b, b.depok, l, week("2026-12-07", "2026-12-13"), jual) // this week
	wantField(t, err, "body.periode_selesai")
	must(t)(do(b, b.depok, l, week("2026-11-09", "2026-11-15"), jual))
	_, err = do(b, b.depok, l, week("2026-11-09", "2026-11-15"), jual)
	if msg := wantField(t, err, "body.periode_mulai"); !strings.Contains(msg, "bertumpuk") {
		t.Errorf("overlap: %q", msg)
	}
	must(t)(do(b, b.depok, l, week("2026-11-16", "2026-11-22"), jual))
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiSetor{Jumlah: 100_000, NomorBukti: "TRF-9"}, setor))
	_, err = do(b, b.depok, l, week("2026-11-02", "2026-11-08"), jual) // unreported, but before the settlement
	if msg := wantField(t, err, "body.periode_mulai"); !strings.Contains(msg, "ditutup") {
		t.Errorf("closed: %q", msg)
	}
	must(t)(do(b, b.depok, l, week("2026-11-23", "2026-11-29"), jual))

	// The listing rotated out on 15 November: December is closed to it.
	bm := b.listing(t, b.depok, b.titik(t, b.depok, "bulanan"), persen(1000))
	must(t)(do(b, b.depok, bm, konsinyasi.KonsinyasiTerima{Jumlah: 5, Tanggal: ptr("2026-10-01")}, terima))
	if err := b.inTx(b.depok, func(tx pgxTx) error {
		_, err := tx.Exec(context.Background(), `update titik_kurasi set status = 'selesai', tampil_mulai = '2026-10-01', tampil_selesai = '2026-11-15' where id = $1`, bm.kurasi)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b.now = time.Date(2027, 1, 2, 3, 0, 0, 0, time.UTC)
	_, err = do(b, b.depok, bm, konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-12-01", PeriodeSelesai: "2026-12-31", Jumlah: 1, Bruto: 1, Sumber: "mandiri"}, jual)
	wantField(t, err, "body.periode_mulai")
	must(t)(do(b, b.depok, bm, konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-11-01", PeriodeSelesai: "2026-11-30", Jumlah: 1, Bruto: 1, Sumber: "mandiri"}, jual))
	_, err = do(b, b.depok, bm, konsinyasi.KonsinyasiTerima{Jumlah: 1}, terima)
	if apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("goods received for a closed listing: %v", err)
	}
}

// A fixed monthly fee is charged once a month, never above the gross.
func TestMonthlyFee(t *testing.T) {
	b := setup(t)
	l := b.listing(t, b.depok, b.titik(t, b.depok, "mingguan"), konsinyasi.KonsinyasiBuka{BiayaBulanan: ptr[int64](150_000)})
	must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiTerima{Jumlah: 50, Tanggal: ptr("2026-10-01")}, terima))
	rep := func(m string, bruto int64) konsinyasi.Konsinyasi {
		d, _ := time.Parse(time.DateOnly, m)
		return must(t)(do(b, b.depok, l, konsinyasi.KonsinyasiJual{PeriodeMulai: m, PeriodeSelesai: d.AddDate(0, 0, 6).Format(time.DateOnly), Jumlah: 1, Bruto: bruto, Sumber: "mandiri"}, jual))
	}
	if k := rep("2026-10-05", 100_000); k.Komisi != 100_000 {
		t.Errorf("fee capped at the gross: %d", k.Komisi)
	}
	if k := rep("2026-10-12", 400_000); k.Komisi != 100_000 {
		t.Errorf("fee charged twice in October: %d", k.Komisi)
	}
	if k := rep("2026-11-02", 400_000); k.Komisi != 250_000 {
		t.Errorf("November's fee: %d", k.Komisi)
	}
	_, err := b.svc.BukaTx(context.Background(), nil, b.depok, l.titik, l.kurasi, konsinyasi.KonsinyasiBuka{})
	wantField(t, err, "body.komisi_bp")
}

func TestOtherOfficeSeesNoLedger(t *testing.T) {
	b := setup(t)
	l := b.listing(t, b.depok, b.titik(t, b.depok, "bulanan"), persen(1000))
	if _, err := b.svc.Get(context.Background(), b.medan, l.titik, l.kurasi); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("medan reads depok's ledger: %v", err)
	}
	if _, err := do(b, b.medan, l, konsinyasi.KonsinyasiTerima{Jumlah: 1}, terima); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("medan receives into depok's ledger: %v", err)
	}
	if _, err := b.svc.Stok(context.Background(), b.medan, l.titik); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("medan reads depok's point: %v", err)
	}
}
