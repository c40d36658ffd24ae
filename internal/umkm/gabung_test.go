package umkm_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

type kdRiwayat struct {
	umkm  uuid.UUID
	at    time.Time
	omzet *int64
}

func kdHistory(t *testing.T, b *bundle, slug string, ids ...uuid.UUID) []kdRiwayat {
	t.Helper()
	var out []kdRiwayat
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(), `select umkm_id, dicatat_at, omzet_tahunan from umkm_riwayat
			where umkm_id = any($1) order by dicatat_at, umkm_id`, ids)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (kdRiwayat, error) {
			var h kdRiwayat
			return h, r.Scan(&h.umkm, &h.at, &h.omzet)
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func kdLegal(rec umkm.Record) map[string]string {
	out := map[string]string{}
	for _, l := range rec.Legalitas {
		out[l.Jenis] = *l.Nomor
	}
	return out
}

// TestMergeDuplicate folds a duplicate into the record that stays: its
// constraints, history and missing documents move, empty fields are filled
// and known ones kept, NIK and NIB go to the survivor, the duplicate is
// archived pointing at it, and both are audited.
func TestMergeDuplicate(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	depok := b.tenants["depok"]
	all := umkm.Scope{}

	// Both registered at the same instant, then both updated: each has a
	// history row at that instant, which must not collide when merged.
	t0 := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	b.svc.Now = func() time.Time { return t0 }
	survIn := kdInput("Keripik Singkong Bu Siti", "Siti Aminah", kecPancoran, kelDepok)
	survIn.Telepon = kdPtr("081234567890")
	survIn.OmzetTahunan = kdPtr(int64(50_000_000))
	survIn.Legalitas = []umkm.LegalInput{{Jenis: umkm.LegalHalal, Status: umkm.StatusTerbit, Nomor: kdPtr("ID32110000123450125")}}
	surv := kdRecord(t, b, "depok", survIn)

	srcIn := kdInput("Keripik Singkong Bu Sity", "Siti Aminah", kecPancoran, kelDepok)
	srcIn.NIK = kdPtr("3276014507850001")
	srcIn.NIB = kdPtr("9120001234567")
	srcIn.Telepon = kdPtr("085700001111")
	srcIn.Alamat, srcIn.RT, srcIn.RW = kdPtr("Jl. Melati No. 3"), kdPtr("3"), kdPtr("7")
	srcIn.ModalUsaha = kdPtr(int64(10_000_000))
	srcIn.OmzetTahunan = kdPtr(int64(80_000_000))
	srcIn.KaryawanLaki, srcIn.KaryawanPerempuan = kdPtr(2), kdPtr(3)
	srcIn.StatusBinaan = kdPtr("binaan")
	srcIn.Legalitas = []umkm.LegalInput{
		{Jenis: umkm.LegalNIB, Status: umkm.StatusTerbit, Nomor: kdPtr("9120001234567")},
		{Jenis: umkm.LegalHalal, Status: umkm.StatusTerbit, Nomor: kdPtr("ID32110000999990125")},
		{Jenis: umkm.LegalPIRT, Status: umkm.StatusTerbit, Nomor: kdPtr("206327601012328")},
	}
	src := kdRecord(t, b, "depok", srcIn)

	t1 := t0.Add(time.Hour)
	b.svc.Now = func() time.Time { return t1 }
	survIn.OmzetTahunan = kdPtr(int64(60_000_000))
	survIn.Legalitas = nil
	surv, err := b.svc.Update(ctx, depok, surv.ID, surv.Version, survIn, all)
	if err != nil {
		t.Fatal(err)
	}
	srcIn.OmzetTahunan = kdPtr(int64(90_000_000))
	srcIn.Legalitas = nil
	if src, err = b.svc.Update(ctx, depok, src.ID, src.Version, srcIn, all); err != nil {
		t.Fatal(err)
	}
	if h := kdHistory(t, b, "depok", surv.ID, src.ID); len(h) != 2 || !h[0].at.Equal(t0) || !h[1].at.Equal(t0) {
		t.Fatalf("fixture: history %+v, want one row each at %v", h, t0)
	}
	if _, err := kdKendala(t, b, "depok", surv.ID, umkm.KendalaInput{Kategori: "permodalan"}, all); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"pemasaran", "sdm"} {
		if _, err := kdKendala(t, b, "depok", src.ID, umkm.KendalaInput{Kategori: k}, all); err != nil {
			t.Fatal(err)
		}
	}
	srcKendala, err := b.svc.ListKendala(ctx, depok, src.ID, umkm.KendalaFilter{Limit: 10}, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range srcKendala.Items {
		if k.Kategori == "sdm" {
			if _, err := b.svc.ResolveKendala(ctx, depok, src.ID, k.ID, all); err != nil {
				t.Fatal(err)
			}
		}
	}
	surv, _ = b.svc.Get(ctx, depok, surv.ID, all, umkm.View{PII: true})
	src, _ = b.svc.Get(ctx, depok, src.ID, all, umkm.View{PII: true})

	// Refused: itself, a stale version, another tenant's record.
	_, err = b.svc.MergeDuplicate(ctx, depok, surv.ID, surv.Version, surv.ID, all)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || e.Fields[0].Location != "body.sumber_id" {
		t.Errorf("merge into itself: %v, want invalid body.sumber_id", err)
	}
	if _, err := b.svc.MergeDuplicate(ctx, depok, surv.ID, surv.Version-1, src.ID, all); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Errorf("stale version: %v, want precondition failed", err)
	}
	medan := kdRecord(t, b, "medan", kdInput("Keripik Singkong Bu Siti", "Siti Aminah", "12.71.01", "12.71.01.1001"))
	_, err = b.svc.MergeDuplicate(ctx, depok, surv.ID, surv.Version, medan.ID, all)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindNotFound || len(e.Fields) != 1 || e.Fields[0].Location != "body.sumber_id" {
		t.Errorf("medan's record as the duplicate: %v, want not found naming body.sumber_id", err)
	}
	if _, err := b.svc.MergeDuplicate(ctx, depok, medan.ID, medan.Version, src.ID, all); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("merge into medan's record: %v, want not found", err)
	}
	if got := kdVersion(t, b, "depok", surv.ID); got != surv.Version {
		t.Fatalf("refused merges moved the version %d → %d", surv.Version, got)
	}

	// Cooperative memberships: both in one cooperative, the duplicate alone
	// in another.
	kopBoth, kopDup := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	err = b.env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, kecamatan_kode, kelurahan_kode) values
			($1, $2, 'Koperasi Bersama', $4, $5), ($1, $3, 'Koperasi Lain', $4, $5)`, depok.ID, kopBoth, kopDup, kecPancoran, kelDepok); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into koperasi_anggota_umkm (tenant_id, koperasi_id, umkm_id, sejak, difasilitasi) values
			($1, $2, $4, '2022-01-01', false), ($1, $2, $5, '2020-01-01', true), ($1, $3, $5, null, false)`,
			depok.ID, kopBoth, kopDup, surv.ID, src.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	t2 := t1.Add(time.Hour)
	b.svc.Now = func() time.Time { return t2 }
	after, err := b.svc.MergeDuplicate(ctx, depok, surv.ID, surv.Version, src.ID, all)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	var members []string
	err = b.env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select k.nama || ':' || (a.umkm_id = $1) || ':' || coalesce(a.sejak::text, '-') || ':' || a.difasilitasi || ':' || k.version
			from koperasi_anggota_umkm a join koperasi k on k.id = a.koperasi_id order by k.nama`, surv.ID)
		if err != nil {
			return err
		}
		members, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Koperasi Bersama:true:2020-01-01:true:2", "Koperasi Lain:true:-:false:2"}; !slices.Equal(members, want) {
		t.Errorf("memberships after merge %q, want %q (survivor in both, earlier since, facilitated, versions moved)", members, want)
	}
	if after.Version != surv.Version+1 || !after.UpdatedAt.Equal(t2) || after.ArchivedAt != nil {
		t.Errorf("survivor version %d (was %d), updated %v, archived %v", after.Version, surv.Version, after.UpdatedAt, after.ArchivedAt)
	}
	got, err := b.svc.Get(ctx, depok, surv.ID, all, umkm.View{PII: true})
	if err != nil {
		t.Fatal(err)
	}
	// Filled: NIK, NIB, address with its RT/RW, capital, employees (a pair),
	// binaan. Kept: the survivor's phone, annual sales and halal certificate.
	switch {
	case got.NIK == nil || *got.NIK != "3276014507850001":
		t.Errorf("NIK %v, want the duplicate's", got.NIK)
	case got.NIB == nil || *got.NIB != "9120001234567":
		t.Errorf("NIB %v, want the duplicate's", got.NIB)
	case *got.Telepon != "081234567890":
		t.Errorf("phone %s, want the survivor's own", *got.Telepon)
	case got.Alamat == nil || *got.Alamat != "Jl. Melati No. 3" || *got.RT != "003" || *got.RW != "007":
		t.Errorf("address %v RT %v RW %v, want the duplicate's", got.Alamat, got.RT, got.RW)
	case *got.ModalUsaha != 10_000_000 || *got.OmzetTahunan != 60_000_000:
		t.Errorf("modal %d, omzet %d; want the duplicate's modal and the survivor's omzet", *got.ModalUsaha, *got.OmzetTahunan)
	case *got.KaryawanLaki != 2 || *got.KaryawanPerempuan != 3:
		t.Errorf("employees %d/%d, want 2/3", *got.KaryawanLaki, *got.KaryawanPerempuan)
	case got.StatusBinaan != "binaan":
		t.Errorf("status %s, want binaan", got.StatusBinaan)
	case got.SkalaHitung == nil || got.SkalaHitung.Skala != umkm.SkalaMikro:
		t.Errorf("size %+v, want mikro", got.SkalaHitung)
	case got.NamaUsaha != "Keripik Singkong Bu Siti":
		t.Errorf("business name %q, want the survivor's", got.NamaUsaha)
	}
	if docs := kdLegal(got); len(docs) != 3 || docs["halal"] != "ID32110000123450125" || docs["nib"] != "9120001234567" || docs["pirt"] != "206327601012328" {
		t.Errorf("survivor's documents %v: want its own halal, and the nib and pirt it lacked", docs)
	}
	if !slices.Equal(got.LegalitasTerbit, []string{"halal", "nib", "pirt"}) || !got.LegalitasLengkap {
		t.Errorf("legalitas_terbit %q lengkap %v", got.LegalitasTerbit, got.LegalitasLengkap)
	}
	if want, have := kdOpenCategories(t, b, "depok", surv.ID); !slices.Equal(have, []string{"pemasaran", "permodalan"}) || !slices.Equal(want, have) {
		t.Errorf("survivor's kendala_terbuka %q (constraints say %q)", have, want)
	}
	var moved int
	kdScan(t, b, "depok", `select count(*) from umkm_kendala where umkm_id = $1`, []any{surv.ID}, &moved)
	if moved != 3 {
		t.Errorf("survivor has %d constraints, want 3 (its own, and the duplicate's open and resolved)", moved)
	}

	// History: both rows at t0 kept (one moved a microsecond), plus the
	// duplicate's last figures and the survivor's replaced ones (both at t1).
	h := kdHistory(t, b, "depok", surv.ID, src.ID)
	var at []time.Time
	for _, r := range h {
		if r.umkm != surv.ID {
			t.Errorf("history row %+v still on the duplicate", r)
		}
		at = append(at, r.at)
	}
	wantAt := []time.Time{t0, t0.Add(time.Microsecond), t1, t1.Add(time.Microsecond)}
	if len(at) != 4 || !slices.EqualFunc(at, wantAt, time.Time.Equal) {
		t.Errorf("history instants %v, want %v", at, wantAt)
	}
	var omzets []int64
	for _, r := range h {
		omzets = append(omzets, *r.omzet)
	}
	if slices.Sort(omzets); !slices.Equal(omzets, []int64{50_000_000, 60_000_000, 80_000_000, 90_000_000}) {
		t.Errorf("history figures %v, want every omzet ever recorded", omzets)
	}

	dup, err := b.svc.Get(ctx, depok, src.ID, all, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	if dup.ArchivedAt == nil || dup.MergedInto == nil || *dup.MergedInto != surv.ID || dup.Version != src.Version+1 ||
		len(dup.KendalaTerbuka) != 0 || !slices.Equal(dup.LegalitasTerbit, []string{"halal"}) {
		t.Errorf("duplicate after merge: archived %v merged_into %v version %d (was %d) kendala %q legal %q",
			dup.ArchivedAt, dup.MergedInto, dup.Version, src.Version, dup.KendalaTerbuka, dup.LegalitasTerbit)
	}
	for _, id := range []uuid.UUID{surv.ID, src.ID} {
		if n := kdAudits(t, b, "depok", "umkm", id.String(), "merge"); n != 1 {
			t.Errorf("%d merge audit rows for %s, want 1", n, id)
		}
	}
	// The NIK now belongs to the survivor: registering it again points there.
	again := kdInput("Keripik Lain", "Siti Aminah", kecPancoran, kelDepok)
	again.NIK = kdPtr("3276014507850001")
	err = b.env.DB.InTenantTx(ctx, depok.ID, func(tx pgx.Tx) error {
		_, err := b.svc.CreateTx(ctx, tx, depok, again, umkm.SourceStaf, all)
		return err
	})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindConflict || e.Existing != umkm.Path("depok", surv.ID) {
		t.Errorf("the NIK again: %v, want a conflict pointing at the survivor", err)
	}

	// Merged once: again is refused, naming the field and pointing at where it went.
	_, err = b.svc.MergeDuplicate(ctx, depok, surv.ID, after.Version, src.ID, all)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindConflict || e.Existing != umkm.Path("depok", surv.ID) ||
		len(e.Fields) != 1 || e.Fields[0].Location != "body.sumber_id" {
		t.Errorf("merging an archived record: %v, want a conflict on body.sumber_id", err)
	}
	_, err = b.svc.MergeDuplicate(ctx, depok, src.ID, dup.Version, surv.ID, all)
	if apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("merging into an archived record: %v, want a conflict", err)
	}
}
