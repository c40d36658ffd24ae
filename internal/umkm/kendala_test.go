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

// Regions of Depok used below: two kelurahan of Pancoran Mas and one of
// Cimanggis.
const (
	kecPancoran, kelDepok, kelDepokJaya = "32.76.01", "32.76.01.1006", "32.76.01.1007"
	kecCimanggis, kelTugu               = "32.76.02", "32.76.02.1009"
)

func kdInput(usaha, pemilik, kec, kel string) umkm.Input {
	return umkm.Input{NamaUsaha: usaha, NamaPemilik: pemilik, Sektor: "kuliner", KecamatanKode: kec, KelurahanKode: kel}
}

// kdRecord registers a business in tenant slug.
func kdRecord(t *testing.T, b *bundle, slug string, in umkm.Input) umkm.Record {
	t.Helper()
	var rec umkm.Record
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, func(tx pgx.Tx) error {
		var err error
		rec, err = b.svc.CreateTx(context.Background(), tx, b.tenants[slug], in, umkm.SourceStaf, umkm.Scope{})
		return err
	})
	if err != nil {
		t.Fatalf("register %s: %v", in.NamaUsaha, err)
	}
	return rec
}

// kdKendala records a constraint as the whole tenant would.
func kdKendala(t *testing.T, b *bundle, slug string, id uuid.UUID, in umkm.KendalaInput, sc umkm.Scope) (umkm.Kendala, error) {
	t.Helper()
	var k umkm.Kendala
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, func(tx pgx.Tx) error {
		var err error
		k, err = b.svc.CreateKendalaTx(context.Background(), tx, b.tenants[slug], id, in, sc)
		return err
	})
	return k, err
}

// kdScan runs one query as the application role in tenant slug.
func kdScan(t *testing.T, b *bundle, slug, sql string, args []any, dest ...any) {
	t.Helper()
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), sql, args...).Scan(dest...)
	})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// kdOpenCategories is what kendala_terbuka must hold, recomputed from the
// constraints themselves, next to what it holds.
func kdOpenCategories(t *testing.T, b *bundle, slug string, id uuid.UUID) (want, got []string) {
	t.Helper()
	kdScan(t, b, slug, `select coalesce((select array_agg(distinct kategori order by kategori) from umkm_kendala
		where umkm_id = $1 and selesai_at is null), '{}'), kendala_terbuka from umkm where id = $1`, []any{id}, &want, &got)
	return want, got
}

func kdAudits(t *testing.T, b *bundle, slug, entity, entityID, action string) int {
	t.Helper()
	var n int
	kdScan(t, b, slug, `select count(*) from audit_log where entity = $1 and entity_id = $2 and action = $3`,
		[]any{entity, entityID, action}, &n)
	return n
}

