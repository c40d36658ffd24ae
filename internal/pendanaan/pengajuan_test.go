package pendanaan_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pendanaan"
)

func group(ids []string, plafon int64) []pendanaan.AnggotaKelompokInput {
	var out []pendanaan.AnggotaKelompokInput
	for _, id := range ids {
		out = append(out, pendanaan.AnggotaKelompokInput{UMKMID: id, Plafon: plafon})
	}
	return out
}

func mesra(ids []string) pendanaan.PengajuanInput {
	return pendanaan.PengajuanInput{Skema: "kredit_mesra", NamaKelompok: ptr("Kelompok Melati"), TenorBulan: ptr(12), Anggota: group(ids, 2_000_000)}
}

func TestKreditMesraGroupSize(t *testing.T) {
	b := setup(t)
	ids := b.umkm(t, b.depok, kelDepok, 11)
	for _, n := range []int{4, 11} {
		_, err := b.create(b.depok, mesra(ids[:n]))
		if msg := wantField(t, err, "body.anggota"); !strings.Contains(msg, "5 sampai 10") {
			t.Errorf("group of %d: %q", n, msg)
		}
	}
	if n := b.count(t, b.depok, `select count(*) from pengajuan_dana`); n != 0 {
		t.Fatalf("%d applications written by refused creates", n)
	}
	for _, n := range []int{5, 10} {
		p := b.mustCreate(t, b.depok, mesra(ids[:n]))
		if len(p.Anggota) != n || p.Plafon != int64(n)*2_000_000 || p.Tahap != "diajukan" {
			t.Errorf("group of %d: %+v", n, p)
		}
		// 9,5 % for 12 months, per member, deducted at disbursement.
		if p.BiayaAdmin == nil || *p.BiayaAdmin != int64(n)*190_000 {
			t.Errorf("group of %d: fee %v, want %d", n, p.BiayaAdmin, n*190_000)
		}
	}
}

func TestKreditMesraMemberOutsideTheOfficeIsRefusedLikeAMissingOne(t *testing.T) {
	b := setup(t)
	ids := b.umkm(t, b.depok, kelDepok, 5)
	medan := b.umkm(t, b.medan, kelMedanPasar, 1)[0]
	outside := append(append([]string{}, ids[:4]...), medan)
	_, err := b.create(b.depok, mesra(outside))
	got := wantField(t, err, "body.anggota[4].umkm_id")
	missing := append(append([]string{}, ids[:4]...), "01900000-0000-7000-8000-000000000000")
	_, err = b.create(b.depok, mesra(missing))
	if want := wantField(t, err, "body.anggota[4].umkm_id"); got != want {
		t.Errorf("another office's business: %q; a missing one: %q", got, want)
	}
	// Amounts outside Rp500 ribu–5 juta, a repeated member.
	in := mesra(ids)
	in.Anggota[0].Plafon, in.Anggota[1].Plafon, in.Anggota[2].UMKMID = 499_999, 5_000_001, ids[3]
	_, err = b.create(b.depok, in)
	wantField(t, err, "body.anggota[0].plafon")
	wantField(t, err, "body.anggota[1].plafon")
	wantField(t, err, "body.anggota[3].umkm_id")
	// Outside Jawa Barat there is no Kredit Mesra.
	_, err = b.create(b.medan, mesra(b.umkm(t, b.medan, kelMedanPasar, 5)))
	wantField(t, err, "body.skema")
}

func TestKreditMesraFeeOverride(t *testing.T) {
	b := setup(t)
	// Seed 001's 8,5 % for 12 months, kept as this office's override.
	sk, err := b.svc.Ubah(context.Background(), b.depok, "kredit_mesra", pendanaan.UbahanInput{BerlakuMulai: "2025-01-01",
		Aturan: json.RawMessage(`{"biaya": [{"tenor_bulan": 6, "biaya_bp": 800}, {"tenor_bulan": 12, "biaya_bp": 850}]}`), Alasan: "Angka kantor (seed 001)"})
	if err != nil {
		t.Fatal(err)
	}
	if sk.Ubahan == nil || sk.Aturan.AnggotaMaks != 10 || sk.Aturan.Biaya[1].BiayaBP != 850 {
		t.Fatalf("effective scheme %+v", sk)
	}
	p := b.mustCreate(t, b.depok, mesra(b.umkm(t, b.depok, kelDepok, 5)))
	if *p.BiayaAdmin != 5*170_000 || *p.Anggota[0].BiayaAdmin != 170_000 {
		t.Errorf("fee %d (member %d), want 8,5 %%", *p.BiayaAdmin, *p.Anggota[0].BiayaAdmin)
	}
	// Karawang (also Jawa Barat) keeps the reference figure.
	all, err := b.svc.ListSkema(context.Background(), b.depok, now)
	if err != nil || len(all) != 4 {
		t.Fatalf("Depok's schemes: %d, %v", len(all), err)
	}
	_, err = b.svc.Ubah(context.Background(), b.depok, "kredit_mesra", pendanaan.UbahanInput{BerlakuMulai: "2025-02-01",
		Aturan: json.RawMessage(`{"anggota_maks": 2}`), Alasan: "salah ketik"})
	wantField(t, err, "body.aturan")
}

