package pendanaan_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const (
	kelDepok      = "32.76.01.1006" // Pancoran Mas, Depok
	kelMedanPasar = "12.71.01.1001" // Medan Kota
)

// now is the service's clock: 15 June 2025 in Jakarta (Depok's 2025
// subsidy budget is in force).
var now = time.Date(2025, 6, 15, 3, 0, 0, 0, time.UTC)

type bundle struct {
	env          *dbtest.Env
	svc          *pendanaan.Service
	depok, medan *tenancy.Tenant
}

func setup(t testing.TB) *bundle {
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
	b := &bundle{env: env, svc: &pendanaan.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}}
	for slug, dst := range map[string]**tenancy.Tenant{"depok": &b.depok, "medan": &b.medan} {
		tt, err := store.BySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		*dst = tt.Scope()
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func (b *bundle) inTx(tt *tenancy.Tenant, fn func(tx pgx.Tx) error) error {
	return b.env.DB.InTenantTx(context.Background(), tt.ID, fn)
}

// nibSeq makes each test business's NIB its own.
var nibSeq int

// umkm registers n businesses of tenant tt directly (the register is
// another package) and returns their ids. Each has a NIB.
func (b *bundle) umkm(t *testing.T, tt *tenancy.Tenant, kel string, n int) []string {
	t.Helper()
	var ids []string
	if err := b.inTx(tt, func(tx pgx.Tx) error {
		for i := range n {
			id := uuid.Must(uuid.NewV7())
			nibSeq++
			if _, err := tx.Exec(context.Background(), `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode, nib)
				values ($1, $2, 'Siti Aminah', $3, 'kuliner', 'staf', $4, $5, $6)`, tt.ID, id, fmt.Sprintf("Warung %d", i), kel[:8], kel,
				fmt.Sprintf("9%012d", nibSeq)); err != nil {
				return err
			}
			ids = append(ids, id.String())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func (b *bundle) create(tt *tenancy.Tenant, in pendanaan.PengajuanInput) (pendanaan.Pengajuan, error) {
	var p pendanaan.Pengajuan
	err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		p, err = b.svc.CreateTx(context.Background(), tx, tt, in, pendanaan.View{})
		return err
	})
	return p, err
}

func (b *bundle) mustCreate(t *testing.T, tt *tenancy.Tenant, in pendanaan.PengajuanInput) pendanaan.Pengajuan {
	t.Helper()
	p, err := b.create(tt, in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return p
}

// walk moves p through stages, failing the test on error. An interest
// subsidy gets its KTP paper (the office saw it) before lengkap and its
// declarations at lengkap, a clean SLIK at disurvei.
func (b *bundle) walk(t *testing.T, tt *tenancy.Tenant, p pendanaan.Pengajuan, stages ...string) pendanaan.Pengajuan {
	t.Helper()
	for _, st := range stages {
		in := pendanaan.LangkahInput{Tahap: st}
		switch st {
		case pendanaan.TahapLengkap:
			if p.Jenis == pendanaan.JenisSubsidiBunga && !slices.ContainsFunc(p.Berkas, func(x pendanaan.BerkasDana) bool { return x.Jenis == "ktp" }) {
				if err := b.inTx(tt, func(tx pgx.Tx) error {
					_, err := b.svc.CreateBerkasTx(context.Background(), tx, tt, p.ID, pendanaan.BerkasInput{Jenis: "ktp"}, pendanaan.View{})
					return err
				}); err != nil {
					t.Fatalf("ktp: %v", err)
				}
			}
			in.PernyataanBukanASN, in.PernyataanTanpaKreditMacet = ptr(true), ptr(true)
		case pendanaan.TahapDisurvei:
			in.SLIK = ptr("bersih")
		case pendanaan.TahapAkad:
			in.NomorAkad, in.TanggalAkad = ptr("AK-1"), ptr("2025-06-01")
		case pendanaan.TahapSK:
			in.NomorSK, in.TanggalSK = ptr("SK-1"), ptr("2025-06-02")
		}
		var err error
		if p, err = b.svc.Langkah(context.Background(), tt, p.ID, p.Version, in, pendanaan.View{}); err != nil {
			t.Fatalf("to %s: %v", st, err)
		}
	}
	return p
}

var toActive = []string{"lengkap", "dikirim_bank", "disurvei", "disetujui", "akad", "sk", "aktif"}

func wantKind(t *testing.T, err error, k apperr.Kind) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != k {
		t.Fatalf("error %v, want kind %d", err, k)
	}
	return ae
}

// wantField fails unless err is Invalid naming location, in Indonesian;
// it returns the message.
func wantField(t *testing.T, err error, location string) string {
	t.Helper()
	ae := wantKind(t, err, apperr.KindInvalid)
	for _, f := range ae.Fields {
		if f.Location == location {
			if f.Message.ID == "" || f.Message.ID == f.Message.EN {
				t.Errorf("%s: message %+v is not in Indonesian", location, f.Message)
			}
			return f.Message.ID
		}
	}
	t.Fatalf("error %v: no field %s in %+v", err, location, ae.Fields)
	return ""
}

func (b *bundle) count(t *testing.T, tt *tenancy.Tenant, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := b.inTx(tt, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// set changes business id of tenant tt directly: set is the SQL of the
// columns changed, args from $2.
func (b *bundle) set(t *testing.T, tt *tenancy.Tenant, id, set string, args ...any) {
	t.Helper()
	if err := b.inTx(tt, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `update umkm set `+set+` where id = $1`, append([]any{id}, args...)...)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
