package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/teks"
)

// Column is one column of an import template.
type Column struct {
	Key      string // snake_case, also accepted as a header
	Label    string // the header in the template (Bahasa Indonesia)
	Required bool
	Example  string
}

// Template is what an import reads: its columns, matched to a file's
// headers by label, key or alias (ignoring case and spaces), and the
// limits of one file. The register's import and other agencies' lists
// read files the same way, each with its own columns.
type Template struct {
	Columns []Column
	Limits  Limits
	names   map[string]int // folded key, label or alias → position in Columns
}

// NewTemplate makes a template of cols; aliases are further headers
// accepted for a column, by its key.
func NewTemplate(cols []Column, lim Limits, aliases map[string][]string) *Template {
	names := map[string]int{}
	for i, c := range cols {
		names[teks.Fold(c.Key)] = i
		names[teks.Fold(c.Label)] = i
		for _, a := range aliases[c.Key] {
			names[teks.Fold(a)] = i
		}
	}
	return &Template{Columns: cols, Limits: lim, names: names}
}

// ErrNotSheet refuses a file that is neither CSV nor XLSX.
var ErrNotSheet = apperr.InvalidField("body", nil, apperr.T(
	"Berkas bukan CSV atau Excel (.xlsx). Unduh template lalu isi ulang.",
	"The file is neither CSV nor Excel (.xlsx). Download the template and fill it in."))

// Excel's "Unicode Text" is UTF-16; Sentra reads UTF-8 and Windows text.
var errUTF16 = apperr.InvalidField("body", nil, apperr.T(
	"Berkas teks Unicode (UTF-16) tidak didukung. Di Excel pilih Simpan Sebagai > CSV UTF-8, lalu unggah lagi.",
	"Unicode (UTF-16) text files are not supported. In Excel choose Save As > CSV UTF-8, then upload again."))

var errEmpty = apperr.InvalidField("body", nil, apperr.T("Berkas kosong.", "The file is empty."))

// Sniff tells a CSV from an XLSX by content, not by name: XLSX is a ZIP
// archive; CSV must be text (see Encoding). Anything else is refused.
func Sniff(name string, b []byte) (string, error) {
	if err := CheckOLE(name, b); err != nil {
		return "", err
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return XLSX, nil
	}
	if bytes.HasPrefix(b, []byte("\xff\xfe")) || bytes.HasPrefix(b, []byte("\xfe\xff")) {
		return "", errUTF16
	}
	if len(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))) == 0 || Encoding(b) == "" {
		return "", ErrNotSheet
	}
	return CSV, nil
}

// FileInfo is how an import file was read, for the person who sent it.
type FileInfo struct {
	Format    string `json:"format"`              // csv or xlsx
	Encoding  string `json:"pengodean,omitempty"` // a CSV's text: UTF-8 or Windows-1252
	Separator string `json:"pemisah,omitempty"`   // a CSV's separator: "," ";" or "tab"
	HeaderRow int    `json:"baris_judul"`         // the header row, as the spreadsheet numbers its rows
}

// Notes say what was read otherwise than the template is: a Windows
// encoding, a header below title rows. In lang (id or en).
func (f FileInfo) Notes(lang string) []string {
	var out []apperr.Text
	if f.Encoding == Windows1252 {
		out = append(out, apperr.T("Berkas bukan UTF-8 dan dibaca sebagai Windows-1252 (CSV bawaan Excel di Windows); periksa huruf beraksen di hasilnya.",
			"The file is not UTF-8 and was read as Windows-1252 (Excel's default CSV on Windows); check accented letters in the result."))
	}
	if f.HeaderRow > 1 {
		out = append(out, apperr.T(fmt.Sprintf("Judul kolom dibaca di baris %d; baris 1–%d di atasnya (judul tabel) dilewati.", f.HeaderRow, f.HeaderRow-1),
			fmt.Sprintf("Column headers read on row %d; rows 1–%d above them (titles) were skipped.", f.HeaderRow, f.HeaderRow-1)))
	}
	var s []string
	for _, t := range out {
		if lang == "en" {
			s = append(s, t.EN)
		} else {
			s = append(s, t.ID)
		}
	}
	return s
}

// Sheet reads rows of cells from a CSV or the first sheet of an XLSX,
// streaming: a row at a time.
type Sheet struct {
	next  func() ([]string, error)
	close func()
	Row   int // the row Next read last, numbered as the spreadsheet numbers it (the header is not always row 1)
	Info  FileInfo
}

// Next reads the next row; io.EOF at the end, an Invalid error over a limit.
func (sh *Sheet) Next() ([]string, error) { return sh.next() }

// Close releases the sheet and what it unpacked.
func (sh *Sheet) Close() { sh.close() }

