package kemitraan_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/kemitraan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock: 6 December 2026, 10:00 in Jakarta.
var now = time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

type fixture struct {
	svc *kemitraan.Service
	t   *tenancy.Tenant
	env *dbtest.Env
}

func newFixture(t *testing.T, slug string) fixture {
	env := dbtest.New(t)
	svc := &kemitraan.Service{DB: env.DB, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
	return fixture{svc: svc, t: dbtest.NewTenant(t, env.DB, slug), env: env}
}

func (f fixture) mitra(t *testing.T, nama string) kemitraan.MitraKerjaSama {
	t.Helper()
	var m kemitraan.MitraKerjaSama
	err := f.env.DB.InTenantTx(context.Background(), f.t.ID, func(tx pgx.Tx) error {
		var err error
		m, err = f.svc.CreateMitraTx(context.Background(), tx, f.t, kemitraan.MitraKerjaSamaInput{Jenis: "rumah_sakit", Nama: nama,
			KontakNama: ptr("Siti Aminah"), Telepon: ptr("0812 3456 7890")})
		return err
	})
	if err != nil {
		t.Fatalf("create mitra: %v", err)
	}
	return m
}

func (f fixture) perjanjian(t *testing.T, in kemitraan.PerjanjianInput) (kemitraan.PerjanjianDetail, error) {
	t.Helper()
	var d kemitraan.PerjanjianDetail
	err := f.env.DB.InTenantTx(context.Background(), f.t.ID, func(tx pgx.Tx) error {
		var err error
		d, err = f.svc.CreatePerjanjianTx(context.Background(), tx, f.t, in)
		return err
	})
	return d, err
}

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid || len(e.Fields) == 0 {
		t.Fatalf("want a 422 naming a field, got %v", err)
	}
	return e.Fields[0].Location
}

func TestPerjanjianEndBeforeStartRefusedAndFiveYearsWarned(t *testing.T) {
	f := newFixture(t, "mitra-a")
	m := f.mitra(t, "RSUD Kota")
	_, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "pks", Judul: "Pojok UMKM", Mulai: "2026-12-06", Berakhir: "2026-12-01"})
	if got := fieldOf(t, err); got != "body.berakhir" {
		t.Fatalf("field %q, want body.berakhir", got)
	}
	list, err := f.svc.ListPerjanjianMitra(context.Background(), f.t, m.ID)
	if err != nil || len(list) != 0 {
		t.Fatalf("a refused agreement was written: %v %v", list, err)
	}
	d, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "pks", Judul: "Pojok UMKM", Mulai: "2026-12-06", Berakhir: "2032-12-06", Status: "berlaku"})
	if err != nil {
		t.Fatal(err)
	}
	if !d.LebihLimaTahun() || len(d.Peringatan) != 1 {
		t.Fatalf("no 5-year warning: %+v", d.Peringatan)
	}
	d2, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "mou", Judul: "MoU", Mulai: "2026-12-06", Berakhir: "2031-12-06"})
	if err != nil || d2.LebihLimaTahun() {
		t.Fatalf("exactly five years warned: %+v %v", d2.Peringatan, err)
	}
}

