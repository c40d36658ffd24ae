package grafik

import (
	"math"
	"strconv"
	"strings"
)

// Angka writes n as an Indonesian office does: 1.500.000 (dots group the
// thousands). A dozen lines spare every chart a dependency on x/text.
func Angka(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Desimal writes x with up to digits decimals and a decimal comma (12,5),
// dropping trailing zeros so whole numbers read as whole (12).
func Desimal(x float64, digits int) string {
	p := math.Pow10(digits)
	r := math.Round(x*p) / p
	whole, frac := math.Modf(math.Abs(r))
	s := Angka(int(whole))
	if r < 0 && (whole != 0 || frac != 0) {
		s = "-" + s
	}
	if digits <= 0 || frac == 0 {
		return s
	}
	f := strconv.FormatFloat(frac, 'f', digits, 64) // "0.50"
	return s + "," + strings.TrimRight(f[2:], "0")
}

// Persen is part as a whole percentage of total, rounded down so a target
// reads 100% only once reached; 0 when total is not positive.
func Persen(part, total int) int {
	if total <= 0 {
		return 0
	}
	return int(math.Floor(100 * float64(part) / float64(total)))
}
