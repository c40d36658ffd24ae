// Package teks checks free text typed by people before it is stored.
package teks

// HasControl reports whether s holds a control character other than tab,
// line feed and carriage return: nothing a person types into a form or a
// spreadsheet cell, and PostgreSQL refuses NUL outright.
func HasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return true
		}
	}
	return false
}
