package tumpang_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// bundle is a migrated database with the real tenants and the services
// that write what the overlap reads: the register and the programmes.
type bundle struct {
	env     *dbtest.Env
	umkm    *umkm.Service
	program *program.Service
	svc     *tumpang.Service
	depok   *tenancy.Tenant
	medan   *tenancy.Tenant
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
	b := &bundle{env: env,
		umkm:    &umkm.Service{DB: env.DB, Sealer: sealer, Logger: log, Now: time.Now},
		program: &program.Service{DB: env.DB, Logger: log, Now: time.Now, Tumpang: &tumpang.Service{DB: env.DB, Logger: log, Now: time.Now}},
		svc:     &tumpang.Service{DB: env.DB, Logger: log, Now: time.Now}}
	for slug, p := range map[string]**tenancy.Tenant{"depok": &b.depok, "medan": &b.medan} {
		tt, err := store.BySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		*p = tt.Scope()
	}
	return b
}

func (b *bundle) tx(t *testing.T, tn *tenancy.Tenant, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := b.env.DB.InTenantTx(context.Background(), tn.ID, fn); err != nil {
		t.Fatal(err)
	}
}

// usaha registers a business in Depok's Pancoran Mas (or kelurahan kel).
func (b *bundle) usaha(t *testing.T, tn *tenancy.Tenant, nama, nik, kec, kel string) uuid.UUID {
	t.Helper()
	in := umkm.Input{NamaPemilik: "Pemilik " + nama, NamaUsaha: nama, Sektor: "kuliner", KecamatanKode: kec, KelurahanKode: kel}
	if nik != "" {
		in.NIK = &nik
	}
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		r, err := b.umkm.CreateTx(context.Background(), tx, tn, in, "staf", umkm.Scope{})
		id = r.ID
		return err
	})
	return id
}

func (b *bundle) agensi(t *testing.T, tn *tenancy.Tenant, nama, jenis string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		a, err := b.program.CreateAgensiTx(context.Background(), tx, tn, program.AgensiInput{Nama: nama, Jenis: jenis})
		id = a.ID
		return err
	})
	return id
}

func (b *bundle) programme(t *testing.T, tn *tenancy.Tenant, nama, jenis string, agensi uuid.UUID, tahun int) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		d, err := b.program.CreateTx(context.Background(), tx, tn, program.Input{Nama: nama, Jenis: jenis, AgensiID: agensi, Tahun: tahun,
			SumberDana: "apbd", Satuan: "orang", Kuota: 10, Status: "dibuka"})
		id = d.ID
		return err
	})
	return id
}

func (b *bundle) apply(t *testing.T, tn *tenancy.Tenant, prog, usaha uuid.UUID, pemohon string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	b.tx(t, tn, func(tx pgx.Tx) error {
		p, err := b.program.ApplyTx(context.Background(), tx, tn, prog, program.PesertaInput{Pemohon: pemohon, UMKMID: &usaha}, program.View{})
		id = p.ID
		return err
	})
	return id
}

