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
		"":                     false,
	} {
		if got := HasControl(s); got != want {
			t.Errorf("HasControl(%q) = %v, want %v", s, got, want)
		}
	}
}
