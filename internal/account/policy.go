package account

import (
	"bufio"
	"embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Password length, counted in characters (runes), not bytes: NIST SP 800-63B
// asks at least 8; shared office computers argue for more. The maximum only
// keeps hashing bounded: long passphrases are welcome.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// commonFS holds the passwords refused as too common (see passwords/SOURCE.md).
//
//go:embed passwords/*.txt
var commonFS embed.FS

// common is the set of refused passwords, lower-cased.
var common = func() map[string]struct{} {
	set := make(map[string]struct{}, 11_000)
	for _, name := range []string{"passwords/common.txt", "passwords/indonesia.txt"} {
		f, err := commonFS.Open(name)
		if err != nil {
			panic(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if w := strings.TrimSpace(sc.Text()); w != "" {
				set[strings.ToLower(w)] = struct{}{}
			}
		}
		if err := sc.Err(); err != nil {
			panic(fmt.Errorf("%s: %w", name, err))
		}
		_ = f.Close()
	}
	return set
}()

// IsCommonPassword reports whether password is on the list of passwords
// known from breaches or dictionaries, whatever its case.
func IsCommonPassword(password string) bool {
	_, ok := common[strings.ToLower(password)]
	return ok
}

// CheckNewPassword applies the policy to a password being set, and names
// the rule it breaks as a field error at location. Stored passwords are
// never re-checked: they keep working until their owner changes them.
func CheckNewPassword(location, password string) *apperr.Field {
	var msg apperr.Text
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		msg = apperr.T(fmt.Sprintf("Kata sandi terlalu pendek: minimal %d karakter.", MinPasswordLen),
			fmt.Sprintf("The password is too short: at least %d characters.", MinPasswordLen))
	case n > MaxPasswordLen:
		msg = apperr.T(fmt.Sprintf("Kata sandi terlalu panjang: maksimal %d karakter.", MaxPasswordLen),
			fmt.Sprintf("The password is too long: at most %d characters.", MaxPasswordLen))
	case IsCommonPassword(password):
		msg = apperr.T("Kata sandi ini terlalu umum (ada dalam daftar kata sandi yang sering dipakai atau pernah bocor). Pilih yang lain.",
			"This password is too common (it is on a list of often used or leaked passwords). Choose another.")
	default:
		return nil
	}
	// The value is never echoed: it is a password.
	return &apperr.Field{Location: location, Message: msg}
}

// CommonPasswordCount is the size of the list, for tests and docs.
func CommonPasswordCount() int { return len(common) }
