package luar_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/luar"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/program"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/tenant"
	"github.com/sentra-id/sentra/internal/tumpang"
	"github.com/sentra-id/sentra/internal/umkm"
	"github.com/sentra-id/sentra/tenants"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is a migrated database with the real tenants, the register and the
// programmes (which own the agencies), and the list service under test.
type world struct {
	env          *dbtest.Env
	reg          *umkm.Service
	prog         *program.Service
	svc          *luar.Service
	depok, medan *tenancy.Tenant
	baznas       uuid.UUID // Depok's
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{env: dbtest.New(t)}
	cfgs, err := tenant.Load(tenants.FS)
	if err != nil {
		t.Fatal(err)
	}
	store := &tenant.Store{DB: w.env.DB}
	if _, err := store.Sync(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	sealer, err := pii.NewSealer(make([]byte, pii.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	w.reg = &umkm.Service{DB: w.env.DB, Sealer: sealer, Logger: log, Now: time.Now}
	w.prog = &program.Service{DB: w.env.DB, Logger: log, Now: time.Now}
	w.svc = &luar.Service{DB: w.env.DB, Sealer: sealer, Logger: log, Now: time.Now, NIK: umkm.NormalizeNIK, NIB: umkm.NormalizeNIB,
		TempDir: t.TempDir()}
	depok, err := store.BySlug(ctx, "depok")
	if err != nil {
		t.Fatal(err)
	}
	medan, err := store.BySlug(ctx, "medan")
	if err != nil {
		t.Fatal(err)
	}
	w.depok, w.medan = depok.Scope(), medan.Scope()
	w.baznas = w.agensi(t, w.depok, "Baznas Kota Depok", "baznas")
	return w
}

func (w *world) tx(t *testing.T, tn *tenancy.Tenant, fn func(tx pgx.Tx) error) {
	t.Helper()
	if err := w.env.DB.InTenantTx(context.Background(), tn.ID, fn); err != nil {
		t.Fatal(err)
	}
}

func (w *world) agensi(t *testing.T, tn *tenancy.Tenant, nama, jenis string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	w.tx(t, tn, func(tx pgx.Tx) error {
		a, err := w.prog.CreateAgensiTx(context.Background(), tx, tn, program.AgensiInput{Nama: nama, Jenis: jenis})
		id = a.ID
		return err
	})
	return id
}

// usaha registers a business in Depok's kelurahan Depok (Pancoran Mas).
func (w *world) usaha(t *testing.T, in umkm.Input) uuid.UUID {
	t.Helper()
	in.Sektor, in.KecamatanKode, in.KelurahanKode = "kuliner", "32.76.01", "32.76.01.1006"
	var id uuid.UUID
	w.tx(t, w.depok, func(tx pgx.Tx) error {
		r, err := w.reg.CreateTx(context.Background(), tx, w.depok, in, "staf", umkm.Scope{})
		id = r.ID
		return err
	})
	return id
}

func (w *world) params(dry bool) luar.ImportParams {
	return luar.ImportParams{Nama: "baznas.csv", AgensiID: w.baznas, ProgramNama: "Pelatihan Zakat Produktif", Jenis: "pelatihan",
		Tahun: 2026, DryRun: dry}
}

func (w *world) stored(t *testing.T, tn *tenancy.Tenant) int {
	t.Helper()
	var n int
	w.tx(t, tn, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `select count(*) from partisipasi_luar`).Scan(&n)
	})
	return n
}

func ptr(s string) *string { return &s }

// list is an agency's list as agencies write it: their own headers, a
// title row, a kelurahan by name.
const list = "Daftar Peserta Pelatihan Baznas 2026\n" +
	"No. KTP;Nomor Induk Berusaha;Nama UMKM;Nama Peserta;Desa/Kelurahan;Status\n" +
	"3276014507850001;;;Siti Aminah;;lulus\n" + // row 3: by NIK
	";1234567890123;Warung Lain;Budi;;lulus\n" + // row 4: by NIB
	";;  keripik   BU ani ;ANI rahma;Depok;lulus\n" + // row 5: by name + owner + kelurahan
	";;Sablon Baru;Dodi;Depok Jaya;tidak lulus\n" + // row 6: nothing
	"12345;;;Salah NIK;;\n" + // row 7: invalid NIK
	"3276014507850001;;;Siti Aminah;;lulus\n" // row 8: repeats row 3

func TestImportMatchesByNIKNIBAndName(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	byNIK := w.usaha(t, umkm.Input{NamaUsaha: "Kue Siti", NamaPemilik: "Siti Aminah", NIK: ptr("3276014507850001")})
	byNIB := w.usaha(t, umkm.Input{NamaUsaha: "Warung Budi", NamaPemilik: "Budi Santoso", NIB: ptr("1234567890123")})
	byName := w.usaha(t, umkm.Input{NamaUsaha: "Keripik Bu Ani", NamaPemilik: "Ani Rahma"})

	dry, err := w.svc.Import(ctx, w.depok, []byte(list), w.params(true), uuid.Nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := luar.Summary{Baris: 6, NIK: 1, NIB: 1, Nama: 1, BelumCocok: 1, TidakValid: 1, Duplikat: 1}
	if dry.Summary != want {
		t.Fatalf("dry run summary %+v, want %+v", dry.Summary, want)
	}
	if n := w.stored(t, w.depok); n != 0 {
		t.Fatalf("a dry run stored %d rows", n)
	}
	got := map[int]luar.RowResult{}
	for _, r := range dry.Rows {
		got[r.Baris] = r
	}
	for baris, id := range map[int]uuid.UUID{3: byNIK, 4: byNIB, 5: byName} {
		if r := got[baris]; r.UMKMID == nil || *r.UMKMID != id {
			t.Errorf("row %d: %+v, want record %s", baris, r, id)
		}
	}
	if r := got[6]; r.Hasil != luar.HasilBelumCocok || !strings.Contains(r.Alasan, "tidak ada di register") {
		t.Errorf("row 6: %+v", r)
	}
	if r := got[7]; r.Hasil != luar.HasilTidakValid || !strings.Contains(r.Alasan, "NIK harus 16 digit") {
		t.Errorf("row 7: %+v", r)
	}
	if r := got[8]; r.Hasil != luar.HasilDuplikat || r.Alasan != "Sama dengan baris 3." {
		t.Errorf("row 8: %+v", r)
	}
	if !strings.Contains(string(dry.Report), "6,belum_cocok,,,") || dry.File.HeaderRow != 2 {
		t.Errorf("report %q, header row %d", dry.Report, dry.File.HeaderRow)
	}

	res, err := w.svc.Import(ctx, w.depok, []byte(list), w.params(false), uuid.Nil, nil)
	if err != nil || !res.Summary.Ditulis || res.Summary.SudahAda != 0 {
		t.Fatalf("real run: %+v %v", res.Summary, err)
	}
	if n := w.stored(t, w.depok); n != 4 {
		t.Fatalf("stored %d rows, want 3 matched + 1 unmatched", n)
	}
	unmatched, err := w.svc.List(ctx, w.depok, luar.Filter{Status: luar.BelumCocok}, luar.View{})
	if err != nil || len(unmatched.Items) != 1 {
		t.Fatalf("unmatched: %+v %v", unmatched, err)
	}
	u := unmatched.Items[0]
	if *u.NamaUsaha != "Sablon Baru" || *u.KelurahanKode != "32.76.01.1007" || *u.KecamatanKode != "32.76.01" || *u.Keterangan != "tidak lulus" ||
		*u.NamaPemilik == "Dodi" {
		t.Errorf("unmatched row as listed (owner masked without read-pii): %+v", u)
	}
	// Nothing was registered by the import.
	var records int
	w.tx(t, w.depok, func(tx pgx.Tx) error { return tx.QueryRow(ctx, `select count(*) from umkm`).Scan(&records) })
	if records != 3 {
		t.Errorf("the register has %d records, want the 3 registered by hand", records)
	}

	// The same file again adds nothing; once the business is registered,
	// its row is linked.
	sablon := w.usaha(t, umkm.Input{NamaUsaha: "Sablon Baru", NamaPemilik: "Dodi"})
	w.tx(t, w.depok, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update umkm set kelurahan_kode = '32.76.01.1007' where id = $1`, sablon)
		return err
	})
	again, err := w.svc.Import(ctx, w.depok, []byte(list), w.params(false), uuid.Nil, nil)
	if err != nil || again.Summary.SudahAda != 4 || again.Summary.Nama != 2 {
		t.Fatalf("re-import: %+v %v", again.Summary, err)
	}
	if n := w.stored(t, w.depok); n != 4 {
		t.Fatalf("re-import: %d rows stored, want still 4", n)
	}
	linked, err := w.svc.Get(ctx, w.depok, u.ID, luar.View{PII: true})
	if err != nil || linked.Status != luar.Cocok || *linked.UMKMID != sablon || *linked.CocokOleh != "nama" {
		t.Fatalf("later match: %+v %v", linked, err)
	}
}

func TestImportRefusesBadFiles(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for name, c := range map[string]struct {
		file  string
		p     func(luar.ImportParams) luar.ImportParams
		field string
	}{
		"not a spreadsheet": {file: "\x00\x01\x02binary", field: "body"},
		"no owner column":   {file: "NIK;Nama Usaha\n3276014507850001;Kue\n", field: "header"},
		"unknown agency":    {file: list, p: func(p luar.ImportParams) luar.ImportParams { p.AgensiID = uuid.New(); return p }, field: "query.agensi_id"},
		"this office itself": {file: list, p: func(p luar.ImportParams) luar.ImportParams {
			p.AgensiID = w.agensi(t, w.depok, "Dinkop", "kantor")
			return p
		}, field: "query.agensi_id"},
		"unknown kind": {file: list, p: func(p luar.ImportParams) luar.ImportParams { p.Jenis = "hibah"; return p }, field: "query.jenis"},
	} {
		p := w.params(false)
		if c.p != nil {
			p = c.p(p)
		}
		_, err := w.svc.Import(ctx, w.depok, []byte(c.file), p, uuid.Nil, nil)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindInvalid || len(ae.Fields) == 0 || ae.Fields[0].Location != c.field {
			t.Errorf("%s: %v, want invalid %s", name, err, c.field)
		}
	}
	// Too big: refused before reading, by the limits.
	big := "Nama Pemilik\n" + strings.Repeat("Siti\n", luar.Limits().Rows+1)
	if _, err := w.svc.CheckFile("besar.csv", []byte(big)); apperr.KindOf(err) != apperr.KindInvalid {
		t.Errorf("a list over the row limit: %v", err)
	}
	if n := w.stored(t, w.depok); n != 0 {
		t.Errorf("refused files stored %d rows", n)
	}
}

// TestImportFailingRunWritesNothing: a row that cannot be read halfway
// through a real run (over the column limit) ends it with nothing stored.
func TestImportFailingRunWritesNothing(t *testing.T) {
	w := newWorld(t)
	w.usaha(t, umkm.Input{NamaUsaha: "Kue Siti", NamaPemilik: "Siti Aminah", NIK: ptr("3276014507850001")})
	file := "NIK,Nama Pemilik\n3276014507850001,Siti Aminah\n,Budi\n" + strings.Repeat("x,", luar.Limits().Columns+5) + "x\n"
	_, err := w.svc.Import(context.Background(), w.depok, []byte(file), w.params(false), uuid.Nil, nil)
	if apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("want the row refused, got %v", err)
	}
	if n := w.stored(t, w.depok); n != 0 {
		t.Fatalf("a failed run stored %d rows", n)
	}
}

func TestStaffMatchAndDiscard(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	file := "Nama Pemilik,Nama Usaha,Kelurahan\nDodi,Sablon Baru,Depok\nEko,Bengkel Eko,Depok\n"
	if _, err := w.svc.Import(ctx, w.depok, []byte(file), w.params(false), uuid.Nil, nil); err != nil {
		t.Fatal(err)
	}
	page, err := w.svc.List(ctx, w.depok, luar.Filter{Status: luar.BelumCocok}, luar.View{PII: true})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("unmatched: %+v %v", page, err)
	}
	// Another office sees none of it.
	if other, err := w.svc.List(ctx, w.medan, luar.Filter{}, luar.View{PII: true}); err != nil || len(other.Items) != 0 {
		t.Fatalf("Medan lists Depok's rows: %+v %v", other, err)
	}
	if _, err := w.svc.Discard(ctx, w.medan, page.Items[0].ID); apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatalf("Medan discards Depok's row: %v", err)
	}
	// A petugas of another kecamatan does not see rows of this one.
	if far, err := w.svc.List(ctx, w.depok, luar.Filter{}, luar.View{Wilayah: []string{"32.76.02"}}); err != nil || len(far.Items) != 0 {
		t.Fatalf("petugas elsewhere: %+v %v", far, err)
	}
	var dodi, eko luar.BarisDaftar
	for _, b := range page.Items {
		if *b.NamaPemilik == "Dodi" {
			dodi = b
		} else {
			eko = b
		}
	}
	rec := w.usaha(t, umkm.Input{NamaUsaha: "Sablon Dodi", NamaPemilik: "Dodi Setiawan"})
	m, err := w.svc.Match(ctx, w.depok, dodi.ID, rec)
	if err != nil || m.Status != luar.Cocok || *m.CocokOleh != "staf" || *m.UMKMNama != "Sablon Dodi" {
		t.Fatalf("match: %+v %v", m, err)
	}
	if _, err := w.svc.Match(ctx, w.depok, eko.ID, uuid.New()); apperr.KindOf(err) != apperr.KindInvalid {
		t.Fatalf("match to no record: %v", err)
	}
	d, err := w.svc.Discard(ctx, w.depok, eko.ID)
	if err != nil || d.Status != luar.Dibuang {
		t.Fatalf("discard: %+v %v", d, err)
	}
	if _, err := w.svc.Discard(ctx, w.depok, eko.ID); apperr.KindOf(err) != apperr.KindConflict {
		t.Fatalf("discard twice: %v", err)
	}
	var audited int
	w.tx(t, w.depok, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select count(*) from audit_log where entity = 'partisipasi_luar'`).Scan(&audited)
	})
	if audited != 3 {
		t.Errorf("audit entries %d, want import + match + discard", audited)
	}
}

