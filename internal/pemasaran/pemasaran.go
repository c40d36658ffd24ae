// Package pemasaran holds the office's marketing points (galeri, pojok
// UMKM, weekly markets, retail corners, marketplaces...), the products of
// its businesses with their photos, and the curation of a product for a
// point through the legality gate: accepted, rejected, or referred to the
// legalitas desk, then listed and rotated out. DOMAIN.md "Marketing points,
// consignment and partnerships". The consignment ledger will hang off a
// listing (Kurasi: point × business × product).
package pemasaran

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Service is the office's marketing points, products and curation.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
	// Rujuk records a constraint of category legalitas on business umkmID
	// in tx (the register's kendala, composed by the app layer: domain
	// packages do not import each other) and returns its id. Without it a
	// referral is refused rather than left without its task.
	Rujuk func(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, umkmID uuid.UUID, catatan string) (uuid.UUID, error)
}

// Allower decides a permission (authz.Authorizer).
type Allower interface {
	Allowed(ctx context.Context, p *tenancy.Principal, domain tenancy.Domain, action string) (bool, error)
}

// View is what a caller may reach: a petugas only the points and the
// businesses of their regions (none without one); others everything.
type View struct {
	Wilayah []string
}

// Access is p's View of tenant t, decided as for the register of
// businesses (umkm.Access).
func Access(_ context.Context, _ Allower, p *tenancy.Principal, t *tenancy.Tenant) (View, error) {
	dom := tenancy.TenantDomain(t.Slug)
	var v View
	if p.Roles[dom] == tenancy.RolePetugas {
		v.Wilayah = p.Wilayah[dom]
		if len(v.Wilayah) == 0 {
			v.Wilayah = []string{"-"}
		}
	}
	return v, nil
}

func (v View) arg() []string {
	if len(v.Wilayah) == 0 {
		return nil
	}
	return v.Wilayah
}

// The closed vocabularies of the schema.
var (
	AllJenis    = []string{"galeri", "pojok_umkm", "pasar_mingguan", "bazar", "event", "ritel_modern", "marketplace", "e_katalog", "pojok_hotel", "pojok_rumah_sakit", "pojok_sekolah"}
	AllOperator = []string{"kantor", "koperasi", "mitra", "ritel"}
	AllKadens   = []string{"mingguan", "bulanan"}
	AllStatus   = []string{"rencana", "aktif", "ditutup"}
	AllKategori = []string{"makanan_olahan_rumah", "produk_hewan_olahan", "makanan_siap_saji", "minuman", "kerajinan", "fesyen", "kosmetik", "lainnya"}
	AllKurasi   = []string{StatusDiterima, StatusDitolak, StatusDirujuk, StatusTampil, StatusSelesai}
)

// Curation statuses.
const (
	StatusDiterima = "diterima"
	StatusDitolak  = "ditolak"
	StatusDirujuk  = "dirujuk_legalitas"
	StatusTampil   = "tampil"
	StatusSelesai  = "selesai"
)

// JenisLabel names a kind of point for people.
var JenisLabel = map[string]string{
	"galeri": "Galeri UMKM", "pojok_umkm": "Pojok UMKM", "pasar_mingguan": "Pasar mingguan", "bazar": "Bazar", "event": "Event",
	"ritel_modern": "Ritel modern", "marketplace": "Marketplace", "e_katalog": "E-katalog", "pojok_hotel": "Pojok hotel",
	"pojok_rumah_sakit": "Pojok rumah sakit", "pojok_sekolah": "Pojok sekolah",
}

// OperatorLabel names a kind of operator.
var OperatorLabel = map[string]string{"kantor": "Kantor (dinas)", "koperasi": "Koperasi", "mitra": "Mitra", "ritel": "Peritel"}

// KategoriLabel names a product category.
var KategoriLabel = map[string]string{
	"makanan_olahan_rumah": "Makanan olahan rumah tangga (P-IRT)", "produk_hewan_olahan": "Produk hewan olahan (BPOM MD)",
	"makanan_siap_saji": "Makanan siap saji (laik higiene Dinkes)", "minuman": "Minuman", "kerajinan": "Kerajinan",
	"fesyen": "Fesyen", "kosmetik": "Kosmetik", "lainnya": "Lainnya",
}

// KurasiLabel names a curation status.
var KurasiLabel = map[string]string{
	StatusDiterima: "Diterima", StatusDitolak: "Ditolak", StatusDirujuk: "Dirujuk ke meja legalitas", StatusTampil: "Tampil", StatusSelesai: "Selesai",
}

// DokumenLabel names a document the gate asks for.
var DokumenLabel = map[string]string{
	"nib": "NIB", "pirt": "SPP-IRT (P-IRT)", "bpom_md": "Izin edar BPOM MD", "slhs": "Sertifikat laik higiene sanitasi (Dinkes)",
	"halal": "Sertifikat halal", "bpom_ml": "Izin edar BPOM ML", "hki": "HKI", "sni": "SNI",
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

func (f *fieldErrs) oneOf(name, v string, allowed []string) bool {
	if !slices.Contains(allowed, v) {
		f.add(name, v, apperr.T("Nilai tidak dikenal. Pilih: "+strings.Join(allowed, ", ")+".", "Unknown value. Choose: "+strings.Join(allowed, ", ")+"."))
		return false
	}
	return true
}

// day parses a YYYY-MM-DD.
func (f *fieldErrs) day(name, v string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.add(name, v, apperr.T("Tanggal harus YYYY-MM-DD (tahun 2000–2100).", "Dates are YYYY-MM-DD (years 2000–2100)."))
		return time.Time{}, false
	}
	return d, true
}

// actor is the calling user, for the columns that say who did something.
func actor(ctx context.Context) *uuid.UUID {
	if p, ok := tenancy.PrincipalFrom(ctx); ok {
		return &p.UserID
	}
	return nil
}
