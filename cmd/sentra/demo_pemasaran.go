package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/httpapi"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Depok's marketing, as seeds 000 and 003 tell it: partners it works with
// (a hotel with an agreement about to end, a hospital with none), a galeri
// run by a partner who reported sales for five weeks and then stopped —
// seed 003's story, which the late-report dashboard now catches — and a
// consultant of the clinic with a weekly schedule. All through the
// services, on the first start only.

func seedDemoPemasaran(ctx context.Context, d *db.DB, logger *slog.Logger) error {
	t, err := (&tenant.Store{DB: d}).Resolve(ctx, "depok")
	if err != nil {
		return err
	}
	office := t.Scope()
	var have bool
	var records []uuid.UUID
	if err := d.InTenantTx(ctx, office.ID, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "select exists (select from titik)").Scan(&have); err != nil || have {
			return err
		}
		// Craft and fashion businesses with their NIB: the gate asks them
		// for nothing else.
		rows, err := tx.Query(ctx, `select id from umkm where archived_at is null and nib is not null
			and sektor in ('kerajinan', 'fesyen') order by id limit 4`)
		if err != nil {
			return err
		}
		records, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	}); err != nil {
		return err
	}
	if have || len(records) < 4 {
		return nil
	}
	today, err := office.Today(time.Now())
	if err != nil {
		return err
	}
	start := time.Now()
	if err := seedDemoKemitraan(ctx, d, logger, office, today); err != nil {
		return fmt.Errorf("demo partners: %w", err)
	}
	if err := seedDemoGaleri(ctx, d, logger, office, today, records); err != nil {
		return fmt.Errorf("demo galeri: %w", err)
	}
	if err := seedDemoKlinik(ctx, d, logger, office); err != nil {
		return fmt.Errorf("demo clinic: %w", err)
	}
	logger.Info("demo marketing, partners and clinic", "tenant", office.Slug, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}

func seedDemoKemitraan(ctx context.Context, d *db.DB, logger *slog.Logger, t *tenancy.Tenant, today time.Time) error {
	svc := &kemitraan.Service{DB: d, Logger: logger, Now: time.Now}
	return d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		hotel, err := svc.CreateMitraTx(ctx, tx, t, kemitraan.MitraKerjaSamaInput{Jenis: "hotel", Nama: "Hotel Bumi Wiyata"})
		if err != nil {
			return err
		}
		if _, err := svc.CreateMitraTx(ctx, tx, t, kemitraan.MitraKerjaSamaInput{Jenis: "rumah_sakit", Nama: "RSUD Kota Depok"}); err != nil {
			return err
		}
		day := func(t time.Time) string { return t.Format(time.DateOnly) }
		nomor := "500/112/DKUM/" + fmt.Sprint(today.Year()-2)
		scope := "Pojok UMKM di lobi hotel; laporan penjualan bulanan paling lambat tanggal 5."
		p, err := svc.CreatePerjanjianTx(ctx, tx, t, kemitraan.PerjanjianInput{MitraID: hotel.ID, Jenis: "pks", Judul: "Pojok UMKM Hotel Bumi Wiyata",
			NomorKantor: &nomor, TanggalKantor: ptr(day(today.AddDate(-2, 0, 45))), RuangLingkup: &scope,
			Mulai: day(today.AddDate(-2, 0, 45)), Berakhir: day(today.AddDate(0, 0, 45)), Status: "berlaku"})
		if err != nil {
			return err
		}
		_, err = svc.CreateEvaluasiTx(ctx, tx, t, p.ID, kemitraan.EvaluasiPerjanjianInput{Tanggal: day(today.AddDate(0, -8, 0)),
			Hasil: "Penjualan stabil; pojok perlu papan nama yang lebih besar."})
		return err
	})
}

