package umkm_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/sentra-id/sentra/internal/umkm"
)

// dirtyCase is one row as an office writes it: cells over a valid base row
// (a business in Depok, Kecamatan Pancoran Mas, Kelurahan Depok), and what
// becomes of it.
type dirtyCase struct {
	name  string
	cells map[string]string // column key → cell
	// Accepted: the record's column and the value stored in it ("" for
	// NULL), and a phrase of the row's warning, if any.
	col, stored, warn string
	// Refused: the column and a phrase of the Indonesian reason.
	refused, reason string
	// hasil when not baru (accepted) or tidak_valid (refused); dupOf is
	// the case a duplikat repeats.
	hasil string
	dupOf int
}

const registeredNIB = "9120001234567"

// dirtyCorpus: region names, coded fields and texts as offices write
// them. The first case is the one the duplicate repeats.
var dirtyCorpus = []dirtyCase{
	// Region names: prefixes, case, punctuation, spacing.
	{name: "Kec. dan Kel. with stops", cells: map[string]string{"kecamatan": "Kec. Pancoran Mas", "kelurahan": "Kel. Depok Jaya"}, col: "kelurahan_kode", stored: "32.76.01.1007"},
	{name: "upper case, doubled spaces, a trailing stop", cells: map[string]string{"kecamatan": "KECAMATAN  CIMANGGIS", "kelurahan": "kelurahan tugu."}, col: "kelurahan_kode", stored: "32.76.02.1009"},
	{name: "no space after the stop", cells: map[string]string{"kecamatan": "Kec.Beji", "kelurahan": "Kel.Pondok Cina"}, col: "kelurahan_kode", stored: "32.76.06.1005"},
	{name: "Kec without a stop, Desa for a kelurahan", cells: map[string]string{"kecamatan": "Kec Sukmajaya", "kelurahan": "Desa Mekarjaya"}, col: "kelurahan_kode", stored: "32.76.05.1004"},
	{name: "spacing of a joined name", cells: map[string]string{"kecamatan": "Bojong Sari", "kelurahan": "Ds. Curug"}, col: "kelurahan_kode", stored: "32.76.11.1005"},
	{name: "Curug with its kecamatan", cells: map[string]string{"kecamatan": "Kecamatan Cimanggis", "kelurahan": "Curug"}, col: "kelurahan_kode", stored: "32.76.02.1008"},
	{name: "kecamatan blank, a unique kelurahan", cells: map[string]string{"kecamatan": "", "kelurahan": "Kel. Depok Jaya"}, col: "kecamatan_kode", stored: "32.76.01",
		warn: "kecamatan: Kecamatan kosong; dibaca dari desa/kelurahan Depok Jaya: Pancoran Mas (32.76.01)."},
	{name: "Curug, kecamatan blank", cells: map[string]string{"kecamatan": "", "kelurahan": "Curug"},
		refused: "kelurahan", reason: "Nama desa/kelurahan Curug ada di 2 kecamatan: Curug (Kec. Cimanggis, 32.76.02.1008) dan Curug (Kec. Bojongsari, 32.76.11.1005)."},
	{name: "Curug, kecamatan not resolving", cells: map[string]string{"kecamatan": "Sawangan Lama", "kelurahan": "Curug"},
		refused: "kelurahan", reason: "Nama desa/kelurahan Curug ada di 2 kecamatan: Curug (Kec. Cimanggis, 32.76.02.1008) dan Curug (Kec. Bojongsari, 32.76.11.1005)."},
	{name: "a kecamatan typo", cells: map[string]string{"kecamatan": "Pancoran Mass"}, refused: "kecamatan", reason: "Kecamatan tidak dikenal di wilayah kantor ini. Mungkin maksud Anda: Pancoran Mas (32.76.01)?"},
	{name: "a kelurahan typo", cells: map[string]string{"kelurahan": "Depok Jya"},
		refused: "kelurahan", reason: "Desa/kelurahan tidak dikenal di Kecamatan Pancoran Mas. Mungkin maksud Anda: Depok Jaya (Kec. Pancoran Mas, 32.76.01.1007)?"},
	{name: "a kelurahan of another kecamatan", cells: map[string]string{"kelurahan": "Tugu"},
		refused: "kelurahan", reason: "Desa/kelurahan Tugu tidak berada di Kecamatan Pancoran Mas, tetapi di Tugu (Kec. Cimanggis, 32.76.02.1009)."},
	{name: "a name not in the office's list", cells: map[string]string{"kecamatan": "Limo", "kelurahan": "Kel. Krukut Lama"}, refused: "kelurahan", reason: "Desa/kelurahan tidak dikenal di Kecamatan Limo."},

	// Sex.
	{name: "L", cells: map[string]string{"jenis_kelamin": "L"}, col: "jenis_kelamin", stored: "L"},
	{name: "Lk with a stop", cells: map[string]string{"jenis_kelamin": " Lk. "}, col: "jenis_kelamin", stored: "L"},
	{name: "Laki-laki", cells: map[string]string{"jenis_kelamin": "Laki-laki"}, col: "jenis_kelamin", stored: "L"},
	{name: "LAKI LAKI", cells: map[string]string{"jenis_kelamin": "LAKI LAKI"}, col: "jenis_kelamin", stored: "L"},
	{name: "Laki2", cells: map[string]string{"jenis_kelamin": "laki2"}, col: "jenis_kelamin", stored: "L"},
	{name: "Pria", cells: map[string]string{"jenis_kelamin": "Pria"}, col: "jenis_kelamin", stored: "L"},
	{name: "p", cells: map[string]string{"jenis_kelamin": "p"}, col: "jenis_kelamin", stored: "P"},
	{name: "Pr.", cells: map[string]string{"jenis_kelamin": "Pr."}, col: "jenis_kelamin", stored: "P"},
	{name: "PEREMPUAN", cells: map[string]string{"jenis_kelamin": "PEREMPUAN"}, col: "jenis_kelamin", stored: "P"},
	{name: "Wanita", cells: map[string]string{"jenis_kelamin": "Wanita"}, col: "jenis_kelamin", stored: "P"},
	{name: "W", cells: map[string]string{"jenis_kelamin": "w"}, col: "jenis_kelamin", stored: "P"},
	{name: "sex blank", cells: map[string]string{"jenis_kelamin": ""}, col: "jenis_kelamin", stored: ""},
	{name: "sex -", cells: map[string]string{"jenis_kelamin": "-"}, col: "jenis_kelamin", stored: ""},
	{name: "Laki", cells: map[string]string{"jenis_kelamin": "Laki"},
		refused: "jenis_kelamin", reason: "Jenis kelamin tidak dikenal. Isi salah satu: L (juga Lk, Laki-laki, Laki2, Pria); P (juga Pr, Perempuan, Wanita, W)"},
	{name: "sex 1", cells: map[string]string{"jenis_kelamin": "1"}, refused: "jenis_kelamin", reason: "Jenis kelamin tidak dikenal."},

	// Binaan, reported size, sector, sales channels.
	{name: "Binaan", cells: map[string]string{"status_binaan": "Binaan"}, col: "status_binaan", stored: "binaan"},
	{name: "Mitra Binaan", cells: map[string]string{"status_binaan": "Mitra Binaan"}, col: "status_binaan", stored: "binaan"},
	{name: "Ya", cells: map[string]string{"status_binaan": "Ya"}, col: "status_binaan", stored: "binaan"},
	{name: "Non-Binaan", cells: map[string]string{"status_binaan": "Non-Binaan"}, col: "status_binaan", stored: "bukan_binaan"},
	{name: "Belum Binaan", cells: map[string]string{"status_binaan": "Belum Binaan"}, col: "status_binaan", stored: "bukan_binaan"},
	{name: "binaan blank: not binaan", cells: map[string]string{"status_binaan": ""}, col: "status_binaan", stored: "bukan_binaan"},
	{name: "Sudah", cells: map[string]string{"status_binaan": "Sudah"}, refused: "status_binaan", reason: "Status binaan tidak dikenal. Isi salah satu: binaan (juga mitra binaan, ya, y)"},
	{name: "Usaha Mikro", cells: map[string]string{"skala_dilaporkan": "Usaha Mikro"}, col: "skala_dilaporkan", stored: "mikro"},
	{name: "KECIL", cells: map[string]string{"skala_dilaporkan": "KECIL"}, col: "skala_dilaporkan", stored: "kecil"},
	{name: "usaha_menengah", cells: map[string]string{"skala_dilaporkan": "usaha_menengah"}, col: "skala_dilaporkan", stored: "menengah"},
	{name: "size blank", cells: map[string]string{"skala_dilaporkan": ""}, col: "skala_dilaporkan", stored: ""},
	{name: "Ultra Mikro", cells: map[string]string{"skala_dilaporkan": "Ultra Mikro"}, refused: "skala_dilaporkan", reason: "Skala usaha tidak dikenal. Isi salah satu: mikro (juga usaha mikro)"},
	{name: "Kuliner", cells: map[string]string{"sektor": "Kuliner"}, col: "sektor", stored: "kuliner"},
	{name: "Makanan dan Minuman", cells: map[string]string{"sektor": "Makanan dan Minuman"}, col: "sektor", stored: "kuliner"},
	{name: "Mamin", cells: map[string]string{"sektor": "MAMIN"}, col: "sektor", stored: "kuliner"},
	{name: "Fesyen", cells: map[string]string{"sektor": "Fesyen"}, col: "sektor", stored: "fashion"},
	{name: "Kriya", cells: map[string]string{"sektor": "Kriya"}, col: "sektor", stored: "kerajinan"},
	{name: "Lain-lain", cells: map[string]string{"sektor": "Lain-lain"}, col: "sektor", stored: "lainnya"},
	{name: "Makanan", cells: map[string]string{"sektor": "Makanan"}, refused: "sektor", reason: "Sektor tidak dikenal. Isi salah satu: kuliner (juga makanan dan minuman"},
	{name: "sector blank", cells: map[string]string{"sektor": ""}, refused: "sektor", reason: "Sektor tidak dikenal."},
	{name: "Shopee, Grab Food", cells: map[string]string{"saluran_penjualan": "Shopee, Grab Food"}, col: "saluran_penjualan", stored: "shopee,grabfood"},
	{name: "Instagram / Facebook", cells: map[string]string{"saluran_penjualan": "Instagram / Facebook"}, col: "saluran_penjualan", stored: "media_sosial"},
	{name: "Luring; TikTok Shop; Go-Food", cells: map[string]string{"saluran_penjualan": "Luring; TikTok Shop; Go-Food"}, col: "saluran_penjualan", stored: "offline,tiktok_shop,gofood"},
	{name: "Retail Modern", cells: map[string]string{"saluran_penjualan": "Retail Modern"}, col: "saluran_penjualan", stored: "ritel_modern"},
	{name: "WhatsApp", cells: map[string]string{"saluran_penjualan": "Shopee, WhatsApp"}, refused: "saluran_penjualan", reason: "Saluran penjualan tidak dikenal. Isi salah satu: offline (juga luring, off line)"},

	// Letters a Windows file holds, and the other outcomes.
	{name: "accented letters", cells: map[string]string{"nama_usaha": "Café André", "nama_pemilik": "André Müller"}, col: "nama_pemilik", stored: "André Müller"},
	{name: "a curly apostrophe", cells: map[string]string{"nama_usaha": "Jum’at Berkah"}, col: "nama_usaha", stored: "Jum’at Berkah"},
	{name: "an update by NIB", cells: map[string]string{"nama_usaha": "Warung Sudah Terdaftar", "nama_pemilik": "Pemilik Terdaftar", "nib": registeredNIB, "jenis_kelamin": "Pr"},
		col: "jenis_kelamin", stored: "P", hasil: umkm.HasilDiperbarui},
	{name: "the first case again", hasil: umkm.HasilDuplikat, dupOf: 0},
}