// luar records a participation from another agency's list, matched to u.
func (b *bundle) luar(t *testing.T, tn *tenancy.Tenant, agensi uuid.UUID, jenis string, tahun int, u uuid.UUID) {
	t.Helper()
	b.tx(t, tn, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, umkm_id, cocok_oleh, status)
			values ($1, $2, $3, 'Pelatihan Luar', $4, $5, $6, 'nib', 'cocok')`, tn.ID, uuid.Must(uuid.NewV7()), agensi, jenis, tahun, u)
		return err
	})
}

const (
	pancoranMas = "32.76.01"
	depokKel    = "32.76.01.1006"
	depokJaya   = "32.76.01.1007"
)

func ids(p tumpang.Page) map[uuid.UUID]bool {
	m := map[uuid.UUID]bool{}
	for _, u := range p.Items {
		m[u.ID] = true
	}
	return m
}

func TestBelumPernahExcludesAnyParticipation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	kantor := b.agensi(t, b.depok, "Dinas KUMKM Depok", "kantor")
	baznas := b.agensi(t, b.depok, "Baznas Kota Depok", "baznas")
	prog := b.programme(t, b.depok, "Pelatihan Pengemasan", "pelatihan", kantor, 2026)
	prog2 := b.programme(t, b.depok, "Pendampingan Halal", "pendampingan", kantor, 2026)

	never := b.usaha(t, b.depok, "Keripik Belum", "3276014507850001", pancoranMas, depokKel)
	never2 := b.usaha(t, b.depok, "Batik Belum", "", pancoranMas, depokJaya)
	inProgram := b.usaha(t, b.depok, "Kue Ikut", "3276014507850002", pancoranMas, depokKel)
	external := b.usaha(t, b.depok, "Sambal Baznas", "", pancoranMas, depokKel)
	refused := b.usaha(t, b.depok, "Tahu Ditolak", "", pancoranMas, depokKel)
	// The same owner (NIK) under a second business: helped as a person.
	person := b.usaha(t, b.depok, "Jamu Orang", "3276014507850003", pancoranMas, depokKel)
	b.apply(t, b.depok, prog, inProgram, "umkm")
	b.luar(t, b.depok, baznas, "pelatihan", 2025, external)
	pid := b.apply(t, b.depok, prog2, refused, "umkm")
	cur, err := b.program.GetPeserta(ctx, b.depok, prog2, pid, program.View{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.program.Reject(ctx, b.depok, prog2, pid, cur.Version, program.TolakInput{Alasan: "Di luar domisili kantor"}); err != nil {
		t.Fatal(err)
	}
	b.apply(t, b.depok, prog2, person, "perorangan")
	// A Medan business never helped does not show in Depok.
	b.usaha(t, b.medan, "Bika Medan", "", "12.71.01", "12.71.01.1001")

	page, err := b.svc.BelumPernah(ctx, b.depok, tumpang.Filter{Kecamatan: pancoranMas}, tumpang.View{})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(page)
	for name, id := range map[string]uuid.UUID{"program": inProgram, "external": external, "person": person} {
		if got[id] {
			t.Errorf("%s participant listed as never helped", name)
		}
	}
	for name, id := range map[string]uuid.UUID{"never": never, "never2": never2, "refused": refused} {
		if !got[id] {
			t.Errorf("%s not listed as never helped", name)
		}
	}
	if len(page.Items) != 3 || page.Items[0].ID != never {
		t.Fatalf("want 3, oldest first; got %+v", page.Items)
	}
	if page.Items[0].NamaPemilik == "Pemilik Keripik Belum" {
		t.Error("owner's name not masked without read-pii")
	}

	// Keyset pages of one, then filters.
	p1, err := b.svc.BelumPernah(ctx, b.depok, tumpang.Filter{Kecamatan: pancoranMas, Limit: 2}, tumpang.View{PII: true})
	if err != nil || len(p1.Items) != 2 || p1.NextCursor == "" || p1.Items[0].NamaPemilik != "Pemilik Keripik Belum" {
		t.Fatalf("page 1: %+v %v", p1, err)
	}
	p2, err := b.svc.BelumPernah(ctx, b.depok, tumpang.Filter{Kecamatan: pancoranMas, Limit: 2, Cursor: p1.NextCursor}, tumpang.View{})
	if err != nil || len(p2.Items) != 1 || p2.NextCursor != "" || p2.Items[0].ID != refused {
		t.Fatalf("page 2: %+v %v", p2, err)
	}
	kel, err := b.svc.BelumPernah(ctx, b.depok, tumpang.Filter{Kelurahan: depokJaya}, tumpang.View{})
	if err != nil || len(kel.Items) != 1 || kel.Items[0].ID != never2 {
		t.Fatalf("kelurahan filter: %+v %v", kel, err)
	}
	// A petugas of another kecamatan sees none of them.
	far, err := b.svc.BelumPernah(ctx, b.depok, tumpang.Filter{}, tumpang.View{Wilayah: []string{"32.76.02"}})
	if err != nil || len(far.Items) != 0 {
		t.Fatalf("petugas elsewhere: %+v %v", far, err)
	}

	counts, err := b.svc.JumlahBelumPernah(ctx, b.depok, tumpang.Filter{}, tumpang.View{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{pancoranMas: {3, 6}, depokKel: {2, 5}, depokJaya: {1, 1}}
	for _, c := range counts {
		if w, ok := want[c.Kode]; ok {
			if c.Belum != w[0] || c.Terdaftar != w[1] {
				t.Errorf("%s: belum %d terdaftar %d, want %v", c.Kode, c.Belum, c.Terdaftar, w)
			}
			delete(want, c.Kode)
		}
	}
	if len(want) > 0 {
		t.Errorf("regions missing from the counts: %v (%+v)", want, counts)
	}

	_, err = b.svc.BelumPernah(ctx, b.depok, tumpang.Filter{Skala: "raksasa"}, tumpang.View{})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Fields[0].Location != "query.skala" {
		t.Fatalf("bad skala: %v", err)
	}
}

func TestCekAcrossAgenciesAndOverride(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	kantor := b.agensi(t, b.depok, "Dinas KUMKM Depok", "kantor")
	baznas := b.agensi(t, b.depok, "Baznas Kota Depok", "baznas")
	bank := b.agensi(t, b.depok, "Bank BJB", "bank")
	lalu := b.programme(t, b.depok, "Pelatihan Digital 2025", "pelatihan", kantor, 2025)
	kini := b.programme(t, b.depok, "Pelatihan Pengemasan 2026", "pelatihan", kantor, 2026)
	modal := b.programme(t, b.depok, "Bantuan Modal 2026", "bantuan_modal", kantor, 2026)

	u := b.usaha(t, b.depok, "Keripik Siti", "3276014507850001", pancoranMas, depokKel)
	other := b.usaha(t, b.depok, "Warung Lain", "", pancoranMas, depokKel)
	b.apply(t, b.depok, lalu, u, "umkm")
	b.apply(t, b.depok, modal, u, "umkm")
	b.apply(t, b.depok, lalu, other, "umkm")
	b.luar(t, b.depok, baznas, "pelatihan", 2026, u)
	b.luar(t, b.depok, bank, "bantuan_modal", 2024, u)
	cand := b.apply(t, b.depok, kini, u, "umkm")

	c, err := b.svc.Cek(ctx, b.depok, kini, cand, tumpang.View{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 4 || c.SamaJenis != 2 || !c.PerluIzin() {
		t.Fatalf("want 4 others, 2 of the same kind, needing an override: %+v", c)
	}
	agencies := map[string]bool{}
	for _, p := range c.Items {
		agencies[p.AgensiNama] = true
		if p.SamaJenis != (p.Jenis == "pelatihan") {
			t.Errorf("same kind wrong on %+v", p)
		}
	}
	if !agencies["Baznas Kota Depok"] || !agencies["Bank BJB"] || !agencies["Dinas KUMKM Depok"] {
		t.Errorf("agencies: %v", agencies)
	}

	// Another tenant, a wrong programme, a petugas elsewhere: not found.
	for name, call := range map[string]func() error{
		"medan":   func() error { _, err := b.svc.Cek(ctx, b.medan, kini, cand, tumpang.View{}); return err },
		"program": func() error { _, err := b.svc.Cek(ctx, b.depok, modal, cand, tumpang.View{}); return err },
		"petugas": func() error {
			_, err := b.svc.Cek(ctx, b.depok, kini, cand, tumpang.View{Wilayah: []string{"32.76.02"}})
			return err
		},
	} {
		if e, ok := apperr.As(call()); !ok || e.Kind != apperr.KindNotFound {
			t.Errorf("%s: want not found, got %v", name, e)
		}
	}

	_, err = b.svc.Izinkan(ctx, b.depok, kini, cand, tumpang.IzinInput{Alasan: "  pendek "}, tumpang.View{})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Fields[0].Location != "body.alasan" {
		t.Fatalf("short reason: %v", err)
	}
	c, err = b.svc.Izinkan(ctx, b.depok, kini, cand, tumpang.IzinInput{Alasan: "Pelatihan lanjutan dari pelatihan Baznas"}, tumpang.View{})
	if err != nil || c.Izin == nil || c.PerluIzin() {
		t.Fatalf("override: %+v %v", c, err)
	}
	var audited int
	b.tx(t, b.depok, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select count(*) from audit_log where entity = 'tumpang_izin' and entity_id = $1`, cand.String()).Scan(&audited)
	})
	if audited != 1 {
		t.Errorf("override audited %d times, want 1", audited)
	}
	// A new overlap after the override warns again.
	b.luar(t, b.depok, bank, "pelatihan", 2026, u)
	if c, err = b.svc.Cek(ctx, b.depok, kini, cand, tumpang.View{}); err != nil || !c.PerluIzin() {
		t.Fatalf("grown overlap: %+v %v", c, err)
	}
	// Nothing to override for a candidate without overlap.
	fresh := b.usaha(t, b.depok, "Baru Sekali", "", pancoranMas, depokKel)
	fp := b.apply(t, b.depok, modal, fresh, "umkm")
	if _, err := b.svc.Izinkan(ctx, b.depok, modal, fp, tumpang.IzinInput{Alasan: "Tidak ada apa-apa di sini"}, tumpang.View{}); apperrKind(err) != apperr.KindConflict {
		t.Fatalf("override without overlap: %v", err)
	}

	rep, err := b.svc.Laporan(ctx, b.depok, tumpang.LaporanFilter{Tahun: 2026, Jenis: "pelatihan"}, tumpang.View{})
	if err != nil || len(rep.Items) != 1 || rep.Items[0].UMKMID != u || rep.Items[0].Jumlah != 3 || rep.Items[0].JumlahAgensi != 3 {
		t.Fatalf("report 2026 pelatihan: %+v %v", rep, err)
	}
	rep, err = b.svc.Laporan(ctx, b.depok, tumpang.LaporanFilter{Tahun: 2025, Jenis: "pelatihan"}, tumpang.View{})
	if err != nil || len(rep.Items) != 0 {
		t.Fatalf("report 2025: one participation each is no overlap: %+v %v", rep, err)
	}
	_, err = b.svc.Laporan(ctx, b.depok, tumpang.LaporanFilter{Tahun: 1990, Jenis: "x"}, tumpang.View{})
	if e, ok := apperr.As(err); !ok || len(e.Fields) != 2 {
		t.Fatalf("bad report filter: %v", err)
	}
}

