package dasbor

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestSembunyikan(t *testing.T) {
	for _, tc := range []struct {
		nilai  []int
		ambang int
		want   string // x: hidden, .: shown
	}{
		// The boundaries of the default threshold: 0 and 5 shown, 1 and 4
		// hidden; a lone small cell takes its smallest non-zero sibling with it.
		{[]int{0, 5, 7}, 5, "..."},
		{[]int{1, 5, 7}, 5, "xx."},
		{[]int{4, 5, 7}, 5, "xx."},
		{[]int{5, 5, 7}, 5, "..."},
		// Zeros are shown; a complementary cell is the smallest non-zero one.
		{[]int{3, 0, 20, 9}, 5, "x..x"},
		// Two small cells whose sum is under the threshold take a third.
		{[]int{1, 1, 0, 50}, 5, "xx.x"},
		{[]int{2, 3, 40}, 5, "xx."},
		// Nothing but zeros beside it: a zero is hidden, so that two cells
		// hide the count.
		{[]int{2, 0, 0}, 5, "xx."},
		// Alone in its kecamatan: nothing to hide it with (the kecamatan
		// total shows it anyway).
		{[]int{3}, 5, "x"},
		{[]int{0, 0}, 5, ".."},
		// A configured threshold.
		{[]int{2, 3, 10}, 3, "xx."},
		{[]int{3, 4, 10}, 3, "..."},
		{[]int{9, 10, 11}, 10, "xx."},
		// 1 (or less) hides nothing.
		{[]int{1, 2, 3}, 1, "..."},
		{[]int{1, 2, 3}, 0, "..."},
	} {
		got := ""
		for _, h := range sembunyikan(tc.nilai, tc.ambang) {
			if h {
				got += "x"
			} else {
				got += "."
			}
		}
		if got != tc.want {
			t.Errorf("sembunyikan(%v, %d) = %s, want %s", tc.nilai, tc.ambang, got, tc.want)
		}
	}
}

// TestSembunyikanCannotBeUndone: over many random kecamatan, no hidden count
// can be recovered from the total and the visible siblings.
func TestSembunyikanCannotBeUndone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(12)
		ambang := 2 + rng.IntN(8)
		nilai := make([]int, n)
		for i := range nilai {
			if rng.IntN(3) > 0 {
				nilai[i] = rng.IntN(3 * ambang)
			}
		}
		hidden := sembunyikan(nilai, ambang)
		count, sum, nonzeroShown := 0, 0, 0
		for i, v := range nilai {
			small := v >= 1 && v < ambang
			if small && !hidden[i] {
				t.Fatalf("%v (ambang %d): %d at %d shown", nilai, ambang, v, i)
			}
			if hidden[i] {
				count, sum = count+1, sum+v
			} else if v > 0 {
				nonzeroShown++
			}
		}
		ctx := fmt.Sprintf("%v ambang %d hidden %v", nilai, ambang, hidden)
		if count == 1 && n > 1 {
			t.Fatalf("%s: a single hidden cell is the total minus the visible ones", ctx)
		}
		if count > 0 && sum < ambang && nonzeroShown > 0 {
			t.Fatalf("%s: the hidden cells together hold %d < %d while non-zero cells could join them", ctx, sum, ambang)
		}
	}
}
