package umkm_test

import (
	"os"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/apperr"
	hostile "github.com/sentra-id/sentra/internal/spreadsheet/spreadsheettest"
	"github.com/sentra-id/sentra/internal/umkm"
)

// TestImportReadsXLSXWithinLimits: the worker checks the stored file again
// (one queued before the limits existed is refused there, with the
// reason), reads a real XLSX whose sheet excelize unpacks to disk, and
// leaves the temp dir empty either way.
func TestImportReadsXLSXWithinLimits(t *testing.T) {
	b := setup(t)
	tmp := t.TempDir()
	b.svc.TempDir = tmp
	header := hostile.InlineRow("Nama Pemilik", "Nama Usaha", "Sektor", "Kecamatan (kode atau nama)", "Kelurahan/Desa (kode atau nama)")
	rows := hostile.InlineRow("Siti Aminah", "Keripik Bu Siti", "kuliner", "32.76.01", "32.76.01.1006") +
		hostile.InlineRow("Budi Santoso", "Bakso Pak Budi", "kuliner", "32.76.01", "32.76.01.1006")
	pad := `<row><c t="inlineStr"><is><t>` + strings.Repeat(" ", 80) + `</t></is></c></row>` // blank rows
	file := hostile.Workbook(t, hostile.Sheet(header+rows, pad, 200_000, ""), "")
	res, err := importFile(t, b, "depok", file, umkm.ImportOptions{Nama: "pendataan.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Baru != 2 || !res.Summary.Ditulis {
		t.Fatalf("summary %+v", res.Summary)
	}

	tooMany := hostile.Workbook(t, hostile.Sheet(header, "<row><c><v>1</v></c></row>", 10_000_000, ""), "")
	_, err = importFile(t, b, "depok", tooMany, umkm.ImportOptions{Nama: "baris.xlsx"})
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindInvalid || !strings.Contains(e.Fields[0].Message.ID, `Berkas "baris.xlsx" memuat lebih dari 250.000 baris data`) {
		t.Fatalf("importing 10 million rows: %v", err)
	}
	if es, err := os.ReadDir(tmp); err != nil || len(es) != 0 {
		t.Errorf("temp dir after the imports: %d entries, %v", len(es), err)
	}
}
