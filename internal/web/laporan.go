package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sentra-id/sentra/internal/umkm"
)

// The per-row report of an import, read from the report file the import
// stored (baris, hasil, umkm_id, kolom_berubah, masalah, peringatan): the
// one record of every row, for dry runs too.

// BarisLaporan is one row of the report as the page shows it.
type BarisLaporan struct {
	Baris      int
	Hasil      string
	Berubah    string
	Masalah    []Masalah
	Peringatan []Masalah
}

// Masalah is one problem of a row: the column and the reason.
type Masalah struct{ Kolom, Alasan string }

// hasilLabel are the outcomes in words, in the report's order.
var hasilLabel = []Opsi{
	{umkm.HasilBaru, "Baru"}, {umkm.HasilDiperbarui, "Diperbarui"}, {umkm.HasilSama, "Sama"},
	{umkm.HasilDuplikat, "Duplikat"}, {umkm.HasilTidakValid, "Tidak valid"},
}

func validHasil(h string) bool {
	for _, o := range hasilLabel {
		if o.Nilai == h {
			return true
		}
	}
	return h == ""
}

// readReport returns up to limit rows after row after whose outcome is
// hasil ("" for all), and the row to continue after ("" at the end).
func readReport(report []byte, hasil string, after, limit int) ([]BarisLaporan, string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(report, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = 6
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil { // the header
		return nil, "", fmt.Errorf("import report header: %w", err)
	}
	var out []BarisLaporan
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, "", nil
		} else if err != nil {
			return nil, "", fmt.Errorf("import report: %w", err)
		}
		n, err := strconv.Atoi(rec[0])
		if err != nil {
			return nil, "", fmt.Errorf("import report row %q: %w", rec[0], err)
		}
		if n <= after || (hasil != "" && rec[1] != hasil) {
			continue
		}
		if len(out) == limit {
			return out, strconv.Itoa(out[len(out)-1].Baris), nil
		}
		out = append(out, BarisLaporan{Baris: n, Hasil: rec[1], Berubah: rec[3], Masalah: problems(rec[4]), Peringatan: problems(rec[5])})
	}
}

// problems splits a report cell, "kolom: alasan; kolom: alasan", undoing
// the quote that keeps a spreadsheet from reading it as a formula. A note
// without a column (a duplicate's "NIK sama dengan baris 3") keeps its words
// whole.
func problems(cell string) []Masalah {
	if strings.HasPrefix(cell, "'") {
		cell = cell[1:]
	}
	if cell == "" {
		return nil
	}
	var out []Masalah
	for _, p := range strings.Split(cell, "; ") {
		kolom, alasan, ok := strings.Cut(p, ": ")
		if !ok || len(kolom) > 60 {
			kolom, alasan = "", p
		}
		out = append(out, Masalah{Kolom: columnLabel(kolom), Alasan: alasan})
	}
	return out
}

// HasilOpsi are the outcomes to filter the report by.
func (v *pekerjaanView) HasilOpsi() []Opsi { return hasilLabel }

// HasilLabel is the filter in words.
func (v *pekerjaanView) HasilLabel() string { return v.LabelHasil(v.Hasil) }

// LabelHasil is an outcome in words.
func (v *pekerjaanView) LabelHasil(h string) string {
	for _, o := range hasilLabel {
		if o.Nilai == h {
			return o.Label
		}
	}
	return h
}

// columnLabel is a field's column as the template heads it (nik → NIK);
// a location that is no column stays as it is.
func columnLabel(key string) string {
	for _, c := range umkm.Columns {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}
