package umkm_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/kbli"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// TestTableMatchesEmbeddedList: migration 019's table holds exactly the list
// the service checks against, and the application may read it but not
// change it.
func TestTableMatchesEmbeddedList(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	want := map[string]kbli.Entry{}
	for _, e := range kbli.All() {
		want[e.Kode] = e
	}
	err := b.env.DB.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "select kode, judul, kategori, tingkat from kbli")
		if err != nil {
			return err
		}
		var e kbli.Entry
		n := 0
		_, err = pgx.ForEachRow(rows, []any{&e.Kode, &e.Judul, &e.Kategori, &e.Tingkat}, func() error {
			n++
			if w, ok := want[e.Kode]; !ok || w != e {
				t.Errorf("table row %+v; embedded %+v, %v", e, w, ok)
			}
			return nil
		})
		if n != len(want) {
			t.Errorf("%d rows in the table, %d in the embedded list", n, len(want))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = b.env.DB.InTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "update kbli set judul = 'x' where kode = '47111'")
		return err
	})
	if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "42501" {
		t.Errorf("the application changed kbli: %v", err)
	}
}

// create registers in as staff of tenant tt would, and returns the error.
func create(b *bundle, tt *tenancy.Tenant, in umkm.Input) (umkm.Record, error) {
	var rec umkm.Record
	err := b.env.DB.InTenantTx(context.Background(), tt.ID, func(tx pgx.Tx) error {
		var err error
		rec, err = b.svc.CreateTx(context.Background(), tx, tt, in, umkm.SourceStaf, umkm.Scope{})
		return err
	})
	return rec, err
}

// fieldMessage is the Indonesian message of the problem at location in an
// invalid-input error, "" if there is none.
func fieldMessage(err error, location string) string {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid {
		return ""
	}
	for _, f := range e.Fields {
		if f.Location == location {
			return f.Message.ID
		}
	}
	return ""
}

// TestKBLIIsAKBLI2020Code: a business's KBLI is a kelompok of KBLI 2020,
// and the record shows its title and category.
func TestKBLIIsAKBLI2020Code(t *testing.T) {
	b := setup(t)
	for _, c := range []struct {
		kbli, refusal string // refusal: part of the message; "" accepted
	}{
		{"47111", ""},
		{" 10710 ", ""},
		{"", ""},
		{"99999", "KBLI 99999 tidak ada dalam KBLI 2020."},
		{"96011", "KBLI 96011 tidak ada dalam KBLI 2020."}, // KBLI 2015's laundry
		{"93232", "KBLI 93232 tidak ada dalam KBLI 2020."}, // deleted by BPS's correction
		{"47", "47 adalah golongan pokok KBLI 2020 (Perdagangan Eceran, Bukan Mobil Dan Motor), bukan kode kegiatan usaha"},
		{"4711", "4711 adalah subgolongan KBLI 2020"},
		{"G", "G adalah kategori KBLI 2020"},
		{"1111", "Mungkin maksudnya 01111 (Pertanian Jagung)?"},
		{"4711a", "Kode KBLI 2020 harus 5 digit"},
	} {
		in := kdInput("Usaha "+c.kbli, "Pemilik", kecPancoran, kelDepok)
		in.KBLI = &c.kbli
		rec, err := create(b, b.tenants["depok"], in)
		if c.refusal != "" {
			if msg := fieldMessage(err, "body.kbli"); !strings.Contains(msg, c.refusal) {
				t.Errorf("KBLI %q: error %v, body.kbli %q; want %q", c.kbli, err, msg, c.refusal)
			}
			continue
		}
		if err != nil {
			t.Errorf("KBLI %q refused: %v", c.kbli, err)
			continue
		}
		kode := strings.TrimSpace(c.kbli)
		e, _ := kbli.Lookup(kode)
		switch {
		case kode == "" && (rec.KBLI != nil || rec.KBLIJudul != nil || rec.KBLIKategori != nil):
			t.Errorf("blank KBLI stored as %v %v %v", rec.KBLI, rec.KBLIJudul, rec.KBLIKategori)
		case kode != "" && (rec.KBLI == nil || *rec.KBLI != kode || rec.KBLIJudul == nil || *rec.KBLIJudul != e.Judul ||
			rec.KBLIKategori == nil || *rec.KBLIKategori != e.Kategori || rec.KBLIKategoriJudul == nil):
			t.Errorf("KBLI %q: record has %v %v %v %v", c.kbli, rec.KBLI, rec.KBLIJudul, rec.KBLIKategori, rec.KBLIKategoriJudul)
		}
	}
	// Read back, as the API shows it.
	in := kdInput("Warung Bu Ani", "Ani", kecPancoran, kelDepok)
	in.KBLI = ptr("47111")
	rec := kdRecord(t, b, "depok", in)
	got, err := b.svc.Get(context.Background(), b.tenants["depok"], rec.ID, umkm.Scope{}, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	if got.KBLIKategori == nil || *got.KBLIKategori != "G" || got.KBLIKategoriJudul == nil ||
		*got.KBLIKategoriJudul != "Perdagangan Besar Dan Eceran; Reparasi Dan Perawatan Mobil Dan Sepeda Motor" ||
		got.KBLIJudul == nil || !strings.HasPrefix(*got.KBLIJudul, "Perdagangan Eceran Berbagai Macam Barang") {
		t.Errorf("read back: kbli %v %v %v %v", got.KBLI, got.KBLIJudul, got.KBLIKategori, got.KBLIKategoriJudul)
	}
}

func ptr[T any](v T) *T { return &v }