func TestHibahIsNeverForAnIndividual(t *testing.T) {
	b := setup(t)
	id := b.umkm(t, b.depok, kelDepok, 1)[0]
	_, err := b.create(b.depok, pendanaan.PengajuanInput{Skema: "hibah", UMKMID: &id, Plafon: ptr[int64](10_000_000)})
	if msg := wantField(t, err, "body.umkm_id"); !strings.Contains(msg, "perorangan") {
		t.Errorf("message %q", msg)
	}
	_, err = b.create(b.depok, pendanaan.PengajuanInput{Skema: "hibah", NamaKelompok: ptr("Kelompok Tani"), Plafon: ptr[int64](10_000_000)})
	wantField(t, err, "body.sk_kelompok")
	p := b.mustCreate(t, b.depok, pendanaan.PengajuanInput{Skema: "hibah", NamaKelompok: ptr("Kelompok Tani"),
		SKKelompok: ptr("800/12/SK/2025"), Plafon: ptr[int64](10_000_000)})
	if p.Pemohon != "Kelompok Tani" || strings.Join(p.Berikutnya, ",") != "lengkap,ditolak" {
		t.Errorf("%+v", p)
	}
}

func TestPipelineAllowsOnlyItsSteps(t *testing.T) {
	b := setup(t)
	id := b.umkm(t, b.depok, kelDepok, 1)[0]
	p := b.mustCreate(t, b.depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: ptr[int64](20_000_000), Bank: ptr("bjb")})
	ctx := context.Background()
	_, err := b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "aktif"}, pendanaan.View{})
	ae := wantKind(t, err, apperr.KindConflict)
	if !strings.Contains(ae.Message.ID, `"Diajukan"`) {
		t.Errorf("conflict %q does not name the current stage", ae.Message.ID)
	}
	_, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "ditolak"}, pendanaan.View{})
	wantField(t, err, "body.alasan_tolak")
	_, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "ditolak", AlasanTolak: ptr("lainnya")}, pendanaan.View{})
	wantField(t, err, "body.catatan")
	p = b.walk(t, b.depok, p, "lengkap")
	_, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version-1, pendanaan.LangkahInput{Tahap: "dikirim_bank"}, pendanaan.View{})
	wantKind(t, err, apperr.KindPreconditionFailed)
	p = b.walk(t, b.depok, p, "dikirim_bank", "disurvei")
	_, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "akad"}, pendanaan.View{})
	wantKind(t, err, apperr.KindInvalid) // no number and date
	p, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "ditolak", AlasanTolak: ptr("paylater")}, pendanaan.View{})
	if err != nil || p.Tahap != "ditolak" || *p.AlasanTolak != "paylater" || len(p.Berikutnya) != 0 || len(p.Riwayat) != 5 {
		t.Fatalf("rejected: %+v, %v", p, err)
	}
	if p.Riwayat[0].SelesaiAt == nil || p.Riwayat[4].SelesaiAt != nil {
		t.Errorf("history %+v", p.Riwayat)
	}
	// Another office's application is not found, as a missing one.
	_, err = b.svc.Get(ctx, b.medan, p.ID, pendanaan.View{})
	wantKind(t, err, apperr.KindNotFound)
	_, err = b.svc.Langkah(ctx, b.medan, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "lengkap"}, pendanaan.View{})
	wantKind(t, err, apperr.KindNotFound)

	// The owner's name is masked without read-pii.
	if got, _ := b.svc.Get(ctx, b.depok, p.ID, pendanaan.View{}); got.NamaPemilik == nil || *got.NamaPemilik == "Siti Aminah" {
		t.Errorf("owner's name %v not masked", got.NamaPemilik)
	}
	board, err := b.svc.Board(ctx, b.depok, "", 20, pendanaan.View{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range board {
		if (k.Tahap == "ditolak") != (k.Jumlah == 1) || len(k.Kartu) != k.Jumlah {
			t.Errorf("column %s: %d, %d cards", k.Tahap, k.Jumlah, len(k.Kartu))
		}
	}
}

func TestKURIsAReferral(t *testing.T) {
	b := setup(t)
	id := b.umkm(t, b.medan, kelMedanPasar, 1)[0]
	p := b.mustCreate(t, b.medan, pendanaan.PengajuanInput{Skema: "kur", UMKMID: &id, Plafon: ptr[int64](8_000_000), Bank: ptr("BRI")})
	if p.Tahap != "dirujuk" || strings.Join(p.Berikutnya, ",") != "disetujui,ditolak" {
		t.Fatalf("%+v", p)
	}
	_, err := b.create(b.medan, pendanaan.PengajuanInput{Skema: "kur", UMKMID: &id, Plafon: ptr[int64](500_000_001), Bank: ptr("BRI")})
	wantField(t, err, "body.plafon")
}
