// Package teks checks free text typed by people before it is stored.
package teks

import (
	"strings"
	"unicode/utf8"
)

// HasControl reports whether s holds a control character other than tab,
// line feed and carriage return (C0, DEL and the C1 range): nothing a person
// types into a form or a spreadsheet cell, and PostgreSQL refuses NUL
// outright.
func HasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}

// Clean reports whether s is UTF-8 without control characters: what a
// query parameter or header typed by a person may hold.
func Clean(s string) bool { return utf8.ValidString(s) && !HasControl(s) }

// Truncate shortens s to at most n characters, marking the cut with "…":
// for echoing what someone sent without echoing all of it.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

// Fold is how names are compared: case-folded, inner spaces collapsed and
// the ends trimmed ("  Warung  SITI " and "warung siti" are one name).
func Fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
