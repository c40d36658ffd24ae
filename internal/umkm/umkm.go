// Package umkm is the register of businesses (UMKM) of a tenant: each
// business with its owner (pelaku usaha), legal documents (legalitas),
// reported constraints (kendala) and the history of its figures.
package umkm

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/teks"
)

// Sectors offices use (DOMAIN.md; seed articles).
var Sectors = []string{"kuliner", "fashion", "kerajinan", "jasa", "perdagangan", "pertanian", "peternakan",
	"perikanan", "otomotif", "kecantikan", "teknologi", "pendidikan", "lainnya"}

// Channels are the sales channels (seed 004: e-commerce, modern retail).
var Channels = []string{"offline", "shopee", "tokopedia", "tiktok_shop", "lazada", "bukalapak", "grabfood",
	"gofood", "shopeefood", "ritel_modern", "media_sosial", "website", "lainnya"}

// Kinds of legal document.
const (
	LegalNIB    = "nib"
	LegalPIRT   = "pirt"
	LegalHalal  = "halal"
	LegalBPOMMD = "bpom_md"
	LegalBPOMML = "bpom_ml"
	LegalHKI    = "hki"
	LegalSNI    = "sni"
)

// LegalKinds lists the document kinds.
var LegalKinds = []string{LegalNIB, LegalPIRT, LegalHalal, LegalBPOMMD, LegalBPOMML, LegalHKI, LegalSNI}

// Document statuses.
const (
	StatusTerbit      = "terbit"
	StatusDalamProses = "dalam_proses"
	StatusBelum       = "belum"
)

// KendalaCategories are the kinds of constraint a business reports.
var KendalaCategories = []string{"permodalan", "pemasaran", "bahan_baku", "legalitas", "sdm", "teknologi", "perizinan", "lainnya"}

// Sources of a record.
const (
	SourceStaf       = "staf"
	SourceRegistrasi = "registrasi_online"
	SourceImpor      = "impor"
)

// Input is a business as written by staff, the public form or an import row.
// Optional fields are pointers: absent means unknown (NULL), never 0.
type Input struct {
	NamaPemilik       string       `json:"nama_pemilik" maxLength:"200" doc:"Owner's full name." example:"Siti Aminah"`
	NIK               *string      `json:"nik,omitempty" maxLength:"40" doc:"Owner's NIK (16 digits). Personal data." example:"3276014507850001"`
	JenisKelamin      *string      `json:"jenis_kelamin,omitempty" enum:"L,P" doc:"Owner's sex: L (laki-laki) or P (perempuan); absent if unknown."`
	Telepon           *string      `json:"telepon,omitempty" maxLength:"32" doc:"Personal data." example:"0812-3456-7890"`
	Email             *string      `json:"email,omitempty" maxLength:"254" doc:"Personal data."`
	NamaUsaha         string       `json:"nama_usaha" maxLength:"200" example:"Keripik Singkong Bu Siti"`
	Sektor            string       `json:"sektor" enum:"kuliner,fashion,kerajinan,jasa,perdagangan,pertanian,peternakan,perikanan,otomotif,kecantikan,teknologi,pendidikan,lainnya"`
	KBLI              *string      `json:"kbli,omitempty" maxLength:"5" doc:"KBLI 2020 code, 5 digits." example:"10792"`
	Produk            *string      `json:"produk,omitempty" maxLength:"1000"`
	Alamat            *string      `json:"alamat,omitempty" maxLength:"500" doc:"Street address. Personal data."`
	RT                *string      `json:"rt,omitempty" maxLength:"3" example:"003"`
	RW                *string      `json:"rw,omitempty" maxLength:"3" example:"007"`
	KecamatanKode     string       `json:"kecamatan_kode" maxLength:"8" doc:"Kemendagri code of a kecamatan of this tenant." example:"32.76.01"`
	KelurahanKode     string       `json:"kelurahan_kode" maxLength:"13" doc:"Kemendagri code of a desa/kelurahan in that kecamatan." example:"32.76.01.1006"`
	Latitude          *float64     `json:"latitude,omitempty" doc:"Personal data (locates a home business)."`
	Longitude         *float64     `json:"longitude,omitempty"`
	ModalUsaha        *int64       `json:"modal_usaha,omitempty" minimum:"0" doc:"Capital excluding land and buildings, whole rupiah."`
	OmzetTahunan      *int64       `json:"omzet_tahunan,omitempty" minimum:"0" doc:"Annual sales, whole rupiah."`
	TotalAset         *int64       `json:"total_aset,omitempty" minimum:"0" doc:"Total assets, whole rupiah."`
	KaryawanLaki      *int         `json:"karyawan_laki,omitempty" minimum:"0" maximum:"100000"`
	KaryawanPerempuan *int         `json:"karyawan_perempuan,omitempty" minimum:"0" maximum:"100000"`
	TahunMulai        *int         `json:"tahun_mulai,omitempty" example:"2019"`
	NIB               *string      `json:"nib,omitempty" maxLength:"20" doc:"13 digits from OSS."`
	StatusBinaan      *string      `json:"status_binaan,omitempty" enum:"binaan,bukan_binaan"`
	SaluranPenjualan  []string     `json:"saluran_penjualan,omitempty" maxItems:"13" doc:"offline, shopee, tokopedia, tiktok_shop, lazada, bukalapak, grabfood, gofood, shopeefood, ritel_modern, media_sosial, website, lainnya."`
	SkalaDilaporkan   *string      `json:"skala_dilaporkan,omitempty" enum:"mikro,kecil,menengah,besar" doc:"The size as reported by the owner; the computed size is kept beside it."`
	Legalitas         []LegalInput `json:"legalitas,omitempty" maxItems:"7" doc:"Legal documents, one per kind. On update, absent keeps the current ones and [] removes them."`
}

