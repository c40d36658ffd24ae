package umkm

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/apperr"
	"github.com/sentra-id/sentra/internal/tenancy"
)

// Pemetaan is the map of open constraints over a tenant's regions (seed
// 000: a database per kelurahan and kecamatan first, then "pemetaan, terkait
// kendala-kendala yang dialami oleh para pelaku UMKM"). It holds counts
// only: no name, NIK, phone or address.
type Pemetaan struct {
	Kategori  []string            `json:"kategori" doc:"The categories counted, in the order offices list them."`
	Total     PemetaanAngka       `json:"total"`
	Kecamatan []PemetaanKecamatan `json:"kecamatan" nullable:"false"`
}

// PemetaanAngka are the figures of one region (or of the whole tenant).
type PemetaanAngka struct {
	Kendala     int            `json:"kendala" doc:"Open constraints."`
	UMKM        int            `json:"umkm" doc:"Live businesses with at least one open constraint."`
	PerKategori map[string]int `json:"per_kategori" doc:"Open constraints by category; every category is present, 0 when none."`
}

// PemetaanKecamatan is one kecamatan with its desa/kelurahan.
type PemetaanKecamatan struct {
	Kode string `json:"kode"`
	Nama string `json:"nama"`
	PemetaanAngka
	Kelurahan []PemetaanKelurahan `json:"kelurahan" nullable:"false"`
}

// PemetaanKelurahan is one desa or kelurahan.
type PemetaanKelurahan struct {
	Kode string `json:"kode"`
	Nama string `json:"nama"`
	PemetaanAngka
}

func newAngka() PemetaanAngka {
	a := PemetaanAngka{PerKategori: make(map[string]int, len(KendalaCategories))}
	for _, k := range KendalaCategories {
		a.PerKategori[k] = 0
	}
	return a
}

func (a *PemetaanAngka) add(b PemetaanAngka) {
	a.Kendala += b.Kendala
	a.UMKM += b.UMKM
	for k, n := range b.PerKategori {
		a.PerKategori[k] += n
	}
}

// pemetaanSQL counts open constraints of live businesses per desa/kelurahan
// and category, and per desa/kelurahan alone (for the businesses: one with
// two open categories counts once). It reads umkm only for its region and
// whether it is archived, never a personal field.
//
// Cost: one pass over the tenant's OPEN constraints (umkm_kendala_terbuka_idx,
// index-only) joined to their businesses, grouped once; it grows with the
// number of open constraints, not with the page a user looks at. At 150.000
// businesses with 60.000 open constraints it takes about 0.3–0.5 s. When
// dashboards read it often, this moves to a rollup table kept by the
// constraint writes (or a periodic job); the response shape stays.
//
// Kecamatan and tenant totals are sums of the kelurahan rows: each business
// lies in exactly one kelurahan, so even the distinct business counts add up
// exactly, and grouping the two coarser levels in SQL as well would only
// double the sorting.
const pemetaanSQL = `select u.kecamatan_kode, u.kelurahan_kode, coalesce(k.kategori, ''),
		count(*)::int, count(distinct k.umkm_id)::int
	from umkm_kendala k
	join umkm u on u.tenant_id = k.tenant_id and u.id = k.umkm_id
	where k.selesai_at is null and u.archived_at is null
	  and ($1 = '' or u.kecamatan_kode = $1)
	  and ($2::text[] is null or u.kecamatan_kode = any($2) or u.kelurahan_kode = any($2))
	group by grouping sets ((u.kecamatan_kode, u.kelurahan_kode, k.kategori), (u.kecamatan_kode, u.kelurahan_kode))`

// Pemetaan maps the tenant's open constraints by kecamatan and
// desa/kelurahan (only kecamatan, when given), with every region of the
// caller's scope listed, those without open constraints at 0.
func (s *Service) Pemetaan(ctx context.Context, t *tenancy.Tenant, kecamatan string, sc Scope) (Pemetaan, error) {
	var out Pemetaan
	err := s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		w, err := s.wilayah.Get(ctx, tx, t.ID, false)
		if err != nil {
			return err
		}
		if r, ok := w.ByKode[kecamatan]; kecamatan != "" && (!ok || r.Level != "kecamatan") {
			if w, err = s.wilayah.Get(ctx, tx, t.ID, true); err != nil {
				return err
			}
			if r, ok := w.ByKode[kecamatan]; !ok || r.Level != "kecamatan" {
				return apperr.InvalidField("query.kecamatan", kecamatan, apperr.T(
					"Kecamatan tidak ditemukan di wilayah kantor ini.", "Kecamatan not found in this office's regions."))
			}
		}
		counts := map[string]PemetaanAngka{} // kelurahan → figures
		rows, err := tx.Query(ctx, pemetaanSQL, kecamatan, sc.sqlArg())
		if err != nil {
			return fmt.Errorf("pemetaan kendala: %w", err)
		}
		var kec, kel, kategori string
		var n, umkm int
		if _, err := pgx.ForEachRow(rows, []any{&kec, &kel, &kategori, &n, &umkm}, func() error {
			a, ok := counts[kel]
			if !ok {
				a = newAngka()
			}
			if kategori == "" { // the (kecamatan, kelurahan) grouping set
				a.Kendala, a.UMKM = n, umkm
			} else {
				a.PerKategori[kategori] = n
			}
			counts[kel] = a
			return nil
		}); err != nil {
			return fmt.Errorf("pemetaan kendala: %w", err)
		}
		for kel := range counts {
			if _, ok := w.ByKode[kel]; !ok { // regions synced since the index was loaded
				if w, err = s.wilayah.Get(ctx, tx, t.ID, true); err != nil {
					return err
				}
				break
			}
		}
		out = buildPemetaan(w, counts, kecamatan, sc)
		return nil
	})
	return out, err
}

// buildPemetaan lays the counts out over the regions in scope, in code
// order, summing kelurahan into kecamatan and kecamatan into the total.
func buildPemetaan(w *wilayahIndex, counts map[string]PemetaanAngka, kecamatan string, sc Scope) Pemetaan {
	out := Pemetaan{Kategori: slices.Clone(KendalaCategories), Total: newAngka(), Kecamatan: []PemetaanKecamatan{}}
	var kelurahan []string
	for kode, r := range w.ByKode {
		if r.Level == "desa_kelurahan" && (kecamatan == "" || r.Parent == kecamatan) && sc.allows(r.Parent, kode) {
			kelurahan = append(kelurahan, kode)
		}
	}
	slices.Sort(kelurahan)
	for _, kode := range kelurahan {
		parent := w.ByKode[kode].Parent
		if n := len(out.Kecamatan); n == 0 || out.Kecamatan[n-1].Kode != parent {
			out.Kecamatan = append(out.Kecamatan, PemetaanKecamatan{Kode: parent, Nama: w.ByKode[parent].Nama,
				PemetaanAngka: newAngka(), Kelurahan: []PemetaanKelurahan{}})
		}
		a, ok := counts[kode]
		if !ok {
			a = newAngka()
		}
		k := &out.Kecamatan[len(out.Kecamatan)-1]
		k.Kelurahan = append(k.Kelurahan, PemetaanKelurahan{Kode: kode, Nama: w.ByKode[kode].Nama, PemetaanAngka: a})
		k.add(a)
		out.Total.add(a)
	}
	return out
}
