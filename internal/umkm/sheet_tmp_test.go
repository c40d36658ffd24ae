package umkm

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/apperr"
	hostile "github.com/sentra-id/sentra/internal/spreadsheet/spreadsheettest"
)

// bigSheet is an XLSX with the template's header and rows of padding,
// over excelize's 16 MB in-memory bound, so reading it unpacks the sheet
// into a temporary file.
func bigSheet(t *testing.T, rows int, workbookXML string) []byte {
	t.Helper()
	var header []string
	for _, c := range Columns {
		header = append(header, c.Label)
	}
	unit := `<row><c t="inlineStr"><is><t>` + strings.Repeat("x", 80) + `</t></is></c></row>`
	sheet := hostile.Sheet(hostile.InlineRow(header...), unit, rows, "")
	if workbookXML == "" {
		return hostile.Workbook(t, sheet, "")
	}
	f := hostile.Workbook(t, sheet, "", hostile.Part{Name: "xl/workbook.xml", Head: workbookXML})
	return f
}

func entries(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestXLSXTempFilesAreRemoved: whatever ends a read (its end, a refused
// row, an error opening, a panic), nothing is left in the temp dir.
func TestXLSXTempFilesAreRemoved(t *testing.T) {
	t.Run("read to the end", func(t *testing.T) {
		dir := t.TempDir()
		sh, err := openSheet("data.xlsx", bigSheet(t, 200_000, ""), FormatXLSX, dir)
		if err != nil {
			t.Fatal(err)
		}
		if entries(t, dir) == 0 {
			t.Fatal("excelize unpacked nothing to disk: the test proves nothing")
		}
		n := 0
		for ; ; n++ {
			if _, err := sh.Next(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
		}
		sh.Close()
		if n != 200_001 || entries(t, dir) != 0 {
			t.Fatalf("read %d rows; %d entries left in the temp dir", n, entries(t, dir))
		}
	})
	t.Run("a row over the limit", func(t *testing.T) {
		dir := t.TempDir()
		sh, err := openSheet("data.xlsx", bigSheet(t, ImportLimits().Rows+10, ""), FormatXLSX, dir)
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = sh.Next()
		}
		sh.Close()
		if apperr.KindOf(err) != apperr.KindInvalid || !strings.Contains(err.(*apperr.Error).Fields[0].Message.ID, "250.000 baris") {
			t.Fatalf("reading past the row limit: %v", err)
		}
		if n := entries(t, dir); n != 0 {
			t.Fatalf("%d entries left in the temp dir", n)
		}
	})
	t.Run("an error opening", func(t *testing.T) {
		dir := t.TempDir()
		// The sheet is unpacked before the broken workbook part is parsed.
		_, err := openSheet("data.xlsx", bigSheet(t, 200_000, "<workbook><sheets"), FormatXLSX, dir)
		if err == nil {
			t.Fatal("a broken workbook opened")
		}
		if n := entries(t, dir); n != 0 {
			t.Fatalf("%d entries left in the temp dir", n)
		}
	})
	t.Run("a panic", func(t *testing.T) {
		dir := t.TempDir()
		file := bigSheet(t, 200_000, "")
		func() {
			defer func() { _ = recover() }()
			sh, err := openSheet("data.xlsx", file, FormatXLSX, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer sh.Close()
			sh.Next()
			panic("mid-read")
		}()
		if n := entries(t, dir); n != 0 {
			t.Fatalf("%d entries left in the temp dir", n)
		}
	})
}
