package luar

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/audit"
	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/pekerjaan"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// BarisDaftar is one stored row of an agency's list.
type BarisDaftar struct {
	ID            uuid.UUID  `json:"id"`
	AgensiID      uuid.UUID  `json:"agensi_id"`
	AgensiNama    string     `json:"agensi_nama"`
	ProgramNama   string     `json:"program_nama"`
	Jenis         string     `json:"jenis"`
	Tahun         int        `json:"tahun"`
	Status        string     `json:"status" enum:"cocok,belum_cocok,dibuang"`
	CocokOleh     *string    `json:"cocok_oleh,omitempty" enum:"nik,nib,nama,staf" doc:"How it was matched: by the import (nik, nib, nama) or by staff."`
	UMKMID        *uuid.UUID `json:"umkm_id,omitempty"`
	UMKMNama      *string    `json:"umkm_nama,omitempty" doc:"The matched record's business name."`
	NIK           *string    `json:"nik,omitempty" doc:"Masked (3276xxxxxxxx0001)."`
	NIB           *string    `json:"nib,omitempty"`
	NamaUsaha     *string    `json:"nama_usaha,omitempty"`
	NamaPemilik   *string    `json:"nama_pemilik,omitempty" doc:"Masked unless the caller may read personal data."`
	KelurahanKode *string    `json:"kelurahan_kode,omitempty"`
	Kelurahan     *string    `json:"kelurahan,omitempty" doc:"The desa/kelurahan's name."`
	KecamatanKode *string    `json:"kecamatan_kode,omitempty"`
	Keterangan    *string    `json:"keterangan,omitempty" doc:"The list's own status or remark."`
	Baris         *int       `json:"baris,omitempty" doc:"The row in the imported file."`
	PekerjaanID   *uuid.UUID `json:"pekerjaan_id,omitempty" doc:"The import that stored it."`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Filter narrows the rows.
type Filter struct {
	Status      string
	AgensiID    *uuid.UUID
	PekerjaanID *uuid.UUID
	Cursor      string // the last id of the previous page
	Limit       int
}

// Page is a page of rows.
type Page struct {
	Items []BarisDaftar `json:"items" nullable:"false"`
	Next  string        `json:"next,omitempty"`
}

// barisSQL reads rows with the record they matched and their region: the
// record's when matched, the list's kelurahan otherwise.
const barisSQL = `select l.id, l.agensi_id, a.nama, l.program_nama, l.jenis, l.tahun, l.status, l.cocok_oleh, l.umkm_id, u.nama_usaha,
		l.nik_masked, l.nib, l.nama_usaha, l.nama_pemilik, coalesce(u.kelurahan_kode, l.kelurahan_kode), w.nama,
		coalesce(u.kecamatan_kode, w.parent_kode), l.keterangan, l.baris, l.pekerjaan_id, l.updated_at
	from partisipasi_luar l join agensi a on a.id = l.agensi_id
	left join umkm u on u.id = l.umkm_id
	left join wilayah w on w.kode = coalesce(u.kelurahan_kode, l.kelurahan_kode)`

func scanBaris(r pgx.Row) (BarisDaftar, error) {
	var b BarisDaftar
	err := r.Scan(&b.ID, &b.AgensiID, &b.AgensiNama, &b.ProgramNama, &b.Jenis, &b.Tahun, &b.Status, &b.CocokOleh, &b.UMKMID, &b.UMKMNama,
		&b.NIK, &b.NIB, &b.NamaUsaha, &b.NamaPemilik, &b.KelurahanKode, &b.Kelurahan, &b.KecamatanKode, &b.Keterangan, &b.Baris,
		&b.PekerjaanID, &b.UpdatedAt)
	return b, err
}

// mask hides a row's personal data from who may not read it.
func (v View) mask(b *BarisDaftar) {
	if !v.PII && b.NamaPemilik != nil {
		n := pii.Name(*b.NamaPemilik)
		b.NamaPemilik = &n
	}
}

// seen says whether v may see b: a petugas sees rows of their regions and
// rows with no region at all.
func (v View) seen(b BarisDaftar) bool {
	if b.KelurahanKode == nil && b.KecamatanKode == nil {
		return true
	}
	return v.inArea(deref(b.KecamatanKode), deref(b.KelurahanKode))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// List lists rows, newest first, filtered.
func (s *Service) List(ctx context.Context, t *tenancy.Tenant, f Filter, v View) (Page, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := []any{f.Status, f.AgensiID, f.PekerjaanID}
	sql := barisSQL + ` where ($1 = '' or l.status = $1) and ($2::uuid is null or l.agensi_id = $2) and ($3::uuid is null or l.pekerjaan_id = $3)`
	if f.Cursor != "" {
		after, err := uuid.Parse(f.Cursor)
		if err != nil {
			return Page{}, apperr.InvalidField("query.cursor", f.Cursor, apperr.T("Kursor tidak valid.", "Invalid cursor."))
		}
		args = append(args, after)
		sql += ` and l.id < $` + strconv.Itoa(len(args))
	}
	sql += ` order by l.id desc`
	page := Page{Items: []BarisDaftar{}}
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("list partisipasi_luar: %w", err)
		}
		defer rows.Close()
		// A petugas' page is filtered after reading: read until it is full.
		for rows.Next() {
			b, err := scanBaris(rows)
			if err != nil {
				return err
			}
			if !v.seen(b) {
				continue
			}
			if len(page.Items) == f.Limit {
				page.Next = page.Items[len(page.Items)-1].ID.String()
				return nil
			}
			v.mask(&b)
			page.Items = append(page.Items, b)
		}
		return rows.Err()
	})
	return page, err
}

