package tenant

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Store reads and writes tenants and their wilayah.
type Store struct {
	DB     *db.DB
	Logger *slog.Logger

	cache sync.Map // slug → cached, for Resolve
}

type cached struct {
	t       Tenant
	expires time.Time
}

// resolveTTL bounds how long a request may act on a tenant that was
// deactivated or renamed meanwhile.
const resolveTTL = 30 * time.Second

// Resolve is BySlug for every request's {tenant}: answered from memory for a
// short while, since tenants change rarely and the lookup is on every call.
// Unknown slugs are not cached (a new tenant appears at once).
func (s *Store) Resolve(ctx context.Context, slug string) (Tenant, error) {
	if v, ok := s.cache.Load(slug); ok && time.Now().Before(v.(cached).expires) {
		return v.(cached).t, nil
	}
	t, err := s.BySlug(ctx, slug)
	if err != nil {
		return Tenant{}, err
	}
	s.cache.Store(slug, cached{t: t, expires: time.Now().Add(resolveTTL)})
	return t, nil
}

// Forget drops slug from the cache: its state changed in this process.
// Other processes see the change within resolveTTL.
func (s *Store) Forget(slug string) { s.cache.Delete(slug) }

// Tenant is a tenant as the API shows it.
type Tenant struct {
	ID             uuid.UUID `json:"id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	Kind           string    `json:"kind" enum:"kota,kabupaten"`
	KemendagriCode string    `json:"kemendagri_code"`
	BPSCode        string    `json:"bps_code"`
	ProvinceCode   string    `json:"province_code"`
	ProvinceName   string    `json:"province_name"`
	Timezone       string    `json:"timezone"`
	Locale         string    `json:"locale"`
	// State is the office's access state (langganan: active, grace,
	// read_only, ...); StateReason says why, StateUntil when it ends by itself.
	State       string     `json:"state" enum:"provisioning,trialing,active,grace,read_only,canceled,offboarding,archived"`
	StateReason string     `json:"state_reason"`
	StateUntil  *time.Time `json:"state_until,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

const tenantColumns = `t.id, t.slug, t.name, t.kind, t.kemendagri_code, coalesce(t.bps_code, ''), t.province_code, p.name,
	t.timezone, t.locale, t.state, t.state_reason, t.state_until, t.created_at`

// fields are t's columns as tenantColumns lists them, to scan into.
func (t *Tenant) fields() []any {
	return []any{&t.ID, &t.Slug, &t.Name, &t.Kind, &t.KemendagriCode, &t.BPSCode, &t.ProvinceCode, &t.ProvinceName,
		&t.Timezone, &t.Locale, &t.State, &t.StateReason, &t.StateUntil, &t.CreatedAt}
}

func scanTenant(row pgx.Row) (Tenant, error) {
	var t Tenant
	err := row.Scan(t.fields()...)
	return t, err
}

// BySlug finds a tenant that is not archived; an unknown or archived slug
// is not found.
func (s *Store) BySlug(ctx context.Context, slug string) (Tenant, error) {
	var t Tenant
	err := s.DB.ReadRow(ctx, `select `+tenantColumns+`
		from tenants t join provinces p on p.code = t.province_code where t.slug = $1 and t.state <> 'archived'`, []any{slug}, t.fields()...)
	return t, db.MapError(err)
}

// Scope returns the tenancy view of t.
func (t Tenant) Scope() *tenancy.Tenant {
	return &tenancy.Tenant{ID: t.ID, Slug: t.Slug, Name: t.Name, ProvinceCode: t.ProvinceCode, TimeZone: t.Timezone, State: t.State,
		StateReason: t.StateReason, StateUntil: deref(t.StateUntil)}
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// Visible narrows a tenant listing to what a caller may know of: all, or the
// tenants named plus those of the provinces named.
type Visible struct {
	All       bool
	Slugs     []string
	Provinces []string
}

// List returns visible tenants by slug after the given slug (keyset).
func (s *Store) List(ctx context.Context, v Visible, after string, limit int) ([]Tenant, error) {
	rows, err := s.DB.Pool.Query(ctx, `select `+tenantColumns+`
		from tenants t join provinces p on p.code = t.province_code
		where t.state <> 'archived' and ($1 or t.slug = any($2) or t.province_code = any($3)) and t.slug > $4
		order by t.slug limit $5`, v.All, v.Slugs, v.Provinces, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Tenant, error) { return scanTenant(r) })
}

// Kecamatan is a kecamatan with its desa/kelurahan.
type Kecamatan struct {
	Kode     string          `json:"kode" example:"32.76.01"`
	Nama     string          `json:"nama" example:"Pancoran Mas"`
	BPSKode  string          `json:"bps_kode,omitempty"`
	Children []DesaKelurahan `json:"desa_kelurahan"`
}

// DesaKelurahan is a desa or kelurahan.
type DesaKelurahan struct {
	Kode    string `json:"kode" example:"32.76.01.1006"`
	Nama    string `json:"nama" example:"Depok"`
	Tipe    Tipe   `json:"tipe" enum:"kelurahan,desa,desa_adat"`
	BPSKode string `json:"bps_kode,omitempty"`
}

// ListWilayah returns a page of kecamatan (by kode, after the given kode)
// with their desa/kelurahan.
func (s *Store) ListWilayah(ctx context.Context, tenantID uuid.UUID, after string, limit int) ([]Kecamatan, error) {
	var out []Kecamatan
	err := s.DB.InTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select k.kode, k.nama, coalesce(k.bps_kode, ''),
				coalesce(jsonb_agg(jsonb_build_object('kode', d.kode, 'nama', d.nama, 'tipe', d.tipe, 'bps_kode', coalesce(d.bps_kode, '')) order by d.kode)
					filter (where d.kode is not null), '[]')
			from wilayah k left join wilayah d on d.tenant_id = k.tenant_id and d.parent_kode = k.kode
			where k.level = 'kecamatan' and k.kode > $1
			group by k.tenant_id, k.kode order by k.kode limit $2`, after, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Kecamatan, error) {
			var k Kecamatan
			var children []byte
			if err := r.Scan(&k.Kode, &k.Nama, &k.BPSKode, &children); err != nil {
				return k, err
			}
			return k, json.Unmarshal(children, &k.Children)
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list wilayah: %w", err)
	}
	return out, nil
}

// SyncResult counts what a sync did per tenant.
type SyncResult struct {
	Slug    string
	ID      uuid.UUID
	Created bool
	Wilayah int
}

// Sync writes the tenants and their wilayah: new ones are created, existing
// ones updated; nothing is deleted (records may point at a region). Settings
// already in the database win over the file's defaults. Idempotent.
func (s *Store) Sync(ctx context.Context, cfgs []Config) ([]SyncResult, error) {
	var out []SyncResult
	for _, c := range cfgs {
		res := SyncResult{Slug: c.Slug}
		settings := c.Settings
		if settings == nil {
			settings = map[string]any{}
		}
		err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `insert into provinces (code, name) values ($1, $2)
				on conflict (code) do update set name = excluded.name where provinces.name <> excluded.name`,
				c.Province.Code, c.Province.Name); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `insert into tenants (id, slug, name, kind, kemendagri_code, bps_code, province_code, timezone, locale, settings)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				on conflict (slug) do update set name = excluded.name, kind = excluded.kind, kemendagri_code = excluded.kemendagri_code,
					bps_code = excluded.bps_code, province_code = excluded.province_code, timezone = excluded.timezone,
					locale = excluded.locale, settings = excluded.settings || tenants.settings, updated_at = now()
				returning id, xmax = 0`,
				uuid.Must(uuid.NewV7()), c.Slug, c.Name, c.Kind, c.KemendagriCode, c.BPSCode, c.Province.Code,
				c.Timezone, c.Locale, settings).Scan(&res.ID, &res.Created)
		})
		if err != nil {
			return out, fmt.Errorf("sync tenant %s: %w", c.Slug, err)
		}
		err = s.DB.InTenantTx(ctx, res.ID, func(tx pgx.Tx) error {
			n, err := upsertWilayah(ctx, tx, res.ID, c.Wilayah)
			res.Wilayah = n
			return err
		})
		if err != nil {
			return out, fmt.Errorf("sync wilayah of %s: %w", c.Slug, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// upsertWilayah writes kecamatan before desa/kelurahan (the parent key) in
// one statement per level.
func upsertWilayah(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, ws []Wilayah) (int, error) {
	total := 0
	for _, level := range []Level{LevelKecamatan, LevelDesaKelurahan} {
		var kode, nama, tipe, parent, bps []*string
		for _, w := range ws {
			if w.Level != level {
				continue
			}
			kode = append(kode, ptr(w.Kode))
			nama = append(nama, ptr(w.Nama))
			tipe = append(tipe, ptr(string(w.Tipe)))
			parent = append(parent, ptr(w.Parent))
			bps = append(bps, ptr(w.BPSKode))
		}
		_, err := tx.Exec(ctx, `insert into wilayah (tenant_id, kode, nama, level, tipe, parent_kode, bps_kode)
			select $1, k, n, $2, t, p, b from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as u(k, n, t, p, b)
			on conflict (tenant_id, kode) do update set nama = excluded.nama, tipe = excluded.tipe,
				parent_kode = excluded.parent_kode, bps_kode = coalesce(excluded.bps_kode, wilayah.bps_kode)
			where (wilayah.nama, wilayah.tipe, wilayah.parent_kode, wilayah.bps_kode)
				is distinct from (excluded.nama, excluded.tipe, excluded.parent_kode, coalesce(excluded.bps_kode, wilayah.bps_kode))`,
			tenantID, string(level), kode, nama, tipe, parent, bps)
		if err != nil {
			return total, err
		}
		total += len(kode)
	}
	return total, nil
}

// ptr turns "" into NULL.
func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
