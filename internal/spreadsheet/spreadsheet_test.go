package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestFormulasAreRefusedAndNeutralised(t *testing.T) {
	for in, want := range map[string]bool{"=SUM(A1)": true, "@cmd": true, "+SUM(1)": true, "-1+1()": true,
		"+62 812": false, "-": false, "Keripik": false} {
		if got := LooksLikeFormula(in); got != want {
			t.Errorf("LooksLikeFormula(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "-Toko": "'-Toko", "Toko": "Toko", "": ""} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriterWritesNeutralisedRows: both formats hold the rows written, with
// formulas neutralised.
func TestWriterWritesNeutralisedRows(t *testing.T) {
	rows := [][]string{{"nama", "catatan"}, {"Koperasi Maju", "=HYPERLINK(\"x\")"}}
	want := [][]string{{"nama", "catatan"}, {"Koperasi Maju", "'=HYPERLINK(\"x\")"}}
	for _, format := range []string{CSV, XLSX} {
		w, err := NewWriter(format)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		out, err := w.Bytes()
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got [][]string
		if format == CSV {
			if !bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
				t.Error("CSV without a UTF-8 BOM")
			}
			got, err = csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
		} else {
			f, ferr := excelize.OpenReader(bytes.NewReader(out))
			if ferr != nil {
				t.Fatal(ferr)
			}
			got, err = f.GetRows("Sheet1")
			f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s holds %q, want %q", format, got, want)
		}
	}
}
