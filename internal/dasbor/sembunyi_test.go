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

// TestNeverHelpedCannotBeUndone: over many random offices, a province
// viewer who takes every count shown (businesses per desa/kelurahan and
// kecamatan, never-helped where shown, the office's figures) and tries
// every register consistent with them cannot pin down a never-helped
// count, nor a helped count (businesses minus never-helped), that is 1 to
// ambang-1, at any level.
func TestNeverHelpedCannotBeUndone(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	small := func(n, ambang int) bool { return n >= 1 && n < ambang }
	for trial := range 3000 {
		ambang := 2 + rng.IntN(3)
		var (
			w             []KecamatanDasbor
			u, b          [][]int
			totalU, belum int
		)
		for k := range 1 + rng.IntN(3) {
			var uk, bk []int
			kec := KecamatanDasbor{Kode: fmt.Sprint(k)}
			sumU, sumB := 0, 0
			for range 1 + rng.IntN(3) {
				x := rng.IntN(6)
				y := []int{0, x, rng.IntN(x + 1)}[rng.IntN(3)]
				uk, bk = append(uk, x), append(bk, y)
				sumU, sumB = sumU+x, sumB+y
				kec.Kelurahan = append(kec.Kelurahan, KelurahanDasbor{UMKM: sel(x, false), Koperasi: sel(0, false), BelumPernah: sel(y, false)})
			}
			kec.UMKM, kec.BelumPernah = sumU, sel(sumB, false)
			totalU, belum = totalU+sumU, belum+sumB
			w, u, b = append(w, kec), append(u, uk), append(b, bk)
		}
		office := bagian(belum, totalU, ambang)
		hideBelumPernah(w, office, ambang)
		hideKelurahan(w, ambang)
		desc := fmt.Sprintf("trial %d ambang %d umkm %v never-helped %v", trial, ambang, u, b)

		// What the viewer can do: per kecamatan, every assignment of the
		// hidden businesses and never-helped consistent with what is shown,
		// by the kecamatan's never-helped it implies.
		type cells struct{ b, h []map[int]bool }
		byKec := make([]map[int]cells, len(w))
		for k, kec := range w {
			byKec[k] = map[int]cells{}
			rest := kec.UMKM
			for _, l := range kec.Kelurahan {
				if l.UMKM.Jumlah != nil {
					rest -= *l.UMKM.Jumlah
				}
			}
			n := len(kec.Kelurahan)
			gu, gb := make([]int, n), make([]int, n)
			var walk func(i, restU int)
			walk = func(i, restU int) {
				if i == n {
					sum := 0
					for _, v := range gb {
						sum += v
					}
					if restU != 0 || kec.BelumPernah.Jumlah != nil && *kec.BelumPernah.Jumlah != sum {
						return
					}
					c, ok := byKec[k][sum]
					if !ok {
						c = cells{make([]map[int]bool, n), make([]map[int]bool, n)}
						for j := range n {
							c.b[j], c.h[j] = map[int]bool{}, map[int]bool{}
						}
						byKec[k][sum] = c
					}
					for j := range n {
						c.b[j][gb[j]], c.h[j][gu[j]-gb[j]] = true, true
					}
					return
				}
				l := kec.Kelurahan[i]
				us := []int{}
				if l.UMKM.Jumlah != nil {
					us = append(us, *l.UMKM.Jumlah)
				} else {
					for x := 0; x <= restU; x++ {
						us = append(us, x)
					}
				}
				for _, x := range us {
					gu[i] = x
					spent := 0
					if l.UMKM.Jumlah == nil {
						spent = x
					}
					if l.BelumPernah.Jumlah != nil {
						if *l.BelumPernah.Jumlah <= x {
							gb[i] = *l.BelumPernah.Jumlah
							walk(i+1, restU-spent)
						}
						continue
					}
					for y := 0; y <= x; y++ {
						gb[i] = y
						walk(i+1, restU-spent)
					}
				}
			}
			walk(0, rest)
		}
		// The office's never-helped, when shown, ties the kecamatan
		// together: a kecamatan's value is possible only if the others can
		// make up the rest.
		reach := func(skip int) map[int]bool {
			sums := map[int]bool{0: true}
			for k := range w {
				if k == skip {
					continue
				}
				next := map[int]bool{}
				for s := range sums {
					for v := range byKec[k] {
						next[s+v] = true
					}
				}
				sums = next
			}
			return sums
		}
		feasible := make([]map[int]bool, len(w))
		for k := range w {
			feasible[k] = map[int]bool{}
			others := reach(k)
			for v := range byKec[k] {
				if office.Jumlah == nil || others[*office.Jumlah-v] {
					feasible[k][v] = true
				}
			}
			if len(feasible[k]) == 0 {
				t.Fatalf("%s: the truth is not among the viewer's candidates", desc)
			}
		}
		// What a shown 0 (or all) says of every region below it is no
		// small cell: "every business here was helped" (or none was).
		extreme := func(sum, whole int, s Sel) bool { return s.Jumlah != nil && (sum == 0 || sum == whole) }
		if small(belum, ambang) || small(totalU-belum, ambang) {
			if office.Jumlah != nil || len(reach(-1)) < 2 {
				t.Fatalf("%s: the office's %d never-helped of %d can be known", desc, belum, totalU)
			}
		}
		for k, kec := range w {
			bk := 0
			for _, v := range b[k] {
				bk += v
			}
			if extreme(belum, totalU, office) || extreme(bk, kec.UMKM, kec.BelumPernah) {
				continue
			}
			if (small(bk, ambang) || small(kec.UMKM-bk, ambang)) && len(feasible[k]) < 2 {
				t.Fatalf("%s: kecamatan %d's %d never-helped of %d can be known (%v)", desc, k, bk, kec.UMKM, feasible[k])
			}
			for j := range kec.Kelurahan {
				bs, hs := map[int]bool{}, map[int]bool{}
				for v := range feasible[k] {
					for x := range byKec[k][v].b[j] {
						bs[x] = true
					}
					for x := range byKec[k][v].h[j] {
						hs[x] = true
					}
				}
				if small(b[k][j], ambang) && len(bs) < 2 {
					t.Fatalf("%s: desa %d/%d's never-helped %d can be known", desc, k, j, b[k][j])
				}
				if h := u[k][j] - b[k][j]; small(h, ambang) && len(hs) < 2 {
					t.Fatalf("%s: desa %d/%d's helped %d can be known", desc, k, j, h)
				}
			}
		}
	}
}

