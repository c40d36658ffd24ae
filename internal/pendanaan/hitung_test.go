package pendanaan

import "testing"

// depok is the interest subsidy's figures as the migration seeds them.
var depok = AturanSkema{PokokMin: 1_000_000, Tingkat: []TingkatSkema{{PokokMaks: 25_000_000, SubsidiBP: 9000}, {PokokMaks: 50_000_000, SubsidiBP: 8000}}}

func TestTingkatSubsidiAtTheTierEdges(t *testing.T) {
	for _, c := range []struct {
		pokok  int64
		bp     int
		inTier bool
	}{
		{999_999, 0, false},
		{1_000_000, 9000, true},
		{25_000_000, 9000, true},
		{25_000_001, 8000, true}, // between the decree's "25" and "26": the lower share
		{26_000_000, 8000, true},
		{50_000_000, 8000, true},
		{50_000_001, 0, false},
	} {
		bp, ok := TingkatSubsidi(depok, c.pokok)
		if bp != c.bp || ok != c.inTier {
			t.Errorf("TingkatSubsidi(%d) = %d, %v; want %d, %v", c.pokok, bp, ok, c.bp, c.inTier)
		}
	}
}

func TestBagiRoundsTheSubsidyDownAndSumsToTheInterest(t *testing.T) {
	for _, c := range []struct {
		bunga         int64
		bp            int
		subsidi, debt int64
	}{
		{187_500, 9000, 168_750, 18_750}, // Rp25 juta at 9 % a year, one month
		{195_000, 8000, 156_000, 39_000}, // Rp26 juta at 9 % a year, one month
		{187_501, 9000, 168_750, 18_751}, // 168.750,9 → 168.750: the debtor pays the 0,9
		{1, 9000, 0, 1},                  // a rupiah of interest: no subsidy
		{10, 8000, 8, 2},
		{333_333, 8000, 266_666, 66_667},
	} {
		got := Bagi(c.bunga, c.bp)
		if got.Subsidi != c.subsidi || got.Debitur != c.debt || got.Subsidi+got.Debitur != c.bunga {
			t.Errorf("Bagi(%d, %d) = %+v; want subsidi %d, debitur %d", c.bunga, c.bp, got, c.subsidi, c.debt)
		}
	}
}

func TestBiayaAdminPerTenor(t *testing.T) {
	mesra := AturanSkema{Biaya: []Biaya{{6, 800}, {12, 950}}}
	for _, c := range []struct {
		plafon int64
		tenor  int
		want   int64
		ok     bool
	}{
		{5_000_000, 6, 400_000, true},
		{5_000_000, 12, 475_000, true},
		{500_000, 12, 47_500, true},
		{1_234_567, 12, 117_283, true}, // 117.283,865 rounded down
		{5_000_000, 9, 0, false},
	} {
		got, ok := BiayaAdmin(mesra, c.plafon, c.tenor)
		if got != c.want || ok != c.ok {
			t.Errorf("BiayaAdmin(%d, %d) = %d, %v; want %d, %v", c.plafon, c.tenor, got, ok, c.want, c.ok)
		}
	}
}
