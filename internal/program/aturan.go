package program

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
)

// Eligibility rules are data: a programme holds a list of them, versioned
// (program_aturan); a decision records the version it used and, for each
// rule that failed, why in the people's words. Evaluate is pure: the
// service gathers the Subjek from the register, and a table test holds
// each rule at its boundary.

// Aturan is one eligibility rule. Nilai lists the accepted values of the
// rules that take a list; ProgramID names the programme of pernah_program.
type Aturan struct {
	Jenis     string     `json:"jenis" enum:"domisili,terdaftar,binaan,punya_nib,skala,sektor,kecamatan,kelurahan,jenis_kelamin,pernah_program,pernah_jenis,bukan_asn,koperasi_sehat,rat_tepat_waktu" doc:"The rule: domisili (the owner's NIK is of this kab/kota), terdaftar (a live record of the register), binaan, punya_nib, skala/sektor/kecamatan/kelurahan/jenis_kelamin (the value is one of nilai), pernah_program (completed programme program_id), pernah_jenis (completed a programme of a type in nilai), bukan_asn (declared on the application), koperasi_sehat (latest health predicate in nilai; absent: sehat), rat_tepat_waktu (the cooperative's last RAT on time)."`
	Nilai     []string   `json:"nilai,omitempty" maxItems:"100" doc:"Accepted values for skala, sektor, kecamatan, kelurahan, jenis_kelamin, pernah_jenis, koperasi_sehat."`
	ProgramID *uuid.UUID `json:"program_id,omitempty" doc:"For pernah_program: the programme to have completed."`
}

// Jenis of rules, and the values list rules accept.
var (
	AllAturan = []string{"domisili", "terdaftar", "binaan", "punya_nib", "skala", "sektor", "kecamatan", "kelurahan",
		"jenis_kelamin", "pernah_program", "pernah_jenis", "bukan_asn", "koperasi_sehat", "rat_tepat_waktu"}
	// listRules take Nilai; their allowed values, when closed.
	listRules = map[string][]string{
		"skala": {"mikro", "kecil", "menengah", "besar"}, "sektor": nil, "kecamatan": nil, "kelurahan": nil,
		"jenis_kelamin": {"L", "P"}, "pernah_jenis": AllJenis,
		"koperasi_sehat": {"sehat", "cukup_sehat", "kurang_sehat", "tidak_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus"},
	}
	// umkmOnly and koperasiOnly are the rules that only a business (or its
	// owner), or only a cooperative, can meet.
	umkmOnly     = []string{"binaan", "punya_nib", "skala", "sektor", "jenis_kelamin", "domisili", "bukan_asn"}
	koperasiOnly = []string{"koperasi_sehat", "rat_tepat_waktu"}
)

// Subjek is what the rules look at of an applicant, gathered from the
// register by the service.
type Subjek struct {
	Pemohon      string // umkm, koperasi or perorangan
	Terdaftar    bool   // a live (not archived) record
	Binaan       bool
	PunyaNIB     bool
	Skala        string // skala_hitung, else as reported; "" unknown
	Sektor       string
	Kecamatan    string
	Kelurahan    string
	JenisKelamin string // L, P or ""
	NIKWilayah   string // the first four digits of the owner's NIK (kab/kota); "" unknown
	KotaKode     string // the office's kab/kota as four digits (from the record's kecamatan)
	BukanASN     bool   // self-declared on the application
	Selesai      []Riwayat
	Predikat     string // the cooperative's latest health predicate
	RATTahun     int    // the latest book year whose RAT was held on time; 0 none
}

// Riwayat is a completed participation: evidence for later rules.
type Riwayat struct {
	ProgramID uuid.UUID
	Jenis     string
}

// Gagal is a rule that failed, with why.
type Gagal struct {
	Aturan string `json:"aturan" doc:"The jenis of the failing rule."`
	Pesan  string `json:"pesan" doc:"Why, in Indonesian."`
}

// RATTepat is the last day a RAT of book year tahun is on time: the
// members' meeting is held within six months after the book year closes.
func RATTepat(tahun int) time.Time { return time.Date(tahun+1, time.June, 30, 0, 0, 0, 0, time.UTC) }

