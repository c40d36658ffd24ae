package pendanaan_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pendanaan"
	"github.com/sentra-id/sentra/internal/tenancy"
)

func (b *bundle) berkas(tt *tenancy.Tenant, p pendanaan.Pengajuan, in pendanaan.BerkasInput) (pendanaan.BerkasDana, error) {
	var out pendanaan.BerkasDana
	err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		out, err = b.svc.CreateBerkasTx(context.Background(), tx, tt, p.ID, in, pendanaan.View{})
		return err
	})
	return out, err
}

func (b *bundle) mustBerkas(t *testing.T, tt *tenancy.Tenant, p pendanaan.Pengajuan, in pendanaan.BerkasInput) {
	t.Helper()
	if _, err := b.berkas(tt, p, in); err != nil {
		t.Fatalf("berkas %s: %v", in.Jenis, err)
	}
}

var pernyataan = pendanaan.LangkahInput{Tahap: "lengkap", PernyataanBukanASN: ptr(true), PernyataanTanpaKreditMacet: ptr(true)}

// wantGates fails unless err is the 409 of failing gates naming each of
// kode (and no other); it returns the detail.
func wantGates(t *testing.T, err error, kode ...string) string {
	t.Helper()
	ae := wantKind(t, err, apperr.KindConflict)
	var got []string
	for _, f := range ae.Fields {
		got = append(got, strings.TrimPrefix(f.Location, "syarat."))
	}
	if ae.Code != "syarat_belum_terpenuhi" || strings.Join(got, ",") != strings.Join(kode, ",") {
		t.Errorf("gates %v (code %q), want %v: %s", got, ae.Code, kode, ae.Message.ID)
	}
	return ae.Message.ID
}

func (b *bundle) subsidi(t *testing.T, id string) pendanaan.Pengajuan {
	t.Helper()
	return b.mustCreate(t, b.depok, pendanaan.PengajuanInput{Skema: "subsidi_bunga_depok", UMKMID: &id, Plafon: ptr[int64](10_000_000), Bank: ptr("bjb")})
}

