package umkm

import (
	"strings"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Coded fields: columns whose cell is one of a few codes, and the ways
// offices write each. A cell is compared after folding (case, spaces,
// hyphens and underscores, dots around it: "Laki - Laki." is "laki laki");
// anything else is refused naming the field and listing what is
// accepted. A blank cell is unknown, never a code. Only spellings that
// cannot mean another code are listed.
type codedField struct {
	key, label string // the column's key; its name in messages
	codes      []coded
}

// coded is one code and its other spellings (the code itself is always
// accepted).
type coded struct {
	code      string
	spellings []string
}

var (
	jenisKelaminField = codedField{"jenis_kelamin", "Jenis kelamin", []coded{
		{"L", []string{"Lk", "Laki-laki", "Laki2", "Pria"}},
		{"P", []string{"Pr", "Perempuan", "Wanita", "W"}},
	}}
	statusBinaanField = codedField{"status_binaan", "Status binaan", []coded{
		{"binaan", []string{"mitra binaan", "ya", "y"}},
		{"bukan_binaan", []string{"non binaan", "tidak binaan", "belum binaan", "tidak", "t"}},
	}}
	skalaField = codedField{"skala_dilaporkan", "Skala usaha", []coded{
		{SkalaMikro, []string{"usaha mikro"}},
		{SkalaKecil, []string{"usaha kecil"}},
		{SkalaMenengah, []string{"usaha menengah"}},
		{SkalaBesar, []string{"usaha besar"}},
	}}
	// Sectors: the creative-economy names of the same fields (fesyen,
	// kriya) and the food-and-drink wording of many office lists.
	sektorField = codedField{"sektor", "Sektor", []coded{
		{"kuliner", []string{"makanan dan minuman", "makanan & minuman", "makanan/minuman", "mamin"}},
		{"fashion", []string{"fesyen"}},
		{"kerajinan", []string{"kriya"}},
		{"jasa", nil},
		{"perdagangan", []string{"dagang"}},
		{"pertanian", nil},
		{"peternakan", nil},
		{"perikanan", nil},
		{"otomotif", nil},
		{"kecantikan", nil},
		{"teknologi", nil},
		{"pendidikan", nil},
		{"lainnya", []string{"lain-lain", "lain2"}},
	}}
	// Sales channels, each item of a cell listing several.
	saluranField = codedField{"saluran_penjualan", "Saluran penjualan", []coded{
		{"offline", []string{"luring", "off line"}},
		{"shopee", nil},
		{"tokopedia", nil},
		{"tiktok_shop", []string{"tiktokshop"}},
		{"lazada", nil},
		{"bukalapak", nil},
		{"grabfood", []string{"grab food"}},
		{"gofood", []string{"go food"}},
		{"shopeefood", []string{"shopee food"}},
		{"ritel_modern", []string{"retail modern", "indomaret", "alfamart"}},
		{"media_sosial", []string{"medsos", "sosmed", "sosial media", "instagram", "facebook"}},
		{"website", []string{"web", "situs web"}},
		{"lainnya", []string{"lain-lain", "lain2"}},
	}}
)

// foldCode is a cell as coded cells are compared.
func foldCode(s string) string {
	s = codeSeparators.Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(strings.Trim(s, ". ")), " ")
}

var codeSeparators = strings.NewReplacer("-", " ", "_", " ")

// codeIndex is each field's folded spellings → code.
var codeIndex = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, f := range []codedField{jenisKelaminField, statusBinaanField, skalaField, sektorField, saluranField} {
		m := map[string]string{}
		for _, c := range f.codes {
			for _, s := range append([]string{c.code}, c.spellings...) {
				if _, dup := m[foldCode(s)]; dup {
					panic("coded field " + f.key + ": " + s + " twice")
				}
				m[foldCode(s)] = c.code
			}
		}
		out[f.key] = m
	}
	return out
}()

// read returns the code a cell names; ok is false for a cell naming none.
// A blank cell is "" and ok.
func (f codedField) read(cell string) (code string, ok bool) {
	if code, ok := codeIndex[f.key][cell]; ok { // written as folded, as most cells are
		return code, true
	}
	v := foldCode(cell)
	if v == "" {
		return "", true
	}
	code, ok = codeIndex[f.key][v]
	return code, ok
}

// refusal says what the field accepts.
func (f codedField) refusal() apperr.Text {
	var id, en []string
	for _, c := range f.codes {
		if len(c.spellings) == 0 {
			id, en = append(id, c.code), append(en, c.code)
			continue
		}
		id = append(id, c.code+" (juga "+strings.Join(c.spellings, ", ")+")")
		en = append(en, c.code+" (also "+strings.Join(c.spellings, ", ")+")")
	}
	return apperr.T(f.label+" tidak dikenal. Isi salah satu: "+strings.Join(id, "; ")+"; huruf besar/kecil bebas. Kosongkan bila tidak diketahui.",
		f.label+" not recognised. Use one of: "+strings.Join(en, "; ")+"; in any case. Leave it empty when unknown.")
}
