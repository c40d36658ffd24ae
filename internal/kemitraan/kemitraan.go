// Package kemitraan holds the office's partnerships: partners (hotels,
// hospitals, schools, universities, banks, retailers, BUMD, associations),
// their written agreements with the duties they give as dated tasks and
// their evaluations, renewals as new linked agreements, and the reminders
// of the hourly clock. DOMAIN.md "Marketing points, consignment and
// partnerships"; Permendagri 22/2020 for the five-year limit and the
// evaluations at least twice a year.
package kemitraan

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// The closed vocabularies of the schema.
var (
	AllJenisMitra      = []string{"hotel", "rumah_sakit", "sekolah", "universitas", "bank", "ritel", "bumd", "asosiasi", "lainnya"}
	AllJenisPerjanjian = []string{"mou", "pks", "lainnya"}
	AllStatus          = []string{"draf", "berlaku", "berakhir", "diputus"}
)

// Labels for people.
var (
	JenisMitraLabel = map[string]string{"hotel": "Hotel", "rumah_sakit": "Rumah sakit", "sekolah": "Sekolah", "universitas": "Universitas",
		"bank": "Bank", "ritel": "Ritel modern", "bumd": "BUMD", "asosiasi": "Asosiasi", "lainnya": "Lainnya"}
	JenisPerjanjianLabel = map[string]string{"mou": "MoU / Nota Kesepakatan", "pks": "Perjanjian Kerja Sama (PKS)", "lainnya": "Lainnya"}
	StatusLabel          = map[string]string{"draf": "Draf", "berlaku": "Berlaku", "berakhir": "Berakhir", "diputus": "Diputus"}
	PengingatLabel       = map[string]string{"akan_berakhir": "Akan berakhir", "evaluasi_terlambat": "Evaluasi terlambat", "tugas_terlambat": "Tugas terlambat"}
)

// Permendagri 22/2020: a regional cooperation lasts at most five years and
// is evaluated at least twice a year.
const (
	maxTahun        = 5
	evaluasiBulan   = 6
	ingatkanHari    = 60
	peringatanLimaT = "Masa berlaku lebih dari 5 tahun: Permendagri 22/2020 membatasi kerja sama daerah paling lama 5 tahun; perpanjang dengan perjanjian baru."
)

// Allower answers whether p may do action in dom (authz.Enforcer).
type Allower interface {
	Allowed(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) (bool, error)
}

// View is what personal data a caller may see of partners' contacts.
type View struct {
	PII bool
}

// Access decides the View of p in tenant t: read-pii shows the contact in
// full; otherwise it is masked.
func Access(ctx context.Context, az Allower, p *tenancy.Principal, t *tenancy.Tenant) (View, error) {
	ok, err := az.Allowed(ctx, p, tenancy.TenantDomain(t.Slug), "read-pii")
	return View{PII: ok}, err
}

