// Package spreadsheettest makes hostile and broken spreadsheet files for
// tests: zip bombs, parts that lie about their size, sheets of millions of
// rows or columns, workbooks of the wrong kind. A file that unpacks to
// gigabytes is built from a few repeated deflate blocks, so making it
// costs neither memory nor time.
package spreadsheettest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	_ "embed"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Excel97 is a real legacy .xls (from gabriel-vasile/mimetype's testdata,
// MIT licence).
//
//go:embed excel97.xls
var Excel97 []byte

// Part is the text of one zip part: Head, then Unit repeated Repeat times,
// then Tail.
type Part struct {
	Name       string
	Head, Unit string
	Repeat     int
	Tail       string
	// Declared, when not 0, is the uncompressed size the zip directory
	// states instead of the true one: a lie.
	Declared uint64
}

// Size is the part's true unpacked size.
func (p Part) Size() uint64 {
	return uint64(len(p.Head)) + uint64(len(p.Unit))*uint64(p.Repeat) + uint64(len(p.Tail))
}

// Zip writes parts into a zip archive.
func Zip(t testing.TB, parts ...Part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		comp, crc := deflateRepeated(t, p)
		size := p.Size()
		if p.Declared != 0 {
			size = p.Declared
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(comp)), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(comp); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflateRepeated compresses a part without ever holding its text: a
// deflate block ending on a sync flush decodes the same wherever the 32 KB
// before it are the same, so the block of one megabyte of units, after a
// first stretch of units, is repeated as often as needed.
func deflateRepeated(t testing.TB, p Part) ([]byte, uint32) {
	t.Helper()
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	crc := uint32(0)
	write := func(s string) {
		if _, err := fw.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
		crc = crc32.Update(crc, crc32.IEEETable, []byte(s))
	}
	flush := func() {
		if err := fw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	write(p.Head)
	left := p.Repeat
	if p.Unit != "" && left > 0 {
		// The first stretch fills the window with units; each copy of the
		// block that follows sees the same window.
		first := min(left, (64<<10)/len(p.Unit)+1)
		write(strings.Repeat(p.Unit, first))
		left -= first
		flush()
		per := (1 << 20) / len(p.Unit)
		if left >= per {
			blockText := strings.Repeat(p.Unit, per)
			start := out.Len()
			write(blockText)
			flush()
			block := bytes.Clone(out.Bytes()[start:])
			left -= per
			for ; left >= per; left -= per {
				out.Write(block)
				crc = crc32.Update(crc, crc32.IEEETable, []byte(blockText))
			}
		}
		write(strings.Repeat(p.Unit, left))
	}
	write(p.Tail)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), crc
}

// Workbook is a minimal XLSX whose first sheet is sheet, with extra parts.
// contentType replaces the workbook's main content type when not "".
func Workbook(t testing.TB, sheet Part, contentType string, extra ...Part) []byte {
	t.Helper()
	if contentType == "" {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	}
	sheet.Name = "xl/worksheets/sheet1.xml"
	parts := []Part{
		{Name: "[Content_Types].xml", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="` + contentType + `"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`</Types>`},
		{Name: "_rels/.rels", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{Name: "xl/workbook.xml", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{Name: "xl/_rels/workbook.xml.rels", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`</Relationships>`},
		sheet,
	}
	return Zip(t, append(parts, extra...)...)
}

// Sheet is a worksheet part: rows (XML <row> elements) between the
// worksheet's start and end.
func Sheet(head, unit string, repeat int, tail string) Part {
	return Part{
		Head:   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + head,
		Unit:   unit,
		Repeat: repeat,
		Tail:   tail + `</sheetData></worksheet>`,
	}
}

// InlineRow is a sheet row of inline-string cells.
func InlineRow(cells ...string) string {
	var b strings.Builder
	b.WriteString("<row>")
	for _, c := range cells {
		b.WriteString(`<c t="inlineStr"><is><t>` + c + `</t></is></c>`)
	}
	b.WriteString("</row>")
	return b.String()
}

// Encrypted is a real password-protected XLSX (an OLE compound file
// holding EncryptionInfo and EncryptedPackage), as Excel saves one.
func Encrypted(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "Nama Pemilik"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, excelize.Options{Password: "rahasia"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ODS is an OpenDocument spreadsheet: a zip whose first, stored part is
// its mimetype.
func ODS(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	w, err = zw.Create("content.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
