package koperasi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/wilayah"
)

// Koperasi is a cooperative as the API shows it, without its children.
type Koperasi struct {
	ID                 uuid.UUID  `json:"id"`
	Nama               string     `json:"nama"`
	NIKKoperasi        *string    `json:"nik_koperasi,omitempty" doc:"NIK Koperasi from ODS (13–16 digits)."`
	NIKBerlakuSampai   *string    `json:"nik_berlaku_sampai,omitempty" format:"date" doc:"Validity of the NIK certificate."`
	BadanHukumNomor    *string    `json:"badan_hukum_nomor,omitempty"`
	BadanHukumTanggal  *string    `json:"badan_hukum_tanggal,omitempty" format:"date"`
	PerubahanADNomor   *string    `json:"perubahan_ad_nomor,omitempty" doc:"Latest statute change (perubahan anggaran dasar)."`
	PerubahanADTanggal *string    `json:"perubahan_ad_tanggal,omitempty" format:"date"`
	Bentuk             string     `json:"bentuk" enum:"primer,sekunder"`
	Jenis              *string    `json:"jenis,omitempty" enum:"konsumen,produsen,pemasaran,jasa,simpan_pinjam" doc:"The legal type; absent while not yet set (legacy KSU)."`
	Kelompok           *string    `json:"kelompok,omitempty" enum:"ksu,kud,kpri,kopwan,kdmp,kopontren,kopkar,lainnya"`
	Sektor             *string    `json:"sektor,omitempty"`
	Alamat             *string    `json:"alamat,omitempty" doc:"Street address; only for roles that may read personal data."`
	KecamatanKode      string     `json:"kecamatan_kode"`
	KelurahanKode      string     `json:"kelurahan_kode"`
	AnggotaLaki        int        `json:"anggota_laki" doc:"Members, men."`
	AnggotaPerempuan   int        `json:"anggota_perempuan" doc:"Members, women."`
	Karyawan           int        `json:"karyawan" doc:"Employees."`
	Aktif              bool       `json:"aktif"`
	UnitToko           bool       `json:"unit_toko" doc:"Has a store unit (seed 000)."`
	PembukuanDigital   bool       `json:"pembukuan_digital" doc:"Keeps its books digitally (seed 000)."`
	Pilot              bool       `json:"pilot" doc:"The pilot cooperative of its kecamatan (at most one per kecamatan)."`
	Peringkat          *string    `json:"peringkat,omitempty" enum:"A,B,C,D" doc:"Grade (a ranking; not the health predicate)."`
	RATTerakhir        *string    `json:"rat_terakhir,omitempty" format:"date" doc:"Date of the latest RAT held (from the RAT history)."`
	RATTerlambat       bool       `json:"rat_terlambat" doc:"No RAT held in the last two years (see the RAT history operations)."`
	KesehatanPredikat  *string    `json:"kesehatan_predikat,omitempty" doc:"Predicate of the latest health assessment."`
	KesehatanTahun     *int       `json:"kesehatan_tahun,omitempty" doc:"Year of the latest health assessment."`
	ArchivedAt         *time.Time `json:"archived_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	Version            int64      `json:"-"`

	badanHukum, rat *time.Time // for the RAT flag
}

const recordCols = `id, nama, nik_koperasi, nik_berlaku_sampai, badan_hukum_nomor, badan_hukum_tanggal, perubahan_ad_nomor,
	perubahan_ad_tanggal, bentuk, jenis, kelompok, sektor, alamat, kecamatan_kode, kelurahan_kode, anggota_laki,
	anggota_perempuan, karyawan, aktif, unit_toko, pembukuan_digital, pilot, peringkat, rat_terakhir, kesehatan_predikat,
	kesehatan_tahun, archived_at, created_at, updated_at, version`

// scanRecord scans recordCols followed by extra columns. cutoff is the RAT
// cut-off of the tenant (ratCutoff).
func scanRecord(row pgx.Row, cutoff time.Time, extra ...any) (Koperasi, error) {
	var r Koperasi
	var nikBerlaku, ad *time.Time
	var tahun *int16
	dest := []any{&r.ID, &r.Nama, &r.NIKKoperasi, &nikBerlaku, &r.BadanHukumNomor, &r.badanHukum, &r.PerubahanADNomor,
		&ad, &r.Bentuk, &r.Jenis, &r.Kelompok, &r.Sektor, &r.Alamat, &r.KecamatanKode, &r.KelurahanKode, &r.AnggotaLaki,
		&r.AnggotaPerempuan, &r.Karyawan, &r.Aktif, &r.UnitToko, &r.PembukuanDigital, &r.Pilot, &r.Peringkat, &r.rat,
		&r.KesehatanPredikat, &tahun, &r.ArchivedAt, &r.CreatedAt, &r.UpdatedAt, &r.Version}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return Koperasi{}, err
	}
	r.NIKBerlakuSampai, r.BadanHukumTanggal, r.PerubahanADTanggal, r.RATTerakhir = day(nikBerlaku), day(r.badanHukum), day(ad), day(r.rat)
	if tahun != nil {
		y := int(*tahun)
		r.KesehatanTahun = &y
	}
	r.RATTerlambat = ratTerlambat(r.rat, r.badanHukum, cutoff)
	return r, nil
}

// day renders a date as YYYY-MM-DD.
func day(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// Detail is a cooperative with its business units, compositions, managers and RAT
// history: what one GET shows and what its ETag versions. Every change to a
// child moves the cooperative's version.
type Detail struct {
	Koperasi
	Unit      []Unit      `json:"unit" nullable:"false" doc:"Business units with their yearly volumes."`
	Komposisi []Komposisi `json:"komposisi" nullable:"false" doc:"Business composition (each unit's share in percent) per year, latest year first."`
	Pengurus  []Pengurus  `json:"pengurus" nullable:"false" doc:"Managers and supervisors; names masked unless the caller may read personal data."`
	RAT       []RAT       `json:"rat" nullable:"false" doc:"RAT history, latest year first."`
}

// View says how much personal data a caller may see: PII (street address,
// names of managers) for roles that may read it; with Wilayah set (a
// petugas), only for cooperatives inside those regions.
type View struct {
	PII     bool
	Wilayah []string
}

// Sees reports whether v shows the personal data of cooperative r.
func (v View) Sees(r *Koperasi) bool {
	return v.PII && (len(v.Wilayah) == 0 || slices.Contains(v.Wilayah, r.KecamatanKode) || slices.Contains(v.Wilayah, r.KelurahanKode))
}

// Present applies what the caller may see to a record the service returned.
func Present(r *Koperasi, v View) {
	if !v.Sees(r) {
		r.Alamat = nil
	}
}

// PresentDetail applies what the caller may see to a cooperative and its
// managers.
func PresentDetail(d *Detail, v View) {
	if !v.Sees(&d.Koperasi) {
		for i := range d.Pengurus {
			d.Pengurus[i].Nama = pii.Name(d.Pengurus[i].Nama)
		}
	}
	Present(&d.Koperasi, v)
}

// KoperasiInput is a cooperative as staff write it. Optional fields are pointers:
// absent is unknown (NULL), never 0; an update replaces every field but
// jenis, which only the reclassification review changes (keepJenis).
type KoperasiInput struct {
	Nama               string  `json:"nama" maxLength:"200" example:"Koperasi Serba Usaha Maju Bersama"`
	NIKKoperasi        *string `json:"nik_koperasi,omitempty" maxLength:"20" doc:"NIK Koperasi from ODS: 13–16 digits." example:"3276010000123"`
	NIKBerlakuSampai   *string `json:"nik_berlaku_sampai,omitempty" format:"date" doc:"YYYY-MM-DD"`
	BadanHukumNomor    *string `json:"badan_hukum_nomor,omitempty" maxLength:"100" doc:"Free text; formats vary by era." example:"518/BH/XIII/1998"`
	BadanHukumTanggal  *string `json:"badan_hukum_tanggal,omitempty" format:"date" doc:"YYYY-MM-DD, not in the future."`
	PerubahanADNomor   *string `json:"perubahan_ad_nomor,omitempty" maxLength:"100" doc:"Latest statute change: number (or AHU number)."`
	PerubahanADTanggal *string `json:"perubahan_ad_tanggal,omitempty" format:"date"`
	Bentuk             *string `json:"bentuk,omitempty" enum:"primer,sekunder" doc:"Absent: primer."`
	Jenis              *string `json:"jenis,omitempty" enum:"konsumen,produsen,pemasaran,jasa,simpan_pinjam" doc:"The legal type, given when registering. On update, absent keeps the current type and another value is refused with 409: the type is decided through the reclassification review."`
	Kelompok           *string `json:"kelompok,omitempty" enum:"ksu,kud,kpri,kopwan,kdmp,kopontren,kopkar,lainnya"`
	Sektor             *string `json:"sektor,omitempty" maxLength:"100" example:"perdagangan"`
	Alamat             *string `json:"alamat,omitempty" maxLength:"500" doc:"Street address. Personal data."`
	KecamatanKode      string  `json:"kecamatan_kode" maxLength:"8" doc:"Kemendagri code of a kecamatan of this tenant." example:"32.76.01"`
	KelurahanKode      string  `json:"kelurahan_kode" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan in that kecamatan." example:"32.76.01.1006"`
	AnggotaLaki        *int    `json:"anggota_laki,omitempty" minimum:"0" maximum:"10000000"`
	AnggotaPerempuan   *int    `json:"anggota_perempuan,omitempty" minimum:"0" maximum:"10000000"`
	Karyawan           *int    `json:"karyawan,omitempty" minimum:"0" maximum:"1000000"`
	Aktif              *bool   `json:"aktif,omitempty" doc:"Absent: true."`
	UnitToko           bool    `json:"unit_toko,omitempty"`
	PembukuanDigital   bool    `json:"pembukuan_digital,omitempty"`
	Pilot              bool    `json:"pilot,omitempty" doc:"At most one live pilot per kecamatan: a second is refused with 409."`
	Peringkat          *string `json:"peringkat,omitempty" enum:"A,B,C,D"`
}

