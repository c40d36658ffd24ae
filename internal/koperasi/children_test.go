package koperasi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func (b *bundle) addUnit(tt *tenancy.Tenant, id uuid.UUID, in koperasi.UnitInput) (koperasi.Unit, int64, error) {
	var (
		u koperasi.Unit
		v int64
	)
	err := b.inTx(tt, func(tx pgx.Tx) error {
		var err error
		u, v, err = b.svc.CreateUnitTx(context.Background(), tx, tt, id, in)
		return err
	})
	return u, v, err
}

func TestUnitsWithVolumes(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.create(t, b.depok, input("KSU Sejahtera", kelDepok))
	usp, v, err := b.addUnit(b.depok, k.ID, koperasi.UnitInput{JenisUnit: "simpan_pinjam", PolaSimpanPinjam: ptr("close_loop"),
		PolaSejak: ptr("2023-07-01"), Volume: []koperasi.Volume{{Tahun: 2024, Volume: 900_000_000}, {Tahun: 2025, Volume: 1_200_000_000}}})
	if err != nil || v != 2 || len(usp.Volume) != 2 || usp.Volume[0].Tahun != 2025 || *usp.PolaSejak != "2023-07-01" {
		t.Fatalf("add unit: %+v, version %d, %v", usp, v, err)
	}
	toko, v, err := b.addUnit(b.depok, k.ID, koperasi.UnitInput{JenisUnit: "toko", Volume: []koperasi.Volume{{Tahun: 2025, Volume: 0}}})
	if err != nil || v != 3 {
		t.Fatalf("add toko: %v (version %d)", err, v)
	}

	for _, c := range []struct {
		name, field string
		in          koperasi.UnitInput
	}{
		{"negative volume", "body.volume[1].volume", koperasi.UnitInput{JenisUnit: "toko", Volume: []koperasi.Volume{{Tahun: 2024, Volume: 1}, {Tahun: 2025, Volume: -5}}}},
		{"year twice", "body.volume[1].tahun", koperasi.UnitInput{JenisUnit: "toko", Volume: []koperasi.Volume{{Tahun: 2024, Volume: 1}, {Tahun: 2024, Volume: 2}}}},
		{"future year", "body.volume[0].tahun", koperasi.UnitInput{JenisUnit: "toko", Volume: []koperasi.Volume{{Tahun: 2027, Volume: 1}}}},
		{"loop on a store", "body.pola_simpan_pinjam", koperasi.UnitInput{JenisUnit: "toko", PolaSimpanPinjam: ptr("open_loop")}},
		{"since without loop", "body.pola_sejak", koperasi.UnitInput{JenisUnit: "simpan_pinjam", PolaSejak: ptr("2024-01-01")}},
		{"unknown kind", "body.jenis_unit", koperasi.UnitInput{JenisUnit: "bank"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := b.addUnit(b.depok, k.ID, c.in)
			wantField(t, err, c.field)
		})
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_unit"); n != 2 {
		t.Errorf("%d units after bad input, want 2", n)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_unit_volume"); n != 3 {
		t.Errorf("%d volumes after bad input, want 3", n)
	}

	// An update replaces the unit and all its volumes, with the
	// cooperative's current version.
	up := koperasi.UnitInput{JenisUnit: "simpan_pinjam", PolaSimpanPinjam: ptr("open_loop"), PolaSejak: ptr("2025-01-01"),
		Volume: []koperasi.Volume{{Tahun: 2025, Volume: 1_500_000_000}}}
	if _, _, err := b.svc.UpdateUnit(ctx, b.depok, k.ID, usp.ID, 2, up); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Errorf("stale version: %v", err)
	}
	got, v, err := b.svc.UpdateUnit(ctx, b.depok, k.ID, usp.ID, 3, up)
	if err != nil || v != 4 || len(got.Volume) != 1 || got.Volume[0].Volume != 1_500_000_000 || *got.PolaSimpanPinjam != "open_loop" {
		t.Fatalf("update unit: %+v, %d, %v", got, v, err)
	}
	// A unit is found only under its own cooperative, in its own tenant.
	other := b.create(t, b.depok, input("Koperasi Lain", kelDepok))
	if _, _, err := b.svc.UpdateUnit(ctx, b.depok, other.ID, usp.ID, 1, up); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("unit under another cooperative: %v", err)
	}
	if _, _, err := b.svc.UpdateUnit(ctx, b.medan, k.ID, usp.ID, 4, up); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("unit as medan: %v", err)
	}
	if v, err = b.svc.DeleteUnit(ctx, b.depok, k.ID, toko.ID, 4); err != nil || v != 5 {
		t.Fatalf("delete unit: %d, %v", v, err)
	}
	d, err := b.svc.Get(ctx, b.depok, k.ID)
	if err != nil || len(d.Unit) != 1 || d.Unit[0].ID != usp.ID || d.Version != 5 {
		t.Errorf("after delete: %+v, %v", d, err)
	}
	if n := b.count(t, b.depok, "select count(*) from audit_log where entity = 'koperasi_unit'"); n != 4 {
		t.Errorf("%d unit audit rows, want 4", n)
	}
	// An archived cooperative takes no new units.
	if _, err := b.svc.Archive(ctx, b.depok, k.ID, 5); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.addUnit(b.depok, k.ID, koperasi.UnitInput{JenisUnit: "toko"}); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("unit of an archived cooperative: %v", err)
	}
}

