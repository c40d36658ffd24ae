package pasar_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pasar"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is a migrated database with the real tenants, the registers and
// the service under test at a fixed clock.
type world struct {
	env          *dbtest.Env
	reg          *umkm.Service
	kop          *koperasi.Service
	svc          *pasar.Service
	now          time.Time
	depok, medan *tenancy.Tenant
}

func newWorld(t *testing.T, now time.Time) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{env: dbtest.New(t), now: now}
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: w.env.DB}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(make([]byte, pii.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	w.reg = &umkm.Service{DB: w.env.DB, Sealer: sealer, Logger: log, Now: time.Now}
	w.kop = &koperasi.Service{DB: w.env.DB, Logger: log, Now: time.Now}
	w.svc = &pasar.Service{DB: w.env.DB, Logger: log, Now: func() time.Time { return w.now }}
	for slug, p := range map[string]**tenancy.Tenant{"depok": &w.depok, "medan": &w.medan} {
		x, err := store.BySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		*p = x.Scope()
	}
	return w
}

func (w *world) tx(t *testing.T, tn *tenancy.Tenant, fn func(tx pgx.Tx) error) error {
	t.Helper()
	return w.env.DB.InTenantTx(context.Background(), tn.ID, fn)
}

// usaha registers a business of Depok in kecamatan Pancoran Mas or, with
// beji, in Beji.
func (w *world) usaha(t *testing.T, nama string, beji bool) uuid.UUID {
	t.Helper()
	in := umkm.Input{NamaUsaha: nama, NamaPemilik: "Pemilik " + nama, Sektor: "kuliner", KecamatanKode: "32.76.01", KelurahanKode: "32.76.01.1006"}
	if beji {
		in.KecamatanKode, in.KelurahanKode = "32.76.06", "32.76.06.1001"
	}
	var id uuid.UUID
	if err := w.tx(t, w.depok, func(tx pgx.Tx) error {
		r, err := w.reg.CreateTx(context.Background(), tx, w.depok, in, "staf", umkm.Scope{})
		id = r.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) toko(t *testing.T, tn *tenancy.Tenant, v pasar.View, in pasar.TokoInput) (pasar.Toko, error) {
	t.Helper()
	var x pasar.Toko
	err := w.tx(t, tn, func(tx pgx.Tx) error {
		var err error
		x, err = w.svc.CreateTokoTx(context.Background(), tx, tn, v, in)
		return err
	})
	return x, err
}

func (w *world) belanja(t *testing.T, in pasar.BelanjaInput) (pasar.Belanja, error) {
	t.Helper()
	var x pasar.Belanja
	err := w.tx(t, w.depok, func(tx pgx.Tx) error {
		var err error
		x, err = w.svc.CreateBelanjaTx(context.Background(), tx, w.depok, in)
		return err
	})
	return x, err
}

// field asserts err is a 422 naming field.
func field(t *testing.T, err error, want string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid {
		t.Fatalf("want invalid %s, got %v", want, err)
	}
	for _, f := range e.Fields {
		if f.Location == want {
			return
		}
	}
	t.Fatalf("want field %s, got %+v", want, e.Fields)
}

func TestTautan(t *testing.T) {
	for _, s := range []string{"https://shopee.co.id/kuesiti", "HTTPS://tokopedia.com/a?b=1", "https://gofood.co.id/depok/restaurant/x-1"} {
		if _, msg := pasar.Tautan(s); msg != nil {
			t.Errorf("%q refused: %s", s, msg.ID)
		}
	}
	for _, s := range []string{"", "http://shopee.co.id/x", "javascript:alert(1)", "JavaScript://shopee.co.id/%0aalert(1)",
		"data:text/html,<script>", "https://", "https://localhost/x", "https://user:pw@shopee.co.id/", "https://shopee.co.id/a b",
		`https://shopee.co.id/"onmouseover=x`, "//shopee.co.id/x", " https://shopee.co.id/\x00"} {
		if _, msg := pasar.Tautan(s); msg == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// TestAktif90HariZonaWaktu: the 90 days end on the office's today, so at
// 16:30 UTC on 31 March a shop last active on 1 January is active for an
// office in Asia/Jakarta (23:30, still 31 March) and not for one in
// Asia/Makassar (00:30, already 1 April).
func TestAktif90HariZonaWaktu(t *testing.T) {
	w := newWorld(t, time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC))
	ctx := context.Background()
	kue := w.usaha(t, "Kue Siti", false)
	shop := func(aktif string) pasar.Toko {
		x, err := w.toko(t, w.depok, pasar.View{}, pasar.TokoInput{UMKMID: kue, Platform: "shopee", Tautan: "https://shopee.co.id/kuesiti",
			DibinaOleh: "program", PenjualanPertama: "2025-06-01", AktifTerakhir: aktif})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	edge, before := shop("2026-01-01"), shop("2025-12-31")
	if !edge.Aktif || before.Aktif {
		t.Fatalf("Jakarta: edge %v (want true), a day before %v (want false)", edge.Aktif, before.Aktif)
	}
	// A future date for Jakarta is refused; the same date is today in Makassar.
	_, err := w.toko(t, w.depok, pasar.View{}, pasar.TokoInput{UMKMID: kue, Platform: "grab", Tautan: "https://food.grab.com/id/x",
		DibinaOleh: "mandiri", AktifTerakhir: "2026-04-01"})
	field(t, err, "body.aktif_terakhir")

	yes := true
	count := func(tn *tenancy.Tenant) int {
		p, err := w.svc.ListToko(ctx, tn, pasar.View{}, pasar.TokoFilter{Aktif: &yes})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	if n := count(w.depok); n != 1 {
		t.Fatalf("Jakarta active: %d, want 1", n)
	}
	makassar := *w.depok
	makassar.TimeZone = "Asia/Makassar"
	if n := count(&makassar); n != 0 {
		t.Fatalf("Makassar active: %d, want 0", n)
	}
	x, err := w.svc.GetToko(ctx, &makassar, pasar.View{}, edge.ID)
	if err != nil || x.Aktif {
		t.Fatalf("Makassar: edge active %v (%v), want false", x.Aktif, err)
	}
	r, err := w.svc.Ringkasan(ctx, w.depok, pasar.View{})
	if err != nil {
		t.Fatal(err)
	}
	if r.UsahaAktif != 1 || r.UsahaDaring != 1 || r.AktifSejak != "2026-01-01" {
		t.Fatalf("summary %+v", r)
	}
}

func TestTokoTulis(t *testing.T) {
	w := newWorld(t, time.Now())
	ctx := context.Background()
	kue := w.usaha(t, "Kue Siti", false)
	beji := w.usaha(t, "Batik Beji", true)
	in := pasar.TokoInput{UMKMID: kue, Platform: "tokopedia", Tautan: "https://tokopedia.com/kuesiti", DibinaOleh: "staf"}
	for _, bad := range []string{"javascript:alert(1)", "http://tokopedia.com/kuesiti"} {
		x := in
		x.Tautan = bad
		_, err := w.toko(t, w.depok, pasar.View{}, x)
		field(t, err, "body.tautan")
	}
	x, err := w.toko(t, w.depok, pasar.View{}, in)
	if err != nil {
		t.Fatal(err)
	}
	// Another office cannot see or attach to it.
	if _, err := w.svc.GetToko(ctx, w.medan, pasar.View{}, x.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("other office get: %v", err)
	}
	_, err = w.toko(t, w.medan, pasar.View{}, in)
	field(t, err, "body.umkm_id")
	// A petugas of Beji sees and writes only Beji's businesses.
	petugas := pasar.View{Wilayah: []string{"32.76.06"}}
	if _, err := w.svc.GetToko(ctx, w.depok, petugas, x.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("petugas get outside region: %v", err)
	}
	_, err = w.toko(t, w.depok, petugas, in)
	field(t, err, "body.umkm_id")
	in.UMKMID = beji
	if _, err := w.toko(t, w.depok, petugas, in); err != nil {
		t.Fatal(err)
	}
	p, err := w.svc.ListToko(ctx, w.depok, petugas, pasar.TokoFilter{})
	if err != nil || len(p.Items) != 1 || p.Items[0].UMKMID != beji {
		t.Fatalf("petugas list %+v %v", p.Items, err)
	}
	if p, _ := w.svc.ListToko(ctx, w.depok, pasar.View{}, pasar.TokoFilter{Kecamatan: "32.76.01", Platform: "tokopedia"}); len(p.Items) != 1 {
		t.Fatalf("filter kecamatan: %d", len(p.Items))
	}
	// A stale version is 412; the current one writes.
	in.UMKMID = kue
	in.Platform = "shopee"
	if _, err := w.svc.UpdateToko(ctx, w.depok, pasar.View{}, x.ID, x.Version+1, &in); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Fatalf("stale: %v", err)
	}
	y, err := w.svc.UpdateToko(ctx, w.depok, pasar.View{}, x.ID, x.Version, &in)
	if err != nil || y.Platform != "shopee" || y.Version != x.Version+1 {
		t.Fatalf("update %+v %v", y, err)
	}
	if _, err := w.svc.UpdateToko(ctx, w.depok, pasar.View{}, x.ID, y.Version, nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := w.svc.ListToko(ctx, w.depok, pasar.View{}, pasar.TokoFilter{UMKMID: kue}); len(p.Items) != 0 {
		t.Fatalf("archived still listed")
	}

	// Retail listings: a local retailer needs its name.
	g := pasar.GeraiInput{UMKMID: kue, Peritel: "lokal", JumlahGerai: 3, JumlahProduk: 2}
	err = w.tx(t, w.depok, func(tx pgx.Tx) error { _, err := w.svc.CreateGeraiTx(ctx, tx, w.depok, pasar.View{}, g); return err })
	field(t, err, "body.peritel_nama")
	g.Peritel, g.JumlahGerai = "indomaret", 24
	if err := w.tx(t, w.depok, func(tx pgx.Tx) error { _, err := w.svc.CreateGeraiTx(ctx, tx, w.depok, pasar.View{}, g); return err }); err != nil {
		t.Fatal(err)
	}
	r, err := w.svc.Ringkasan(ctx, w.depok, pasar.View{})
	if err != nil || len(r.Ritel) != 1 || r.Ritel[0].Gerai != 24 || r.Ritel[0].Produk != 2 {
		t.Fatalf("summary ritel %+v %v", r.Ritel, err)
	}
}

// TestTokoDaringBatas: Toko Daring / Bela Pengadaan takes up to Rp50 juta.
func TestTokoDaringBatas(t *testing.T) {
	w := newWorld(t, time.Now())
	kue := w.usaha(t, "Kue Siti", false)
	in := pasar.BelanjaInput{OPD: "Dinas Pendidikan", Saluran: "toko_daring", Tanggal: "2026-02-03", Nilai: 50_000_000, UMKMID: &kue}
	if _, err := w.belanja(t, in); err != nil {
		t.Fatalf("50.000.000: %v", err)
	}
	in.Nilai = 50_000_001
	_, err := w.belanja(t, in)
	field(t, err, "body.nilai")
	in.Saluran = "e_katalog_lokal"
	if _, err := w.belanja(t, in); err != nil {
		t.Fatalf("50.000.001 through e-Katalog: %v", err)
	}
	in.KoperasiID = &kue
	_, err = w.belanja(t, in)
	field(t, err, "body.umkm_id")
}

// TestCapaianTepat: the share on a known set, to the basis point.
func TestCapaianTepat(t *testing.T) {
	w := newWorld(t, time.Now())
	ctx := context.Background()
	kue := w.usaha(t, "Kue Siti", false)
	var kop uuid.UUID
	if err := w.tx(t, w.depok, func(tx pgx.Tx) error {
		d, err := w.kop.CreateTx(ctx, tx, w.depok, koperasi.KoperasiInput{Nama: "KSU Maju", KecamatanKode: "32.76.01", KelurahanKode: "32.76.01.1006"})
		kop = d.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []pasar.BelanjaInput{
		{OPD: "Dinas Pendidikan", Saluran: "toko_daring", Tanggal: "2026-02-03", Nilai: 50_000_000, UMKMID: &kue},
		{OPD: " dinas   pendidikan ", Saluran: "e_katalog_lokal", Tanggal: "2026-05-20", Nilai: 123_456_789, UMKMID: &kue},
		{OPD: "BagianBelanja Umum", Saluran: "pengadaan_langsung", Tanggal: "2026-01-01", Nilai: 3, KoperasiID: &kop},
		{OPD: "BagianBelanja Umum", Saluran: "pengadaan_langsung", Tanggal: "2025-12-31", Nilai: 999_000_000, UMKMID: &kue}, // the year before
	} {
		if _, err := w.belanja(t, in); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := w.belanja(t, pasar.BelanjaInput{OPD: "BagianBelanja Umum", Saluran: "lainnya", Tanggal: "2026-03-01", Nilai: 777, UMKMID: &kue})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateBelanja(ctx, w.depok, gone.ID, gone.Version, nil); err != nil {
		t.Fatal(err)
	}
	c, err := w.svc.Capaian(ctx, w.depok, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if c.Anggaran != nil || c.PersenBP != nil || c.Nilai != 173_456_792 || c.Jumlah != 3 || c.NilaiKop != 3 {
		t.Fatalf("without a budget: %+v", c)
	}
	if _, err := w.svc.SetAnggaran(ctx, w.depok, 2026, 0, pasar.AnggaranInput{Nilai: 1_000_000_000}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetAnggaran(ctx, w.depok, 2026, 0, pasar.AnggaranInput{Nilai: 5}); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("second first budget: %v", err)
	}
	c, err = w.svc.Capaian(ctx, w.depok, 2026)
	if err != nil {
		t.Fatal(err)
	}
	// 173.456.792 / 1.000.000.000 = 17,3456792% → 1734 bp; 40% is 400.000.000.
	if *c.PersenBP != 1734 || *c.KurangTarget != 226_543_208 || c.TargetBP != 4000 {
		t.Fatalf("share %d bp, short %d", *c.PersenBP, *c.KurangTarget)
	}
	if len(c.PerOPD) != 2 || c.PerOPD[0].Nilai != 173_456_789 || c.PerOPD[0].Jumlah != 2 || *c.PerOPD[0].PersenBP != 1734 ||
		c.PerOPD[1].Nilai != 3 || *c.PerOPD[1].PersenBP != 0 {
		t.Fatalf("per OPD %+v", c.PerOPD)
	}
	if len(c.PerSaluran) != 3 || c.PerSaluran[0].Kunci != "e_katalog_lokal" || *c.PerSaluran[1].PersenBP != 500 {
		t.Fatalf("per channel %+v", c.PerSaluran)
	}
	// Medan sees none of it.
	if m, err := w.svc.Capaian(ctx, w.medan, 2026); err != nil || m.Jumlah != 0 || m.Anggaran != nil {
		t.Fatalf("medan %+v %v", m, err)
	}
	if _, err := w.svc.GetBelanja(ctx, w.medan, gone.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("medan get: %v", err)
	}
	r, err := w.svc.Ringkasan(ctx, w.depok, pasar.View{})
	if err != nil || len(r.Belanja) != 2 || r.Belanja[0].Tahun != 2026 || *r.Belanja[0].PersenBP != 1734 || r.Belanja[1].Anggaran != nil {
		t.Fatalf("summary %+v %v", r.Belanja, err)
	}
}
