package koperasi

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"sort"

	"github.com/sentra-id/sentra/internal/apperr"
)

// The reclassification policy of DOMAIN.md ("Reclassification of legacy KSU
// cooperatives"), as a pure function of a cooperative's business units and
// the tenant's thresholds. The campaign (kampanye.go) feeds it and stores
// what it answers; nothing here touches the database.

// Hasil is the outcome of classifying one cooperative.
type Hasil string

const (
	HasilUsulan        Hasil = "usulan"         // a jenis is proposed, with a confidence
	HasilPerluTinjauan Hasil = "perlu_tinjauan" // no clear leader: a person decides
	HasilPerluData     Hasil = "perlu_data"     // no usable unit data
)

// Keyakinan is the confidence of a proposal.
type Keyakinan string

const (
	KeyakinanTinggi Keyakinan = "tinggi"
	KeyakinanSedang Keyakinan = "sedang"
)

// Kebijakan are a tenant's thresholds (tenants.settings → "reklasifikasi"),
// in whole percent and whole percentage points so that "exactly 50%" and
// "exactly 10 points" are decided exactly, never by floating-point luck.
type Kebijakan struct {
	AmbangTinggiPersen int `json:"ambang_tinggi_persen" doc:"A type holding at least this share of the volume is proposed with high confidence."`
	SelisihSedangPoin  int `json:"selisih_sedang_poin" doc:"Below that, a type this many percentage points ahead of the second is proposed with medium confidence."`
	// TahunMaks: volumes of later years are ignored (a typo such as 2062
	// must not become a cooperative's "latest year"). The campaign sets it
	// to the year it starts.
	TahunMaks int `json:"tahun_maks" doc:"Volumes of later years are ignored."`
}

// DefaultKebijakan are DOMAIN.md's defaults.
var DefaultKebijakan = Kebijakan{AmbangTinggiPersen: 50, SelisihSedangPoin: 10}

// ParseKebijakan reads the thresholds from a tenant's settings document,
// taking the defaults for what is absent, and refuses values that make no
// sense (the location names the setting).
func ParseKebijakan(settings []byte, tahun int) (Kebijakan, error) {
	k := DefaultKebijakan
	k.TahunMaks = tahun
	var doc struct {
		Reklasifikasi map[string]json.RawMessage `json:"reklasifikasi"`
	}
	if len(settings) > 0 {
		if err := json.Unmarshal(settings, &doc); err != nil {
			return Kebijakan{}, settingInvalid("settings.reklasifikasi", "harus berupa objek", "must be an object")
		}
	}
	read := func(key string, dst *int, lo, hi int) error {
		raw, ok := doc.Reklasifikasi[key]
		if !ok || string(raw) == "null" {
			return nil
		}
		loc := "settings.reklasifikasi." + key
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
			return settingInvalid(loc, fmt.Sprintf("harus bilangan bulat %d–%d", lo, hi), fmt.Sprintf("must be a whole number %d–%d", lo, hi))
		}
		*dst = int(f)
		return nil
	}
	for key := range doc.Reklasifikasi {
		if key != "ambang_tinggi_persen" && key != "selisih_sedang_poin" {
			return Kebijakan{}, settingInvalid("settings.reklasifikasi."+key, "pengaturan ini tidak dikenal", "unknown setting")
		}
	}
	if err := read("ambang_tinggi_persen", &k.AmbangTinggiPersen, 1, 100); err != nil {
		return Kebijakan{}, err
	}
	if err := read("selisih_sedang_poin", &k.SelisihSedangPoin, 0, 100); err != nil {
		return Kebijakan{}, err
	}
	return k, nil
}

func settingInvalid(loc, id, en string) error {
	return apperr.Invalid(apperr.T(
		"Pengaturan reklasifikasi kantor ini tidak valid; hubungi admin platform.",
		"This office's reclassification settings are invalid; contact the platform admin."),
		apperr.Field{Location: loc, Message: apperr.T(id, en)})
}