func (b *bundle) addRAT(t *testing.T, tt *tenancy.Tenant, id uuid.UUID, tahun int, tanggal string) error {
	t.Helper()
	return b.inTx(tt, func(tx pgx.Tx) error {
		_, _, err := b.svc.CreateRATTx(context.Background(), tx, tt, id, koperasi.RATInput{Tahun: tahun, Tanggal: tanggal})
		return err
	})
}

// TestRATOverdue: today is 2026-06-15 in Jakarta, so the cut-off is
// 2024-06-15: a RAT held that day still counts.
func TestRATOverdue(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	mk := func(nama string, founded *string) koperasi.Detail {
		in := input(nama, kelDepok)
		in.BadanHukumTanggal = founded
		return b.create(t, b.depok, in)
	}
	onCutoff := mk("RAT tepat dua tahun", ptr("2001-01-01"))
	dayBefore := mk("RAT sehari terlambat", ptr("2001-01-01"))
	young := mk("Baru berdiri", ptr("2025-01-01"))
	unknown := mk("Tanpa tanggal", nil)
	old := mk("Lama tanpa RAT", ptr("2001-01-01"))
	if err := b.addRAT(t, b.depok, onCutoff.ID, 2023, "2024-06-15"); err != nil {
		t.Fatal(err)
	}
	if err := b.addRAT(t, b.depok, dayBefore.ID, 2022, "2023-03-01"); err != nil {
		t.Fatal(err)
	}
	if err := b.addRAT(t, b.depok, dayBefore.ID, 2023, "2024-06-14"); err != nil {
		t.Fatal(err)
	}
	want := map[uuid.UUID]bool{onCutoff.ID: false, dayBefore.ID: true, young.ID: false, unknown.ID: true, old.ID: true}
	for id, overdue := range want {
		d, err := b.svc.Get(ctx, b.depok, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.RATTerlambat != overdue {
			t.Errorf("%s: rat_terlambat %v, want %v (rat_terakhir %v)", d.Nama, d.RATTerlambat, overdue, d.RATTerakhir)
		}
	}
	d, _ := b.svc.Get(ctx, b.depok, dayBefore.ID)
	if *d.RATTerakhir != "2024-06-14" || len(d.RAT) != 2 || d.RAT[0].Tahun != 2023 {
		t.Errorf("rat_terakhir %v, history %+v", *d.RATTerakhir, d.RAT)
	}
	// The list filter says the same as the flag.
	for _, overdue := range []bool{true, false} {
		page, err := b.svc.List(ctx, b.depok, koperasi.Filter{RATTerlambat: &overdue, Limit: 50}, koperasi.View{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[uuid.UUID]bool{}
		for _, r := range page.Items {
			got[r.ID] = true
			if r.RATTerlambat != overdue {
				t.Errorf("filter %v lists %s flagged %v", overdue, r.Nama, r.RATTerlambat)
			}
		}
		for id, o := range want {
			if o == overdue && !got[id] {
				t.Errorf("filter %v misses %s", overdue, id)
			}
		}
	}
	// Deleting the latest RAT moves rat_terakhir back.
	v, err := b.svc.DeleteRAT(ctx, b.depok, dayBefore.ID, 2023, d.Version)
	if err != nil {
		t.Fatal(err)
	}
	d, _ = b.svc.Get(ctx, b.depok, dayBefore.ID)
	if d.Version != v || *d.RATTerakhir != "2023-03-01" {
		t.Errorf("after delete: version %d (want %d), rat_terakhir %v", d.Version, v, *d.RATTerakhir)
	}
	if _, err := b.svc.DeleteRAT(ctx, b.depok, dayBefore.ID, 2023, v); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("deleting a RAT twice: %v", err)
	}

	// Bad input and a second RAT for a book year.
	wantField(t, b.addRAT(t, b.depok, old.ID, 2026, "2026-07-01"), "body.tanggal") // future
	wantField(t, b.addRAT(t, b.depok, old.ID, 2024, "2023-12-31"), "body.tanggal") // before its book year
	wantField(t, b.addRAT(t, b.depok, old.ID, 1900, "2000-01-01"), "body.tahun")
	ae := wantKind(t, b.addRAT(t, b.depok, onCutoff.ID, 2023, "2024-07-01"), apperr.KindConflict)
	if ae.Fields[0].Location != "body.tahun" {
		t.Errorf("second RAT of a year names %+v", ae.Fields)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_rat"); n != 2 {
		t.Errorf("%d RAT rows, want 2", n)
	}
}

func (b *bundle) assess(tt *tenancy.Tenant, id uuid.UUID, in koperasi.PenilaianInput) (koperasi.Penilaian, error) {
	var p koperasi.Penilaian
	err := b.inTx(tt, func(tx pgx.Tx) error {
		var err error
		p, _, err = b.svc.CreatePenilaianTx(context.Background(), tx, tt, id, in)
		return err
	})
	return p, err
}

func all(kodes []string, v float64) map[string]float64 {
	m := map[string]float64{}
	for _, k := range kodes {
		m[k] = v
	}
	return m
}

var (
	aspek2020 = []string{"tata_kelola", "profil_risiko", "kinerja_keuangan", "permodalan"}
	aspek2016 = []string{"permodalan", "kualitas_aktiva", "manajemen", "efisiensi", "likuiditas", "kemandirian", "jatidiri"}
)

// TestHealthPredicateBands: lower bounds inclusive, upper exclusive, the
// top band's upper bound inclusive; weights count.
func TestHealthPredicateBands(t *testing.T) {
	b := setup(t)
	k := b.create(t, b.depok, input("Koperasi Dinilai", kelDepok))
	weighted := all(aspek2016, 74)
	weighted["kualitas_aktiva"] = 100 // weight 25: (2500 + 75·74)/100 = 80.5; the plain mean is 77.7
	cases := []struct {
		regime string
		skor   map[string]float64
		want   string
		total  float64
	}{
		{"permenkop_9_2020", all(aspek2020, 100), "sehat", 100},
		{"permenkop_9_2020", all(aspek2020, 76), "sehat", 76},
		{"permenkop_9_2020", all(aspek2020, 75.99), "cukup_sehat", 75.99},
		{"permenkop_9_2020", all(aspek2020, 51), "cukup_sehat", 51},
		{"permenkop_9_2020", all(aspek2020, 50.99), "kurang_sehat", 50.99},
		{"permenkop_9_2020", all(aspek2020, 26), "kurang_sehat", 26},
		{"permenkop_9_2020", all(aspek2020, 25.99), "tidak_sehat", 25.99},
		{"permenkop_9_2020", all(aspek2020, 0), "tidak_sehat", 0},
		{"permenkop_9_2020", map[string]float64{"tata_kelola": 100, "profil_risiko": 100, "kinerja_keuangan": 52, "permodalan": 52}, "sehat", 76},
		{"perdep_06_2016", all(aspek2016, 100), "sehat", 100},
		{"perdep_06_2016", all(aspek2016, 80), "sehat", 80},
		{"perdep_06_2016", all(aspek2016, 79.99), "cukup_sehat", 79.99},
		{"perdep_06_2016", all(aspek2016, 66), "cukup_sehat", 66},
		{"perdep_06_2016", all(aspek2016, 65.99), "dalam_pengawasan", 65.99},
		{"perdep_06_2016", all(aspek2016, 51), "dalam_pengawasan", 51},
		{"perdep_06_2016", all(aspek2016, 50.99), "dalam_pengawasan_khusus", 50.99},
		{"perdep_06_2016", weighted, "sehat", 80.5},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%s %v", c.regime, c.total), func(t *testing.T) {
			p, err := b.assess(b.depok, k.ID, koperasi.PenilaianInput{Regime: c.regime, Tahun: 2005 + i, Skor: c.skor})
			if err != nil {
				t.Fatal(err)
			}
			if p.Predikat != c.want || p.SkorTotal != c.total {
				t.Errorf("predikat %s (total %v), want %s (%v)", p.Predikat, p.SkorTotal, c.want, c.total)
			}
		})
	}
	// The cooperative shows its latest assessment.
	d, err := b.svc.Get(context.Background(), b.depok, k.ID)
	if err != nil || *d.KesehatanTahun != 2005+len(cases)-1 || *d.KesehatanPredikat != "sehat" {
		t.Errorf("latest: %v %v, %v", d.KesehatanTahun, d.KesehatanPredikat, err)
	}
}

