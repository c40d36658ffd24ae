package umkm

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Identifiers are checked for format only: a well-formed NIK or NIB proves
// nothing about the person or business (DOMAIN.md, "Identifiers").

var (
	scientificRE   = regexp.MustCompile(`^[0-9]([.,][0-9]+)?[eE][+]?[0-9]+$`)
	bpomRE         = regexp.MustCompile(`^(MD|ML)[0-9]{12}$`)
	halalRE        = regexp.MustCompile(`^[A-Z0-9][A-Z0-9./-]{5,39}$`)
	hkiRE          = regexp.MustCompile(`^[A-Z0-9][A-Z0-9./-]{4,39}$`)
	spreadsheetMsg = apperr.T("Angka ini sudah diubah oleh spreadsheet menjadi notasi ilmiah (mis. 3.27301E+15); format kolom sebagai teks lalu isi ulang.",
		"A spreadsheet turned this into scientific notation (e.g. 3.27301E+15); format the column as text and enter it again.")
)

// digits reports whether s is between minLen and maxLen ASCII digits. The
// plain digit patterns are checked by hand: an import checks several per
// row, and a regexp cost a tenth of reading one.
func digits(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// scientific reports whether a spreadsheet turned a long number into
// scientific notation (3.27301E+15).
func scientific(s string) bool {
	return strings.ContainsAny(s, "eE") && scientificRE.MatchString(s)
}

// compact removes the spaces, dots and dashes people type inside numbers.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// NormalizeNIK checks a NIK: 16 digits, a province code, a birth date
// (women: day + 40) and a sequence. It returns the digits.
func NormalizeNIK(s string) (string, *apperr.Text) {
	raw := strings.TrimSpace(s)
	if scientific(raw) {
		return "", &spreadsheetMsg
	}
	n := compact(raw)
	if !digits(n, 16, 16) {
		t := apperr.T("NIK harus 16 digit angka.", "NIK must be 16 digits.")
		return "", &t
	}
	prov, _ := strconv.Atoi(n[0:2])
	day, _ := strconv.Atoi(n[6:8])
	month, _ := strconv.Atoi(n[8:10])
	if day > 40 {
		day -= 40
	}
	switch {
	case prov < 11 || prov > 96:
		t := apperr.T("Dua digit pertama NIK bukan kode provinsi.", "The first two digits of the NIK are not a province code.")
		return "", &t
	case day < 1 || day > 31 || month < 1 || month > 12:
		t := apperr.T("Digit 7–12 NIK bukan tanggal lahir (DDMMYY; perempuan DD+40).", "Digits 7–12 of the NIK are not a birth date (DDMMYY; women DD+40).")
		return "", &t
	case n[12:] == "0000":
		t := apperr.T("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.", "The NIK sequence (last 4 digits) cannot be 0000.")
		return "", &t
	}
	return n, nil
}

// NormalizeNIB checks an NIB from OSS: 13 digits.
func NormalizeNIB(s string) (string, *apperr.Text) {
	raw := strings.TrimSpace(s)
	if scientific(raw) {
		return "", &spreadsheetMsg
	}
	n := compact(raw)
	if !digits(n, 13, 13) {
		t := apperr.T("NIB harus 13 digit angka.", "NIB must be 13 digits.")
		return "", &t
	}
	return n, nil
}

// NormalizeLegalNumber checks a document number by kind.
func NormalizeLegalNumber(kind, s string, now time.Time) (string, *apperr.Text) {
	raw := strings.ToUpper(strings.TrimSpace(s))
	if scientific(raw) {
		return "", &spreadsheetMsg
	}
	switch kind {
	case LegalNIB:
		return NormalizeNIB(raw)
	case LegalPIRT:
		n := compact(raw)
		if !digits(n, 15, 15) {
			t := apperr.T("Nomor P-IRT harus 15 digit angka.", "A P-IRT number has 15 digits.")
			return "", &t
		}
		// The last two digits are the expiry year; SPP-IRT is valid 5 years.
		year, _ := strconv.Atoi(n[13:])
		if year+2000 > now.Year()+5 {
			t := apperr.T("Dua digit terakhir P-IRT (tahun kedaluwarsa) lebih dari 5 tahun ke depan.", "The last two digits of the P-IRT (expiry year) are more than 5 years ahead.")
			return "", &t
		}
		return n, nil
	case LegalBPOMMD, LegalBPOMML:
		n := strings.ReplaceAll(compact(raw), " ", "")
		want := "MD"
		if kind == LegalBPOMML {
			want = "ML"
		}
		if !bpomRE.MatchString(n) || n[:2] != want {
			t := apperr.T("Nomor BPOM harus "+want+" diikuti 12 digit angka.", "A BPOM number is "+want+" followed by 12 digits.")
			return "", &t
		}
		return n, nil
	case LegalHalal:
		if !halalRE.MatchString(raw) {
			t := apperr.T("Nomor sertifikat halal (BPJPH) tidak dikenali: 6–40 huruf besar/angka.", "Halal certificate number (BPJPH) not recognised: 6–40 capitals/digits.")
			return "", &t
		}
		return raw, nil
	default: // hki, sni: formats vary by era and office
		if !hkiRE.MatchString(raw) {
			t := apperr.T("Nomor dokumen tidak dikenali: 5–40 huruf besar/angka.", "Document number not recognised: 5–40 capitals/digits.")
			return "", &t
		}
		return raw, nil
	}
}

// NormalizePhone accepts 08..., 628... and +628... and returns 08... form.
func NormalizePhone(s string) (string, *apperr.Text) {
	n := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(n, "+62"):
		n = "0" + n[3:]
	case strings.HasPrefix(n, "62"):
		n = "0" + n[2:]
	}
	if n == "" || n[0] != '0' || !digits(n, 9, 13) {
		t := apperr.T("Nomor telepon tidak valid (contoh: 0812-3456-7890).", "Invalid phone number (e.g. 0812-3456-7890).")
		return "", &t
	}
	return n, nil
}

