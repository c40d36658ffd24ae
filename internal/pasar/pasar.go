// Package pasar is the register's businesses in the market: their
// marketplace shops and modern-retail listings, and the city's own
// purchases from UMKM and cooperatives measured against the 40% share of
// the goods-and-services budget (DOMAIN.md "Marketing points, consignment
// and partnerships", seed 004).
package pasar

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/spreadsheet"
	"github.com/sentra-id/sentra/internal/tenancy"
	"github.com/sentra-id/sentra/internal/umkm"
)

// Service is the office's records of businesses in the market.
type Service struct {
	DB     *db.DB
	Logger *slog.Logger
	Now    func() time.Time
}

// View is the part of the register p works in: a petugas only the
// businesses (and cooperatives) of their regions; nil Wilayah is all.
type View struct {
	Wilayah []string
}

// Access is the same decision as the register's (umkm.Access), shared by
// the API and the pages.
func Access(ctx context.Context, az umkm.Allower, p *tenancy.Principal, t *tenancy.Tenant) (View, error) {
	sc, _, err := umkm.Access(ctx, az, p, t)
	return View{Wilayah: sc.Wilayah}, err
}

func (v View) arg() []string {
	if len(v.Wilayah) == 0 {
		return nil
	}
	return v.Wilayah
}

// AktifHari is the window of "active": the office's today and the 89 days
// before it.
const AktifHari = 90

// Platforms a shop may be on.
var AllPlatform = []string{"shopee", "tokopedia", "grab", "gojek", "tiktok_shop", "bukalapak", "lazada", "lainnya"}

// AllDibinaOleh is who brought a business online.
var AllDibinaOleh = []string{"program", "staf", "mandiri"}

// AllPeritel is the retailers a listing may be with.
var AllPeritel = []string{"indomaret", "alfamart", "lokal"}

// AllSaluran is the channels of a government purchase.
var AllSaluran = []string{"e_katalog_lokal", "toko_daring", "pengadaan_langsung", "lainnya"}

// BatasTokoDaring is the most Toko Daring / Bela Pengadaan takes in one purchase (Rp50 juta).
const BatasTokoDaring int64 = 50_000_000

// TargetBP is the share of the goods-and-services budget due to small
// businesses and cooperatives, in basis points (40%; UU 11/2020 Pasal 97,
// Perpres 12/2021 Pasal 65).
const TargetBP = 4000

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

// text trims a free text and checks it can be stored and exported safely; blank is nil.
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
		if v == "" {
			f.add(name, nil, wajib)
			return
		}
		f.add(name, v, apperr.T("Pilihan tidak dikenal; pilih salah satu: "+strings.Join(allowed, ", ")+".",
			"Unknown choice; pick one of: "+strings.Join(allowed, ", ")+"."))
	}
}

// day parses an optional YYYY-MM-DD that may not be after today; blank is nil.
func (f *fieldErrs) day(name, v string, today time.Time, required bool) *time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			f.add(name, nil, wajib)
		}
		return nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		f.add(name, v, apperr.T("Tanggal harus YYYY-MM-DD (tahun 2000–2100).", "Dates are YYYY-MM-DD (years 2000–2100)."))
		return nil
	}
	if d.After(today) {
		f.add(name, v, apperr.T("Tanggal tidak boleh setelah hari ini.", "The date cannot be after today."))
		return nil
	}
	return &d
}

// Tautan checks a shop's link: an absolute https URL with a host and no
// credentials, so it can only ever be shown as a link to a shop (never
// javascript:, data: or a plain-http page). It answers the link as stored.
func Tautan(s string) (string, *apperr.Text) {
	s = strings.TrimSpace(s)
	bad := func(id, en string) (string, *apperr.Text) { t := apperr.T(id, en); return "", &t }
	if s == "" {
		return "", &wajib
	}
	if len(s) > 500 {
		return bad("Tautan maksimal 500 karakter.", "The link is at most 500 characters.")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '\\' }) {
		return bad("Tautan tidak boleh berisi spasi atau karakter khusus.", "The link cannot contain spaces or special characters.")
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || !strings.HasPrefix(strings.ToLower(s), "https://") {
		return bad("Tautan harus diawali https:// (alamat toko daring).", "The link must start with https:// (the shop's address).")
	}
	if u.User != nil || u.Hostname() == "" || !strings.Contains(u.Hostname(), ".") {
		return bad("Tautan harus alamat toko yang lengkap, tanpa nama pengguna atau sandi.", "The link must be a full shop address, with no user name or password.")
	}
	return "https://" + s[len("https://"):], nil
}

