// Package program holds the office's programmes and assistance: the
// agencies that run them (the office itself or another), programmes with
// their sessions and eligibility rules, and the participation ledger
// (applied → selected → attended → completed → followed up) with the aid
// handed over (BAST). DOMAIN.md "Programmes and assistance".
package program

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/spreadsheet"
)

// The closed vocabularies of the schema (migration 029).
var (
	AllJenis      = []string{"pelatihan", "pendampingan", "bantuan_barang", "bantuan_modal", "fasilitasi_legalitas", "fasilitasi_pemasaran", "event"}
	AllSumberDana = []string{"apbd", "apbn", "dekon", "provinsi", "kelurahan", "baznas", "csr", "bank", "lainnya"}
	AllSatuan     = []string{"orang", "usaha", "koperasi"}
	AllStatus     = []string{"rencana", "dibuka", "berjalan", "selesai", "batal"}
	AllAgensi     = []string{"kantor", "opd", "kelurahan", "provinsi", "baznas", "bank", "csr", "lainnya"}
)

// JenisLabel names a programme type for people.
var JenisLabel = map[string]string{
	"pelatihan": "Pelatihan", "pendampingan": "Pendampingan", "bantuan_barang": "Bantuan barang", "bantuan_modal": "Bantuan modal",
	"fasilitasi_legalitas": "Fasilitasi legalitas", "fasilitasi_pemasaran": "Fasilitasi pemasaran", "event": "Event",
}

