package httpapi

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"

	hostile "github.com/sentra-id/sentra/internal/spreadsheet/spreadsheettest"
	"github.com/sentra-id/sentra/internal/umkm"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TestImportRefusesHostileFilesAtUpload: each hostile or unreadable file
// is a 422 problem+json in Indonesian naming the file and its fault, at
// upload: no job, no stored file, nothing left in the temp dir.
func TestImportRefusesHostileFilesAtUpload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tmp := t.TempDir()
	b.srv.UMKM.TempDir = tmp
	staf := b.login(t, b.depokStaf.Email)

	header := hostile.InlineRow("Nama Pemilik", "Nama Usaha", "Sektor", "Kecamatan", "Kelurahan")
	bomb := hostile.Sheet("<!--", strings.Repeat("x", 1<<10), 600<<10, "-->")
	lie := hostile.Sheet(header+"<!--", strings.Repeat("x", 1<<10), 100<<10, "-->")
	lie.Declared = 4 << 10
	for name, c := range map[string]struct {
		file []byte
		want string
	}{
		"bom.xlsx":       {hostile.Workbook(t, bomb, ""), "bagian xl/worksheets/sheet1.xml melebihi 512 MB"},
		"bohong.xlsx":    {hostile.Workbook(t, lie, ""), "lebih banyak data daripada yang dinyatakan"},
		"kolom.xlsx":     {hostile.Workbook(t, hostile.Sheet(`<row r="1">`, "<c/>", 1_000_000, "</row>"), ""), "lebih dari 200 kolom"},
		"sel.csv":        {append([]byte("Nama Pemilik,Catatan\nx,"), bytes.Repeat([]byte("a"), 10<<20)...), "sel lebih dari 32.767 karakter"},
		"baris.xlsx":     {hostile.Workbook(t, hostile.Sheet(header, "<row><c><v>1</v></c></row>", 10_000_000, ""), ""), "lebih dari 250.000 baris data"},
		"sandi.xlsx":     {hostile.Encrypted(t), "terenkripsi (berkata sandi)"},
		"lama.xls":       {hostile.Excel97, "Excel 97-2003 (.xls)"},
		"libre.ods":      {hostile.ODS(t), "OpenDocument (.ods)"},
		"makro.xlsm":     {hostile.Workbook(t, hostile.Sheet(header, "", 0, ""), "application/vnd.ms-excel.sheet.macroEnabled.main+xml"), "makro"},
		"makro-vba.xlsx": {hostile.Workbook(t, hostile.Sheet(header, "", 0, ""), "", hostile.Part{Name: "xl/vbaProject.bin", Head: "\x00"}), "makro"},
	} {
		t.Run(name, func(t *testing.T) {
			r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/impor?nama="+name, staf, c.file, "Content-Type", xlsxType)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			p := r.problem(t)
			msg, _ := p.field("body")
			if !strings.Contains(msg, `Berkas "`+name+`"`) || !strings.Contains(msg, c.want) {
				t.Errorf("message %q, want the file named and %q", msg, c.want)
			}
			if len(r.raw) > 4<<10 {
				t.Errorf("a %d-byte problem", len(r.raw))
			}
		})
	}
	if n := b.count(t, "depok", "select count(*) from pekerjaan"); n != 0 {
		t.Errorf("%d jobs queued for refused files", n)
	}
	if es, err := os.ReadDir(tmp); err != nil || len(es) != 0 {
		t.Errorf("temp dir after the refusals: %d entries, %v", len(es), err)
	}
}

// TestImportAcceptsALargeXLSX: a real workbook whose sheet excelize
// unpacks to disk is queued, and its temp files are gone after the upload.
func TestImportAcceptsALargeXLSX(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tmp := t.TempDir()
	b.srv.UMKM.TempDir = tmp
	staf := b.login(t, b.depokStaf.Email)
	var header []string
	for _, c := range umkm.Columns {
		header = append(header, c.Label)
	}
	pad := `<row><c t="inlineStr"><is><t>` + strings.Repeat(" ", 80) + `</t></is></c></row>` // blank rows
	file := hostile.Workbook(t, hostile.Sheet(hostile.InlineRow(header...), pad, 200_000, ""), "")
	r := b.do(t, http.MethodPost, "/v1/tenants/depok/umkm/impor?nama=pendataan.xlsx", staf, file, "Content-Type", xlsxType)
	if r.status != http.StatusAccepted {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if es, err := os.ReadDir(tmp); err != nil || len(es) != 0 {
		t.Errorf("temp dir after the upload: %d entries, %v", len(es), err)
	}
}
