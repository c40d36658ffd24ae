package program

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestEvaluateAtTheBoundaries(t *testing.T) {
	pkm := uuid.Must(uuid.NewV7())
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	base := Subjek{Pemohon: "umkm", Terdaftar: true, Binaan: true, PunyaNIB: true, Skala: "mikro", Sektor: "kuliner",
		Kecamatan: "32.76.01", Kelurahan: "32.76.01.1001", JenisKelamin: "P", NIKWilayah: "3276", KotaKode: "3276", BukanASN: true}
	kop := Subjek{Pemohon: "koperasi", Terdaftar: true, Predikat: "sehat", RATTahun: 2025}
	with := func(s Subjek, f func(*Subjek)) Subjek { f(&s); return s }
	tests := []struct {
		name  string
		rule  Aturan
		s     Subjek
		today string
		fails string // "" eligible; else a word of the reason
	}{
		{"domisili same kota", Aturan{Jenis: "domisili"}, base, "2026-03-01", ""},
		{"domisili NIK of another kota", Aturan{Jenis: "domisili"}, with(base, func(s *Subjek) { s.NIKWilayah = "3275" }), "2026-03-01", "bukan dari"},
		{"domisili NIK unknown", Aturan{Jenis: "domisili"}, with(base, func(s *Subjek) { s.NIKWilayah = "" }), "2026-03-01", "belum tercatat"},
		{"archived record", Aturan{Jenis: "terdaftar"}, with(base, func(s *Subjek) { s.Terdaftar = false }), "2026-03-01", "diarsipkan"},
		{"binaan", Aturan{Jenis: "binaan"}, base, "2026-03-01", ""},
		{"not binaan", Aturan{Jenis: "binaan"}, with(base, func(s *Subjek) { s.Binaan = false }), "2026-03-01", "Bukan UMKM binaan"},
		{"no NIB", Aturan{Jenis: "punya_nib"}, with(base, func(s *Subjek) { s.PunyaNIB = false }), "2026-03-01", "NIB"},
		{"skala in list", Aturan{Jenis: "skala", Nilai: []string{"mikro", "kecil"}}, base, "2026-03-01", ""},
		{"skala just outside", Aturan{Jenis: "skala", Nilai: []string{"kecil", "menengah"}}, base, "2026-03-01", "tidak termasuk"},
		{"skala unknown", Aturan{Jenis: "skala", Nilai: []string{"mikro"}}, with(base, func(s *Subjek) { s.Skala = "" }), "2026-03-01", "belum tercatat"},
		{"sektor outside", Aturan{Jenis: "sektor", Nilai: []string{"fashion"}}, base, "2026-03-01", "Sektor kuliner"},
		{"kelurahan inside", Aturan{Jenis: "kelurahan", Nilai: []string{"32.76.01.1001"}}, base, "2026-03-01", ""},
		{"kecamatan outside", Aturan{Jenis: "kecamatan", Nilai: []string{"32.76.02"}}, base, "2026-03-01", "Kecamatan"},
		{"women only, a man", Aturan{Jenis: "jenis_kelamin", Nilai: []string{"P"}}, with(base, func(s *Subjek) { s.JenisKelamin = "L" }), "2026-03-01", "Jenis kelamin"},
		{"completed PKM", Aturan{Jenis: "pernah_program", ProgramID: &pkm},
			with(base, func(s *Subjek) { s.Selesai = []Riwayat{{ProgramID: pkm, Jenis: "pelatihan"}} }), "2026-03-01", ""},
		{"PKM not completed", Aturan{Jenis: "pernah_program", ProgramID: &pkm}, base, "2026-03-01", "PKM Dasar"},
		{"completed a training", Aturan{Jenis: "pernah_jenis", Nilai: []string{"pelatihan"}},
			with(base, func(s *Subjek) { s.Selesai = []Riwayat{{ProgramID: uuid.New(), Jenis: "pelatihan"}} }), "2026-03-01", ""},
		{"only coached, no training", Aturan{Jenis: "pernah_jenis", Nilai: []string{"pelatihan"}},
			with(base, func(s *Subjek) { s.Selesai = []Riwayat{{ProgramID: uuid.New(), Jenis: "pendampingan"}} }), "2026-03-01", "jenis pelatihan"},
		{"not declared", Aturan{Jenis: "bukan_asn"}, with(base, func(s *Subjek) { s.BukanASN = false }), "2026-03-01", "ASN"},
		{"cooperative rule for a business", Aturan{Jenis: "koperasi_sehat"}, base, "2026-03-01", "hanya dapat dipenuhi koperasi"},
		{"business rule for a cooperative", Aturan{Jenis: "punya_nib"}, kop, "2026-03-01", "bukan koperasi"},
		{"sehat by default", Aturan{Jenis: "koperasi_sehat"}, kop, "2026-03-01", ""},
		{"cukup sehat refused by default", Aturan{Jenis: "koperasi_sehat"}, with(kop, func(s *Subjek) { s.Predikat = "cukup_sehat" }), "2026-03-01", "cukup_sehat"},
		{"cukup sehat accepted when listed", Aturan{Jenis: "koperasi_sehat", Nilai: []string{"sehat", "cukup_sehat"}},
			with(kop, func(s *Subjek) { s.Predikat = "cukup_sehat" }), "2026-03-01", ""},
		{"no assessment", Aturan{Jenis: "koperasi_sehat"}, with(kop, func(s *Subjek) { s.Predikat = "" }), "2026-03-01", "belum memiliki"},
		// RAT of book year Y is due by 30 June Y+1: on that day the year
		// before still suffices, the day after it no longer does.
		{"RAT 2023 still enough on 30 June 2025", Aturan{Jenis: "rat_tepat_waktu"}, with(kop, func(s *Subjek) { s.RATTahun = 2023 }), "2025-06-30", ""},
		{"RAT 2023 no longer enough on 1 July 2025", Aturan{Jenis: "rat_tepat_waktu"}, with(kop, func(s *Subjek) { s.RATTahun = 2023 }), "2025-07-01", "tahun buku 2024"},
		{"RAT 2024 held, 1 July 2025", Aturan{Jenis: "rat_tepat_waktu"}, with(kop, func(s *Subjek) { s.RATTahun = 2024 }), "2025-07-01", ""},
		{"no RAT on time", Aturan{Jenis: "rat_tepat_waktu"}, with(kop, func(s *Subjek) { s.RATTahun = 0 }), "2026-03-01", "RAT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate([]Aturan{tt.rule}, tt.s, day(tt.today), map[uuid.UUID]string{pkm: "PKM Dasar"})
			switch {
			case tt.fails == "" && len(got) != 0:
				t.Errorf("want eligible, got %v", got)
			case tt.fails != "" && (len(got) != 1 || got[0].Aturan != tt.rule.Jenis || !strings.Contains(got[0].Pesan, tt.fails)):
				t.Errorf("want one failure of %s naming %q, got %v", tt.rule.Jenis, tt.fails, got)
			}
		})
	}
}