// TestSelectedMinusCompletedHidden: a province viewer never sees both the
// selected and the completed of a year and kind when their difference
// (selected, not completed) is 1 to ambang-1, nor the office's
// never-helped when the helped (businesses minus never-helped) is.
func TestSelectedMinusCompletedHidden(t *testing.T) {
	s := &Service{Kategori: Kategori{DimJenisProgram: {"pelatihan", "pendampingan"}}}
	for _, tc := range []struct {
		terpilih, selesai, ambang int
		want                      string // terpilih/selesai: n or x
	}{
		{12, 10, 5, "12/x"}, // 2 not completed
		{12, 8, 5, "12/x"},  // 4
		{12, 7, 5, "12/7"},  // 5: shown
		{12, 12, 5, "12/12"},
		{12, 0, 5, "12/0"},
		{3, 3, 5, "x/x"},
		{6, 2, 5, "6/x"},
		{6, 4, 2, "6/4"}, // a configured threshold
		{6, 5, 3, "6/x"},
		{6, 5, 1, "6/5"}, // the office's own view
	} {
		top := angka{}
		top.add(DimTerpilih, "2026/pelatihan", tc.terpilih)
		top.add(DimSelesai, "2026/pelatihan", tc.selesai)
		p := s.program(&office{figures: map[int16]map[string]angka{}}, top, nil, tc.ambang)
		show := func(c Sel) string {
			if c.Jumlah == nil {
				return "x"
			}
			return fmt.Sprint(*c.Jumlah)
		}
		if len(p.Peserta) != 1 {
			t.Fatalf("%+v: %d rows", tc, len(p.Peserta))
		}
		if got := show(p.Peserta[0].Terpilih) + "/" + show(p.Peserta[0].Selesai); got != tc.want {
			t.Errorf("%d selected, %d completed, ambang %d: %s, want %s", tc.terpilih, tc.selesai, tc.ambang, got, tc.want)
		}
	}
	for _, tc := range []struct {
		umkm, belum, ambang int
		want                string
	}{
		{40, 37, 5, "x"}, {40, 35, 5, "35"}, {40, 40, 5, "40"}, {40, 3, 5, "x"}, {40, 0, 5, "0"}, {40, 38, 2, "38"}, {40, 39, 2, "x"},
	} {
		top := angka{}
		top.add("umkm.total", "", tc.umkm)
		top.add(DimBelumPernah, "ya", tc.belum)
		p := s.program(&office{figures: map[int16]map[string]angka{}}, top, nil, tc.ambang)
		got := "x"
		if p.BelumPernah.Jumlah != nil {
			got = fmt.Sprint(*p.BelumPernah.Jumlah)
		}
		if got != tc.want || (p.PersenBelumPernah == nil) != (got == "x") {
			t.Errorf("%d never-helped of %d, ambang %d: %s (share %v), want %s", tc.belum, tc.umkm, tc.ambang, got, p.PersenBelumPernah, tc.want)
		}
	}
}
