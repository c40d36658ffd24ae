// Package kbli is the Klasifikasi Baku Lapangan Usaha Indonesia 2020 (KBLI
// 2020, Peraturan BPS 2/2020) as reference data: every code of every level
// with its title and category (see SOURCE.md). The list is embedded and read
// once, so that checking a code is a map lookup: an import checks some
// 30.000 rows a second. migrations/019_kbli.sql holds the same rows for SQL.
package kbli

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
)

// Tingkat is the level of a code in the classification.
type Tingkat string

// The levels, broadest first.
const (
	TingkatKategori      Tingkat = "kategori"       // a letter A–U
	TingkatGolonganPokok Tingkat = "golongan_pokok" // 2 digits (division)
	TingkatGolongan      Tingkat = "golongan"       // 3 digits (group)
	TingkatSubgolongan   Tingkat = "subgolongan"    // 4 digits (class)
	TingkatKelompok      Tingkat = "kelompok"       // 5 digits: a business's activity
)

// Tingkats lists the levels, broadest first.
var Tingkats = []Tingkat{TingkatKategori, TingkatGolonganPokok, TingkatGolongan, TingkatSubgolongan, TingkatKelompok}

// Entry is one code of the classification.
type Entry struct {
	Kode     string
	Judul    string
	Kategori string // the letter A–U of its category (itself, for a category)
	Tingkat  Tingkat
}

//go:embed kbli2020.csv
var data []byte

type list struct {
	entries []Entry
	byKode  map[string]int
}

var load = sync.OnceValue(func() list {
	l, err := parse(data)
	if err != nil { // the embedded file is fixed at build time; its tests read it
		panic(fmt.Sprintf("kbli: embedded kbli2020.csv: %v", err))
	}
	return l
})

func parse(b []byte) (list, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = 4
	recs, err := r.ReadAll()
	if err != nil {
		return list{}, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "kode,judul,kategori,tingkat" {
		return list{}, fmt.Errorf("header is not kode,judul,kategori,tingkat")
	}
	l := list{byKode: make(map[string]int, len(recs))}
	for i, rec := range recs[1:] {
		e := Entry{Kode: rec[0], Judul: rec[1], Kategori: rec[2], Tingkat: Tingkat(rec[3])}
		if err := e.check(); err != nil {
			return list{}, fmt.Errorf("line %d: %w", i+2, err)
		}
		if _, dup := l.byKode[e.Kode]; dup {
			return list{}, fmt.Errorf("line %d: kode %s twice", i+2, e.Kode)
		}
		l.byKode[e.Kode] = len(l.entries)
		l.entries = append(l.entries, e)
	}
	return l, nil
}

// check is the shape of one row: a level's code length, a category letter
// A–U, a title.
func (e Entry) check() error {
	if len(e.Kategori) != 1 || e.Kategori[0] < 'A' || e.Kategori[0] > 'U' {
		return fmt.Errorf("kode %s: kategori %q is not a letter A–U", e.Kode, e.Kategori)
	}
	if e.Judul == "" || strings.TrimSpace(e.Judul) != e.Judul {
		return fmt.Errorf("kode %s: judul %q is empty or padded", e.Kode, e.Judul)
	}
	want := map[Tingkat]int{TingkatGolonganPokok: 2, TingkatGolongan: 3, TingkatSubgolongan: 4, TingkatKelompok: 5}
	if e.Tingkat == TingkatKategori {
		if e.Kode != e.Kategori {
			return fmt.Errorf("kategori %s: kode %q", e.Kategori, e.Kode)
		}
		return nil
	}
	n, ok := want[e.Tingkat]
	if !ok {
		return fmt.Errorf("kode %s: unknown tingkat %q", e.Kode, e.Tingkat)
	}
	if len(e.Kode) != n || strings.Trim(e.Kode, "0123456789") != "" {
		return fmt.Errorf("kode %q: a %s has %d digits", e.Kode, e.Tingkat, n)
	}
	return nil
}

// Lookup finds a code of any level: "47111", "47", or a category's letter.
func Lookup(kode string) (Entry, bool) {
	l := load()
	i, ok := l.byKode[kode]
	if !ok {
		return Entry{}, false
	}
	return l.entries[i], true
}

// All is every code, in the file's order (by category, then code).
func All() []Entry {
	return append([]Entry(nil), load().entries...)
}

// Normalize reads a code as spreadsheets and people write it: "KBLI 47111",
// "KBLI: 47111", a number Excel shows with decimals ("47111.0", "47111,00")
// or with a thousands separator ("47.111", "47,111"). It returns the digits
// and whether the text differed from them; any other text comes back
// trimmed and unchanged, for the caller to refuse.
func Normalize(raw string) (kode string, changed bool) {
	v := strings.TrimSpace(raw)
	if len(v) >= 4 && strings.EqualFold(v[:4], "kbli") {
		v = strings.TrimLeft(v[4:], " :.-")
	}
	switch {
	case len(v) > 6 && allDigits(v[:5]) && (v[5] == '.' || v[5] == ',') && strings.Trim(v[6:], "0") == "":
		v = v[:5] // 47111.0: a number cell with decimals
	case len(v) == 6 && allDigits(v[:2]) && (v[2] == '.' || v[2] == ',') && allDigits(v[3:]):
		v = v[:2] + v[3:] // 47.111: a number cell with a thousands separator
	}
	if v == "" { // "KBLI" and nothing else is not a blank cell
		return strings.TrimSpace(raw), false
	}
	return v, v != strings.TrimSpace(raw)
}

func allDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
