package dasbor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Programme targets (seed 001: Depok aims at 5.000 new entrepreneurs over
// three years, about 1.750 a year, and 1.000 women entrepreneurs). They are
// tenant settings (tenants.settings.target_program, from tenant.yaml), not
// code:
//
//	target_program:
//	  - kode: pengusaha_baru
//	    nama: 5.000 pengusaha baru
//	    tahun_mulai: 2022
//	    tahun_selesai: 2024
//	    target: 5000
//	    target_tahunan: 1750   # optional: else target spread over the years
//	    jenis_kelamin: P       # optional: only owners of this sex count
//
// Achieved (tercapai): a new entrepreneur is a live business in the
// register whose business started (tahun_mulai) in a year of the
// programme, counted in that year, of the given sex when the target names
// one. Registering an old business is not a new entrepreneur; a business
// whose starting year the register does not know is not counted (the
// office sees it as missing data, not as progress).

// TargetSetting is one target as configured.
type TargetSetting struct {
	Kode          string `json:"kode"`
	Nama          string `json:"nama"`
	Sumber        string `json:"sumber,omitempty"`
	TahunMulai    int    `json:"tahun_mulai"`
	TahunSelesai  int    `json:"tahun_selesai"`
	Target        int    `json:"target"`
	TargetTahunan int    `json:"target_tahunan,omitempty"`
	JenisKelamin  string `json:"jenis_kelamin,omitempty"`
}

// ProgresTarget is a programme target with its progress.
type ProgresTarget struct {
	Kode         string            `json:"kode" example:"pengusaha_baru"`
	Nama         string            `json:"nama_program" example:"5.000 pengusaha baru"`
	Sumber       string            `json:"sumber,omitempty" doc:"Where the target comes from."`
	JenisKelamin string            `json:"jenis_kelamin,omitempty" enum:"L,P" doc:"Only businesses whose owner is of this sex count."`
	TahunMulai   int               `json:"tahun_mulai" example:"2022"`
	TahunSelesai int               `json:"tahun_selesai" example:"2024"`
	Target       int               `json:"target" example:"5000"`
	Tercapai     int               `json:"tercapai" doc:"Live businesses of the register that started (tahun_mulai) in a year of the programme (and, if given, whose owner is of jenis_kelamin). Businesses whose starting year is unknown are not counted."`
	Persen       float64           `json:"persen" doc:"tercapai / target, in percent, one decimal."`
	PerTahun     []TargetTahun     `json:"per_tahun" nullable:"false"`
	PerKecamatan []TargetKecamatan `json:"per_kecamatan,omitempty" doc:"Achieved per kecamatan (the office and province-office views; not in the province summary)."`
}

// TargetTahun is one year of a programme.
type TargetTahun struct {
	Tahun    int `json:"tahun" example:"2023"`
	Target   int `json:"target" doc:"target_tahunan if configured, else the target spread evenly over the years."`
	Tercapai int `json:"tercapai"`
}

// TargetKecamatan is what one kecamatan achieved.
type TargetKecamatan struct {
	Kode        string       `json:"kode"`
	NamaWilayah string       `json:"nama_wilayah"`
	Tercapai    int          `json:"tercapai"`
	PerTahun    []TahunAngka `json:"per_tahun" nullable:"false"`
}

// TahunAngka is a count in one year.
type TahunAngka struct {
	Tahun  int `json:"tahun"`
	Jumlah int `json:"jumlah"`
}

var kodeTarget = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ParseTargets reads the target_program setting (JSON; absent or null: no
// targets) and checks each target, naming the first problem.
func ParseTargets(raw []byte) ([]TargetSetting, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var ts []TargetSetting
	if err := dec.Decode(&ts); err != nil {
		return nil, fmt.Errorf("target_program: %w", err)
	}
	seen := map[string]bool{}
	for i, t := range ts {
		var problems []string
		if !kodeTarget.MatchString(t.Kode) {
			problems = append(problems, "kode must be lower-case letters, digits and _")
		} else if seen[t.Kode] {
			problems = append(problems, "kode "+t.Kode+" repeats")
		}
		seen[t.Kode] = true
		if strings.TrimSpace(t.Nama) == "" {
			problems = append(problems, "nama is empty")
		}
		if t.TahunMulai < 2000 || t.TahunMulai > 2100 || t.TahunSelesai < t.TahunMulai || t.TahunSelesai-t.TahunMulai > 20 {
			problems = append(problems, "tahun_mulai..tahun_selesai must be a span of at most 20 years from 2000 on")
		}
		if t.Target <= 0 || t.TargetTahunan < 0 {
			problems = append(problems, "target must be positive, target_tahunan not negative")
		}
		if t.JenisKelamin != "" && t.JenisKelamin != "L" && t.JenisKelamin != "P" {
			problems = append(problems, "jenis_kelamin must be L or P")
		}
		if len(problems) > 0 {
			return nil, fmt.Errorf("target_program[%d]: %s", i, strings.Join(problems, "; "))
		}
	}
	return ts, nil
}

// tahunMulai reads the dimension umkm.tahun_mulai ("2023/P") of a region:
// year → sex → count.
func tahunMulai(a angka) map[int]map[string]int {
	out := map[int]map[string]int{}
	for nilai, n := range a["umkm.tahun_mulai"] {
		year, sex, ok := strings.Cut(nilai, "/")
		y, err := strconv.Atoi(year)
		if !ok || err != nil {
			continue // tidak_diketahui: unknown starting year
		}
		if out[y] == nil {
			out[y] = map[string]int{}
		}
		out[y][sex] += n
	}
	return out
}

// achieved counts a target's new entrepreneurs per programme year.
func (t TargetSetting) achieved(years map[int]map[string]int) (total int, perYear []int) {
	for y := t.TahunMulai; y <= t.TahunSelesai; y++ {
		n := 0
		for sex, c := range years[y] {
			if t.JenisKelamin == "" || sex == t.JenisKelamin {
				n += c
			}
		}
		perYear = append(perYear, n)
		total += n
	}
	return total, perYear
}

// progress builds a target with its progress from the office's figures
// and, when given, those of its kecamatan.
func (t TargetSetting) progress(office angka, kecamatan []KecamatanDasbor, byKec map[string]angka) ProgresTarget {
	out := ProgresTarget{Kode: t.Kode, Nama: t.Nama, Sumber: t.Sumber, JenisKelamin: t.JenisKelamin,
		TahunMulai: t.TahunMulai, TahunSelesai: t.TahunSelesai, Target: t.Target, PerTahun: []TargetTahun{}}
	total, perYear := t.achieved(tahunMulai(office))
	out.Tercapai = total
	out.Persen = math.Round(float64(total)*1000/float64(t.Target)) / 10
	years := t.TahunSelesai - t.TahunMulai + 1
	for i, n := range perYear {
		target := t.TargetTahunan
		if target == 0 { // spread evenly, the remainder on the first years
			target = t.Target / years
			if i < t.Target%years {
				target++
			}
		}
		out.PerTahun = append(out.PerTahun, TargetTahun{Tahun: t.TahunMulai + i, Target: target, Tercapai: n})
	}
	for _, k := range kecamatan {
		total, perYear := t.achieved(tahunMulai(byKec[k.Kode]))
		tk := TargetKecamatan{Kode: k.Kode, NamaWilayah: k.NamaWilayah, Tercapai: total, PerTahun: []TahunAngka{}}
		for i, n := range perYear {
			tk.PerTahun = append(tk.PerTahun, TahunAngka{Tahun: t.TahunMulai + i, Jumlah: n})
		}
		out.PerKecamatan = append(out.PerKecamatan, tk)
	}
	return out
}
