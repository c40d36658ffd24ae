package koperasi_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
)

func TestCreateGetUpdateArchiveAreAudited(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	in := input("Koperasi Maju Bersama", kelDepok)
	in.NIKKoperasi = ptr(" 3276010000123 ")
	in.BadanHukumNomor, in.BadanHukumTanggal = ptr("518/BH/XIII/1998"), ptr("1998-03-02")
	in.PerubahanADNomor, in.PerubahanADTanggal = ptr("AHU-0001234.AH.01.29"), ptr("2021-05-10")
	in.Jenis, in.Sektor, in.Alamat = ptr("konsumen"), ptr("perdagangan"), ptr("Jl. Melati 5")
	in.AnggotaLaki, in.AnggotaPerempuan, in.Karyawan = ptr(40), ptr(65), ptr(3)
	in.UnitToko, in.PembukuanDigital, in.Peringkat = true, true, ptr("B")
	d := b.create(t, b.depok, in)
	if d.Version != 1 || *d.NIKKoperasi != "3276010000123" || d.Bentuk != "primer" || !d.Aktif || d.BadanHukumTanggal == nil || *d.BadanHukumTanggal != "1998-03-02" {
		t.Errorf("created %+v", d.Koperasi)
	}
	got, err := b.svc.Get(ctx, b.depok, d.ID)
	if err != nil || got.Nama != in.Nama || got.AnggotaPerempuan != 65 || *got.Jenis != "konsumen" || len(got.Unit) != 0 {
		t.Fatalf("get: %+v, %v", got.Koperasi, err)
	}
	if _, err := b.svc.Get(ctx, b.medan, d.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("read as medan: %v, want not found", err)
	}

	in.Jenis, in.Nama = nil, "Koperasi Maju Bersama Depok" // absent jenis keeps the type
	if _, err := b.svc.Update(ctx, b.depok, d.ID, 7, in); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Errorf("stale version: %v, want precondition failed", err)
	}
	up, err := b.svc.Update(ctx, b.depok, d.ID, 1, in)
	if err != nil || up.Version != 2 || up.Jenis == nil || *up.Jenis != "konsumen" || up.Nama != in.Nama {
		t.Fatalf("update: %+v, %v", up.Koperasi, err)
	}
	if _, err := b.svc.Update(ctx, b.medan, d.ID, 2, in); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("update as medan: %v, want not found", err)
	}
	ar, err := b.svc.Archive(ctx, b.depok, d.ID, 2)
	if err != nil || ar.ArchivedAt == nil || ar.Version != 3 {
		t.Fatalf("archive: %+v, %v", ar.Koperasi, err)
	}
	if _, err := b.svc.Update(ctx, b.depok, d.ID, 3, in); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("update of an archived cooperative: %v, want conflict", err)
	}
	for action, want := range map[string]int{"create": 1, "update": 1, "archive": 1} {
		if n := b.count(t, b.depok, `select count(*) from audit_log where entity = 'koperasi' and entity_id = $1 and action = $2`, d.ID.String(), action); n != want {
			t.Errorf("%d %s audit rows, want %d", n, action, want)
		}
	}
}

