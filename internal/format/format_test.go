package format_test

import (
	"testing"
	"time"

	"github.com/sentra-id/sentra/internal/format"
)

func TestNumbers(t *testing.T) {
	tests := []struct{ got, want string }{
		{format.Angka(0), "0"},
		{format.Angka(999), "999"},
		{format.Angka(1500000), "1.500.000"},
		{format.Angka(-1234), "-1.234"},
		{format.Angka(int64(9876543210)), "9.876.543.210"},
		{format.Rupiah(2500000), "Rp 2.500.000"},
		{format.Rupiah(0), "Rp 0"},
		{format.Rupiah(-15000), "-Rp 15.000"},
		{format.Desimal(12.5, 1), "12,5"},
		{format.Desimal(1234.567, 2), "1.234,57"},
		{format.Persen(1, 8), "12,5%"},
		{format.Persen(2, 3), "66,7%"},
		{format.Persen(3, 0), "0%"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestDatesAndTimes(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := format.Lokasi(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	wib, wita, wit := load("Asia/Jakarta"), load("Asia/Makassar"), load("Asia/Jayapura")
	at := time.Date(2026, 12, 6, 7, 5, 0, 0, time.UTC) // 14.05 in Jakarta
	late := time.Date(2026, 12, 31, 18, 30, 0, 0, time.UTC)
	tests := []struct {
		name, got, want string
	}{
		{"date WIB", format.Tanggal(at, wib), "6 Desember 2026"},
		{"time WIB", format.Jam(at, wib), "14.05 WIB"},
		{"time WITA", format.Jam(at, wita), "15.05 WITA"},
		{"time WIT", format.Jam(at, wit), "16.05 WIT"},
		{"date and time", format.Waktu(at, wib), "6 Desember 2026 14.05 WIB"},
		{"weekday", format.TanggalHari(at, wib), "Minggu, 6 Desember 2026"},
		{"new year in the office's zone", format.Tanggal(late, wib), "1 Januari 2027"},
		{"same instant in UTC", format.Tanggal(late, time.UTC), "31 Desember 2026"},
		{"outside Indonesia", format.Jam(at, time.UTC), "07.05 UTC"},
		{"month key", format.Bulan("2026-03"), "Maret 2026"},
		{"not a month key", format.Bulan("kapan"), "kapan"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if _, err := format.Lokasi(""); err == nil {
		t.Error("Lokasi(\"\") gives no error")
	}
}
