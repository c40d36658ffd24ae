// Package klinik is the office's consultation clinic (DOMAIN.md "Marketing
// points, consignment and partnerships", seed 000): service areas,
// consultants with weekly schedules and daily capacity, tickets from the
// walk-in desk, the public online form, a kecamatan desk or WhatsApp,
// booked slots without double booking, outcomes with follow-up dates, and
// the satisfaction survey (SKM, PermenPANRB 14/2017) with its yearly index.
package klinik

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/koperasi"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the office's clinic.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// Register writes a document a business obtained into its record
	// (umkm.Service, composed by the app layer: domain packages do not
	// import each other). Without it, dokumen_diperoleh on a business is
	// refused rather than recorded only here.
	Register Register
	// Throttle admits a request of the public form or lookup; without it
	// the public paths are refused.
	Throttle Throttle
}

// Register is the business register as the clinic writes to it.
type Register interface {
	// SetLegalTx records that business umkmID holds an issued document of
	// kind jenis with number nomor, in tx, audited by the register. wilayah
	// is the caller's area (empty: the whole office).
	SetLegalTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, umkmID uuid.UUID, jenis, nomor string, wilayah []string) error
}

// Throttle counts the public requests of an office from a client.
type Throttle interface {
	Admit(ctx context.Context, t *tenancy.Tenant, action, client string) error
}

// The closed vocabularies of the schema.
var (
	AllSaluran  = []string{"walk_in", "online", "kecamatan", "whatsapp"}
	AllStatus   = []string{"baru", "dijadwalkan", "selesai", "batal"}
	AllHasil    = []string{"nasihat", "rujuk_program", "rujuk_instansi", "rujuk_bank", "dokumen_diperoleh"}
	AllInstansi = []string{"dinkes", "dpmptsp", "bpjph", "lainnya"}
	AllDokumen  = []string{"nib", "pirt", "halal", "bpom_md", "bpom_ml", "hki", "sni"}
)

// Labels for people.
var (
	SaluranLabel = map[string]string{"walk_in": "Datang langsung", "online": "Formulir daring", "kecamatan": "Meja kecamatan", "whatsapp": "WhatsApp"}
	StatusLabel  = map[string]string{"baru": "Baru", "dijadwalkan": "Dijadwalkan", "selesai": "Selesai", "batal": "Batal"}
	HasilLabel   = map[string]string{"nasihat": "Nasihat", "rujuk_program": "Dirujuk ke program", "rujuk_instansi": "Dirujuk ke instansi",
		"rujuk_bank": "Dirujuk ke bank", "dokumen_diperoleh": "Dokumen diperoleh"}
	InstansiLabel = map[string]string{"dinkes": "Dinas Kesehatan (P-IRT)", "dpmptsp": "DPMPTSP (OSS/NIB)", "bpjph": "BPJPH (halal)", "lainnya": "Instansi lain"}
	DokumenLabel  = map[string]string{"nib": "NIB", "pirt": "P-IRT", "halal": "Sertifikat halal", "bpom_md": "BPOM MD", "bpom_ml": "BPOM ML",
		"hki": "HKI/merek", "sni": "SNI"}
	HariLabel = []string{"", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"}
)

// View is what a caller may see: personal data (names and phones of
// people asking) with read-pii; a petugas only the tickets of their
// regions.
type View struct {
	PII     bool
	Wilayah []string
}

// Access decides View for p in t: the same decision as for the register of
// cooperatives (read-pii; a petugas, their regions), shared by the API and
// the pages.
func Access(ctx context.Context, az koperasi.Allower, p *tenancy.Principal, t *tenancy.Tenant) (View, error) {
	v, err := koperasi.Access(ctx, az, p, t)
	return View{PII: v.PII, Wilayah: v.Wilayah}, err
}

// fieldErrs collects field problems under a location prefix.
type fieldErrs struct {
	prefix string
	list   []apperr.Field
}

func (f *fieldErrs) add(field string, value any, msg apperr.Text) {
	f.list = append(f.list, apperr.Field{Location: f.prefix + "." + field, Value: value, Message: msg})
}

func (f *fieldErrs) err() error {
	if len(f.list) == 0 {
		return nil
	}
	return apperr.Invalid(apperr.T("Data tidak valid.", "Invalid input."), f.list...)
}

var wajib = apperr.T("Wajib diisi.", "Required.")

// text trims a free text and checks it; blank is nil.
func (f *fieldErrs) text(name string, v *string, maxLen int, required bool) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			f.add(name, nil, wajib)
		}
		return nil
	}
	s := strings.TrimSpace(*v)
	switch {
	case utf8.RuneCountInString(s) > maxLen:
		f.add(name, nil, apperr.T(fmt.Sprintf("Maksimal %d karakter.", maxLen), fmt.Sprintf("At most %d characters.", maxLen)))
	case teks.HasControl(s):
		f.add(name, nil, apperr.T("Berisi karakter yang tidak diizinkan.", "Holds characters that are not allowed."))
	default:
		return &s
	}
	return nil
}

func (f *fieldErrs) oneOf(name, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		f.add(name, v, apperr.T("Isi salah satu dari: "+strings.Join(allowed, ", ")+".", "Use one of: "+strings.Join(allowed, ", ")+"."))
	}
}

// date reads YYYY-MM-DD.
func (f *fieldErrs) date(name string, v *string) *time.Time {
	if v == nil || *v == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, *v)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.add(name, *v, apperr.T("Tanggal harus YYYY-MM-DD (tahun 2000–2100).", "Dates are YYYY-MM-DD (years 2000–2100)."))
		return nil
	}
	return &d
}

// clock reads HH:MM as minutes after midnight; -1 when it is not one.
func clock(s string) int {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return -1
	}
	return t.Hour()*60 + t.Minute()
}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// normalizePhone reads an Indonesian phone number as 08…; ok false when it
// is not one.
func normalizePhone(s string) (string, bool) {
	n := strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "").Replace(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(n, "+62"); ok {
		n = "0" + rest
	} else if rest, ok := strings.CutPrefix(n, "62"); ok {
		n = "0" + rest
	}
	if len(n) < 9 || len(n) > 14 || n[0] != '0' || strings.Trim(n, "0123456789") != "" {
		return "", false
	}
	return n, true
}

// maskName keeps a person's initials: "Siti Aminah" → "S*** A***".
func maskName(s string) string {
	var out []string
	for _, w := range strings.Fields(s) {
		r, _ := utf8.DecodeRuneInString(w)
		out = append(out, string(r)+"***")
	}
	return strings.Join(out, " ")
}

// maskPhone keeps the last three digits.
func maskPhone(s string) string {
	if len(s) <= 3 {
		return "***"
	}
	return strings.Repeat("x", len(s)-3) + s[len(s)-3:]
}

// actor is the calling user, for the columns that say who did something.
func actor(ctx context.Context) *uuid.UUID {
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		return &p.UserID
	}
	return nil
}

// Path is the API path of a ticket.
func Path(slug string, id uuid.UUID) string {
	return "/v1/tenants/" + slug + "/klinik/tiket/" + id.String()
}
