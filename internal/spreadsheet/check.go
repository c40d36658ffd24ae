package spreadsheet

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/teks"
)

// Limits bound what reading one uploaded file may cost. An upload is small
// (compressed), but what it unpacks to, and how many rows, columns and
// characters it holds, are whatever its maker wrote: Check refuses a file
// that exceeds them before anything reads it for real.
type Limits struct {
	Rows      int // data rows, the header row not counted
	Columns   int
	CellChars int // characters in one cell; Excel's own limit is 32.767

	// Unpacked sizes of an XLSX (a zip archive). A worksheet or the shared
	// strings is streamed (through a temporary file when large); any other
	// part is read into memory, so it is bounded much tighter.
	SheetBytes    int64
	PartBytes     int64
	TotalBytes    int64
	Parts         int // entries in the archive
	SharedStrings int // distinct texts of a workbook: each is indexed in memory
}

// oleMagic starts an OLE compound file (CFB): a legacy .xls, or an
// encrypted workbook of any version, which Office wraps in CFB.
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// IsOLE says whether b is an OLE compound file.
func IsOLE(b []byte) bool { return bytes.HasPrefix(b, oleMagic) }

// CheckOLE refuses an OLE compound file, saying why: encrypted (its
// directory names the EncryptionInfo stream) or a legacy .xls. It returns
// nil for anything else.
func CheckOLE(name string, b []byte) error {
	if !IsOLE(b) {
		return nil
	}
	// Directory entry names are UTF-16LE; the directory may be anywhere in
	// the file, and looking at all of it costs one pass over the upload.
	if bytes.Contains(b, utf16le("EncryptionInfo")) || bytes.Contains(b, utf16le("EncryptedPackage")) {
		return refuse(name,
			"terenkripsi (berkata sandi) sehingga tidak dapat dibaca; simpan ulang tanpa kata sandi (File > Info > Lindungi Buku Kerja), lalu unggah lagi.",
			"is encrypted (password protected) and cannot be read; save it again without a password, then upload it again.")
	}
	return refuse(name,
		"berformat Excel 97-2003 (.xls) yang tidak didukung; buka di Excel, pilih Simpan Sebagai > Buku Kerja Excel (.xlsx), lalu unggah lagi.",
		"is an Excel 97-2003 workbook (.xls), which is not supported; save it as an Excel Workbook (.xlsx), then upload it again.")
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// Check refuses a CSV or XLSX (format) that exceeds lim, or an archive
// that is not a plain workbook (OpenDocument, macros, encrypted parts).
// It reads the file once, streaming, with memory bounded by lim whatever
// the file holds, and writes nothing to disk. A CSV is read with the
// separator GuessSeparator finds; see CheckCSV for another.
func Check(name string, b []byte, format string, lim Limits) error {
	if format == XLSX {
		return checkZip(name, b, lim)
	}
	enc := Encoding(b)
	return CheckCSV(name, b, GuessSeparator(Head(b, enc, 64<<10)), enc, lim)
}

// CheckCSV refuses a CSV that exceeds lim, read with separator sep as
// text of encoding enc (see Encoding).
func CheckCSV(name string, b []byte, sep rune, enc string, lim Limits) error {
	return checkCSV(name, bytes.TrimPrefix(b, bom), sep, enc == Windows1252, lim)
}

// Separators are the characters that may separate a CSV's cells: Excel
// saves "CSV" with commas or, in an Indonesian locale, semicolons, and
// "Text (Tab delimited)" with tabs.
var Separators = []rune{',', ';', '\t'}

// GuessSeparator tells the separator of a CSV from the start of its text:
// the one of Separators that a line among the first ten holds most of
// (the header row is a file's widest line, under any title rows), the
// first of them on a tie.
func GuessSeparator(text []byte) rune {
	best, most := ',', 0
	for i := 0; i < 10 && len(text) > 0; i++ {
		var line []byte
		line, text, _ = bytes.Cut(text, []byte("\n"))
		for _, sep := range Separators {
			if n := bytes.Count(line, []byte(string(sep))); n > most {
				best, most = sep, n
			}
		}
	}
	return best
}

// checkCSV walks the file as encoding/csv with LazyQuotes reads it (a
// quote opens a field only at its start; inside, "" is a quote and a quote
// ends the field only before a separator or a line end; empty lines are no
// record) and counts rows, columns and characters on the way, so a limit
// is named where the file first exceeds it.
//
// In a single-byte encoding (Windows-1252) every byte is a character.
func checkCSV(name string, b []byte, sep rune, singleByte bool, lim Limits) error {
	s := byte(sep)
	row, col, chars := 1, 1, 0
	quoted, atStart, empty := false, true, true
	for i := 0; i < len(b); i++ {
		c := b[i]
		if quoted {
			if c == '"' {
				next := byte('\n')
				if i+1 < len(b) {
					next = b[i+1]
				}
				switch {
				case next == '"':
					i++
				case next == s || next == '\n' || next == '\r':
					quoted = false
					continue
				}
			}
		} else {
			switch {
			case c == '"' && atStart:
				quoted, atStart, empty = true, false, false
				continue
			case c == s:
				col, chars, atStart, empty = col+1, 0, true, false
				if col > lim.Columns {
					return tooManyColumns(name, row, lim)
				}
				continue
			case c == '\n':
				if !empty {
					row++
					if row-1 > lim.Rows {
						return tooManyRows(name, lim)
					}
				}
				col, chars, atStart, empty = 1, 0, true, true
				continue
			case c == '\r':
				continue
			}
			atStart, empty = false, false
		}
		if singleByte || c&0xc0 != 0x80 { // the first byte of a UTF-8 character
			chars++
			if chars > lim.CellChars {
				return cellTooLarge(name, fmt.Sprintf("baris %d kolom %d", row, col), fmt.Sprintf("row %d column %d", row, col), lim, true)
			}
		}
	}
	return nil
}

// checkZip looks at an XLSX archive in three steps, each before the next
// costs anything: what its directory says (kinds and declared sizes), the
// few small parts that tell a macro or OpenDocument file, then every part
// unpacked as a stream, counting the bytes it really yields (a declared
// size can lie) and the rows, columns and characters of its XML.
func checkZip(name string, b []byte, lim Limits) error {
	if n, ok := zipEntries(b); ok && n > lim.Parts {
		return tooManyParts(name, lim)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return damaged(name)
	}
	if len(zr.File) > lim.Parts {
		return tooManyParts(name, lim)
	}
	var total uint64
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			return refuse(name, "memuat bagian terenkripsi (berkata sandi) sehingga tidak dapat dibaca; simpan ulang tanpa kata sandi, lalu unggah lagi.",
				"holds encrypted (password protected) parts and cannot be read; save it again without a password, then upload it again.")
		}
		if strings.HasSuffix(strings.ToLower(f.Name), "vbaproject.bin") {
			return macros(name)
		}
		if f.UncompressedSize64 > uint64(partLimit(f.Name, lim)) {
			return partTooLarge(name, f.Name, partLimit(f.Name, lim))
		}
		if total += f.UncompressedSize64; total > uint64(lim.TotalBytes) {
			return refuse(name, fmt.Sprintf("terlalu besar setelah dibuka (lebih dari %s MB seluruhnya).", angka(lim.TotalBytes>>20)),
				fmt.Sprintf("is too large when unpacked (over %d MB in all).", lim.TotalBytes>>20))
		}
	}
	for _, f := range zr.File {
		switch strings.ToLower(f.Name) {
		case "mimetype":
			head, err := readHead(f, 256)
			if err != nil {
				return damaged(name)
			}
			if bytes.HasPrefix(head, []byte("application/vnd.oasis.opendocument.spreadsheet")) {
				return refuse(name,
					"berformat OpenDocument (.ods) yang tidak didukung; simpan sebagai Buku Kerja Excel (.xlsx) atau CSV UTF-8, lalu unggah lagi.",
					"is an OpenDocument spreadsheet (.ods), which is not supported; save it as an Excel Workbook (.xlsx) or CSV UTF-8, then upload it again.")
			}
		case "[content_types].xml":
			types, err := readHead(f, lim.PartBytes)
			if err != nil {
				return damaged(name)
			}
			if bytes.Contains(bytes.ToLower(types), []byte("macroenabled")) {
				return macros(name)
			}
		}
	}
	for _, f := range zr.File {
		if err := checkPart(name, f, lim); err != nil {
			return err
		}
	}
	return nil
}

