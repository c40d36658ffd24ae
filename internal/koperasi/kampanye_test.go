package koperasi_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/pekerjaan"
)

// TestGeneratorSeedsRealisticCooperatives: the generator writes the
// tenant's real regions, mostly KSU with 1–6 units, savings-and-loan units
// with their loop, some typed, some without unit data, a few inactive.
func TestGeneratorSeedsRealisticCooperatives(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if err := b.svc.Seed(ctx, b.tenants["tangsel"], 549, 2, koperasi.GenOptions{}); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what   string
		sql    string
		lo, hi int
	}{
		{"cooperatives", `select count(*) from koperasi`, 549, 549},
		{"KSU", `select count(*) from koperasi where kelompok = 'ksu'`, 250, 350},
		{"KSU without jenis", `select count(*) from koperasi where kelompok = 'ksu' and jenis is null`, 230, 340},
		{"typed already", `select count(*) from koperasi where jenis is not null`, 80, 250},
		{"inactive", `select count(*) from koperasi where not aktif`, 10, 100},
		{"without any unit", `select count(*) from koperasi k where not exists (select from koperasi_unit u where u.koperasi_id = k.id)`, 20, 110},
		{"KSU with more than 6 units", `select count(*) from (select koperasi_id from koperasi_unit u join koperasi k on k.id = u.koperasi_id
			where k.kelompok = 'ksu' group by koperasi_id having count(*) > 6) x`, 0, 0},
		{"KSU with 4 or more units", `select count(*) from (select koperasi_id from koperasi_unit u join koperasi k on k.id = u.koperasi_id
			where k.kelompok = 'ksu' group by koperasi_id having count(*) >= 4) x`, 60, 250},
		{"savings-and-loan units", `select count(*) from koperasi_unit where jenis_unit = 'simpan_pinjam'`, 150, 600},
		{"open loop", `select count(*) from koperasi_unit where pola_simpan_pinjam = 'open_loop'`, 10, 150},
		{"close loop", `select count(*) from koperasi_unit where pola_simpan_pinjam = 'close_loop'`, 100, 500},
		{"units without volume", `select count(*) from koperasi_unit u where not exists (select from koperasi_unit_volume v where v.unit_id = u.id)`, 5, 200},
		{"regions outside tangsel", `select count(*) from koperasi where kelurahan_kode not like '36.74.%'`, 0, 0},
		{"kecamatan used", `select count(distinct kecamatan_kode) from koperasi`, 7, 7},
	}
	for _, c := range checks {
		if n := b.countIn(t, "tangsel", c.sql); n < c.lo || n > c.hi {
			t.Errorf("%s: %d, want %d–%d", c.what, n, c.lo, c.hi)
		}
	}
}