func TestBadInputNamesTheFieldAndWritesNothing(t *testing.T) {
	b := setup(t)
	for _, c := range []struct {
		name, field string
		edit        func(*koperasi.KoperasiInput)
	}{
		{"blank name", "body.nama", func(in *koperasi.KoperasiInput) { in.Nama = "  " }},
		{"formula name", "body.nama", func(in *koperasi.KoperasiInput) { in.Nama = "=HYPERLINK(\"x\")" }},
		{"short NIK Koperasi", "body.nik_koperasi", func(in *koperasi.KoperasiInput) { in.NIKKoperasi = ptr("123456") }},
		{"NIK Koperasi with letters", "body.nik_koperasi", func(in *koperasi.KoperasiInput) { in.NIKKoperasi = ptr("32760100001AB") }},
		{"KSU as a jenis", "body.jenis", func(in *koperasi.KoperasiInput) { in.Jenis = ptr("ksu") }},
		{"unknown kelompok", "body.kelompok", func(in *koperasi.KoperasiInput) { in.Kelompok = ptr("koperasi_rakyat") }},
		{"unknown bentuk", "body.bentuk", func(in *koperasi.KoperasiInput) { in.Bentuk = ptr("tersier") }},
		{"grade E", "body.peringkat", func(in *koperasi.KoperasiInput) { in.Peringkat = ptr("E") }},
		{"another tenant's kecamatan", "body.kecamatan_kode", func(in *koperasi.KoperasiInput) {
			in.KecamatanKode, in.KelurahanKode = kelMedanPasar[:8], kelMedanPasar
		}},
		{"kelurahan of another kecamatan", "body.kelurahan_kode", func(in *koperasi.KoperasiInput) { in.KelurahanKode = kelHarjamukti }},
		{"negative members", "body.anggota_laki", func(in *koperasi.KoperasiInput) { in.AnggotaLaki = ptr(-1) }},
		{"negative employees", "body.karyawan", func(in *koperasi.KoperasiInput) { in.Karyawan = ptr(-3) }},
		{"founded in the future", "body.badan_hukum_tanggal", func(in *koperasi.KoperasiInput) { in.BadanHukumTanggal = ptr("2027-01-01") }},
		{"not a date", "body.nik_berlaku_sampai", func(in *koperasi.KoperasiInput) { in.NIKBerlakuSampai = ptr("31/12/2027") }},
		{"statute change before founding", "body.perubahan_ad_tanggal", func(in *koperasi.KoperasiInput) {
			in.BadanHukumTanggal, in.PerubahanADTanggal = ptr("2000-01-01"), ptr("1999-01-01")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := input("Koperasi Uji", kelDepok)
			c.edit(&in)
			_, err := b.tryCreate(b.depok, in)
			wantField(t, err, c.field)
		})
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi"); n != 0 {
		t.Errorf("%d cooperatives written by bad input", n)
	}
	if n := b.count(t, b.depok, "select count(*) from audit_log"); n != 0 {
		t.Errorf("%d audit rows written by bad input", n)
	}
}

func TestOnePilotPerKecamatan(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	pilot := func(nama, kel string) koperasi.KoperasiInput {
		in := input(nama, kel)
		in.Pilot = true
		return in
	}
	a := b.create(t, b.depok, pilot("Koperasi Pilot Pancoran Mas", kelDepok))
	_, err := b.tryCreate(b.depok, pilot("Koperasi Kedua", kelDepokJaya))
	ae := wantKind(t, err, apperr.KindConflict)
	if len(ae.Fields) != 1 || ae.Fields[0].Location != "body.pilot" || ae.Existing != koperasi.Path("depok", a.ID) {
		t.Errorf("second pilot: fields %+v, existing %q", ae.Fields, ae.Existing)
	}
	// Another kecamatan has its own pilot; another tenant is another world.
	b.create(t, b.depok, pilot("Koperasi Pilot Cimanggis", kelHarjamukti))
	b.create(t, b.medan, pilot("Koperasi Pilot Medan Kota", kelMedanPasar))

	// Making a non-pilot the pilot of a kecamatan that has one is refused too.
	c := b.create(t, b.depok, input("Koperasi Ketiga", kelDepokJaya))
	_, err = b.svc.Update(ctx, b.depok, c.ID, c.Version, pilot("Koperasi Ketiga", kelDepokJaya))
	wantKind(t, err, apperr.KindConflict)
	// The pilot keeps its place when updated itself.
	if _, err := b.svc.Update(ctx, b.depok, a.ID, a.Version, pilot("Koperasi Pilot Pancoran Mas", kelDepokJaya)); err != nil {
		t.Fatalf("pilot updating itself: %v", err)
	}
	// Archiving the pilot frees the kecamatan.
	if _, err := b.svc.Archive(ctx, b.depok, a.ID, a.Version+1); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Update(ctx, b.depok, c.ID, c.Version, pilot("Koperasi Ketiga", kelDepokJaya)); err != nil {
		t.Errorf("pilot after the old one was archived: %v", err)
	}
}

