package pendanaan_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// debtor is an active interest-subsidy loan of principal pokok at bank.
func (b *bundle) debtor(t *testing.T, pokok int64, bank string) pendanaan.Pengajuan {
	t.Helper()
	id := b.umkm(t, b.depok, kelDepok, 1)[0]
	p := b.mustCreate(t, b.depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: &pokok, Bank: &bank})
	return b.walk(t, b.depok, p, toActive...)
}

func (b *bundle) month(tt *tenancy.Tenant, p pendanaan.Pengajuan, bulan string, bunga int64) (pendanaan.Subsidi, error) {
	var s pendanaan.Subsidi
	err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		s, err = b.svc.CreateSubsidiTx(context.Background(), tx, tt, pendanaan.SubsidiInput{PengajuanID: p.ID.String(), Bulan: bulan, Bunga: bunga}, pendanaan.View{})
		return err
	})
	return s, err
}

func (b *bundle) claim(bank, bulan string) (pendanaan.Klaim, error) {
	var k pendanaan.Klaim
	err := b.inTx(b.depok, func(tx pgx.Tx) (err error) {
		k, err = b.svc.CreateKlaimTx(context.Background(), tx, b.depok, pendanaan.KlaimInput{Bank: bank, Bulan: bulan})
		return err
	})
	return k, err
}

func TestSubsidyAtTheTierEdges(t *testing.T) {
	b := setup(t)
	for _, c := range []struct {
		pokok, bunga, subsidi, debitur int64
		bp                             int
	}{
		{25_000_000, 187_501, 168_750, 18_751, 9000},
		{26_000_000, 195_001, 156_000, 39_001, 8000},
	} {
		p := b.debtor(t, c.pokok, "bjb")
		s, err := b.month(b.depok, p, "2025-05", c.bunga)
		if err != nil {
			t.Fatalf("Rp%d: %v", c.pokok, err)
		}
		if s.SubsidiBP != c.bp || s.Subsidi != c.subsidi || s.BagianDebitur != c.debitur || s.Subsidi+s.BagianDebitur != c.bunga {
			t.Errorf("Rp%d: %+v", c.pokok, s)
		}
		if _, err := b.month(b.depok, p, "2025-05", c.bunga); apperr.KindOf(err) != apperr.KindConflict {
			t.Errorf("the same month twice: %v", err)
		}
	}
	id := b.umkm(t, b.depok, kelDepok, 1)[0]
	_, err := b.create(b.depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: ptr[int64](50_000_001), Bank: ptr("bjb")})
	wantField(t, err, "body.plafon")
	// A loan not yet active accrues nothing.
	p := b.mustCreate(t, b.depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: ptr[int64](5_000_000), Bank: ptr("bjb")})
	_, err = b.month(b.depok, p, "2025-05", 1000)
	wantKind(t, err, apperr.KindConflict)
	// Another office cannot write to Depok's debtor.
	_, err = b.month(b.medan, b.debtor(t, 5_000_000, "bjb"), "2025-05", 1000)
	wantField(t, err, "body.pengajuan_id")

	buku, err := b.svc.Ledger(context.Background(), b.depok, mustMonth(t, "2025-05"), "", pendanaan.View{})
	if err != nil {
		t.Fatal(err)
	}
	if len(buku.Items) != 2 || buku.TotalSubsidi != 168_750+156_000 || buku.TotalBunga != buku.TotalSubsidi+buku.TotalDebitur ||
		buku.Pagu.Pagu != 1_500_000_000 || buku.BelumDiklaim != buku.TotalSubsidi {
		t.Errorf("ledger %+v", buku)
	}
}

func mustMonth(t *testing.T, s string) time.Time {
	t.Helper()
	m, err := pendanaan.ParseBulan("bulan", s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestClaimsStopAtTheBudgetCeiling(t *testing.T) {
	b := setup(t)
	// A small ceiling for the year, as an override of the office.
	if _, err := b.svc.Ubah(context.Background(), b.depok, "subsidi_bunga_depok", pendanaan.UbahanInput{BerlakuMulai: "2025-01-01",
		Aturan: json.RawMessage(`{"pagu_tahunan": {"2025": 250000}}`), Alasan: "APBD perubahan"}); err != nil {
		t.Fatal(err)
	}
	bjb, dki := b.debtor(t, 20_000_000, "bjb"), b.debtor(t, 20_000_000, "DKI")
	for _, p := range []pendanaan.Pengajuan{bjb, dki} {
		if _, err := b.month(b.depok, p, "2025-04", 150_000); err != nil { // 135.000 subsidy each
			t.Fatal(err)
		}
	}
	// Two claims race for a budget that holds only one: one passes.
	var (
		wg   sync.WaitGroup
		errs [2]error
	)
	for i, bank := range []string{"bjb", "DKI"} {
		wg.Go(func() { _, errs[i] = b.claim(bank, "2025-04") })
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.KindOf(err) == apperr.KindConflict:
			refused++
		default:
			t.Fatalf("claim: %v", err)
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("%d claims passed, %d refused: %v", ok, refused, errs)
	}
	pagu, err := b.svc.GetPagu(context.Background(), b.depok, 2025)
	if err != nil || pagu.Terpakai != 135_000 || pagu.Sisa != 115_000 {
		t.Fatalf("budget %+v, %v", pagu, err)
	}
	// The refused claim wrote nothing: its bank's row is still unclaimed.
	if n := b.count(t, b.depok, `select count(*) from subsidi_bunga where klaim_id is null`); n != 1 {
		t.Errorf("%d unclaimed rows, want 1", n)
	}
	if n := b.count(t, b.depok, `select count(*) from klaim_subsidi`); n != 1 {
		t.Errorf("%d claims, want 1", n)
	}
	// Exactly up to the ceiling passes.
	p := b.debtor(t, 30_000_000, "BTN")
	if _, err := b.month(b.depok, p, "2025-04", 143_750); err != nil { // 80 %: 115.000
		t.Fatal(err)
	}
	k, err := b.claim("BTN", "2025-04")
	if err != nil || k.Jumlah != 115_000 {
		t.Fatalf("claim to the ceiling: %+v, %v", k, err)
	}
	_, err = b.claim("BTN", "2025-04")
	wantField(t, err, "body.bulan") // nothing left to claim

	// Verification, then payment with its SP2D.
	ctx := context.Background()
	_, err = b.svc.Bayar(ctx, b.depok, k.ID, k.Version, pendanaan.BayarInput{NomorSP2D: "SP2D-1", TanggalSP2D: "2025-06-10"})
	wantKind(t, err, apperr.KindConflict)
	if k, err = b.svc.Verifikasi(ctx, b.depok, k.ID, k.Version); err != nil || k.Status != "diverifikasi" {
		t.Fatalf("verify: %+v, %v", k, err)
	}
	_, err = b.svc.Bayar(ctx, b.depok, k.ID, k.Version, pendanaan.BayarInput{NomorSP2D: " ", TanggalSP2D: "2025-06-10"})
	wantField(t, err, "body.nomor_sp2d")
	if k, err = b.svc.Bayar(ctx, b.depok, k.ID, k.Version, pendanaan.BayarInput{NomorSP2D: "SP2D-1", TanggalSP2D: "2025-06-10"}); err != nil ||
		k.Status != "dibayar" || *k.NomorSP2D != "SP2D-1" {
		t.Fatalf("pay: %+v, %v", k, err)
	}
	_, err = b.svc.GetKlaim(ctx, b.medan, k.ID)
	wantKind(t, err, apperr.KindNotFound)
}
