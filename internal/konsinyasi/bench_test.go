package konsinyasi_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// BenchmarkDasbor and BenchmarkStok read an office with 50 points of 20
// listings each, two years of weekly reports per listing (104.000
// movements) and an open alert on every fifth point.
func seedBesar(b *testing.B) *bundle {
	b.Helper()
	bd := setup(b)
	ctx := context.Background()
	if err := bd.inTx(bd.depok, func(tx pgx.Tx) error {
		for _, sql := range []string{
			`insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			 values ($1, '00000000-0000-0000-0000-000000000001', 'Siti', 'Anyaman Siti', 'kriya', 'staf', '32.76.01', '32.76.01.1006')`,
			`insert into produk (tenant_id, id, umkm_id, nama, kategori, harga)
			 select $1, ('00000000-0000-0000-0001-' || lpad(i::text, 12, '0'))::uuid, '00000000-0000-0000-0000-000000000001', 'Produk ' || i, 'kerajinan', 85000
			 from generate_series(1, 20) i`,
			`insert into titik (tenant_id, id, jenis, nama, operator_jenis, operator_nama, dijaga, lapor_kadens)
			 select $1, ('00000000-0000-0000-0002-' || lpad(i::text, 12, '0'))::uuid, 'galeri', 'Galeri ' || i, 'mitra', 'Mitra ' || (i % 7), true, 'mingguan'
			 from generate_series(1, 50) i`,
			`insert into titik_kurasi (tenant_id, id, titik_id, umkm_id, produk_id, status, aturan_kategori, aturan_versi, tanggal_putusan, tampil_mulai)
			 select $1, ('00000000-0000-0003-' || lpad(t::text, 4, '0') || '-' || lpad(p::text, 12, '0'))::uuid,
			        ('00000000-0000-0000-0002-' || lpad(t::text, 12, '0'))::uuid, '00000000-0000-0000-0000-000000000001',
			        ('00000000-0000-0000-0001-' || lpad(p::text, 12, '0'))::uuid, 'tampil', 'kerajinan', 1, '2024-12-01', '2024-12-01'
			 from generate_series(1, 50) t, generate_series(1, 20) p`,
			`insert into konsinyasi (tenant_id, kurasi_id, titik_id, komisi_bp, diterima, terjual, bruto, komisi, lapor_sampai, opname_terakhir)
			 select $1, id, titik_id, 1000, 1000, 520, 44200000, 4420000, '2026-11-29', case when random() < 0.5 then date '2026-11-01' end
			 from titik_kurasi where tenant_id = $1`,
			`insert into konsinyasi_gerak (tenant_id, id, kurasi_id, jenis, tanggal, jumlah, periode_mulai, periode_selesai, bruto, komisi, sumber)
			 select $1, gen_random_uuid(), k.kurasi_id, 'jual', date '2024-12-02' + w * 7 + 7, 5, date '2024-12-02' + w * 7, date '2024-12-02' + w * 7 + 6, 425000, 42500, 'mandiri'
			 from konsinyasi k, generate_series(0, 103) w where k.tenant_id = $1`,
			`insert into konsinyasi_terlambat (tenant_id, titik_id, periode_mulai, periode_selesai)
			 select $1, id, '2026-11-23', '2026-11-29' from titik where tenant_id = $1 and nama ~ '[05]$'`,
		} {
			if _, err := tx.Exec(ctx, sql, bd.depok.ID); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return bd
}

func BenchmarkKonsinyasiBaca(b *testing.B) {
	bd := seedBesar(b)
	ctx := context.Background()
	titik := mustUUID("00000000-0000-0000-0002-000000000017")
	kurasi := mustUUID("00000000-0000-0003-0017-000000000005")
	b.Run("Dasbor", func(b *testing.B) {
		for b.Loop() {
			if d, err := bd.svc.Dasbor(ctx, bd.depok); err != nil || len(d) != 7 {
				b.Fatal(err, len(d))
			}
		}
	})
	b.Run("Stok", func(b *testing.B) {
		for b.Loop() {
			if s, err := bd.svc.Stok(ctx, bd.depok, titik); err != nil || len(s) != 20 {
				b.Fatal(err, len(s))
			}
		}
	})
	b.Run("Buku", func(b *testing.B) {
		for b.Loop() {
			if r, err := bd.svc.Get(ctx, bd.depok, titik, kurasi); err != nil || len(r.Gerak) != 104 {
				b.Fatal(err, len(r.Gerak))
			}
		}
	})
}
