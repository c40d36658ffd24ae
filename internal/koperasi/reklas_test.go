package koperasi

import (
	"math"
	"reflect"
	"testing"

	"github.com/sentra-id/sentra/internal/apperr"
)

// u is a unit with volumes given as year, volume pairs.
func u(kind UnitKind, yv ...int64) UnitData {
	d := UnitData{Kind: kind, Volume: map[int]int64{}}
	for i := 0; i+1 < len(yv); i += 2 {
		d.Volume[int(yv[i])] = yv[i+1]
	}
	return d
}

func sp(pola string, yv ...int64) UnitData {
	d := u("simpan_pinjam", yv...)
	d.Pola = pola
	return d
}

// withKomposisi adds shares given as year, hundredths-of-a-percent pairs.
func withKomposisi(d UnitData, yp ...int) UnitData {
	d.Komposisi = map[int]int32{}
	for i := 0; i+1 < len(yp); i += 2 {
		d.Komposisi[yp[i]] = int32(yp[i+1])
	}
	return d
}

// TestClassifyWithKomposisi: a composition in percent weighs the units of a
// year without rupiah volumes; rupiah volumes win in the same year; the
// latest year with either decides.
func TestClassifyWithKomposisi(t *testing.T) {
	t.Parallel()
	def := Kebijakan{AmbangTinggiPersen: 50, SelisihSedangPoin: 10, TahunMaks: 2025}
	k := withKomposisi
	for _, tc := range []struct {
		name      string
		units     []UnitData
		hasil     Hasil
		jenis     Jenis
		keyakinan Keyakinan
		flag      bool
		tahun     int
		sumber    Sumber
		persen    map[Jenis]float64
	}{
		{name: "composition only: toko 60%, simpan pinjam 40% → konsumen, high, flagged",
			units: []UnitData{k(u("toko"), 2024, 6000), k(sp("close_loop"), 2024, 4000)},
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, flag: true, tahun: 2024, sumber: SumberKomposisi,
			persen: map[Jenis]float64{JenisKonsumen: 60, JenisSimpanPinjam: 40}},
		{name: "composition decided exactly in hundredths: 49.99 vs 40.00 → medium",
			units: []UnitData{k(u("toko"), 2024, 4999), k(u("produksi"), 2024, 3999), k(u("lainnya"), 2024, 1002)},
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanSedang, tahun: 2024, sumber: SumberKomposisi,
			persen: map[Jenis]float64{JenisKonsumen: 49.99, JenisProdusen: 39.99}},
		{name: "composition 50/50 is a tie: needs review",
			units: []UnitData{k(u("toko"), 2024, 5000), k(u("pertanian"), 2024, 5000)},
			hasil: HasilPerluTinjauan, tahun: 2024, sumber: SumberKomposisi,
			persen: map[Jenis]float64{JenisKonsumen: 50, JenisProdusen: 50}},
		{name: "volume wins over a composition of the same year",
			units: []UnitData{k(u("toko", 2024, 100), 2024, 9000), k(u("produksi", 2024, 900), 2024, 1000)},
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024, sumber: SumberVolume,
			persen: map[Jenis]float64{JenisKonsumen: 10, JenisProdusen: 90}},
		{name: "all-zero volumes of the year fall to its composition",
			units: []UnitData{k(u("toko", 2024, 0), 2024, 2000), k(u("produksi", 2024, 0), 2024, 8000)},
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024, sumber: SumberKomposisi,
			persen: map[Jenis]float64{JenisKonsumen: 20, JenisProdusen: 80}},
		{name: "an older composition loses to newer volumes",
			units: []UnitData{k(u("toko", 2024, 100), 2022, 9000), k(u("produksi", 2024, 900), 2022, 1000)},
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024, sumber: SumberVolume,
			persen: map[Jenis]float64{JenisKonsumen: 10, JenisProdusen: 90}},
		{name: "a newer composition wins over older volumes",
			units: []UnitData{k(u("toko", 2021, 100), 2024, 9000), k(u("produksi", 2021, 900), 2024, 1000)},
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, tahun: 2024, sumber: SumberKomposisi,
			persen: map[Jenis]float64{JenisKonsumen: 90, JenisProdusen: 10}},
		{name: "a composition after the campaign's year is ignored",
			units: []UnitData{k(u("toko", 2024, 100), 2026, 9000), k(u("produksi", 2024, 900), 2026, 1000)},
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024, sumber: SumberVolume,
			persen: map[Jenis]float64{JenisKonsumen: 10, JenisProdusen: 90}},
		{name: "a unit deactivated since: the active units' shares of what remains",
			units: []UnitData{k(u("toko"), 2024, 3000), k(u("klinik"), 2024, 1000)}, // the 60% unit is no longer active
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, tahun: 2024, sumber: SumberKomposisi,
			persen: map[Jenis]float64{JenisKonsumen: 75, JenisJasa: 25}},
		{name: "a composition giving the active units nothing: needs data",
			units: []UnitData{k(u("toko"), 2024, 0)},
			hasil: HasilPerluData, tahun: 2024, sumber: SumberKomposisi, persen: map[Jenis]float64{}},
		{name: "only 'lainnya' in the composition: needs review",
			units: []UnitData{k(u("lainnya"), 2024, 10000), k(u("toko"), 2024, 0)},
			hasil: HasilPerluTinjauan, tahun: 2024, sumber: SumberKomposisi, persen: map[Jenis]float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.units, def)
			if got.Hasil != tc.hasil || got.Jenis != tc.jenis || got.Keyakinan != tc.keyakinan || got.SimpanPinjam != tc.flag {
				t.Errorf("got %s %q %q flag=%v, want %s %q %q flag=%v (porsi %+v)", got.Hasil, got.Jenis, got.Keyakinan, got.SimpanPinjam,
					tc.hasil, tc.jenis, tc.keyakinan, tc.flag, got.Porsi)
			}
			if got.Porsi.Tahun != tc.tahun || got.Porsi.Sumber != tc.sumber {
				t.Errorf("year %d from %q, want %d from %q", got.Porsi.Tahun, got.Porsi.Sumber, tc.tahun, tc.sumber)
			}
			persen := map[Jenis]float64{}
			for j, p := range got.Porsi.Jenis {
				persen[j] = p.Persen
				if tc.sumber == SumberKomposisi && p.Volume != 0 {
					t.Errorf("%s: volume %d from a composition, want none", j, p.Volume)
				}
			}
			if !reflect.DeepEqual(persen, tc.persen) {
				t.Errorf("shares %v, want %v", persen, tc.persen)
			}
			if tc.sumber == SumberKomposisi && got.Porsi.Total != 0 {
				t.Errorf("total %d rupiah from a composition, want 0", got.Porsi.Total)
			}
			if got.Hasil != HasilUsulan && got.Porsi.Catatan == "" {
				t.Error("no proposal, and no note saying why")
			}
		})
	}
}

