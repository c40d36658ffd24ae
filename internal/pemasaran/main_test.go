package pemasaran_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const (
	kecDepok      = "32.76.01"      // Pancoran Mas
	kelDepok      = "32.76.01.1006" // in Pancoran Mas
	kecLain       = "32.76.02"
	kelMedanPasar = "12.71.01.1001"
)

type bundle struct {
	env          *dbtest.Env
	svc          *pemasaran.Service
	now          time.Time
	depok, medan *tenancy.Tenant
}

// setup starts a database with the four offices; the clock reads b.now.
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
	b := &bundle{env: env, now: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return b.now }
	register := &umkm.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: clock}
	b.svc = &pemasaran.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: clock,
		Rujuk: func(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, umkmID uuid.UUID, catatan string) (uuid.UUID, error) {
			k, err := register.CreateKendalaTx(ctx, tx, t, umkmID, umkm.KendalaInput{Kategori: "legalitas", Catatan: &catatan}, umkm.Scope{})
			return k.ID, err
		}}
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

var nibSeq int

// usaha registers a business of tt directly (the register is another
// package) with skala and legal documents legal (the column's JSON).
func (b *bundle) usaha(t *testing.T, tt *tenancy.Tenant, kel, skala, legal string) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	nibSeq++
	if err := b.inTx(tt, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode,
			skala_hitung, legalitas) values ($1, $2, 'Siti Aminah', $3, 'kuliner', 'staf', $4, $5, $6, $7)`,
			tt.ID, id, fmt.Sprintf("Dapur Siti %d", nibSeq), kel[:8], kel, skala, legal)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func (b *bundle) titik(t *testing.T, tt *tenancy.Tenant, in pemasaran.TitikInput, v pemasaran.View) (pemasaran.Titik, error) {
	var p pemasaran.Titik
	err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		p, err = b.svc.CreateTitikTx(context.Background(), tx, tt, in, v)
		return err
	})
	return p, err
}

func galeri() pemasaran.TitikInput {
	return pemasaran.TitikInput{Jenis: "galeri", Nama: "Galeri UMKM Balai Kota", KecamatanKode: ptr(kecDepok), KelurahanKode: ptr(kelDepok),
		OperatorJenis: "kantor", Dijaga: true, LaporKadens: "bulanan"}
}

func (b *bundle) mustTitik(t *testing.T, tt *tenancy.Tenant) pemasaran.Titik {
	t.Helper()
	p, err := b.titik(t, tt, galeri(), pemasaran.View{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (b *bundle) produk(t *testing.T, tt *tenancy.Tenant, umkmID uuid.UUID, kategori string) pemasaran.Produk {
	t.Helper()
	var p pemasaran.Produk
	if err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		p, err = b.svc.CreateProdukTx(context.Background(), tx, tt, umkmID, pemasaran.ProdukInput{Nama: "Keripik Singkong", Kategori: kategori, Harga: 15_000}, pemasaran.View{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

func (b *bundle) kurasi(tt *tenancy.Tenant, titikID uuid.UUID, in pemasaran.KurasiInput) (pemasaran.Kurasi, error) {
	var k pemasaran.Kurasi
	err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		k, err = b.svc.KurasikanTx(context.Background(), tx, tt, titikID, in, pemasaran.View{})
		return err
	})
	return k, err
}

func (b *bundle) count(t *testing.T, tt *tenancy.Tenant, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := b.inTx(tt, func(tx pgx.Tx) error { return tx.QueryRow(context.Background(), sql, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantKind(t *testing.T, err error, k apperr.Kind) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != k {
		t.Fatalf("error %v, want kind %d", err, k)
	}
	return ae
}

// wantField fails unless err is Invalid naming location, in Indonesian.
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

func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type pgxTx = pgx.Tx
