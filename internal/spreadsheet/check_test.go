package spreadsheet_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	hostile "github.com/sentra-id/sentra/internal/spreadsheet/spreadsheettest"
)

// lim is the import's limits (umkm.ImportLimits), which this package may
// not import.
var lim = spreadsheet.Limits{Rows: 250_000, Columns: 200, CellChars: 32_767,
	SheetBytes: 512 << 20, PartBytes: 32 << 20, TotalBytes: 768 << 20, Parts: 10_000, SharedStrings: 4_000_000}

// refused fails t unless checking file is refused as invalid input with a
// message naming the file and holding want; it returns the bytes the check
// allocated.
func refused(t *testing.T, file []byte, format, want string) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := spreadsheet.CheckOLE("data.xlsx", file)
	if err == nil {
		err = spreadsheet.Check("data.xlsx", file, format, lim)
	}
	runtime.ReadMemStats(&after)
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid || len(e.Fields) != 1 {
		t.Fatalf("Check = %v, want invalid input", err)
	}
	msg := e.Fields[0].Message.ID
	if !strings.HasPrefix(msg, `Berkas "data.xlsx" `) || !strings.Contains(msg, want) {
		t.Fatalf("message %q, want the file named and %q", msg, want)
	}
	return after.TotalAlloc - before.TotalAlloc
}

func TestCheckRefusesZipBombs(t *testing.T) {
	// The incident: a sheet that is mostly a comment, 3 GB unpacked.
	comment := hostile.Sheet("<!--", strings.Repeat("x", 1<<10), 3<<20, "-->")
	bomb := hostile.Workbook(t, comment, "")
	if len(bomb) > 8<<20 {
		t.Fatalf("the bomb is %d bytes, not a small upload", len(bomb))
	}
	if n := refused(t, bomb, spreadsheet.XLSX, "bagian xl/worksheets/sheet1.xml melebihi 512 MB"); n > 16<<20 {
		t.Errorf("refusing the bomb allocated %d MB", n>>20)
	}
	// A part held in memory has a tighter bound.
	styles := hostile.Part{Name: "xl/styles.xml", Head: "<styleSheet>", Unit: strings.Repeat("<xf/>", 200), Repeat: 40_000, Tail: "</styleSheet>"}
	refused(t, hostile.Workbook(t, hostile.Sheet("", "", 0, ""), "", styles), spreadsheet.XLSX, "bagian xl/styles.xml melebihi 32 MB")
	// Parts each under their bound, together over it (as declared: the
	// check refuses before reading them).
	big := hostile.Part{Head: "<worksheet/>", Declared: 400 << 20}
	big2 := big
	big2.Name = "xl/worksheets/sheet2.xml"
	refused(t, hostile.Workbook(t, big, "", big2), spreadsheet.XLSX, "lebih dari 768 MB seluruhnya")
}

// TestCheckRefusesAPartLargerThanDeclared: the directory says 4 KB, the
// part unpacks to 100 MB; the check stops at the declared size.
func TestCheckRefusesAPartLargerThanDeclared(t *testing.T) {
	sheet := hostile.Sheet("<!--", strings.Repeat("x", 1<<10), 100<<10, "-->")
	sheet.Declared = 4 << 10
	if n := refused(t, hostile.Workbook(t, sheet, ""), spreadsheet.XLSX, "bagian xl/worksheets/sheet1.xml berisi lebih banyak data daripada yang dinyatakan"); n > 16<<20 {
		t.Errorf("refusing the lie allocated %d MB", n>>20)
	}
}

// TestCheckRefusesOneHugeXMLToken: under the size bounds, a sheet that is
// one 100 MB comment is still one token encoding/xml would hold whole.
func TestCheckRefusesOneHugeXMLToken(t *testing.T) {
	sheet := hostile.Sheet("<!--", strings.Repeat("x", 1<<10), 100<<10, "-->")
	if n := refused(t, hostile.Workbook(t, sheet, ""), spreadsheet.XLSX, "lebih dari 32.767 karakter"); n > 16<<20 {
		t.Errorf("refusing the comment allocated %d MB", n>>20)
	}
}

func TestCheckRefusesAMillionColumns(t *testing.T) {
	xlsx := hostile.Workbook(t, hostile.Sheet(`<row r="1">`, "<c/>", 1_000_000, "</row>"), "")
	refused(t, xlsx, spreadsheet.XLSX, "lebih dari 200 kolom di baris 1")
	// A single cell far right, by reference.
	refused(t, hostile.Workbook(t, hostile.Sheet(`<row r="1"><c r="XFD1"><v>1</v></c></row>`, "", 0, ""), ""), spreadsheet.XLSX, "lebih dari 200 kolom")
	refused(t, bytes.Repeat([]byte{','}, 1_000_000), spreadsheet.CSV, "lebih dari 200 kolom di baris 1")
}

