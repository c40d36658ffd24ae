package umkm

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
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/teks"
)

// Column is one column of the import template.
type Column struct {
	Key      string // snake_case, also accepted as a header
	Label    string // the header in the template (Bahasa Indonesia)
	Required bool
	Example  string
}

// The template's columns, by position in Columns: a row is read by
// position, not by looking each cell's name up.
const (
	colNamaPemilik = iota
	colNIK
	colJenisKelamin
	colTelepon
	colEmail
	colNamaUsaha
	colSektor
	colKBLI
	colProduk
	colAlamat
	colRT
	colRW
	colKecamatan
	colKelurahan
	colLatitude
	colLongitude
	colModalUsaha
	colOmzetTahunan
	colTotalAset
	colKaryawanLaki
	colKaryawanPerempuan
	colTahunMulai
	colNIB
	colStatusBinaan
	colSaluranPenjualan
	colSkalaDilaporkan
	colNomorPIRT
	colNomorHalal
	colNomorBPOM
	numColumns
)

// Columns is the import template, in order. Headers match by label or key,
// ignoring case and surrounding spaces.
var Columns = []Column{
	colNamaPemilik:       {"nama_pemilik", "Nama Pemilik", true, "Siti Aminah"},
	colNIK:               {"nik", "NIK", false, "3276014507850001"},
	colJenisKelamin:      {"jenis_kelamin", "Jenis Kelamin (L/P)", false, "P"},
	colTelepon:           {"telepon", "Telepon", false, "0812-3456-7890"},
	colEmail:             {"email", "Email", false, ""},
	colNamaUsaha:         {"nama_usaha", "Nama Usaha", true, "Keripik Singkong Bu Siti"},
	colSektor:            {"sektor", "Sektor", true, "kuliner"},
	colKBLI:              {"kbli", "KBLI", false, "10792"},
	colProduk:            {"produk", "Produk", false, "keripik singkong, keripik pisang"},
	colAlamat:            {"alamat", "Alamat", false, "Jl. Melati No. 5"},
	colRT:                {"rt", "RT", false, "003"},
	colRW:                {"rw", "RW", false, "007"},
	colKecamatan:         {"kecamatan", "Kecamatan (kode atau nama)", true, "32.76.01"},
	colKelurahan:         {"kelurahan", "Kelurahan/Desa (kode atau nama)", true, "32.76.01.1006"},
	colLatitude:          {"latitude", "Latitude", false, ""},
	colLongitude:         {"longitude", "Longitude", false, ""},
	colModalUsaha:        {"modal_usaha", "Modal Usaha (Rp)", false, "25.000.000"},
	colOmzetTahunan:      {"omzet_tahunan", "Omzet per Tahun (Rp)", false, "Rp 180 jt"},
	colTotalAset:         {"total_aset", "Total Aset (Rp)", false, ""},
	colKaryawanLaki:      {"karyawan_laki", "Karyawan Laki-laki", false, "1"},
	colKaryawanPerempuan: {"karyawan_perempuan", "Karyawan Perempuan", false, "3"},
	colTahunMulai:        {"tahun_mulai", "Tahun Mulai", false, "2019"},
	colNIB:               {"nib", "NIB", false, ""},
	colStatusBinaan:      {"status_binaan", "Status Binaan (binaan/bukan_binaan)", false, "binaan"},
	colSaluranPenjualan:  {"saluran_penjualan", "Saluran Penjualan (pisahkan dengan koma)", false, "offline, shopee"},
	colSkalaDilaporkan:   {"skala_dilaporkan", "Skala Usaha (dilaporkan)", false, "mikro"},
	colNomorPIRT:         {"nomor_pirt", "Nomor P-IRT", false, ""},
	colNomorHalal:        {"nomor_halal", "Nomor Sertifikat Halal", false, ""},
	colNomorBPOM:         {"nomor_bpom", "Nomor BPOM (MD/ML)", false, ""},
}

// Kinds of upload.
const (
	FormatCSV  = spreadsheet.CSV
	FormatXLSX = spreadsheet.XLSX
)

// MaxUploadBytes bounds an import file (150.000 rows of CSV are ~30 MB).
const MaxUploadBytes = 64 << 20

// ImportLimits bound one import file, checked at upload and again as the
// worker reads it. The largest real office import is ~200.000 rows of the
// template's 29 columns; Excel holds at most 32.767 characters in a cell.
// Unpacked, an XLSX may be a few times the upload limit: a sheet XML is
// ~10 times its compressed size, and excelize streams it through a
// temporary file.
func ImportLimits() spreadsheet.Limits {
	return spreadsheet.Limits{
		Rows:          250_000,
		Columns:       200,
		CellChars:     32_767,
		SheetBytes:    8 * MaxUploadBytes,
		PartBytes:     32 << 20,
		TotalBytes:    12 * MaxUploadBytes,
		Parts:         10_000,
		SharedStrings: 4_000_000,
	}
}

