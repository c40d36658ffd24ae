package tumpang

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/keyset"
	"github.com/sentra-id/sentra/internal/pii"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Filter narrows the never-helped list with the register's filters.
type Filter struct {
	Kecamatan    string
	Kelurahan    string
	Sektor       string
	Skala        string // computed size (skala_hitung), as the register filters
	JenisKelamin string
	StatusBinaan string
	Cursor       string
	Limit        int
}

// Usaha is a registered business never helped, as the invitation list
// shows it: no NIK, phone or address (the record page has them for those
// who may read them).
type Usaha struct {
	ID            uuid.UUID `json:"id"`
	NamaUsaha     string    `json:"nama_usaha"`
	NamaPemilik   string    `json:"nama_pemilik" doc:"Masked unless the caller may read personal data."`
	KecamatanKode string    `json:"kecamatan_kode"`
	Kecamatan     string    `json:"kecamatan"`
	KelurahanKode string    `json:"kelurahan_kode"`
	Kelurahan     string    `json:"kelurahan"`
	Sektor        string    `json:"sektor"`
	Skala         *string   `json:"skala,omitempty"`
	JenisKelamin  *string   `json:"jenis_kelamin,omitempty"`
	StatusBinaan  string    `json:"status_binaan"`
	Terdaftar     time.Time `json:"terdaftar" doc:"When the business was registered; the list starts with those waiting longest."`
	telepon       string    // masked; the invitation export's only
}

// Page is a page of the never-helped, oldest registered first.
type Page struct {
	Items      []Usaha
	NextCursor string
}

// Jumlah is the never-helped count of one region, with the registered
// businesses there (the share is what the map colours).
type Jumlah struct {
	Kode       string `json:"kode"`
	Nama       string `json:"nama"`
	Level      string `json:"level" enum:"kecamatan,desa_kelurahan"`
	ParentKode string `json:"parent_kode,omitempty"`
	Belum      int    `json:"belum_pernah" doc:"Registered businesses never helped."`
	Terdaftar  int    `json:"terdaftar" doc:"Registered businesses (live records) matching the same filters."`
}

var (
	skalaNilai  = []string{"mikro", "kecil", "menengah", "besar"}
	kelamin     = []string{"L", "P"}
	binaanNilai = []string{"binaan", "bukan_binaan"}
)

// where builds the conditions on u (umkm) for f and v, with args.
func (f Filter) where(v View) ([]string, []any, error) {
	var fields []apperr.Field
	check := func(name, val string, allowed []string) {
		if val != "" && !slices.Contains(allowed, val) {
			fields = append(fields, apperr.Field{Location: "query." + name, Value: val, Message: apperr.T(
				"Nilai tidak dikenal. Pilih: "+strings.Join(allowed, ", ")+".", "Unknown value. Choose: "+strings.Join(allowed, ", ")+".")})
		}
	}
	check("skala", f.Skala, skalaNilai)
	check("jenis_kelamin", f.JenisKelamin, kelamin)
	check("status_binaan", f.StatusBinaan, binaanNilai)
	if len(fields) > 0 {
		return nil, nil, apperr.Invalid(apperr.T("Filter tidak valid.", "Invalid filter."), fields...)
	}
	where := []string{"u.archived_at is null"}
	var args []any
	eq := func(col, val string) {
		if val != "" {
			args = append(args, val)
			where = append(where, fmt.Sprintf("u.%s = $%d", col, len(args)))
		}
	}
	eq("kecamatan_kode", f.Kecamatan)
	eq("kelurahan_kode", f.Kelurahan)
	eq("sektor", f.Sektor)
	eq("skala_hitung", f.Skala)
	eq("jenis_kelamin", f.JenisKelamin)
	eq("status_binaan", f.StatusBinaan)
	if len(v.Wilayah) > 0 {
		args = append(args, v.Wilayah)
		where = append(where, fmt.Sprintf("(u.kecamatan_kode = any($%d) or u.kelurahan_kode = any($%d))", len(args), len(args)))
	}
	return where, args, nil
}

// BelumPernah lists registered businesses with no participation of any
// kind, oldest registered first (ids are UUIDv7, so id order is
// registration order), so the office invites those who waited longest.
// A kecamatan's page walks umkm_kecamatan_idx in id order and probes the
// participation indexes per business: a page costs its rows plus those
// skipped because they were helped.
func (s *Service) BelumPernah(ctx context.Context, t *tenancy.Tenant, f Filter, v View) (Page, error) {
	var page Page
	err := s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		var err error
		page, err = belumTx(ctx, tx, f, v)
		return err
	})
	return page, err
}