// TestKampanyeClassifiesEveryEligibleCooperativeOnce: every active,
// unarchived cooperative without jenis gets exactly one proposal (as the
// policy says), the rest none; progress and the summary add up.
func TestKampanyeClassifiesEveryEligibleCooperativeOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if err := b.svc.Seed(ctx, b.tenants["depok"], 300, 7, koperasi.GenOptions{}); err != nil {
		t.Fatal(err)
	}
	ids := b.insert(t, "depok",
		kop{nama: "KSU Toko", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("toko", 600), unit("produksi", 400)}},
		kop{nama: "KSU USP", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("waserda", 300), unit("simpan_pinjam", 700)}},
		kop{nama: "KSU Campur", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("toko", 45), unit("produksi", 35), unit("simpan_pinjam", 20)}},
		kop{nama: "KSU Seri", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("toko", 50), unit("klinik", 50)}},
		kop{nama: "KSU Kosong", kelompok: "ksu", aktif: true},
		kop{nama: "Tanpa Kelompok", aktif: true, units: []koperasi.GenUnit{unit("pemasaran_hasil", 10)}},
		kop{nama: "KSU Tidak Aktif", kelompok: "ksu", units: []koperasi.GenUnit{unit("toko", 10)}},
		kop{nama: "KSU Arsip", kelompok: "ksu", aktif: true, archived: true, units: []koperasi.GenUnit{unit("toko", 10)}},
		kop{nama: "KPRI Berjenis", kelompok: "kpri", jenis: "simpan_pinjam", aktif: true, units: []koperasi.GenUnit{unit("simpan_pinjam", 10)}},
	)
	eligible := b.countIn(t, "depok", `select count(*) from koperasi where jenis is null and aktif and archived_at is null`)
	k, created := b.start(t, "depok")
	if !created || k.Status != koperasi.KampanyeBerjalan || k.Total == nil || *k.Total != eligible || k.Diproses != 0 {
		t.Fatalf("started %+v (created %v); want berjalan, total %d", k, created, eligible)
	}
	if k.Kebijakan != (koperasi.Kebijakan{AmbangTinggiPersen: 50, SelisihSedangPoin: 10, TahunMaks: k.DimulaiAt.Year()}) {
		t.Errorf("kebijakan %+v, want the defaults", k.Kebijakan)
	}
	b.run(t, "depok", k.ID, 37)

	if n := b.countIn(t, "depok", `select count(*) from koperasi k where jenis is null and aktif and archived_at is null
		and (select count(*) from reklasifikasi_usulan u where u.koperasi_id = k.id and u.kampanye_id = $1) <> 1`, k.ID); n != 0 {
		t.Errorf("%d eligible cooperatives without exactly one proposal", n)
	}
	if n := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan u join koperasi k on k.id = u.koperasi_id
		where not (k.jenis is null and k.aktif and k.archived_at is null)`); n != 0 {
		t.Errorf("%d proposals for cooperatives that are typed, inactive or archived", n)
	}
	got, err := b.svc.GetKampanye(ctx, b.tenants["depok"], k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != koperasi.KampanyeSelesai || got.Diproses != eligible || *got.Total != eligible || got.SelesaiAt == nil {
		t.Errorf("after the run: %s, %d of %v; want selesai, %d of %d", got.Status, got.Diproses, *got.Total, eligible, eligible)
	}
	r := got.Ringkasan
	want := koperasi.Ringkasan{
		Tinggi:           b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where keyakinan = 'tinggi'`),
		Sedang:           b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where keyakinan = 'sedang'`),
		PerluTinjauan:    b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where hasil = 'perlu_tinjauan'`),
		PerluData:        b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where hasil = 'perlu_data'`),
		FlagSimpanPinjam: b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where flag_simpan_pinjam`),
	}
	if r.Tinggi != want.Tinggi || r.Sedang != want.Sedang || r.PerluTinjauan != want.PerluTinjauan || r.PerluData != want.PerluData ||
		r.FlagSimpanPinjam != want.FlagSimpanPinjam || r.Tinggi+r.Sedang+r.PerluTinjauan+r.PerluData != eligible {
		t.Errorf("ringkasan %+v, the proposals say %+v (of %d)", r, want, eligible)
	}
	for j, n := range r.PerJenis {
		if m := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where jenis_usulan = $1`, string(j)); m != n {
			t.Errorf("per_jenis[%s] %d, proposals %d", j, n, m)
		}
	}
	if r.Tinggi == 0 || r.Sedang == 0 || r.PerluTinjauan == 0 || r.PerluData == 0 || r.FlagSimpanPinjam == 0 {
		t.Errorf("generated data should produce every outcome: %+v", r)
	}
	if got.Keputusan == nil || got.Keputusan.Menunggu != eligible {
		t.Errorf("keputusan %+v, want %d waiting", got.Keputusan, eligible)
	}
	var job pekerjaan.Job
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		var err error
		job, err = pekerjaan.Get(ctx, tx, *got.PekerjaanID)
		return err
	})
	if job.Jenis != "reklasifikasi" || job.Status != pekerjaan.Selesai || job.Selesai != eligible {
		t.Errorf("pekerjaan %s %s %d, want reklasifikasi selesai %d", job.Jenis, job.Status, job.Selesai, eligible)
	}

	// The hand-made ones, as the policy says.
	for i, want := range []struct {
		hasil     string
		jenis     string
		keyakinan string
		flag      bool
	}{
		{"usulan", "konsumen", "tinggi", false},
		{"usulan", "simpan_pinjam", "tinggi", false},
		{"usulan", "konsumen", "sedang", true},
		{"perlu_tinjauan", "", "", false},
		{"perlu_data", "", "", false},
		{"usulan", "pemasaran", "tinggi", false},
	} {
		var hasil, jenis, keyakinan string
		var flag bool
		var porsi koperasi.Porsi
		b.inTenant(t, "depok", func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select hasil, coalesce(jenis_usulan, ''), coalesce(keyakinan, ''), flag_simpan_pinjam, porsi
				from reklasifikasi_usulan where koperasi_id = $1`, ids[i]).Scan(&hasil, &jenis, &keyakinan, &flag, &porsi)
		})
		if hasil != want.hasil || jenis != want.jenis || keyakinan != want.keyakinan || flag != want.flag {
			t.Errorf("cooperative %d: %s %q %q flag=%v, want %+v", i, hasil, jenis, keyakinan, flag, want)
		}
		if i == 0 && (porsi.Tahun != 2024 || porsi.Total != 1000 || porsi.Jenis[koperasi.JenisKonsumen].Persen != 60) {
			t.Errorf("porsi of the first: %+v", porsi)
		}
	}

	// A closed campaign runs only final.
	b.run(t, "depok", k.ID, 37)
	if n := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan`); n != eligible {
		t.Errorf("%d proposals after running a closed campaign again, want %d", n, eligible)
	}
}

// TestKampanyeStartIsIdempotent: starting while one runs answers the running
// campaign, sequentially and concurrently; never a second one.
func TestKampanyeStartIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first, created := b.start(t, "depok")
	again, createdAgain := b.start(t, "depok")
	if !created || createdAgain || again.ID != first.ID {
		t.Fatalf("second start: %s (created %v), first %s", again.ID, createdAgain, first.ID)
	}
	// Concurrently, for another tenant: one wins, the others get it.
	var wg sync.WaitGroup
	got := make([]uuid.UUID, 8)
	news := make([]bool, 8)
	for i := range got {
		wg.Go(func() {
			k, n := b.start(t, "medan")
			got[i], news[i] = k.ID, n
		})
	}
	wg.Wait()
	winners := 0
	for i := range got {
		if got[i] != got[0] {
			t.Errorf("concurrent start %d answered %s, another %s", i, got[i], got[0])
		}
		if news[i] {
			winners++
		}
	}
	if winners != 1 {
		t.Errorf("%d concurrent starts created a campaign, want 1", winners)
	}
	if n := b.countIn(t, "medan", `select count(*) from reklasifikasi_kampanye`); n != 1 {
		t.Errorf("medan has %d campaigns, want 1", n)
	}
	if n := b.countIn(t, "medan", `select count(*) from pekerjaan where jenis = 'reklasifikasi'`); n != 1 {
		t.Errorf("medan has %d campaign pekerjaan, want 1", n)
	}
	// Once done, a new campaign may start.
	b.run(t, "depok", first.ID, 100)
	next, created := b.start(t, "depok")
	if !created || next.ID == first.ID {
		t.Errorf("start after the first finished: %s (created %v)", next.ID, created)
	}
}

// TestKampanyeTouchesOnlyItsTenant: depok's campaign reads and writes no
// cooperative of medan, even when both are seeded alike.
func TestKampanyeTouchesOnlyItsTenant(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	for _, slug := range []string{"depok", "medan"} {
		if err := b.svc.Seed(ctx, b.tenants[slug], 120, 3, koperasi.GenOptions{SemuaKSU: true}); err != nil {
			t.Fatal(err)
		}
	}
	snapshot := func() string {
		var s string
		b.inTenant(t, "medan", func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select coalesce(string_agg(id::text || coalesce(jenis, '-') || version, ',' order by id), '') from koperasi`).Scan(&s)
		})
		return s
	}
	before := snapshot()
	k, _ := b.start(t, "depok")
	b.run(t, "depok", k.ID, 50)
	if got, _ := b.svc.GetKampanye(ctx, b.tenants["depok"], k.ID); got.Diproses != 120 {
		t.Errorf("depok's campaign classified %d, want its 120", got.Diproses)
	}
	if n := b.countIn(t, "medan", `select count(*) from reklasifikasi_usulan`); n != 0 {
		t.Errorf("medan has %d proposals after depok's campaign", n)
	}
	if snapshot() != before {
		t.Error("medan's cooperatives changed during depok's campaign")
	}
	// Bulk approval of depok's campaign, asked through medan: not found,
	// and nothing changes.
	if _, err := b.svc.ApproveTinggi(ctx, b.tenants["medan"], k.ID, uuid.New()); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("bulk approval of depok's campaign as medan: %v, want not found", err)
	}
	if _, err := b.svc.GetKampanye(ctx, b.tenants["medan"], k.ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("depok's campaign read as medan: %v, want not found", err)
	}
	if snapshot() != before {
		t.Error("medan's cooperatives changed")
	}
}

