package koperasi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/koperasi"
)

func porsi(tahun int, shares ...any) koperasi.KomposisiInput {
	in := koperasi.KomposisiInput{Tahun: tahun}
	for i := 0; i+1 < len(shares); i += 2 {
		in.Porsi = append(in.Porsi, koperasi.PorsiUnit{UnitID: shares[i].(uuid.UUID), Persen: shares[i+1].(float64)})
	}
	return in
}

// TestKomposisiAddsUpOrIsRefused: a year's composition is written whole or
// not at all; the shares add up to exactly 100, name only active units of
// this cooperative, each once.
func TestKomposisiAddsUpOrIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	k := b.create(t, b.depok, input("KSU Komposisi", kelDepok))
	toko, _, err := b.addUnit(b.depok, k.ID, koperasi.UnitInput{JenisUnit: "toko"})
	if err != nil {
		t.Fatal(err)
	}
	usp, _, err := b.addUnit(b.depok, k.ID, koperasi.UnitInput{JenisUnit: "simpan_pinjam", PolaSimpanPinjam: ptr("close_loop")})
	if err != nil {
		t.Fatal(err)
	}
	tutup, v, err := b.addUnit(b.depok, k.ID, koperasi.UnitInput{JenisUnit: "klinik", Aktif: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	other := b.create(t, b.depok, input("Koperasi Tetangga", kelDepok))
	lain, _, err := b.addUnit(b.depok, other.ID, koperasi.UnitInput{JenisUnit: "toko"})
	if err != nil {
		t.Fatal(err)
	}
	medanKop := b.create(t, b.medan, input("Koperasi Medan", kelMedanPasar))
	medanUnit, _, err := b.addUnit(b.medan, medanKop.ID, koperasi.UnitInput{JenisUnit: "toko"})
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name, field, sum string
		in               koperasi.KomposisiInput
	}{
		{"adds up to 90", "body.porsi", "90%", porsi(2024, toko.ID, 50.0, usp.ID, 40.0)},
		{"adds up to 100.01", "body.porsi", "100,01%", porsi(2024, toko.ID, 60.01, usp.ID, 40.0)},
		{"adds up to 99.99 in thirds", "body.porsi", "99,99%", porsi(2024, toko.ID, 33.33, usp.ID, 66.66)},
		{"three decimals", "body.porsi[0].persen", "", porsi(2024, toko.ID, 59.995, usp.ID, 40.005)},
		{"negative share", "body.porsi[1].persen", "", porsi(2024, toko.ID, 110.0, usp.ID, -10.0)},
		{"unit twice", "body.porsi[1].unit_id", "", porsi(2024, toko.ID, 50.0, toko.ID, 50.0)},
		{"unit of another cooperative", "body.porsi[1].unit_id", "", porsi(2024, toko.ID, 50.0, lain.ID, 50.0)},
		{"unit of another tenant", "body.porsi[1].unit_id", "", porsi(2024, toko.ID, 50.0, medanUnit.ID, 50.0)},
		{"unknown unit", "body.porsi[1].unit_id", "", porsi(2024, toko.ID, 50.0, uuid.New(), 50.0)},
		{"inactive unit", "body.porsi[1].unit_id", "", porsi(2024, toko.ID, 50.0, tutup.ID, 50.0)},
		{"future year", "body.tahun", "", porsi(2027, toko.ID, 100.0)},
		{"no share at all", "body.porsi", "", porsi(2024)},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := b.svc.PutKomposisi(ctx, b.depok, k.ID, v, c.in)
			wantField(t, err, c.field)
			if c.sum != "" {
				ae, _ := apperr.As(err)
				if msg := ae.Fields[0].Message.ID; !strings.Contains(msg, "berjumlah "+c.sum) {
					t.Errorf("message %q does not say the sum %s", msg, c.sum)
				}
			}
		})
	}
	// Refused answers of another cooperative's, another tenant's and an
	// unknown unit are the same: nothing tells whether it exists elsewhere.
	var msgs []apperr.Text
	for _, id := range []uuid.UUID{lain.ID, medanUnit.ID, uuid.New()} {
		_, _, err := b.svc.PutKomposisi(ctx, b.depok, k.ID, v, porsi(2024, id, 100.0))
		ae := wantKind(t, err, apperr.KindInvalid)
		msgs = append(msgs, ae.Fields[0].Message)
	}
	if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
		t.Errorf("answers differ for units elsewhere: %+v", msgs)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_unit_porsi"); n != 0 {
		t.Errorf("%d shares written by refused input", n)
	}
	if d, _ := b.svc.Get(ctx, b.depok, k.ID); d.Version != v {
		t.Errorf("version %d after refusals, want %d", d.Version, v)
	}

	// Another tenant's cooperative is not found; a stale version fails.
	if _, _, err := b.svc.PutKomposisi(ctx, b.medan, k.ID, v, porsi(2024, toko.ID, 100.0)); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("depok's cooperative as medan: %v", err)
	}
	if _, _, err := b.svc.PutKomposisi(ctx, b.depok, k.ID, v-1, porsi(2024, toko.ID, 100.0)); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Errorf("stale version: %v", err)
	}

	got, v2, err := b.svc.PutKomposisi(ctx, b.depok, k.ID, v, porsi(2024, toko.ID, 60.0, usp.ID, 40.0))
	if err != nil || v2 != v+1 || got.Tahun != 2024 || len(got.Porsi) != 2 || got.Porsi[0] != (koperasi.PorsiUnit{UnitID: toko.ID, Persen: 60}) {
		t.Fatalf("put: %+v, version %d, %v", got, v2, err)
	}
	// Thirds in hundredths add up exactly, and a year is replaced whole.
	got, v3, err := b.svc.PutKomposisi(ctx, b.depok, k.ID, v2, porsi(2024, usp.ID, 33.34, toko.ID, 66.66))
	if err != nil || v3 != v2+1 || len(got.Porsi) != 2 || got.Porsi[0].Persen != 66.66 || got.Porsi[1].Persen != 33.34 {
		t.Fatalf("replace: %+v, %d, %v", got, v3, err)
	}
	if _, v3, err = b.svc.PutKomposisi(ctx, b.depok, k.ID, v3, porsi(2023, toko.ID, 100.0)); err != nil {
		t.Fatal(err)
	}
	d, err := b.svc.Get(ctx, b.depok, k.ID)
	if err != nil || d.Version != v3 || len(d.Komposisi) != 2 || d.Komposisi[0].Tahun != 2024 || d.Komposisi[1].Tahun != 2023 {
		t.Fatalf("detail: %+v, %v", d.Komposisi, err)
	}
	if n := b.count(t, b.depok, "select count(*) from audit_log where entity = 'koperasi_komposisi'"); n != 3 {
		t.Errorf("%d composition audit rows, want 3", n)
	}
	if n := b.count(t, b.depok, "select count(*) from audit_log where entity = 'koperasi_komposisi' and action = 'update' and before is not null"); n != 1 {
		t.Errorf("%d audited replacements with the earlier composition, want 1", n)
	}

	// Removing a year: If-Match, the other year stays; a year without one
	// is not found.
	if _, err := b.svc.DeleteKomposisi(ctx, b.depok, k.ID, 2023, v3-1); apperr.KindOf(err) != apperr.KindPreconditionFailed {
		t.Errorf("stale delete: %v", err)
	}
	v4, err := b.svc.DeleteKomposisi(ctx, b.depok, k.ID, 2023, v3)
	if err != nil || v4 != v3+1 {
		t.Fatalf("delete: %d, %v", v4, err)
	}
	if _, err := b.svc.DeleteKomposisi(ctx, b.depok, k.ID, 2023, v4); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("delete again: %v", err)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_unit_porsi"); n != 2 {
		t.Errorf("%d shares after deleting 2023, want the 2 of 2024", n)
	}
	// Deleting a unit takes its shares with it.
	if _, err := b.svc.DeleteUnit(ctx, b.depok, k.ID, usp.ID, v4); err != nil {
		t.Fatal(err)
	}
	if n := b.count(t, b.depok, "select count(*) from koperasi_unit_porsi"); n != 1 {
		t.Errorf("%d shares after deleting a unit, want 1", n)
	}
}

