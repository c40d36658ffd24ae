package jobs_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/konsinyasi"
)

// TestKonsinyasiOverdueAlertOnce: the hourly job, on a fixed clock, raises
// one alert for a monthly point whose November went unreported, judged on
// the office's calendar (6 December in Depok, still 5 December in UTC:
// within the grace there), and none for a point that reported; run again it
// adds nothing, and the report closes the alert.
func TestKonsinyasiOverdueAlertOnce(t *testing.T) {
	ctx := context.Background()
	env := dbtest.New(t)
	l := slog.New(slog.DiscardHandler)
	store := realOffices(t, env, l)
	depok := office(t, store, "depok")
	now := time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC) // 6 December 01:00 WIB
	svc := &konsinyasi.Service{DB: env.DB, Logger: l, Now: func() time.Time { return now }}

	lapor, diam := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	listing := map[uuid.UUID]uuid.UUID{}
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		u, p := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		if _, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Siti Aminah', 'Anyaman Siti', 'kriya', 'staf', '32.76.01', '32.76.01.1006')`, depok.ID, u); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into produk (tenant_id, id, umkm_id, nama, kategori, harga) values ($1, $2, $3, 'Tas anyaman', 'kerajinan', 85000)`,
			depok.ID, p, u); err != nil {
			return err
		}
		for _, titik := range []uuid.UUID{lapor, diam} {
			k := uuid.Must(uuid.NewV7())
			listing[titik] = k
			if _, err := tx.Exec(ctx, `insert into titik (tenant_id, id, jenis, nama, operator_jenis, operator_nama, dijaga, lapor_kadens)
				values ($1, $2, 'galeri', 'Galeri', 'mitra', 'CV Mitra', true, 'bulanan')`, depok.ID, titik); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `insert into titik_kurasi (tenant_id, id, titik_id, umkm_id, produk_id, status, aturan_kategori, aturan_versi, tanggal_putusan)
				values ($1, $2, $3, $4, $5, 'diterima', 'kerajinan', 1, '2026-10-20')`, depok.ID, k, titik, u, p); err != nil {
				return err
			}
			if _, err := svc.BukaTx(ctx, tx, depok.Scope(), titik, k, konsinyasi.KonsinyasiBuka{KomisiBP: new(int)}); err != nil {
				return err
			}
			if _, err := svc.TerimaTx(ctx, tx, depok.Scope(), titik, k, konsinyasi.KonsinyasiTerima{Jumlah: 10, Tanggal: ptrS("2026-11-02")}); err != nil {
				return err
			}
		}
		_, err := svc.JualTx(ctx, tx, depok.Scope(), lapor, listing[lapor], konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-11-01", PeriodeSelesai: "2026-11-30", Jumlah: 2, Bruto: 170_000, Sumber: "mandiri"})
		return err
	}); err != nil {
		t.Fatal(err)
	}

	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, Logger: l}, jobs.Services{DB: env.DB, Logger: l, Konsinyasi: svc})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"retention", "dasbor"} {
		client.PeriodicJobs().RemoveByID(id)
	}
	offices := 0
	if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select count(*) from tenants where state <> 'archived'").Scan(&offices)
	}); err != nil {
		t.Fatal(err)
	}
	events := start(t, client) // the periodic job runs on start
	done := 0
	awaitJobs(t, events, func(ev *river.Event) bool {
		if ev.Job.Kind == (jobs.KonsinyasiKantorArgs{}).Kind() {
			done++
		}
		return done == offices
	})

	type alert struct {
		titik          uuid.UUID
		mulai, selesai time.Time
		closed         bool
	}
	alerts := func() []alert {
		var out []alert
		if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, "select titik_id, periode_mulai, periode_selesai, selesai_at is not null from konsinyasi_terlambat")
			if err != nil {
				return err
			}
			var a alert
			_, err = pgx.ForEachRow(rows, []any{&a.titik, &a.mulai, &a.selesai, &a.closed}, func() error { out = append(out, a); return nil })
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := alerts()
	if len(got) != 1 || got[0].titik != diam || got[0].mulai.Format(time.DateOnly) != "2026-11-01" || got[0].selesai.Format(time.DateOnly) != "2026-11-30" || got[0].closed {
		t.Fatalf("alerts %+v, want one open for the silent point's November", got)
	}

	// Again (the next hour): nothing new. Then the silent point reports.
	now = now.Add(time.Hour)
	if err := env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		raised, closed, err := svc.TandaiTerlambatTx(ctx, tx, depok.Scope(), now)
		if err == nil && (raised != 0 || closed != 0) {
			t.Errorf("rerun raised %d closed %d", raised, closed)
		}
		if err != nil {
			return err
		}
		if _, err := svc.JualTx(ctx, tx, depok.Scope(), diam, listing[diam], konsinyasi.KonsinyasiJual{PeriodeMulai: "2026-11-01", PeriodeSelesai: "2026-11-30", Sumber: "verifikasi"}); err != nil {
			return err
		}
		raised, closed, err = svc.TandaiTerlambatTx(ctx, tx, depok.Scope(), now)
		if err == nil && (raised != 0 || closed != 1) {
			t.Errorf("after the report: raised %d closed %d", raised, closed)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := alerts(); len(got) != 1 || !got[0].closed {
		t.Errorf("alerts %+v, want the one closed", got)
	}
	dash, err := svc.Dasbor(ctx, depok.Scope())
	if err != nil {
		t.Fatal(err)
	}
	if len(dash) != 1 || dash[0].Titik != 2 || dash[0].LaporTerlambat != 0 || dash[0].StokBelumCocok != 2 || dash[0].BelumDisetor != 170_000 {
		t.Errorf("dashboard %+v", dash)
	}
}

func ptrS(s string) *string { return &s }