func TestEvaluateListsEveryFailingRule(t *testing.T) {
	s := Subjek{Pemohon: "umkm", Terdaftar: true, Skala: "kecil", JenisKelamin: "L"}
	got := Evaluate([]Aturan{{Jenis: "terdaftar"}, {Jenis: "skala", Nilai: []string{"mikro"}}, {Jenis: "jenis_kelamin", Nilai: []string{"P"}}, {Jenis: "bukan_asn"}},
		s, time.Now(), nil)
	if len(got) != 3 || got[0].Aturan != "skala" || got[1].Aturan != "jenis_kelamin" || got[2].Aturan != "bukan_asn" {
		t.Errorf("failures %v, want skala, jenis_kelamin, bukan_asn in rule order", got)
	}
}

func TestCheckAturanNamesTheField(t *testing.T) {
	f := &fieldErrs{prefix: "body"}
	checkAturan(f, []Aturan{{Jenis: "skala"}, {Jenis: "skala", Nilai: []string{"raksasa"}}, {Jenis: "pernah_program"}, {Jenis: "terbang"}, {Jenis: "binaan", Nilai: []string{"x"}}})
	var locs []string
	for _, e := range f.list {
		locs = append(locs, e.Location)
	}
	want := []string{"body.aturan[0].nilai", "body.aturan[1].jenis", "body.aturan[1].nilai[0]", "body.aturan[2].program_id", "body.aturan[3].jenis", "body.aturan[4].nilai"}
	if strings.Join(locs, " ") != strings.Join(want, " ") {
		t.Errorf("locations %v, want %v", locs, want)
	}
}
