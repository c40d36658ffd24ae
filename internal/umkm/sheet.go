package umkm

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

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
// ZIP archive; CSV must be UTF-8 text. Anything else is refused.
func SniffFormat(b []byte) (string, error) { return sniff("", b) }

func sniff(name string, b []byte) (string, error) {
	if err := spreadsheet.CheckOLE(name, b); err != nil {
		return "", err
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return FormatXLSX, nil
	}
	head := b[:min(len(b), 64<<10)]
	// Only a rune cut at the end of the sample may be invalid; anything else
	// is another encoding (Excel on Windows saves Windows-1252).
	for cut := 0; cut < utf8.UTFMax-1 && len(head) > 0 && !utf8.Valid(head); cut++ {
		head = head[:len(head)-1]
	}
	if len(b) == 0 || len(head) == 0 || bytes.IndexByte(head, 0) >= 0 {
		return "", errNotSheet
	}
	if !utf8.Valid(head) {
		return "", errNotUTF8
	}
	return FormatCSV, nil
}

var errNotSheet = apperr.InvalidField("body", nil, apperr.T(
	"Berkas bukan CSV (UTF-8) atau Excel (.xlsx). Unduh template lalu isi ulang.",
	"The file is neither CSV (UTF-8) nor Excel (.xlsx). Download the template and fill it in."))

var errNotUTF8 = apperr.InvalidField("body", nil, apperr.T(
	"Berkas CSV bukan UTF-8. Di Excel pilih Simpan Sebagai > CSV UTF-8, lalu unggah lagi.",
	"The CSV file is not UTF-8. In Excel choose Save As > CSV UTF-8, then upload again."))

// sheet reads rows of cells from a CSV or the first sheet of an XLSX,
// streaming: a row at a time.
type sheet struct {
	next  func() ([]string, error)
	close func()
}

// openSheet opens a file Check has passed. An XLSX gets a temporary
// directory of its own for what excelize unpacks, removed by close on
// every path, whatever excelize leaves behind on an error.
func openSheet(name string, b []byte, format, tmp string) (*sheet, error) {
	var sh *sheet
	switch format {
	case FormatCSV:
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // Excel writes a BOM
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		r.LazyQuotes = true // office files carry stray quotes
		if sep := spreadsheet.GuessSeparator(b); sep != ',' {
			r.Comma = sep
		}
		sh = &sheet{next: r.Read, close: func() {}}
	case FormatXLSX:
		var err error
		if sh, err = openXLSX(b, tmp); err != nil {
			return nil, err
		}
	default:
		return nil, errNotSheet
	}
	lim, row, read := ImportLimits(), 0, sh.next
	sh.next = func() ([]string, error) {
		cells, err := read()
		if err != nil {
			return cells, err
		}
		row++
		return cells, lim.CheckRow(name, row, cells)
	}
	return sh, nil
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

// headerMap lays a file's header out against the template, or says which
// headers are wrong or missing.
func headerMap(header []string) (layout, error) {
	byName := map[string]int{}
	for i, c := range Columns {
		byName[fold(c.Key)] = i
		byName[fold(c.Label)] = i
	}
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
	if err := spreadsheet.Check(name, b, format, ImportLimits()); err != nil {
		return "", err
	}
	sh, err := openSheet(name, b, format, tmp)
	if err != nil {
		return "", err
	}
	defer sh.close()
	header, err := sh.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return "", apperr.InvalidField("body", nil, apperr.T("Berkas kosong.", "The file is empty."))
		}
		if apperr.KindOf(err) == apperr.KindInvalid {
			return "", err
		}
		return "", errNotSheet
	}
	_, err = headerMap(header)
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
