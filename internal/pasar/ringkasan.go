package pasar

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sentra-id/sentra/internal/tenancy"
)

// KecamatanDaring is one kecamatan's businesses online.
type KecamatanDaring struct {
	Kode        string `json:"kode"`
	Nama        string `json:"nama"`
	UsahaAktif  int    `json:"usaha_aktif" doc:"Businesses with a shop active in the last 90 days."`
	UsahaDaring int    `json:"usaha_daring" doc:"Businesses with any live shop."`
	Toko        int    `json:"toko" doc:"Live shops."`
}

// PeritelRingkas is one retailer's listings.
type PeritelRingkas struct {
	Peritel string `json:"peritel"`
	Usaha   int    `json:"usaha" doc:"Businesses listed."`
	Gerai   int    `json:"gerai" doc:"Outlets, summed over listings."`
	Produk  int    `json:"produk" doc:"Products, summed over listings."`
}

// TahunBelanja is one fiscal year's purchases.
type TahunBelanja struct {
	Tahun    int    `json:"tahun"`
	Jumlah   int    `json:"jumlah"`
	Nilai    int64  `json:"nilai"`
	Anggaran *int64 `json:"anggaran,omitempty"`
	PersenBP *int64 `json:"persen_bp,omitempty"`
}

// RingkasanPasar is the office's businesses in the market at a glance.
type RingkasanPasar struct {
	AktifSejak  string            `json:"aktif_sejak" format:"date" doc:"First day of the 90-day window, in the office's calendar."`
	UsahaAktif  int               `json:"usaha_aktif"`
	UsahaDaring int               `json:"usaha_daring"`
	Kecamatan   []KecamatanDaring `json:"kecamatan" nullable:"false"`
	Ritel       []PeritelRingkas  `json:"ritel" nullable:"false"`
	Belanja     []TahunBelanja    `json:"belanja" nullable:"false"`
}

// Ringkasan answers the summary of the businesses in v (a petugas: their
// regions; the purchases, an office-wide figure, only for everyone else).
func (s *Service) Ringkasan(ctx context.Context, t *tenancy.Tenant, v View) (RingkasanPasar, error) {
	today, err := s.today(t)
	if err != nil {
		return RingkasanPasar{}, err
	}
	sejak := aktifSejak(today)
	r := RingkasanPasar{AktifSejak: sejak.Format("2006-01-02"), Kecamatan: []KecamatanDaring{}, Ritel: []PeritelRingkas{}, Belanja: []TahunBelanja{}}
	err = s.DB.InTenantTx(ctx, t.ID, func(tx pgx.Tx) error {
		// From the shops, not the register: an office has far fewer shops
		// than businesses, and every kecamatan shows, with none or some.
		rows, err := tx.Query(ctx, `select w.kode, w.nama, coalesce(x.aktif, 0), coalesce(x.daring, 0), coalesce(x.toko, 0)
			from wilayah w
			left join (select u.kecamatan_kode, count(distinct d.umkm_id) filter (where d.aktif_terakhir >= $2) aktif,
			                  count(distinct d.umkm_id) daring, count(*) toko
			           from toko_daring d join umkm u on u.id = d.umkm_id
			           where d.archived_at is null and u.archived_at is null`+inView("$1")+`
			           group by u.kecamatan_kode) x on x.kecamatan_kode = w.kode
			where w.level = 'kecamatan' and ($1::text[] is null or w.kode = any($1) or exists (select 1 from unnest($1::text[]) k where k like w.kode || '.%'))
			order by w.kode`, v.arg(), sejak)
		if err != nil {
			return fmt.Errorf("ringkasan daring: %w", err)
		}
		if r.Kecamatan, err = pgx.CollectRows(rows, pgx.RowToStructByPos[KecamatanDaring]); err != nil {
			return err
		}
		// A business is in one kecamatan, so the office's counts are the sums.
		for _, k := range r.Kecamatan {
			r.UsahaAktif += k.UsahaAktif
			r.UsahaDaring += k.UsahaDaring
		}
		rows, err = tx.Query(ctx, `select g.peritel, count(distinct g.umkm_id), sum(g.jumlah_gerai)::bigint, sum(g.jumlah_produk)::bigint
			from gerai_ritel g join umkm u on u.id = g.umkm_id where g.archived_at is null and u.archived_at is null`+inView("$1")+`
			group by g.peritel order by 2 desc, 1`, v.arg())
		if err != nil {
			return fmt.Errorf("ringkasan ritel: %w", err)
		}
		if r.Ritel, err = pgx.CollectRows(rows, pgx.RowToStructByPos[PeritelRingkas]); err != nil {
			return err
		}
		if v.arg() != nil {
			return nil
		}
		rows, err = tx.Query(ctx, `select y.tahun, coalesce(b.jumlah, 0), coalesce(b.nilai, 0), a.nilai
			from (select tahun from anggaran_belanja union
			      select extract(year from tanggal)::int from belanja_pemerintah where archived_at is null) y
			left join (select extract(year from tanggal)::int tahun, count(*)::int jumlah, sum(nilai)::bigint nilai
			           from belanja_pemerintah where archived_at is null group by 1) b on b.tahun = y.tahun
			left join anggaran_belanja a on a.tahun = y.tahun
			order by 1 desc`)
		if err != nil {
			return fmt.Errorf("ringkasan belanja: %w", err)
		}
		r.Belanja, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (TahunBelanja, error) {
			var b TahunBelanja
			if err := row.Scan(&b.Tahun, &b.Jumlah, &b.Nilai, &b.Anggaran); err != nil {
				return b, err
			}
			if b.Anggaran != nil {
				p := share(b.Nilai, *b.Anggaran)
				b.PersenBP = &p
			}
			return b, nil
		})
		return err
	})
	return r, err
}