// TestOverlapSeesMatchedRow: the overlap check before a selection shows a
// candidate's participation imported from another agency's list.
func TestOverlapSeesMatchedRow(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	u := w.usaha(t, umkm.Input{NamaUsaha: "Kue Siti", NamaPemilik: "Siti Aminah", NIK: ptr("3276014507850001")})
	if _, err := w.svc.Import(ctx, w.depok, []byte("NIK,Nama Pemilik\n3276014507850001,Siti A.\n"), w.params(false), uuid.Nil, nil); err != nil {
		t.Fatal(err)
	}
	kantor := w.agensi(t, w.depok, "Dinas KUMKM Depok", "kantor")
	check := tumpang.Service{DB: w.env.DB, Logger: slog.New(slog.DiscardHandler), Now: time.Now}
	w.tx(t, w.depok, func(tx pgx.Tx) error {
		prog, err := w.prog.CreateTx(ctx, tx, w.depok, program.Input{Nama: "Pelatihan Pengemasan", Jenis: "pelatihan", AgensiID: kantor, Tahun: 2026,
			SumberDana: "apbd", Satuan: "orang", Kuota: 10, Status: "dibuka"})
		if err != nil {
			return err
		}
		p, err := w.prog.ApplyTx(ctx, tx, w.depok, prog.ID, program.PesertaInput{Pemohon: "umkm", UMKMID: &u}, program.View{})
		if err != nil {
			return err
		}
		c, err := check.CekTx(ctx, tx, prog.ID, p.ID, tumpang.View{})
		if err != nil {
			return err
		}
		if c.SamaJenis != 1 || len(c.Items) != 1 || c.Items[0].Sumber != "luar" || c.Items[0].AgensiID != w.baznas {
			return fmt.Errorf("overlap check: %+v", c)
		}
		return nil
	})
}
