package umkm_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/batas"
	"github.com/sentra-id/sentra/internal/dbtest"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// reportRows is an import report by row number: hasil, masalah, peringatan.
func reportRows(t *testing.T, res umkm.ImportResult) map[int][3]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(res.Report), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "baris,hasil,umkm_id,kolom_berubah,masalah,peringatan" {
		t.Fatalf("report header %q", got)
	}
	out := map[int][3]string{}
	for _, r := range recs[1:] {
		n, _ := strconv.Atoi(r[0])
		out[n] = [3]string{r[1], r[4], r[5]}
	}
	return out
}

// TestImportReadsKBLIAsWritten: an import takes the forms spreadsheets and
// people give a KBLI, says in the row's report how it read them, and refuses
// what is not a KBLI 2020 code.
func TestImportReadsKBLIAsWritten(t *testing.T) {
	b := setup(t)
	rows := []struct {
		kbli, hasil, masalah, peringatan string
	}{
		{"47111", umkm.HasilBaru, "", ""},
		{"47111.0", umkm.HasilBaru, "", "kbli: KBLI '47111.0' dibaca sebagai 47111."},
		{"KBLI 10710", umkm.HasilBaru, "", "kbli: KBLI 'KBLI 10710' dibaca sebagai 10710."},
		{"56.101", umkm.HasilBaru, "", "kbli: KBLI '56.101' dibaca sebagai 56101."},
		{"99999", umkm.HasilTidakValid, "kbli: KBLI 99999 tidak ada dalam KBLI 2020.", ""},
		{"KBLI 99999", umkm.HasilTidakValid, "kbli: KBLI 99999 tidak ada dalam KBLI 2020.", "kbli: KBLI 'KBLI 99999' dibaca sebagai 99999."},
		{"47", umkm.HasilTidakValid, "kbli: 47 adalah golongan pokok KBLI 2020", ""},
		{"1111", umkm.HasilTidakValid, "Mungkin maksudnya 01111 (Pertanian Jagung)?", ""},
		{"Restoran", umkm.HasilTidakValid, "kbli: Kode KBLI 2020 harus 5 digit", ""},
		{"-", umkm.HasilBaru, "", ""},
	}
	var sb strings.Builder
	sb.WriteString("nama_pemilik,nama_usaha,sektor,kecamatan,kelurahan,kbli\n")
	for i, r := range rows {
		fmt.Fprintf(&sb, "Pemilik %d,Usaha %d,kuliner,%s,%s,%s\n", i, i, kecPancoran, kelDepok, r.kbli)
	}
	res, err := importFile(t, b, "depok", []byte(sb.String()), umkm.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := reportRows(t, res)
	for i, r := range rows {
		g := got[i+2]
		if g[0] != r.hasil || !strings.Contains(g[1], r.masalah) || (r.masalah == "") != (g[1] == "") || g[2] != r.peringatan {
			t.Errorf("KBLI %q: report %q; want %s, masalah %q, peringatan %q", r.kbli, g, r.hasil, r.masalah, r.peringatan)
		}
	}
	if s := res.Summary; s.Baru != 5 || s.TidakValid != 5 || s.Peringatan != 4 || s.Baris != s.Baru+s.TidakValid {
		t.Errorf("summary %+v", s)
	}
	if n := count(t, b, "depok", "select count(*) from umkm where kbli = '47111'"); n != 2 {
		t.Errorf("%d records with KBLI 47111, want 2 (one written 47111.0)", n)
	}
	if n := count(t, b, "depok", "select count(*) from umkm where kbli is null"); n != 1 {
		t.Errorf("%d records without KBLI, want 1 ('-')", n)
	}
}

// pointCase is a row's coordinates and what the register makes of them.
type pointCase struct {
	name       string
	kec, kel   string
	lat, lon   float64
	refusal    string // part of the latitude problem; "" accepted
	peringatan string // part of the import's warning; "" none
}

// TestCoordinatesLieInTheOffice: in API writes and imports alike, a point
// must lie in Indonesia and, for an office with boundaries, in the office
// (within ToleransiBatas of its edge); one in another desa/kelurahan of the
// office is kept, and the import report names where it lies.
func TestCoordinatesLieInTheOffice(t *testing.T) {
	b := setup(t)
	depok, err := batas.Load("32.76")
	if err != nil {
		t.Fatal(err)
	}
	medan, err := batas.Load("12.71")
	if err != nil {
		t.Fatal(err)
	}
	desa := func(kode string) *batas.Desa {
		d, ok := depok.ByKode(kode)
		if !ok {
			t.Fatalf("no boundary for %s", kode)
		}
		return d
	}
	own, tugu := desa(kelDepok).Titik(), desa(kelTugu).Titik()
	// The office's westmost vertex, and the desa it belongs to.
	var edge batas.Point
	var edgeDesa *batas.Desa
	for i := range depok.Desa {
		for _, r := range depok.Desa[i].Bentuk[0] {
			for _, p := range r {
				if p.Lon == depok.Box.MinLon {
					edge, edgeDesa = p, &depok.Desa[i]
				}
			}
		}
	}
	outside := "Koordinat berada di luar wilayah kantor ini (lebih dari 100 m dari batasnya)"
	cases := []pointCase{
		{"in its own kelurahan", kecPancoran, kelDepok, own.Lat, own.Lon, "", ""},
		{"in another kelurahan of the office", kecPancoran, kelDepok, tugu.Lat, tugu.Lon, "",
			"latitude: Titik koordinat berada di desa/kelurahan Tugu (Kecamatan Cimanggis), bukan di Depok, desa/kelurahan baris ini."},
		{"30 m outside the office, at its own edge", edgeDesa.Kecamatan, edgeDesa.Kode, edge.Lat, edge.Lon - 0.0003, "", ""},
		{"30 m outside the office, beside another kelurahan", kecPancoran, kelDepok, edge.Lat, edge.Lon - 0.0003, "",
			"Titik koordinat berada sedikit di luar batas kantor, 33 m dari desa/kelurahan " + edgeDesa.Nama},
		{"300 m outside the office", edgeDesa.Kecamatan, edgeDesa.Kode, edge.Lat, edge.Lon - 0.003, outside, ""},
		{"latitude and longitude swapped", kecPancoran, kelDepok, own.Lon, own.Lat, "tampaknya lintang dan bujur tertukar", ""},
		{"zero", kecPancoran, kelDepok, 0, 0, "Koordinat 0,0 bukan lokasi usaha", ""},
		{"another city (Monas, Jakarta)", kecPancoran, kelDepok, -6.1754, 106.8272, outside, ""},
		{"another office (Medan)", kecPancoran, kelDepok, medan.Desa[0].Titik().Lat, medan.Desa[0].Titik().Lon, outside, ""},
		{"outside Indonesia", kecPancoran, kelDepok, 51.5, -0.12, "Koordinat berada di luar Indonesia.", ""},
	}
	checkPoints(t, b, b.tenants["depok"], cases)

	// An office without boundaries: only Indonesia's range (and the swap).
	other := dbtest.NewTenant(t, b.env.DB, "tanpabatas")
	b.tenants[other.Slug] = other
	var kk string
	err = b.env.DB.InTenantTx(context.Background(), other.ID, func(tx pgx.Tx) error {
		if err := tx.QueryRow(context.Background(), "select kemendagri_code from tenants where id = $1", other.ID).Scan(&kk); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `insert into wilayah (tenant_id, kode, nama, level, tipe, parent_kode) values
			($1, $2 || '.01', 'Satu', 'kecamatan', null, null), ($1, $2 || '.01.1001', 'Satu Satu', 'desa_kelurahan', 'kelurahan', $2 || '.01')`,
			other.ID, kk)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkPoints(t, b, other, []pointCase{
		{"anywhere in Indonesia", kk + ".01", kk + ".01.1001", -6.1754, 106.8272, "", ""},
		{"swapped", kk + ".01", kk + ".01.1001", 106.8272, -6.1754, "tampaknya lintang dan bujur tertukar", ""},
		{"zero", kk + ".01", kk + ".01.1001", 0, 0, "Koordinat 0,0 bukan lokasi usaha", ""},
	})
}

// checkPoints runs each case through CreateTx and, all together, an import.
func checkPoints(t *testing.T, b *bundle, tt *tenancy.Tenant, cases []pointCase) {
	t.Helper()
	ctx := context.Background()
	var sb strings.Builder
	sb.WriteString("nama_pemilik,nama_usaha,sektor,kecamatan,kelurahan,latitude,longitude\n")
	for i, c := range cases {
		in := kdInput("API "+c.name, "Pemilik", c.kec, c.kel)
		in.Latitude, in.Longitude = &c.lat, &c.lon
		rec, err := create(b, tt, in)
		switch msg := fieldMessage(err, "body.latitude"); {
		case c.refusal == "" && err != nil:
			t.Errorf("%s %s: refused: %v %s", tt.Slug, c.name, err, msg)
		case c.refusal == "" && (rec.Latitude == nil || *rec.Latitude != c.lat || *rec.Longitude != c.lon):
			t.Errorf("%s %s: stored %v, %v", tt.Slug, c.name, rec.Latitude, rec.Longitude)
		case c.refusal != "" && !strings.Contains(msg, c.refusal):
			t.Errorf("%s %s: error %v, latitude %q; want %q", tt.Slug, c.name, err, msg, c.refusal)
		}
		fmt.Fprintf(&sb, "Pemilik %d,Impor %d,kuliner,%s,%s,%s,%s\n", i, i, c.kec, c.kel,
			strconv.FormatFloat(c.lat, 'f', -1, 64), strconv.FormatFloat(c.lon, 'f', -1, 64))
	}
	res, err := b.svc.Import(ctx, tt, []byte(sb.String()), umkm.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := reportRows(t, res)
	for i, c := range cases {
		g := got[i+2]
		wantHasil := umkm.HasilBaru
		if c.refusal != "" {
			wantHasil = umkm.HasilTidakValid
		}
		if g[0] != wantHasil || !strings.Contains(g[1], c.refusal) || !strings.Contains(g[2], c.peringatan) || (c.peringatan == "") != (g[2] == "") {
			t.Errorf("%s import %s: report %q; want %s, masalah %q, peringatan %q", tt.Slug, c.name, g, wantHasil, c.refusal, c.peringatan)
		}
	}
	// Nothing refused was stored: every stored point is one of the accepted.
	stored := count(t, b, tt.Slug, "select count(*) from umkm where latitude is not null")
	accepted := 0
	for _, c := range cases {
		if c.refusal == "" {
			accepted += 2 // by the API and by the import
		}
	}
	if stored != accepted {
		t.Errorf("%s: %d records with coordinates, want %d", tt.Slug, stored, accepted)
	}
}
