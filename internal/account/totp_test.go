package account

import (
	"testing"
	"time"
)

// TestHOTPVectors: RFC 4226 appendix D and RFC 6238 appendix B (SHA1,
// truncated to 6 digits).
func TestHOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for counter, want := range []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"} {
		if got := hotp(key, int64(counter)); got != want {
			t.Errorf("HOTP(%d) = %s, want %s", counter, got, want)
		}
	}
	secret := totpEncoding.EncodeToString(key)
	for _, v := range []struct {
		unix int64
		want string // the last 6 of RFC 6238's 8 digits
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		if got, err := TOTPCode(secret, time.Unix(v.unix, 0)); err != nil || got != v.want {
			t.Errorf("TOTP at %d = %s, %v; want %s", v.unix, got, err, v.want)
		}
	}
}

// TestMatchTOTP: one step of drift either way, never an older or used step.
func TestMatchTOTP(t *testing.T) {
	key := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	step := totpStep(now)
	for _, c := range []struct {
		name     string
		code     string
		lastUsed int64
		want     int64 // 0: refused
	}{
		{"current", hotp(key, step), 0, step},
		{"one step late", hotp(key, step-1), 0, step - 1},
		{"one step early", hotp(key, step+1), 0, step + 1},
		{"two steps late", hotp(key, step-2), 0, 0},
		{"two steps early", hotp(key, step+2), 0, 0},
		{"already used", hotp(key, step), step, 0},
		{"older than the last used", hotp(key, step-1), step, 0},
		{"next after the last used", hotp(key, step+1), step, step + 1},
		{"spaces around", " " + hotp(key, step) + " ", 0, step},
		{"too short", hotp(key, step)[1:], 0, 0},
		{"not digits", "abcdef", 0, 0},
	} {
		got, ok := matchTOTP(key, c.code, now, c.lastUsed)
		if ok != (c.want != 0) || got != c.want {
			t.Errorf("%s: step %d, %v; want %d", c.name, got, ok, c.want)
		}
	}
}
