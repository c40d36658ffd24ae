package spreadsheet_test

import (
	"io"
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/spreadsheet"
)

func TestEncoding(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
	}{
		{"ASCII", "nama,sektor\nSiti,kuliner\n", spreadsheet.UTF8},
		{"UTF-8 with a BOM", "\xef\xbb\xbfnama\nAndré\n", spreadsheet.UTF8},
		{"Windows-1252 (é as 0xE9, ’ as 0x92)", "nama\nAndr\xe9\nJum\x92at\n", spreadsheet.Windows1252},
		{"UTF-8 with one damaged cell", "nama\nAndré\nRené\nJosé\nAndr\xe9\n", spreadsheet.UTF8},
		{"a NUL", "nama\x00\n", ""},
		{"not UTF-8 and a control character", "nama\x01\xe9\n", ""},
	} {
		if got := spreadsheet.Encoding([]byte(c.file)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	text, err := io.ReadAll(spreadsheet.Text([]byte("Andr\xe9,Caf\xe9 \x80 5\n"), spreadsheet.Windows1252))
	if err != nil || string(text) != "André,Café € 5\n" {
		t.Errorf("Windows-1252 text %q, %v", text, err)
	}
	if head := spreadsheet.Head([]byte("Andr\xe9 Caf\xe9"), spreadsheet.Windows1252, 5); string(head) != "André" {
		t.Errorf("Windows-1252 head %q", head)
	}
}

func TestGuessSeparator(t *testing.T) {
	for _, c := range []struct {
		name, head string
		want       rune
	}{
		{"commas", "a,b,c\n1,2,3\n", ','},
		{"semicolons", "a;b;c\n1;2,5;3\n", ';'},
		{"tabs", "a\tb\tc\n1\t2\t3\n", '\t'},
		{"a title row above", "DATA UMKM, KOTA DEPOK\n\na;b;c;d\n", ';'},
		{"nothing", "a\n", ','},
	} {
		if got := spreadsheet.GuessSeparator([]byte(c.head)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestCheckCSVCountsWindowsCharacters: in Windows-1252 each byte is one
// character, so a cell of accented letters is as long as it looks, and the
// limit holds for it as for UTF-8.
func TestCheckCSVCountsWindowsCharacters(t *testing.T) {
	cell := strings.Repeat("\xe9", lim.CellChars) // é × the limit: within
	if err := spreadsheet.CheckCSV("data.csv", []byte("a\n"+cell+"\n"), ',', spreadsheet.Windows1252, lim); err != nil {
		t.Fatalf("a cell at the limit: %v", err)
	}
	err := spreadsheet.CheckCSV("data.csv", []byte("a\n"+cell+"\xe9\xe9\n"), ',', spreadsheet.Windows1252, lim)
	if e, ok := apperr.As(err); !ok || !strings.Contains(e.Fields[0].Message.ID, "sel lebih dari 32.767 karakter") {
		t.Fatalf("a Windows-1252 cell over the limit: %v", err)
	}
	tabs := strings.Repeat("x\t", lim.Columns+1)
	if err := spreadsheet.CheckCSV("data.csv", []byte(tabs+"\n"), '\t', spreadsheet.UTF8, lim); err == nil {
		t.Fatal("a tab-separated row over the column limit passed")
	}
}
