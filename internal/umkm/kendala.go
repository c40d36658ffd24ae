package umkm

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/teks"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Kendala is a constraint a business reported (seed 000: mapping "kendala-
// kendala yang dialami oleh para pelaku UMKM"). It stays open until someone
// marks it resolved; the record's kendala_terbuka lists the categories of
// its open ones.
type Kendala struct {
	ID         uuid.UUID  `json:"id"`
	UMKMID     uuid.UUID  `json:"umkm_id"`
	Kategori   string     `json:"kategori" enum:"permodalan,pemasaran,bahan_baku,legalitas,sdm,teknologi,perizinan,lainnya"`
	Catatan    *string    `json:"catatan,omitempty" doc:"What the owner said, in their words."`
	Dilaporkan string     `json:"dilaporkan" format:"date" doc:"The day it was reported (YYYY-MM-DD, the office's calendar)."`
	Status     string     `json:"status" enum:"terbuka,selesai" doc:"terbuka (open) or selesai (resolved)."`
	SelesaiAt  *time.Time `json:"selesai_at,omitempty" doc:"When it was marked resolved."`
	CreatedAt  time.Time  `json:"created_at"`
}

// Kendala statuses.
const (
	KendalaTerbuka = "terbuka"
	KendalaSelesai = "selesai"
)

// KendalaInput is a constraint as reported.
type KendalaInput struct {
	Kategori   string  `json:"kategori" enum:"permodalan,pemasaran,bahan_baku,legalitas,sdm,teknologi,perizinan,lainnya" doc:"permodalan (capital), pemasaran (marketing), bahan_baku (raw material), legalitas, sdm (people), teknologi, perizinan (permits), lainnya."`
	Catatan    *string `json:"catatan,omitempty" maxLength:"1000" doc:"Free text. Do not write NIK or phone numbers here."`
	Dilaporkan *string `json:"dilaporkan,omitempty" format:"date" doc:"The day it was reported, YYYY-MM-DD; absent means today in the office's time zone. Not in the future."`
}

// KendalaFilter narrows a business's constraints.
type KendalaFilter struct {
	Status string // terbuka, selesai or "" (both)
	Cursor string
	Limit  int
}

// KendalaPage is a page of constraints, newest report first.
type KendalaPage struct {
	Items      []Kendala
	NextCursor string
}

const kendalaCols = `id, umkm_id, kategori, catatan, dilaporkan, selesai_at, created_at`

func scanKendala(row pgx.Row) (Kendala, error) {
	var k Kendala
	var day time.Time
	if err := row.Scan(&k.ID, &k.UMKMID, &k.Kategori, &k.Catatan, &day, &k.SelesaiAt, &k.CreatedAt); err != nil {
		return Kendala{}, err
	}
	k.Dilaporkan = day.Format(time.DateOnly)
	k.Status = KendalaTerbuka
	if k.SelesaiAt != nil {
		k.Status = KendalaSelesai
	}
	return k, nil
}

// KendalaPath is where a constraint lives in the API.
func KendalaPath(tenantSlug string, umkmID, id uuid.UUID) string {
	return Path(tenantSlug, umkmID) + "/kendala/" + id.String()
}

// tenantToday is the current date in the tenant's time zone.
func (s *Service) tenantToday(t *tenancy.Tenant) (time.Time, error) { return t.Today(s.Now()) }

// kendalaRow is a KendalaInput checked and normalised.
type kendalaRow struct {
	kategori   string
	catatan    *string
	dilaporkan time.Time
}

