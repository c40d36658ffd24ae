package umkm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/umkm"
)

func importFile(t *testing.T, b *bundle, slug string, file []byte, opt umkm.ImportOptions) (umkm.ImportResult, error) {
	t.Helper()
	return b.svc.Import(context.Background(), b.tenants[slug], file, opt)
}

func count(t *testing.T, b *bundle, slug, sql string, args ...any) int {
	t.Helper()
	var n int
	err := b.env.DB.InTenantTx(context.Background(), b.tenants[slug].ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), sql, args...).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// generatedCSV is an import file of n generated businesses of tenant slug.
func generatedCSV(t *testing.T, b *bundle, slug string, seed uint64, n int) []byte {
	t.Helper()
	g, err := b.svc.GeneratorFor(context.Background(), b.tenants[slug], b.codes[slug], seed)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := g.WriteCSV(&file, n); err != nil {
		t.Fatal(err)
	}
	return file.Bytes()
}

func TestImportGeneratedFile(t *testing.T) {
	b := setup(t)
	file := generatedCSV(t, b, "depok", 7, 3000)
	start := time.Now()
	res, err := importFile(t, b, "depok", file, umkm.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("3000 rows in %v: %+v", time.Since(start), res.Summary)
	if res.Summary.Baru != 3000 || !res.Summary.Ditulis {
		t.Fatalf("summary %+v, problems %s", res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
	}
	if n := count(t, b, "depok", "select count(*) from umkm"); n != 3000 {
		t.Fatalf("%d records after import, want 3000", n)
	}
	// The same file again: every row matches its record and nothing changes.
	res, err = importFile(t, b, "depok", file, umkm.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Sama != 3000 {
		t.Fatalf("re-import: %+v %s", res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
	}
	if n := count(t, b, "depok", "select count(*) from umkm"); n != 3000 {
		t.Fatalf("%d records after re-import, want 3000", n)
	}
	if n := count(t, b, "medan", "select count(*) from umkm"); n != 0 {
		t.Fatalf("medan sees %d of depok's records", n)
	}
}

func TestImportReportsEveryRow(t *testing.T) {
	b := setup(t)
	header := "Nama Pemilik,NIK,Nama Usaha,Sektor,Kecamatan (kode atau nama),Kelurahan/Desa (kode atau nama),Omzet per Tahun (Rp),Karyawan Perempuan\n"
	rows := []string{
		"Siti Aminah,3276014507850001,Keripik Bu Siti,kuliner,32.76.01,32.76.01.1006,Rp 180 jt,3", // 2 baru
		"Budi Santoso,3.27601E+15,Bakso Pak Budi,kuliner,32.76.01,32.76.01.1006,1.500.000,2",      // 3 NIK mangled
		"Rina,3276014507850001,Kue Rina,kuliner,Pancoran Mas,Depok,,",                             // 4 duplicate NIK of row 2
		"Dewi,,Batik Dewi,fashion,pancoran  mas,DEPOK JAYA,2 M,1",                                 // 5 names, case-folded
		"Andi,,Servis Andi,jasa,Pancoran Mass,Depok,,",                                            // 6 near miss: suggestion
		"Joko,,Warung Joko,kuliner,32.76.01,32.15.01.1001,,",                                      // 7 kelurahan of another city
		"Yuli,,Toko Yuli,perdagangan,32.76.01,32.76.01.1006,-5000,",                               // 8 negative money
		"Eka,,=HYPERLINK(\"http://x\"),kuliner,32.76.01,32.76.01.1006,,",                          // 9 formula
		"Ani,,Salon Ani,kecantikan_x,32.76.01,32.76.01.1006,,",                                    // 10 unknown sector
	}
	res, err := importFile(t, b, "depok", []byte(header+strings.Join(rows, "\n")), umkm.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Baris != 9 || s.Baru != 2 || s.Duplikat != 1 || s.TidakValid != 6 || s.Baru+s.Diperbarui+s.Sama+s.Duplikat+s.TidakValid != s.Baris {
		t.Fatalf("summary %+v\n%s", s, umkm.ProblemsJSON(res.Problems, "en"))
	}
	report := string(res.Report)
	for _, want := range []string{"notasi ilmiah", "NIK sama dengan baris 2", "Mungkin maksud Anda: Pancoran Mas (32.76.01)?", "rumus", "negatif", "Sektor tidak dikenal", "tidak dikenal di Kecamatan Pancoran Mas"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "3276014507850001") {
		t.Error("the report carries a full NIK")
	}
}

func TestImportStrictAndDryRunWriteNothing(t *testing.T) {
	b := setup(t)
	file := []byte("Nama Pemilik,Nama Usaha,Sektor,Kecamatan (kode atau nama),Kelurahan/Desa (kode atau nama)\n" +
		"Siti,Keripik Siti,kuliner,32.76.01,32.76.01.1006\nBudi,Bakso Budi,kuliner,32.76.99,32.76.01.1006\n")
	for _, opt := range []umkm.ImportOptions{{DryRun: true}, {Strict: true}} {
		res, err := importFile(t, b, "depok", file, opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Summary.Ditulis || res.Summary.Baru != 1 || res.Summary.TidakValid != 1 {
			t.Fatalf("%+v: summary %+v", opt, res.Summary)
		}
		if n := count(t, b, "depok", "select count(*) from umkm"); n != 0 {
			t.Fatalf("%+v wrote %d records", opt, n)
		}
	}
}

func TestImportRefusesWrongFiles(t *testing.T) {
	for name, file := range map[string][]byte{
		"binary":        {0x00, 0x01, 0x02, 0xff},
		"empty":         {},
		"wrong headers": []byte("name,id\nx,y\n"),
		"missing col":   []byte("Nama Pemilik,Nama Usaha\nx,y\n"),
		"fake xlsx":     []byte("PK\x03\x04 not really a zip"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := umkm.CheckHeader(file)
			if apperr.KindOf(err) != apperr.KindInvalid {
				t.Fatalf("CheckHeader(%s) = %v, want invalid input", name, err)
			}
		})
	}
}

// TestImportResumesAfterACrash stops an import once its first chunk has
// committed (as a killed worker would), runs it again for the same job and
// expects every row exactly once, and a report covering all of them.
func TestImportResumesAfterACrash(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	tt := b.tenants["depok"]
	rows := 2*umkm.ChunkRows + umkm.ChunkRows/2
	file := generatedCSV(t, b, "depok", 11, rows)
	var (
		job pekerjaan.Job
		err error
	)
	if err := b.env.DB.InTenantTx(ctx, tt.ID, func(tx pgx.Tx) error {
		job, err = pekerjaan.Create(ctx, tx, tt.ID, "impor_umkm", map[string]any{}, nil, uuid.Nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	crashCtx, crash := context.WithCancel(ctx)
	go func() { // the "kill": as soon as one chunk is committed
		for crashCtx.Err() == nil {
			if count(t, b, "depok", "select count(*) from impor_chunk") >= 1 {
				crash()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, err = b.svc.Import(crashCtx, tt, file, umkm.ImportOptions{Job: job.ID})
	crash()
	if err == nil {
		t.Fatal("the interrupted import finished anyway; the test did not interrupt it")
	}
	committed := count(t, b, "depok", "select count(*) from umkm")
	if committed == 0 || committed >= rows {
		t.Fatalf("after the crash %d records, want a committed chunk and no more", committed)
	}

	res, err := b.svc.Import(ctx, tt, file, umkm.ImportOptions{Job: job.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, b, "depok", "select count(*) from umkm"); n != rows {
		t.Fatalf("%d records after resuming, want %d (no gaps, no duplicates)", n, rows)
	}
	if res.Summary.Baris != rows || res.Summary.Baru != rows {
		t.Fatalf("report after resume: %+v", res.Summary)
	}
	if lines := strings.Count(string(res.Report), "\n"); lines != rows+1 {
		t.Fatalf("report has %d lines, want %d", lines, rows+1)
	}
}

// TestImportResumesChunksCutElsewhere resumes a job whose committed chunk
// was cut where this release would not cut one (an earlier release used
// other chunk sizes): the rows it covers are not written again, whatever
// the boundaries, and the report still has every row once.
func TestImportResumesChunksCutElsewhere(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	tt := b.tenants["depok"]
	const rows, committedLast = 3000, 1700 // rows 2..1700 committed
	file := generatedCSV(t, b, "depok", 12, rows)
	// The committed chunk as an earlier run left it: its results, and
	// (standing in for its records) no records, so a row written again
	// would show as a record.
	var done []umkm.RowResult
	for r := 2; r <= committedLast; r++ {
		id := uuid.Must(uuid.NewV7())
		done = append(done, umkm.RowResult{Baris: r, Hasil: umkm.HasilBaru, UMKMID: &id})
	}
	hasil, err := json.Marshal(done)
	if err != nil {
		t.Fatal(err)
	}
	var job pekerjaan.Job
	if err := b.env.DB.InTenantTx(ctx, tt.ID, func(tx pgx.Tx) error {
		if job, err = pekerjaan.Create(ctx, tx, tt.ID, "impor_umkm", map[string]any{}, nil, uuid.Nil); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "insert into impor_chunk (tenant_id, pekerjaan_id, baris_akhir, hasil) values ($1, $2, $3, $4)",
			tt.ID, job.ID, committedLast, hasil)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	res, err := b.svc.Import(ctx, tt, file, umkm.ImportOptions{Job: job.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n, want := count(t, b, "depok", "select count(*) from umkm"), rows+1-committedLast; n != want {
		t.Fatalf("%d records written on resume, want %d (the rows after the committed chunk)", n, want)
	}
	if res.Summary.Baris != rows || res.Summary.Baru != rows {
		t.Fatalf("report after resume: %+v", res.Summary)
	}
}

// TestImportRefusesRowsTheDatabaseWouldRefuse: a cell the database would
// refuse (coordinates "NaN", which every range comparison lets through; a
// produk longer than the form allows) is an invalid row in the report, not
// a failed chunk after earlier ones were written.
func TestImportRefusesRowsTheDatabaseWouldRefuse(t *testing.T) {
	b := setup(t)
	var sb strings.Builder
	sb.WriteString("nama_pemilik,nama_usaha,sektor,kecamatan,kelurahan,latitude,longitude,produk\n")
	for i := range 1500 { // past the first chunk
		fmt.Fprintf(&sb, "Pemilik %d,Usaha %d,kuliner,32.76.01,32.76.01.1006,,,\n", i, i)
	}
	sb.WriteString("Siti,Warung NaN,kuliner,32.76.01,32.76.01.1006,NaN,NaN,\n")
	sb.WriteString("Ani,Warung Panjang,kuliner,32.76.01,32.76.01.1006,,," + strings.Repeat("x", 1001) + "\n")
	for _, opt := range []umkm.ImportOptions{{DryRun: true}, {}} {
		res, err := importFile(t, b, "depok", []byte(sb.String()), opt)
		if err != nil {
			t.Fatalf("dry run %v: %v", opt.DryRun, err)
		}
		if res.Summary.TidakValid != 2 || res.Summary.Baru != 1500 {
			t.Fatalf("dry run %v: %+v %s", opt.DryRun, res.Summary, umkm.ProblemsJSON(res.Problems, "en"))
		}
		report := string(res.Report)
		if !strings.Contains(report, "latitude") || !strings.Contains(report, "produk") {
			t.Errorf("dry run %v: the report does not name latitude and produk:\n%s", opt.DryRun, report[strings.LastIndex(report[:len(report)-1], "\n"):])
		}
	}
}