// SniffFormat tells a CSV from an XLSX by content, not by name: XLSX is a
// ZIP archive; CSV must be text (see spreadsheet.Encoding). Anything else
// is refused.
func SniffFormat(b []byte) (string, error) { return sniff("", b) }

func sniff(name string, b []byte) (string, error) {
	if err := spreadsheet.CheckOLE(name, b); err != nil {
		return "", err
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return FormatXLSX, nil
	}
	if bytes.HasPrefix(b, []byte("\xff\xfe")) || bytes.HasPrefix(b, []byte("\xfe\xff")) {
		return "", errUTF16
	}
	if len(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))) == 0 || spreadsheet.Encoding(b) == "" {
		return "", errNotSheet
	}
	return FormatCSV, nil
}

var errNotSheet = apperr.InvalidField("body", nil, apperr.T(
	"Berkas bukan CSV atau Excel (.xlsx). Unduh template lalu isi ulang.",
	"The file is neither CSV nor Excel (.xlsx). Download the template and fill it in."))

// Excel's "Unicode Text" is UTF-16; Sentra reads UTF-8 and Windows text.
var errUTF16 = apperr.InvalidField("body", nil, apperr.T(
	"Berkas teks Unicode (UTF-16) tidak didukung. Di Excel pilih Simpan Sebagai > CSV UTF-8, lalu unggah lagi.",
	"Unicode (UTF-16) text files are not supported. In Excel choose Save As > CSV UTF-8, then upload again."))

var errEmpty = apperr.InvalidField("body", nil, apperr.T("Berkas kosong.", "The file is empty."))

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
	if f.Encoding == spreadsheet.Windows1252 {
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

// sheet reads rows of cells from a CSV or the first sheet of an XLSX,
// streaming: a row at a time.
type sheet struct {
	next  func() ([]string, error)
	close func()
	row   int // the row next read last, numbered as the spreadsheet numbers it (the header is not always row 1)
	info  FileInfo
}

// openSheet opens a file Check has passed. An XLSX gets a temporary
// directory of its own for what excelize unpacks, removed by close on
// every path, whatever excelize leaves behind on an error.
func openSheet(name string, b []byte, format, tmp string) (*sheet, error) {
	var (
		sh   *sheet
		read func() (cells []string, n int, err error) // n counts rows for the limits, as Check does
	)
	switch format {
	case FormatCSV:
		enc, sep := csvText(b)
		r := csv.NewReader(spreadsheet.Text(b, enc))
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		r.LazyQuotes = true // office files carry stray quotes
		r.Comma = sep
		sh = &sheet{close: func() {}, info: FileInfo{Format: FormatCSV, Encoding: enc, Separator: map[rune]string{',': ",", ';': ";", '\t': "tab"}[sep]}}
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
			sh.row += line - end
			last, _ := r.FieldPos(len(cells) - 1)
			end = last + strings.Count(cells[len(cells)-1], "\n")
			return cells, records, nil
		}
	case FormatXLSX:
		var err error
		if sh, err = openXLSX(b, tmp); err != nil {
			return nil, err
		}
		rows := sh.next
		read = func() ([]string, int, error) {
			cells, err := rows()
			if err == nil {
				sh.row++ // excelize hands out a row for each number, blank or not
			}
			return cells, sh.row, err
		}
	default:
		return nil, errNotSheet
	}
	lim := ImportLimits()
	sh.next = func() ([]string, error) {
		cells, n, err := read()
		if err != nil {
			return cells, err
		}
		return cells, lim.CheckRow(name, n, cells)
	}
	return sh, nil
}

// csvText is how a CSV is read: its encoding (spreadsheet.Encoding) and
// its separator, told from the start of its text: the one with which a
// row among the first ten names most template columns, or
// spreadsheet.GuessSeparator's for a file naming none.
func csvText(b []byte) (enc string, sep rune) {
	enc = spreadsheet.Encoding(b)
	return enc, csvSeparator(spreadsheet.Head(b, enc, 64<<10))
}

func csvSeparator(head []byte) rune {
	best, most := spreadsheet.GuessSeparator(head), 0
	for _, sep := range spreadsheet.Separators {
		r := csv.NewReader(bytes.NewReader(head))
		r.FieldsPerRecord, r.LazyQuotes, r.Comma = -1, true, sep
		for range headerScan {
			cells, err := r.Read()
			if err != nil {
				break
			}
			if n := headerScore(cells); n > most {
				best, most = sep, n
			}
		}
	}
	return best
}

