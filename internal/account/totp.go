package account

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTP as RFC 6238 with the parameters every authenticator app supports:
// HMAC-SHA1, 6 digits, 30-second steps. A code is accepted one step early or
// late (clock drift, a code typed as it changes), and each step only once.
const (
	totpDigits = 6
	totpPeriod = 30 // seconds
	totpSkew   = 1  // steps either side
)

// totpEncoding is how secrets are shown and put in otpauth:// URIs.
var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// totpStep is the time step that t falls in.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// hotp is RFC 4226's HOTP value of counter for key, as 6 digits.
func hotp(key []byte, counter int64) string {
	m := hmac.New(sha1.New, key)
	_ = binary.Write(m, binary.BigEndian, counter)
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}

// TOTPCode is the code of a base32 secret at t (what an authenticator app
// shows). For tests and tools; the service only verifies.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := totpEncoding.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return hotp(key, totpStep(t)), nil
}

// matchTOTP returns the step within the skew of now whose code is code and
// which comes after the last step used, if any.
func matchTOTP(key []byte, code string, now time.Time, lastUsed int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != totpDigits {
		return 0, false
	}
	cur := totpStep(now)
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		if step > lastUsed && subtle.ConstantTimeCompare([]byte(hotp(key, step)), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}