// TestSubsidyGatesAtTheirBoundaries: a business without a NIB is refused
// at lengkap naming it, a NIB paper of 12 digits is refused and one of 13
// passes; domicile is the KTP the office saw, and a business outside the
// office is refused naming domicile even with it; the declarations are
// gates, and a refused step writes none of them.
func TestSubsidyGatesAtTheirBoundaries(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ids := b.umkm(t, b.depok, kelDepok, 3)
	ktp := pendanaan.BerkasInput{Jenis: "ktp", Catatan: ptr("Alamat di Pancoran Mas")}

	b.set(t, b.depok, ids[0], `nib = null`)
	p := b.subsidi(t, ids[0])
	b.mustBerkas(t, b.depok, p, ktp)
	_, err := b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pernyataan, pendanaan.View{})
	if msg := wantGates(t, err, "nib"); !strings.Contains(msg, "NIB (13 digit)") || !strings.Contains(msg, `"Berkas lengkap"`) {
		t.Errorf("message %q", msg)
	}
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "nib", Nomor: ptr("123456789012")})
	if msg := wantField(t, err, "body.nomor"); !strings.Contains(msg, "13 digit") {
		t.Errorf("12 digits: %q", msg)
	}
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "nib", Nomor: ptr("12345678901234")})
	wantField(t, err, "body.nomor")
	// A KTP's number is a NIK: never recorded on a paper.
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "ktp", Nomor: ptr("3276014507850001")})
	wantField(t, err, "body.nomor")
	b.mustBerkas(t, b.depok, p, pendanaan.BerkasInput{Jenis: "nib", Nomor: ptr("1234567890123")})
	if p, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pernyataan, pendanaan.View{}); err != nil || p.Tahap != "lengkap" {
		t.Fatalf("lengkap with a 13-digit NIB paper: %v", err)
	}
	// Only the SLIK is left, due before approval.
	if len(p.SyaratKurang) != 1 || p.SyaratKurang[0].Kode != "slik_bersih" || p.SyaratKurang[0].Tahap != "disetujui" {
		t.Errorf("left after lengkap: %+v", p.SyaratKurang)
	}
	if n := b.count(t, b.depok, `select jsonb_array_length(syarat_kurang) from pengajuan_dana where id = $1`, p.ID); n != 1 {
		t.Errorf("recorded on the row: %d gates", n)
	}

	// Domicile: until the office saw the KTP, it is named.
	q := b.subsidi(t, ids[1])
	_, err = b.svc.Langkah(ctx, b.depok, q.ID, q.Version, pernyataan, pendanaan.View{})
	if msg := wantGates(t, err, "domisili"); !strings.Contains(msg, "KTP Depok") || !strings.Contains(msg, "belum diperiksa") {
		t.Errorf("no KTP: %q", msg)
	}
	b.mustBerkas(t, b.depok, q, ktp)
	if _, err = b.svc.Langkah(ctx, b.depok, q.ID, q.Version, pernyataan, pendanaan.View{}); err != nil {
		t.Fatalf("with the KTP: %v", err)
	}
	// A business registered in a region outside the office's kota is
	// refused, its KTP seen or not.
	if err := b.inTx(b.depok, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into wilayah (tenant_id, kode, nama, level) values ($1, '31.71.01', 'Gambir', 'kecamatan')`, b.depok.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into wilayah (tenant_id, kode, nama, level, tipe, parent_kode) values ($1, '31.71.01.1001', 'Gambir', 'desa_kelurahan', 'kelurahan', '31.71.01')`, b.depok.ID)
		return err
	}); err != nil {
		t.Fatalf("wilayah outside: %v", err)
	}
	luar := b.subsidi(t, b.umkm(t, b.depok, "31.71.01.1001", 1)[0])
	b.mustBerkas(t, b.depok, luar, ktp)
	_, err = b.svc.Langkah(ctx, b.depok, luar.ID, luar.Version, pernyataan, pendanaan.View{})
	if msg := wantGates(t, err, "domisili"); !strings.Contains(msg, "luar wilayah kantor") {
		t.Errorf("business outside: %q", msg)
	}

	r := b.subsidi(t, ids[2])
	// The declarations: neither given, then one; the refused step keeps none.
	_, err = b.svc.Langkah(ctx, b.depok, r.ID, r.Version, pendanaan.LangkahInput{Tahap: "lengkap", PernyataanBukanASN: ptr(true)}, pendanaan.View{})
	if msg := wantGates(t, err, "domisili", "tanpa_kredit_macet"); strings.Contains(msg, "bukan ASN") {
		t.Errorf("a declared gate is named: %q", msg)
	}
	if got, _ := b.svc.Get(ctx, b.depok, r.ID, pendanaan.View{}); got.PernyataanBukanASN != nil || len(got.SyaratKurang) != 4 {
		t.Errorf("after a refused step: declaration %v, gates %+v", got.PernyataanBukanASN, got.SyaratKurang)
	}
	// Declarations belong to lengkap, the SLIK to disurvei.
	_, err = b.svc.Langkah(ctx, b.depok, r.ID, r.Version, pendanaan.LangkahInput{Tahap: "ditolak", AlasanTolak: ptr("slik"), SLIK: ptr("bermasalah"),
		PernyataanBukanASN: ptr(true)}, pendanaan.View{})
	wantField(t, err, "body.slik")
	wantField(t, err, "body.pernyataan_bukan_asn")
}

// TestSubsidySLIKGatesApproval: the SLIK is required at disurvei; a bad
// one refuses approval naming it, a clean one approves.
func TestSubsidySLIKGatesApproval(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ids := b.umkm(t, b.depok, kelDepok, 2)
	p := b.walk(t, b.depok, b.subsidi(t, ids[0]), "lengkap", "dikirim_bank")
	_, err := b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "disurvei"}, pendanaan.View{})
	wantField(t, err, "body.slik")
	_, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "disurvei", SLIK: ptr("abu-abu")}, pendanaan.View{})
	wantField(t, err, "body.slik")
	p, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "disurvei", SLIK: ptr("bermasalah")}, pendanaan.View{})
	if err != nil || *p.SLIK != "bermasalah" {
		t.Fatalf("disurvei: %v", err)
	}
	_, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "disetujui"}, pendanaan.View{})
	if msg := wantGates(t, err, "slik_bersih"); !strings.Contains(msg, "bermasalah") || !strings.Contains(msg, `"Disetujui"`) {
		t.Errorf("bad SLIK: %q", msg)
	}
	if p, err = b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "ditolak", AlasanTolak: ptr("slik")}, pendanaan.View{}); err != nil ||
		len(p.SyaratKurang) != 0 {
		t.Fatalf("rejected for SLIK: %v %+v", err, p.SyaratKurang)
	}
	q := b.walk(t, b.depok, b.subsidi(t, ids[1]), "lengkap", "dikirim_bank", "disurvei", "disetujui")
	if q.Tahap != "disetujui" {
		t.Fatalf("clean SLIK: %s", q.Tahap)
	}
}

