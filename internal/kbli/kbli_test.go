package kbli

import "testing"

// TestEmbeddedList: the embedded list has the published structure of KBLI
// 2020 (SOURCE.md) and hangs together: every code's parents exist and share
// its category.
func TestEmbeddedList(t *testing.T) {
	perTingkat := map[Tingkat]int{}
	for _, e := range All() {
		perTingkat[e.Tingkat]++
	}
	want := map[Tingkat]int{TingkatKategori: 21, TingkatGolonganPokok: 88, TingkatGolongan: 245, TingkatSubgolongan: 567, TingkatKelompok: 1789}
	for _, lv := range Tingkats {
		if perTingkat[lv] != want[lv] {
			t.Errorf("%d codes of tingkat %s, want %d", perTingkat[lv], lv, want[lv])
		}
	}
	for _, e := range All() {
		if e.Tingkat == TingkatKategori {
			continue
		}
		cat, ok := Lookup(e.Kategori)
		if !ok || cat.Tingkat != TingkatKategori {
			t.Errorf("%s: kategori %s is not a category of the list", e.Kode, e.Kategori)
		}
		for n := 2; n < len(e.Kode); n++ {
			p, ok := Lookup(e.Kode[:n])
			if !ok || p.Kategori != e.Kategori || p.Tingkat != Tingkats[n-1] {
				t.Errorf("%s (kategori %s): parent %s is %+v, %v", e.Kode, e.Kategori, e.Kode[:n], p, ok)
			}
		}
	}
	// The divisions of each category, as the classification draws them.
	ranges := map[string][2]int{"A": {1, 3}, "B": {5, 9}, "C": {10, 33}, "D": {35, 35}, "E": {36, 39}, "F": {41, 43},
		"G": {45, 47}, "H": {49, 53}, "I": {55, 56}, "J": {58, 63}, "K": {64, 66}, "L": {68, 68}, "M": {69, 75},
		"N": {77, 82}, "O": {84, 84}, "P": {85, 85}, "Q": {86, 88}, "R": {90, 93}, "S": {94, 96}, "T": {97, 98}, "U": {99, 99}}
	for _, e := range All() {
		if e.Tingkat != TingkatGolonganPokok {
			continue
		}
		d := int(e.Kode[0]-'0')*10 + int(e.Kode[1]-'0')
		if r := ranges[e.Kategori]; d < r[0] || d > r[1] {
			t.Errorf("golongan pokok %s in kategori %s, whose divisions are %02d–%02d", e.Kode, e.Kategori, r[0], r[1])
		}
	}
}

func TestLookupKnownCodes(t *testing.T) {
	for _, c := range []struct {
		kode, judul, kategori string
		tingkat               Tingkat
	}{
		{"47111", "Perdagangan Eceran Berbagai Macam Barang Yang Utamanya Makanan, Minuman Atau Tembakau Di Minimarket/Supermarket/Hypermarket", "G", TingkatKelompok},
		{"10710", "Industri Produk Roti Dan Kue", "C", TingkatKelompok},
		{"10792", "Industri Kue Basah", "C", TingkatKelompok},
		{"56101", "Restoran", "I", TingkatKelompok},
		{"96200", "Aktivitas penatu", "S", TingkatKelompok}, // laundry: 96011 was KBLI 2015
		{"01111", "Pertanian Jagung", "A", TingkatKelompok},
		{"92000", "Aktivitas Perjudian Dan Pertaruhan", "R", TingkatKelompok},
		{"47", "Perdagangan Eceran, Bukan Mobil Dan Motor", "G", TingkatGolonganPokok},
		{"G", "Perdagangan Besar Dan Eceran; Reparasi Dan Perawatan Mobil Dan Sepeda Motor", "G", TingkatKategori},
	} {
		e, ok := Lookup(c.kode)
		if !ok || e.Judul != c.judul || e.Kategori != c.kategori || e.Tingkat != c.tingkat {
			t.Errorf("Lookup(%s) = %+v, %v; want %s, %s, %s", c.kode, e, ok, c.judul, c.kategori, c.tingkat)
		}
	}
	// Not KBLI 2020: made up, KBLI 2015 codes it replaced, codes BPS deleted
	// from the regulation (SOURCE.md), and what people type instead.
	for _, kode := range []string{"99999", "00000", "96011", "61925", "74100", "77301", "93232", "93233", "4711", "047111", "", "g", "47111 "} {
		if e, ok := Lookup(kode); ok && e.Tingkat == TingkatKelompok {
			t.Errorf("Lookup(%q) found kelompok %+v", kode, e)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct {
		raw, want string
		changed   bool
	}{
		{"47111", "47111", false},
		{" 47111 ", "47111", false},
		{"47111.0", "47111", true},
		{"47111,00", "47111", true},
		{"KBLI 47111", "47111", true},
		{"kbli: 47111", "47111", true},
		{"KBLI47111", "47111", true},
		{"KBLI-10710.0", "10710", true},
		{"47.111", "47111", true},
		{"10,710", "10710", true},
		{"01111", "01111", false},
		// Left for the caller to refuse, as written.
		{"KBLI", "KBLI", false},
		{"47111.5", "47111.5", false},
		{"4.7111", "4.7111", false},
		{"471.11", "471.11", false},
		{"1111", "1111", false},
		{"Restoran", "Restoran", false},
	} {
		got, changed := Normalize(c.raw)
		if got != c.want || changed != c.changed {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", c.raw, got, changed, c.want, c.changed)
		}
	}
}

func TestParseRefusesBrokenLists(t *testing.T) {
	head := "kode,judul,kategori,tingkat\n"
	for name, body := range map[string]string{
		"header":         "code,title,cat,level\nA,Pertanian,A,kategori\n",
		"twice":          head + "01,Pertanian,A,golongan_pokok\n01,Pertanian,A,golongan_pokok\n",
		"letter":         head + "01,Pertanian,V,golongan_pokok\n",
		"digits":         head + "0111,Pertanian,A,kelompok\n",
		"tingkat":        head + "01,Pertanian,A,seksi\n",
		"no title":       head + "01,,A,golongan_pokok\n",
		"padded title":   head + "01, Pertanian,A,golongan_pokok\n",
		"category code":  head + "B,Pertambangan,A,kategori\n",
		"not a code":     head + "0x,Pertanian,A,golongan_pokok\n",
		"missing column": head + "01,Pertanian,A\n",
	} {
		if l, err := parse([]byte(body)); err == nil {
			t.Errorf("%s: parsed into %+v", name, l.entries)
		}
	}
}
