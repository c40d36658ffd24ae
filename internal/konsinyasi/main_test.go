package konsinyasi_test

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
	"github.com/sentra-id/sentra/internal/konsinyasi"
	"github.com/sentra-id/sentra/internal/pemasaran"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const kelDepok = "32.76.01.1006"

type bundle struct {
	env          *dbtest.Env
	svc          *konsinyasi.Service
	points       *pemasaran.Service
	now          time.Time
	depok, medan *tenancy.Tenant
}

// setup starts a database with the real offices; the clock reads b.now
// (Tuesday 8 December 2026, 10:00 in Depok).
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
	b.svc = &konsinyasi.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: clock}
	b.points = &pemasaran.Service{DB: env.DB, Logger: slog.New(slog.DiscardHandler), Now: clock}
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

var seq int

// listing is a craft product of a new business with its NIB, accepted at
// a point of cadence kadens (a new point unless titikID is given), with
// its ledger open on terms.
type listing struct {
	titik, kurasi uuid.UUID
}

func (b *bundle) titik(t testing.TB, tt *tenancy.Tenant, kadens string) uuid.UUID {
	t.Helper()
	var p pemasaran.Titik
	if err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		p, err = b.points.CreateTitikTx(context.Background(), tx, tt, pemasaran.TitikInput{Jenis: "galeri", Nama: "Galeri UMKM Balai Kota",
			KecamatanKode: ptr(kelDepok[:8]), KelurahanKode: ptr(kelDepok), OperatorJenis: "mitra", OperatorNama: ptr("CV Mitra Galeri"),
			Dijaga: true, LaporKadens: kadens}, pemasaran.View{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (b *bundle) listing(t testing.TB, tt *tenancy.Tenant, titikID uuid.UUID, terms konsinyasi.KonsinyasiBuka) listing {
	t.Helper()
	ctx := context.Background()
	seq++
	u := uuid.Must(uuid.NewV7())
	var l listing
	l.titik = titikID
	if err := b.inTx(tt, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode,
			skala_hitung, legalitas) values ($1, $2, 'Siti Aminah', $3, 'kriya', 'staf', $4, $5, 'mikro',
			'[{"jenis": "nib", "nomor": "9120001234567", "status": "terbit"}]')`,
			tt.ID, u, fmt.Sprintf("Anyaman Siti %d", seq), kelDepok[:8], kelDepok); err != nil {
			return err
		}
		p, err := b.points.CreateProdukTx(ctx, tx, tt, u, pemasaran.ProdukInput{Nama: fmt.Sprintf("Tas anyaman %d", seq), Kategori: "kerajinan", Harga: 85_000}, pemasaran.View{})
		if err != nil {
			return err
		}
		k, err := b.points.KurasikanTx(ctx, tx, tt, titikID, pemasaran.KurasiInput{ProdukID: p.ID, Keputusan: "diterima"}, pemasaran.View{})
		if err != nil {
			return err
		}
		if k.Status != "diterima" {
			return fmt.Errorf("kurasi %s, want diterima", k.Status)
		}
		l.kurasi = k.ID
		_, err = b.svc.BukaTx(ctx, tx, tt, titikID, k.ID, terms)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return l
}

func persen(bp int) konsinyasi.KonsinyasiBuka { return konsinyasi.KonsinyasiBuka{KomisiBP: &bp} }

// do runs one movement in its own transaction.
func do[I any](b *bundle, tt *tenancy.Tenant, l listing, in I,
	fn func(*konsinyasi.Service, context.Context, pgx.Tx, *tenancy.Tenant, uuid.UUID, uuid.UUID, I) (konsinyasi.Konsinyasi, error)) (konsinyasi.Konsinyasi, error) {
	var k konsinyasi.Konsinyasi
	err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		k, err = fn(b.svc, context.Background(), tx, tt, l.titik, l.kurasi, in)
		return err
	})
	return k, err
}

var (
	terima      = (*konsinyasi.Service).TerimaTx
	jual        = (*konsinyasi.Service).JualTx
	retur       = (*konsinyasi.Service).ReturTx
	kedaluwarsa = (*konsinyasi.Service).KedaluwarsaTx
	opname      = (*konsinyasi.Service).OpnameTx
	setor       = (*konsinyasi.Service).SetorTx
)

func must(t testing.TB) func(konsinyasi.Konsinyasi, error) konsinyasi.Konsinyasi {
	return func(k konsinyasi.Konsinyasi, err error) konsinyasi.Konsinyasi {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
}

// wantField fails unless err is Invalid naming location, in Indonesian.
func wantField(t *testing.T, err error, location string) string {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		t.Fatalf("error %v, want invalid naming %s", err, location)
	}
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

// balanced checks the head against the sum of its movements and the
// balance itself.
func (b *bundle) balanced(t *testing.T, tt *tenancy.Tenant, l listing) konsinyasi.KonsinyasiRinci {
	t.Helper()
	r, err := b.svc.Get(context.Background(), tt, l.titik, l.kurasi)
	if err != nil {
		t.Fatal(err)
	}
	sum := map[string]int64{}
	var bruto, komisi, komp, bayar int64
	for _, g := range r.Gerak {
		sum[g.Jenis] += g.Jumlah
		if g.Bruto != nil {
			bruto += *g.Bruto
			komisi += *g.Komisi
		}
		if g.Kompensasi != nil {
			komp += *g.Kompensasi
		}
	}
	for _, p := range r.Bayar {
		bayar += p.Jumlah
	}
	k := r.Konsinyasi
	if k.Diterima != sum["terima"] || k.Terjual != sum["jual"] || k.Dikembalikan != sum["retur"] || k.Kedaluwarsa != sum["kedaluwarsa"] ||
		k.Selisih != sum["opname"] || k.Bruto != bruto || k.Komisi != komisi || k.Kompensasi != komp || k.Dibayar != bayar {
		t.Errorf("head %+v does not match its movements %v (bruto %d komisi %d kompensasi %d bayar %d)", k, sum, bruto, komisi, komp, bayar)
	}
	if k.Diterima != k.Terjual+k.Dikembalikan+k.Kedaluwarsa+k.DiTangan-k.Selisih || k.DiTangan < 0 {
		t.Errorf("unbalanced: %+v", k)
	}
	if k.Terutang != k.Bruto-k.Komisi+k.Kompensasi-k.Dibayar || k.Terutang < 0 {
		t.Errorf("owed wrong: %+v", k)
	}
	return r
}

type pgxTx = pgx.Tx

func mustUUID(s string) uuid.UUID { return uuid.MustParse(s) }