// Get reads one row as v sees it.
func (s *Service) Get(ctx context.Context, t *tenancy.Tenant, id uuid.UUID, v View) (BarisDaftar, error) {
	var b BarisDaftar
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		b, err = getTx(ctx, tx, id, v, false)
		return err
	})
	return b, err
}

func getTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, v View, lock bool) (BarisDaftar, error) {
	sql := barisSQL + ` where l.id = $1`
	if lock {
		sql += ` for update of l`
	}
	b, err := scanBaris(tx.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !v.seen(b)) {
		return BarisDaftar{}, apperr.NotFound()
	}
	if err != nil {
		return BarisDaftar{}, fmt.Errorf("read partisipasi_luar: %w", err)
	}
	v.mask(&b)
	return b, nil
}

var errNotWaiting = apperr.Conflict(apperr.T("Baris ini sudah dicocokkan atau dibuang.", "This row was already matched or discarded."), "")

// Match links an unmatched row to register record umkmID, as staff chose
// (cocok_oleh staf). The record's owner NIK is not copied: the row keeps
// what the list said.
func (s *Service) Match(ctx context.Context, t *tenancy.Tenant, id, umkmID uuid.UUID) (BarisDaftar, error) {
	var after BarisDaftar
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getTx(ctx, tx, id, View{PII: true}, true)
		if err != nil {
			return err
		}
		if before.Status != BelumCocok {
			return errNotWaiting
		}
		var ok bool
		if err := tx.QueryRow(ctx, `select exists (select from umkm where id = $1 and archived_at is null)`, umkmID).Scan(&ok); err != nil {
			return fmt.Errorf("read umkm: %w", err)
		}
		if !ok {
			return apperr.InvalidField("body.umkm_id", umkmID, apperr.T("Data UMKM tidak ditemukan.", "Business not found."))
		}
		if _, err := tx.Exec(ctx, `update partisipasi_luar set status = 'cocok', umkm_id = $2, cocok_oleh = 'staf', updated_at = now()
			where id = $1`, id, umkmID); err != nil {
			return db.MapError(err)
		}
		if after, err = getTx(ctx, tx, id, View{PII: true}, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "match", Entity: "partisipasi_luar", EntityID: id.String(),
			Before: before, After: after})
	})
	return after, err
}

// Discard sets an unmatched row aside (dibuang): the overlap and the
// never-helped then ignore it.
func (s *Service) Discard(ctx context.Context, t *tenancy.Tenant, id uuid.UUID) (BarisDaftar, error) {
	var after BarisDaftar
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		before, err := getTx(ctx, tx, id, View{PII: true}, true)
		if err != nil {
			return err
		}
		if before.Status != BelumCocok {
			return errNotWaiting
		}
		if _, err := tx.Exec(ctx, `update partisipasi_luar set status = 'dibuang', updated_at = now() where id = $1`, id); err != nil {
			return db.MapError(err)
		}
		if after, err = getTx(ctx, tx, id, View{PII: true}, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{TenantID: t.ID, Action: "discard", Entity: "partisipasi_luar", EntityID: id.String(),
			Before: before, After: after})
	})
	return after, err
}

// Imports lists the office's list imports, newest first.
func (s *Service) Imports(ctx context.Context, t *tenancy.Tenant, limit int) ([]pekerjaan.Job, error) {
	var out []pekerjaan.Job
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		out, err = pekerjaan.ListJenis(ctx, tx, JobKind, limit)
		return err
	})
	if out == nil {
		out = []pekerjaan.Job{}
	}
	return out, err
}
