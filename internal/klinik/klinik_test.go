package klinik_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/klinik"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

const kelDepok = "32.76.01.1006" // Pancoran Mas, Depok

// now is Tuesday 8 December 2026, 10:00 in Jakarta; the next Monday is the
// 14th.
var now = time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)

const senin = "2026-12-14"

type bundle struct {
	env          *dbtest.Env
	svc          *klinik.Service
	reg          *umkm.Service
	depok, medan *tenancy.Tenant
}

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
	key, err := pii.ParseKey(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	l := slog.New(slog.DiscardHandler)
	reg := &umkm.Service{DB: env.DB, Sealer: sealer, Logger: l, Now: clock}
	b := &bundle{env: env, reg: reg, svc: &klinik.Service{DB: env.DB, Logger: l, Now: clock, Register: reg,
		Throttle: umkm.PublicThrottle{UMKM: reg, Limits: umkm.RegistrasiLimits{CreatePerClient: umkm.Limit{N: 3, Window: time.Hour}}}}}
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

func (b *bundle) layanan(t *testing.T, tt *tenancy.Tenant, kode string) uuid.UUID {
	t.Helper()
	ls, err := b.svc.ListLayanan(context.Background(), tt, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Kode == kode {
			return l.ID
		}
	}
	t.Fatalf("no area %s", kode)
	return uuid.Nil
}

// konsultan registers a consultant of legalitas on Mondays 09:00–12:00,
// one-hour slots, at most kuota a day.
func (b *bundle) konsultan(t *testing.T, tt *tenancy.Tenant, kuota int) klinik.KlinikKonsultan {
	t.Helper()
	var k klinik.KlinikKonsultan
	if err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		k, err = b.svc.CreateKonsultanTx(context.Background(), tx, tt, klinik.KlinikKonsultanInput{Nama: "Rina Marlina", SlotMenit: 60, KuotaHarian: kuota,
			Layanan: []uuid.UUID{b.layanan(t, tt, "legalitas")},
			Jadwal:  []klinik.KlinikJadwal{{Hari: 1, Mulai: "09:00", Selesai: "12:00", Tempat: "Sentra UMKM"}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return k
}

func (b *bundle) tiket(t *testing.T, tt *tenancy.Tenant, in klinik.KlinikTiketInput) klinik.KlinikTiket {
	t.Helper()
	if in.Saluran == "" {
		in.Saluran = "walk_in"
	}
	if in.LayananID == uuid.Nil {
		in.LayananID = b.layanan(t, tt, "legalitas")
	}
	if in.Pertanyaan == "" {
		in.Pertanyaan = "Bagaimana mengurus P-IRT?"
	}
	if in.UMKMID == nil && in.Nama == nil {
		in.Nama, in.Telepon = ptr("Siti Aminah"), ptr("0812-3456-7890")
	}
	var k klinik.KlinikTiket
	if err := b.inTx(tt, func(tx pgx.Tx) (err error) {
		k, err = b.svc.CreateTiketTx(context.Background(), tx, tt, in, klinik.View{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return k
}

func field(t *testing.T, err error, kind apperr.Kind, loc string) {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != kind {
		t.Fatalf("want %v naming %s, got %v", kind, loc, err)
	}
	for _, f := range ae.Fields {
		if f.Location == loc {
			return
		}
	}
	t.Fatalf("want field %s, got %+v", loc, ae.Fields)
}

// TestLayananSeeded: an office created after the migration gets PLUT's
// seven areas plus legalitas on its first read, once, and edits stay its own.
func TestLayananSeeded(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	ls, err := b.svc.ListLayanan(ctx, b.depok, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kelembagaan", "sdm", "produksi", "pembiayaan", "pemasaran", "teknologi_informasi", "jaringan_kerja_sama", "legalitas"}
	if len(ls) != len(want) {
		t.Fatalf("%d areas, want %d", len(ls), len(want))
	}
	for i, l := range ls {
		if l.Kode != want[i] {
			t.Errorf("area %d = %s, want %s", i, l.Kode, want[i])
		}
	}
	if _, err := b.svc.UpdateLayanan(ctx, b.depok, ls[0].ID, ls[0].Version, klinik.KlinikLayananInput{Nama: "Kelembagaan usaha", Urutan: 1, Arsip: true}); err != nil {
		t.Fatal(err)
	}
	if ls, _ = b.svc.ListLayanan(ctx, b.depok, false); len(ls) != 7 {
		t.Fatalf("after archiving one: %d areas, want 7 (no re-seed)", len(ls))
	}
	if m, _ := b.svc.ListLayanan(ctx, b.medan, false); len(m) != 8 {
		t.Fatalf("medan: %d areas, want 8", len(m))
	}
	err = b.inTx(b.depok, func(tx pgx.Tx) error {
		_, err := b.svc.CreateLayananTx(ctx, tx, b.depok, klinik.KlinikLayananInput{Kode: "legalitas", Nama: "Lagi"})
		return err
	})
	field(t, err, apperr.KindInvalid, "body.kode")
}

// TestDoubleBookingRace: two staff booking the same slot at once get one
// success and one 409 naming mulai; the slot holds one ticket.
func TestDoubleBookingRace(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.konsultan(t, b.depok, 3)
	t1, t2 := b.tiket(t, b.depok, klinik.KlinikTiketInput{}), b.tiket(t, b.depok, klinik.KlinikTiketInput{})
	for round := range 5 {
		mulai := []string{"09:00", "10:00", "11:00"}[round%3]
		tanggal := time.Date(2026, 12, 14+7*(round/3+round), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, tk := range []klinik.KlinikTiket{t1, t2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = b.svc.Book(ctx, b.depok, tk.ID, 0, klinik.KlinikBookingInput{KonsultanID: k.ID, Tanggal: tanggal, Mulai: mulai}, klinik.View{})
			}()
		}
		close(start)
		wg.Wait()
		var ok, conflict int
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			default:
				field(t, err, apperr.KindConflict, "body.mulai")
				conflict++
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("round %d: %d booked, %d refused; want 1 and 1 (%v)", round, ok, conflict, errs)
		}
		var n int
		if err := b.inTx(b.depok, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select count(*) from klinik_tiket where konsultan_id = $1 and tanggal = $2 and mulai = $3 and status = 'dijadwalkan'`,
				k.ID, tanggal, mulai).Scan(&n)
		}); err != nil || n != 1 {
			t.Fatalf("round %d: %d tickets hold the slot (%v)", round, n, err)
		}
		// Free both for the next round.
		for _, tk := range []klinik.KlinikTiket{t1, t2} {
			if _, err := b.svc.Book(ctx, b.depok, tk.ID, 0, klinik.KlinikBookingInput{KonsultanID: k.ID, Tanggal: "2027-06-07",
				Mulai: map[uuid.UUID]string{t1.ID: "09:00", t2.ID: "10:00"}[tk.ID]}, klinik.View{}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBookingRefused: outside the schedule, off its grid, in the past, a
// consultant of another area, beyond the daily capacity; a cancelled
// ticket frees its slot.
func TestBookingRefused(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	k := b.konsultan(t, b.depok, 2)
	book := func(tk klinik.KlinikTiket, tanggal, mulai string) error {
		_, err := b.svc.Book(ctx, b.depok, tk.ID, 0, klinik.KlinikBookingInput{KonsultanID: k.ID, Tanggal: tanggal, Mulai: mulai}, klinik.View{})
		return err
	}
	a, c, d := b.tiket(t, b.depok, klinik.KlinikTiketInput{}), b.tiket(t, b.depok, klinik.KlinikTiketInput{}), b.tiket(t, b.depok, klinik.KlinikTiketInput{})
	field(t, book(a, "2026-12-15", "09:00"), apperr.KindInvalid, "body.mulai") // a Tuesday
	field(t, book(a, senin, "09:30"), apperr.KindInvalid, "body.mulai")        // off the hour grid
	field(t, book(a, senin, "12:00"), apperr.KindInvalid, "body.mulai")        // ends after the opening
	field(t, book(a, "2026-12-07", "09:00"), apperr.KindInvalid, "body.tanggal")
	field(t, book(a, "14-12-2026", "09:00"), apperr.KindInvalid, "body.tanggal")
	other := b.tiket(t, b.depok, klinik.KlinikTiketInput{LayananID: b.layanan(t, b.depok, "pemasaran")})
	field(t, book(other, senin, "09:00"), apperr.KindInvalid, "body.konsultan_id")
	if err := book(a, senin, "09:00"); err != nil {
		t.Fatal(err)
	}
	if err := book(c, senin, "10:00"); err != nil {
		t.Fatal(err)
	}
	field(t, book(d, senin, "11:00"), apperr.KindConflict, "body.tanggal") // capacity 2
	// Moving a booked ticket within the day does not count it twice.
	if err := book(c, senin, "11:00"); err != nil {
		t.Fatalf("moving a booking: %v", err)
	}
	if _, err := b.svc.Cancel(ctx, b.depok, a.ID, 0, klinik.View{}); err != nil {
		t.Fatal(err)
	}
	if err := book(d, senin, "09:00"); err != nil {
		t.Fatalf("the cancelled slot: %v", err)
	}
	if _, err := b.svc.Book(ctx, b.medan, d.ID, 0, klinik.KlinikBookingInput{KonsultanID: k.ID, Tanggal: senin, Mulai: "10:00"}, klinik.View{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("another office's ticket: %v", err)
	}
	w, err := b.svc.Week(ctx, b.depok, time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Baris) != 1 || w.Senin != senin {
		t.Fatalf("week: %+v", w)
	}
	mon := w.Baris[0].Hari[0]
	if len(mon.Slot) != 3 || mon.Terisi != 2 || !mon.Penuh || mon.Slot[0].TiketID == nil || *mon.Slot[0].TiketID != d.ID || mon.Slot[1].TiketID != nil {
		t.Fatalf("Monday: %+v", mon)
	}
}

// TestSKMIndex: unanswered elements stay NULL and out of their element's
// average; the index of a small known set is exact.
func TestSKMIndex(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	done := func() klinik.KlinikTiket {
		tk := b.tiket(t, b.depok, klinik.KlinikTiketInput{})
		if _, err := b.svc.AddHasil(ctx, b.depok, tk.ID, 0, klinik.KlinikHasilInput{Jenis: "nasihat", Catatan: ptr("Urus P-IRT di Dinkes."), Selesai: true}, klinik.View{}); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	open := b.tiket(t, b.depok, klinik.KlinikTiketInput{})
	if _, err := b.svc.RecordSKM(ctx, b.depok, open.ID, klinik.KlinikSKM{U1: ptr(4)}, klinik.View{}); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("survey of an open ticket: %v", err)
	}
	all := func(v int) klinik.KlinikSKM {
		return klinik.KlinikSKM{U1: ptr(v), U2: ptr(v), U3: ptr(v), U4: ptr(v), U5: ptr(v), U6: ptr(v), U7: ptr(v), U8: ptr(v), U9: ptr(v)}
	}
	x, y, z := all(4), all(3), klinik.KlinikSKM{U1: ptr(2)}
	x.U4, y.U9 = nil, nil
	for _, s := range []klinik.KlinikSKM{x, y, z} {
		if _, err := b.svc.RecordSKM(ctx, b.depok, done().ID, s, klinik.View{}); err != nil {
			t.Fatal(err)
		}
	}
	tk := done()
	_, err := b.svc.RecordSKM(ctx, b.depok, tk.ID, klinik.KlinikSKM{U2: ptr(0)}, klinik.View{})
	field(t, err, apperr.KindInvalid, "body.u2")
	if _, err := b.svc.RecordSKM(ctx, b.depok, tk.ID, klinik.KlinikSKM{}, klinik.View{}); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("an empty survey: %v", err)
	}
	var nulls int
	if err := b.inTx(b.depok, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select count(*) filter (where u4 is null) + count(*) filter (where u9 is null) from klinik_skm`).Scan(&nulls)
	}); err != nil || nulls != 4 {
		t.Fatalf("NULL answers stored: %d (%v), want 4", nulls, err)
	}
	got, err := b.svc.SKMTahun(ctx, b.depok, 2026)
	if err != nil {
		t.Fatal(err)
	}
	// u1: (4+3+2)/3 = 3; u2, u3, u5–u8: (4+3)/2 = 3,5; u4: 3/1 = 3; u9:
	// 4/1 = 4. Σ = 3 + 6×3,5 + 3 + 4 = 31; 31/9 × 25 = 86,11 (B).
	if got.Responden != 3 || got.IKM == nil || *got.IKM != 86.11 || *got.Mutu != "B" {
		t.Fatalf("SKM 2026: %+v ikm %v", got, got.IKM)
	}
	u := got.Unsur
	if u[0].Dijawab != 3 || *u[0].NRR != 3 || u[1].Dijawab != 2 || u[1].TidakDijawab != 1 || *u[1].NRR != 3.5 ||
		u[3].Dijawab != 1 || u[3].TidakDijawab != 2 || *u[8].Nilai != 100 {
		t.Fatalf("elements: %+v", u)
	}
	empty, err := b.svc.SKMTahun(ctx, b.medan, 2026)
	if err != nil || empty.Responden != 0 || empty.IKM != nil || empty.Unsur[0].NRR != nil {
		t.Fatalf("medan: %+v (%v)", empty, err)
	}
}

// TestPublicAskAndStatus: the public form gives a code the office's
// lookup finds and another office's does not; the honeypot stores nothing;
// the form is throttled per client; the status shows nothing personal.
func TestPublicAskAndStatus(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	in := klinik.KlinikPublikInput{LayananID: b.layanan(t, b.depok, "pemasaran"), Pertanyaan: "Cara jualan di marketplace?",
		Nama: "Budi Santoso", Telepon: "+62 812 1111 2222", NamaUsaha: ptr("Keripik Budi"), KelurahanKode: ptr(kelDepok)}
	bad := in
	bad.Telepon = "12"
	_, err := b.svc.Ask(ctx, b.depok, bad, "10.0.0.1", "")
	field(t, err, apperr.KindInvalid, "body.telepon")
	st, err := b.svc.Ask(ctx, b.depok, in, "10.0.0.1", "kunci-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != "baru" || st.Layanan != "Pemasaran" {
		t.Fatalf("receipt: %+v", st)
	}
	got, err := b.svc.Status(ctx, b.depok, st.Kode, "10.0.0.2")
	if err != nil || got.Kode != st.Kode || got.Dibuat != "2026-12-08" {
		t.Fatalf("status: %+v (%v)", got, err)
	}
	if _, err := b.svc.Status(ctx, b.medan, st.Kode, "10.0.0.2"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("medan finds depok's code: %v", err)
	}
	trap := in
	trap.SitusWeb = "http://spam.example"
	fake, err := b.svc.Ask(ctx, b.depok, trap, "10.0.0.3", "")
	if err != nil || fake.Kode == "" {
		t.Fatalf("honeypot answer: %+v (%v)", fake, err)
	}
	if _, err := b.svc.Status(ctx, b.depok, fake.Kode, "10.0.0.2"); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("the honeypot's code was stored: %v", err)
	}
	page, err := b.svc.ListTiket(ctx, b.depok, klinik.TiketFilter{}, klinik.View{})
	if err != nil || len(page.Items) != 1 || page.Items[0].Saluran != "online" || *page.Items[0].Telepon != "081211112222" ||
		*page.Items[0].KecamatanKode != "32.76.01" {
		t.Fatalf("tickets: %+v (%v)", page.Items, err)
	}
	masked := page.Items[0]
	klinik.Present(&masked, klinik.View{})
	if *masked.Nama != "B*** S***" || *masked.Telepon != "xxxxxxxxx222" {
		t.Fatalf("masked: %s %s", *masked.Nama, *masked.Telepon)
	}
	// 3 an hour per client in this test (the refused form counted too):
	// the fourth from 10.0.0.1 waits.
	// The same form sent again with its key gets the first answer, and no
	// second ticket.
	again, err := b.svc.Ask(ctx, b.depok, in, "10.0.0.1", "kunci-1")
	if err != nil || again.Kode != st.Kode {
		t.Fatalf("resent: %+v (%v), want code %s", again, err, st.Kode)
	}
	if _, err := b.svc.Ask(ctx, b.depok, in, "10.0.0.1", ""); apperr.KindOf(err) != apperr.KindTooManyRequests {
		t.Fatalf("fourth from one client: %v", err)
	}
}

// TestDokumenDiperoleh: a document obtained by a business of the register
// is written to its legal documents, audited; a bad number writes nothing.
func TestDokumenDiperoleh(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	if err := b.inTx(b.depok, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Siti Aminah', 'Kue Siti', 'kuliner', 'staf', $3, $4)`, b.depok.ID, id, kelDepok[:8], kelDepok)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	tk := b.tiket(t, b.depok, klinik.KlinikTiketInput{UMKMID: &id})
	if tk.NamaUsaha == nil || *tk.NamaUsaha != "Kue Siti" || *tk.KelurahanKode != kelDepok {
		t.Fatalf("ticket of a business: %+v", tk)
	}
	_, err := b.svc.AddHasil(ctx, b.depok, tk.ID, 0, klinik.KlinikHasilInput{Jenis: "dokumen_diperoleh", DokumenJenis: ptr("pirt"), DokumenNomor: ptr("12345")}, klinik.View{})
	field(t, err, apperr.KindInvalid, "body.dokumen_nomor")
	got, err := b.svc.GetTiket(ctx, b.depok, tk.ID, klinik.View{})
	if err != nil || len(got.Hasil) != 0 {
		t.Fatalf("a refused outcome was written: %+v (%v)", got.Hasil, err)
	}
	_, err = b.svc.AddHasil(ctx, b.depok, tk.ID, 0, klinik.KlinikHasilInput{Jenis: "rujuk_program", ProgramID: ptr(uuid.New())}, klinik.View{})
	field(t, err, apperr.KindInvalid, "body.program_id")
	got, err = b.svc.AddHasil(ctx, b.depok, tk.ID, 0, klinik.KlinikHasilInput{Jenis: "dokumen_diperoleh", DokumenJenis: ptr("pirt"),
		DokumenNomor: ptr("2063276012345-29"), TindakLanjut: ptr("2027-01-11"), Selesai: true}, klinik.View{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "selesai" || len(got.Hasil) != 1 || *got.TindakLanjut != "2027-01-11" {
		t.Fatalf("after the outcome: %+v", got)
	}
	rec, err := b.reg.Get(ctx, b.depok, id, umkm.Scope{}, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Legalitas) != 1 || rec.Legalitas[0].Jenis != "pirt" || *rec.Legalitas[0].Nomor != "206327601234529" || rec.Legalitas[0].Status != "terbit" {
		t.Fatalf("the register's documents: %+v", rec.Legalitas)
	}
	var audited int
	if err := b.inTx(b.depok, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select count(*) from audit_log where entity = 'umkm' and entity_id = $1`, id.String()).Scan(&audited)
	}); err != nil || audited != 1 {
		t.Fatalf("audit of the register: %d (%v)", audited, err)
	}
	// A petugas of another kecamatan sees neither the ticket nor the
	// business.
	if _, err := b.svc.GetTiket(ctx, b.depok, tk.ID, klinik.View{Wilayah: []string{"32.76.02"}}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("petugas elsewhere: %v", err)
	}
}

// TestPetugasScope: a petugas (a kecamatan desk) opens tickets only in
// their regions, lists and books only those, and a ticket without a place
// is not theirs to open.
func TestPetugasScope(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	var other string
	if err := b.inTx(b.depok, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select kode from wilayah where level = 'desa_kelurahan' and parent_kode <> $1 order by kode limit 1`, kelDepok[:8]).Scan(&other)
	}); err != nil {
		t.Fatal(err)
	}
	petugas := klinik.View{PII: true, Wilayah: []string{kelDepok[:8]}}
	create := func(kel *string) (klinik.KlinikTiket, error) {
		var k klinik.KlinikTiket
		err := b.inTx(b.depok, func(tx pgx.Tx) (err error) {
			k, err = b.svc.CreateTiketTx(ctx, tx, b.depok, klinik.KlinikTiketInput{Saluran: "kecamatan", LayananID: b.layanan(t, b.depok, "pembiayaan"),
				Nama: ptr("Ani Lestari"), Telepon: ptr("081298765432"), KelurahanKode: kel, Pertanyaan: "KUR atau Kredit Mesra?"}, petugas)
			return err
		})
		return k, err
	}
	mine, err := create(ptr(kelDepok))
	if err != nil {
		t.Fatal(err)
	}
	_, err = create(ptr(other))
	field(t, err, apperr.KindInvalid, "body.kelurahan_kode")
	_, err = create(nil)
	field(t, err, apperr.KindInvalid, "body.kelurahan_kode")
	elsewhere := b.tiket(t, b.depok, klinik.KlinikTiketInput{KelurahanKode: ptr(other)})
	page, err := b.svc.ListTiket(ctx, b.depok, klinik.TiketFilter{}, petugas)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != mine.ID {
		t.Fatalf("the petugas's list: %+v (%v)", page.Items, err)
	}
	if _, err := b.svc.Cancel(ctx, b.depok, elsewhere.ID, 0, petugas); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("cancelling another kecamatan's ticket: %v", err)
	}
	if all, err := b.svc.ListTiket(ctx, b.depok, klinik.TiketFilter{}, klinik.View{}); err != nil || len(all.Items) != 2 {
		t.Fatalf("the office's list: %d (%v)", len(all.Items), err)
	}
}