// row is a KoperasiInput checked and normalised, ready to write.
type row struct {
	in                                      KoperasiInput
	nikBerlaku, badanHukum, perubahanAD     *time.Time
	bentuk                                  string
	aktif                                   bool
	anggotaLaki, anggotaPerempuan, karyawan int
}

// fieldErrs collects field problems under a location prefix.
type fieldErrs struct {
	prefix string
	list   []apperr.Field
}

func (f *fieldErrs) add(field string, value any, msg apperr.Text) {
	f.list = append(f.list, apperr.Field{Location: f.prefix + "." + field, Value: value, Message: msg})
}

// err returns the problems as one Invalid error, or nil.
func (f *fieldErrs) err(msg apperr.Text) error {
	if len(f.list) == 0 {
		return nil
	}
	return apperr.Invalid(msg, f.list...)
}

var nikKoperasiRE = regexp.MustCompile(`^[0-9]{13,16}$`)

// text trims an optional free text, checks its length and that it is no
// spreadsheet formula; blank is nil.
func (f *fieldErrs) text(name string, v *string, maxLen int, required bool) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			f.add(name, nil, apperr.T("Wajib diisi.", "Required."))
		}
		return nil
	}
	s := strings.TrimSpace(*v)
	switch {
	case utf8.RuneCountInString(s) > maxLen:
		f.add(name, nil, apperr.T(fmt.Sprintf("Maksimal %d karakter.", maxLen), fmt.Sprintf("At most %d characters.", maxLen)))
	case spreadsheet.LooksLikeFormula(s):
		f.add(name, nil, apperr.T("Tidak boleh berupa rumus spreadsheet (diawali = atau @).", "Cannot be a spreadsheet formula (starting with = or @)."))
	case teks.HasControl(s):
		f.add(name, nil, teksKontrol)
	}
	return &s
}

