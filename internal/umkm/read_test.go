package umkm_test

import (
	"context"
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/umkm"
)

// TestReadsCarryTheirDocuments checks every way a record is read with its
// documents (by id, inside a write, and for an import's updates): all of
// them, every field, in kind order whatever the order they were given in;
// none for a record without; and out of area is not found.
func TestReadsCarryTheirDocuments(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	depok := b.tenants["depok"]
	s := func(v string) *string { return &v }

	in := kdInput("Kue Basah Bu Rina", "Rina Marlina", kecPancoran, kelDepok)
	in.NIB = s("2222222222222")
	in.Legalitas = []umkm.LegalInput{
		{Jenis: umkm.LegalPIRT, Nomor: s("206327601234528"), Status: umkm.StatusTerbit, BerlakuSampai: s("2029-03-31")},
		{Jenis: umkm.LegalHalal, Nomor: s("ID32110000123450224"), Status: umkm.StatusTerbit},
		{Jenis: umkm.LegalNIB, Nomor: s("2222222222222"), Status: umkm.StatusTerbit},
		{Jenis: umkm.LegalSNI, Status: umkm.StatusDalamProses},
	}
	rec := kdRecord(t, b, "depok", in)
	bare := kdRecord(t, b, "depok", kdInput("Bakso Pak Joko", "Joko Susilo", kecPancoran, kelDepok))

	check := func(how string, got umkm.Record) {
		t.Helper()
		want := []struct{ jenis, nomor, status, sampai string }{
			{"halal", "ID32110000123450224", "terbit", ""},
			{"nib", "2222222222222", "terbit", ""},
			{"pirt", "206327601234528", "terbit", "2029-03-31"},
			{"sni", "", "dalam_proses", ""},
		}
		if len(got.Legalitas) != len(want) {
			t.Fatalf("%s: %d documents, want %d: %+v", how, len(got.Legalitas), len(want), got.Legalitas)
		}
		for i, w := range want {
			l := got.Legalitas[i]
			var nomor, sampai string
			if l.Nomor != nil {
				nomor = *l.Nomor
			}
			if l.BerlakuSampai != nil {
				sampai = l.BerlakuSampai.Format(time.DateOnly)
			}
			if l.Jenis != w.jenis || nomor != w.nomor || l.Status != w.status || sampai != w.sampai {
				t.Errorf("%s: document %d = %s %q %s %q, want %+v", how, i, l.Jenis, nomor, l.Status, sampai, w)
			}
		}
	}

	got, err := b.svc.Get(ctx, depok, rec.ID, umkm.Scope{}, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	check("get", got)
	if got, err := b.svc.Get(ctx, depok, bare.ID, umkm.Scope{}, umkm.View{}); err != nil || len(got.Legalitas) != 0 {
		t.Errorf("a record without documents: %+v, %v", got.Legalitas, err)
	}

	// An update that leaves the documents alone reads them under its lock.
	in.Produk = s("kue lapis, kue lumpur")
	in.Legalitas = nil
	updated, err := b.svc.Update(ctx, depok, rec.ID, got.Version, in, umkm.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	check("update", updated)

	// An import row naming the record's NIB is an update of it.
	file := "nama_usaha,nama_pemilik,sektor,kecamatan,kelurahan,nib,produk\n" +
		"Kue Basah Bu Rina,Rina Marlina,kuliner," + kecPancoran + "," + kelDepok + ",2222222222222,kue lapis\n"
	res, err := importFile(t, b, "depok", []byte(file), umkm.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Diperbarui != 1 {
		t.Fatalf("import: %+v %s", res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
	}
	got, err = b.svc.Get(ctx, depok, rec.ID, umkm.Scope{}, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	check("after import", got)

	// A petugas of another kecamatan does not find it, documents or not.
	_, err = b.svc.Get(ctx, depok, rec.ID, umkm.Scope{Wilayah: []string{kecCimanggis}}, umkm.View{})
	if apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("out of area: %v, want not found", err)
	}
	// Nor does another tenant.
	if _, err := b.svc.Get(ctx, b.tenants["medan"], rec.ID, umkm.Scope{}, umkm.View{}); apperr.KindOf(err) != apperr.KindNotFound {
		t.Errorf("another tenant: %v, want not found", err)
	}
}