func apperrKind(err error) apperr.Kind {
	if e, ok := apperr.As(err); ok {
		return e.Kind
	}
	return -1
}

// pilih selects participant id of prog at its current version.
func (b *bundle) pilih(t *testing.T, prog, id uuid.UUID) (program.Peserta, error) {
	t.Helper()
	cur, err := b.program.GetPeserta(context.Background(), b.depok, prog, id, program.View{})
	if err != nil {
		t.Fatal(err)
	}
	return b.program.Select(context.Background(), b.depok, prog, id, cur.Version)
}

// TestSelectRunsTheOverlapCheck: the selection refuses a candidate helped
// with the same kind before (by this office or, from its list, another
// agency) until an admin overrides, refuses again when a new same-kind
// participation appears after the override, and lets an overlap of
// another kind through.
func TestSelectRunsTheOverlapCheck(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	kantor := b.agensi(t, b.depok, "Dinas KUMKM Depok", "kantor")
	baznas := b.agensi(t, b.depok, "Baznas Kota Depok", "baznas")
	lalu := b.programme(t, b.depok, "Pelatihan Digital 2025", "pelatihan", kantor, 2025)
	kini := b.programme(t, b.depok, "Pelatihan Pengemasan 2026", "pelatihan", kantor, 2026)
	modal := b.programme(t, b.depok, "Bantuan Modal 2026", "bantuan_modal", kantor, 2026)

	u := b.usaha(t, b.depok, "Keripik Siti", "3276014507850001", pancoranMas, depokKel)
	b.apply(t, b.depok, lalu, u, "umkm")
	cand := b.apply(t, b.depok, kini, u, "umkm")
	terisi := func() (n int) {
		b.tx(t, b.depok, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select terisi from program where id = $1`, kini).Scan(&n)
		})
		return n
	}

	_, err := b.pilih(t, kini, cand)
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindConflict || e.Existing != program.PesertaPath("depok", kini, cand)+"/tumpang" ||
		!strings.Contains(e.Message.ID, "1 kali, dari Dinas KUMKM Depok") || !strings.Contains(e.Message.ID, "Admin harus mengizinkan") {
		t.Fatalf("selection with a same-kind overlap: %v", err)
	}
	if n := terisi(); n != 0 {
		t.Fatalf("a refused selection took a place: %d", n)
	}
	if _, err := b.svc.Izinkan(ctx, b.depok, kini, cand, tumpang.IzinInput{Alasan: "Pelatihan lanjutan, materinya berbeda"}, tumpang.View{}); err != nil {
		t.Fatal(err)
	}
	if p, err := b.pilih(t, kini, cand); err != nil || p.Status != "terpilih" {
		t.Fatalf("selection after the override: %+v %v", p, err)
	}

	// An external same-kind participation blocks by itself; it appearing
	// after the override blocks again.
	v := b.usaha(t, b.depok, "Batik Ani", "3276014507850002", pancoranMas, depokKel)
	b.luar(t, b.depok, baznas, "pelatihan", 2024, v)
	cv := b.apply(t, b.depok, kini, v, "umkm")
	if _, err := b.pilih(t, kini, cv); apperrKind(err) != apperr.KindConflict || !strings.Contains(err.Error(), "Baznas Kota Depok") {
		t.Fatalf("external overlap: %v", err)
	}
	if _, err := b.svc.Izinkan(ctx, b.depok, kini, cv, tumpang.IzinInput{Alasan: "Pelatihan Baznas hanya sehari"}, tumpang.View{}); err != nil {
		t.Fatal(err)
	}
	b.apply(t, b.depok, lalu, v, "umkm")
	_, err = b.pilih(t, kini, cv)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindConflict || !strings.Contains(e.Message.ID, "2 kali, dari Dinas KUMKM Depok, Baznas Kota Depok") {
		t.Fatalf("a new overlap after the override: %v", err)
	}
	if n := terisi(); n != 1 {
		t.Fatalf("places taken %d, want 1", n)
	}

	// Help of another kind is no overlap for the capital grant.
	cm := b.apply(t, b.depok, modal, u, "umkm")
	if p, err := b.pilih(t, modal, cm); err != nil || p.Status != "terpilih" {
		t.Fatalf("an overlap of another kind blocked: %+v %v", p, err)
	}
}

// TestRiwayatNewestFirst: a business's history lists this office's
// programmes with their completion and certificate, its owner's
// application as a person, and other agencies' rows, newest first; a
// refused application and another business's are not in it; another
// office and a petugas elsewhere get not found. The report's totals too.
func TestRiwayatNewestFirst(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	kantor := b.agensi(t, b.depok, "Dinas KUMKM Depok", "kantor")
	baznas := b.agensi(t, b.depok, "Baznas Kota Depok", "baznas")
	lalu := b.programme(t, b.depok, "Pelatihan Digital 2025", "pelatihan", kantor, 2025)
	kini := b.programme(t, b.depok, "Pendampingan Halal 2026", "pendampingan", kantor, 2026)
	modal := b.programme(t, b.depok, "Bantuan Modal 2024", "bantuan_modal", kantor, 2024)

	u := b.usaha(t, b.depok, "Keripik Siti", "3276014507850001", pancoranMas, depokKel)
	other := b.usaha(t, b.depok, "Warung Lain", "", pancoranMas, depokKel)
	done := b.apply(t, b.depok, lalu, u, "umkm")
	if _, err := b.pilih(t, lalu, done); err != nil {
		t.Fatal(err)
	}
	cur, err := b.program.GetPeserta(ctx, b.depok, lalu, done, program.View{})
	if err != nil {
		t.Fatal(err)
	}
	cert := "SERT/2025/017"
	if _, err := b.program.Complete(ctx, b.depok, lalu, done, cur.Version, program.SelesaiInput{Tanggal: "2025-11-20", SertifikatNomor: &cert}); err != nil {
		t.Fatal(err)
	}
	b.apply(t, b.depok, kini, u, "perorangan")
	refused := b.apply(t, b.depok, modal, u, "umkm")
	cur, err = b.program.GetPeserta(ctx, b.depok, modal, refused, program.View{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.program.Reject(ctx, b.depok, modal, refused, cur.Version, program.TolakInput{Alasan: "Omzet di atas batas program"}); err != nil {
		t.Fatal(err)
	}
	b.luar(t, b.depok, baznas, "bantuan_modal", 2023, u)
	b.apply(t, b.depok, lalu, other, "umkm")

	items, err := b.svc.RiwayatUMKM(ctx, b.depok, u, tumpang.View{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range items {
		got = append(got, p.ProgramNama+"/"+p.Sumber+"/"+p.Melalui+"/"+p.Status)
	}
	want := []string{"Pendampingan Halal 2026/kantor/usaha/mendaftar", "Pelatihan Digital 2025/kantor/usaha/selesai", "Pelatihan Luar/luar/usaha/cocok"}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Fatalf("history:\n got %v\nwant %v", got, want)
	}
	if p := items[1]; p.SertifikatNomor == nil || *p.SertifikatNomor != cert || p.SelesaiTanggal == nil || *p.SelesaiTanggal != "2025-11-20" ||
		p.ProgramID == nil || *p.ProgramID != lalu {
		t.Errorf("completion: %+v", p)
	}
	if items[2].ProgramID != nil || items[2].AgensiNama != "Baznas Kota Depok" {
		t.Errorf("external row: %+v", items[2])
	}
	if items, err := b.svc.RiwayatUMKM(ctx, b.depok, u, tumpang.View{Wilayah: []string{pancoranMas}}); err != nil || len(items) != 3 {
		t.Errorf("petugas of the kecamatan: %d items, %v", len(items), err)
	}
	for name, call := range map[string]func() error{
		"medan": func() error { _, err := b.svc.RiwayatUMKM(ctx, b.medan, u, tumpang.View{}); return err },
		"petugas": func() error {
			_, err := b.svc.RiwayatUMKM(ctx, b.depok, u, tumpang.View{Wilayah: []string{"32.76.02"}})
			return err
		},
		"missing": func() error { _, err := b.svc.RiwayatUMKM(ctx, b.depok, uuid.New(), tumpang.View{}); return err },
		"koperasi": func() error {
			_, err := b.svc.RiwayatKoperasi(ctx, b.depok, u, tumpang.View{})
			return err
		},
	} {
		if apperrKind(call()) != apperr.KindNotFound {
			t.Errorf("%s: want not found, got %v", name, call())
		}
	}

	// The totals of the report are those of its rows.
	b.luar(t, b.depok, baznas, "pelatihan", 2025, u)
	b.luar(t, b.depok, baznas, "pelatihan", 2025, other)
	r, err := b.svc.RingkasLaporan(ctx, b.depok, tumpang.LaporanFilter{Tahun: 2025, Jenis: "pelatihan"}, tumpang.View{})
	if err != nil || r != (tumpang.RingkasGanda{Usaha: 2, Partisipasi: 4, Agensi: 2}) {
		t.Fatalf("totals: %+v %v", r, err)
	}
	if r, err := b.svc.RingkasLaporan(ctx, b.depok, tumpang.LaporanFilter{Tahun: 2025, Jenis: "pelatihan"}, tumpang.View{Wilayah: []string{"32.76.02"}}); err != nil || r.Usaha != 0 {
		t.Errorf("totals for a petugas elsewhere: %+v %v", r, err)
	}
	if _, err := b.svc.RingkasLaporan(ctx, b.depok, tumpang.LaporanFilter{Tahun: 3000, Jenis: "pelatihan"}, tumpang.View{}); apperrKind(err) != apperr.KindInvalid {
		t.Errorf("bad year: %v", err)
	}
}
