package dasbor

import (
	"cmp"
	"slices"
)

// Small cells. A province view shows per desa/kelurahan how many businesses
// (and cooperatives) it has; where that is 1 to ambang-1, a reader who knows
// the place could single someone out, so the count is hidden (primary
// suppression). The kecamatan totals stay visible, so hiding one cell alone
// would not do: total minus the visible siblings gives it back. Within each
// kecamatan more cells are hidden (complementary suppression) until at
// least two are hidden and, where the siblings allow, the hidden ones
// together hold at least ambang: then no hidden cell can be recovered
// exactly, and the hidden cells together do not single anyone out either.
// Complementary cells are the smallest non-zero siblings (least information
// lost); zeros are taken only when nothing else is left to reach two.
//
// Every hidden cell looks the same (jumlah null, disembunyikan true): telling
// primary cells ("<5") from complementary ones would let a reader bound the
// primary cell by the sum of the hidden ones.
//
// What stays: a kecamatan whose desa/kelurahan all fall under the threshold
// has its total visible at kecamatan level, which the issue does not
// suppress; and counts of kecamatan or of the whole office are never hidden.
// The programme figures (program.go) are the exception: help received is
// personal data, so their office counts from 1 to ambang-1 are hidden too,
// and their kecamatan cells as desa/kelurahan ones, against the office.

// sembunyikan returns which of the sibling counts to hide under threshold
// ambang (1 or less: none).
func sembunyikan(nilai []int, ambang int) []bool {
	hidden := make([]bool, len(nilai))
	if ambang <= 1 {
		return hidden
	}
	count, sum := 0, 0
	for i, v := range nilai {
		if v >= 1 && v < ambang {
			hidden[i] = true
			count++
			sum += v
		}
	}
	if count == 0 {
		return hidden
	}
	// Candidates: the visible cells, smallest non-zero first, zeros last.
	var cand []int
	for i := range nilai {
		if !hidden[i] {
			cand = append(cand, i)
		}
	}
	slices.SortStableFunc(cand, func(a, b int) int {
		za, zb := nilai[a] == 0, nilai[b] == 0
		if za != zb {
			if za {
				return 1
			}
			return -1
		}
		return cmp.Compare(nilai[a], nilai[b])
	})
	for _, i := range cand {
		switch {
		case sum < ambang && nilai[i] > 0, count < 2:
		default:
			return hidden
		}
		hidden[i] = true
		count++
		sum += nilai[i]
	}
	return hidden
}

// sel makes the cell of a count.
func sel(n int, hidden bool) Sel {
	if hidden {
		return Sel{Disembunyikan: true}
	}
	return Sel{Jumlah: &n}
}

// hideKelurahan applies the suppression to the desa/kelurahan of each
// kecamatan, for businesses and cooperatives separately.
func hideKelurahan(w []KecamatanDasbor, ambang int) {
	for k := range w {
		kel := w[k].Kelurahan
		for _, pick := range []func(*KelurahanDasbor) *Sel{
			func(l *KelurahanDasbor) *Sel { return &l.UMKM },
			func(l *KelurahanDasbor) *Sel { return &l.Koperasi },
		} {
			vals := make([]int, len(kel))
			for i := range kel {
				vals[i] = *pick(&kel[i]).Jumlah
			}
			for i, h := range sembunyikan(vals, ambang) {
				*pick(&kel[i]) = sel(vals[i], h)
			}
		}
	}
}