// LegalInput is one legal document.
type LegalInput struct {
	Jenis         string  `json:"jenis" enum:"nib,pirt,halal,bpom_md,bpom_ml,hki,sni"`
	Nomor         *string `json:"nomor,omitempty" maxLength:"40"`
	Status        string  `json:"status" enum:"terbit,dalam_proses,belum"`
	BerlakuSampai *string `json:"berlaku_sampai,omitempty" format:"date" doc:"YYYY-MM-DD"`
}

// row is an Input checked and normalised, ready to write.
type row struct {
	in        Input
	nik       string // digits, never stored in the clear
	nikHash   []byte
	nikSealed []byte
	nikMasked *string
	skala     *Skala
	legal     []legal
	// notes are what the row was accepted with but a person should know
	// (an import's report shows them per row).
	notes []apperr.Field
}

// statusBinaan is the record's binaan status: unknown is not binaan.
func (r row) statusBinaan() string {
	if r.in.StatusBinaan != nil {
		return *r.in.StatusBinaan
	}
	return "bukan_binaan"
}

// skalaCols is the computed size as its three columns, nil when none.
func (r row) skalaCols() (skala, kriteria, regulasi *string) {
	if r.skala == nil {
		return nil, nil, nil
	}
	return &r.skala.Skala, &r.skala.Kriteria, &r.skala.Regulasi
}

// channels is the sales channels as stored: none is an empty list, not NULL.
func (r row) channels() []string {
	if r.in.SaluranPenjualan == nil {
		return []string{}
	}
	return r.in.SaluranPenjualan
}

// legal is a legal document. Records keep theirs in the legalitas column,
// as the API shows them (appendLegalJSON), and read them back with
// encoding/json.
type legal struct {
	Jenis         string     `json:"jenis"`
	Nomor         *string    `json:"nomor,omitempty"`
	Status        string     `json:"status"`
	BerlakuSampai *time.Time `json:"berlaku_sampai,omitempty"`
}