func fmtDay(d *time.Time) *string {
	if d == nil {
		return nil
	}
	s := d.Format(time.DateOnly)
	return &s
}

// today is the office's date now.
func (s *Service) today(t *tenancy.Tenant) (time.Time, error) {
	return t.Today(s.Now())
}

// usahaInView checks that id is a live business of the register in v, as field.
func usahaInView(ctx context.Context, tx pgx.Tx, v View, id uuid.UUID, field string) error {
	var ok bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from umkm where id = $1 and archived_at is null
		and ($2::text[] is null or kecamatan_kode = any($2) or kelurahan_kode = any($2)))`, id, v.arg()).Scan(&ok); err != nil {
		return fmt.Errorf("check umkm: %w", err)
	}
	if !ok {
		return apperr.InvalidField(field, id, apperr.T("UMKM tidak ditemukan di kantor ini atau di wilayah tugas Anda.",
			"No such business in this office or your area."))
	}
	return nil
}

// koperasiInView checks that id is a live cooperative in v, as field.
func koperasiInView(ctx context.Context, tx pgx.Tx, v View, id uuid.UUID, field string) error {
	var ok bool
	if err := tx.QueryRow(ctx, `select exists (select 1 from koperasi where id = $1 and archived_at is null
		and ($2::text[] is null or kecamatan_kode = any($2) or kelurahan_kode = any($2)))`, id, v.arg()).Scan(&ok); err != nil {
		return fmt.Errorf("check koperasi: %w", err)
	}
	if !ok {
		return apperr.InvalidField(field, id, apperr.T("Koperasi tidak ditemukan di kantor ini.", "No such cooperative in this office."))
	}
	return nil
}

// record is what change needs of a row: whether it is archived, and its version.
type record interface{ state() (*time.Time, int64) }

func (x Toko) state() (*time.Time, int64)    { return x.ArchivedAt, x.Version }
func (x Gerai) state() (*time.Time, int64)   { return x.ArchivedAt, x.Version }
func (x Belanja) state() (*time.Time, int64) { return x.ArchivedAt, x.Version }

// change runs a versioned write of one live row of table (write nil:
// archive it) in a tenant transaction, with its audit entry; get reads the
// row as the caller may see it.
func change[T record](ctx context.Context, s *Service, t *tenancy.Tenant, table string, id uuid.UUID, version int64,
	get func(tx pgx.Tx, forUpdate bool) (T, error), write func(tx pgx.Tx, before T) error) (T, error) {
	var x T
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := get(tx, true)
		if err != nil {
			return err
		}
		archived, have := before.state()
		if err := versionOK(archived, have, version); err != nil {
			return err
		}
		action := "update"
		if write == nil {
			action = "archive"
			if _, err := tx.Exec(ctx, `update `+table+` set archived_at = $2, version = version + 1, updated_at = $2 where id = $1`, id, s.Now()); err != nil {
				return fmt.Errorf("archive %s: %w", table, err)
			}
		} else if err := write(tx, before); err != nil {
			return err
		}
		if x, err = get(tx, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: action, Entity: table, EntityID: id.String(), Before: before, After: x})
	})
	return x, err
}

// versionOK refuses a stale version (0: any) and a row already archived.
func versionOK(archived *time.Time, have, want int64) error {
	if archived != nil {
		return apperr.Conflict(apperr.T("Data sudah diarsipkan.", "The record is archived."), "")
	}
	if want != 0 && have != want {
		return apperr.PreconditionFailed()
	}
	return nil
}
