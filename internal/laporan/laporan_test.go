package laporan_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/laporan"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// kantor is Depok's programmes, built through the services:
//
//   - A (pelatihan 2026, Renja …0015, people, target 20; rule bukan_asn):
//     12 food businesses and 2 fashion businesses complete it; X, one of
//     the 12, also completes it as a person (its owner's NIK: one person);
//     R is selected
//     then taken out; M applies without the declaration (not eligible).
//     10 of the completers attend its session.
//   - C (pelatihan 2026, Renja …0015, people, target 10): X as a person
//     and Z complete it: the code counts X once across A and C; a
//     cooperative completes it too (it cannot count in people).
//   - B (pendampingan 2026, Renja …0004, businesses, target 5): X
//     completes it as a business and as a person: one business.
//   - D (pelatihan 2025): W completes it, so W is neither a 2026
//     participant nor never-helped.
//
// The 12 food completers grew from Rp100 juta to Rp120 juta a year and from
// 2 to 4 employees; 11 food businesses nobody helped grew to Rp105 juta
// with 2 employees still; the fashion groups are too small to show.
type kantor struct {
	a, b, c, d uuid.UUID
}

func (b *bundle) kantor(t *testing.T, tn *tenancy.Tenant) kantor {
	t.Helper()
	ag := b.agensi(t, tn)
	var k kantor
	k.a = b.programme(t, tn, program.Input{Nama: "Pelatihan Pengemasan", Jenis: "pelatihan", AgensiID: ag, Tahun: 2026, RenjaKode: ptr("2.17.07.2.01.0015"),
		RenjaIndikator: ptr("Jumlah pelaku usaha yang dilatih"), Satuan: "orang", Target: 20, Kuota: 40, Aturan: []program.Aturan{{Jenis: "bukan_asn"}}})
	k.c = b.programme(t, tn, program.Input{Nama: "Pelatihan Digital", Jenis: "pelatihan", AgensiID: ag, Tahun: 2026, RenjaKode: ptr("2.17.07.2.01.0015"),
		Satuan: "orang", Target: 10, Kuota: 5})
	k.b = b.programme(t, tn, program.Input{Nama: "Pendampingan Legalitas", Jenis: "pendampingan", AgensiID: ag, Tahun: 2026, RenjaKode: ptr("2.17.07.2.01.0004"),
		Satuan: "usaha", Target: 5, Kuota: 5})
	k.d = b.programme(t, tn, program.Input{Nama: "Pelatihan 2025", Jenis: "pelatihan", AgensiID: ag, Tahun: 2025, Satuan: "orang", Target: 3, Kuota: 5})

	grew := func(i int, sektor string, omzet, karyawan int64) usaha {
		return usaha{nama: fmt.Sprintf("%s %d", sektor, i), sektor: sektor, jk: "P", omzet: omzet, karyawan: karyawan, awal: &[2]int64{100_000_000, 2}}
	}
	var completers []program.Peserta
	var x uuid.UUID
	for i := range 12 {
		u := grew(i, "kuliner", 120_000_000, 4)
		if i == 0 {
			u.nik, u.jk = "3276014507850001", "L"
		}
		id := b.usaha(t, tn, depokKel, u)
		if i == 0 {
			x = id
		}
		completers = append(completers, b.lulus(t, tn, k.a, "umkm", id))
	}
	for i := range 2 {
		completers = append(completers, b.lulus(t, tn, k.a, "umkm", b.usaha(t, tn, depokKel, grew(i, "fashion", 110_000_000, 3))))
	}
	b.lulus(t, tn, k.a, "perorangan", x)
	r := b.pilih(t, tn, b.daftar(t, tn, k.a, "umkm", b.usaha(t, tn, depokKel, usaha{nama: "R", sektor: "kuliner", omzet: 90_000_000, karyawan: 1}), true))
	if _, err := b.program.Reject(context.Background(), tn, k.a, r.ID, r.Version, program.TolakInput{Alasan: "Mengundurkan diri"}); err != nil {
		t.Fatal(err)
	}
	if m := b.daftar(t, tn, k.a, "umkm", b.usaha(t, tn, depokKel, usaha{nama: "M", sektor: "kuliner", omzet: 90_000_000, karyawan: 1}), false); m.Layak == nil || *m.Layak {
		t.Fatalf("M without the declaration: layak %v", m.Layak)
	}
	var sesi program.Sesi
	b.tx(t, tn, func(tx pgx.Tx) (err error) {
		sesi, err = b.program.CreateSesiTx(context.Background(), tx, tn, k.a, program.SesiInput{Judul: "Hari 1", Tanggal: "2026-05-12"})
		return err
	})
	var hadir []uuid.UUID
	for _, p := range completers[:10] {
		hadir = append(hadir, p.ID)
	}
	if _, err := b.program.SetHadir(context.Background(), tn, k.a, sesi.ID, sesi.Version, program.HadirInput{PesertaID: hadir}); err != nil {
		t.Fatal(err)
	}

	b.lulus(t, tn, k.c, "perorangan", x)
	b.lulus(t, tn, k.c, "umkm", b.usaha(t, tn, depokKel, usaha{nama: "Z", sektor: "kuliner", omzet: 80_000_000, karyawan: 1}))
	b.lulus(t, tn, k.c, "koperasi", b.kop(t, tn, "KSU Maju Bersama", depokKel))
	b.lulus(t, tn, k.b, "umkm", x)
	b.lulus(t, tn, k.b, "perorangan", x)
	b.lulus(t, tn, k.d, "umkm", b.usaha(t, tn, depokKel, grew(99, "kuliner", 500_000_000, 9)))

	for i := range 11 {
		b.usaha(t, tn, depokKel, usaha{nama: fmt.Sprintf("Pembanding %d", i), sektor: "kuliner", omzet: 105_000_000, karyawan: 2, awal: &[2]int64{100_000_000, 2}})
	}
	for i := range 3 {
		b.usaha(t, tn, depokKel, usaha{nama: fmt.Sprintf("Pembanding fashion %d", i), sektor: "fashion", omzet: 102_000_000, karyawan: 2, awal: &[2]int64{100_000_000, 2}})
	}
	return k
}