func seedDemoGaleri(ctx context.Context, d *db.DB, logger *slog.Logger, t *tenancy.Tenant, today time.Time, records []uuid.UUID) error {
	registry := &umkm.Service{DB: d, Logger: logger, Now: time.Now}
	points := &pemasaran.Service{DB: d, Logger: logger, Now: time.Now, Rujuk: httpapi.PemasaranRujuk(registry)}
	ledger := &konsinyasi.Service{DB: d, Logger: logger, Now: time.Now}
	operator := "CV Galeri Nusantara"
	note := "Dikelola mitra; laporan penjualan mingguan."
	var galeri pemasaran.Titik
	var listings []pemasaran.Kurasi
	if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		galeri, err = points.CreateTitikTx(ctx, tx, t, pemasaran.TitikInput{Jenis: "galeri", Nama: "Galeri UMKM Balai Kota Depok",
			KecamatanKode: ptr("32.76.01"), OperatorJenis: "mitra", OperatorNama: &operator, Dijaga: true, LaporKadens: "mingguan", Keterangan: &note},
			pemasaran.View{})
		if err != nil {
			return err
		}
		for i, id := range records {
			p, err := points.CreateProdukTx(ctx, tx, t, id, pemasaran.ProdukInput{Nama: []string{"Tas anyaman pandan", "Batik tulis motif Depok",
				"Kotak tisu rotan", "Kemeja batik cap"}[i], Kategori: []string{"kerajinan", "fesyen", "kerajinan", "fesyen"}[i], Harga: int64(75_000 + 25_000*i)},
				pemasaran.View{})
			if err != nil {
				return err
			}
			k, err := points.KurasikanTx(ctx, tx, t, galeri.ID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"}, pemasaran.View{})
			if err != nil {
				return err
			}
			listings = append(listings, k)
		}
		return nil
	}); err != nil {
		return err
	}
	// Goods came in eight weeks ago; the partner reported five weeks and
	// then stopped, as seed 003's did.
	monday := today.AddDate(0, 0, -int(today.Weekday()+6)%7-56)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	for i, k := range listings {
		if k.Status != "diterima" {
			continue
		}
		price := int64(75_000 + 25_000*i)
		if err := d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
			if _, err := ledger.BukaTx(ctx, tx, t, galeri.ID, k.ID, konsinyasi.KonsinyasiBuka{KomisiBP: ptr(1500)}); err != nil {
				return err
			}
			if _, err := ledger.TerimaTx(ctx, tx, t, galeri.ID, k.ID, konsinyasi.KonsinyasiTerima{Jumlah: 30, Batch: ptr("B-01"),
				Tanggal: ptr(day(monday))}); err != nil {
				return err
			}
			for w := range 5 {
				sold := int64(1 + (i+w)%3)
				if _, err := ledger.JualTx(ctx, tx, t, galeri.ID, k.ID, konsinyasi.KonsinyasiJual{PeriodeMulai: day(monday.AddDate(0, 0, 7*w)),
					PeriodeSelesai: day(monday.AddDate(0, 0, 7*w+6)), Jumlah: sold, Bruto: sold * price, Sumber: "mandiri"}); err != nil {
					return err
				}
			}
			_, err := ledger.SetorTx(ctx, tx, t, galeri.ID, k.ID, konsinyasi.KonsinyasiSetor{Jumlah: int64(1+i%3) * price * 85 / 100,
				Tanggal: ptr(day(monday.AddDate(0, 0, 14))), NomorBukti: fmt.Sprintf("TRF-%03d", i+1)})
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

func seedDemoKlinik(ctx context.Context, d *db.DB, logger *slog.Logger, t *tenancy.Tenant) error {
	svc := &klinik.Service{DB: d, Logger: logger, Now: time.Now}
	areas, err := svc.ListLayanan(ctx, t, false)
	if err != nil {
		return err
	}
	var serve []uuid.UUID
	for _, a := range areas {
		if a.Kode == "legalitas" || a.Kode == "pemasaran" {
			serve = append(serve, a.ID)
		}
	}
	place := "Sentra UMKM, Jl. Margonda Raya"
	return d.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		_, err := svc.CreateKonsultanTx(ctx, tx, t, klinik.KlinikKonsultanInput{Nama: "Rina Marlina", SlotMenit: 60, KuotaHarian: 3, Layanan: serve,
			Jadwal: []klinik.KlinikJadwal{{Hari: 1, Mulai: "09:00", Selesai: "12:00", Tempat: place}, {Hari: 3, Mulai: "13:00", Selesai: "16:00", Tempat: place}}})
		return err
	})
}

func ptr[T any](v T) *T { return &v }
