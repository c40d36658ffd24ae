package umkm_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/umkm"
)

// importDuringChange runs change in a staff transaction of depok, imports
// file while that transaction is still open, waits until the import waits
// for it, commits it and returns the import's result.
func importDuringChange(t *testing.T, b *bundle, file string, change func(tx pgx.Tx)) umkm.ImportResult {
	t.Helper()
	ctx := context.Background()
	depok := b.tenants["depok"]
	staff, err := b.env.DB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer staff.Rollback(ctx)
	if err := db.SetTenant(ctx, staff, depok.ID); err != nil {
		t.Fatal(err)
	}
	change(staff)

	type outcome struct {
		res umkm.ImportResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := b.svc.Import(ctx, depok, []byte(file), umkm.ImportOptions{})
		done <- outcome{res, err}
	}()
	b.env.AwaitLockWaits(t, 1, nil)
	if err := staff.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	return o.res
}

func exec(t *testing.T, tx pgx.Tx, sql string, args ...any) {
	t.Helper()
	if _, err := tx.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// TestImportDoesNotOverwriteAChangeMadeMeanwhile holds a staff change to a
// record open while an import updates the same record: the import waits
// for it and keeps it, instead of writing back what it read before.
func TestImportDoesNotOverwriteAChangeMadeMeanwhile(t *testing.T) {
	b := setup(t)
	s := func(v string) *string { return &v }
	in := kdInput("Kue Basah Bu Rina", "Rina Marlina", kecPancoran, kelDepok)
	in.NIB, in.Produk = s("2222222222222"), s("kue lapis")
	rec := kdRecord(t, b, "depok", in)

	file := "nama_usaha,nama_pemilik,sektor,kecamatan,kelurahan,nib,karyawan_laki\n" +
		"Kue Basah Bu Rina,Rina Marlina,kuliner," + kecPancoran + "," + kelDepok + ",2222222222222,3\n"
	res := importDuringChange(t, b, file, func(tx pgx.Tx) {
		exec(t, tx, "update umkm set produk = 'kue lumpur', version = version + 1 where id = $1", rec.ID)
	})
	if res.Summary.Diperbarui != 1 {
		t.Fatalf("import: %+v %s", res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
	}
	got := kdGet(t, b, rec.ID)
	if got.Produk == nil || *got.Produk != "kue lumpur" {
		t.Errorf("produk %v, want the staff's \"kue lumpur\"", deref(got.Produk))
	}
	if got.KaryawanLaki == nil || *got.KaryawanLaki != 3 {
		t.Errorf("karyawan_laki %v, want the file's 3", deref(got.KaryawanLaki))
	}
}

// TestImportFollowsAMergeMadeMeanwhile merges the record an import row
// matches by NIB into another while the import waits for it: the row
// updates the record that now holds the NIB, never the archived one.
func TestImportFollowsAMergeMadeMeanwhile(t *testing.T) {
	b := setup(t)
	s := func(v string) *string { return &v }
	dup := kdInput("Kue Basah Bu Rina", "Rina Marlina", kecPancoran, kelDepok)
	dup.NIB = s("2222222222222")
	src := kdRecord(t, b, "depok", dup)
	surv := kdRecord(t, b, "depok", kdInput("Kue Basah Rina", "Rina Marlina", kecPancoran, kelDepok))

	file := "nama_usaha,nama_pemilik,sektor,kecamatan,kelurahan,nib,karyawan_laki\n" +
		"Kue Basah Bu Rina,Rina Marlina,kuliner," + kecPancoran + "," + kelDepok + ",2222222222222,7\n"
	res := importDuringChange(t, b, file, func(tx pgx.Tx) {
		// What a merge does to the two records (gabung.go).
		exec(t, tx, "update umkm set nib = null, archived_at = now(), merged_into = $2, version = version + 1 where id = $1", src.ID, surv.ID)
		exec(t, tx, "update umkm set nib = '2222222222222', version = version + 1 where id = $1", surv.ID)
	})
	if res.Summary.Diperbarui != 1 || len(res.Problems) != 0 {
		t.Fatalf("import: %+v %s", res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
	}
	if got := kdGet(t, b, surv.ID); got.KaryawanLaki == nil || *got.KaryawanLaki != 7 {
		t.Errorf("survivor's karyawan_laki %v, want the file's 7", deref(got.KaryawanLaki))
	}
	if got := kdGet(t, b, src.ID); got.KaryawanLaki != nil {
		t.Errorf("the archived record was written: karyawan_laki %v", *got.KaryawanLaki)
	}
}

func kdGet(t *testing.T, b *bundle, id uuid.UUID) umkm.Record {
	t.Helper()
	rec, err := b.svc.Get(context.Background(), b.tenants["depok"], id, umkm.Scope{}, umkm.View{})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestImportMatchesARecordRegisteredMeanwhile registers a business with a
// NIK or NIB while an import of a row with the same key runs: the import
// began without it, so it did not probe the row; the unique index stops
// its insert, and the chunk is written again with every row probed. The
// chunk's other rows, one new and one of a record the register had, keep
// their own results.
func TestImportMatchesARecordRegisteredMeanwhile(t *testing.T) {
	for _, key := range []struct{ column, value string }{{"nik", "3276014507850001"}, {"nib", "2222222222222"}} {
		t.Run(key.column, func(t *testing.T) {
			b := setup(t)
			s := func(v string) *string { return &v }
			known := kdInput("Bakso Pak Joko", "Joko Susilo", kecPancoran, kelDepok)
			known.NIB = s("3333333333333")
			had := kdRecord(t, b, "depok", known)

			in := kdInput("Kue Basah Bu Rina", "Rina Marlina", kecPancoran, kelDepok)
			if key.column == "nik" {
				in.NIK = &key.value
			} else {
				in.NIB = &key.value
			}
			nib, nik := "", ""
			if key.column == "nik" {
				nik = key.value
			} else {
				nib = key.value
			}
			file := "nama_usaha,nama_pemilik,sektor,kecamatan,kelurahan,nib,nik,karyawan_laki\n" +
				"Salon Ayu,Ayu Lestari,jasa," + kecPancoran + "," + kelDepok + ",,,1\n" +
				"Bakso Pak Joko,Joko Susilo,kuliner," + kecPancoran + "," + kelDepok + ",3333333333333,,5\n" +
				"Kue Basah Bu Rina,Rina Marlina,kuliner," + kecPancoran + "," + kelDepok + "," + nib + "," + nik + ",4\n"
			var rec umkm.Record
			res := importDuringChange(t, b, file, func(tx pgx.Tx) {
				var err error
				if rec, err = b.svc.CreateTx(context.Background(), tx, b.tenants["depok"], in, umkm.SourceStaf, umkm.Scope{}); err != nil {
					t.Fatal(err)
				}
			})
			if res.Summary.Baru != 1 || res.Summary.Diperbarui != 2 || len(res.Problems) != 0 {
				t.Fatalf("import: %+v %s", res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
			}
			if got := kdGet(t, b, rec.ID); got.KaryawanLaki == nil || *got.KaryawanLaki != 4 {
				t.Errorf("karyawan_laki %v, want the file's 4", deref(got.KaryawanLaki))
			}
			if got := kdGet(t, b, had.ID); got.KaryawanLaki == nil || *got.KaryawanLaki != 5 {
				t.Errorf("the known record's karyawan_laki %v, want the file's 5", deref(got.KaryawanLaki))
			}
		})
	}
}