func TestCheckRefusesA10MBCell(t *testing.T) {
	inline := hostile.Sheet(`<row r="1"><c t="inlineStr"><is><t>`, strings.Repeat("a", 1<<10), 10<<10, `</t></is></c></row>`)
	refused(t, hostile.Workbook(t, inline, ""), spreadsheet.XLSX, "sel lebih dari 32.767 karakter")
	// Over Excel's limit, under the XML token bound: counted by character.
	sst := hostile.Part{Name: "xl/sharedStrings.xml", Head: "<sst><si><t>", Unit: "é", Repeat: 40_000, Tail: "</t></si></sst>"}
	refused(t, hostile.Workbook(t, hostile.Sheet("", "", 0, ""), "", sst), spreadsheet.XLSX, "sel lebih dari 32.767 karakter (batas satu sel) di salah satu teksnya")
	csv := append([]byte("nama,catatan\nx,"), bytes.Repeat([]byte("a"), 10<<20)...)
	refused(t, csv, spreadsheet.CSV, "sel lebih dari 32.767 karakter (batas satu sel) di baris 2 kolom 2")
	// A quote opened and never closed swallows the rest of the file.
	unclosed := append([]byte("nama,catatan\n\"x,y\n"), bytes.Repeat([]byte("a,b\n"), 20_000)...)
	refused(t, unclosed, spreadsheet.CSV, "tanda kutip yang tidak ditutup")
}

// TestCheckRefuses10MillionRows: the XLSX is 10 million rows (~300 MB of
// XML) in a file of a few megabytes; the check stops at the limit.
func TestCheckRefuses10MillionRows(t *testing.T) {
	xlsx := hostile.Workbook(t, hostile.Sheet("", "<row><c><v>1</v></c></row>", 10_000_000, ""), "")
	if len(xlsx) > 8<<20 {
		t.Fatalf("the file is %d bytes", len(xlsx))
	}
	if n := refused(t, xlsx, spreadsheet.XLSX, "lebih dari 250.000 baris data"); n > 256<<20 {
		t.Errorf("refusing the rows allocated %d MB", n>>20)
	}
	refused(t, hostile.Workbook(t, hostile.Sheet(`<row r="10000000"><c><v>1</v></c></row>`, "", 0, ""), ""), spreadsheet.XLSX, "lebih dari 250.000 baris data")
	refused(t, bytes.Repeat([]byte("a;b\r\n"), 10_000_000), spreadsheet.CSV, "lebih dari 250.000 baris data")
}

func TestCheckRefusesOtherKindsOfWorkbook(t *testing.T) {
	refused(t, hostile.Encrypted(t), spreadsheet.XLSX, "terenkripsi (berkata sandi)")
	refused(t, hostile.Excel97, spreadsheet.XLSX, "Excel 97-2003 (.xls)")
	refused(t, hostile.ODS(t), spreadsheet.XLSX, "OpenDocument (.ods)")
	sheet := hostile.Sheet(hostile.InlineRow("Nama Pemilik"), "", 0, "")
	refused(t, hostile.Workbook(t, sheet, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"), spreadsheet.XLSX, "makro (.xlsm)")
	vba := hostile.Part{Name: "xl/vbaProject.bin", Head: "\x00\x01"}
	refused(t, hostile.Workbook(t, sheet, "", vba), spreadsheet.XLSX, "makro (.xlsm)")
}

// TestCheckPassesRealFiles: files at the limits, and files as Excel and
// this package write them, pass.
func TestCheckPassesRealFiles(t *testing.T) {
	atLimit := hostile.Sheet("", hostile.InlineRow(strings.Repeat("a", 32_767)), 10, "")
	files := map[string][]byte{
		"xlsx at the limits": hostile.Workbook(t, atLimit, ""),
		"many rows":          hostile.Workbook(t, hostile.Sheet("", hostile.InlineRow("x"), lim.Rows+1, ""), ""),
	}
	for format, name := range map[string]string{spreadsheet.CSV: "csv", spreadsheet.XLSX: "xlsx"} {
		w, err := spreadsheet.NewWriter(format)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			cells := make([]string, lim.Columns)
			cells[0], cells[1] = "Toko \"Maju\", Jaya", strings.Repeat("é", 32_767-i)
			if err := w.Write(cells); err != nil {
				t.Fatal(err)
			}
		}
		out, err := w.Bytes()
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[name+" written"] = out
	}
	for name, file := range files {
		format := spreadsheet.CSV
		if bytes.HasPrefix(file, []byte("PK")) {
			format = spreadsheet.XLSX
		}
		if err := spreadsheet.Check(name, file, format, lim); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