var thousands = strings.NewReplacer(".", "", ",", "", " ", "")

// ParseRupiah reads money as offices write it: "1.500.000", "Rp 1.500.000,00",
// "1.500.000,-", "Rp 2 jt", "2,5 M", "750rb". "-" and "" are missing (nil);
// "0" is zero.
func ParseRupiah(s string) (*int64, *apperr.Text) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 && n <= MaxRupiah && s[0] != '+' {
		return &n, nil // plain digits: most cells of a file
	}
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.TrimPrefix(strings.TrimPrefix(v, "rp."), "rp")
	v = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(v), ",-"), ".-") // "1.500.000,-"
	if v == "" || v == "-" {
		return nil, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"miliar", 1e9}, {"milyar", 1e9}, {"juta", 1e6}, {"ribu", 1e3}, {"jt", 1e6}, {"rb", 1e3}, {"m", 1e9}, {"k", 1e3}} {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.mult
			break
		}
	}
	bad := apperr.T("Nilai rupiah tidak terbaca (contoh: 1.500.000, Rp 2 jt, 2,5 M).", "Unreadable rupiah amount (e.g. 1.500.000, Rp 2 jt, 2,5 M).")
	if v == "" || strings.HasPrefix(v, "-") {
		if strings.HasPrefix(v, "-") {
			neg := apperr.T("Nilai rupiah tidak boleh negatif.", "A rupiah amount cannot be negative.")
			return nil, &neg
		}
		return nil, &bad
	}
	var whole, frac string
	if mult == 1 {
		// Without a unit, dots and commas group thousands, except a last
		// one followed by one or two digits, which no group has: sen
		// ("1.500.000,00", "25.000,50"), dropped, as money is whole rupiah.
		if i := strings.LastIndexAny(v, ".,"); i >= 0 && len(v)-i-1 <= 2 && digits(v[i+1:], 1, 2) {
			if !strings.ContainsAny(v[:i], ".,") && len(v[:i]) <= 3 {
				// "1,5" or "2.5": more often juta without the unit than
				// rupiah and sen.
				t := apperr.T("Angka ini bisa dibaca dua cara; tulis satuannya (mis. 1,5 jt) atau angka penuh (1.500.000).",
					"This figure reads two ways; write its unit (e.g. 1,5 jt) or the full figure (1.500.000).")
				return nil, &t
			}
			v = v[:i]
		}
		whole = thousands.Replace(v)
	} else {
		// With a unit, a comma (or a single dot) is the decimal mark: "2,5 M".
		v = strings.ReplaceAll(v, ",", ".")
		whole, frac, _ = strings.Cut(v, ".")
	}
	if !digits(whole, 1, 15) || (frac != "" && !digits(frac, 1, len(frac))) {
		return nil, &bad
	}
	implausible := apperr.T("Nilai rupiah tidak masuk akal (lebih dari Rp1.000 triliun).", "Implausible rupiah amount (over Rp1,000 trillion).")
	w, _ := strconv.ParseInt(whole, 10, 64)
	if w > MaxRupiah/mult { // before multiplying: "10000000000 M" overflowed into a negative
		return nil, &implausible
	}
	total := w * mult
	// Money is whole rupiah: fraction digits below one rupiah are dropped,
	// so the fraction's share stays below mult.
	for len(frac) > 0 && pow10(len(frac)) > mult {
		frac = frac[:len(frac)-1]
	}
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		total += f * (mult / pow10(len(frac)))
	}
	if total > MaxRupiah {
		return nil, &implausible
	}
	return &total, nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// MaxRupiah bounds money fields: above it a figure is a typing error.
const MaxRupiah = int64(1_000_000_000_000_000)
