package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/pendanaan"
)

// KelurahanMesra is the desa/kelurahan of the businesses SeedKelompok
// registers (Depok, Pancoran Mas).
const KelurahanMesra = "32.76.01.1006"

// SeedKelompok registers n businesses of Depok in KelurahanMesra named
// "Usaha Mesra 1" … "Usaha Mesra n" and returns their ids.
func (s *Server) SeedKelompok(t testing.TB, n int) []uuid.UUID {
	t.Helper()
	depok := s.Tenants["depok"]
	var ids []uuid.UUID
	err := s.Env.DB.InTenantTx(context.Background(), depok.ID, func(tx pgx.Tx) error {
		for i := 1; i <= n; i++ {
			id := uuid.Must(uuid.NewV7())
			if _, err := tx.Exec(context.Background(), `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
				values ($1, $2, $3, $4, 'kuliner', 'staf', $5, $6)`, depok.ID, id, fmt.Sprintf("Pemilik Mesra %d", i), fmt.Sprintf("Usaha Mesra %d", i),
				KelurahanMesra[:8], KelurahanMesra); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed kelompok: %v", err)
	}
	return ids
}

// BerkasKelompok records every paper Kredit Mesra asks of Depok's group
// application id not recorded yet: the RT's, the RW's and the kelurahan's
// recommendations, and each member's KTP, KK, PKM certificate and bjb
// savings account.
func (s *Server) BerkasKelompok(t testing.TB, id uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	depok := s.Tenants["depok"]
	p, err := s.Pendanaan.Get(ctx, depok, id, pendanaan.View{})
	if err != nil {
		t.Fatalf("berkas kelompok: %v", err)
	}
	have := map[string]bool{}
	for _, b := range p.Berkas {
		if b.UMKMID == nil {
			have[b.Jenis] = true
		} else {
			have[b.UMKMID.String()+b.Jenis] = true
		}
	}
	var in []pendanaan.BerkasInput
	for _, j := range []string{"rt", "rw", "kelurahan"} {
		if !have[j] {
			in = append(in, pendanaan.BerkasInput{Jenis: j})
		}
	}
	for _, m := range p.Anggota {
		id := m.UMKMID.String()
		for _, j := range []string{"ktp", "kk", "sertifikat_pkm", "rekening_bjb"} {
			if !have[id+j] {
				in = append(in, pendanaan.BerkasInput{Jenis: j, UMKMID: &id})
			}
		}
	}
	err = s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		for _, b := range in {
			if _, err := s.Pendanaan.CreateBerkasTx(ctx, tx, depok, p.ID, b, pendanaan.View{}); err != nil {
				return fmt.Errorf("%s: %w", b.Jenis, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("berkas kelompok: %v", err)
	}
}

// nibDebitur makes each debtor's NIB its own (one live NIB per office).
var nibDebitur atomic.Int64

// ActiveDebtor is an active interest-subsidy loan of Depok of principal
// pokok at bank bjb, its business "nama" (with a NIB; its owner's KTP seen
// by the office), walked through the pipeline: declared not ASN and
// without bad credit at lengkap, the bank's SLIK clean at disurvei.
func (s *Server) ActiveDebtor(t testing.TB, nama string, pokok int64) pendanaan.Pengajuan {
	t.Helper()
	ctx := context.Background()
	depok := s.Tenants["depok"]
	id := uuid.Must(uuid.NewV7()).String()
	var p pendanaan.Pengajuan
	err := s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode, nib)
			values ($1, $2, 'Pemilik Debitur', $3, 'kuliner', 'staf', $4, $5, $6)`, depok.ID, id, nama, KelurahanMesra[:8], KelurahanMesra,
			fmt.Sprintf("81%011d", nibDebitur.Add(1))); err != nil {
			return err
		}
		var err error
		bank := "bjb"
		if p, err = s.Pendanaan.CreateTx(ctx, tx, depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: &pokok, Bank: &bank}, pendanaan.View{}); err != nil {
			return err
		}
		_, err = s.Pendanaan.CreateBerkasTx(ctx, tx, depok, p.ID, pendanaan.BerkasInput{Jenis: "ktp"}, pendanaan.View{})
		return err
	})
	if err != nil {
		t.Fatalf("debtor: %v", err)
	}
	day := time.Now().Format(time.DateOnly)
	yes, bersih := true, pendanaan.SLIKBersih
	for _, st := range []pendanaan.LangkahInput{{Tahap: "lengkap", PernyataanBukanASN: &yes, PernyataanTanpaKreditMacet: &yes}, {Tahap: "dikirim_bank"},
		{Tahap: "disurvei", SLIK: &bersih}, {Tahap: "disetujui"},
		{Tahap: "akad", NomorAkad: &nama, TanggalAkad: &day}, {Tahap: "sk", NomorSK: &nama, TanggalSK: &day}, {Tahap: "aktif"}} {
		if p, err = s.Pendanaan.Langkah(ctx, depok, p.ID, p.Version, st, pendanaan.View{}); err != nil {
			t.Fatalf("debtor to %s: %v", st.Tahap, err)
		}
	}
	return p
}

// PaguSubsidi sets Depok's interest-subsidy ceiling of this year and the
// last (the reference has figures for 2024 and 2025 only), as an override.
func (s *Server) PaguSubsidi(t testing.TB, pagu int64) {
	t.Helper()
	y := time.Now().Year()
	// Each override from its own day (one a day per scheme), after the last.
	n := s.Count(t, `select count(*) from skema_dana_ubah`)
	raw, _ := json.Marshal(map[string]any{"pagu_tahunan": map[string]int64{fmt.Sprint(y): pagu, fmt.Sprint(y - 1): pagu}})
	if _, err := s.Pendanaan.Ubah(context.Background(), s.Tenants["depok"], "subsidi_bunga_depok", pendanaan.UbahanInput{
		BerlakuMulai: fmt.Sprintf("%d-01-%02d", y-1, n+1), Aturan: raw, Alasan: "uji"}); err != nil {
		t.Fatalf("pagu: %v", err)
	}
}

// SubsidiDiajukan is a just-filed interest-subsidy application of Depok
// for business "nama", registered without a NIB, its owner's KTP seen:
// the NIB gate fails until a paper records it.
func (s *Server) SubsidiDiajukan(t testing.TB, nama string) pendanaan.Pengajuan {
	t.Helper()
	ctx := context.Background()
	depok := s.Tenants["depok"]
	id := uuid.Must(uuid.NewV7()).String()
	var p pendanaan.Pengajuan
	err := s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Pemilik Pemohon', $3, 'kuliner', 'staf', $4, $5)`, depok.ID, id, nama, KelurahanMesra[:8], KelurahanMesra); err != nil {
			return err
		}
		pokok, bank := int64(10_000_000), "bjb"
		var err error
		if p, err = s.Pendanaan.CreateTx(ctx, tx, depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: &pokok, Bank: &bank}, pendanaan.View{}); err != nil {
			return err
		}
		_, err = s.Pendanaan.CreateBerkasTx(ctx, tx, depok, p.ID, pendanaan.BerkasInput{Jenis: "ktp"}, pendanaan.View{})
		return err
	})
	if err != nil {
		t.Fatalf("subsidi diajukan: %v", err)
	}
	return p
}
