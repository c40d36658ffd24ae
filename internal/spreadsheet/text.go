package spreadsheet

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Encodings of a CSV's text.
const (
	UTF8        = "UTF-8"
	Windows1252 = "Windows-1252"
)

var bom = []byte("\xef\xbb\xbf")

// Encoding tells how a CSV's bytes are text, or "" when they are not text
// (a NUL in the first 64 KB; in a file that is not UTF-8, a control
// character other than tab and line ends anywhere).
//
// Valid UTF-8 is UTF-8. Excel on many office PCs saves "CSV" in the
// Windows code page, Windows-1252, whose letters include all of Latin-1's:
// a file that is not UTF-8 is read as Windows-1252, unless it holds more
// UTF-8 letters than stray bytes, which is a UTF-8 file with damaged cells
// (each refused where it is read) rather than a Windows one.
func Encoding(b []byte) string {
	if bytes.IndexByte(b[:min(len(b), 64<<10)], 0) >= 0 {
		return ""
	}
	if utf8.Valid(b) {
		return UTF8
	}
	var letters, stray int
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return ""
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			stray++
		} else {
			letters++
		}
		i += n
	}
	if letters > stray {
		return UTF8
	}
	return Windows1252
}

// Text reads a CSV of encoding enc (see Encoding) as UTF-8 text, without
// a byte order mark, streaming.
func Text(b []byte, enc string) io.Reader {
	if enc == Windows1252 {
		return transform.NewReader(bytes.NewReader(b), charmap.Windows1252.NewDecoder())
	}
	return bytes.NewReader(bytes.TrimPrefix(b, bom))
}

// Head is the first n bytes of a CSV's text (a character cut at the end
// may be cut short).
func Head(b []byte, enc string, n int) []byte {
	if enc == Windows1252 {
		out, _ := charmap.Windows1252.NewDecoder().Bytes(b[:min(len(b), n)]) // every byte decodes
		return out
	}
	b = bytes.TrimPrefix(b, bom)
	return b[:min(len(b), n)]
}