// Open opens a file Check has passed. An XLSX gets a temporary directory
// of its own for what excelize unpacks, removed by Close on every path,
// whatever excelize leaves behind on an error.
func (tp *Template) Open(name string, b []byte, format, tmp string) (*Sheet, error) {
	var (
		sh   *Sheet
		read func() (cells []string, n int, err error) // n counts rows for the limits, as Check does
	)
	switch format {
	case CSV:
		enc, sep := tp.csvText(b)
		r := csv.NewReader(Text(b, enc))
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		r.LazyQuotes = true // office files carry stray quotes
		r.Comma = sep
		sh = &Sheet{close: func() {}, Info: FileInfo{Format: CSV, Encoding: enc, Separator: map[rune]string{',': ",", ';': ";", '\t': "tab"}[sep]}}
		records, end := 0, 0 // records read; the line the last one ended on
		read = func() ([]string, int, error) {
			cells, err := r.Read()
			if err != nil {
				return nil, records, err
			}
			records++
			// encoding/csv skips empty lines, which a spreadsheet shows as
			// rows; a cell with line breaks is one row over several lines.
			line, _ := r.FieldPos(0)
			sh.Row += line - end
			last, _ := r.FieldPos(len(cells) - 1)
			end = last + strings.Count(cells[len(cells)-1], "\n")
			return cells, records, nil
		}
	case XLSX:
		var err error
		if sh, err = tp.openXLSX(b, tmp); err != nil {
			return nil, err
		}
		rows := sh.next
		read = func() ([]string, int, error) {
			cells, err := rows()
			if err == nil {
				sh.Row++ // excelize hands out a row for each number, blank or not
			}
			return cells, sh.Row, err
		}
	default:
		return nil, ErrNotSheet
	}
	sh.next = func() ([]string, error) {
		cells, n, err := read()
		if err != nil {
			return cells, err
		}
		return cells, tp.Limits.CheckRow(name, n, cells)
	}
	return sh, nil
}

// csvText is how a CSV is read: its encoding (Encoding) and its
// separator, told from the start of its text: the one with which a row
// among the first ten names most template columns, or GuessSeparator's
// for a file naming none.
func (tp *Template) csvText(b []byte) (enc string, sep rune) {
	enc = Encoding(b)
	return enc, tp.csvSeparator(Head(b, enc, 64<<10))
}

func (tp *Template) csvSeparator(head []byte) rune {
	best, most := GuessSeparator(head), 0
	for _, sep := range Separators {
		r := csv.NewReader(bytes.NewReader(head))
		r.FieldsPerRecord, r.LazyQuotes, r.Comma = -1, true, sep
		for range headerScan {
			cells, err := r.Read()
			if err != nil {
				break
			}
			if n := tp.headerScore(cells); n > most {
				best, most = sep, n
			}
		}
	}
	return best
}

func (tp *Template) openXLSX(b []byte, tmp string) (*Sheet, error) {
	dir, err := os.MkdirTemp(tmp, "impor-")
	if err != nil {
		return nil, fmt.Errorf("temp dir for xlsx: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit: tp.Limits.TotalBytes, UnzipXMLSizeLimit: excelize.StreamChunkSize, TmpDir: dir})
	closeAll := func() {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(dir)
	}
	if err != nil {
		closeAll()
		return nil, ErrNotSheet
	}
	names := f.GetSheetList()
	if len(names) == 0 {
		closeAll()
		return nil, ErrNotSheet
	}
	rows, err := f.Rows(names[0])
	if err != nil {
		closeAll()
		return nil, ErrNotSheet
	}
	return &Sheet{
		Info: FileInfo{Format: XLSX},
		next: func() ([]string, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return nil, err
				}
				return nil, io.EOF
			}
			return rows.Columns()
		},
		close: func() { rows.Close(); closeAll() },
	}, nil
}

// Layout is where a file holds each template column: its cell position by
// position in the template's Columns, -1 when the file lacks the column.
type Layout []int

// Cell is the file's cell of template column col in cells, trimmed ("" when
// the file lacks the column or the row is short).
func (l Layout) Cell(cells []string, col int) string {
	if i := l[col]; i >= 0 && i < len(cells) {
		return strings.TrimSpace(cells[i])
	}
	return ""
}

// headerScan is how many rows, blank ones not counted, may come before
// and with the header: title rows, a date, the office's name.
const headerScan = 10

// headerScore is how many template columns a row names.
func (tp *Template) headerScore(cells []string) int {
	n := 0
	for _, c := range cells {
		if _, ok := tp.names[teks.Fold(strings.TrimPrefix(c, "\ufeff"))]; ok {
			n++
		}
	}
	return n
}

