package webtest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/koperasi"
)

// The cooperatives SeedReklasifikasi writes, by the outcome a campaign
// with the default thresholds gives them.
const (
	KopTokoMakmur   = "KSU Toko Makmur"             // konsumen 90%, high; a savings-and-loan unit beside it
	KopSimpanPinjam = "KSU Simpan Pinjam Sejahtera" // simpan pinjam 62%, high
	KopTaniSubur    = "KSU Tani Subur"              // produsen 80%, high
	KopKaryaBersama = "KSU Karya Bersama"           // konsumen 45% and 15 points ahead: medium
	KopSeimbang     = "KSU Seimbang"                // konsumen and jasa 50% each: needs review
	KopTanpaData    = "KSU Tanpa Data"              // no business unit: needs data
	KopBerjenis     = "Koperasi Jasa Berjenis"      // already typed: not in a campaign
)

// SeedReklasifikasi writes the cooperatives above into the first
// kelurahan of the office slug (as internal/koperasi's tests do, with
// koperasi.InsertGenerated) and returns their ids by name.
func (s *Server) SeedReklasifikasi(t testing.TB, slug string) map[string]uuid.UUID {
	t.Helper()
	ctx := context.Background()
	unit := func(kind koperasi.UnitKind, juta int64) koperasi.GenUnit {
		return koperasi.GenUnit{ID: uuid.Must(uuid.NewV7()), Kind: kind, Nama: "Unit " + string(kind),
			Volume: map[int]int64{time.Now().Year() - 1: juta * 1_000_000}}
	}
	list := []struct {
		nama, jenis string
		units       []koperasi.GenUnit
	}{
		{KopTokoMakmur, "", []koperasi.GenUnit{unit("toko", 900), unit("simpan_pinjam", 100)}},
		{KopSimpanPinjam, "", []koperasi.GenUnit{unit("simpan_pinjam", 620), unit("waserda", 380)}},
		{KopTaniSubur, "", []koperasi.GenUnit{unit("pertanian", 800), unit("toko", 200)}},
		{KopKaryaBersama, "", []koperasi.GenUnit{unit("toko", 45), unit("transportasi", 30), unit("lainnya", 25)}},
		{KopSeimbang, "", []koperasi.GenUnit{unit("toko", 50), unit("transportasi", 50)}},
		{KopTanpaData, "", nil},
		{KopBerjenis, "jasa", []koperasi.GenUnit{unit("klinik", 300)}},
	}
	ids := map[string]uuid.UUID{}
	err := s.Env.DB.InTenantTx(ctx, s.Tenants[slug].ID, func(tx pgx.Tx) error {
		var kel, kec string
		if err := tx.QueryRow(ctx, `select kode, parent_kode from wilayah where level = 'desa_kelurahan' order by kode limit 1`).Scan(&kel, &kec); err != nil {
			return err
		}
		var gen []koperasi.GenKoperasi
		ksu := string(koperasi.KelompokKSU)
		for _, k := range list {
			g := koperasi.GenKoperasi{ID: uuid.Must(uuid.NewV7()), Nama: k.nama, KecamatanKode: kec, KelurahanKode: kel, Kelompok: &ksu,
				BadanHukumNomor: "518/BH/XIII.3/2005", BadanHukumTanggal: time.Date(2005, 3, 1, 0, 0, 0, 0, time.UTC), Aktif: true, Units: k.units}
			if k.jenis != "" {
				j := k.jenis
				g.Jenis, g.Kelompok = &j, nil
			}
			gen = append(gen, g)
			ids[k.nama] = g.ID
		}
		return koperasi.InsertGenerated(ctx, tx, s.Tenants[slug].ID, gen)
	})
	if err != nil {
		t.Fatalf("seed cooperatives of %s: %v", slug, err)
	}
	return ids
}

// WaitKampanye waits until no campaign of the office slug runs (the River
// workers of Work finish it).
func (s *Server) WaitKampanye(t testing.TB, slug string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if s.Count(t, `select count(*) from reklasifikasi_kampanye where tenant_id = $1 and status = 'berjalan'`, s.Tenants[slug].ID) == 0 {
			return
		}
	}
	t.Fatalf("the campaign of %s still runs after 30 s", slug)
}
