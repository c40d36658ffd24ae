package umkm

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestNormalizeNIK(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"3276014507850001", "3276014507850001", ""},
		{" 3276 0145 0785 0001 ", "3276014507850001", ""},
		{"3276010507850001", "3276010507850001", ""}, // a man: day 05
		{"3.27601E+15", "", "notasi ilmiah"},
		{"327601450785000", "", "16 digit"},
		{"32760145078500011", "", "16 digit"},
		{"3276014507850A01", "", "16 digit"},
		{"0976014507850001", "", "kode provinsi"},
		{"3276013207850001", "", "tanggal lahir"}, // day 32
		{"3276011513850001", "", "tanggal lahir"}, // month 13
		{"3276014507850000", "", "0000"},
	} {
		got, msg := NormalizeNIK(c.in)
		switch {
		case c.err == "" && (msg != nil || got != c.want):
			t.Errorf("NormalizeNIK(%q) = %q, %v; want %q", c.in, got, msg, c.want)
		case c.err != "" && (msg == nil || !strings.Contains(msg.ID, c.err)):
			t.Errorf("NormalizeNIK(%q) = %q, %v; want an error about %q", c.in, got, msg, c.err)
		}
	}
}

func TestNormalizeLegalNumbers(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		kind, in, want string
		ok             bool
	}{
		{LegalNIB, "1234567890123", "1234567890123", true},
		{LegalNIB, "123456789012", "", false},
		{LegalPIRT, "2123456789012-29", "212345678901229", true},
		{LegalPIRT, "21234567890122", "", false},  // 14 digits
		{LegalPIRT, "212345678901299", "", false}, // expires 2099: more than 5 years ahead
		{LegalBPOMMD, "MD 123456789012", "MD123456789012", true},
		{LegalBPOMMD, "ML123456789012", "", false}, // ML given as MD
		{LegalBPOMML, "ml123456789012", "ML123456789012", true},
		{LegalBPOMMD, "MD12345", "", false},
		{LegalHalal, "ID32110000123450124", "ID32110000123450124", true},
		{LegalHalal, "x", "", false},
		{LegalHKI, "IDM000123456", "IDM000123456", true},
	} {
		got, msg := NormalizeLegalNumber(c.kind, c.in, now)
		if c.ok != (msg == nil) || got != c.want {
			t.Errorf("NormalizeLegalNumber(%s, %q) = %q, %v; want %q ok=%v", c.kind, c.in, got, msg, c.want, c.ok)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"0812-3456-7890": "081234567890", "+62 812 3456 7890": "081234567890", "6281234567890": "081234567890",
		"(021) 7720 1234": "02177201234", "12345": "", "08123": "",
	} {
		got, msg := NormalizePhone(in)
		if (want == "") != (msg != nil) || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, msg, want)
		}
	}
}

func TestParseRupiah(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		nil_ bool
		bad  bool
	}{
		{"1500000", 1_500_000, false, false},
		{"1.500.000", 1_500_000, false, false},
		{"Rp 2 jt", 2_000_000, false, false},
		{"Rp2.500.000", 2_500_000, false, false},
		{"2,5 M", 2_500_000_000, false, false},
		{"750rb", 750_000, false, false},
		{"1,2 miliar", 1_200_000_000, false, false},
		{"0", 0, false, false},
		{"-", 0, true, false},
		{"", 0, true, false},
		{"-5000", 0, false, true},
		{"dua juta", 0, false, true},
		{"99999999999999999999", 0, false, true},
		{"10000000000 M", 0, false, true},
		{"999999999999999 M", 0, false, true},
		{"1000000 M", 1_000_000_000_000_000, false, false},
		{"2,123456789012 M", 2_123_456_789, false, false},
		{"1,5 rb", 1_500, false, false},
		{"0,25 jt", 250_000, false, false},
		{"Rp 1.500.000,00", 1_500_000, false, false},
		{"25.000,50", 25_000, false, false},
		{"1,500,000.00", 1_500_000, false, false},
		{"1500,5", 1_500, false, false},
		{"1.500", 1_500, false, false},
		{"1,500", 1_500, false, false},
		{"1.500.000,0x", 0, false, true},
		{"1.500.000,-", 1_500_000, false, false},
		{"Rp 1.500.000,-", 1_500_000, false, false},
		{"Rp. 2.000.000,00", 2_000_000, false, false},
		{"1500000.00", 1_500_000, false, false},
		{"1,5", 0, false, true},
		{"2.5", 0, false, true},
		{"1,5 jt", 1_500_000, false, false},
	} {
		got, msg := ParseRupiah(c.in)
		switch {
		case c.bad:
			if msg == nil {
				t.Errorf("ParseRupiah(%q) = %v, want an error", c.in, got)
			}
		case c.nil_:
			if got != nil || msg != nil {
				t.Errorf("ParseRupiah(%q) = %v, %v; want unknown (nil)", c.in, got, msg)
			}
		case msg != nil || got == nil || *got != c.want:
			t.Errorf("ParseRupiah(%q) = %v, %v; want %d", c.in, got, msg, c.want)
		}
	}
}