// MitraKerjaSama is a partner as the API shows it.
type MitraKerjaSama struct {
	ID          uuid.UUID  `json:"id"`
	Jenis       string     `json:"jenis" enum:"hotel,rumah_sakit,sekolah,universitas,bank,ritel,bumd,asosiasi,lainnya"`
	Nama        string     `json:"nama"`
	KontakNama  *string    `json:"kontak_nama,omitempty" doc:"Contact person; masked without read-pii."`
	Telepon     *string    `json:"telepon,omitempty" doc:"Masked without read-pii."`
	Alamat      *string    `json:"alamat,omitempty" doc:"Masked without read-pii."`
	WilayahKode *string    `json:"wilayah_kode,omitempty"`
	Berlaku     int        `json:"perjanjian_berlaku" doc:"Agreements in force today (office's time zone)."`
	ArchivedAt  *time.Time `json:"archived_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Version     int64      `json:"-"`
}

// Masked is m as v may see it.
func (m MitraKerjaSama) Masked(v View) MitraKerjaSama {
	if v.PII {
		return m
	}
	if m.KontakNama != nil {
		s := pii.Name(*m.KontakNama)
		m.KontakNama = &s
	}
	if m.Telepon != nil {
		s := pii.Phone(*m.Telepon)
		m.Telepon = &s
	}
	if m.Alamat != nil {
		s := "***"
		m.Alamat = &s
	}
	return m
}

// MitraKerjaSamaInput is a partner as staff write it; an update replaces every field.
type MitraKerjaSamaInput struct {
	Jenis       string  `json:"jenis" enum:"hotel,rumah_sakit,sekolah,universitas,bank,ritel,bumd,asosiasi,lainnya"`
	Nama        string  `json:"nama" maxLength:"200" example:"RSUD Kota Depok"`
	KontakNama  *string `json:"kontak_nama,omitempty" maxLength:"200"`
	Telepon     *string `json:"telepon,omitempty" maxLength:"30"`
	Alamat      *string `json:"alamat,omitempty" maxLength:"500"`
	WilayahKode *string `json:"wilayah_kode,omitempty" maxLength:"20" doc:"A kecamatan or kelurahan of this office (optional)."`
}

// Perjanjian is an agreement as the API shows it.
type Perjanjian struct {
	ID                uuid.UUID  `json:"id"`
	MitraID           uuid.UUID  `json:"mitra_id"`
	MitraNama         string     `json:"mitra_nama"`
	Jenis             string     `json:"jenis" enum:"mou,pks,lainnya"`
	Judul             string     `json:"judul"`
	NomorKantor       *string    `json:"nomor_kantor,omitempty" doc:"The office's number of the agreement."`
	TanggalKantor     *string    `json:"tanggal_kantor,omitempty" format:"date"`
	NomorMitra        *string    `json:"nomor_mitra,omitempty" doc:"The partner's number of the agreement."`
	TanggalMitra      *string    `json:"tanggal_mitra,omitempty" format:"date"`
	RuangLingkup      *string    `json:"ruang_lingkup,omitempty"`
	Mulai             string     `json:"mulai" format:"date"`
	Berakhir          string     `json:"berakhir" format:"date"`
	Status            string     `json:"status" enum:"draf,berlaku,berakhir,diputus"`
	AlasanPutus       *string    `json:"alasan_putus,omitempty"`
	DiputusTanggal    *string    `json:"diputus_tanggal,omitempty" format:"date"`
	MemperbaruiID     *uuid.UUID `json:"memperbarui_id,omitempty" doc:"The agreement this one renews."`
	DiperbaruiID      *uuid.UUID `json:"diperbarui_id,omitempty" doc:"The agreement that renews this one."`
	EvaluasiTerakhir  *string    `json:"evaluasi_terakhir,omitempty" format:"date"`
	EvaluasiTerlambat bool       `json:"evaluasi_terlambat" doc:"In force with no evaluation in the last 6 months."`
	Peringatan        []string   `json:"peringatan" nullable:"false" doc:"Warnings, e.g. longer than 5 years (Permendagri 22/2020)."`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	Version           int64      `json:"-"`
}

// LebihLimaTahun tells whether the agreement runs longer than five years.
func (p Perjanjian) LebihLimaTahun() bool { return slices.Contains(p.Peringatan, peringatanLimaT) }

// PerjanjianInput is an agreement as staff write it. A status of diputus
// goes through the breach path (putus), never an update.
type PerjanjianInput struct {
	MitraID       uuid.UUID `json:"mitra_id" doc:"A partner of this office; ignored on renewal (the renewed one's partner)."`
	Jenis         string    `json:"jenis" enum:"mou,pks,lainnya"`
	Judul         string    `json:"judul" maxLength:"300" example:"Pojok UMKM di lobi RSUD"`
	NomorKantor   *string   `json:"nomor_kantor,omitempty" maxLength:"100"`
	TanggalKantor *string   `json:"tanggal_kantor,omitempty" maxLength:"10" example:"2026-12-06"`
	NomorMitra    *string   `json:"nomor_mitra,omitempty" maxLength:"100"`
	TanggalMitra  *string   `json:"tanggal_mitra,omitempty" maxLength:"10"`
	RuangLingkup  *string   `json:"ruang_lingkup,omitempty" maxLength:"5000"`
	Mulai         string    `json:"mulai" maxLength:"10" example:"2026-12-06"`
	Berakhir      string    `json:"berakhir" maxLength:"10" example:"2028-12-05" doc:"Not before mulai; over 5 years is allowed with a warning."`
	Status        string    `json:"status,omitempty" enum:"draf,berlaku,berakhir" doc:"Absent: draf."`
}

// PutusPerjanjianInput ends an agreement for a breach.
type PutusPerjanjianInput struct {
	Alasan  string `json:"alasan" maxLength:"2000"`
	Tanggal string `json:"tanggal" maxLength:"10" example:"2026-12-06"`
}

// TugasPerjanjian is a dated duty of an agreement.
type TugasPerjanjian struct {
	ID           uuid.UUID `json:"id"`
	PerjanjianID uuid.UUID `json:"perjanjian_id"`
	Judul        string    `json:"judul"`
	JatuhTempo   string    `json:"jatuh_tempo" format:"date"`
	Selesai      *string   `json:"selesai,omitempty" format:"date"`
	Catatan      *string   `json:"catatan,omitempty"`
	Terlambat    bool      `json:"terlambat" doc:"Not done and past its due date."`
	MitraNama    string    `json:"mitra_nama,omitempty"`
	Version      int64     `json:"-"`
}

// TugasPerjanjianInput is a duty as staff write it; an update replaces every field.
type TugasPerjanjianInput struct {
	Judul      string  `json:"judul" maxLength:"300" example:"Laporan penjualan bulanan paling lambat tanggal 5"`
	JatuhTempo string  `json:"jatuh_tempo" maxLength:"10"`
	Selesai    *string `json:"selesai,omitempty" maxLength:"10" doc:"The day it was done."`
	Catatan    *string `json:"catatan,omitempty" maxLength:"2000"`
}

// EvaluasiPerjanjian is an evaluation of an agreement.
type EvaluasiPerjanjian struct {
	ID      uuid.UUID `json:"id"`
	Tanggal string    `json:"tanggal" format:"date"`
	Hasil   string    `json:"hasil"`
	Skor    *int      `json:"skor,omitempty"`
}

// EvaluasiPerjanjianInput records an evaluation.
type EvaluasiPerjanjianInput struct {
	Tanggal string `json:"tanggal" maxLength:"10"`
	Hasil   string `json:"hasil" maxLength:"5000"`
	Skor    *int   `json:"skor,omitempty" doc:"0–100, optional."`
}

// PengingatKemitraan is a stored reminder.
type PengingatKemitraan struct {
	ID           uuid.UUID  `json:"id"`
	PerjanjianID uuid.UUID  `json:"perjanjian_id"`
	Judul        string     `json:"judul"`
	MitraID      uuid.UUID  `json:"mitra_id"`
	MitraNama    string     `json:"mitra_nama"`
	Jenis        string     `json:"jenis" enum:"akan_berakhir,evaluasi_terlambat,tugas_terlambat"`
	TugasID      *uuid.UUID `json:"tugas_id,omitempty"`
	Hari         string     `json:"hari" format:"date" doc:"The day the reminder is about: the end, the evaluation due or the task due."`
	Pesan        string     `json:"pesan"`
	CreatedAt    time.Time  `json:"created_at"`
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

// day parses a YYYY-MM-DD; blank is the zero time (an error when required).
func (f *fieldErrs) day(name string, v *string, required bool) (time.Time, bool) {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			f.add(name, nil, wajib)
		}
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(*v))
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.add(name, *v, apperr.T("Tanggal harus YYYY-MM-DD (tahun 2000–2100).", "Dates are YYYY-MM-DD (years 2000–2100)."))
		return time.Time{}, false
	}
	return d, true
}

func dayPtr(d time.Time, ok bool) *time.Time {
	if !ok {
		return nil
	}
	return &d
}

func validateMitra(in MitraKerjaSamaInput) (MitraKerjaSamaInput, error) {
	f := &fieldErrs{prefix: "body"}
	f.oneOf("jenis", in.Jenis, AllJenisMitra)
	if n := f.text("nama", &in.Nama, 200, true); n != nil {
		in.Nama = *n
	}
	in.KontakNama = f.text("kontak_nama", in.KontakNama, 200, false)
	in.Telepon = f.text("telepon", in.Telepon, 30, false)
	if in.Telepon != nil && strings.Trim(*in.Telepon, "+0123456789 -") != "" {
		f.add("telepon", nil, apperr.T("Nomor telepon hanya angka, spasi, tanda hubung dan + di depan.", "A phone number is digits, spaces, dashes and a leading +."))
	}
	in.Alamat = f.text("alamat", in.Alamat, 500, false)
	in.WilayahKode = f.text("wilayah_kode", in.WilayahKode, 20, false)
	return in, f.err(apperr.T("Data mitra tidak valid. Periksa isian yang disebutkan.", "Invalid partner. Check the fields listed."))
}

// perjanjianRow is a validated agreement, ready to write.
type perjanjianRow struct {
	in                                    PerjanjianInput
	tanggalKantor, tanggalMitra           *time.Time
	mulai, berakhir                       time.Time
	nomorKantor, nomorMitra, ruangLingkup *string
}

func validatePerjanjian(in PerjanjianInput, renewal bool) (perjanjianRow, error) {
	f := &fieldErrs{prefix: "body"}
	r := perjanjianRow{}
	if in.MitraID == uuid.Nil && !renewal {
		f.add("mitra_id", nil, wajib)
	}
	f.oneOf("jenis", in.Jenis, AllJenisPerjanjian)
	if n := f.text("judul", &in.Judul, 300, true); n != nil {
		in.Judul = *n
	}
	r.nomorKantor = f.text("nomor_kantor", in.NomorKantor, 100, false)
	r.tanggalKantor = dayPtr(f.day("tanggal_kantor", in.TanggalKantor, false))
	r.nomorMitra = f.text("nomor_mitra", in.NomorMitra, 100, false)
	r.tanggalMitra = dayPtr(f.day("tanggal_mitra", in.TanggalMitra, false))
	r.ruangLingkup = f.text("ruang_lingkup", in.RuangLingkup, 5000, false)
	mulai, okM := f.day("mulai", &in.Mulai, true)
	berakhir, okB := f.day("berakhir", &in.Berakhir, true)
	if okM && okB && berakhir.Before(mulai) {
		f.add("berakhir", in.Berakhir, apperr.T("Tanggal berakhir tidak boleh sebelum tanggal mulai.", "The end cannot be before the start."))
	}
	r.mulai, r.berakhir = mulai, berakhir
	if in.Status == "" {
		in.Status = "draf"
	}
	if in.Status == "diputus" {
		f.add("status", in.Status, apperr.T("Pemutusan perjanjian lewat tindakan Putus, dengan alasan.", "A breach goes through the termination path, with a reason."))
	} else {
		f.oneOf("status", in.Status, []string{"draf", "berlaku", "berakhir"})
	}
	r.in = in
	return r, f.err(apperr.T("Data perjanjian tidak valid. Periksa isian yang disebutkan.", "Invalid agreement. Check the fields listed."))
}

func validateTugas(in TugasPerjanjianInput) (TugasPerjanjianInput, time.Time, *time.Time, error) {
	f := &fieldErrs{prefix: "body"}
	if n := f.text("judul", &in.Judul, 300, true); n != nil {
		in.Judul = *n
	}
	due, _ := f.day("jatuh_tempo", &in.JatuhTempo, true)
	done := dayPtr(f.day("selesai", in.Selesai, false))
	in.Catatan = f.text("catatan", in.Catatan, 2000, false)
	return in, due, done, f.err(apperr.T("Data tugas tidak valid. Periksa isian yang disebutkan.", "Invalid task. Check the fields listed."))
}

func validateEvaluasi(in EvaluasiPerjanjianInput, today time.Time) (EvaluasiPerjanjianInput, time.Time, error) {
	f := &fieldErrs{prefix: "body"}
	d, ok := f.day("tanggal", &in.Tanggal, true)
	if ok && d.After(today) {
		f.add("tanggal", in.Tanggal, apperr.T("Tanggal evaluasi tidak boleh di masa depan.", "An evaluation cannot be dated in the future."))
	}
	if n := f.text("hasil", &in.Hasil, 5000, true); n != nil {
		in.Hasil = *n
	}
	if in.Skor != nil && (*in.Skor < 0 || *in.Skor > 100) {
		f.add("skor", *in.Skor, apperr.T("Skor 0 sampai 100.", "A score is 0 to 100."))
	}
	return in, d, f.err(apperr.T("Data evaluasi tidak valid. Periksa isian yang disebutkan.", "Invalid evaluation. Check the fields listed."))
}

// Paths in the API.
func MitraPath(slug string, id uuid.UUID) string {
	return "/v1/tenants/" + slug + "/kemitraan/mitra/" + id.String()
}

func PerjanjianPath(slug string, id uuid.UUID) string {
	return "/v1/tenants/" + slug + "/kemitraan/perjanjian/" + id.String()
}
