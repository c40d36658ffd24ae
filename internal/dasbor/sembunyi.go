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
// Where a count is shown beside its whole, its complement is hidden as
// well (sembunyikanBagian): the helped per region, the selected not
// completed. What stays there: a region showing 0 never-helped (or all its
// businesses) says the same of each region in it.

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

// A count shown beside the whole it is part of gives its complement away:
// businesses minus never-helped is the helped. So for a part (nilai) of a
// whole (utuh) both the part and the rest utuh-nilai are kept from being a
// small cell. sembunyikanBagian hides, among siblings, every cell whose
// part or rest is 1 to ambang-1, then more siblings until at least two
// cells with a non-zero whole are hidden and, where the siblings allow,
// the hidden parts and the hidden rests each add up to at least ambang.
// Then the sum of the parent (the part's total) and the wholes (shown or
// summed) leave at least two values for every hidden part and rest: the
// two sums over the hidden cells are each at least 1 and spread over two
// or more cells, which pins no cell down. The wholes must be the true
// ones: call it before the wholes themselves are hidden.
func sembunyikanBagian(nilai, utuh []int, ambang int) []bool {
	hidden := make([]bool, len(nilai))
	if ambang <= 1 {
		return hidden
	}
	small := func(n int) bool { return n >= 1 && n < ambang }
	rest := func(i int) int { return utuh[i] - nilai[i] }
	count, sumPart, sumRest := 0, 0, 0
	take := func(i int) {
		hidden[i] = true
		if utuh[i] > 0 {
			count++
		}
		sumPart += nilai[i]
		sumRest += rest(i)
	}
	for i := range nilai {
		if small(nilai[i]) || small(rest(i)) {
			take(i)
		}
	}
	if sumPart+sumRest == 0 {
		return hidden
	}
	// Each step takes the visible sibling that fills what is missing with
	// the least: the smallest part, else the smallest rest, else the
	// smallest whole; zeros last.
	part := func(i int) int { return nilai[i] }
	left := func(by func(int) int) bool {
		for i := range nilai {
			if !hidden[i] && by(i) > 0 {
				return true
			}
		}
		return false
	}
	for {
		var by func(int) int
		switch {
		case sumPart < ambang && left(part):
			by = part
		case sumRest < ambang && left(rest):
			by = rest
		case count < 2:
			by = func(i int) int { return utuh[i] }
		default:
			return hidden
		}
		best := -1
		for i := range nilai {
			if hidden[i] {
				continue
			}
			if best < 0 || (by(i) > 0) != (by(best) > 0) && by(i) > 0 || (by(i) > 0) == (by(best) > 0) && by(i) < by(best) {
				best = i
			}
		}
		if best < 0 {
			return hidden
		}
		take(best)
	}
}