// TestKampanyeRerunKeepsDecisions: a second campaign skips approved
// cooperatives (they have a jenis), proposes again for rejected ones with
// the earlier reason, and replaces proposals still waiting; decided
// proposals keep their decision.
func TestKampanyeRerunKeepsDecisions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dep := b.tenants["depok"]
	ids := b.insert(t, "depok",
		kop{nama: "Disetujui", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("toko", 900), unit("produksi", 100)}},
		kop{nama: "Ditolak", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("klinik", 900), unit("toko", 100)}},
		kop{nama: "Menunggu", kelompok: "ksu", aktif: true, units: []koperasi.GenUnit{unit("pertanian", 900)}},
	)
	first, _ := b.start(t, "depok")
	b.run(t, "depok", first.ID, 2)
	page, err := b.svc.ListUsulan(ctx, dep, first.ID, koperasi.UsulanFilter{Limit: 10})
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("proposals: %v, %d", err, len(page.Items))
	}
	byKop := map[uuid.UUID]koperasi.Usulan{}
	for _, u := range page.Items {
		byKop[u.KoperasiID] = u
	}
	admin := uuid.New()
	approved, err := b.svc.ApproveUsulan(ctx, dep, first.ID, byKop[ids[0]].ID, 1, koperasi.Persetujuan{
		DasarHukum: "AHU-0001234.AH.01.27.TAHUN 2025", TanggalDasarHukum: "2025-03-14"}, admin)
	if err != nil {
		t.Fatal(err)
	}
	if approved.Status != koperasi.UsulanDisetujui || *approved.JenisDisetujui != koperasi.JenisKonsumen || approved.Version != 2 {
		t.Errorf("approved: %+v", approved)
	}
	var jenis, kelompok, ad string
	var version int64
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select jenis, kelompok, perubahan_ad_nomor, version from koperasi where id = $1`, ids[0]).Scan(&jenis, &kelompok, &ad, &version)
	})
	if jenis != "konsumen" || kelompok != "ksu" || ad != "AHU-0001234.AH.01.27.TAHUN 2025" || version != 2 {
		t.Errorf("approved cooperative: jenis %s kelompok %s AD %s version %d", jenis, kelompok, ad, version)
	}
	if n := b.countIn(t, "depok", `select count(*) from audit_log where entity = 'koperasi' and entity_id = $1 and action = 'reklasifikasi'`, ids[0].String()); n != 1 {
		t.Errorf("%d audit entries for the approved cooperative, want 1", n)
	}
	if _, err := b.svc.RejectUsulan(ctx, dep, first.ID, byKop[ids[1]].ID, 1, "Klinik sudah ditutup tahun lalu.", admin); err != nil {
		t.Fatal(err)
	}
	// Decided is decided: approving again, or rejecting the approved one.
	if _, err := b.svc.ApproveUsulan(ctx, dep, first.ID, byKop[ids[1]].ID, 2, koperasi.Persetujuan{}, admin); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("approve a rejected proposal: %v, want conflict", err)
	}

	second, created := b.start(t, "depok")
	if !created {
		t.Fatal("no second campaign")
	}
	b.run(t, "depok", second.ID, 2)
	got, _ := b.svc.GetKampanye(ctx, dep, second.ID)
	if got.Diproses != 2 || got.Ringkasan.Digantikan != 1 {
		t.Errorf("second campaign: %d classified, %d replaced; want 2 and 1", got.Diproses, got.Ringkasan.Digantikan)
	}
	status := func(kampanye, koperasiID uuid.UUID) string {
		var s string
		b.inTenant(t, "depok", func(tx pgx.Tx) error {
			err := tx.QueryRow(ctx, `select status from reklasifikasi_usulan where kampanye_id = $1 and koperasi_id = $2`, kampanye, koperasiID).Scan(&s)
			if err == pgx.ErrNoRows {
				s = "none"
				return nil
			}
			return err
		})
		return s
	}
	for _, c := range []struct {
		kampanye uuid.UUID
		kop      int
		want     string
	}{
		{first.ID, 0, "disetujui"}, {first.ID, 1, "ditolak"}, {first.ID, 2, "digantikan"},
		{second.ID, 0, "none"}, {second.ID, 1, "menunggu"}, {second.ID, 2, "menunggu"},
	} {
		if s := status(c.kampanye, ids[c.kop]); s != c.want {
			t.Errorf("cooperative %d in campaign %s: %s, want %s", c.kop, c.kampanye, s, c.want)
		}
	}
	var porsi []byte
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select porsi from reklasifikasi_usulan where kampanye_id = $1 and koperasi_id = $2`, second.ID, ids[1]).Scan(&porsi)
	})
	var p koperasi.Porsi
	if err := json.Unmarshal(porsi, &p); err != nil || p.Tolak == nil || p.Tolak.Alasan != "Klinik sudah ditutup tahun lalu." {
		t.Errorf("the re-proposed cooperative does not show the earlier rejection: %s", porsi)
	}
	// The replaced proposal cannot be decided any more.
	if _, err := b.svc.ApproveUsulan(ctx, dep, first.ID, byKop[ids[2]].ID, 2, koperasi.Persetujuan{}, admin); apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("approve a replaced proposal: %v, want conflict", err)
	}
}