// belumTx is BelumPernah in tx (the export walks every page in its job's
// transaction).
func belumTx(ctx context.Context, tx pgx.Tx, f Filter, v View) (Page, error) {
	where, args, err := f.where(v)
	if err != nil {
		return Page{}, err
	}
	cur, err := keyset.Decode(f.Cursor)
	if err != nil {
		return Page{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if cur != nil {
		args = append(args, cur.ID)
		where = append(where, fmt.Sprintf("u.id > $%d", len(args)))
	}
	args = append(args, f.Limit+1)
	sql := `select u.id, u.nama_usaha, u.nama_pemilik, u.kecamatan_kode, coalesce(kc.nama, ''), u.kelurahan_kode, coalesce(kl.nama, ''),
		u.sektor, u.skala_hitung, u.jenis_kelamin, u.status_binaan, u.created_at, coalesce(u.telepon, '')
		from umkm u
		left join wilayah kc on kc.kode = u.kecamatan_kode
		left join wilayah kl on kl.kode = u.kelurahan_kode
		where ` + strings.Join(where, " and ") + ` and ` + belumDibantu + fmt.Sprintf(` order by u.id limit $%d`, len(args))
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list belum pernah: %w", err)
	}
	var page Page
	page.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Usaha, error) {
		var u Usaha
		err := r.Scan(&u.ID, &u.NamaUsaha, &u.NamaPemilik, &u.KecamatanKode, &u.Kecamatan, &u.KelurahanKode, &u.Kelurahan,
			&u.Sektor, &u.Skala, &u.JenisKelamin, &u.StatusBinaan, &u.Terdaftar, &u.telepon)
		return u, err
	})
	if err != nil {
		return Page{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = keyset.Encode(keyset.Cursor{ID: page.Items[f.Limit-1].ID})
	}
	for i := range page.Items {
		// The phone is for the invitation export only, and masked there.
		page.Items[i].telepon = pii.Phone(page.Items[i].telepon)
		if !v.PII {
			page.Items[i].NamaPemilik = pii.Name(page.Items[i].NamaPemilik)
		}
	}
	return page, nil
}

// JumlahBelumPernah counts the never-helped per kecamatan and per
// desa/kelurahan under the same filters (cursor and limit aside), with the
// registered businesses there. Regions without businesses are left out.
func (s *Service) JumlahBelumPernah(ctx context.Context, t *tenancy.Tenant, f Filter, v View) ([]Jumlah, error) {
	where, args, err := f.where(v)
	if err != nil {
		return nil, err
	}
	// The never-helped are a second scan in WHERE, not a FILTER on the
	// first: only there do belumDibantu's probes become anti joins, which
	// hash the participations once instead of probing four indexes per
	// business (bench program, 150.000 businesses: 3,6 s to 1,7 s for the
	// office, on a loaded machine).
	cond := strings.Join(where, " and ")
	sql := `with s as (
			select u.kecamatan_kode, u.kelurahan_kode, 1 as terdaftar, 0 as belum from umkm u where ` + cond + `
			union all
			select u.kecamatan_kode, u.kelurahan_kode, 0, 1 from umkm u where ` + cond + ` and ` + belumDibantu + `),
		n as (
			select s.kecamatan_kode, s.kelurahan_kode, sum(s.terdaftar) as terdaftar, sum(s.belum) as belum from s
			group by grouping sets ((s.kecamatan_kode), (s.kecamatan_kode, s.kelurahan_kode)))
		select w.kode, w.nama, w.level, coalesce(w.parent_kode, ''), n.belum, n.terdaftar
		from n join wilayah w on w.kode = coalesce(n.kelurahan_kode, n.kecamatan_kode)
		order by coalesce(w.parent_kode, w.kode), w.parent_kode nulls first, w.kode`
	var out []Jumlah
	err = s.DB.ReadTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("count belum pernah: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Jumlah, error) {
			var j Jumlah
			err := r.Scan(&j.Kode, &j.Nama, &j.Level, &j.ParentKode, &j.Belum, &j.Terdaftar)
			return j, err
		})
		return err
	})
	return out, err
}