func (s *Service) checkKendala(t *tenancy.Tenant, in KendalaInput) (kendalaRow, error) {
	today, err := s.tenantToday(t)
	if err != nil {
		return kendalaRow{}, err
	}
	f := &fieldErrs{prefix: "body"}
	r := kendalaRow{kategori: in.Kategori, dilaporkan: today}
	if !slices.Contains(KendalaCategories, in.Kategori) {
		f.add("kategori", in.Kategori, apperr.T("Kategori kendala tidak dikenal. Pilih: "+strings.Join(KendalaCategories, ", ")+".",
			"Unknown kind of constraint. Choose: "+strings.Join(KendalaCategories, ", ")+"."))
	}
	if in.Catatan != nil {
		c := strings.TrimSpace(*in.Catatan)
		switch {
		case utf8.RuneCountInString(c) > 1000:
			f.add("catatan", nil, apperr.T("Catatan maksimal 1.000 karakter.", "A note is at most 1,000 characters."))
		case teks.HasControl(c):
			f.add("catatan", nil, apperr.T("Berisi karakter kontrol yang tidak bisa disimpan; ketik ulang teksnya.",
				"Contains a control character that cannot be stored; type the text again."))
		case c != "":
			r.catatan = &c
		}
	}
	if in.Dilaporkan != nil {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(*in.Dilaporkan))
		switch {
		case err != nil:
			f.add("dilaporkan", *in.Dilaporkan, apperr.T("Tanggal harus YYYY-MM-DD.", "Dates are YYYY-MM-DD."))
		case d.After(today):
			f.add("dilaporkan", *in.Dilaporkan, apperr.T("Tanggal lapor tidak boleh setelah hari ini.", "The report date cannot be after today."))
		case d.Year() < 1900:
			f.add("dilaporkan", *in.Dilaporkan, apperr.T("Tanggal lapor tidak masuk akal.", "The report date is not plausible."))
		default:
			r.dilaporkan = d
		}
	}
	if len(f.list) > 0 {
		return r, apperr.Invalid(apperr.T("Data kendala tidak valid. Periksa isian yang disebutkan.", "Invalid constraint. Check the fields listed."), f.list...)
	}
	return r, nil
}

// archivedConflict refuses a write to an archived business.
func archivedConflict(t *tenancy.Tenant, id uuid.UUID) error {
	return apperr.Conflict(apperr.T("UMKM ini sudah diarsipkan.", "This UMKM is archived."), Path(t.Slug, id))
}

// CreateKendalaTx records a constraint of business umkmID in tx, a
// transaction of tenant t, and updates the business's open categories in
// the same transaction. Out of the caller's scope is not found.
func (s *Service) CreateKendalaTx(ctx context.Context, tx pgx.Tx, t *tenancy.Tenant, umkmID uuid.UUID, in KendalaInput, sc Scope) (Kendala, error) {
	r, err := s.checkKendala(t, in)
	if err != nil {
		return Kendala{}, err
	}
	// The record's row lock serialises every write to its constraints, so
	// kendala_terbuka is recomputed from a stable set.
	before, err := getTx(ctx, tx, umkmID, sc, true)
	if err != nil {
		return Kendala{}, err
	}
	if before.ArchivedAt != nil {
		return Kendala{}, archivedConflict(t, umkmID)
	}
	k, err := scanKendala(tx.QueryRow(ctx, `insert into umkm_kendala (tenant_id, id, umkm_id, kategori, catatan, dilaporkan, created_at)
		values ($1, $2, $3, $4, $5, $6, $7) returning `+kendalaCols,
		t.ID, uuid.Must(uuid.NewV7()), umkmID, r.kategori, r.catatan, r.dilaporkan, s.Now()))
	if err != nil {
		return Kendala{}, fmt.Errorf("insert kendala: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "create", Entity: "kendala", EntityID: k.ID.String(), After: k}); err != nil {
		return Kendala{}, err
	}
	_, err = s.refreshKendala(ctx, tx, t.ID, before)
	return k, err
}

// ResolveKendala marks a constraint resolved. It is idempotent: resolving a
// resolved constraint changes nothing and answers it as it is.
func (s *Service) ResolveKendala(ctx context.Context, t *tenancy.Tenant, umkmID, id uuid.UUID, sc Scope) (Kendala, error) {
	var k Kendala
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getTx(ctx, tx, umkmID, sc, true)
		if err != nil {
			return err
		}
		k, err = scanKendala(tx.QueryRow(ctx, `select `+kendalaCols+` from umkm_kendala where id = $1 and umkm_id = $2`, id, umkmID))
		if err != nil {
			return db.MapError(err)
		}
		if k.SelesaiAt != nil {
			return nil
		}
		if before.ArchivedAt != nil {
			return archivedConflict(t, umkmID)
		}
		prev := k
		if k, err = scanKendala(tx.QueryRow(ctx, `update umkm_kendala set selesai_at = $2 where id = $1 returning `+kendalaCols,
			id, s.Now())); err != nil {
			return fmt.Errorf("resolve kendala: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "resolve", Entity: "kendala", EntityID: id.String(), Before: prev, After: k}); err != nil {
			return err
		}
		_, err = s.refreshKendala(ctx, tx, t.ID, before)
		return err
	})
	return k, err
}

// kendalaTerbukaSQL is the sorted, distinct categories of the open
// constraints of the umkm row being updated ("C" order: byte order, as Go
// sorts, whatever the database's collation).
const kendalaTerbukaSQL = `array(select k.kategori from umkm_kendala k
	where k.tenant_id = umkm.tenant_id and k.umkm_id = umkm.id and k.selesai_at is null
	group by k.kategori order by k.kategori collate "C")`