// Header reads the file's header row and lays it out: of the first
// headerScan rows, the one naming most template columns (the first of
// them on a tie, the first row for a file naming none); title rows and
// merged title cells above it are skipped. The rows read past it are
// handed out again by Next.
func (tp *Template) Header(sh *Sheet) (Layout, error) {
	type ahead struct {
		cells []string
		row   int
	}
	var (
		rows       []ahead
		best, most = -1, 0
	)
	for n := 0; n < headerScan; {
		cells, err := sh.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if BlankRow(cells) {
			continue
		}
		n++
		rows = append(rows, ahead{slices.Clone(cells), sh.Row})
		if score := tp.headerScore(cells); score > most {
			best, most = len(rows)-1, score
		}
	}
	if len(rows) == 0 {
		return nil, errEmpty
	}
	best = max(best, 0)
	pos, err := tp.HeaderMap(rows[best].cells)
	if err != nil {
		return nil, err
	}
	sh.Info.HeaderRow = rows[best].row
	rest, read := rows[best+1:], sh.next
	sh.next = func() ([]string, error) {
		if len(rest) == 0 {
			return read()
		}
		r := rest[0]
		rest, sh.Row = rest[1:], r.row
		return r.cells, nil
	}
	return pos, nil
}

// HeaderMap lays a file's header out against the template, or says which
// headers are wrong or missing.
func (tp *Template) HeaderMap(header []string) (Layout, error) {
	pos := make(Layout, len(tp.Columns))
	for i := range pos {
		pos[i] = -1
	}
	var fields []apperr.Field
	for i, h := range header {
		h = teks.Fold(strings.TrimPrefix(h, "\ufeff")) // also joins a header wrapped onto two lines
		if h == "" {
			continue
		}
		col, ok := tp.names[h]
		if !ok && strings.ContainsAny(header[i], "\r\n") {
			// Most likely a quote opened and never closed, which swallows
			// the rows after it into this cell: the file is damaged, and
			// the cell (personal data and all) is not echoed back.
			return nil, apperr.InvalidField(fmt.Sprintf("header.kolom %d", i+1), nil, apperr.T(
				"Judul kolom tidak dikenal dan memuat baris baru: mungkin ada tanda kutip yang tidak ditutup. Periksa judul kolom, lalu simpan ulang berkas.",
				"An unknown column header spans lines: perhaps a quote is never closed. Check the headers and save the file again."))
		}
		if !ok {
			fields = append(fields, apperr.Field{Location: fmt.Sprintf("header.kolom %d", i+1), Value: teks.Truncate(header[i], 100),
				Message: apperr.T("Judul kolom tidak dikenal. Gunakan judul dari template.", "Unknown column header. Use the template's headers.")})
			continue
		}
		if pos[col] >= 0 {
			fields = append(fields, apperr.Field{Location: fmt.Sprintf("header.kolom %d", i+1), Value: teks.Truncate(header[i], 100),
				Message: apperr.T("Kolom ini muncul dua kali.", "This column appears twice.")})
			continue
		}
		pos[col] = i
	}
	for col, c := range tp.Columns {
		if c.Required && pos[col] < 0 {
			fields = append(fields, apperr.Field{Location: "header", Value: c.Label,
				Message: apperr.T("Kolom wajib tidak ada: "+c.Label+".", "Required column missing: "+c.Label+".")})
		}
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(apperr.T("Judul kolom berkas tidak sesuai template.", "The file's column headers do not match the template."), fields...)
	}
	return pos, nil
}

// CheckFile refuses, before a job is queued, a file that is not a sheet,
// exceeds the template's limits (checked streaming, before anything is
// unpacked to disk), or whose header row does not match the template.
// name is the file's name, for the messages; tmp where an XLSX unpacks.
func (tp *Template) CheckFile(name string, b []byte, tmp string) (string, error) {
	format, err := Sniff(name, b)
	if err != nil {
		return "", err
	}
	if format == CSV {
		enc, sep := tp.csvText(b)
		err = CheckCSV(name, b, sep, enc, tp.Limits)
	} else {
		err = Check(name, b, format, tp.Limits)
	}
	if err != nil {
		return "", err
	}
	sh, err := tp.Open(name, b, format, tmp)
	if err != nil {
		return "", err
	}
	defer sh.Close()
	_, err = tp.Header(sh)
	if err != nil && apperr.KindOf(err) != apperr.KindInvalid {
		return "", ErrNotSheet
	}
	return format, err
}

// Bytes returns the template as CSV: headers and one example row.
func (tp *Template) Bytes() []byte {
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf") // so Excel opens it as UTF-8
	w := csv.NewWriter(&b)
	var header, example []string
	for _, c := range tp.Columns {
		header = append(header, c.Label)
		example = append(example, c.Example)
	}
	_ = w.Write(header)
	_ = w.Write(example)
	w.Flush()
	return b.Bytes()
}

// BlankRow says whether every cell of a row is blank.
func BlankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