// dirtyColumns are the file's columns, by key, in file order.
var dirtyColumns = []string{"nama_pemilik", "nama_usaha", "sektor", "kecamatan", "kelurahan", "jenis_kelamin",
	"status_binaan", "skala_dilaporkan", "saluran_penjualan", "nib"}

// row is case i's cells in dirtyColumns' order.
func (c dirtyCase) row(i int) []string {
	if c.hasil == umkm.HasilDuplikat {
		return dirtyCorpus[c.dupOf].row(c.dupOf)
	}
	base := map[string]string{"nama_pemilik": fmt.Sprintf("Pemilik %02d", i), "nama_usaha": fmt.Sprintf("Usaha Uji %02d", i),
		"sektor": "kuliner", "kecamatan": "Pancoran Mas", "kelurahan": "Depok"}
	var out []string
	for _, k := range dirtyColumns {
		v, ok := c.cells[k]
		if !ok {
			v = base[k]
		}
		out = append(out, v)
	}
	return out
}

// dirtyShape is a way an office's file comes: the bytes for the corpus,
// and where its rows land.
type dirtyShape struct {
	name      string
	file      func(t *testing.T, header []string, rows [][]string) []byte
	headerRow int // the header's row
	gapAfter  int // a blank row follows this many data rows (0: none)
	info      umkm.FileInfo
	notes     []string // phrases of the file's notes
}

