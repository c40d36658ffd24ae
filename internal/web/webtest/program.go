package webtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/dasbor"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Bantuan is the help SeedBantuan gave.
type Bantuan struct {
	Pelatihan, Lanjutan uuid.UUID     // the two trainings of 2026
	Usaha               []umkm.Record // the register in the order helped: the first eight took part, the ninth applied for funding
	// Kelurahan is the busiest desa/kelurahan: three of its businesses
	// (the first three) took part, many more never did.
	Kelurahan string
}

// SeedBantuan gives help to Depok's businesses through the services, as
// staff would: five more businesses in the busiest desa/kelurahan; the
// office's agency; a training of 2026 that selects eight businesses
// (three of the busiest desa/kelurahan, then the register's first others) and completes six; a second training of 2026 that selects
// the first again once an admin overrode the overlap (the same kind twice
// in a year); a funding application of the ninth. Then it recomputes
// Depok's dashboard, as the job those writes queue would.
func (s *Server) SeedBantuan(t testing.TB) Bantuan {
	t.Helper()
	ctx := context.Background()
	depok := s.Tenants["depok"]
	list := func() []umkm.Record {
		page, err := s.UMKM.List(ctx, depok, umkm.Filter{Limit: 100}, umkm.Scope{}, umkm.View{})
		if err != nil || page.NextCursor != "" {
			t.Fatalf("register of depok: %d, more: %v, %v", len(page.Items), page.NextCursor != "", err)
		}
		return page.Items
	}
	// The busiest desa/kelurahan gets five more businesses, registered
	// as staff would.
	perKel, busiest, kecamatan := map[string]int{}, "", ""
	for _, u := range list() {
		if perKel[u.KelurahanKode]++; perKel[u.KelurahanKode] > perKel[busiest] {
			busiest, kecamatan = u.KelurahanKode, u.KecamatanKode
		}
	}
	if err := s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		for i := 1; i <= 5; i++ {
			if _, err := s.UMKM.CreateTx(ctx, tx, depok, umkm.Input{NamaPemilik: fmt.Sprintf("Pemilik Ramai %d", i), NamaUsaha: fmt.Sprintf("Usaha Ramai %d", i),
				Sektor: "kuliner", KecamatanKode: kecamatan, KelurahanKode: busiest}, umkm.SourceStaf, umkm.Scope{}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("register in %s: %v", busiest, err)
	}
	items := list()
	// Three of the busiest, then the others, the busiest's rest last.
	out := Bantuan{Kelurahan: busiest}
	var others, later []umkm.Record
	for _, u := range items {
		switch {
		case u.KelurahanKode != busiest:
			others = append(others, u)
		case len(out.Usaha) < 3:
			out.Usaha = append(out.Usaha, u)
		default:
			later = append(later, u)
		}
	}
	out.Usaha = append(append(out.Usaha, others...), later...)
	var (
		agensi program.Agensi
		err    error
	)
	training := func(nama string) uuid.UUID {
		var d program.Detail
		if err := s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			if agensi.ID == uuid.Nil {
				if agensi, err = s.Program.CreateAgensiTx(ctx, tx, depok, program.AgensiInput{Nama: "Dinas KUMKM Depok", Jenis: "kantor"}); err != nil {
					return err
				}
			}
			d, err = s.Program.CreateTx(ctx, tx, depok, program.Input{Nama: nama, Jenis: "pelatihan", AgensiID: agensi.ID, Tahun: 2026,
				SumberDana: "apbd", Satuan: "usaha", Kuota: 10, Status: "dibuka"})
			return err
		}); err != nil {
			t.Fatalf("programme %s: %v", nama, err)
		}
		return d.ID
	}
	apply := func(prog uuid.UUID, u umkm.Record) program.Peserta {
		var p program.Peserta
		if err := s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			p, err = s.Program.ApplyTx(ctx, tx, depok, prog, program.PesertaInput{Pemohon: "umkm", UMKMID: &u.ID, BukanASN: true}, program.View{PII: true})
			return err
		}); err != nil {
			t.Fatalf("apply %s: %v", u.NamaUsaha, err)
		}
		return p
	}
	today := time.Now().Format(time.DateOnly)
	out.Pelatihan = training("Pelatihan Kemasan 2026")
	for i, u := range out.Usaha[:8] {
		p := apply(out.Pelatihan, u)
		if p, err = s.Program.Select(ctx, depok, out.Pelatihan, p.ID, p.Version); err != nil {
			t.Fatalf("select %s: %v", u.NamaUsaha, err)
		}
		if i < 6 {
			nomor := fmt.Sprintf("SERT-%d", i+1)
			if _, err = s.Program.Complete(ctx, depok, out.Pelatihan, p.ID, p.Version, program.SelesaiInput{Tanggal: today, SertifikatNomor: &nomor}); err != nil {
				t.Fatalf("complete %s: %v", u.NamaUsaha, err)
			}
		}
	}
	out.Lanjutan = training("Pelatihan Pemasaran Digital 2026")
	p := apply(out.Lanjutan, out.Usaha[0])
	overlap := &tumpang.Service{DB: s.Env.DB, Logger: s.services.Logger, Now: time.Now}
	if _, err := overlap.Izinkan(ctx, depok, out.Lanjutan, p.ID, tumpang.IzinInput{Alasan: "Lanjutan dari pelatihan kemasan"}, tumpang.View{PII: true}); err != nil {
		t.Fatalf("override the overlap: %v", err)
	}
	if _, err = s.Program.Select(ctx, depok, out.Lanjutan, p.ID, p.Version); err != nil {
		t.Fatalf("select after the override: %v", err)
	}
	if err := s.Env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		id, bank, plafon := out.Usaha[8].ID.String(), "bjb", int64(20_000_000)
		_, err := s.Pendanaan.CreateTx(ctx, tx, depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: &plafon, Bank: &bank}, pendanaan.View{})
		return err
	}); err != nil {
		t.Fatalf("funding application: %v", err)
	}
	s.RefreshDasbor(t, "depok")
	return out
}

// RefreshDasbor recomputes a tenant's dashboard figures now, as the job
// its writes queued would.
func (s *Server) RefreshDasbor(t testing.TB, slug string) {
	t.Helper()
	ctx := context.Background()
	if err := s.Env.DB.InTenantTx(ctx, s.Tenants[slug].ID, func(tx pgx.Tx) error {
		_, err := dasbor.Refresh(ctx, tx, s.Tenants[slug].ID)
		return err
	}); err != nil {
		t.Fatalf("dashboard of %s: %v", slug, err)
	}
}