// UnitData is one active business unit as the policy sees it: its kind,
// its volume per year (sales, or loans given by a savings-and-loan unit) and
// its share of the cooperative's business per year where staff recorded a
// composition instead (komposisi.go).
type UnitData struct {
	Kind      UnitKind
	Pola      string        // close_loop / open_loop for a savings-and-loan unit
	Volume    map[int]int64 // tahun → volume (rupiah)
	Komposisi map[int]int32 // tahun → share in hundredths of a percent (6000 = 60%)
}

// Sumber is where the shares the policy compared come from.
type Sumber string

const (
	SumberVolume    Sumber = "volume"    // rupiah volumes of the units
	SumberKomposisi Sumber = "komposisi" // the composition in percent staff recorded
)

// Porsi is what the policy saw, stored with the proposal as its rationale.
type Porsi struct {
	Tahun   int                  `json:"tahun,omitempty" doc:"The year compared: the latest year with volumes or a composition, up to the campaign's year."`
	Sumber  Sumber               `json:"sumber,omitempty" enum:"volume,komposisi" doc:"What was compared that year: rupiah volumes, or the business composition in percent (used when the year has no volume above zero)."`
	Total   int64                `json:"total" doc:"Volume of all active units that year (rupiah), types and 'lainnya'; 0 when sumber is komposisi."`
	Jenis   map[Jenis]PorsiJenis `json:"jenis" nullable:"false" doc:"Volume and share per type that has any."`
	Lainnya *PorsiJenis          `json:"lainnya,omitempty" doc:"Units of kind 'lainnya': in the total, counted toward no type."`
	Unit    int                  `json:"unit" doc:"Active units seen."`
	Pola    []string             `json:"pola_simpan_pinjam,omitempty" doc:"Close or open loop of the savings-and-loan units."`
	Catatan string               `json:"catatan,omitempty" doc:"Why there is no proposal, in words for people."`
	Tolak   *PenolakanSebelumnya `json:"penolakan_sebelumnya,omitempty" doc:"The reason an earlier campaign's proposal for this cooperative was rejected."`
}

// PorsiJenis is one type's volume and its share of the total (percent,
// two decimals; decisions use the exact volumes or hundredths, not this
// rounding).
type PorsiJenis struct {
	Volume int64   `json:"volume,omitempty" doc:"Rupiah; absent when sumber is komposisi."`
	Persen float64 `json:"persen"`
}

// PenolakanSebelumnya is a rejection an earlier campaign recorded.
type PenolakanSebelumnya struct {
	Alasan string `json:"alasan"`
}

// Klasifikasi is the policy's answer for one cooperative.
type Klasifikasi struct {
	Hasil        Hasil
	Jenis        Jenis     // set for HasilUsulan
	Keyakinan    Keyakinan // set for HasilUsulan
	SimpanPinjam bool      // a savings-and-loan unit exists and the proposal is another type (or none)
	Porsi        Porsi
}