// partLimit: worksheets (excelize's rule: xl/worksheets/sheet*) and the
// shared strings are streamed; every other part is held in memory.
func partLimit(part string, lim Limits) int64 {
	p := strings.ToLower(strings.ReplaceAll(part, `\`, "/"))
	if strings.HasPrefix(p, "xl/worksheets/sheet") || p == "xl/sharedstrings.xml" {
		return lim.SheetBytes
	}
	return lim.PartBytes
}

// readHead unpacks at most n bytes of a part.
func readHead(f *zip.File, n int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, n))
	if errors.Is(err, zip.ErrFormat) { // more than declared: checkPart names it
		err = nil
	}
	return b, err
}

// checkPart unpacks one part as a stream, never more than its limit.
// archive/zip stops a part that yields more than its declared size with
// ErrFormat; the count here does not rely on it.
func checkPart(name string, f *zip.File, lim Limits) error {
	rc, err := f.Open()
	if err != nil {
		return damaged(name)
	}
	defer rc.Close()
	limit := partLimit(f.Name, lim)
	cr := &countingReader{r: rc, max: min(int64(f.UncompressedSize64), limit)}
	lower := strings.ToLower(f.Name)
	if strings.HasSuffix(lower, ".xml") || strings.HasSuffix(lower, ".rels") {
		err = scanXML(name, cr, lim)
	}
	if err == nil {
		_, err = io.Copy(io.Discard, cr) // the part's rest after its last element
	}
	switch {
	case err == nil:
		return nil
	case cr.over || errors.Is(err, zip.ErrFormat):
		return refuse(name, fmt.Sprintf("rusak: bagian %s berisi lebih banyak data daripada yang dinyatakan (batas %s MB).", f.Name, angka(limit>>20)),
			fmt.Sprintf("is damaged: part %s holds more data than it declares (limit %d MB).", f.Name, limit>>20))
	case apperr.KindOf(err) == apperr.KindInvalid:
		return err
	}
	return damaged(name)
}

// countingReader fails once a part yields more than max bytes.
type countingReader struct {
	r    io.Reader
	n    int64
	max  int64
	over bool
}

var errOverDeclared = errors.New("part larger than declared")

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n += int64(n); c.n > c.max {
		c.over = true
		return 0, errOverDeclared
	}
	return n, err
}

// tokenGuard fails the XML decoder reading through it once one token (a
// text, a comment, a tag with its attributes) grows past max bytes:
// encoding/xml holds a whole token in memory, and a worksheet that is one
// 3 GB comment is one token.
type tokenGuard struct {
	r       io.Reader
	n       int64 // bytes read
	start   int64 // where the token being read began
	max     int64
	tripped bool
}

func (g *tokenGuard) Read(p []byte) (int, error) {
	if g.n-g.start > g.max {
		g.tripped = true
		return 0, errors.New("xml token too large")
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// scanXML reads one XML part as tokens and checks what a worksheet (rows
// <row r>, cells <c r>, their text) or the shared strings (<si>) hold.
func scanXML(name string, r io.Reader, lim Limits) error {
	// A cell of CellChars characters is at most 6 bytes each when escaped
	// (&quot;); anything larger is more than one cell may hold.
	g := &tokenGuard{r: r, max: 6*int64(lim.CellChars) + 64<<10}
	dec := xml.NewDecoder(g)
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var (
		row, col, strs int
		chars          int
		inCell, inStr  bool
	)
	for {
		g.start = dec.InputOffset()
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if g.tripped {
				return cellTooLarge(name, "salah satu sel atau bagian XML-nya", "one cell or XML element", lim, false)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				if v, ok := attr(t, "r"); ok {
					if n, err := strconv.Atoi(v); err == nil && n > 0 {
						row = n
					}
				}
				if row-1 > lim.Rows {
					return tooManyRows(name, lim)
				}
				col = 0
			case "c":
				col++
				if v, ok := attr(t, "r"); ok {
					if n := columnOf(v); n > 0 {
						col = n
					}
				}
				if col > lim.Columns {
					return tooManyColumns(name, row, lim)
				}
				inCell, chars = true, 0
			case "si":
				if strs++; strs > lim.SharedStrings {
					return refuse(name, fmt.Sprintf("memuat lebih dari %s teks berbeda.", angka(int64(lim.SharedStrings))),
						fmt.Sprintf("holds more than %d distinct texts.", lim.SharedStrings))
				}
				inStr, chars = true, 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "c":
				inCell = false
			case "si":
				inStr = false
			}
		case xml.CharData:
			if !inCell && !inStr {
				continue
			}
			if chars += utf8.RuneCount(t); chars > lim.CellChars {
				if inCell {
					return cellTooLarge(name, fmt.Sprintf("baris %d kolom %d", row, col), fmt.Sprintf("row %d column %d", row, col), lim, false)
				}
				return cellTooLarge(name, "salah satu teksnya", "one of its texts", lim, false)
			}
		}
	}
}

func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// columnOf is the column number of a cell reference ("AB12" is 28), 0 for
// a reference without letters. It stops counting once past any limit.
func columnOf(ref string) int {
	n := 0
	for i := 0; i < len(ref) && n < 1<<24; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a'+1)
	}
	return n
}

// zipEntries reads the entry count from the end of central directory
// record, before archive/zip allocates a File for each entry. ok is false
// when the record is missing or defers to ZIP64 (archive/zip checks those).
func zipEntries(b []byte) (int, bool) {
	const size = 22 // the record without its comment
	tail := b[max(0, len(b)-size-0xffff):]
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < size {
		return 0, false
	}
	n := binary.LittleEndian.Uint16(tail[i+10:])
	return int(n), n != 0xffff
}

// refuse is a 422 that names the file and says what to do.
func refuse(name, id, en string) error {
	label, labelEN := "Berkas", "The file"
	if name != "" {
		label, labelEN = `Berkas "`+name+`"`, `The file "`+name+`"`
	}
	return apperr.InvalidField("body", nil, apperr.T(label+" "+id, labelEN+" "+en))
}

func damaged(name string) error {
	return refuse(name, "rusak atau bukan Excel (.xlsx) sehingga tidak dapat dibaca; simpan ulang dari Excel, lalu unggah lagi.",
		"is damaged or not an Excel workbook (.xlsx); save it again from Excel, then upload it again.")
}

func macros(name string) error {
	return refuse(name, "memuat makro (.xlsm) yang tidak diterima; simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro, lalu unggah lagi.",
		"contains macros (.xlsm), which are not accepted; save it as an Excel Workbook (.xlsx) without macros, then upload it again.")
}

func tooManyParts(name string, lim Limits) error {
	return refuse(name, fmt.Sprintf("terdiri dari lebih dari %s bagian; simpan ulang dari Excel, lalu unggah lagi.", angka(int64(lim.Parts))),
		fmt.Sprintf("has more than %d parts; save it again from Excel, then upload it again.", lim.Parts))
}

func partTooLarge(name, part string, limit int64) error {
	return refuse(name, fmt.Sprintf("terlalu besar setelah dibuka: bagian %s melebihi %s MB.", part, angka(limit>>20)),
		fmt.Sprintf("is too large when unpacked: part %s exceeds %d MB.", part, limit>>20))
}

func tooManyRows(name string, lim Limits) error {
	return refuse(name, fmt.Sprintf("memuat lebih dari %s baris data (batas satu berkas); bagi menjadi beberapa berkas, lalu unggah satu per satu.", angka(int64(lim.Rows))),
		fmt.Sprintf("holds more than %d data rows (the limit per file); split it into several files and upload them one by one.", lim.Rows))
}

func tooManyColumns(name string, row int, lim Limits) error {
	return refuse(name, fmt.Sprintf("memuat lebih dari %s kolom di baris %d; hapus kolom kosong di kanan tabel, lalu unggah lagi.", angka(int64(lim.Columns)), row),
		fmt.Sprintf("holds more than %d columns in row %d; delete the empty columns right of the table, then upload it again.", lim.Columns, row))
}

// cellTooLarge; quote says a CSV's likely cause, an opened quote never
// closed, which swallows the rows after it into one cell.
func cellTooLarge(name, whereID, whereEN string, lim Limits, quote bool) error {
	id := fmt.Sprintf("memuat sel lebih dari %s karakter (batas satu sel) di %s.", angka(int64(lim.CellChars)), whereID)
	en := fmt.Sprintf("holds a cell of more than %d characters (the limit per cell) at %s.", lim.CellChars, whereEN)
	if quote {
		id, en = id+" Mungkin ada tanda kutip yang tidak ditutup.", en+" Perhaps a quote is never closed."
	}
	return refuse(name, id, en)
}

// angka writes n the Indonesian way: 250.000.
func angka(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// CheckRow checks one row as it is read (row counts from 1, the header),
// for a reader that did not go through Check or reads what Check did not
// see: the same limits, the same messages.
func (lim Limits) CheckRow(name string, row int, cells []string) error {
	if row-1 > lim.Rows {
		return tooManyRows(name, lim)
	}
	if len(cells) > lim.Columns {
		return tooManyColumns(name, row, lim)
	}
	for i, c := range cells {
		if len(c) > lim.CellChars && utf8.RuneCountInString(c) > lim.CellChars {
			return cellTooLarge(name, fmt.Sprintf("baris %d kolom %d", row, i+1), fmt.Sprintf("row %d column %d", row, i+1), lim, false)
		}
	}
	return nil
}

// TextProblem is why free text s (trimmed) cannot be stored as typed in a
// record that is later exported: longer than maxLen characters, a formula a
// spreadsheet would run, or a control character; nil when it can.
func TextProblem(s string, maxLen int) *apperr.Text {
	var m apperr.Text
	switch {
	case utf8.RuneCountInString(s) > maxLen:
		m = apperr.T(fmt.Sprintf("Maksimal %d karakter.", maxLen), fmt.Sprintf("At most %d characters.", maxLen))
	case LooksLikeFormula(s):
		m = apperr.T("Tidak boleh berupa rumus spreadsheet (diawali = atau @).", "Cannot be a spreadsheet formula (starting with = or @).")
	case teks.HasControl(s):
		m = apperr.T("Berisi karakter kontrol yang tidak bisa disimpan.", "Contains a control character that cannot be stored.")
	default:
		return nil
	}
	return &m
}