func kdVersion(t *testing.T, b *bundle, slug string, id uuid.UUID) int64 {
	t.Helper()
	rec, err := b.svc.Get(context.Background(), b.tenants[slug], id, umkm.Scope{}, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	return rec.Version
}

func kdPtr[T any](v T) *T { return &v }

// TestKendalaKeepsOpenCategoriesExact: every write keeps kendala_terbuka the
// sorted, distinct categories of the open constraints, moves the record's
// version, and is audited; resolving twice changes nothing the second time.
func TestKendalaKeepsOpenCategoriesExact(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	depok := b.tenants["depok"]
	rec := kdRecord(t, b, "depok", kdInput("Keripik Singkong Bu Siti", "Siti Aminah", kecPancoran, kelDepok))
	check := func(step string, want []string) {
		t.Helper()
		fromRows, got := kdOpenCategories(t, b, "depok", rec.ID)
		if !slices.Equal(got, want) || !slices.Equal(fromRows, want) {
			t.Fatalf("%s: kendala_terbuka %q (constraints say %q), want %q", step, got, fromRows, want)
		}
	}

	v := kdVersion(t, b, "depok", rec.ID)
	var made []umkm.Kendala
	for _, kat := range []string{"permodalan", "pemasaran", "permodalan", "bahan_baku"} {
		k, err := kdKendala(t, b, "depok", rec.ID, umkm.KendalaInput{Kategori: kat, Catatan: kdPtr("  butuh modal alat  ")}, umkm.Scope{})
		if err != nil {
			t.Fatalf("create %s: %v", kat, err)
		}
		if k.Status != umkm.KendalaTerbuka || k.UMKMID != rec.ID || k.Catatan == nil || *k.Catatan != "butuh modal alat" {
			t.Errorf("created %+v", k)
		}
		made = append(made, k)
	}
	check("after four reports", []string{"bahan_baku", "pemasaran", "permodalan"})
	if got := kdVersion(t, b, "depok", rec.ID); got != v+4 {
		t.Errorf("version %d after four reports, want %d", got, v+4)
	}

	// One of the two permodalan resolved: still open through the other.
	k, err := b.svc.ResolveKendala(ctx, depok, rec.ID, made[0].ID, umkm.Scope{})
	if err != nil || k.Status != umkm.KendalaSelesai || k.SelesaiAt == nil {
		t.Fatalf("resolve: %+v, %v", k, err)
	}
	check("one permodalan resolved", []string{"bahan_baku", "pemasaran", "permodalan"})
	if _, err := b.svc.ResolveKendala(ctx, depok, rec.ID, made[2].ID, umkm.Scope{}); err != nil {
		t.Fatal(err)
	}
	check("both permodalan resolved", []string{"bahan_baku", "pemasaran"})

	// Again: the same answer, nothing written.
	v = kdVersion(t, b, "depok", rec.ID)
	again, err := b.svc.ResolveKendala(ctx, depok, rec.ID, made[0].ID, umkm.Scope{})
	if err != nil || !again.SelesaiAt.Equal(*k.SelesaiAt) {
		t.Fatalf("resolve again: %+v, %v; first %v", again, err, k.SelesaiAt)
	}
	if got := kdVersion(t, b, "depok", rec.ID); got != v {
		t.Errorf("resolving a resolved constraint moved the version %d → %d", v, got)
	}
	if n := kdAudits(t, b, "depok", "kendala", made[0].ID.String(), "resolve"); n != 1 {
		t.Errorf("%d resolve audit rows, want 1", n)
	}
	if n := kdAudits(t, b, "depok", "kendala", made[1].ID.String(), "create"); n != 1 {
		t.Errorf("%d create audit rows, want 1", n)
	}
	// Every change of the record itself: registered, four reports, two resolutions.
	if n := kdAudits(t, b, "depok", "umkm", rec.ID.String(), "update"); n != 6 {
		t.Errorf("%d update audit rows of the record, want 6", n)
	}

	for _, k := range made[1:] {
		if k.ID == made[2].ID {
			continue
		}
		if _, err := b.svc.ResolveKendala(ctx, depok, rec.ID, k.ID, umkm.Scope{}); err != nil {
			t.Fatal(err)
		}
	}
	check("all resolved", []string{})

	// Listing: newest report first, open and resolved, paged.
	if _, err := kdKendala(t, b, "depok", rec.ID, umkm.KendalaInput{Kategori: "sdm", Dilaporkan: kdPtr("2025-01-15")}, umkm.Scope{}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	cursor := ""
	for range 10 {
		page, err := b.svc.ListKendala(ctx, depok, rec.ID, umkm.KendalaFilter{Cursor: cursor, Limit: 2}, umkm.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range page.Items {
			seen = append(seen, k.Dilaporkan+" "+k.Kategori)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 5 || seen[4] != "2025-01-15 sdm" {
		t.Errorf("listed %q, want 5 with the 2025 report last", seen)
	}
	open, err := b.svc.ListKendala(ctx, depok, rec.ID, umkm.KendalaFilter{Status: umkm.KendalaTerbuka, Limit: 50}, umkm.Scope{})
	if err != nil || len(open.Items) != 1 || open.Items[0].Kategori != "sdm" {
		t.Errorf("open constraints: %+v, %v", open.Items, err)
	}
}

// TestKendalaInput: the category must be known, the date a real day not
// after today, and "today" is the office's day, not the server's.
func TestKendalaInput(t *testing.T) {
	b := setup(t)
	rec := kdRecord(t, b, "depok", kdInput("Dapur Bu Rina", "Rina", kecPancoran, kelDepok))
	// 18:30 UTC is already 01:30 of the next day in Depok (WIB, UTC+7).
	b.svc.Now = func() time.Time { return time.Date(2026, 3, 1, 18, 30, 0, 0, time.UTC) }

	k, err := kdKendala(t, b, "depok", rec.ID, umkm.KendalaInput{Kategori: "pemasaran"}, umkm.Scope{})
	if err != nil || k.Dilaporkan != "2026-03-02" {
		t.Fatalf("default date: %q, %v; want 2026-03-02 (today in Asia/Jakarta)", k.Dilaporkan, err)
	}
	if k, err := kdKendala(t, b, "depok", rec.ID, umkm.KendalaInput{Kategori: "pemasaran", Dilaporkan: kdPtr("2026-03-02")}, umkm.Scope{}); err != nil {
		t.Fatalf("today (office's calendar) refused: %+v %v", k, err)
	}
	for _, tc := range []struct {
		name  string
		in    umkm.KendalaInput
		field string
	}{
		{"unknown category", umkm.KendalaInput{Kategori: "cuaca"}, "body.kategori"},
		{"not a date", umkm.KendalaInput{Kategori: "sdm", Dilaporkan: kdPtr("02/03/2026")}, "body.dilaporkan"},
		{"no such day", umkm.KendalaInput{Kategori: "sdm", Dilaporkan: kdPtr("2026-02-30")}, "body.dilaporkan"},
		{"tomorrow", umkm.KendalaInput{Kategori: "sdm", Dilaporkan: kdPtr("2026-03-03")}, "body.dilaporkan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kdKendala(t, b, "depok", rec.ID, tc.in, umkm.Scope{})
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.KindInvalid || len(e.Fields) != 1 || e.Fields[0].Location != tc.field {
				t.Fatalf("error %v, want invalid %s", err, tc.field)
			}
		})
	}
	if want, got := kdOpenCategories(t, b, "depok", rec.ID); !slices.Equal(got, []string{"pemasaran"}) || !slices.Equal(want, got) {
		t.Errorf("kendala_terbuka %q (constraints say %q) after refused writes", got, want)
	}
}

// TestKendalaOutOfScopeIsNotFound: a petugas reaches only businesses of their
// regions; another tenant's business, or one that is archived, cannot get
// constraints.
func TestKendalaOutOfScopeIsNotFound(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	inArea := kdRecord(t, b, "depok", kdInput("Bakso Pak Joko", "Joko", kecPancoran, kelDepok))
	outside := kdRecord(t, b, "depok", kdInput("Kopi Tugu", "Andi", kecCimanggis, kelTugu))
	medan := kdRecord(t, b, "medan", kdInput("Bika Ambon Sehati", "Lubis", "12.71.01", "12.71.01.1001"))
	petugas := umkm.Scope{Wilayah: []string{kecPancoran}}

	if _, err := kdKendala(t, b, "depok", inArea.ID, umkm.KendalaInput{Kategori: "permodalan"}, petugas); err != nil {
		t.Fatalf("petugas in their area: %v", err)
	}
	mk, err := kdKendala(t, b, "medan", medan.ID, umkm.KendalaInput{Kategori: "permodalan"}, umkm.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	notFound := func(what string, err error) {
		t.Helper()
		if apperr.KindOf(err) != apperr.KindNotFound {
			t.Errorf("%s: %v, want not found", what, err)
		}
	}
	_, err = kdKendala(t, b, "depok", outside.ID, umkm.KendalaInput{Kategori: "permodalan"}, petugas)
	notFound("petugas outside their area", err)
	_, err = kdKendala(t, b, "depok", medan.ID, umkm.KendalaInput{Kategori: "permodalan"}, umkm.Scope{})
	notFound("medan's business through depok", err)
	_, err = b.svc.ResolveKendala(ctx, b.tenants["depok"], medan.ID, mk.ID, umkm.Scope{})
	notFound("resolve medan's constraint through depok", err)
	_, err = b.svc.ResolveKendala(ctx, b.tenants["depok"], inArea.ID, mk.ID, umkm.Scope{})
	notFound("resolve medan's constraint under a depok business", err)
	_, err = b.svc.ListKendala(ctx, b.tenants["depok"], outside.ID, umkm.KendalaFilter{Limit: 10}, petugas)
	notFound("petugas lists outside their area", err)
	_, err = b.svc.GetKendala(ctx, b.tenants["depok"], medan.ID, mk.ID, umkm.Scope{})
	notFound("get medan's constraint through depok", err)

	if _, err := b.svc.Archive(ctx, b.tenants["depok"], outside.ID, outside.Version, umkm.Scope{}); err != nil {
		t.Fatal(err)
	}
	_, err = kdKendala(t, b, "depok", outside.ID, umkm.KendalaInput{Kategori: "sdm"}, umkm.Scope{})
	if apperr.KindOf(err) != apperr.KindConflict {
		t.Errorf("constraint on an archived business: %v, want conflict", err)
	}
	var n int
	kdScan(t, b, "medan", `select count(*) from umkm_kendala where selesai_at is null`, nil, &n)
	if n != 1 {
		t.Errorf("medan has %d open constraints, want its 1 untouched", n)
	}
}

// TestPemetaan: the map counts open constraints of live businesses per
// kelurahan and category, sums them up to kecamatan and tenant, lists
// regions without any at 0, and follows the filter and the petugas's area.
func TestPemetaan(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	depok := b.tenants["depok"]
	add := func(rec umkm.Record, kategori ...string) []umkm.Kendala {
		var out []umkm.Kendala
		for _, k := range kategori {
			c, err := kdKendala(t, b, "depok", rec.ID, umkm.KendalaInput{Kategori: k}, umkm.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		return out
	}
	a := kdRecord(t, b, "depok", kdInput("Usaha A", "Pemilik A", kecPancoran, kelDepok))
	bb := kdRecord(t, b, "depok", kdInput("Usaha B", "Pemilik B", kecPancoran, kelDepok))
	c := kdRecord(t, b, "depok", kdInput("Usaha C", "Pemilik C", kecPancoran, kelDepokJaya))
	d := kdRecord(t, b, "depok", kdInput("Usaha D", "Pemilik D", kecCimanggis, kelTugu))
	gone := kdRecord(t, b, "depok", kdInput("Usaha E", "Pemilik E", kecCimanggis, kelTugu))
	add(a, "permodalan", "permodalan", "pemasaran")
	add(bb, "permodalan")
	resolved := add(c, "legalitas", "sdm")
	add(d, "teknologi")
	add(gone, "teknologi", "teknologi")
	medan := kdRecord(t, b, "medan", kdInput("Usaha Medan", "Pemilik", "12.71.01", "12.71.01.1001"))
	if _, err := kdKendala(t, b, "medan", medan.ID, umkm.KendalaInput{Kategori: "permodalan"}, umkm.Scope{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.ResolveKendala(ctx, depok, c.ID, resolved[1].ID, umkm.Scope{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Archive(ctx, depok, gone.ID, kdVersion(t, b, "depok", gone.ID), umkm.Scope{}); err != nil {
		t.Fatal(err)
	}

	m, err := b.svc.Pemetaan(ctx, depok, "", umkm.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Total.Kendala != 6 || m.Total.UMKM != 4 || m.Total.PerKategori["permodalan"] != 3 || m.Total.PerKategori["teknologi"] != 1 ||
		m.Total.PerKategori["sdm"] != 0 || len(m.Total.PerKategori) != len(umkm.KendalaCategories) {
		t.Errorf("total %+v, want 6 open constraints of 4 businesses (permodalan 3, teknologi 1, sdm 0)", m.Total)
	}
	if len(m.Kecamatan) != 11 {
		t.Errorf("%d kecamatan, want Depok's 11 (with zeros)", len(m.Kecamatan))
	}
	byKel := map[string]umkm.PemetaanKelurahan{}
	kelurahan := 0
	for _, k := range m.Kecamatan {
		sum := 0
		for _, l := range k.Kelurahan {
			byKel[l.Kode] = l
			sum += l.Kendala
			kelurahan++
		}
		if sum != k.Kendala {
			t.Errorf("kecamatan %s: %d, but its kelurahan sum to %d", k.Kode, k.Kendala, sum)
		}
		if k.Kode == kecPancoran && (k.Nama != "Pancoran Mas" || k.Kendala != 5 || k.UMKM != 3) {
			t.Errorf("Pancoran Mas: %+v, want 5 constraints of 3 businesses", k)
		}
	}
	if kelurahan != 63 {
		t.Errorf("%d kelurahan, want Depok's 63", kelurahan)
	}
	if l := byKel[kelDepok]; l.Nama != "Depok" || l.Kendala != 4 || l.UMKM != 2 || l.PerKategori["permodalan"] != 3 || l.PerKategori["pemasaran"] != 1 {
		t.Errorf("kelurahan Depok: %+v", l)
	}
	if l := byKel[kelDepokJaya]; l.Kendala != 1 || l.PerKategori["legalitas"] != 1 || l.PerKategori["sdm"] != 0 {
		t.Errorf("kelurahan Depok Jaya (sdm resolved): %+v", l)
	}
	if l := byKel[kelTugu]; l.Kendala != 1 || l.UMKM != 1 {
		t.Errorf("kelurahan Tugu (an archived business's constraints left out): %+v", l)
	}

	only, err := b.svc.Pemetaan(ctx, depok, kecCimanggis, umkm.Scope{})
	if err != nil || len(only.Kecamatan) != 1 || only.Kecamatan[0].Kode != kecCimanggis || only.Total.Kendala != 1 {
		t.Errorf("filtered to Cimanggis: %+v, %v", only, err)
	}
	mine, err := b.svc.Pemetaan(ctx, depok, "", umkm.Scope{Wilayah: []string{kelDepokJaya}})
	if err != nil || len(mine.Kecamatan) != 1 || len(mine.Kecamatan[0].Kelurahan) != 1 || mine.Total.Kendala != 1 {
		t.Errorf("petugas of Depok Jaya: %+v, %v", mine, err)
	}
	if _, err := b.svc.Pemetaan(ctx, depok, "12.71.01", umkm.Scope{}); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("a kecamatan of medan as filter: %v, want invalid", err)
	}
}
