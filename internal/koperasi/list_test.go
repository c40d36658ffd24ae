package koperasi_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/koperasi"
)

func TestListFiltersPagesAndSearch(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	mk := func(nama, kel string, edit func(*koperasi.KoperasiInput)) koperasi.Detail {
		in := input(nama, kel)
		if edit != nil {
			edit(&in)
		}
		return b.create(t, b.depok, in)
	}
	maju := mk("KSU Maju Bersama", kelDepok, func(in *koperasi.KoperasiInput) { in.Pilot = true; in.Alamat = ptr("Jl. Melati 5") })
	tani := mk("Koperasi Tani Makmur", kelHarjamukti, func(in *koperasi.KoperasiInput) { in.Jenis, in.Kelompok = ptr("produsen"), ptr("kud") })
	kpri := mk("KPRI Guru Sejahtera", kelDepokJaya, func(in *koperasi.KoperasiInput) {
		in.Jenis, in.Kelompok, in.Aktif = ptr("simpan_pinjam"), ptr("kpri"), ptr(false)
	})
	gone := mk("KSU Lama Sekali", kelDepok, nil)
	if _, err := b.svc.Archive(ctx, b.depok, gone.ID, 1); err != nil {
		t.Fatal(err)
	}
	b.create(t, b.medan, koperasi.KoperasiInput{Nama: "KSU Maju Medan", KecamatanKode: kelMedanPasar[:8], KelurahanKode: kelMedanPasar})
	if _, err := b.assess(b.depok, tani.ID, koperasi.PenilaianInput{Regime: "permenkop_9_2020", Tahun: 2025, Skor: all(aspek2020, 80)}); err != nil {
		t.Fatal(err)
	}

	ids := func(f koperasi.Filter) []string {
		t.Helper()
		if f.Limit == 0 {
			f.Limit = 50
		}
		page, err := b.svc.List(ctx, b.depok, f, koperasi.View{})
		if err != nil {
			t.Fatalf("list %+v: %v", f, err)
		}
		var out []string
		for _, r := range page.Items {
			out = append(out, r.Nama)
			if r.Alamat != nil {
				t.Errorf("address shown without PII: %+v", r)
			}
		}
		return out
	}
	yes, no := true, false
	for _, c := range []struct {
		name string
		f    koperasi.Filter
		want []string
	}{
		{"all live, registration order", koperasi.Filter{}, []string{maju.Nama, tani.Nama, kpri.Nama}},
		{"newest first", koperasi.Filter{Sort: "-created"}, []string{kpri.Nama, tani.Nama, maju.Nama}},
		{"archived too", koperasi.Filter{Arsip: true}, []string{maju.Nama, tani.Nama, kpri.Nama, gone.Nama}},
		{"jenis not yet set", koperasi.Filter{Jenis: koperasi.JenisBelum}, []string{maju.Nama}},
		{"jenis", koperasi.Filter{Jenis: "produsen"}, []string{tani.Nama}},
		{"kelompok", koperasi.Filter{Kelompok: "kpri"}, []string{kpri.Nama}},
		{"kecamatan", koperasi.Filter{Kecamatan: kecPancoranMas}, []string{maju.Nama, kpri.Nama}},
		{"kelurahan", koperasi.Filter{Kelurahan: kelDepokJaya}, []string{kpri.Nama}},
		{"health predicate", koperasi.Filter{Predikat: "sehat"}, []string{tani.Nama}},
		{"pilot", koperasi.Filter{Pilot: &yes}, []string{maju.Nama}},
		{"not pilot", koperasi.Filter{Pilot: &no}, []string{tani.Nama, kpri.Nama}},
		{"inactive", koperasi.Filter{Aktif: &no}, []string{kpri.Nama}},
		{"filters combine", koperasi.Filter{Kecamatan: kecPancoranMas, Aktif: &yes}, []string{maju.Nama}},
		{"search with a typo", koperasi.Filter{Q: "sejahtra"}, []string{kpri.Nama}},
		{"search two words", koperasi.Filter{Q: "tani makmur"}, []string{tani.Nama}},
		{"search finds nothing", koperasi.Filter{Q: "nelayan"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ids(c.f); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}

	// Keyset pages: one by one, with and without search, nothing lost or repeated.
	for _, f := range []koperasi.Filter{{}, {Q: "koperasi ksu kpri"}, {Sort: "-created"}} {
		var got []string
		f.Limit = 1
		for range 10 {
			page, err := b.svc.List(ctx, b.depok, f, koperasi.View{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				got = append(got, r.Nama)
			}
			if f.Cursor = page.NextCursor; f.Cursor == "" {
				break
			}
		}
		f.Limit, f.Cursor = 50, ""
		if want := ids(f); !slices.Equal(got, want) {
			t.Errorf("%+v: pages %q, one page %q", f, got, want)
		}
	}

	for _, f := range []koperasi.Filter{{Jenis: "ksu"}, {Kelompok: "bank"}, {Cursor: "bukan-cursor"}} {
		f.Limit = 10
		if _, err := b.svc.List(ctx, b.depok, f, koperasi.View{}); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	page, _ := b.svc.List(ctx, b.depok, koperasi.Filter{Pilot: &yes, Limit: 5}, koperasi.View{PII: true})
	if len(page.Items) != 1 || page.Items[0].Alamat == nil {
		t.Errorf("address hidden from a PII reader: %+v", page.Items)
	}
}

// TestSearchedExportHasEveryMatch: an export filtered by a name search
// writes every match, not the ranked candidates of a search page.
func TestSearchedExportHasEveryMatch(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	if err := b.svc.Seed(ctx, b.depok, 3000, 5, koperasi.GenOptions{}); err != nil {
		t.Fatal(err)
	}
	var proved bool
	for _, q := range []string{"koperasi", "sejahtera", "makmur"} {
		var want int
		err := b.env.DB.InTenantTx(ctx, b.depok.ID, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, db.TrigramSearch); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "select count(*) from koperasi where $1 <% cari and archived_at is null", q).Scan(&want)
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q: %d matches", q, want)
		if want <= koperasi.SearchCandidates {
			continue
		}
		proved = true
		got, err := b.svc.ExportRows(ctx, b.depok, koperasi.ExportParams{Format: "csv", Filter: koperasi.Filter{Q: q}})
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("export with q=%q: %d rows, want all %d matches", q, got, want)
		}
	}
	if !proved {
		t.Fatal("no query matched more than the candidate bound: the test proves nothing")
	}
}