// TestApproveTinggiAppliesEveryHighProposal: the bulk approval applies every
// waiting high-confidence proposal, leaves those whose cooperative got a
// type meanwhile, audits each cooperative, and a second call finds nothing.
func TestApproveTinggiAppliesEveryHighProposal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dep := b.tenants["depok"]
	if err := b.svc.Seed(ctx, dep, 1200, 11, koperasi.GenOptions{SemuaKSU: true}); err != nil {
		t.Fatal(err)
	}
	k, _ := b.start(t, "depok")
	b.run(t, "depok", k.ID, 500)
	tinggi := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where keyakinan = 'tinggi'`)
	if tinggi < 600 {
		t.Fatalf("only %d high-confidence proposals: the bulk batches are not exercised", tinggi)
	}
	// One cooperative gets its type by hand meanwhile.
	var typed uuid.UUID
	b.inTenant(t, "depok", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `update koperasi set jenis = 'jasa' where id = (select koperasi_id from reklasifikasi_usulan
			where keyakinan = 'tinggi' order by id limit 1) returning id`).Scan(&typed)
	})
	res, err := b.svc.ApproveTinggi(ctx, dep, k.ID, uuid.New())
	if err != nil {
		t.Fatal(err)
	}
	if res.Disetujui != tinggi-1 || res.Dilewati != 1 {
		t.Errorf("bulk: %+v, want %d approved and 1 skipped", res, tinggi-1)
	}
	if n := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan u join koperasi k on k.id = u.koperasi_id
		where u.status = 'disetujui' and k.jenis = u.jenis_usulan and k.kelompok = 'ksu' and k.version = 2`); n != tinggi-1 {
		t.Errorf("%d cooperatives carry their approved type, want %d", n, tinggi-1)
	}
	if n := b.countIn(t, "depok", `select count(*) from reklasifikasi_usulan where status <> 'menunggu' and keyakinan is distinct from 'tinggi'`); n != 0 {
		t.Errorf("%d proposals other than high ones were decided", n)
	}
	if n := b.countIn(t, "depok", `select count(distinct entity_id) from audit_log where entity = 'koperasi' and action = 'reklasifikasi'`); n != tinggi-1 {
		t.Errorf("%d cooperatives audited, want %d", n, tinggi-1)
	}
	if n := b.countIn(t, "depok", `select count(*) from koperasi where id = $1 and jenis = 'jasa'`, typed); n != 1 {
		t.Error("the cooperative typed by hand was overwritten")
	}
	again, err := b.svc.ApproveTinggi(ctx, dep, k.ID, uuid.New())
	if err != nil || again.Disetujui != 0 {
		t.Errorf("second bulk approval: %+v, %v; want nothing approved", again, err)
	}
}