func TestTanpaPerjanjianAndMasking(t *testing.T) {
	f := newFixture(t, "mitra-b")
	ctx := context.Background()
	with := f.mitra(t, "Hotel Dengan MoU")
	without := f.mitra(t, "Sekolah Tanpa MoU")
	expired := f.mitra(t, "Bank Habis")
	if _, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: with.ID, Jenis: "mou", Judul: "MoU", Mulai: "2026-01-01", Berakhir: "2027-12-31", Status: "berlaku"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: expired.ID, Jenis: "mou", Judul: "Lama", Mulai: "2020-01-01", Berakhir: "2024-12-31", Status: "berlaku"}); err != nil {
		t.Fatal(err)
	}
	page, err := f.svc.ListMitra(ctx, f.t, kemitraan.MitraFilter{Perjanjian: "tanpa"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[uuid.UUID]bool{}
	for _, m := range page.Items {
		got[m.ID] = true
	}
	if len(got) != 2 || !got[without.ID] || !got[expired.ID] {
		t.Fatalf("tanpa perjanjian = %v, want the school and the expired bank", page.Items)
	}
	ada, _ := f.svc.ListMitra(ctx, f.t, kemitraan.MitraFilter{Perjanjian: "ada"})
	if len(ada.Items) != 1 || ada.Items[0].ID != with.ID || ada.Items[0].Berlaku != 1 {
		t.Fatalf("ada = %+v", ada.Items)
	}
	// Keyset paging walks every partner once.
	seen := 0
	for cur := ""; ; {
		p, err := f.svc.ListMitra(ctx, f.t, kemitraan.MitraFilter{Limit: 2, Cursor: cur})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(p.Items)
		if cur = p.NextCursor; cur == "" {
			break
		}
	}
	if seen != 3 {
		t.Fatalf("paged %d partners, want 3", seen)
	}
	masked := with.Masked(kemitraan.View{})
	if *masked.Telepon == "0812 3456 7890" || *masked.KontakNama != "S*** A***" {
		t.Fatalf("not masked: %q %q", *masked.Telepon, *masked.KontakNama)
	}
	if _, err := f.svc.ListMitra(ctx, f.t, kemitraan.MitraFilter{Perjanjian: "kadang"}); err == nil {
		t.Fatal("unknown filter accepted")
	}
}

func TestRenewalEvaluationsDutiesAndBreach(t *testing.T) {
	f := newFixture(t, "mitra-c")
	ctx := context.Background()
	m := f.mitra(t, "Universitas Negeri")
	old, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "mou", Judul: "Nota Kesepakatan", Mulai: "2022-01-01", Berakhir: "2026-12-31", Status: "berlaku"})
	if err != nil {
		t.Fatal(err)
	}
	if !old.EvaluasiTerlambat {
		t.Fatal("an agreement in force for years with no evaluation is not late")
	}
	var renewed kemitraan.PerjanjianDetail
	err = f.env.DB.InTenantTx(ctx, f.t.ID, func(tx pgx.Tx) error {
		if _, err := f.svc.CreateEvaluasiTx(ctx, tx, f.t, old.ID, kemitraan.EvaluasiPerjanjianInput{Tanggal: "2026-10-01", Hasil: "Baik", Skor: ptr(80)}); err != nil {
			return err
		}
		var err error
		renewed, err = f.svc.PerbaruiTx(ctx, tx, f.t, old.ID, kemitraan.PerjanjianInput{Jenis: "pks", Judul: "PKS lanjutan", Mulai: "2027-01-01", Berakhir: "2031-12-31", Status: "draf"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if renewed.MemperbaruiID == nil || *renewed.MemperbaruiID != old.ID || len(renewed.Rantai) != 2 || renewed.MitraID != m.ID {
		t.Fatalf("renewal chain: %+v", renewed)
	}
	again, err := f.svc.GetPerjanjian(ctx, f.t, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Mulai != "2022-01-01" || again.Berakhir != "2026-12-31" || again.DiperbaruiID == nil || again.EvaluasiTerlambat {
		t.Fatalf("old agreement after renewal: %+v", again.Perjanjian)
	}
	// A second renewal of the same agreement is a conflict.
	err = f.env.DB.InTenantTx(ctx, f.t.ID, func(tx pgx.Tx) error {
		_, err := f.svc.PerbaruiTx(ctx, tx, f.t, old.ID, kemitraan.PerjanjianInput{Jenis: "pks", Judul: "Lagi", Mulai: "2027-02-01", Berakhir: "2028-01-01"})
		return err
	})
	if apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("second renewal: %v", err)
	}
	// Duties: one late, one done, one future.
	err = f.env.DB.InTenantTx(ctx, f.t.ID, func(tx pgx.Tx) error {
		for _, in := range []kemitraan.TugasPerjanjianInput{
			{Judul: "Laporan penjualan November", JatuhTempo: "2026-12-05"},
			{Judul: "Laporan penjualan Oktober", JatuhTempo: "2026-11-05", Selesai: ptr("2026-11-04")},
			{Judul: "Laporan penjualan Desember", JatuhTempo: "2027-01-05"},
		} {
			if _, err := f.svc.CreateTugasTx(ctx, tx, f.t, old.ID, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	late, err := f.svc.TugasTerlambat(ctx, f.t)
	if err != nil || len(late) != 1 || late[0].Judul != "Laporan penjualan November" || !late[0].Terlambat {
		t.Fatalf("late duties %+v %v", late, err)
	}
	d, _ := f.svc.GetPerjanjian(ctx, f.t, old.ID)
	if _, err := f.svc.Putus(ctx, f.t, old.ID, d.Version, kemitraan.PutusPerjanjianInput{Tanggal: "2026-12-06"}); fieldOf(t, err) != "body.alasan" {
		t.Fatalf("breach without a reason: %v", err)
	}
	if _, err := f.svc.Putus(ctx, f.t, old.ID, d.Version+1, kemitraan.PutusPerjanjianInput{Alasan: "Tidak melapor", Tanggal: "2026-12-06"}); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Fatalf("stale version: %v", err)
	}
	cut, err := f.svc.Putus(ctx, f.t, old.ID, d.Version, kemitraan.PutusPerjanjianInput{Alasan: "Tidak melaporkan penjualan tiga bulan", Tanggal: "2026-12-06"})
	if err != nil || cut.Status != "diputus" || cut.AlasanPutus == nil {
		t.Fatalf("breach: %+v %v", cut.Perjanjian, err)
	}
	if _, err := f.svc.UpdatePerjanjian(ctx, f.t, old.ID, cut.Version, kemitraan.PerjanjianInput{Jenis: "mou", Judul: "x", Mulai: "2022-01-01", Berakhir: "2026-12-31"}); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("a terminated agreement changed: %v", err)
	}
}

// TestIngatkanOncePerDay: with a fixed clock an agreement ending in 30
// days gives one reminder, and running again gives none more.
func TestIngatkanIdempotent(t *testing.T) {
	f := newFixture(t, "mitra-d")
	ctx := context.Background()
	m := f.mitra(t, "Ritel Modern")
	end := now.AddDate(0, 0, 30).Format(time.DateOnly)
	d, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "pks", Judul: "Etalase", Mulai: "2026-09-01", Berakhir: end, Status: "berlaku"})
	if err != nil {
		t.Fatal(err)
	}
	run := func(at time.Time) int {
		var n int
		if err := f.env.DB.InTenantTx(ctx, f.t.ID, func(tx pgx.Tx) error {
			var err error
			n, err = f.svc.IngatkanTx(ctx, tx, f.t, at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := run(now); n != 1 {
		t.Fatalf("first run: %d new reminders, want 1", n)
	}
	if n := run(now.Add(time.Hour)); n != 0 {
		t.Fatalf("second run: %d new reminders, want 0", n)
	}
	list, err := f.svc.ListPengingat(ctx, f.t, kemitraan.PengingatFilter{PerjanjianID: d.ID})
	if err != nil || len(list) != 1 || list[0].Jenis != "akan_berakhir" || list[0].Hari != end {
		t.Fatalf("reminders %+v %v", list, err)
	}
	if list[0].Pesan != `Perjanjian "Etalase" dengan Ritel Modern berakhir 5 Januari 2027 (30 hari lagi).` {
		t.Fatalf("message %q", list[0].Pesan)
	}
}

// TestIngatkanEveryKindAndTheCalendar: an agreement ending in 61 days is
// not reminded yet; one in force since eight months without evaluation is
// "evaluasi terlambat"; a duty past due is "tugas terlambat" and a done
// one is not; the calendar of the month lists the end, the evaluation due
// and the duty due on their days; another office sees none of it.
func TestIngatkanEveryKindAndTheCalendar(t *testing.T) {
	f := newFixture(t, "mitra-e")
	ctx := context.Background()
	m := f.mitra(t, "Sekolah Menengah")
	later, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "mou", Judul: "Kantin sekolah", Mulai: "2026-11-01",
		Berakhir: now.AddDate(0, 0, 61).Format(time.DateOnly), Status: "berlaku"})
	if err != nil {
		t.Fatal(err)
	}
	late, err := f.perjanjian(t, kemitraan.PerjanjianInput{MitraID: m.ID, Jenis: "pks", Judul: "Bazar mingguan", Mulai: "2026-04-01", Berakhir: "2028-03-31", Status: "berlaku"})
	if err != nil {
		t.Fatal(err)
	}
	if !late.EvaluasiTerlambat || later.EvaluasiTerlambat {
		t.Fatalf("evaluasi terlambat: %v %v", late.EvaluasiTerlambat, later.EvaluasiTerlambat)
	}
	err = f.env.DB.InTenantTx(ctx, f.t.ID, func(tx pgx.Tx) error {
		if _, err := f.svc.CreateTugasTx(ctx, tx, f.t, late.ID, kemitraan.TugasPerjanjianInput{Judul: "Laporan November", JatuhTempo: "2026-12-05"}); err != nil {
			return err
		}
		if _, err := f.svc.CreateTugasTx(ctx, tx, f.t, late.ID, kemitraan.TugasPerjanjianInput{Judul: "Laporan Oktober", JatuhTempo: "2026-11-05", Selesai: ptr("2026-11-05")}); err != nil {
			return err
		}
		_, err := f.svc.CreateTugasTx(ctx, tx, f.t, late.ID, kemitraan.TugasPerjanjianInput{Judul: "Laporan Desember", JatuhTempo: "2027-01-05"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.env.DB.InTenantTx(ctx, f.t.ID, func(tx pgx.Tx) error {
		n, err = f.svc.IngatkanTx(ctx, tx, f.t, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	list, err := f.svc.ListPengingat(ctx, f.t, kemitraan.PengingatFilter{MitraID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, p := range list {
		kinds[p.Jenis] = p.Hari
		if p.PerjanjianID != late.ID {
			t.Errorf("reminder of the agreement ending in 61 days: %+v", p)
		}
	}
	if n != 2 || len(list) != 2 || kinds["evaluasi_terlambat"] != "2026-10-01" || kinds["tugas_terlambat"] != "2026-12-05" {
		t.Fatalf("reminders %d: %+v", n, list)
	}
	cal, err := f.svc.Kalender(ctx, f.t, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range cal {
		got[e.Jenis] = e.Hari
	}
	if got["tugas"] != "2027-01-05" || len(cal) != 1 {
		t.Fatalf("calendar of January 2027: %+v", cal)
	}
	cal, _ = f.svc.Kalender(ctx, f.t, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
	if len(cal) != 1 || cal[0].Jenis != "berakhir" || cal[0].Hari != later.Berakhir {
		t.Fatalf("calendar of February 2027: %+v", cal)
	}
	cal, _ = f.svc.Kalender(ctx, f.t, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	if len(cal) != 1 || cal[0].Jenis != "evaluasi" || cal[0].Hari != "2026-10-01" || cal[0].PerjanjianID != late.ID {
		t.Fatalf("calendar of October 2026: %+v", cal)
	}
	cal, _ = f.svc.Kalender(ctx, f.t, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	if len(cal) != 2 || cal[0].Jenis != "mulai" || cal[0].Hari != "2026-11-01" || cal[1].Jenis != "tugas" || cal[1].Hari != "2026-11-05" {
		t.Fatalf("calendar of November 2026: %+v", cal)
	}
	// Another office sees none of it.
	other := dbtest.NewTenant(t, f.env.DB, "mitra-f")
	if l, err := f.svc.ListPengingat(ctx, other, kemitraan.PengingatFilter{}); err != nil || len(l) != 0 {
		t.Fatalf("another office's reminders: %v %v", l, err)
	}
	if _, err := f.svc.GetPerjanjian(ctx, other, late.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("another office's agreement: %v", err)
	}
}
