package wilayah

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Region names as offices write them. A cell is a Kemendagri code or a
// name; a name is compared by key: case, punctuation and spacing do not
// count ("Kel. Depok  Jaya," is Depok Jaya, "Karang Jaya" is Karangjaya),
// and a leading word naming the level ("Kec.", "Kecamatan", "Kel.",
// "Kelurahan", "Ds.", "Desa") is dropped. Nothing else is read into a
// name: a near miss is refused with the closest names as a suggestion,
// for a person to confirm. No two regions of the four offices differ
// only by case, punctuation or spacing, and none begins with such a word.
//
// Renamed regions: the dataset the regions come from (cahyadsn/wilayah,
// following Kepmendagri 300.2.2-2430/2025) carries current names only,
// with no former names and no note of a rename, so no old spelling is
// read as a new one: it is refused with the current name suggested.

// prefixes are the words written before a name, by level.
var prefixes = map[string][]string{
	LevelKecamatan: {"kec", "kecamatan"},
	LevelKelurahan: {"kel", "kelurahan", "ds", "desa"},
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// key is a name as names are compared: its letters and digits, in lower case.
func key(name string) string { return strings.Join(words(name), "") }

// keys are what a cell may name at level: the cell as written, then
// without its leading level words.
func keys(cell, level string) []string {
	w := words(cell)
	i := 0
	for i < len(w)-1 && slices.Contains(prefixes[level], w[i]) {
		i++
	}
	if i == 0 {
		return []string{strings.Join(w, "")}
	}
	return []string{strings.Join(w, ""), strings.Join(w[i:], "")}
}

// find returns the regions of level a cell names: the one its code names,
// or all of those whose name it is (two or more when the name is not
// unique in the tenant), in code order.
func (w *Index) find(cell, level string) []string {
	cell = strings.TrimSpace(cell)
	if w.Is(cell, level) {
		return []string{cell}
	}
	for _, k := range keys(cell, level) {
		var out []string
		for _, kode := range w.byName[k] {
			if w.ByKode[kode].Level == level {
				out = append(out, kode)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// near returns the regions of level (inside parent, unless empty) whose
// names are closest to cell: one or two edits away (one for a name of
// four letters or fewer), at most three, in code order.
func (w *Index) near(cell, level, parent string) []string {
	ks := keys(cell, level)
	k := ks[len(ks)-1]
	if k == "" {
		return nil
	}
	best := 2
	if utf8.RuneCountInString(k) <= 4 {
		best = 1
	}
	var out []string
	for kode, r := range w.ByKode {
		if r.Level != level || (parent != "" && r.Parent != parent) {
			continue
		}
		switch d := levenshtein(k, key(r.Nama)); {
		case d < best:
			best, out = d, []string{kode}
		case d == best:
			out = append(out, kode)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), 3)]
}

// ReadCells reads the kecamatan and desa/kelurahan cells of an import row
// (each a code or a name) into the tenant's codes. A blank kecamatan is
// read from a desa/kelurahan whose name is unique in the tenant, with a
// note saying so. What does not resolve comes back as problems of the
// columns kecamatan and kelurahan: an unknown name with the closest ones
// as a suggestion; a desa/kelurahan name of two kecamatan with both
// candidates; a desa/kelurahan that lies in another kecamatan with the one
// it lies in. Messages name regions by their official names only, never
// by the cell's text.
func (w *Index) ReadCells(kecamatan, kelurahan string) (kec, kel string, problems []Problem, note *apperr.Text) {
	bad := func(field, raw string, t apperr.Text) {
		problems = append(problems, Problem{Field: field, Value: raw, Text: t})
	}
	kecCell, kelCell := strings.TrimSpace(kecamatan), strings.TrimSpace(kelurahan)
	kels := w.find(kelCell, LevelKelurahan)
	if kecCell != "" {
		switch ks := w.find(kecCell, LevelKecamatan); len(ks) {
		case 1:
			kec = ks[0]
		case 0:
			sug := w.near(kecCell, LevelKecamatan, "")
			if len(kels) == 1 && !slices.Contains(sug, w.ByKode[kels[0]].Parent) {
				sug = append([]string{w.ByKode[kels[0]].Parent}, sug...)
			}
			bad("kecamatan", kecamatan, unknown(apperr.T("Kecamatan tidak dikenal di wilayah kantor ini.", "Unknown kecamatan in this office's regions."), w.describe(sug)))
		default:
			bad("kecamatan", kecamatan, w.ambiguous(ks))
		}
	}
	if kelCell == "" {
		if kecCell == "" {
			bad("kecamatan", kecamatan, apperr.T("Wajib diisi: kode atau nama kecamatan.", "Required: the kecamatan's code or name."))
		}
		bad("kelurahan", kelurahan, apperr.T("Wajib diisi: kode atau nama desa/kelurahan.", "Required: the desa/kelurahan's code or name."))
		return "", "", problems, nil
	}
	if kec != "" {
		var inKec []string
		for _, k := range kels {
			if w.ByKode[k].Parent == kec {
				inKec = append(inKec, k)
			}
		}
		switch {
		case len(inKec) == 1:
			return kec, inKec[0], nil, nil
		case len(inKec) > 1:
			bad("kelurahan", kelurahan, w.ambiguous(inKec))
		case len(kels) > 0:
			where := "Kecamatan " + w.ByKode[kec].Nama
			bad("kelurahan", kelurahan, apperr.T(
				fmt.Sprintf("Desa/kelurahan %s tidak berada di %s, tetapi di %s.", w.ByKode[kels[0]].Nama, where, w.describe(kels).ID),
				fmt.Sprintf("Desa/kelurahan %s is not in %s but in %s.", w.ByKode[kels[0]].Nama, where, w.describe(kels).EN)))
		default:
			sug := w.near(kelCell, LevelKelurahan, kec)
			if len(sug) == 0 {
				sug = w.near(kelCell, LevelKelurahan, "")
			}
			bad("kelurahan", kelurahan, unknown(apperr.T("Desa/kelurahan tidak dikenal di Kecamatan "+w.ByKode[kec].Nama+".",
				"Unknown desa/kelurahan in Kecamatan "+w.ByKode[kec].Nama+"."), w.describe(sug)))
		}
		return "", "", problems, nil
	}
	switch {
	case len(kels) > 1:
		bad("kelurahan", kelurahan, w.ambiguous(kels))
	case len(kels) == 0:
		if kecCell == "" {
			bad("kecamatan", kecamatan, apperr.T("Wajib diisi: kode atau nama kecamatan.", "Required: the kecamatan's code or name."))
		}
		bad("kelurahan", kelurahan, unknown(apperr.T("Desa/kelurahan tidak dikenal di wilayah kantor ini.", "Unknown desa/kelurahan in this office's regions."),
			w.describe(w.near(kelCell, LevelKelurahan, ""))))
	case kecCell == "": // one desa/kelurahan of that name: its kecamatan
		kel = kels[0]
		kec = w.ByKode[kel].Parent
		n := apperr.T("Kecamatan kosong; dibaca dari desa/kelurahan "+w.ByKode[kel].Nama+": "+w.describe([]string{kec}).ID+".",
			"Kecamatan blank; read from desa/kelurahan "+w.ByKode[kel].Nama+": "+w.describe([]string{kec}).EN+".")
		return kec, kel, nil, &n
	}
	return "", "", problems, nil
}

// unknown is msg with the suggestion, if any.
func unknown(msg, suggestion apperr.Text) apperr.Text {
	if suggestion.ID == "" {
		return msg
	}
	return apperr.T(msg.ID+" Mungkin maksud Anda: "+suggestion.ID+"?", msg.EN+" Did you mean: "+suggestion.EN+"?")
}

// ambiguous says that a name is that of all of kodes (two or more).
func (w *Index) ambiguous(kodes []string) apperr.Text {
	r := w.ByKode[kodes[0]]
	if r.Level == LevelKecamatan {
		return apperr.T(fmt.Sprintf("Nama kecamatan %s dipakai %d kecamatan: %s. Tulis kodenya.", r.Nama, len(kodes), w.list(kodes, "dan").ID),
			fmt.Sprintf("The kecamatan name %s is used by %d kecamatan: %s. Write its code.", r.Nama, len(kodes), w.list(kodes, "and").EN))
	}
	return apperr.T(
		fmt.Sprintf("Nama desa/kelurahan %s ada di %d kecamatan: %s. Isi kecamatannya, atau tulis kode desa/kelurahan.", r.Nama, len(kodes), w.list(kodes, "dan").ID),
		fmt.Sprintf("The desa/kelurahan name %s is in %d kecamatan: %s. Fill in its kecamatan, or write the desa/kelurahan's code.", r.Nama, len(kodes), w.list(kodes, "and").EN))
}

// describe names regions for a person to choose: "Pancoran Mas (32.76.01)",
// "Curug (Kec. Cimanggis, 32.76.02.1008) atau Curug (Kec. Bojongsari,
// 32.76.11.1005)"; empty for none.
func (w *Index) describe(kodes []string) apperr.Text { return w.list(kodes, "atau") }

func (w *Index) list(kodes []string, conj string) apperr.Text {
	conjEN := map[string]string{"atau": "or", "dan": "and"}[conj]
	if conjEN == "" {
		conjEN = conj
	}
	var id, en []string
	for _, k := range kodes {
		r := w.ByKode[k]
		if r.Level == LevelKecamatan {
			id, en = append(id, r.Nama+" ("+k+")"), append(en, r.Nama+" ("+k+")")
			continue
		}
		p := w.ByKode[r.Parent].Nama
		id, en = append(id, r.Nama+" (Kec. "+p+", "+k+")"), append(en, r.Nama+" (Kec. "+p+", "+k+")")
	}
	return apperr.T(join(id, conj), join(en, conjEN))
}

// join lists items the Indonesian way: "a, b atau c".
func join(items []string, conj string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