// training records that business id completed a training programme of an
// agency of kind jenis (the programme register is another package).
func (b *bundle) training(t *testing.T, tt *tenancy.Tenant, id, jenis, status string) {
	t.Helper()
	ctx := context.Background()
	ag, prog := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	if err := b.inTx(tt, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, $3, $4)`, tt.ID, ag, "Agensi "+ag.String(), jenis); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into program (tenant_id, id, nama, jenis, agensi_id, tahun, sumber_dana, satuan, kuota)
			values ($1, $2, 'Pelatihan Kelompok Mesra', 'pelatihan', $3, 2025, 'apbd', 'orang', 30)`, tt.ID, prog, ag); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into peserta (tenant_id, id, program_id, jenis_pemohon, umkm_id, status, selesai_tanggal)
			values ($1, $2, $3, 'umkm', $4, $5, case when $5 = 'selesai' then date '2025-05-01' end)`, tt.ID, uuid.Must(uuid.NewV7()), prog, id, status)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestKreditMesraGates: the group's recommendations are named until each
// is recorded; each member's papers are named per member, and a member
// who completed a training in Sentra needs no PKM certificate paper while
// one who only enrolled does; members of two kelurahan are refused; a
// member's paper is of a member, a recommendation the group's.
func TestKreditMesraGates(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ids := b.umkm(t, b.depok, kelDepok, 6)
	b.training(t, b.depok, ids[0], "opd", "selesai")
	b.training(t, b.depok, ids[1], "kantor", "terpilih")
	p := b.mustCreate(t, b.depok, mesra(ids[:5]))
	if len(p.SyaratKurang) != 6 {
		t.Errorf("a new group fails %d gates, want 6 (recommendations, five members' papers): %+v", len(p.SyaratKurang), p.SyaratKurang)
	}
	for _, j := range []string{"rt", "rw"} {
		b.mustBerkas(t, b.depok, p, pendanaan.BerkasInput{Jenis: j, Nomor: ptr("400/12/" + j), Tanggal: ptr("2025-06-01")})
	}
	docs := []string{"ktp", "kk", "sertifikat_pkm", "rekening_bjb"}
	for i, id := range ids[:5] {
		for _, j := range docs {
			if j == "sertifikat_pkm" && i < 2 {
				continue // the trained member needs none; the enrolled one does
			}
			b.mustBerkas(t, b.depok, p, pendanaan.BerkasInput{Jenis: j, UMKMID: ptr(id)})
		}
	}
	_, err := b.svc.Langkah(ctx, b.depok, p.ID, p.Version, pendanaan.LangkahInput{Tahap: "lengkap"}, pendanaan.View{})
	msg := wantGates(t, err, "rekomendasi", "dokumen_anggota")
	if !strings.Contains(msg, "kelurahan: Rekomendasi kelurahan belum dicatat.") ||
		!strings.Contains(msg, "Warung 1: Sertifikat pelatihan PKM belum dicatat") || strings.Contains(msg, "Warung 0") {
		t.Errorf("message %q", msg)
	}
	// Papers at the wrong level, of no member, twice.
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "kelurahan", UMKMID: ptr(ids[0])})
	wantField(t, err, "body.umkm_id")
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "kk"})
	wantField(t, err, "body.umkm_id")
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "kk", UMKMID: ptr(ids[5])})
	wantField(t, err, "body.umkm_id")
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "surat_sakti"})
	wantField(t, err, "body.jenis")
	_, err = b.berkas(b.depok, p, pendanaan.BerkasInput{Jenis: "kk", UMKMID: ptr(ids[0])})
	wantKind(t, err, apperr.KindConflict)

	b.mustBerkas(t, b.depok, p, pendanaan.BerkasInput{Jenis: "kelurahan"})
	b.mustBerkas(t, b.depok, p, pendanaan.BerkasInput{Jenis: "sertifikat_pkm", UMKMID: ptr(ids[1]), Nomor: ptr("PKM-2025-001")})
	got, err := b.svc.Get(ctx, b.depok, p.ID, pendanaan.View{})
	if err != nil || len(got.SyaratKurang) != 0 || len(got.Berkas) != 3+5*4-1 {
		t.Fatalf("all papers: %v, gates %+v, %d papers", err, got.SyaratKurang, len(got.Berkas))
	}
	if p, err = b.svc.Langkah(ctx, b.depok, p.ID, got.Version, pendanaan.LangkahInput{Tahap: "lengkap"}, pendanaan.View{}); err != nil {
		t.Fatalf("lengkap: %v", err)
	}
	// A paper for another office's application is not found, as a missing one.
	_, err = b.berkas(b.medan, p, pendanaan.BerkasInput{Jenis: "kelurahan"})
	wantKind(t, err, apperr.KindNotFound)

	// A group from two kelurahan.
	other := b.umkm(t, b.depok, "32.76.01.1007", 1)[0]
	q := b.mustCreate(t, b.depok, mesra(append(append([]string{}, ids[1:5]...), other)))
	for _, k := range q.SyaratKurang {
		if k.Kode == "satu_kelurahan" && strings.Contains(k.Pesan, "2 kelurahan") {
			return
		}
	}
	t.Errorf("two kelurahan not named: %+v", q.SyaratKurang)
}

// TestPemkotTrainingIsAPriorityNotAGate: the interest subsidy shows an
// earlier Pemkot training as a priority; without one it still passes.
func TestPemkotTrainingIsAPriorityNotAGate(t *testing.T) {
	b := setup(t)
	ids := b.umkm(t, b.depok, kelDepok, 2)
	b.training(t, b.depok, ids[0], "kantor", "selesai")
	b.training(t, b.depok, ids[1], "baznas", "selesai")
	for i, want := range []bool{true, false} {
		p := b.subsidi(t, ids[i])
		if len(p.Prioritas) != 1 || p.Prioritas[0].Kode != "pelatihan_pemkot" || p.Prioritas[0].Terpenuhi != want {
			t.Errorf("business %d: priority %+v, want %v", i, p.Prioritas, want)
		}
		if p = b.walk(t, b.depok, p, "lengkap"); p.Tahap != "lengkap" {
			t.Errorf("business %d not at lengkap", i)
		}
	}
}

// TestGateOverrideMustBeKnown: an office may change a scheme's gates, but
// not to one the service cannot check or a stage that has none.
func TestGateOverrideMustBeKnown(t *testing.T) {
	b := setup(t)
	for i, raw := range []string{`{"syarat": [{"kode": "restu_lurah", "tahap": "lengkap", "nama": "Restu"}]}`,
		`{"syarat": [{"kode": "nib", "tahap": "akad", "nama": "NIB"}]}`, `{"syarat": [{"kode": "nib", "tahap": "lengkap", "nama": "NIB", "wajib": true}]}`} {
		_, err := b.svc.Ubah(context.Background(), b.depok, "subsidi_bunga_depok", pendanaan.UbahanInput{BerlakuMulai: "2025-01-0" + string(rune('1'+i)),
			Aturan: json.RawMessage(raw), Alasan: "uji"})
		wantField(t, err, "body.aturan")
	}
	// Dropping the NIB gate is the office's decision, with its reason.
	sk, err := b.svc.Ubah(context.Background(), b.depok, "subsidi_bunga_depok", pendanaan.UbahanInput{BerlakuMulai: "2025-01-05",
		Aturan: json.RawMessage(`{"syarat": [{"kode": "bukan_asn", "tahap": "lengkap", "nama": "Pernyataan bukan ASN"}]}`), Alasan: "Keputusan kepala dinas"})
	if err != nil || len(sk.Aturan.Syarat) != 1 {
		t.Fatalf("override: %v %+v", err, sk.Aturan.Syarat)
	}
	id := b.umkm(t, b.depok, kelDepok, 1)[0]
	b.set(t, b.depok, id, `nib = null`)
	p := b.subsidi(t, id)
	if len(p.SyaratKurang) != 1 || p.SyaratKurang[0].Kode != "bukan_asn" {
		t.Errorf("gates under the override: %+v", p.SyaratKurang)
	}
}