// TestKampanyeWeighsByKomposisi: the campaign reads compositions with the
// units (readUnits) and records which source decided.
func TestKampanyeWeighsByKomposisi(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	mk := func(nama string, units ...koperasi.UnitInput) (uuid.UUID, []uuid.UUID, int64) {
		k := b.create(t, b.depok, input(nama, kelDepok))
		var ids []uuid.UUID
		v := k.Version
		for _, in := range units {
			u, nv, err := b.addUnit(b.depok, k.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			ids, v = append(ids, u.ID), nv
		}
		return k.ID, ids, v
	}
	put := func(id uuid.UUID, v int64, in koperasi.KomposisiInput) {
		if _, _, err := b.svc.PutKomposisi(ctx, b.depok, id, v, in); err != nil {
			t.Fatal(err)
		}
	}
	// Only a composition: toko 60%, simpan pinjam 40%.
	hanya, u1, v := mk("KSU Persen", koperasi.UnitInput{JenisUnit: "toko"},
		koperasi.UnitInput{JenisUnit: "simpan_pinjam", PolaSimpanPinjam: ptr("close_loop")})
	put(hanya, v, porsi(2025, u1[0], 60.0, u1[1], 40.0))
	// Volumes of 2025 win over the same year's composition.
	keduanya, u2, v := mk("KSU Rupiah", koperasi.UnitInput{JenisUnit: "toko", Volume: []koperasi.Volume{{Tahun: 2025, Volume: 100}}},
		koperasi.UnitInput{JenisUnit: "produksi", Volume: []koperasi.Volume{{Tahun: 2025, Volume: 900}}})
	put(keduanya, v, porsi(2025, u2[0], 90.0, u2[1], 10.0))

	k, _ := b.start(t, "depok")
	b.run(t, "depok", k.ID, 10)
	for _, c := range []struct {
		id     uuid.UUID
		jenis  string
		sumber koperasi.Sumber
		persen float64
	}{
		{hanya, "konsumen", koperasi.SumberKomposisi, 60},
		{keduanya, "produsen", koperasi.SumberVolume, 90},
	} {
		var (
			jenis string
			raw   []byte
			flag  bool
		)
		b.inTenant(t, "depok", func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `select jenis_usulan, porsi, flag_simpan_pinjam from reklasifikasi_usulan where koperasi_id = $1`, c.id).Scan(&jenis, &raw, &flag)
		})
		var p koperasi.Porsi
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		if jenis != c.jenis || p.Sumber != c.sumber || p.Tahun != 2025 || p.Jenis[koperasi.Jenis(c.jenis)].Persen != c.persen {
			t.Errorf("%s: proposed %s from %s %d (%s), want %s from %s 2025 at %v%%", c.id, jenis, p.Sumber, p.Tahun, raw, c.jenis, c.sumber, c.persen)
		}
		if c.sumber == koperasi.SumberKomposisi && (p.Total != 0 || !flag) {
			t.Errorf("composition: total %d, flag %v; want no rupiah total and the savings-and-loan flag", p.Total, flag)
		}
	}
}
