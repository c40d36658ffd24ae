package pendanaan

import (
	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/format"
)

// Bagian is a month's interest split between the subsidy and the debtor.
type Bagian struct {
	SubsidiBP int   `json:"subsidi_bp"`
	Subsidi   int64 `json:"subsidi"`
	Debitur   int64 `json:"debitur"`
}

// TingkatSubsidi is the subsidised share (basis points) of a loan of pokok
// rupiah: the first tier whose ceiling it does not pass. The decree's
// tiers read "Rp1–25 juta" and "Rp26–50 juta"; a loan between the two
// (Rp25.000.001–25.999.999) is taken as above 25 juta, the lower share, so
// no loan is left without a tier. Below the minimum or above the last
// tier there is no subsidy (ok false).
func TingkatSubsidi(a AturanSkema, pokok int64) (bp int, ok bool) {
	if pokok < a.PokokMin {
		return 0, false
	}
	for _, t := range a.Tingkat {
		if pokok <= t.PokokMaks {
			return t.SubsidiBP, true
		}
	}
	return 0, false
}

// Bagi splits a month's interest at share bp: the subsidy is rounded down
// to the rupiah and the debtor pays the rest, so the two always sum to the
// interest and the office never pays a rupiah more than its share.
func Bagi(bunga int64, bp int) Bagian {
	// bunga × bp fits in int64 for any interest below 9,2 × 10^14 rupiah.
	sub := bunga * int64(bp) / 10000
	return Bagian{SubsidiBP: bp, Subsidi: sub, Debitur: bunga - sub}
}

// BiayaAdmin is Kredit Mesra's fee for a loan of plafon over tenor months,
// deducted at disbursement, rounded down to the rupiah (the borrower is
// never charged more than the rate). ok is false for a tenor the scheme
// does not offer.
func BiayaAdmin(a AturanSkema, plafon int64, tenor int) (int64, bool) {
	for _, b := range a.Biaya {
		if b.TenorBulan == tenor {
			return plafon * int64(b.BiayaBP) / 10000, true
		}
	}
	return 0, false
}

// errPokokSubsidi refuses a principal outside the subsidy's tiers.
func errPokokSubsidi(a AturanSkema, field string, pokok int64) error {
	last := int64(0)
	if n := len(a.Tingkat); n > 0 {
		last = a.Tingkat[n-1].PokokMaks
	}
	return apperr.InvalidField(field, pokok, apperr.T(
		"Pokok pinjaman untuk subsidi bunga harus "+format.Rupiah(a.PokokMin)+" sampai "+format.Rupiah(last)+".",
		"The principal for the interest subsidy must be "+format.Rupiah(a.PokokMin)+" to "+format.Rupiah(last)+"."))
}
