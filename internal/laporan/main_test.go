package laporan_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/laporan"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const (
	pancoranMas = "32.76.01"
	depokKel    = "32.76.01.1006"
	medanKel    = "12.71.01.1001"
)

// bundle is a migrated database with the real tenants and the services
// that write what the reports read.
type bundle struct {
	env      *dbtest.Env
	umkm     *umkm.Service
	koperasi *koperasi.Service
	program  *program.Service
	tumpang  *tumpang.Service
	dana     *pendanaan.Service
	svc      *laporan.Service
	depok    *tenancy.Tenant
	medan    *tenancy.Tenant
	// clock is the funding service's time, moved by the tests.
	clock time.Time
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	env := dbtest.New(t)
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: env.DB}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(make([]byte, pii.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	tp := &tumpang.Service{DB: env.DB, Logger: log, Now: time.Now}
	b := &bundle{env: env, tumpang: tp, svc: &laporan.Service{DB: env.DB},
		umkm:     &umkm.Service{DB: env.DB, Sealer: sealer, Logger: log, Now: time.Now},
		koperasi: &koperasi.Service{DB: env.DB, Logger: log, Now: time.Now},
		program:  &program.Service{DB: env.DB, Logger: log, Now: time.Now, Tumpang: tp},
		clock:    time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)}
	b.dana = &pendanaan.Service{DB: env.DB, Logger: log, Now: func() time.Time { return b.clock }}
	for slug, p := range map[string]**tenancy.Tenant{"depok": &b.depok, "medan": &b.medan} {
		tt, err := store.BySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		*p = tt.Scope()
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func (b *bundle) tx(t *testing.T, tn *tenancy.Tenant, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), tn.ID, fn); err != nil {
		t.Fatal(err)
	}
}

// usaha is a business to register: its sector, sex, figures now and, when
// berubah is set, the figures it had before (registered with those, then
// updated, so the register keeps them in its history).
type usaha struct {
	nama, sektor, jk, nik string
	omzet, karyawan       int64
	awal                  *[2]int64 // omzet, karyawan before
}

func (b *bundle) usaha(t *testing.T, tn *tenancy.Tenant, kel string, u usaha) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	input := func(omzet, karyawan int64) umkm.Input {
		in := umkm.Input{NamaPemilik: "Pemilik " + u.nama, NamaUsaha: u.nama, Sektor: u.sektor, KecamatanKode: kel[:8], KelurahanKode: kel,
			ModalUsaha: ptr[int64](20_000_000), OmzetTahunan: ptr(omzet), KaryawanPerempuan: ptr(int(karyawan))}
		if u.jk != "" {
			in.JenisKelamin = ptr(u.jk)
		}
		if u.nik != "" {
			in.NIK = ptr(u.nik)
		}
		return in
	}
	first := input(u.omzet, u.karyawan)
	if u.awal != nil {
		first = input(u.awal[0], u.awal[1])
	}
	var rec umkm.Record
	b.tx(t, tn, func(tx pgx.Tx) (err error) {
		rec, err = b.umkm.CreateTx(ctx, tx, tn, first, "staf", umkm.Scope{})
		return err
	})
	if u.awal != nil {
		time.Sleep(time.Millisecond) // the history is keyed by when the figures were recorded
		if _, err := b.umkm.Update(ctx, tn, rec.ID, rec.Version, input(u.omzet, u.karyawan), umkm.Scope{}); err != nil {
			t.Fatalf("update %s: %v", u.nama, err)
		}
	}
	return rec.ID
}

func (b *bundle) kop(t *testing.T, tn *tenancy.Tenant, nama, kel string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		d, err := b.koperasi.CreateTx(context.Background(), tx, tn, koperasi.KoperasiInput{Nama: nama, KecamatanKode: kel[:8], KelurahanKode: kel, Kelompok: ptr("ksu")})
		id = d.ID
		return err
	})
	return id
}

func (b *bundle) agensi(t *testing.T, tn *tenancy.Tenant) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		a, err := b.program.CreateAgensiTx(context.Background(), tx, tn, program.AgensiInput{Nama: "Dinas KUMKM", Jenis: "kantor"})
		id = a.ID
		return err
	})
	return id
}

func (b *bundle) programme(t *testing.T, tn *tenancy.Tenant, in program.Input) uuid.UUID {
	t.Helper()
	in.SumberDana, in.Status = "apbd", "dibuka"
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		d, err := b.program.CreateTx(context.Background(), tx, tn, in)
		id = d.ID
		return err
	})
	return id
}

// daftar applies a business (pemohon umkm or perorangan) or a cooperative.
func (b *bundle) daftar(t *testing.T, tn *tenancy.Tenant, prog uuid.UUID, pemohon string, subjek uuid.UUID, bukanASN bool) program.Peserta {
	t.Helper()
	in := program.PesertaInput{Pemohon: pemohon, UMKMID: &subjek, BukanASN: bukanASN}
	if pemohon == "koperasi" {
		in = program.PesertaInput{Pemohon: pemohon, KoperasiID: &subjek, BukanASN: bukanASN}
	}
	var p program.Peserta
	b.tx(t, tn, func(tx pgx.Tx) (err error) {
		p, err = b.program.ApplyTx(context.Background(), tx, tn, prog, in, program.View{})
		return err
	})
	return p
}

// pilih selects a participant, overriding a same-kind overlap warning
// with a reason as an admin would.
func (b *bundle) pilih(t *testing.T, tn *tenancy.Tenant, p program.Peserta) program.Peserta {
	t.Helper()
	ctx := context.Background()
	got, err := b.program.Select(ctx, tn, p.ProgramID, p.ID, p.Version)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindConflict {
		if _, err := b.tumpang.Izinkan(ctx, tn, p.ProgramID, p.ID, tumpang.IzinInput{Alasan: "Program lanjutan, materi berbeda"}, tumpang.View{}); err != nil {
			t.Fatalf("izin after %v (%s %+v): %v", ae, p.Pemohon, p.LayakAlasan, err)
		}
		got, err = b.program.Select(ctx, tn, p.ProgramID, p.ID, p.Version)
	}
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	return got
}

// lulus applies, selects and completes a participant.
func (b *bundle) lulus(t *testing.T, tn *tenancy.Tenant, prog uuid.UUID, pemohon string, subjek uuid.UUID) program.Peserta {
	t.Helper()
	p := b.pilih(t, tn, b.daftar(t, tn, prog, pemohon, subjek, true))
	today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)
	p, err := b.program.Complete(context.Background(), tn, prog, p.ID, p.Version, program.SelesaiInput{Tanggal: today, SertifikatNomor: ptr(fmt.Sprintf("SRT-%s", p.ID))})
	if err != nil {
		t.Fatalf("complete: %v", err)
	}
	return p
}