// appendLegalJSON appends docs to b as the legalitas column keeps them: a
// JSON array in kind order, so that reads need not sort. Written by hand:
// an import encodes one list per row, and nothing here can fail.
func appendLegalJSON(b []byte, docs []legal) []byte {
	if len(docs) > 1 && !slices.IsSortedFunc(docs, byJenis) {
		docs = slices.SortedFunc(slices.Values(docs), byJenis)
	}
	b = append(b, '[')
	for i, d := range docs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(append(b, `{"jenis":`...), d.Jenis)
		if d.Nomor != nil {
			b = appendJSONString(append(b, `,"nomor":`...), *d.Nomor)
		}
		b = appendJSONString(append(b, `,"status":`...), d.Status)
		if d.BerlakuSampai != nil {
			b = append(d.BerlakuSampai.UTC().AppendFormat(append(b, `,"berlaku_sampai":"`...), time.RFC3339), '"')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func byJenis(a, b legal) int { return strings.Compare(a.Jenis, b.Jenis) }

// appendJSONString appends s as a JSON string. Document kinds, statuses
// and numbers are plain ASCII; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// fieldErrs collects field problems under a location prefix ("body" for the
// API, "baris 17" for an import row).
type fieldErrs struct {
	prefix string
	list   []apperr.Field
}

func (f *fieldErrs) add(field string, value any, msg apperr.Text) {
	f.list = append(f.list, apperr.Field{Location: f.prefix + "." + field, Value: value, Message: msg})
}

// validate checks and normalises in. Region membership is checked against
// the tenant's wilayah; everything else is format and plausibility.
func (s *Service) validate(in Input, w *wilayahIndex, prefix string, now time.Time) (row, []apperr.Field) {
	f := &fieldErrs{prefix: prefix}
	r := row{in: in}
	r.in.NamaPemilik = strings.TrimSpace(in.NamaPemilik)
	r.in.NamaUsaha = strings.TrimSpace(in.NamaUsaha)
	for _, c := range []struct {
		name, v string
	}{{"nama_pemilik", r.in.NamaPemilik}, {"nama_usaha", r.in.NamaUsaha}} {
		if n := utf8.RuneCountInString(c.v); n == 0 || n > 200 {
			f.add(c.name, c.v, apperr.T("Wajib diisi, maksimal 200 karakter.", "Required, at most 200 characters."))
		}
	}
	// Free text that a spreadsheet would run as a formula is refused here
	// as in imports; exports neutralise whatever older data holds.
	for _, c := range []struct {
		name string
		v    *string
	}{{"nama_pemilik", &r.in.NamaPemilik}, {"nama_usaha", &r.in.NamaUsaha}, {"produk", in.Produk}, {"alamat", in.Alamat}} {
		if c.v != nil && looksLikeFormula(*c.v) {
			f.add(c.name, nil, apperr.T("Tidak boleh berupa rumus spreadsheet (diawali = atau @).", "Cannot be a spreadsheet formula (starting with = or @)."))
		} else if c.v != nil && teks.HasControl(*c.v) {
			f.add(c.name, nil, apperr.T("Berisi karakter kontrol yang tidak bisa disimpan; ketik ulang teksnya.",
				"Contains a control character that cannot be stored; type the text again."))
		}
	}
	// The API's schema bounds these too; imports come through here only.
	for _, c := range []struct {
		name string
		v    *string
		max  int
	}{{"produk", in.Produk, 1000}, {"alamat", in.Alamat, 500}, {"email", in.Email, 254}} {
		if c.v != nil && utf8.RuneCountInString(*c.v) > c.max {
			f.add(c.name, nil, apperr.T(fmt.Sprintf("Maksimal %d karakter.", c.max), fmt.Sprintf("At most %d characters.", c.max)))
		}
	}
	if !slices.Contains(Sectors, in.Sektor) {
		f.add("sektor", in.Sektor, apperr.T("Sektor tidak dikenal. Pilih: "+strings.Join(Sectors, ", ")+".", "Unknown sector. Choose: "+strings.Join(Sectors, ", ")+"."))
	}
	if in.NIK != nil && strings.TrimSpace(*in.NIK) != "" {
		if nik, msg := NormalizeNIK(*in.NIK); msg != nil {
			f.add("nik", nil, *msg) // never echo a NIK back
		} else {
			r.nik = nik
		}
	}
	if in.JenisKelamin != nil && *in.JenisKelamin != "L" && *in.JenisKelamin != "P" {
		f.add("jenis_kelamin", *in.JenisKelamin, apperr.T("Isi L (laki-laki) atau P (perempuan); kosongkan bila tidak diketahui.", "Use L or P; leave empty when unknown."))
	}
	r.in.Telepon = normalizeOpt(f, "telepon", in.Telepon, NormalizePhone, false)
	if in.Email != nil && strings.TrimSpace(*in.Email) != "" {
		e := strings.ToLower(strings.TrimSpace(*in.Email))
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(e[strings.IndexByte(e, '@'):], ".") {
			f.add("email", nil, apperr.T("Alamat email tidak valid.", "Invalid e-mail address."))
		}
		r.in.Email = &e
	} else {
		r.in.Email = nil
	}
	r.in.KBLI = checkKBLI(f, in.KBLI)
	for _, c := range []struct {
		name string
		v    **string
	}{{"rt", &r.in.RT}, {"rw", &r.in.RW}} {
		if *c.v == nil || strings.TrimSpace(**c.v) == "" {
			*c.v = nil
			continue
		}
		v := strings.TrimSpace(**c.v)
		if !digits(v, 1, 3) || strings.Trim(v, "0") == "" {
			f.add(c.name, v, apperr.T("Isi angka 1–999 (mis. 003).", "A number 1–999 (e.g. 003)."))
			continue
		}
		padded := fmt.Sprintf("%03s", v)
		*c.v = &padded
	}
	kelurahan := in.KelurahanKode // checked: the office's, in its kecamatan
	if msg := w.Check(in.KecamatanKode, in.KelurahanKode); msg != nil {
		f.add(msg.Field, msg.Value, msg.Text)
		kelurahan = ""
	}
	if (in.Latitude == nil) != (in.Longitude == nil) {
		f.add("latitude", nil, apperr.T("Isi latitude dan longitude bersama.", "Give latitude and longitude together."))
	} else if in.Latitude != nil {
		if note := s.checkPoint(f, *in.Latitude, *in.Longitude, kelurahan, w); note != nil {
			r.notes = append(r.notes, *note)
		}
	}
	for _, c := range []struct {
		name string
		v    *int64
	}{{"modal_usaha", in.ModalUsaha}, {"omzet_tahunan", in.OmzetTahunan}, {"total_aset", in.TotalAset}} {
		if c.v != nil && (*c.v < 0 || *c.v > MaxRupiah) {
			f.add(c.name, *c.v, apperr.T("Nilai rupiah harus 0 sampai Rp1.000 triliun.", "Rupiah amounts are 0 to Rp1,000 trillion."))
		}
	}
	for _, c := range []struct {
		name string
		v    *int
	}{{"karyawan_laki", in.KaryawanLaki}, {"karyawan_perempuan", in.KaryawanPerempuan}} {
		if c.v != nil && (*c.v < 0 || *c.v > 100000) {
			f.add(c.name, *c.v, apperr.T("Jumlah karyawan harus 0–100.000.", "Employees must be 0–100,000."))
		}
	}
	if in.TahunMulai != nil && (*in.TahunMulai < 1900 || *in.TahunMulai > now.Year()) {
		f.add("tahun_mulai", *in.TahunMulai, apperr.T(fmt.Sprintf("Tahun mulai harus 1900–%d.", now.Year()), fmt.Sprintf("The starting year must be 1900–%d.", now.Year())))
	}
	r.in.NIB = normalizeOpt(f, "nib", in.NIB, NormalizeNIB, true)
	if in.StatusBinaan != nil && *in.StatusBinaan != "binaan" && *in.StatusBinaan != "bukan_binaan" {
		f.add("status_binaan", *in.StatusBinaan, apperr.T("Isi binaan atau bukan_binaan.", "Use binaan or bukan_binaan."))
	}
	seen := map[string]bool{}
	for i, ch := range in.SaluranPenjualan {
		if !slices.Contains(Channels, ch) || seen[ch] {
			f.add(fmt.Sprintf("saluran_penjualan[%d]", i), ch, apperr.T("Saluran penjualan tidak dikenal atau ganda.", "Unknown or repeated sales channel."))
		}
		seen[ch] = true
	}
	if in.SkalaDilaporkan != nil && !slices.Contains([]string{SkalaMikro, SkalaKecil, SkalaMenengah, SkalaBesar}, *in.SkalaDilaporkan) {
		f.add("skala_dilaporkan", *in.SkalaDilaporkan, apperr.T("Isi mikro, kecil, menengah atau besar.", "Use mikro, kecil, menengah or besar."))
	}
	kinds := map[string]bool{}
	for i, l := range in.Legalitas {
		loc := fmt.Sprintf("legalitas[%d]", i)
		if !slices.Contains(LegalKinds, l.Jenis) {
			f.add(loc+".jenis", l.Jenis, apperr.T("Jenis legalitas tidak dikenal.", "Unknown kind of legal document."))
			continue
		}
		if kinds[l.Jenis] {
			f.add(loc+".jenis", l.Jenis, apperr.T("Satu jenis legalitas hanya boleh sekali.", "Each kind of document at most once."))
			continue
		}
		kinds[l.Jenis] = true
		lg := legal{Jenis: l.Jenis, Status: l.Status}
		if !slices.Contains([]string{StatusTerbit, StatusDalamProses, StatusBelum}, l.Status) {
			f.add(loc+".status", l.Status, apperr.T("Isi terbit, dalam_proses atau belum.", "Use terbit, dalam_proses or belum."))
		}
		if l.Nomor != nil && strings.TrimSpace(*l.Nomor) != "" {
			if n, msg := NormalizeLegalNumber(l.Jenis, *l.Nomor, now); msg != nil {
				f.add(loc+".nomor", *l.Nomor, *msg)
			} else {
				lg.Nomor = &n
			}
		} else if l.Status == StatusTerbit {
			f.add(loc+".nomor", nil, apperr.T("Dokumen yang sudah terbit harus punya nomor.", "An issued document needs its number."))
		}
		if l.BerlakuSampai != nil {
			d, err := time.Parse(time.DateOnly, *l.BerlakuSampai)
			switch {
			case err != nil:
				f.add(loc+".berlaku_sampai", *l.BerlakuSampai, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
			case d.Year() < 1900 || d.Year() > 2200:
				// Year 0 is 1 BC to PostgreSQL: a record's two copies of
				// the date would disagree (and no document is that old).
				f.add(loc+".berlaku_sampai", *l.BerlakuSampai, apperr.T("Tahun berlaku harus antara 1900 dan 2200.",
					"The year must be between 1900 and 2200."))
			default:
				lg.BerlakuSampai = &d
			}
		}
		r.legal = append(r.legal, lg)
	}
	return r, f.list
}

// normalizeOpt normalises an optional identifier; blank is nil. echo says
// whether the raw value may be shown back (not for personal data).
func normalizeOpt(f *fieldErrs, name string, v *string, norm func(string) (string, *apperr.Text), echo bool) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	n, msg := norm(*v)
	if msg != nil {
		var shown any
		if echo {
			shown = *v
		}
		f.add(name, shown, *msg)
		return nil
	}
	return &n
}

// LegalitasLengkap is the rule the galeri uses (seed 003): an issued NIB
// and, for food (kuliner), an issued P-IRT or BPOM number and an issued halal
// certificate; none of them expired.
func LegalitasLengkap(sektor string, docs []legal, today time.Time) bool {
	valid := map[string]bool{}
	for _, d := range docs {
		if d.Status == StatusTerbit && (d.BerlakuSampai == nil || !d.BerlakuSampai.Before(today)) {
			valid[d.Jenis] = true
		}
	}
	if !valid[LegalNIB] {
		return false
	}
	if sektor == "kuliner" {
		return (valid[LegalPIRT] || valid[LegalBPOMMD] || valid[LegalBPOMML]) && valid[LegalHalal]
	}
	return true
}

func terbit(docs []legal) []string {
	out := []string{}
	for _, d := range docs {
		if d.Status == StatusTerbit {
			out = append(out, d.Jenis)
		}
	}
	slices.Sort(out)
	return out
}

// Path is where a record lives in the API.
func Path(tenantSlug string, id uuid.UUID) string {
	return "/v1/tenants/" + tenantSlug + "/umkm/" + id.String()
}
