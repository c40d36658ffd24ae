package jobs_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/jobs"
	"github.com/sentra-id/sentra/internal/kemitraan"
)

// TestKemitraanClockRemindsOnce: with real workers and a fixed clock, an
// agreement ending in 30 days gives one reminder; the clock again gives
// none more.
func TestKemitraanClockRemindsOnce(t *testing.T) {
	env := dbtest.New(t)
	ctx := context.Background()
	office := dbtest.NewTenant(t, env.DB, "uji-mitra")
	now := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	svc := &kemitraan.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	var perjanjian kemitraan.PerjanjianDetail
	if err := env.DB.InTenantTx(ctx, office.ID, func(tx pgx.Tx) error {
		m, err := svc.CreateMitraTx(ctx, tx, office, kemitraan.MitraKerjaSamaInput{Jenis: "hotel", Nama: "Hotel Uji"})
		if err != nil {
			return err
		}
		perjanjian, err = svc.CreatePerjanjianTx(ctx, tx, office, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "pks", Judul: "Pojok UMKM di lobi",
			Mulai: "2026-10-01", Berakhir: now.AddDate(0, 0, 30).Format(time.DateOnly), Status: "berlaku"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	l := slog.New(slog.DiscardHandler)
	client, err := jobs.NewClient(jobs.Config{Work: true, MaxWorkers: 2, Logger: l}, jobs.Services{DB: env.DB, Logger: l, Kemitraan: svc})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"retention", "dasbor", "kemitraan"} {
		if !client.PeriodicJobs().RemoveByID(id) {
			t.Fatalf("periodic job %q not configured", id)
		}
	}
	events := start(t, client)
	admin, err := pgx.Connect(ctx, env.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	clock := func() {
		t.Helper()
		// Lift the clock's uniqueness (30 minutes) by removing earlier runs.
		if _, err := admin.Exec(ctx, "delete from river.river_job where kind like 'kemitraan_jam%'"); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Insert(ctx, jobs.KemitraanArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		awaitJobs(t, events, func(ev *river.Event) bool {
			if ev.Job.Kind == "kemitraan_jam_kantor" && ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("office job %s", ev.Kind)
			}
			return ev.Job.Kind == "kemitraan_jam_kantor" && containsTenant(ev.Job.EncodedArgs, office.ID.String())
		})
	}
	count := func() int {
		list, err := svc.ListPengingat(ctx, office, kemitraan.PengingatFilter{PerjanjianID: perjanjian.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.Jenis != "akan_berakhir" {
				t.Errorf("unexpected reminder %+v", p)
			}
		}
		return len(list)
	}
	clock()
	if n := count(); n != 1 {
		t.Fatalf("after the clock: %d reminders, want 1", n)
	}
	now = now.Add(time.Hour)
	clock()
	if n := count(); n != 1 {
		t.Fatalf("after the clock again: %d reminders, want 1", n)
	}
}

func containsTenant(args []byte, id string) bool {
	var a jobs.KemitraanKantorArgs
	return json.Unmarshal(args, &a) == nil && a.TenantID.String() == id
}