// Program is a programme as the API shows it.
type Program struct {
	ID             uuid.UUID  `json:"id"`
	Nama           string     `json:"nama"`
	Jenis          string     `json:"jenis" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event"`
	AgensiID       uuid.UUID  `json:"agensi_id"`
	AgensiNama     string     `json:"agensi_nama"`
	Tahun          int        `json:"tahun" doc:"Fiscal year."`
	SumberDana     string     `json:"sumber_dana" enum:"apbd,apbn,dekon,provinsi,kelurahan,baznas,csr,bank,lainnya"`
	RenjaKode      *string    `json:"renja_kode,omitempty" doc:"Renja sub-activity code, e.g. 2.17.07.2.01.0015."`
	RenjaIndikator *string    `json:"renja_indikator,omitempty"`
	Satuan         string     `json:"satuan" enum:"orang,usaha,koperasi" doc:"The unit the sub-activity counts in."`
	Target         int        `json:"target"`
	Kuota          int        `json:"kuota"`
	Terisi         int        `json:"terisi" doc:"Places taken: selected and completed participants."`
	Status         string     `json:"status" enum:"rencana,dibuka,berjalan,selesai,batal"`
	Keterangan     *string    `json:"keterangan,omitempty"`
	Aturan         []Aturan   `json:"aturan" nullable:"false" doc:"The current eligibility rules."`
	AturanVersi    int        `json:"aturan_versi" doc:"The version of the rule set; each eligibility decision records the one it used."`
	ArchivedAt     *time.Time `json:"archived_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int64      `json:"-"`
}

// Detail is a programme with its sessions.
type Detail struct {
	Program
	Sesi []Sesi `json:"sesi" nullable:"false" doc:"Sessions by date."`
}

// Input is a programme as staff write it; an update replaces every field.
// A change of the rules makes a new rule version.
type Input struct {
	Nama           string    `json:"nama" maxLength:"300" example:"Pelatihan Pengemasan Produk 2026"`
	Jenis          string    `json:"jenis" enum:"pelatihan,pendampingan,bantuan_barang,bantuan_modal,fasilitasi_legalitas,fasilitasi_pemasaran,event"`
	AgensiID       uuid.UUID `json:"agensi_id" doc:"An agency of this office (list-agensi)."`
	Tahun          int       `json:"tahun" minimum:"2000" maximum:"2100" example:"2026"`
	SumberDana     string    `json:"sumber_dana" enum:"apbd,apbn,dekon,provinsi,kelurahan,baznas,csr,bank,lainnya"`
	RenjaKode      *string   `json:"renja_kode,omitempty" maxLength:"40" example:"2.17.07.2.01.0015"`
	RenjaIndikator *string   `json:"renja_indikator,omitempty" maxLength:"300"`
	Satuan         string    `json:"satuan" enum:"orang,usaha,koperasi"`
	Target         int       `json:"target,omitempty" minimum:"0" maximum:"1000000"`
	Kuota          int       `json:"kuota" minimum:"1" maximum:"1000000" doc:"Places; not below those already taken."`
	Status         string    `json:"status,omitempty" enum:"rencana,dibuka,berjalan,selesai,batal" doc:"Absent: rencana."`
	Keterangan     *string   `json:"keterangan,omitempty" maxLength:"2000"`
	Aturan         []Aturan  `json:"aturan,omitempty" maxItems:"30" doc:"Eligibility rules; all must hold."`
}

// fieldErrs collects field problems under a location prefix.
type fieldErrs struct {
	prefix string
	list   []apperr.Field
}

func (f *fieldErrs) add(field string, value any, msg apperr.Text) {
	f.list = append(f.list, apperr.Field{Location: f.prefix + "." + field, Value: value, Message: msg})
}

func (f *fieldErrs) err(msg apperr.Text) error {
	if len(f.list) == 0 {
		return nil
	}
	return apperr.Invalid(msg, f.list...)
}

var wajib = apperr.T("Wajib diisi.", "Required.")

// text trims a free text and checks it can be stored and exported safely;
// blank is nil.
func (f *fieldErrs) text(name string, v *string, maxLen int, required bool) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			f.add(name, nil, wajib)
		}
		return nil
	}
	s := strings.TrimSpace(*v)
	if m := spreadsheet.TextProblem(s, maxLen); m != nil {
		f.add(name, nil, *m)
	}
	return &s
}

func (f *fieldErrs) oneOf(name, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		f.add(name, v, apperr.T("Nilai tidak dikenal. Pilih: "+strings.Join(allowed, ", ")+".", "Unknown value. Choose: "+strings.Join(allowed, ", ")+"."))
	}
}

// day parses a required YYYY-MM-DD.
func (f *fieldErrs) day(name, v string) time.Time {
	if strings.TrimSpace(v) == "" {
		f.add(name, nil, wajib)
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.add(name, v, apperr.T("Tanggal harus YYYY-MM-DD (tahun 2000–2100).", "Dates are YYYY-MM-DD (years 2000–2100)."))
		return time.Time{}
	}
	return d
}

func (f *fieldErrs) between(name string, v, lo, hi int) {
	if v < lo || v > hi {
		f.add(name, v, apperr.T(fmt.Sprintf("Harus %d sampai %d.", lo, hi), fmt.Sprintf("Must be %d to %d.", lo, hi)))
	}
}

func validate(in Input) (Input, error) {
	f := &fieldErrs{prefix: "body"}
	if n := f.text("nama", &in.Nama, 300, true); n != nil {
		in.Nama = *n
	}
	f.oneOf("jenis", in.Jenis, AllJenis)
	if in.AgensiID == uuid.Nil {
		f.add("agensi_id", nil, wajib)
	}
	f.between("tahun", in.Tahun, 2000, 2100)
	f.oneOf("sumber_dana", in.SumberDana, AllSumberDana)
	in.RenjaKode = f.text("renja_kode", in.RenjaKode, 40, false)
	if in.RenjaKode != nil && !renjaRE(*in.RenjaKode) {
		f.add("renja_kode", *in.RenjaKode, apperr.T("Kode sub kegiatan Renja berupa angka bertitik, mis. 2.17.07.2.01.0015.",
			"A Renja sub-activity code is dotted digits, e.g. 2.17.07.2.01.0015."))
	}
	in.RenjaIndikator = f.text("renja_indikator", in.RenjaIndikator, 300, false)
	f.oneOf("satuan", in.Satuan, AllSatuan)
	f.between("target", in.Target, 0, 1_000_000)
	f.between("kuota", in.Kuota, 1, 1_000_000)
	if in.Status == "" {
		in.Status = "rencana"
	}
	f.oneOf("status", in.Status, AllStatus)
	in.Keterangan = f.text("keterangan", in.Keterangan, 2000, false)
	if in.Aturan == nil {
		in.Aturan = []Aturan{}
	}
	checkAturan(f, in.Aturan)
	return in, f.err(apperr.T("Data program tidak valid. Periksa isian yang disebutkan.", "Invalid programme. Check the fields listed."))
}

func renjaRE(s string) bool {
	parts := strings.Split(s, ".")
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// Path is where a programme lives in the API.
func Path(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/program/" + id.String()
}