// teksKontrol refuses a control character (a NUL pasted from another
// system): PostgreSQL would refuse it with an internal error.
var teksKontrol = apperr.T("Berisi karakter kontrol yang tidak bisa disimpan; ketik ulang teksnya.",
	"Contains a control character that cannot be stored; type the text again.")

// date parses an optional YYYY-MM-DD; notAfter, when not zero, is the
// latest date allowed (today, for what has happened).
func (f *fieldErrs) date(name string, v *string, notAfter time.Time) *time.Time {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(*v))
	switch {
	case err != nil:
		f.add(name, *v, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
		return nil
	case d.Year() < 1900:
		f.add(name, *v, apperr.T("Tanggal sebelum tahun 1900 tidak masuk akal.", "A date before 1900 is not plausible."))
		return nil
	case !notAfter.IsZero() && d.After(notAfter):
		f.add(name, *v, apperr.T("Tanggal tidak boleh di masa depan.", "The date cannot be in the future."))
		return nil
	}
	return &d
}

// oneOf checks an optional value against its allowed values.
func oneOf[T ~string](f *fieldErrs, name string, v *string, allowed []T) {
	if v == nil {
		return
	}
	if !slices.Contains(allowed, T(*v)) {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		f.add(name, *v, apperr.T("Nilai tidak dikenal. Pilih: "+strings.Join(names, ", ")+".", "Unknown value. Choose: "+strings.Join(names, ", ")+"."))
	}
}