func TestHealthAssessmentBadInputAndLatest(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.create(t, b.depok, input("Koperasi Dinilai", kelDepok))
	for _, c := range []struct {
		name, field string
		in          koperasi.PenilaianInput
	}{
		{"unknown regime", "body.regime", koperasi.PenilaianInput{Regime: "permenkop_2030", Tahun: 2025, Skor: all(aspek2020, 80)}},
		{"unknown aspect", "body.skor.likuiditas", koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2025,
			Skor: map[string]float64{"tata_kelola": 80, "profil_risiko": 80, "kinerja_keuangan": 80, "permodalan": 80, "likuiditas": 80}}},
		{"missing aspect", "body.skor.permodalan", koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2025,
			Skor: map[string]float64{"tata_kelola": 80, "profil_risiko": 80, "kinerja_keuangan": 80}}},
		{"score above range", "body.skor.jatidiri", koperasi.PenilaianInput{Regime: "perdep_06_2016", Tahun: 2025,
			Skor: func() map[string]float64 { m := all(aspek2016, 80); m["jatidiri"] = 100.5; return m }()}},
		{"negative score", "body.skor.tata_kelola", koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2025,
			Skor: map[string]float64{"tata_kelola": -1, "profil_risiko": 80, "kinerja_keuangan": 80, "permodalan": 80}}},
		{"future year", "body.tahun", koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2027, Skor: all(aspek2020, 80)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := b.assess(b.depok, k.ID, c.in)
			wantField(t, err, c.field)
		})
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_kesehatan"); n != 0 {
		t.Fatalf("%d assessments written by bad input", n)
	}

	p2024, err := b.assess(b.depok, k.ID, koperasi.PenilaianInput{Regime: "perdep_06_2016", Tahun: 2024, Skor: all(aspek2016, 60)})
	if err != nil {
		t.Fatal(err)
	}
	p2025, err := b.assess(b.depok, k.ID, koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2025, Skor: all(aspek2020, 90)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.assess(b.depok, k.ID, koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2025, Skor: all(aspek2020, 30)})
	if ae := wantKind(t, err, apperr.KindConflict); ae.Existing != koperasi.PenilaianPath("depok", k.ID, p2025.ID) {
		t.Errorf("second assessment of a year points at %q", ae.Existing)
	}
	list, err := b.svc.ListPenilaian(ctx, b.depok, k.ID)
	if err != nil || len(list) != 2 || list[0].ID != p2025.ID || list[1].Skor["kualitas_aktiva"] != 60 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	d, _ := b.svc.Get(ctx, b.depok, k.ID)
	if *d.KesehatanPredikat != "sehat" || *d.KesehatanTahun != 2025 {
		t.Errorf("latest: %s %d", *d.KesehatanPredikat, *d.KesehatanTahun)
	}
	// Deleting the latest falls back to the one before.
	if _, err := b.svc.DeletePenilaian(ctx, b.depok, k.ID, p2025.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	d, _ = b.svc.Get(ctx, b.depok, k.ID)
	if *d.KesehatanPredikat != "dalam_pengawasan" || *d.KesehatanTahun != 2024 {
		t.Errorf("after delete: %s %d", *d.KesehatanPredikat, *d.KesehatanTahun)
	}
	if _, err := b.svc.ListPenilaian(ctx, b.medan, k.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("list as medan: %v", err)
	}
	if _, err := b.svc.DeletePenilaian(ctx, b.depok, k.ID, p2024.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	d, _ = b.svc.Get(ctx, b.depok, k.ID)
	if d.KesehatanPredikat != nil || d.KesehatanTahun != nil {
		t.Errorf("no assessment left, still %v %v", d.KesehatanPredikat, d.KesehatanTahun)
	}
}

func TestRegimesAreReferenceData(t *testing.T) {
	b := setup(t)
	rs, err := b.svc.Regimes(context.Background())
	if err != nil || len(rs) != 2 {
		t.Fatalf("regimes: %+v, %v", rs, err)
	}
	for _, r := range rs {
		if len(r.Aspek) == 0 || len(r.Predikat) != 4 || r.Predikat[0].Predikat != "sehat" || r.Sumber == "" {
			t.Errorf("regime %s: %+v", r.Kode, r)
		}
	}
}

func TestPengurusNamesArePersonalData(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.create(t, b.depok, input("Koperasi Maju", kelDepok))
	var p koperasi.Pengurus
	if err := b.inTx(b.depok, func(tx pgx.Tx) error {
		var err error
		p, _, err = b.svc.CreatePengurusTx(ctx, tx, b.depok, k.ID, koperasi.PengurusInput{Nama: "Siti Aminah", Jabatan: "ketua", Mulai: ptr("2024-01-01")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err := b.inTx(b.depok, func(tx pgx.Tx) error {
		_, _, err := b.svc.CreatePengurusTx(ctx, tx, b.depok, k.ID, koperasi.PengurusInput{Nama: "Budi", Jabatan: "ketua", Mulai: ptr("2024-01-01"), Selesai: ptr("2023-01-01")})
		return err
	})
	wantField(t, err, "body.selesai")
	for _, c := range []struct {
		name string
		view koperasi.View
		want string
	}{
		{"staf", koperasi.View{PII: true}, "Siti Aminah"},
		{"viewer", koperasi.View{}, "S*** A***"},
		{"petugas of this kecamatan", koperasi.View{PII: true, Wilayah: []string{kecPancoranMas}}, "Siti Aminah"},
		{"petugas elsewhere", koperasi.View{PII: true, Wilayah: []string{kecCimanggis}}, "S*** A***"},
	} {
		d, err := b.svc.Get(ctx, b.depok, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		koperasi.PresentDetail(&d, c.view)
		if len(d.Pengurus) != 1 || d.Pengurus[0].Nama != c.want {
			t.Errorf("%s sees %+v, want name %q", c.name, d.Pengurus, c.want)
		}
	}
	up, v, err := b.svc.UpdatePengurus(ctx, b.depok, k.ID, p.ID, 2, koperasi.PengurusInput{Nama: "Siti Aminah", Jabatan: "ketua", Mulai: ptr("2024-01-01"), Selesai: ptr("2026-01-01")})
	if err != nil || v != 3 || *up.Selesai != "2026-01-01" {
		t.Fatalf("update pengurus: %+v %d %v", up, v, err)
	}
	if _, err := b.svc.DeletePengurus(ctx, b.depok, k.ID, p.ID, 3); err != nil {
		t.Fatal(err)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_pengurus"); n != 0 {
		t.Errorf("%d pengurus left", n)
	}
}

func TestUMKMMembership(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.create(t, b.depok, input("Koperasi Pemasaran", kelDepok))
	k2 := b.create(t, b.depok, input("Koperasi Kedua", kelHarjamukti))
	u := []uuid.UUID{b.umkm(t, b.depok, "Keripik A", kelDepok), b.umkm(t, b.depok, "Batik B", kelDepok), b.umkm(t, b.depok, "Kopi C", kelHarjamukti)}
	medanUMKM := b.umkm(t, b.medan, "Bika Ambon", kelMedanPasar)
	add := func(kop uuid.UUID, in koperasi.AnggotaInput) error {
		return b.inTx(b.depok, func(tx pgx.Tx) error {
			_, _, err := b.svc.AddAnggotaTx(ctx, tx, b.depok, kop, in)
			return err
		})
	}
	for _, id := range u {
		if err := add(k.ID, koperasi.AnggotaInput{UMKMID: id, AnggotaUbah: koperasi.AnggotaUbah{Sejak: ptr("2024-02-01"), Difasilitasi: true}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := add(k2.ID, koperasi.AnggotaInput{UMKMID: u[0]}); err != nil {
		t.Fatal(err)
	}
	if ae := wantKind(t, add(k.ID, koperasi.AnggotaInput{UMKMID: u[0]}), apperr.KindConflict); ae.Existing != koperasi.AnggotaPath("depok", k.ID, u[0]) {
		t.Errorf("member twice: %+v", ae)
	}
	if err := add(k.ID, koperasi.AnggotaInput{UMKMID: medanUMKM}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("medan's UMKM: %v, want not found", err)
	}
	if err := add(k.ID, koperasi.AnggotaInput{UMKMID: uuid.New()}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("unknown UMKM: %v, want not found", err)
	}
	wantField(t, add(k2.ID, koperasi.AnggotaInput{UMKMID: u[1], AnggotaUbah: koperasi.AnggotaUbah{Sejak: ptr("2030-01-01")}}), "body.sejak")

	// Members page by page, in id order.
	var got []uuid.UUID
	after := uuid.Nil
	for range 5 {
		page, err := b.svc.ListAnggota(ctx, b.depok, k.ID, nil, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page[:min(len(page), 2)] {
			got = append(got, a.UMKMID)
			if !a.Difasilitasi || a.NamaKoperasi != k.Nama || *a.Sejak != "2024-02-01" {
				t.Errorf("member %+v", a)
			}
		}
		if len(page) <= 2 {
			break
		}
		after = page[1].UMKMID
	}
	if len(got) != 3 || got[0] != u[0] || got[2] != u[2] {
		t.Errorf("members %v, want %v", got, u)
	}
	// The cooperatives of an UMKM; a petugas outside its area finds nothing.
	of, err := b.svc.ListKoperasiOfUMKM(ctx, b.depok, u[0], nil, uuid.Nil, 10)
	if err != nil || len(of) != 2 || of[0].KoperasiID != k.ID || of[1].KoperasiID != k2.ID {
		t.Errorf("cooperatives of an UMKM: %+v, %v", of, err)
	}
	if _, err := b.svc.ListKoperasiOfUMKM(ctx, b.depok, u[0], []string{kecCimanggis}, uuid.Nil, 10); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("outside the petugas's area: %v", err)
	}
	if _, err := b.svc.ListKoperasiOfUMKM(ctx, b.medan, u[0], nil, uuid.Nil, 10); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("as medan: %v", err)
	}
	d, _ := b.svc.Get(ctx, b.depok, k.ID)
	a, v, err := b.svc.UpdateAnggota(ctx, b.depok, k.ID, u[1], d.Version, koperasi.AnggotaUbah{Difasilitasi: false})
	if err != nil || a.Difasilitasi || a.Sejak != nil || v != d.Version+1 {
		t.Errorf("update membership: %+v %d %v", a, v, err)
	}
	if _, err := b.svc.RemoveAnggota(ctx, b.depok, k.ID, u[1], d.Version); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Errorf("remove with a stale version: %v", err)
	}
	if _, err := b.svc.RemoveAnggota(ctx, b.depok, k.ID, u[1], v); err != nil {
		t.Fatal(err)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_anggota_umkm where koperasi_id = $1", k.ID); n != 2 {
		t.Errorf("%d members left, want 2", n)
	}
}
