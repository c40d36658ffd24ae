package account_test

import (
	"strings"
	"testing"

	"github.com/sentra-id/sentra/internal/account"
)

// TestCheckNewPassword: the policy for passwords being set, each rule named.
func TestCheckNewPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, password string
		want           string // a part of the Indonesian message; "" accepts
	}{
		{"long enough", "kata-sandi-yang-panjang", ""},
		{"11 characters", "abcdefghijk", "minimal 12 karakter"},
		{"12 characters", "abcdefghijkl", ""},
		{"12 runes in more bytes", "ééééééééééé", "minimal 12 karakter"}, // 11 runes, 22 bytes
		{"12 multi-byte runes", "éééééééééééé", ""},
		{"256 characters", strings.Repeat("ab", 128), ""},
		{"257 characters", strings.Repeat("ab", 128) + "c", "maksimal 256 karakter"},
		{"breach corpus", "qwerty123456", "terlalu umum"},
		{"breach corpus, other case", "QWERTY123456", "terlalu umum"},
		{"breach corpus beyond the top 10,000", "counterstrike", "terlalu umum"},
		{"Indonesian", "Indonesia123", "terlalu umum"},
		{"Indonesian, long", "bismillah123", "terlalu umum"},
		{"product name", "sentra123456", "terlalu umum"},
		{"admin pattern", "Admin12345678", "terlalu umum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := account.CheckNewPassword("body.password", tt.password)
			switch {
			case tt.want == "" && f != nil:
				t.Fatalf("refused: %s", f.Message.ID)
			case tt.want != "" && f == nil:
				t.Fatalf("accepted, want %q", tt.want)
			case f != nil && (!strings.Contains(f.Message.ID, tt.want) || f.Location != "body.password" || f.Value != nil):
				t.Fatalf("field %+v, want message with %q, no value", f, tt.want)
			}
		})
	}
}

// TestCommonPasswordList: the shipped list is the real one, not a handful.
func TestCommonPasswordList(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"123456", "password", "iloveyou", "password123", "indonesia123", "bismillah", "admin12345678"} {
		if !account.IsCommonPassword(p) {
			t.Errorf("%q is not on the list", p)
		}
	}
	if account.IsCommonPassword("kata-sandi-yang-panjang") {
		t.Error("an uncommon passphrase is on the list")
	}
	if n := account.CommonPasswordCount(); n < 10_000 {
		t.Errorf("%d common passwords, want at least 10,000", n)
	}
}