// baris is case i's row in the spreadsheet.
func (s dirtyShape) baris(i int) int {
	if s.gapAfter > 0 && i >= s.gapAfter {
		return s.headerRow + 1 + i + 1
	}
	return s.headerRow + 1 + i
}

func writeCSV(t *testing.T, sep rune, lines [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = sep
	if err := w.WriteAll(lines); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func windows1252(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := charmap.Windows1252.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withGap puts a blank row after the first n rows.
func withGap(rows [][]string, n int, blank []string) [][]string {
	return slices.Concat(rows[:n], [][]string{blank}, rows[n:])
}

var dirtyShapes = []dirtyShape{
	{
		name: "CSV UTF-8 with title rows, an empty line, trailing empty columns and rows",
		file: func(t *testing.T, header []string, rows [][]string) []byte {
			pad := func(r []string) []string { return append(slices.Clone(r), "", "", "") }
			var lines [][]string
			lines = append(lines, pad([]string{"DATA UMKM BINAAN KOTA DEPOK TAHUN 2025"}), pad([]string{"Per 31 Desember 2025"}))
			for _, r := range rows {
				lines = append(lines, pad(r))
			}
			b := writeCSV(t, ',', slices.Concat(lines[:2], [][]string{pad(header)}, lines[2:]))
			// A blank line above the header and among the rows (encoding/csv
			// skips them; Excel shows them as rows), empty rows at the end.
			parts := bytes.SplitAfterN(b, []byte("\n"), 3)
			b = slices.Concat(parts[0], parts[1], []byte("\n"), parts[2])
			lines2 := bytes.SplitAfter(b, []byte("\n"))
			gapAt := 4 + 10 // title, date, blank, header, then 10 rows
			b = bytes.Join(slices.Concat(lines2[:gapAt], [][]byte{[]byte("\r\n")}, lines2[gapAt:]), nil)
			return append(b, ",,,,,,\n\n,,\n"...)
		},
		headerRow: 4, gapAfter: 10,
		info:  umkm.FileInfo{Format: "csv", Encoding: "UTF-8", Separator: ",", HeaderRow: 4},
		notes: []string{"Judul kolom dibaca di baris 4; baris 1–3 di atasnya (judul tabel) dilewati."},
	},
	{
		name: "CSV in Windows-1252 with semicolons (Excel, Indonesian locale)",
		file: func(t *testing.T, header []string, rows [][]string) []byte {
			return windows1252(t, writeCSV(t, ';', slices.Concat([][]string{header}, rows)))
		},
		headerRow: 1,
		info:      umkm.FileInfo{Format: "csv", Encoding: "Windows-1252", Separator: ";", HeaderRow: 1},
		notes:     []string{"dibaca sebagai Windows-1252"},
	},
	{
		name: "tab-separated text in Windows-1252 with a title row",
		file: func(t *testing.T, header []string, rows [][]string) []byte {
			return windows1252(t, writeCSV(t, '\t', slices.Concat([][]string{{"Rekap UMKM Kecamatan", "", ""}, header}, withGap(rows, 5, []string{""}))))
		},
		headerRow: 2, gapAfter: 5,
		info:  umkm.FileInfo{Format: "csv", Encoding: "Windows-1252", Separator: "tab", HeaderRow: 2},
		notes: []string{"dibaca sebagai Windows-1252", "Judul kolom dibaca di baris 2"},
	},
	{
		name: "XLSX with merged title cells, trailing empty columns and rows",
		file: func(t *testing.T, header []string, rows [][]string) []byte {
			f := excelize.NewFile()
			defer f.Close()
			const sh = "Sheet1"
			set := func(cell string, vals []string) {
				row := make([]any, len(vals))
				for i, v := range vals {
					row[i] = v
				}
				if err := f.SetSheetRow(sh, cell, &row); err != nil {
					t.Fatal(err)
				}
			}
			set("A1", []string{"DATA UMKM KOTA DEPOK"})
			set("A2", []string{"Dinas Koperasi dan Usaha Mikro"})
			for _, m := range [][2]string{{"A1", "J1"}, {"A2", "J2"}} {
				if err := f.MergeCell(sh, m[0], m[1]); err != nil {
					t.Fatal(err)
				}
			}
			set("A4", header) // row 3 blank
			r := 5
			for i, row := range rows {
				if i == 7 {
					r++ // a blank row
				}
				set("A"+strconv.Itoa(r), row)
				r++
			}
			// Formatted but empty: columns right of the table, rows below it.
			style, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(sh, "K4", "M"+strconv.Itoa(r+20), style); err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		},
		headerRow: 4, gapAfter: 7,
		info:  umkm.FileInfo{Format: "xlsx", HeaderRow: 4},
		notes: []string{"Judul kolom dibaca di baris 4"},
	},
}

// TestImportDirtyCorpus imports the corpus in each shape a file comes in.
// The first import (an empty register but for one business, which a row
// updates) checks each row's outcome, its row number as the spreadsheet
// shows it, the reason of a refusal (column and Indonesian text) and the
// value stored for an accepted one; each later shape must read every row
// the same, so its accepted rows change nothing (sama).
func TestImportDirtyCorpus(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	in := kdInput("Warung Sudah Terdaftar", "Pemilik Terdaftar", kecPancoran, kelDepok)
	nib := registeredNIB
	in.NIB = &nib
	kdRecord(t, b, "depok", in)

	var header []string
	for _, k := range dirtyColumns {
		for _, c := range umkm.Columns {
			if c.Key == k {
				header = append(header, c.Label)
			}
		}
	}
	var rows [][]string
	for i, c := range dirtyCorpus {
		rows = append(rows, c.row(i))
	}
	for n, shape := range dirtyShapes {
		t.Run(shape.name, func(t *testing.T) {
			res, err := importFile(t, b, "depok", shape.file(t, header, rows), umkm.ImportOptions{Nama: "pendataan"})
			if err != nil {
				t.Fatal(err)
			}
			if res.File != shape.info {
				t.Errorf("file read as %+v, want %+v", res.File, shape.info)
			}
			notes := strings.Join(res.File.Notes("id"), " ")
			for _, want := range shape.notes {
				if !strings.Contains(notes, want) {
					t.Errorf("notes %q lack %q", notes, want)
				}
			}
			if len(shape.notes) == 0 && notes != "" {
				t.Errorf("notes %q for a file read as the template is", notes)
			}
			report := reportByRow(t, res.Report)
			want := map[string]int{}
			for i, c := range dirtyCorpus {
				baris := shape.baris(i)
				got, ok := report[baris]
				if !ok {
					t.Errorf("%s: no report line for row %d", c.name, baris)
					continue
				}
				hasil := c.hasil
				switch {
				case c.refused != "":
					hasil = umkm.HasilTidakValid
				case hasil == "":
					hasil = umkm.HasilBaru
				}
				if n > 0 && (hasil == umkm.HasilBaru || hasil == umkm.HasilDiperbarui) {
					hasil = umkm.HasilSama // read as the first shape read it
				}
				want[hasil]++
				if got.hasil != hasil {
					t.Errorf("%s (row %d): %s, want %s; problems %q", c.name, baris, got.hasil, hasil, got.masalah)
				}
				switch {
				case c.refused != "":
					if !strings.Contains(got.masalah, c.refused+": "+c.reason) {
						t.Errorf("%s (row %d): problems %q, want %s: %q", c.name, baris, got.masalah, c.refused, c.reason)
					}
				case c.hasil == umkm.HasilDuplikat:
					if w := fmt.Sprintf("sama dengan baris %d", shape.baris(c.dupOf)); !strings.Contains(got.masalah, w) {
						t.Errorf("%s (row %d): %q, want %q", c.name, baris, got.masalah, w)
					}
				default:
					if got.masalah != "" || !strings.Contains(got.peringatan, c.warn) || c.warn == "" && got.peringatan != "" {
						t.Errorf("%s (row %d): problems %q, warnings %q, want none and %q", c.name, baris, got.masalah, got.peringatan, c.warn)
					}
				}
			}
			s := res.Summary
			if s.Baris != len(dirtyCorpus) || s.Baru+s.Diperbarui+s.Sama+s.Duplikat+s.TidakValid != s.Baris ||
				s.Baru != want[umkm.HasilBaru] || s.Diperbarui != want[umkm.HasilDiperbarui] || s.Sama != want[umkm.HasilSama] ||
				s.Duplikat != want[umkm.HasilDuplikat] || s.TidakValid != want[umkm.HasilTidakValid] {
				t.Errorf("summary %+v, want %d rows: %v", s, len(dirtyCorpus), want)
			}
			if n > 0 {
				return
			}
			for i, c := range dirtyCorpus {
				if c.col == "" {
					continue
				}
				usaha := c.row(i)[slices.Index(dirtyColumns, "nama_usaha")]
				if got := storedColumn(t, b, usaha, c.col); got != c.stored {
					t.Errorf("%s: %s stored %q, want %q", c.name, c.col, got, c.stored)
				}
			}
		})
	}
	// Every accepted row is one record, written once whatever the shapes.
	accepted := 1 // the registered business
	for _, c := range dirtyCorpus {
		if c.refused == "" && c.hasil == "" {
			accepted++
		}
	}
	var n int
	if err := b.env.DB.InTenantTx(ctx, b.tenants["depok"].ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "select count(*) from umkm").Scan(&n)
	}); err != nil || n != accepted {
		t.Errorf("%d records (%v), want %d", n, err, accepted)
	}
}

type reportLine struct{ hasil, masalah, peringatan string }

// reportByRow reads an import report by row number.
func reportByRow(t *testing.T, report []byte) map[int]reportLine {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(report, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]reportLine{}
	for _, rec := range recs[1:] { // baris,hasil,umkm_id,kolom_berubah,masalah,peringatan
		n, err := strconv.Atoi(rec[0])
		if err != nil {
			t.Fatalf("report row %q", rec)
		}
		out[n] = reportLine{rec[1], rec[4], rec[5]}
	}
	return out
}

// storedColumn is col of the record named usaha, as text ("" for NULL).
func storedColumn(t *testing.T, b *bundle, usaha, col string) string {
	t.Helper()
	expr := map[string]string{"saluran_penjualan": "array_to_string(saluran_penjualan, ',')"}[col]
	if expr == "" {
		expr = "coalesce(" + pgx.Identifier{col}.Sanitize() + ", '')"
	}
	var v string
	err := b.env.DB.InTenantTx(context.Background(), b.tenants["depok"].ID, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), "select "+expr+" from umkm where nama_usaha = $1", usaha).Scan(&v)
	})
	if err != nil {
		t.Fatalf("record %s: %v", usaha, err)
	}
	return v
}