// validate checks and normalises in; regions against the tenant's index.
func validate(in KoperasiInput, w *wilayah.Index, today time.Time) (row, error) {
	f := &fieldErrs{prefix: "body"}
	r := row{in: in, bentuk: "primer", aktif: true}
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		r.in.Nama = *n
	}
	if in.NIKKoperasi != nil && strings.TrimSpace(*in.NIKKoperasi) != "" {
		nik := strings.TrimSpace(*in.NIKKoperasi)
		if !nikKoperasiRE.MatchString(nik) {
			f.add("nik_koperasi", *in.NIKKoperasi, apperr.T("NIK Koperasi harus 13–16 angka (dari ODS).", "A NIK Koperasi is 13–16 digits (from ODS)."))
		}
		r.in.NIKKoperasi = &nik
	} else {
		r.in.NIKKoperasi = nil
	}
	r.nikBerlaku = f.date("nik_berlaku_sampai", in.NIKBerlakuSampai, time.Time{})
	r.in.BadanHukumNomor = f.text("badan_hukum_nomor", in.BadanHukumNomor, 100, false)
	r.badanHukum = f.date("badan_hukum_tanggal", in.BadanHukumTanggal, today)
	r.in.PerubahanADNomor = f.text("perubahan_ad_nomor", in.PerubahanADNomor, 100, false)
	r.perubahanAD = f.date("perubahan_ad_tanggal", in.PerubahanADTanggal, today)
	if r.badanHukum != nil && r.perubahanAD != nil && r.perubahanAD.Before(*r.badanHukum) {
		f.add("perubahan_ad_tanggal", *in.PerubahanADTanggal, apperr.T("Perubahan AD tidak boleh sebelum tanggal badan hukum.", "A statute change cannot precede the legal entity's date."))
	}
	if in.Bentuk != nil {
		oneOf(f, "bentuk", in.Bentuk, []string{"primer", "sekunder"})
		r.bentuk = *in.Bentuk
	}
	oneOf(f, "jenis", in.Jenis, AllJenis)
	oneOf(f, "kelompok", in.Kelompok, AllKelompok)
	oneOf(f, "peringkat", in.Peringkat, []string{"A", "B", "C", "D"})
	r.in.Sektor = f.text("sektor", in.Sektor, 100, false)
	r.in.Alamat = f.text("alamat", in.Alamat, 500, false)
	if p := w.Check(in.KecamatanKode, in.KelurahanKode); p != nil {
		f.add(p.Field, p.Value, p.Text)
	}
	for _, c := range []struct {
		name string
		v    *int
		max  int
		dst  *int
	}{{"anggota_laki", in.AnggotaLaki, 10_000_000, &r.anggotaLaki}, {"anggota_perempuan", in.AnggotaPerempuan, 10_000_000, &r.anggotaPerempuan},
		{"karyawan", in.Karyawan, 1_000_000, &r.karyawan}} {
		if c.v == nil {
			continue
		}
		if *c.v < 0 || *c.v > c.max {
			f.add(c.name, *c.v, apperr.T(fmt.Sprintf("Harus 0 sampai %d.", c.max), fmt.Sprintf("Must be 0 to %d.", c.max)))
		}
		*c.dst = *c.v
	}
	if in.Aktif != nil {
		r.aktif = *in.Aktif
	}
	return r, f.err(apperr.T("Data koperasi tidak valid. Periksa isian yang disebutkan.", "Invalid cooperative data. Check the fields listed."))
}

// Path is where a cooperative lives in the API.
func Path(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/koperasi/" + id.String()
}