// TestConcurrentPilotsOneWins: pilots created at the same moment in one
// kecamatan all pass the service's check; the unique index lets one through
// and the others get the same conflict naming pilot.
func TestConcurrentPilotsOneWins(t *testing.T) {
	b := setup(t)
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			in := input("Koperasi Calon Pilot", kelDepok)
			in.Pilot = true
			_, errs[i] = b.tryCreate(b.depok, in)
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		ae := wantKind(t, err, apperr.KindConflict)
		if len(ae.Fields) != 1 || ae.Fields[0].Location != "body.pilot" {
			t.Errorf("loser's conflict names %+v, want body.pilot", ae.Fields)
		}
	}
	if won != 1 {
		t.Errorf("%d pilots created, want 1", won)
	}
	if c := b.count(t, b.depok, "select count(*) from koperasi where pilot"); c != 1 {
		t.Errorf("%d pilots stored, want 1", c)
	}
}

func TestNIKKoperasiIsUniqueAmongLiveRecords(t *testing.T) {
	b := setup(t)
	in := input("Koperasi Satu", kelDepok)
	in.NIKKoperasi = ptr("3276010000123")
	a := b.create(t, b.depok, in)
	in.Nama = "Koperasi Dua"
	_, err := b.tryCreate(b.depok, in)
	ae := wantKind(t, err, apperr.KindConflict)
	if ae.Existing != koperasi.Path("depok", a.ID) || ae.Fields[0].Location != "body.nik_koperasi" {
		t.Errorf("duplicate NIK: %+v", ae)
	}
	b.create(t, b.medan, koperasi.KoperasiInput{Nama: "Koperasi Medan", KecamatanKode: kelMedanPasar[:8], KelurahanKode: kelMedanPasar, NIKKoperasi: in.NIKKoperasi})
}

// TestUpdateNeverChangesJenis: the registry keeps the legal type (the
// reclassification review decides it): an update without jenis keeps it,
// the same jenis is accepted, setting or changing it is a conflict naming
// body.jenis, and nothing is written then.
func TestUpdateNeverChangesJenis(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	typed := input("Koperasi Konsumen", kelDepok)
	typed.Jenis = ptr("konsumen")
	d := b.create(t, b.depok, typed)
	untyped := b.create(t, b.depok, input("KSU Tanpa Jenis", kelDepok))

	for _, c := range []struct {
		what  string
		id    uuid.UUID
		jenis *string
	}{
		{"change", d.ID, ptr("produsen")},
		{"set", untyped.ID, ptr("jasa")},
	} {
		in := input("Diubah", kelDepok)
		in.Jenis = c.jenis
		_, err := b.svc.Update(ctx, b.depok, c.id, 1, in)
		ae := wantKind(t, err, apperr.KindConflict)
		if len(ae.Fields) != 1 || ae.Fields[0].Location != "body.jenis" || !strings.Contains(ae.Message.ID, "reklasifikasi") {
			t.Errorf("%s jenis: %+v", c.what, ae)
		}
	}
	if n := b.count(t, b.depok, `select count(*) from koperasi where version <> 1 or nama = 'Diubah'`); n != 0 {
		t.Fatalf("%d cooperatives written by refused updates", n)
	}

	in := input("Koperasi Konsumen Baru", kelDepok) // no jenis: keeps it
	up, err := b.svc.Update(ctx, b.depok, d.ID, 1, in)
	if err != nil || up.Jenis == nil || *up.Jenis != "konsumen" || up.Nama != in.Nama {
		t.Fatalf("update without jenis: %+v, %v", up.Koperasi, err)
	}
	in.Jenis = ptr("konsumen") // the same: accepted
	if up, err = b.svc.Update(ctx, b.depok, d.ID, 2, in); err != nil || *up.Jenis != "konsumen" || up.Version != 3 {
		t.Fatalf("update with the same jenis: %+v, %v", up.Koperasi, err)
	}
	if up, err = b.svc.Update(ctx, b.depok, untyped.ID, 1, input("KSU Tanpa Jenis", kelDepok)); err != nil || up.Jenis != nil {
		t.Fatalf("update of an untyped cooperative: %+v, %v", up.Koperasi, err)
	}
}
