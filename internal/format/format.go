// Package format writes numbers, money, dates and times as an Indonesian
// office writes them: 1.500.000, Rp 2.500.000, 6 Desember 2026, 14.05 WIB.
// Numbers go through golang.org/x/text/message (language.Indonesian); month
// and day names come from the table here, since x/text has none. It knows
// nothing of HTML: the web package's template functions call it.
package format

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.Indonesian)

// Angka is a whole number with dots between thousands: 1.500.000.
func Angka[N ~int | ~int32 | ~int64](n N) string { return printer.Sprintf("%d", int64(n)) }

// Desimal is a number with the given decimals and a decimal comma: 12,5.
func Desimal(f float64, decimals int) string {
	return printer.Sprintf("%.*f", decimals, f)
}

// Persen is a share of a whole as a percentage with one decimal: 12,5%.
// A whole of 0 is 0%.
func Persen(part, whole int) string {
	if whole == 0 {
		return "0%"
	}
	return Desimal(float64(part)*100/float64(whole), 1) + "%"
}

// Rupiah is an amount of rupiah, no decimals: Rp 2.500.000; negative
// amounts as -Rp 2.500.000.
func Rupiah[N ~int | ~int64](n N) string {
	if n < 0 {
		return "-Rp " + Angka(-int64(n))
	}
	return "Rp " + Angka(int64(n))
}

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

var hari = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// NamaBulan is the Indonesian name of a month.
func NamaBulan(m time.Month) string { return bulan[m-1] }

// Tanggal is a date in loc: 6 Desember 2026.
func Tanggal(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return fmt.Sprintf("%d %s %d", t.Day(), NamaBulan(t.Month()), t.Year())
}

// TanggalHari is a date with its weekday: Minggu, 6 Desember 2026.
func TanggalHari(t time.Time, loc *time.Location) string {
	return hari[t.In(loc).Weekday()] + ", " + Tanggal(t, loc)
}

// Bulan is a month of a year: Desember 2026. It reads "2026-12" too (the
// dashboards' monthly keys); anything else comes back as given.
func Bulan(yyyymm string) string {
	t, err := time.Parse("2006-01", yyyymm)
	if err != nil {
		return yyyymm
	}
	return NamaBulan(t.Month()) + " " + fmt.Sprint(t.Year())
}

// Jam is a time of day in loc with its zone: 14.05 WIB.
func Jam(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return fmt.Sprintf("%02d.%02d %s", t.Hour(), t.Minute(), Zona(t, loc))
}

// Waktu is a date and time in loc: 6 Desember 2026 14.05 WIB.
func Waktu(t time.Time, loc *time.Location) string { return Tanggal(t, loc) + " " + Jam(t, loc) }

// zones are Indonesia's three time zones by their IANA names.
var zones = map[string]string{
	"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
	"Asia/Makassar": "WITA", "Asia/Ujung_Pandang": "WITA",
	"Asia/Jayapura": "WIT",
}

// Zona is the Indonesian name of loc's zone at t (WIB, WITA, WIT); outside
// Indonesia the offset, e.g. UTC+7.
func Zona(t time.Time, loc *time.Location) string {
	if z, ok := zones[loc.String()]; ok {
		return z
	}
	_, off := t.In(loc).Zone()
	s := fmt.Sprintf("UTC%+d", off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", abs(m))
	}
	return strings.Replace(s, "UTC+0", "UTC", 1)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Lokasi is an office's time zone by its IANA name; an empty or unknown
// name is an error (an office always has one; see tenancy.Tenant.TimeZone).
func Lokasi(name string) (*time.Location, error) {
	if name == "" {
		return nil, fmt.Errorf("no time zone")
	}
	return time.LoadLocation(name)
}