// Evaluate checks s against rules on day today; it returns each failing
// rule in order (none: eligible). pernah_program names programmes by
// namaProgram when known.
func Evaluate(rules []Aturan, s Subjek, today time.Time, namaProgram map[uuid.UUID]string) []Gagal {
	var out []Gagal
	fail := func(a Aturan, format string, args ...any) {
		out = append(out, Gagal{Aturan: a.Jenis, Pesan: fmt.Sprintf(format, args...)})
	}
	for _, a := range rules {
		if s.Pemohon == "koperasi" && slices.Contains(umkmOnly, a.Jenis) {
			fail(a, "Aturan %s hanya dapat dipenuhi usaha atau pemiliknya, bukan koperasi.", a.Jenis)
			continue
		}
		if s.Pemohon != "koperasi" && slices.Contains(koperasiOnly, a.Jenis) {
			fail(a, "Program ini untuk koperasi: aturan %s hanya dapat dipenuhi koperasi.", a.Jenis)
			continue
		}
		switch a.Jenis {
		case "domisili":
			switch {
			case s.NIKWilayah == "":
				fail(a, "NIK pemilik belum tercatat, sehingga domisili tidak dapat diperiksa.")
			case s.NIKWilayah != s.KotaKode:
				fail(a, "NIK pemilik bukan dari kabupaten/kota ini (kode %s, bukan %s).", s.NIKWilayah, s.KotaKode)
			}
		case "terdaftar":
			if !s.Terdaftar {
				fail(a, "Tidak terdaftar aktif di database (sudah diarsipkan).")
			}
		case "binaan":
			if !s.Binaan {
				fail(a, "Bukan UMKM binaan.")
			}
		case "punya_nib":
			if !s.PunyaNIB {
				fail(a, "Belum memiliki NIB.")
			}
		case "skala":
			inList(a, s.Skala, "Skala usaha", fail)
		case "sektor":
			inList(a, s.Sektor, "Sektor", fail)
		case "kecamatan":
			inList(a, s.Kecamatan, "Kecamatan", fail)
		case "kelurahan":
			inList(a, s.Kelurahan, "Kelurahan", fail)
		case "jenis_kelamin":
			inList(a, s.JenisKelamin, "Jenis kelamin pemilik", fail)
		case "pernah_program":
			if a.ProgramID != nil && !slices.ContainsFunc(s.Selesai, func(r Riwayat) bool { return r.ProgramID == *a.ProgramID }) {
				nama := namaProgram[*a.ProgramID]
				if nama == "" {
					nama = a.ProgramID.String()
				}
				fail(a, "Belum menyelesaikan program %q.", nama)
			}
		case "pernah_jenis":
			if !slices.ContainsFunc(s.Selesai, func(r Riwayat) bool { return slices.Contains(a.Nilai, r.Jenis) }) {
				fail(a, "Belum pernah menyelesaikan program jenis %s.", strings.Join(a.Nilai, " atau "))
			}
		case "bukan_asn":
			if !s.BukanASN {
				fail(a, "Belum menyatakan bukan ASN/TNI/Polri/pegawai BUMN.")
			}
		case "koperasi_sehat":
			ok := a.Nilai
			if len(ok) == 0 {
				ok = []string{"sehat"}
			}
			switch {
			case s.Predikat == "":
				fail(a, "Koperasi belum memiliki penilaian kesehatan.")
			case !slices.Contains(ok, s.Predikat):
				fail(a, "Predikat kesehatan koperasi %s, bukan %s.", s.Predikat, strings.Join(ok, " atau "))
			}
		case "rat_tepat_waktu":
			// The book year due: last year's once its deadline has passed,
			// else the year before.
			due := today.Year() - 1
			if !today.After(RATTepat(due)) {
				due--
			}
			if s.RATTahun < due {
				fail(a, "RAT tahun buku %d belum diadakan tepat waktu (paling lambat %s).", due, RATTepat(due).Format("02-01-2006"))
			}
		}
	}
	return out
}

func inList(a Aturan, v, label string, fail func(Aturan, string, ...any)) {
	switch {
	case v == "":
		fail(a, "%s belum tercatat; yang diterima: %s.", label, strings.Join(a.Nilai, ", "))
	case !slices.Contains(a.Nilai, v):
		fail(a, "%s %s tidak termasuk yang diterima (%s).", label, v, strings.Join(a.Nilai, ", "))
	}
}

// checkAturan validates a rule set as staff wrote it.
func checkAturan(f *fieldErrs, rules []Aturan) {
	if len(rules) > 30 {
		f.add("aturan", len(rules), apperr.T("Paling banyak 30 aturan.", "At most 30 rules."))
		return
	}
	seen := map[string]bool{}
	for i, a := range rules {
		at := fmt.Sprintf("aturan[%d]", i)
		if !slices.Contains(AllAturan, a.Jenis) {
			f.add(at+".jenis", a.Jenis, apperr.T("Aturan tidak dikenal. Pilih: "+strings.Join(AllAturan, ", ")+".",
				"Unknown rule. Choose: "+strings.Join(AllAturan, ", ")+"."))
			continue
		}
		key := a.Jenis
		if a.ProgramID != nil {
			key += a.ProgramID.String()
		}
		if seen[key] {
			f.add(at+".jenis", a.Jenis, apperr.T("Aturan ini sudah ada; gabungkan nilainya.", "This rule is already there; merge its values."))
		}
		seen[key] = true
		allowed, takesList := listRules[a.Jenis]
		switch {
		case takesList && len(a.Nilai) == 0 && a.Jenis != "koperasi_sehat":
			f.add(at+".nilai", nil, apperr.T("Isi paling sedikit satu nilai.", "Give at least one value."))
		case !takesList && len(a.Nilai) > 0:
			f.add(at+".nilai", a.Nilai, apperr.T("Aturan ini tidak memakai nilai.", "This rule takes no values."))
		}
		for j, v := range a.Nilai {
			if (allowed != nil && !slices.Contains(allowed, v)) || strings.TrimSpace(v) == "" || len(v) > 100 {
				f.add(fmt.Sprintf("%s.nilai[%d]", at, j), v, apperr.T("Nilai tidak dikenal untuk aturan ini.", "Unknown value for this rule."))
			}
		}
		if (a.Jenis == "pernah_program") != (a.ProgramID != nil) {
			f.add(at+".program_id", a.ProgramID, apperr.T("program_id diisi untuk aturan pernah_program saja, dan wajib di sana.",
				"program_id is for pernah_program only, and required there."))
		}
	}
}
