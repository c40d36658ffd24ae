// Package spreadsheet writes the CSV and XLSX files Sentra exports, and
// keeps spreadsheet formulas out of them (OWASP CSV injection): a value a
// spreadsheet would evaluate is refused on input and neutralised on output.
// Shared by the registries' exports.
package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Formats of a file.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// MIME returns the media type of a format.
func MIME(format string) string {
	if format == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv"
}

// Writer writes rows of text cells to a CSV (UTF-8 with a BOM, so Excel
// opens it as UTF-8) or to the first sheet of an XLSX, streaming. Every cell
// is neutralised (SafeCell).
type Writer struct {
	buf   bytes.Buffer
	write func([]string) error
	flush func() error
	close func()
	cells []string
}

// NewWriter starts a file of format (CSV unless XLSX). Close releases it.
func NewWriter(format string) (*Writer, error) {
	w := &Writer{close: func() {}}
	if format == XLSX {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			f.Close()
			return nil, err
		}
		row := 1
		w.write = func(cells []string) error {
			vals := make([]any, len(cells))
			for i, c := range cells {
				vals[i] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			row++
			return sw.SetRow(cell, vals)
		}
		w.flush = func() error {
			if err := sw.Flush(); err != nil {
				return err
			}
			return f.Write(&w.buf)
		}
		w.close = func() { f.Close() }
		return w, nil
	}
	w.buf.WriteString("\xef\xbb\xbf")
	cw := csv.NewWriter(&w.buf)
	w.write = cw.Write
	w.flush = func() error { cw.Flush(); return cw.Error() }
	return w, nil
}

// Write writes one row.
func (w *Writer) Write(cells []string) error {
	w.cells = w.cells[:0]
	for _, c := range cells {
		w.cells = append(w.cells, SafeCell(c))
	}
	return w.write(w.cells)
}

// Bytes finishes the file and returns it.
func (w *Writer) Bytes() ([]byte, error) {
	if err := w.flush(); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}

// Close releases the writer.
func (w *Writer) Close() { w.close() }

// LooksLikeFormula says whether a spreadsheet would evaluate v.
func LooksLikeFormula(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	switch v[0] {
	case '=', '@':
		return true
	case '+', '-':
		// "+62 812..." and "-" are data; "+SUM(" or "-1+1" are not.
		return len(v) > 1 && strings.ContainsAny(v[1:], "()=!")
	}
	return false
}

// SafeCell neutralises a value that a spreadsheet would treat as a formula
// when a file is opened.
func SafeCell(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}