// TestClassifyEveryBranch walks every branch of the policy (DOMAIN.md,
// "Reclassification of legacy KSU cooperatives") with the default and with
// a tenant's own thresholds.
func TestClassifyEveryBranch(t *testing.T) {
	t.Parallel()
	def := Kebijakan{AmbangTinggiPersen: 50, SelisihSedangPoin: 10, TahunMaks: 2025}
	strict := Kebijakan{AmbangTinggiPersen: 60, SelisihSedangPoin: 20, TahunMaks: 2025}
	for _, tc := range []struct {
		name      string
		units     []UnitData
		k         Kebijakan
		hasil     Hasil
		jenis     Jenis
		keyakinan Keyakinan
		flag      bool
		tahun     int
	}{
		{name: "no unit at all: needs data", k: def, hasil: HasilPerluData},
		{name: "units without any volume: needs data", units: []UnitData{u("toko"), u("produksi")}, k: def, hasil: HasilPerluData},
		{name: "only volumes after the campaign's year: needs data", units: []UnitData{u("toko", 2026, 100)}, k: def, hasil: HasilPerluData},
		{name: "zero total volume: needs data", units: []UnitData{u("toko", 2024, 0), u("produksi", 2024, 0)}, k: def, hasil: HasilPerluData, tahun: 2024},
		{name: "a savings-and-loan unit without volume still flags needs data", units: []UnitData{sp("open_loop")}, k: def, hasil: HasilPerluData, flag: true},
		{name: "over half: high", units: []UnitData{u("toko", 2024, 600), u("produksi", 2024, 400)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "exactly 50%: high", units: []UnitData{u("toko", 2024, 2), u("produksi", 2024, 1), u("klinik", 2024, 1)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "one rupiah under 50% but far ahead: medium", units: []UnitData{u("toko", 2024, 4999), u("produksi", 2024, 2000), u("transportasi", 2024, 3001)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanSedang, tahun: 2024},
		{name: "exactly 10 points ahead: medium", units: []UnitData{u("toko", 2024, 35), u("produksi", 2024, 25), u("transportasi", 2024, 20), u("pemasaran_hasil", 2024, 20)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanSedang, tahun: 2024},
		{name: "9.99 points ahead: needs review", units: []UnitData{u("toko", 2024, 4500), u("produksi", 2024, 3501), u("transportasi", 2024, 1999)}, k: def,
			hasil: HasilPerluTinjauan, tahun: 2024},
		{name: "tie at the top: needs review", units: []UnitData{u("toko", 2024, 40), u("produksi", 2024, 40), u("klinik", 2024, 20)}, k: def,
			hasil: HasilPerluTinjauan, tahun: 2024},
		{name: "50/50 tie is still a tie: needs review", units: []UnitData{u("waserda", 2024, 500), u("pertanian", 2024, 500)}, k: def,
			hasil: HasilPerluTinjauan, tahun: 2024},
		{name: "units of one type add up", units: []UnitData{u("toko", 2024, 30), u("sembako", 2024, 30), u("produksi", 2024, 40)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "savings and loan beside another proposal: flagged", units: []UnitData{u("toko", 2024, 700), sp("close_loop", 2024, 300)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanTinggi, flag: true, tahun: 2024},
		{name: "savings and loan proposed: not flagged", units: []UnitData{sp("open_loop", 2024, 800), u("toko", 2024, 200)}, k: def,
			hasil: HasilUsulan, jenis: JenisSimpanPinjam, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "savings and loan in a tie: flagged for the reviewer", units: []UnitData{sp("close_loop", 2024, 500), u("toko", 2024, 500)}, k: def,
			hasil: HasilPerluTinjauan, flag: true, tahun: 2024},
		{name: "'lainnya' counts in the total, toward no type", units: []UnitData{u("toko", 2024, 40), u("lainnya", 2024, 60)}, k: def,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanSedang, tahun: 2024},
		{name: "only 'lainnya' volume: needs review", units: []UnitData{u("lainnya", 2024, 100)}, k: def, hasil: HasilPerluTinjauan, tahun: 2024},
		{name: "the latest year with data decides", units: []UnitData{u("toko", 2023, 900, 2024, 100), u("produksi", 2023, 100, 2024, 900)}, k: def,
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "a unit without that year counts zero", units: []UnitData{u("toko", 2022, 1_000_000), u("produksi", 2024, 10), u("klinik", 2024, 5)}, k: def,
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "a future year (typo) is ignored", units: []UnitData{u("toko", 2024, 10, 2062, 1000), u("produksi", 2024, 90)}, k: def,
			hasil: HasilUsulan, jenis: JenisProdusen, keyakinan: KeyakinanTinggi, tahun: 2024},
		{name: "tenant threshold 60%: 55% is only medium", units: []UnitData{u("toko", 2024, 55), u("produksi", 2024, 25), u("klinik", 2024, 20)}, k: strict,
			hasil: HasilUsulan, jenis: JenisKonsumen, keyakinan: KeyakinanSedang, tahun: 2024},
		{name: "tenant lead 20 points: 15 ahead needs review", units: []UnitData{u("toko", 2024, 45), u("produksi", 2024, 30), u("klinik", 2024, 25)}, k: strict,
			hasil: HasilPerluTinjauan, tahun: 2024},
		{name: "volumes beyond int64 in sum: needs data", units: []UnitData{u("toko", 2024, math.MaxInt64), u("produksi", 2024, 1)}, k: def,
			hasil: HasilPerluData, tahun: 2024},
		{name: "huge but valid volumes decide exactly", units: []UnitData{u("toko", 2024, math.MaxInt64/2), u("produksi", 2024, math.MaxInt64/2)}, k: def,
			hasil: HasilPerluTinjauan, tahun: 2024},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.units, tc.k)
			if got.Hasil != tc.hasil || got.Jenis != tc.jenis || got.Keyakinan != tc.keyakinan || got.SimpanPinjam != tc.flag {
				t.Errorf("got %s %q %q flag=%v, want %s %q %q flag=%v (porsi %+v)", got.Hasil, got.Jenis, got.Keyakinan, got.SimpanPinjam,
					tc.hasil, tc.jenis, tc.keyakinan, tc.flag, got.Porsi)
			}
			if got.Porsi.Tahun != tc.tahun {
				t.Errorf("year compared %d, want %d", got.Porsi.Tahun, tc.tahun)
			}
			if got.Hasil != HasilUsulan && got.Porsi.Catatan == "" {
				t.Error("no proposal, and no note saying why")
			}
			if got.Porsi.Unit != len(tc.units) {
				t.Errorf("porsi.unit %d, want %d", got.Porsi.Unit, len(tc.units))
			}
		})
	}
}

// TestClassifyRecordsTheSharesItSaw: the rationale carries the volume and
// share per type, "lainnya" apart, and the savings-and-loan pattern.
func TestClassifyRecordsTheSharesItSaw(t *testing.T) {
	t.Parallel()
	got := Classify([]UnitData{u("toko", 2024, 500), u("waserda", 2024, 100), sp("open_loop", 2024, 200), u("lainnya", 2024, 200), u("klinik", 2023, 999)},
		Kebijakan{AmbangTinggiPersen: 50, SelisihSedangPoin: 10, TahunMaks: 2025})
	want := Porsi{Tahun: 2024, Sumber: SumberVolume, Total: 1000, Unit: 5, Pola: []string{"open_loop"},
		Jenis:   map[Jenis]PorsiJenis{JenisKonsumen: {600, 60}, JenisSimpanPinjam: {200, 20}},
		Lainnya: &PorsiJenis{200, 20}}
	if !reflect.DeepEqual(got.Porsi, want) {
		t.Errorf("porsi %+v (lainnya %+v), want %+v (lainnya %+v)", got.Porsi, got.Porsi.Lainnya, want, want.Lainnya)
	}
	if got.Jenis != JenisKonsumen || got.Keyakinan != KeyakinanTinggi || !got.SimpanPinjam {
		t.Errorf("got %s %s flag=%v, want konsumen tinggi flagged", got.Jenis, got.Keyakinan, got.SimpanPinjam)
	}
}

// TestParseKebijakan: thresholds come from the tenant's settings, with the
// defaults for what is absent; nonsense is refused naming the setting.
func TestParseKebijakan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		settings string
		want     Kebijakan
		location string // of the refusal; "" when accepted
	}{
		{"no settings", ``, Kebijakan{50, 10, 2026}, ""},
		{"empty settings", `{}`, Kebijakan{50, 10, 2026}, ""},
		{"other settings only", `{"tema": "hijau"}`, Kebijakan{50, 10, 2026}, ""},
		{"both set", `{"reklasifikasi": {"ambang_tinggi_persen": 60, "selisih_sedang_poin": 15}}`, Kebijakan{60, 15, 2026}, ""},
		{"one set", `{"reklasifikasi": {"selisih_sedang_poin": 5}}`, Kebijakan{50, 5, 2026}, ""},
		{"whole number written as 60.0", `{"reklasifikasi": {"ambang_tinggi_persen": 60.0}}`, Kebijakan{60, 10, 2026}, ""},
		{"null keeps the default", `{"reklasifikasi": {"ambang_tinggi_persen": null}}`, Kebijakan{50, 10, 2026}, ""},
		{"fraction", `{"reklasifikasi": {"ambang_tinggi_persen": 50.5}}`, Kebijakan{}, "settings.reklasifikasi.ambang_tinggi_persen"},
		{"zero threshold", `{"reklasifikasi": {"ambang_tinggi_persen": 0}}`, Kebijakan{}, "settings.reklasifikasi.ambang_tinggi_persen"},
		{"over 100", `{"reklasifikasi": {"ambang_tinggi_persen": 101}}`, Kebijakan{}, "settings.reklasifikasi.ambang_tinggi_persen"},
		{"negative lead", `{"reklasifikasi": {"selisih_sedang_poin": -1}}`, Kebijakan{}, "settings.reklasifikasi.selisih_sedang_poin"},
		{"text", `{"reklasifikasi": {"selisih_sedang_poin": "10"}}`, Kebijakan{}, "settings.reklasifikasi.selisih_sedang_poin"},
		{"unknown key", `{"reklasifikasi": {"ambang": 50}}`, Kebijakan{}, "settings.reklasifikasi.ambang"},
		{"not an object", `{"reklasifikasi": 50}`, Kebijakan{}, "settings.reklasifikasi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKebijakan([]byte(tc.settings), 2026)
			if tc.location == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
				}
				return
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != apperr.KindInvalid || len(ae.Fields) != 1 || ae.Fields[0].Location != tc.location {
				t.Fatalf("got %+v, %v; want invalid at %s", got, err, tc.location)
			}
			if ae.Fields[0].Message.ID == "" || ae.Fields[0].Message.EN == "" {
				t.Error("message missing in one of the languages")
			}
		})
	}
}
