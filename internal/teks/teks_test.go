package teks

import "testing"

func TestHasControl(t *testing.T) {
	for s, want := range map[string]bool{
		"Warung Bu Siti":       false,
		"Jl. Melati 5\nRT 003": false,
		"kolom\tberikut":       false,
		"Koperasi Sejahtera ✓": false,
		"A\x00B":               true,
		"bel\x07":              true,
		"hapus\x7f":            true,
		"baris\u0085berikut":   true, // C1 NEL
		"Café":                 false,
		"":                     false,
	} {
		if got := HasControl(s); got != want {
			t.Errorf("HasControl(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestCleanAndTruncate(t *testing.T) {
	if Clean("warung\xff") || Clean("a\x00b") || !Clean("Warung Bu Siti") {
		t.Error("Clean: invalid UTF-8 and NUL must not be clean, plain text must")
	}
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{{"abc", 3, "abc"}, {"abcd", 3, "abc…"}, {"ééé", 2, "éé…"}, {"", 1, ""}} {
		if got := Truncate(c.in, c.n); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