func openXLSX(b []byte, tmp string) (*sheet, error) {
	dir, err := os.MkdirTemp(tmp, "impor-")
	if err != nil {
		return nil, fmt.Errorf("temp dir for xlsx: %w", err)
	}
	lim := ImportLimits()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit: lim.TotalBytes, UnzipXMLSizeLimit: excelize.StreamChunkSize, TmpDir: dir})
	closeAll := func() {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(dir)
	}
	if err != nil {
		closeAll()
		return nil, errNotSheet
	}
	names := f.GetSheetList()
	if len(names) == 0 {
		closeAll()
		return nil, errNotSheet
	}
	rows, err := f.Rows(names[0])
	if err != nil {
		closeAll()
		return nil, errNotSheet
	}
	return &sheet{
		info: FileInfo{Format: FormatXLSX},
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

// layout is where a file holds each template column: its cell position by
// position in Columns, -1 when the file lacks the column.
type layout []int

// headerNames are the template's columns by folded key and label.
var headerNames = func() map[string]int {
	byName := map[string]int{}
	for i, c := range Columns {
		byName[fold(c.Key)] = i
		byName[fold(c.Label)] = i
	}
	return byName
}()

// headerScan is how many rows, blank ones not counted, may come before
// and with the header: title rows, a date, the office's name.
const headerScan = 10

// headerScore is how many template columns a row names.
func headerScore(cells []string) int {
	n := 0
	for _, c := range cells {
		if _, ok := headerNames[fold(strings.TrimPrefix(c, "\ufeff"))]; ok {
			n++
		}
	}
	return n
}

// header reads the file's header row and lays it out: of the first
// headerScan rows, the one naming most template columns (the first of
// them on a tie, the first row for a file naming none); title rows and
// merged title cells above it are skipped. The rows read past it are
// handed out again by next.
func (sh *sheet) header() (layout, error) {
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
		if blankRow(cells) {
			continue
		}
		n++
		rows = append(rows, ahead{slices.Clone(cells), sh.row})
		if score := headerScore(cells); score > most {
			best, most = len(rows)-1, score
		}
	}
	if len(rows) == 0 {
		return nil, errEmpty
	}
	best = max(best, 0)
	pos, err := headerMap(rows[best].cells)
	if err != nil {
		return nil, err
	}
	sh.info.HeaderRow = rows[best].row
	rest, read := rows[best+1:], sh.next
	sh.next = func() ([]string, error) {
		if len(rest) == 0 {
			return read()
		}
		r := rest[0]
		rest, sh.row = rest[1:], r.row
		return r.cells, nil
	}
	return pos, nil
}

// headerMap lays a file's header out against the template, or says which
// headers are wrong or missing.
func headerMap(header []string) (layout, error) {
	byName := headerNames
	pos := make(layout, len(Columns))
	for i := range pos {
		pos[i] = -1
	}
	var fields []apperr.Field
	for i, h := range header {
		h = fold(strings.TrimPrefix(h, "\ufeff")) // also joins a header wrapped onto two lines
		if h == "" {
			continue
		}
		col, ok := byName[h]
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
	for col, c := range Columns {
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

// CheckHeader checks an upload (see checkFile) with the system's
// temporary directory.
func CheckHeader(b []byte) (string, error) { return checkFile("", b, os.TempDir()) }

// checkFile refuses, before a job is queued, a file that is not a sheet,
// exceeds ImportLimits (checked streaming, before anything is unpacked to
// disk), or whose header row does not match the template. name is the
// file's name, for the messages.
func checkFile(name string, b []byte, tmp string) (string, error) {
	format, err := sniff(name, b)
	if err != nil {
		return "", err
	}
	if format == FormatCSV {
		enc, sep := csvText(b)
		err = spreadsheet.CheckCSV(name, b, sep, enc, ImportLimits())
	} else {
		err = spreadsheet.Check(name, b, format, ImportLimits())
	}
	if err != nil {
		return "", err
	}
	sh, err := openSheet(name, b, format, tmp)
	if err != nil {
		return "", err
	}
	defer sh.close()
	_, err = sh.header()
	if err != nil && apperr.KindOf(err) != apperr.KindInvalid {
		return "", errNotSheet
	}
	return format, err
}

// Template returns the import template as CSV: headers and one example row.
func Template() []byte {
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf") // so Excel opens it as UTF-8
	w := csv.NewWriter(&b)
	var header, example []string
	for _, c := range Columns {
		header = append(header, c.Label)
		example = append(example, c.Example)
	}
	_ = w.Write(header)
	_ = w.Write(example)
	w.Flush()
	return b.Bytes()
}