// TestLaporan: one office's programmes read back in their units, the
// funnel, the breakdowns and the impact with its small groups withheld;
// another office sees none of it.
func TestLaporan(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.kantor(t, b.depok)

	lp, err := b.svc.Program(ctx, b.depok, laporan.Filter{Tahun: 2026})
	if err != nil {
		t.Fatal(err)
	}
	cap := map[uuid.UUID]laporan.Capaian{}
	for _, c := range lp.Program {
		cap[c.ProgramID] = c
	}
	if len(lp.Program) != 3 {
		t.Errorf("2026 programmes: %d, want 3 (2025's filtered out)", len(lp.Program))
	}
	for _, w := range []struct {
		id                        uuid.UUID
		target, realisasi, takHit int
	}{{k.a, 20, 14, 0}, {k.c, 10, 2, 1}, {k.b, 5, 1, 0}} {
		c := cap[w.id]
		if c.Target != w.target || c.Realisasi != w.realisasi || c.TakTerhitung != w.takHit {
			t.Errorf("%s: target %d realisasi %d tak terhitung %d, want %d %d %d", c.Nama, c.Target, c.Realisasi, c.TakTerhitung, w.target, w.realisasi, w.takHit)
		}
	}
	want := []laporan.CapaianRenja{
		{Kode: "2.17.07.2.01.0004", Satuan: "usaha", Program: 1, Target: 5, Realisasi: 1},
		{Kode: "2.17.07.2.01.0015", Indikator: ptr("Jumlah pelaku usaha yang dilatih"), Satuan: "orang", Program: 2, Target: 30, Realisasi: 15},
	}
	if len(lp.Renja) != 2 {
		t.Fatalf("renja: %+v", lp.Renja)
	}
	for i, w := range want {
		g := lp.Renja[i]
		if g.Kode != w.Kode || g.Satuan != w.Satuan || g.Program != w.Program || g.Target != w.Target || g.Realisasi != w.Realisasi ||
			(w.Indikator != nil) != (g.Indikator != nil) || (w.Indikator != nil && *g.Indikator != *w.Indikator) {
			t.Errorf("renja %d: %+v, want %+v", i, g, w)
		}
	}

	// A: 12 + 2 + X as a person completed (15), R selected and taken out
	// (16 selected), M applied but not eligible.
	for _, c := range lp.CorongProgram {
		if c.ProgramID == k.a && c.Corong != (laporan.Corong{Mendaftar: 17, Layak: 16, Terpilih: 16, Hadir: 10, Selesai: 15}) {
			t.Errorf("funnel of A: %+v", c.Corong)
		}
	}
	// C: 3 completed; B: 2 completed.
	if lp.Corong != (laporan.Corong{Mendaftar: 22, Layak: 21, Terpilih: 21, Hadir: 10, Selesai: 20}) {
		t.Errorf("overall funnel: %+v", lp.Corong)
	}
	rin := func(rs []laporan.Rincian, kode string) laporan.Rincian {
		for _, r := range rs {
			if r.Kode == kode {
				return r
			}
		}
		return laporan.Rincian{}
	}
	if r := rin(lp.Kecamatan, pancoranMas); r.Mendaftar != 22 || r.Selesai != 20 || r.Nama == "" || len(lp.Kecamatan) != 1 {
		t.Errorf("kecamatan: %+v", lp.Kecamatan)
	}
	// Men: X's 5 participations; unknown: R, M, Z and the cooperative.
	if l, p, u := rin(lp.JenisKelamin, "L"), rin(lp.JenisKelamin, "P"), rin(lp.JenisKelamin, laporan.TidakDiketahui); l.Mendaftar != 5 || l.Selesai != 5 ||
		p.Mendaftar != 13 || p.Selesai != 13 || u.Mendaftar != 4 || u.Selesai != 2 || l.Nama != "Laki-laki" {
		t.Errorf("jenis kelamin: %+v", lp.JenisKelamin)
	}
	if m, u := rin(lp.Skala, "mikro"), rin(lp.Skala, laporan.TidakDiketahui); m.Mendaftar != 21 || u.Mendaftar != 1 || u.Selesai != 1 {
		t.Errorf("skala: %+v", lp.Skala)
	}

	d, err := b.svc.Dampak(ctx, b.depok, laporan.Filter{Tahun: 2026})
	if err != nil {
		t.Fatal(err)
	}
	var kuliner, fashion laporan.Dampak
	for _, s := range d.Strata {
		switch {
		case s.Sektor == "kuliner" && s.Skala == "mikro":
			kuliner = s
		case s.Sektor == "fashion" && s.Skala == "mikro":
			fashion = s
		}
	}
	if len(d.Strata) != 2 || d.Ambang != 10 || d.Catatan == "" {
		t.Fatalf("strata: %+v", d)
	}
	// Participants: the 12 and Z (no history: counted, not measured).
	// Comparators: the 11 and R (taken out: never helped), not M (applied)
	// nor W (helped in 2025).
	p, c := kuliner.Peserta, kuliner.Pembanding
	if p.Usaha != 13 || p.Omzet.Jumlah != 12 || p.Omzet.Ditahan || *p.Omzet.MedianAwal != 100_000_000 || *p.Omzet.MedianAkhir != 120_000_000 ||
		*p.Omzet.MedianPerubahan != 20_000_000 || p.Karyawan.Jumlah != 12 || *p.Karyawan.MedianPerubahan != 2 {
		t.Errorf("food participants: %+v", p)
	}
	if c.Usaha != 12 || c.Omzet.Jumlah != 11 || c.Omzet.Ditahan || *c.Omzet.MedianPerubahan != 5_000_000 || *c.Karyawan.MedianPerubahan != 0 {
		t.Errorf("food comparators: %+v", c)
	}
	if f := fashion; f.Peserta.Usaha != 2 || f.Peserta.Omzet.Jumlah != 2 || !f.Peserta.Omzet.Ditahan || f.Peserta.Omzet.MedianPerubahan != nil ||
		!f.Peserta.Karyawan.Ditahan || f.Pembanding.Usaha != 3 || !f.Pembanding.Omzet.Ditahan || f.Pembanding.Omzet.MedianAwal != nil {
		t.Errorf("fashion, under the threshold: %+v", f)
	}
	if tot := d.Total; tot.Peserta.Usaha != 15 || tot.Peserta.Omzet.Jumlah != 14 || *tot.Peserta.Omzet.MedianPerubahan != 20_000_000 ||
		tot.Pembanding.Usaha != 15 || tot.Pembanding.Omzet.Jumlah != 14 {
		t.Errorf("total: %+v", tot)
	}

	// Medan has none of it; the same filters read its own empty office.
	mp, err := b.svc.Program(ctx, b.medan, laporan.Filter{Tahun: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(mp.Program) != 0 || len(mp.Renja) != 0 || mp.Corong != (laporan.Corong{}) || len(mp.Kecamatan) != 0 {
		t.Errorf("medan sees depok's programmes: %+v", mp)
	}
	md, err := b.svc.Dampak(ctx, b.medan, laporan.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Strata) != 0 || md.Total.Peserta.Usaha != 0 || md.Total.Pembanding.Usaha != 0 {
		t.Errorf("medan sees depok's businesses: %+v", md)
	}

	// Filters: by type; a bad one names its field in Indonesian.
	lj, err := b.svc.Program(ctx, b.depok, laporan.Filter{Jenis: "pendampingan"})
	if err != nil || len(lj.Program) != 1 || lj.Program[0].ProgramID != k.b {
		t.Errorf("jenis filter: %+v %v", lj.Program, err)
	}
	for _, f := range []struct {
		f     laporan.Filter
		field string
	}{{laporan.Filter{Tahun: 1999}, "query.tahun"}, {laporan.Filter{Jenis: "arisan"}, "query.jenis"}} {
		_, err := b.svc.Program(ctx, b.depok, f.f)
		wantField(t, err, f.field)
		_, err = b.svc.Dampak(ctx, b.depok, f.f)
		wantField(t, err, f.field)
	}
	_, err = b.svc.Pendanaan(ctx, b.depok, laporan.Filter{Jenis: "pelatihan"})
	wantField(t, err, "query.jenis")
}

func wantField(t *testing.T, err error, location string) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindInvalid {
		t.Fatalf("error %v, want invalid %s", err, location)
	}
	for _, f := range ae.Fields {
		if f.Location == location && f.Message.ID != "" && f.Message.ID != f.Message.EN {
			return
		}
	}
	t.Errorf("error %+v: no Indonesian message for %s", ae.Fields, location)
}

// TestLaporanPendanaan: applications counted per stage, the rejections
// per coded reason, the median days each stage took; another office's
// applications are not counted.
func TestLaporanPendanaan(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	var ids []string
	for i := range 5 {
		ids = append(ids, b.usaha(t, b.depok, depokKel, usaha{nama: fmt.Sprintf("Debitur %d", i), sektor: "kuliner", omzet: 50_000_000, karyawan: 1}).String())
	}
	medan := b.usaha(t, b.medan, medanKel, usaha{nama: "Medan", sektor: "kuliner", omzet: 50_000_000, karyawan: 1}).String()
	apply := func(tn *tenancy.Tenant, id string) pendanaan.Pengajuan {
		in := pendanaan.PengajuanInput{Skema: "kur", UMKMID: &id, Plafon: ptr[int64](20_000_000), Bank: ptr("bjb")}
		if tn == b.depok {
			in.Skema = "subsidi_bunga_depok"
		}
		var p pendanaan.Pengajuan
		b.tx(t, tn, func(tx pgx.Tx) (err error) {
			if p, err = b.dana.CreateTx(ctx, tx, tn, in, pendanaan.View{}); err != nil || tn != b.depok {
				return err
			}
			// The subsidy's papers: the KTP seen and the NIB.
			for _, in := range []pendanaan.BerkasInput{{Jenis: "ktp"}, {Jenis: "nib", Nomor: ptr("9120300000001")}} {
				if _, err = b.dana.CreateBerkasTx(ctx, tx, tn, p.ID, in, pendanaan.View{}); err != nil {
					return err
				}
			}
			return nil
		})
		return p
	}
	step := func(tn *tenancy.Tenant, p pendanaan.Pengajuan, days int, tahap string, alasan *string) pendanaan.Pengajuan {
		b.clock = b.clock.Add(time.Duration(days) * 24 * time.Hour)
		in := pendanaan.LangkahInput{Tahap: tahap, AlasanTolak: alasan}
		if tahap == "lengkap" {
			in.PernyataanBukanASN, in.PernyataanTanpaKreditMacet = ptr(true), ptr(true)
		}
		p, err := b.dana.Langkah(ctx, tn, p.ID, p.Version, in, pendanaan.View{})
		if err != nil {
			t.Fatalf("to %s: %v", tahap, err)
		}
		return p
	}
	start := b.clock
	// Days in diajukan: 2, 4, 6, 8; one still there.
	for i, alasan := range []string{"slik", "slik", "paylater", ""} {
		b.clock = start
		p := apply(b.depok, ids[i])
		p = step(b.depok, p, 2*(i+1), "lengkap", nil)
		if alasan != "" {
			step(b.depok, p, 1, "ditolak", ptr(alasan))
		}
	}
	b.clock = start
	apply(b.depok, ids[4])
	mp := apply(b.medan, medan)
	step(b.medan, mp, 1, "disetujui", nil)

	lp, err := b.svc.Pendanaan(ctx, b.depok, laporan.Filter{Tahun: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if lp.Jumlah != 5 {
		t.Errorf("applications: %d, want 5", lp.Jumlah)
	}
	tahap := map[string]laporan.TahapDana{}
	for _, s := range lp.Tahap {
		tahap[s.Tahap] = s
	}
	if len(lp.Tahap) != 3 || lp.Tahap[0].Tahap != "diajukan" || lp.Tahap[2].Tahap != "ditolak" {
		t.Errorf("stages in pipeline order: %+v", lp.Tahap)
	}
	if s := tahap["diajukan"]; s.Sekarang != 1 || s.Dicapai != 5 || s.Selesai != 4 || s.MedianHari == nil || *s.MedianHari != 5 {
		t.Errorf("diajukan: %+v", s)
	}
	if s := tahap["lengkap"]; s.Sekarang != 1 || s.Dicapai != 4 || s.Selesai != 3 || *s.MedianHari != 1 {
		t.Errorf("lengkap: %+v", s)
	}
	if s := tahap["ditolak"]; s.Sekarang != 3 || s.MedianHari != nil {
		t.Errorf("ditolak: %+v", s)
	}
	if len(lp.Alasan) != 5 || lp.Alasan[0] != (laporan.AlasanDana{Kode: "slik", Jumlah: 2}) || lp.Alasan[1] != (laporan.AlasanDana{Kode: "paylater", Jumlah: 1}) ||
		lp.Alasan[2].Jumlah != 0 {
		t.Errorf("reasons: %+v", lp.Alasan)
	}
	if other, err := b.svc.Pendanaan(ctx, b.depok, laporan.Filter{Tahun: 2025}); err != nil || other.Jumlah != 0 || len(other.Tahap) != 0 {
		t.Errorf("2025: %+v %v", other, err)
	}
	if kur, err := b.svc.Pendanaan(ctx, b.depok, laporan.Filter{Jenis: "kur"}); err != nil || kur.Jumlah != 0 {
		t.Errorf("depok's kur (medan's referral leaks?): %+v %v", kur, err)
	}
	if m, err := b.svc.Pendanaan(ctx, b.medan, laporan.Filter{}); err != nil || m.Jumlah != 1 || m.Alasan[0].Jumlah != 0 {
		t.Errorf("medan: %+v %v", m, err)
	}
}