// Classify applies the policy to one cooperative's active units.
//
//  1. The year compared is the cooperative's latest year with any volume or
//     composition, up to k.TahunMaks: a composition recorded for 2024 says
//     more about today's business than rupiah volumes of 2021. Each unit
//     counts its volume of that year (0 if it has none that year): mixing
//     years across units would compare a shop's old year with a loan
//     book's recent one. When that year's volumes add up to zero (none
//     recorded, or all zero) and it has a composition, each unit counts
//     its share instead (Porsi.Sumber says which); rupiah volumes, where
//     there are any, win over percentages of the same year. A composition
//     counts only active units, so a unit deactivated since leaves the
//     others' shares of what remains, as with volumes.
//  2. Each unit's kind maps to a type (UnitJenis); "lainnya" maps to none
//     but stays in the total, so an unclassifiable business lowers every
//     type's share instead of being ignored.
//  3. No unit, no volume nor composition up to TahunMaks, a zero total, or
//     a total beyond int64 (implausible figures) → perlu_data. Only
//     "lainnya" volume → perlu_tinjauan.
//  4. The top type holding ≥ AmbangTinggiPersen of the total → proposed,
//     tinggi. Below, but ≥ SelisihSedangPoin points ahead of the second →
//     proposed, sedang. A tie at the top, or a smaller lead → perlu_tinjauan.
//  5. A savings-and-loan unit exists and the proposal is not simpan_pinjam
//     (including no proposal) → SimpanPinjam flag: the USP must keep
//     separate books and be close loop.
func Classify(units []UnitData, k Kebijakan) Klasifikasi {
	out := Klasifikasi{Porsi: Porsi{Unit: len(units), Jenis: map[Jenis]PorsiJenis{}}}
	hasSP := false
	for _, u := range units {
		if u.Kind == "simpan_pinjam" {
			hasSP = true
			if u.Pola != "" {
				out.Porsi.Pola = append(out.Porsi.Pola, u.Pola)
			}
		}
	}
	sort.Strings(out.Porsi.Pola)
	out.SimpanPinjam = hasSP // cleared below if simpan_pinjam is proposed

	tahun := 0
	for _, u := range units {
		for y := range u.Volume {
			if y > tahun && (k.TahunMaks == 0 || y <= k.TahunMaks) {
				tahun = y
			}
		}
		for y := range u.Komposisi {
			if y > tahun && (k.TahunMaks == 0 || y <= k.TahunMaks) {
				tahun = y
			}
		}
	}
	if len(units) == 0 || tahun == 0 {
		out.Hasil = HasilPerluData
		out.Porsi.Catatan = "Belum ada data unit usaha dengan volume."
		if len(units) > 0 {
			out.Porsi.Catatan = "Unit usaha belum punya volume tahunan maupun komposisi usaha."
		}
		return out
	}
	out.Porsi.Tahun = tahun

	out.Porsi.Sumber = SumberVolume
	weight := func(u UnitData) int64 { return u.Volume[tahun] }
	if hasKomposisi(units, tahun) && !anyVolume(units, tahun) {
		out.Porsi.Sumber = SumberKomposisi
		weight = func(u UnitData) int64 { return int64(u.Komposisi[tahun]) }
	}
	sums, lainnya, total, ok := weigh(units, weight)
	if !ok {
		out.Hasil = HasilPerluData
		out.Porsi = Porsi{Unit: len(units), Tahun: tahun, Sumber: out.Porsi.Sumber, Jenis: map[Jenis]PorsiJenis{}, Pola: out.Porsi.Pola,
			Catatan: "Volume tidak masuk akal (terlalu besar); periksa data unit usaha."}
		return out
	}
	if out.Porsi.Sumber == SumberVolume {
		out.Porsi.Total = int64(total)
	}
	if total == 0 {
		out.Hasil = HasilPerluData
		out.Porsi.Catatan = fmt.Sprintf("Volume semua unit usaha tahun %d nol.", tahun)
		if out.Porsi.Sumber == SumberKomposisi {
			out.Porsi.Catatan = fmt.Sprintf("Komposisi usaha tahun %d tidak memberi porsi kepada unit aktif mana pun.", tahun)
		}
		return out
	}
	volume := func(v uint64) int64 {
		if out.Porsi.Sumber == SumberKomposisi {
			return 0 // hundredths of a percent, not rupiah
		}
		return int64(v)
	}
	for i, s := range sums {
		if s > 0 {
			out.Porsi.Jenis[jenisOrder[i]] = PorsiJenis{Volume: volume(s), Persen: persen(s, total)}
		}
	}
	if lainnya > 0 {
		out.Porsi.Lainnya = &PorsiJenis{Volume: volume(lainnya), Persen: persen(lainnya, total)}
	}

	// The top two types; ties keep jenisOrder, but a tie is never proposed.
	top, second := -1, -1
	for i, s := range sums {
		switch {
		case top < 0 || s > sums[top]:
			top, second = i, top
		case second < 0 || s > sums[second]:
			second = i
		}
	}
	lead := sums[top] - sums[second]
	switch {
	case sums[top] == 0:
		out.Hasil = HasilPerluTinjauan
		out.Porsi.Catatan = "Semua volume berasal dari unit 'lainnya' yang tidak menunjuk jenis apa pun."
	case lead == 0:
		out.Hasil = HasilPerluTinjauan
		out.Porsi.Catatan = fmt.Sprintf("Jenis %s dan %s sama besar.", jenisOrder[top], jenisOrder[second])
	case atLeast(sums[top], total, k.AmbangTinggiPersen):
		out.Hasil, out.Jenis, out.Keyakinan = HasilUsulan, jenisOrder[top], KeyakinanTinggi
	case atLeast(lead, total, k.SelisihSedangPoin):
		out.Hasil, out.Jenis, out.Keyakinan = HasilUsulan, jenisOrder[top], KeyakinanSedang
	default:
		out.Hasil = HasilPerluTinjauan
		out.Porsi.Catatan = fmt.Sprintf("Jenis %s di bawah %d%% dan unggul kurang dari %d poin atas %s.",
			jenisOrder[top], k.AmbangTinggiPersen, k.SelisihSedangPoin, jenisOrder[second])
	}
	if out.Jenis == JenisSimpanPinjam {
		out.SimpanPinjam = false
	}
	return out
}