// kendalaSnapshot is what a constraint write changes on its business, for
// the audit log.
type kendalaSnapshot struct {
	KendalaTerbuka []string `json:"kendala_terbuka"`
	Version        int64    `json:"version"`
}

// refreshKendala recomputes before's open categories from its constraints,
// moves its version (the record as shown has changed: a client holding the
// old ETag must reload before it writes) and audits the change. The caller
// holds the record's row lock.
func (s *Service) refreshKendala(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, before Record) (Record, error) {
	after, err := scanRecord(tx.QueryRow(ctx, `update umkm set kendala_terbuka = `+kendalaTerbukaSQL+`,
			updated_at = $2, version = version + 1
		where id = $1 returning `+recordCols, before.ID, s.Now()))
	if err != nil {
		return Record{}, fmt.Errorf("refresh kendala_terbuka: %w", err)
	}
	return after, audit.Record(ctx, tx, audit.Entry{TenantID: tenantID, Action: "update", Entity: "umkm", EntityID: before.ID.String(),
		Before: kendalaSnapshot{before.KendalaTerbuka, before.Version}, After: kendalaSnapshot{after.KendalaTerbuka, after.Version}})
}

// GetKendala returns one constraint of a business.
func (s *Service) GetKendala(ctx context.Context, t *tenancy.Tenant, umkmID, id uuid.UUID, sc Scope) (Kendala, error) {
	var k Kendala
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := umkmVisible(ctx, tx, umkmID, sc); err != nil {
			return err
		}
		var err error
		k, err = scanKendala(tx.QueryRow(ctx, `select `+kendalaCols+` from umkm_kendala where id = $1 and umkm_id = $2`, id, umkmID))
		return db.MapError(err)
	})
	return k, err
}

// umkmVisible reports not found unless business id exists in the caller's
// scope.
func umkmVisible(ctx context.Context, tx pgx.Tx, id uuid.UUID, sc Scope) error {
	var ok bool
	err := tx.QueryRow(ctx, `select true from umkm where id = $1
		and ($2::text[] is null or kecamatan_kode = any($2) or kelurahan_kode = any($2))`, id, sc.sqlArg()).Scan(&ok)
	return db.MapError(err)
}

// ListKendala returns a page of a business's constraints, open and resolved,
// newest report first (ties: newest entry first). A business has few, read
// through (tenant_id, umkm_id); the keyset is (dilaporkan, id).
func (s *Service) ListKendala(ctx context.Context, t *tenancy.Tenant, umkmID uuid.UUID, f KendalaFilter, sc Scope) (KendalaPage, error) {
	after, err := decodeKendalaCursor(f.Cursor)
	if err != nil {
		return KendalaPage{}, err
	}
	var page KendalaPage
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		if err := umkmVisible(ctx, tx, umkmID, sc); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select `+kendalaCols+` from umkm_kendala
			where umkm_id = $1
			  and ($2 = '' or ($2 = 'terbuka') = (selesai_at is null))
			  and ($3::date is null or (dilaporkan, id) < ($3, $4))
			order by dilaporkan desc, id desc limit $5`,
			umkmID, f.Status, after.day, after.id, f.Limit+1)
		if err != nil {
			return fmt.Errorf("list kendala: %w", err)
		}
		page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Kendala, error) { return scanKendala(r) })
		return err
	})
	if err != nil {
		return KendalaPage{}, err
	}
	if len(page.Items) > f.Limit {
		last := page.Items[f.Limit-1]
		page.Items = page.Items[:f.Limit]
		page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(last.Dilaporkan + "|" + last.ID.String()))
	}
	return page, nil
}

type kendalaCursor struct {
	day *time.Time
	id  uuid.UUID
}

var errKendalaCursor = apperr.InvalidField("query.cursor", nil, apperr.T(
	"Cursor tidak valid. Gunakan next_cursor dari halaman sebelumnya.", "Invalid cursor. Use next_cursor from the previous page."))

func decodeKendalaCursor(s string) (kendalaCursor, error) {
	if s == "" {
		return kendalaCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return kendalaCursor{}, errKendalaCursor
	}
	day, id, ok := strings.Cut(string(b), "|")
	d, err1 := time.Parse(time.DateOnly, day)
	u, err2 := uuid.Parse(id)
	if !ok || errors.Join(err1, err2) != nil {
		return kendalaCursor{}, errKendalaCursor
	}
	return kendalaCursor{day: &d, id: u}, nil
}