func TestSkalaUnderPP7(t *testing.T) {
	pp7 := Regulation{Name: "PP 7/2021", Tiers: []Tier{
		{SkalaMikro, 1e9, 2e9}, {SkalaKecil, 5e9, 15e9}, {SkalaMenengah, 10e9, 50e9}}}
	i64 := func(v int64) *int64 { return &v }
	year := func(v int) *int { return &v }
	for _, c := range []struct {
		name          string
		modal, omzet  *int64
		started       *int
		skala, kriter string
	}{
		{"running business: sales", i64(3e9), i64(1_800_000_000), year(2019), SkalaMikro, KriteriaOmzet},
		{"sales at the mikro bound", nil, i64(2e9), year(2019), SkalaMikro, KriteriaOmzet},
		{"sales just above", nil, i64(2e9 + 1), year(2019), SkalaKecil, KriteriaOmzet},
		{"menengah by sales", nil, i64(40e9), nil, SkalaMenengah, KriteriaOmzet},
		{"above menengah", nil, i64(60e9), nil, SkalaBesar, KriteriaOmzet},
		{"new this year: capital", i64(6e9), i64(1e9), year(2026), SkalaMenengah, KriteriaModal},
		{"capital only", i64(1e9), nil, nil, SkalaMikro, KriteriaModal},
	} {
		got := pp7.Compute(c.modal, c.omzet, c.started, 2026)
		if got == nil || got.Skala != c.skala || got.Kriteria != c.kriter {
			t.Errorf("%s: %+v, want %s by %s", c.name, got, c.skala, c.kriter)
		}
	}
	if got := pp7.Compute(nil, nil, nil, 2026); got != nil {
		t.Errorf("no figures: %+v, want no size", got)
	}
}

func TestLegalitasLengkap(t *testing.T) {
	today := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	past := today.AddDate(0, 0, -1)
	doc := func(kind string) legal { return legal{Jenis: kind, Status: StatusTerbit} }
	for _, c := range []struct {
		name   string
		sektor string
		docs   []legal
		want   bool
	}{
		{"fashion with NIB", "fashion", []legal{doc(LegalNIB)}, true},
		{"no NIB", "fashion", []legal{doc(LegalHKI)}, false},
		{"food with NIB only", "kuliner", []legal{doc(LegalNIB)}, false},
		{"food with NIB, P-IRT, halal", "kuliner", []legal{doc(LegalNIB), doc(LegalPIRT), doc(LegalHalal)}, true},
		{"food with NIB, BPOM, halal", "kuliner", []legal{doc(LegalNIB), doc(LegalBPOMMD), doc(LegalHalal)}, true},
		{"halal still in process", "kuliner", []legal{doc(LegalNIB), doc(LegalPIRT), {Jenis: LegalHalal, Status: StatusDalamProses}}, false},
		{"expired P-IRT", "kuliner", []legal{doc(LegalNIB), {Jenis: LegalPIRT, Status: StatusTerbit, BerlakuSampai: &past}, doc(LegalHalal)}, false},
	} {
		if got := LegalitasLengkap(c.sektor, c.docs, today); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestTemplateHasEveryColumn guards the column constants: each names a
// filled entry of Columns, and Columns has no entry without one.
func TestTemplateHasEveryColumn(t *testing.T) {
	if len(Columns) != numColumns {
		t.Fatalf("Columns has %d entries, the constants name %d", len(Columns), numColumns)
	}
	seen := map[string]bool{}
	for col, c := range Columns {
		if c.Key == "" || c.Label == "" || seen[c.Key] {
			t.Errorf("column %d: key %q label %q (empty or repeated)", col, c.Key, c.Label)
		}
		seen[c.Key] = true
	}
}

// TestHeaderWrappedOntoTwoLines: a header typed on two lines in a
// spreadsheet cell ("Nama⏎Usaha") is the template's header; an unknown one
// spanning lines is a damaged file, not echoed.
func TestHeaderWrappedOntoTwoLines(t *testing.T) {
	header := make([]string, len(Columns))
	for col, c := range Columns {
		header[col] = c.Label
	}
	header[colNamaUsaha] = "Nama\nUsaha"
	if _, err := headerMap(header); err != nil {
		t.Errorf("a wrapped header is refused: %v", err)
	}
	header[colNamaUsaha] = "Nama Usaha,3276014507850001,Warung\nSiti"
	_, err := headerMap(header)
	if err == nil || strings.Contains(fmt.Sprint(err), "3276014507850001") {
		t.Errorf("a header swallowing rows: %v", err)
	}
}