// weigh adds up each unit's weight (its volume or its share of the year
// compared) per type, 'lainnya' apart, and in total; ok is false when the
// total does not fit in int64.
func weigh(units []UnitData, weight func(UnitData) int64) (sums [len(jenisOrder)]uint64, lainnya, total uint64, ok bool) {
	for _, u := range units {
		v := weight(u)
		if v < 0 {
			v = 0 // the schema refuses negative volumes; never trust it blindly
		}
		var carry uint64
		if total, carry = bits.Add64(total, uint64(v), 0); carry != 0 || total > math.MaxInt64 {
			return sums, 0, 0, false
		}
		j, known := UnitJenis[u.Kind]
		if !known {
			lainnya += uint64(v)
			continue
		}
		sums[jenisIndex[j]] += uint64(v)
	}
	return sums, lainnya, total, true
}

// anyVolume reports whether a unit has a volume above zero in tahun.
func anyVolume(units []UnitData, tahun int) bool {
	for _, u := range units {
		if u.Volume[tahun] > 0 {
			return true
		}
	}
	return false
}

// hasKomposisi reports whether a unit has a share recorded for tahun.
func hasKomposisi(units []UnitData, tahun int) bool {
	for _, u := range units {
		if _, ok := u.Komposisi[tahun]; ok {
			return true
		}
	}
	return false
}

// jenisOrder is AllJenis as an array, for fixed-size sums.
var jenisOrder = [5]Jenis{JenisKonsumen, JenisProdusen, JenisPemasaran, JenisJasa, JenisSimpanPinjam}

var jenisIndex = func() map[Jenis]int {
	m := map[Jenis]int{}
	for i, j := range jenisOrder {
		m[j] = i
	}
	return m
}()

// atLeast reports part/total ≥ pct/100 exactly: part·100 ≥ pct·total in
// 128-bit arithmetic (part and total are below 2^63).
func atLeast(part, total uint64, pct int) bool {
	ph, pl := bits.Mul64(part, 100)
	th, tl := bits.Mul64(total, uint64(pct))
	return ph > th || (ph == th && pl >= tl)
}

// persen is part's share of total in percent, rounded to two decimals, for
// people to read.
func persen(part, total uint64) float64 {
	return math.Round(float64(part)/float64(total)*10000) / 100
}
