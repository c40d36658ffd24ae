package umkm

import (
	"os"

	"github.com/sentra-id/sentra/internal/spreadsheet"
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

// importTemplate reads register imports.
var importTemplate = func() *spreadsheet.Template {
	cols := make([]spreadsheet.Column, len(Columns))
	for i, c := range Columns {
		cols[i] = spreadsheet.Column(c)
	}
	return spreadsheet.NewTemplate(cols, ImportLimits(), nil)
}()

// SniffFormat tells a CSV from an XLSX by content, not by name: XLSX is a
// ZIP archive; CSV must be text (see spreadsheet.Encoding). Anything else
// is refused.
func SniffFormat(b []byte) (string, error) { return spreadsheet.Sniff("", b) }

var errNotSheet = spreadsheet.ErrNotSheet

// FileInfo is how an import file was read, for the person who sent it.
type FileInfo = spreadsheet.FileInfo

// layout is where a file holds each template column.
type layout = spreadsheet.Layout

func openSheet(name string, b []byte, format, tmp string) (*spreadsheet.Sheet, error) {
	return importTemplate.Open(name, b, format, tmp)
}

func headerMap(header []string) (layout, error) { return importTemplate.HeaderMap(header) }

// CheckHeader checks an upload (see checkFile) with the system's
// temporary directory.
func CheckHeader(b []byte) (string, error) { return checkFile("", b, os.TempDir()) }

// checkFile refuses, before a job is queued, a file that is not a sheet,
// exceeds ImportLimits (checked streaming, before anything is unpacked to
// disk), or whose header row does not match the template. name is the
// file's name, for the messages.
func checkFile(name string, b []byte, tmp string) (string, error) {
	return importTemplate.CheckFile(name, b, tmp)
}

// Template returns the import template as CSV: headers and one example row.
func Template() []byte { return importTemplate.Bytes() }
