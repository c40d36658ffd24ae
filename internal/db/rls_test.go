package db_test

// These tests hold the tenant isolation invariants of ARCHITECTURE.md
// ("Tenant isolation: the invariants") against the real, migrated schema,
// connected as the application role. They read the catalogue, so a table
// added by a future migration is checked without anyone remembering to.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sentra-id/sentra/internal/db"
	"github.com/sentra-id/sentra/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// factories insert one valid row of a tenant-owned table for tenantID, in
// tx (which may be scoped to another tenant, or to none: the tests use that
// to prove the insert is refused).
//
// Every tenant-owned table (every table in schema public with a tenant_id
// column) MUST have a factory here: TestTenantIsolation fails for a table
// without one, so a new tenant table cannot ship without its isolation being
// exercised. Insert the smallest valid row; keys must not repeat (use seq).
// Rows the new row points at belong in parents, not in the factory: the
// factory must write to its own table only.
var factories = map[string]func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error{
	"wilayah": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		n := seq.Add(1)
		_, err := tx.Exec(ctx, `insert into wilayah (tenant_id, kode, nama, level) values ($1, $2, $3, 'kecamatan')`,
			tenantID, fmt.Sprintf("99.%02d.%02d", n/100%100, n%100), fmt.Sprintf("Kecamatan Uji %d", n))
		return err
	},
	"audit_log": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into audit_log (tenant_id, id, action, entity, entity_id) values ($1, $2, 'create', 'test', 'x')`,
			tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"idempotency_keys": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into idempotency_keys (tenant_id, user_id, key, operation, request_hash, status, response)
			values ($1, $2, $3, 'create-test', '\x00', 201, '{}')`, tenantID, uuid.New(), uuid.NewString())
		return err
	},
	"umkm": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'Siti', 'Warung Uji', 'kuliner', 'staf', $3, $4)`, tenantID, uuid.Must(uuid.NewV7()), parentKecamatan, parentKelurahan)
		return err
	},
	"umkm_kata": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into umkm_kata (tenant_id, kata) values ($1, $2)`, tenantID, fmt.Sprintf("kata%d", seq.Add(1)))
		return err
	},
	"umkm_kendala": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into umkm_kendala (tenant_id, id, umkm_id, kategori, dilaporkan) values ($1, $2, $3, 'pemasaran', current_date)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "umkm"))
		return err
	},
	"umkm_riwayat": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into umkm_riwayat (tenant_id, umkm_id, dicatat_at, sumber) values ($1, $2, now() + make_interval(secs => $3), 'staf')`,
			tenantID, parentID(tenantID, "umkm"), seq.Add(1))
		return err
	},
	"berkas": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into berkas (tenant_id, id, nama, jenis_isi, ukuran, isi) values ($1, $2, 'uji.csv', 'text/csv', 0, '')`,
			tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"pekerjaan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into pekerjaan (tenant_id, id, jenis, status) values ($1, $2, 'impor_umkm', 'antri')`,
			tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"impor_chunk": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into impor_chunk (tenant_id, pekerjaan_id, baris_akhir, hasil) values ($1, $2, $3, '{}')`,
			tenantID, parentID(tenantID, "pekerjaan"), seq.Add(1))
		return err
	},
	"registrasi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into registrasi (tenant_id, id, kode_lacak, status, data) values ($1, $2, $3, 'menunggu', '{}')`,
			tenantID, uuid.Must(uuid.NewV7()), fmt.Sprintf("UJI-%d", seq.Add(1)))
		return err
	},
	"koperasi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, kelompok, kecamatan_kode, kelurahan_kode)
			values ($1, $2, 'KSU Uji', 'ksu', $3, $4)`, tenantID, uuid.Must(uuid.NewV7()), parentKecamatan, parentKelurahan)
		return err
	},
	"koperasi_pengurus": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_pengurus (tenant_id, id, koperasi_id, nama, jabatan) values ($1, $2, $3, 'Ani', 'ketua')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "koperasi"))
		return err
	},
	"koperasi_unit": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_unit (tenant_id, id, koperasi_id, jenis_unit) values ($1, $2, $3, 'toko')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "koperasi"))
		return err
	},
	"koperasi_unit_volume": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_unit_volume (tenant_id, unit_id, tahun, volume) values ($1, $2, $3, 1000000)`,
			tenantID, parentID(tenantID, "koperasi_unit"), 1950+seq.Add(1)%150)
		return err
	},
	"koperasi_unit_porsi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_unit_porsi (tenant_id, unit_id, tahun, persen) values ($1, $2, $3, 100)`,
			tenantID, parentID(tenantID, "koperasi_unit"), 1950+seq.Add(1)%150)
		return err
	},
	"koperasi_rat": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_rat (tenant_id, koperasi_id, tahun, tanggal) values ($1, $2, $3, current_date)`,
			tenantID, parentID(tenantID, "koperasi"), 1950+seq.Add(1)%150)
		return err
	},
	"koperasi_kesehatan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_kesehatan (tenant_id, id, koperasi_id, regime, tahun, skor, skor_total, predikat)
			values ($1, $2, $3, 'permenkop_9_2020', $4, '{}', 80, 'sehat')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "koperasi"), 2000+seq.Add(1)%100)
		return err
	},
	"koperasi_anggota_umkm": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into koperasi_anggota_umkm (tenant_id, koperasi_id, umkm_id) values ($1, $2, $3)`,
			tenantID, parentID(tenantID, fmt.Sprintf("koperasi-%d", seq.Add(1)%anggotaParents)), parentID(tenantID, "umkm"))
		return err
	},
	"reklasifikasi_kampanye": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into reklasifikasi_kampanye (tenant_id, id, status, kebijakan) values ($1, $2, 'selesai', '{}')`,
			tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"reklasifikasi_usulan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into reklasifikasi_usulan (tenant_id, id, kampanye_id, koperasi_id, hasil) values ($1, $2, $3, $4, 'perlu_data')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "reklasifikasi_kampanye"), parentID(tenantID, fmt.Sprintf("koperasi-%d", seq.Add(1)%anggotaParents)))
		return err
	},
	// Rollups (dashboards): counts only, with the province of their tenant.
	"dasbor_angka": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into dasbor_angka (tenant_id, province_code, tingkat, wilayah_kode, dimensi, nilai, jumlah)
			values ($1, (select province_code from tenants where id = $1), 0, '', 'umkm.sektor', $2, 3)`, tenantID, fmt.Sprintf("uji%d", seq.Add(1)))
		return err
	},
	"dasbor_wilayah": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		n := seq.Add(1)
		_, err := tx.Exec(ctx, `insert into dasbor_wilayah (tenant_id, province_code, kode, nama_wilayah, tingkat)
			values ($1, (select province_code from tenants where id = $1), $2, 'Kecamatan Uji', 1)`, tenantID, fmt.Sprintf("97.%02d.%02d", n/100%100, n%100))
		return err
	},
	"tenant_billing": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into tenant_billing (tenant_id, trial_until) values ($1, now() + interval '30 days')`, tenantID)
		return err
	},
	"invoices": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into invoices (tenant_id, id, stripe_invoice_id, status, amount_due_idr, due_at)
			values ($1, $2, $3, 'open', 36000000, now() + interval '30 days')`, tenantID, uuid.Must(uuid.NewV7()), fmt.Sprintf("in_uji_%d", seq.Add(1)))
		return err
	},
	"pengingat": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into pengingat (tenant_id, jenis, ambang, sampai, penerima) values ($1, 'uji_coba_berakhir', 7, current_date + $2::int, 1)`,
			tenantID, seq.Add(1))
		return err
	},
	"undangan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into undangan (tenant_id, id, token_hash, email, name, role, expires_at)
			values ($1, $2, sha256($3::bytea), 'uji@kantor.test', 'Uji', 'admin', now() + interval '7 days')`,
			tenantID, uuid.Must(uuid.NewV7()), []byte(uuid.NewString()))
		return err
	},
	"bundel_potongan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into bundel_potongan (tenant_id, pekerjaan_id, no, isi) values ($1, $2, $3, '\x504b')`,
			tenantID, parentID(tenantID, "pekerjaan"), seq.Add(1))
		return err
	},
	"dasbor_penyegaran": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into dasbor_penyegaran (tenant_id, province_code, dihitung_at, durasi_ms, baris_diubah)
			values ($1, (select province_code from tenants where id = $1), now() + make_interval(secs => $2), 1, 0)`, tenantID, seq.Add(1))
		return err
	},
	"skema_dana_ubah": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into skema_dana_ubah (tenant_id, kode, berlaku_mulai, aturan, alasan) values ($1, 'kredit_mesra', date '2000-01-01' + $2::int, '{}', 'uji')`,
			tenantID, seq.Add(1))
		return err
	},
	"pengajuan_dana": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into pengajuan_dana (tenant_id, id, skema_kode, skema_berlaku, jenis, umkm_id, plafon, tahap)
			values ($1, $2, 'kur', '2023-01-01', 'kur', $3, 5000000, 'dirujuk')`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "umkm"))
		return err
	},
	"pengajuan_dana_anggota": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into pengajuan_dana_anggota (tenant_id, pengajuan_id, umkm_id, plafon) values ($1, $2, $3, 1000000)`,
			tenantID, parentID(tenantID, fmt.Sprintf("pengajuan-%d", seq.Add(1)%anggotaParents)), parentID(tenantID, "umkm"))
		return err
	},
	"pengajuan_dana_tahap": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into pengajuan_dana_tahap (tenant_id, pengajuan_id, no, tahap, mulai_at) values ($1, $2, $3, 'diajukan', now())`,
			tenantID, parentID(tenantID, "pengajuan-0"), seq.Add(1))
		return err
	},
	"pengajuan_dana_berkas": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		n := seq.Add(1)
		_, err := tx.Exec(ctx, `insert into pengajuan_dana_berkas (tenant_id, id, pengajuan_id, jenis) values ($1, $2, $3, 'berkas_' || $4::int)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, fmt.Sprintf("pengajuan-%d", n%anggotaParents)), n)
		return err
	},
	"klaim_subsidi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klaim_subsidi (tenant_id, id, bank, bulan, jumlah, baris, status) values ($1, $2, 'bjb', '2025-01-01', 1000, 1, 'diajukan')`,
			tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"subsidi_bunga": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into subsidi_bunga (tenant_id, id, pengajuan_id, bulan, pokok, bunga, subsidi_bp, subsidi, debitur)
			values ($1, $2, $3, date '2000-01-01' + make_interval(months => $4::int), 5000000, 100, 9000, 90, 10)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "pengajuan-0"), seq.Add(1))
		return err
	},
	"subsidi_pagu": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into subsidi_pagu (tenant_id, tahun) values ($1, $2)`, tenantID, 2000+seq.Add(1)%100)
		return err
	},
	"agensi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, $3, 'opd')`,
			tenantID, uuid.Must(uuid.NewV7()), fmt.Sprintf("Dinas Uji %d", seq.Add(1)))
		return err
	},
	"program": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into program (tenant_id, id, nama, jenis, agensi_id, tahun, sumber_dana, satuan, kuota)
			values ($1, $2, 'Pelatihan Uji', 'pelatihan', $3, 2026, 'apbd', 'orang', 20)`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "agensi"))
		return err
	},
	"program_aturan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into program_aturan (tenant_id, program_id, versi, aturan) values ($1, $2, $3, '[]')`,
			tenantID, parentID(tenantID, "program"), seq.Add(1))
		return err
	},
	"program_sesi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into program_sesi (tenant_id, id, program_id, judul, tanggal) values ($1, $2, $3, 'Sesi Uji', current_date)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "program"))
		return err
	},
	"peserta": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into peserta (tenant_id, id, program_id, jenis_pemohon, koperasi_id) values ($1, $2, $3, 'koperasi', $4)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "program"), parentID(tenantID, fmt.Sprintf("koperasi-%d", seq.Add(1)%anggotaParents)))
		return err
	},
	"peserta_hadir": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into peserta_hadir (tenant_id, program_id, sesi_id, peserta_id) values ($1, $2, $3, $4)`,
			tenantID, parentID(tenantID, "program"), parentID(tenantID, fmt.Sprintf("program_sesi-%d", seq.Add(1)%anggotaParents)), parentID(tenantID, "peserta"))
		return err
	},
	"bast_barang": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into bast_barang (tenant_id, id, program_id, peserta_id, nomor_bast, tanggal, nama_barang, jumlah, satuan, harga_satuan)
			values ($1, $2, $3, $4, 'BAST/1', current_date, 'Etalase', 1, 'unit', 1500000)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "program"), parentID(tenantID, "peserta"))
		return err
	},
	"partisipasi_luar": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into partisipasi_luar (tenant_id, id, agensi_id, program_nama, jenis, tahun, nama_usaha)
			values ($1, $2, $3, 'Pelatihan Baznas', 'pelatihan', 2025, 'Warung Uji')`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "agensi"))
		return err
	},
	"tumpang_izin": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into tumpang_izin (tenant_id, peserta_id, alasan, jumlah) values ($1, $2, 'Pelatihan lanjutan, bukan ulangan', 1)`,
			tenantID, parentID(tenantID, fmt.Sprintf("peserta-%d", seq.Add(1)%anggotaParents)))
		return err
	},
	// A shared participant list comes with its own export job.
	"program_ekspor": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		job := uuid.Must(uuid.NewV7())
		if _, err := tx.Exec(ctx, `insert into pekerjaan (tenant_id, id, jenis, status) values ($1, $2, 'ekspor_peserta', 'antri')`, tenantID, job); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `insert into program_ekspor (tenant_id, id, program_id, agensi_id, tujuan, pekerjaan_id, format, nik_penuh, oleh)
			values ($1, $2, $3, $4, 'Verifikasi calon penerima bantuan', $5, 'csv', false, $6)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "program"), parentID(tenantID, "agensi"), job, uuid.New())
		return err
	},
	"titik": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into titik (tenant_id, id, jenis, nama, operator_jenis, dijaga, lapor_kadens)
			values ($1, $2, 'marketplace', 'Toko Daring Uji', 'kantor', false, 'bulanan')`, tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"produk": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into produk (tenant_id, id, umkm_id, nama, kategori, harga) values ($1, $2, $3, 'Keripik Uji', 'makanan_olahan_rumah', 15000)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "umkm"))
		return err
	},
	"produk_foto": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into produk_foto (tenant_id, id, produk_id, tipe, ukuran, isi) values ($1, $2, $3, 'image/png', 4, '\x89504e47')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "produk"))
		return err
	},
	"titik_kurasi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into titik_kurasi (tenant_id, id, titik_id, umkm_id, produk_id, status, aturan_kategori, aturan_versi, tanggal_putusan, alasan)
			values ($1, $2, $3, $4, $5, 'ditolak', 'kerajinan', 1, current_date, 'Uji')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "titik"), parentID(tenantID, "umkm"), parentID(tenantID, "produk"))
		return err
	},
	// Partnerships: partners, agreements, their duties, evaluations and reminders.
	"kemitraan_mitra": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into kemitraan_mitra (tenant_id, id, jenis, nama) values ($1, $2, 'hotel', 'Hotel Uji')`, tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"kemitraan_perjanjian": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into kemitraan_perjanjian (tenant_id, id, mitra_id, jenis, judul, mulai, berakhir)
			values ($1, $2, $3, 'mou', 'MoU Uji', '2026-01-01', '2027-01-01')`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "kemitraan_mitra"))
		return err
	},
	"kemitraan_tugas": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into kemitraan_tugas (tenant_id, id, perjanjian_id, judul, jatuh_tempo) values ($1, $2, $3, 'Laporan', '2026-02-05')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "kemitraan_perjanjian"))
		return err
	},
	"kemitraan_evaluasi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into kemitraan_evaluasi (tenant_id, id, perjanjian_id, tanggal, hasil) values ($1, $2, $3, '2026-06-01', 'Baik')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "kemitraan_perjanjian"))
		return err
	},
	"kemitraan_pengingat": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into kemitraan_pengingat (tenant_id, id, perjanjian_id, jenis, hari, pesan)
			values ($1, $2, $3, 'akan_berakhir', date '2026-01-01' + $4::int, 'Segera berakhir')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "kemitraan_perjanjian"), int(seq.Add(1)%1000))
		return err
	},
	"klinik_layanan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klinik_layanan (tenant_id, id, kode, nama) values ($1, $2, $3, 'Layanan Uji')`,
			tenantID, uuid.Must(uuid.NewV7()), fmt.Sprintf("uji_%d", seq.Add(1)))
		return err
	},
	"klinik_konsultan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klinik_konsultan (tenant_id, id, nama, slot_menit, kuota_harian) values ($1, $2, 'Konsultan Uji', 60, 4)`,
			tenantID, uuid.Must(uuid.NewV7()))
		return err
	},
	"klinik_konsultan_layanan": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klinik_konsultan_layanan (tenant_id, konsultan_id, layanan_id) values ($1, $2, $3)`,
			tenantID, parentID(tenantID, "klinik_konsultan"), parentID(tenantID, fmt.Sprintf("klinik_layanan-%d", seq.Add(1)%anggotaParents)))
		return err
	},
	"klinik_jadwal": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		n := seq.Add(1)
		_, err := tx.Exec(ctx, `insert into klinik_jadwal (tenant_id, konsultan_id, hari, mulai, selesai, tempat)
			values ($1, $2, $3, make_time($4, $5, 0), make_time($4, $5, 30), 'Sentra UMKM')`,
			tenantID, parentID(tenantID, "klinik_konsultan"), n%7+1, n/60%24, n%60)
		return err
	},
	"klinik_tiket": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klinik_tiket (tenant_id, id, kode, saluran, nama, layanan_id, pertanyaan)
			values ($1, $2, $3, 'walk_in', 'Siti', $4, 'Apa itu NIB?')`,
			tenantID, uuid.Must(uuid.NewV7()), fmt.Sprintf("KUJ-%d", seq.Add(1)), parentID(tenantID, "klinik_layanan"))
		return err
	},
	"klinik_hasil": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klinik_hasil (tenant_id, id, tiket_id, jenis, catatan) values ($1, $2, $3, 'nasihat', 'Daftar OSS')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "klinik_tiket-0"))
		return err
	},
	"klinik_skm": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into klinik_skm (tenant_id, tiket_id, u1, tanggal) values ($1, $2, 4, current_date)`,
			tenantID, parentID(tenantID, fmt.Sprintf("klinik_tiket-%d", seq.Add(1)%anggotaParents)))
		return err
	},
	"toko_daring": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into toko_daring (tenant_id, id, umkm_id, platform, tautan, dibina_oleh)
			values ($1, $2, $3, 'shopee', 'https://shopee.co.id/uji', 'program')`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "umkm"))
		return err
	},
	"gerai_ritel": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into gerai_ritel (tenant_id, id, umkm_id, peritel, jumlah_gerai, jumlah_produk)
			values ($1, $2, $3, 'indomaret', 24, 6)`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "umkm"))
		return err
	},
	"belanja_pemerintah": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into belanja_pemerintah (tenant_id, id, opd, saluran, tanggal, nilai, umkm_id)
			values ($1, $2, 'Dinas Pendidikan', 'toko_daring', '2026-02-03', 50000000, $3)`, tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "umkm"))
		return err
	},
	"anggaran_belanja": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into anggaran_belanja (tenant_id, tahun, nilai) values ($1, $2, 1000000000)`, tenantID, 2000+seq.Add(1)%100)
		return err
	},
	"konsinyasi": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into konsinyasi (tenant_id, kurasi_id, titik_id, komisi_bp) values ($1, $2, $3, 1000)`,
			tenantID, parentID(tenantID, fmt.Sprintf("kurasi-%d", seq.Add(1)%anggotaParents)), parentID(tenantID, "titik"))
		return err
	},
	"konsinyasi_gerak": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into konsinyasi_gerak (tenant_id, id, kurasi_id, jenis, tanggal, jumlah) values ($1, $2, $3, 'terima', current_date, 5)`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "kurasi-0"))
		return err
	},
	"konsinyasi_bayar": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into konsinyasi_bayar (tenant_id, id, kurasi_id, jumlah, tanggal, nomor_bukti) values ($1, $2, $3, 1000, current_date, 'TRF-UJI')`,
			tenantID, uuid.Must(uuid.NewV7()), parentID(tenantID, "kurasi-0"))
		return err
	},
	"konsinyasi_terlambat": func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
		_, err := tx.Exec(ctx, `insert into konsinyasi_terlambat (tenant_id, titik_id, periode_mulai, periode_selesai)
			values ($1, $2, date '2020-01-01' + $3::int * 7, date '2020-01-01' + $3::int * 7 + 6)`,
			tenantID, parentID(tenantID, "titik"), seq.Add(1))
		return err
	},
}

// parents write, as the tenant itself, the rows a table's factory points at
// (in other tables only), once per tenant.
var parents = map[string]func(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error{
	"umkm":            wilayahParents,
	"umkm_kendala":    umkmParent,
	"umkm_riwayat":    umkmParent,
	"impor_chunk":     pekerjaanParent,
	"bundel_potongan": pekerjaanParent,

	"koperasi":              wilayahParents,
	"koperasi_pengurus":     koperasiParent,
	"koperasi_unit":         koperasiParent,
	"koperasi_unit_volume":  unitParent,
	"koperasi_unit_porsi":   unitParent,
	"koperasi_rat":          koperasiParent,
	"koperasi_kesehatan":    koperasiParent,
	"koperasi_anggota_umkm": koperasiUMKMParents,
	"reklasifikasi_usulan":  kampanyeParents,

	"program":        agensiParent,
	"program_aturan": programParent,
	"program_sesi":   programParent,
	"peserta":        pesertaParents,
	"peserta_hadir":  hadirParents,
	"bast_barang":    bastParents,

	"pengajuan_dana":         umkmParent,
	"pengajuan_dana_anggota": pengajuanParents,
	"pengajuan_dana_tahap":   pengajuanParents,
	"pengajuan_dana_berkas":  pengajuanParents,
	"subsidi_bunga":          pengajuanParents,
	"partisipasi_luar":       agensiParent,
	"tumpang_izin":           izinParents,
	"program_ekspor":         programParent,

	"produk":       umkmParent,
	"produk_foto":  produkParent,
	"titik_kurasi": kurasiParents,

	"kemitraan_perjanjian": kemitraanMitraParent,
	"kemitraan_tugas":      kemitraanPerjanjianParent,
	"kemitraan_evaluasi":   kemitraanPerjanjianParent,
	"kemitraan_pengingat":  kemitraanPerjanjianParent,

	"klinik_tiket":             klinikLayananParent,
	"klinik_konsultan_layanan": klinikLayananParents,
	"klinik_jadwal":            klinikLayananParents,
	"klinik_hasil":             klinikLayananParents,
	"klinik_skm":               klinikLayananParents,

	"toko_daring":          umkmParent,
	"gerai_ritel":          umkmParent,
	"belanja_pemerintah":   umkmParent,
	"konsinyasi":           konsinyasiKurasiParents,
	"konsinyasi_gerak":     konsinyasiParent,
	"konsinyasi_bayar":     konsinyasiParent,
	"konsinyasi_terlambat": kurasiParents,
}

// konsinyasiKurasiParents writes a point and anggotaParents listings of a
// product at it, for ledgers keyed by listing.
func konsinyasiKurasiParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := kurasiParents(ctx, tx, tenantID); err != nil {
		return err
	}
	for i := range anggotaParents {
		if _, err := tx.Exec(ctx, `insert into titik_kurasi (tenant_id, id, titik_id, umkm_id, produk_id, status, aturan_kategori, aturan_versi, tanggal_putusan, alasan)
			values ($1, $2, $3, $4, $5, 'ditolak', 'kerajinan', 1, current_date, 'Induk')`,
			tenantID, parentID(tenantID, fmt.Sprintf("kurasi-%d", i)), parentID(tenantID, "titik"), parentID(tenantID, "umkm"), parentID(tenantID, "produk")); err != nil {
			return err
		}
	}
	return nil
}

// konsinyasiParent writes one listing's ledger (kurasi-0).
func konsinyasiParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := konsinyasiKurasiParents(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into konsinyasi (tenant_id, kurasi_id, titik_id, komisi_bp, diterima, bruto) values ($1, $2, $3, 1000, 1000000, 1000000000)`,
		tenantID, parentID(tenantID, "kurasi-0"), parentID(tenantID, "titik"))
	return err
}

// produkParent writes one UMKM and a product of it.
func produkParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := umkmParent(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into produk (tenant_id, id, umkm_id, nama, kategori, harga) values ($1, $2, $3, 'Produk Induk', 'kerajinan', 50000)`,
		tenantID, parentID(tenantID, "produk"), parentID(tenantID, "umkm"))
	return err
}

// kurasiParents writes a product and a marketing point.
func kurasiParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := produkParent(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into titik (tenant_id, id, jenis, nama, operator_jenis, dijaga, lapor_kadens)
		values ($1, $2, 'galeri', 'Galeri Induk', 'kantor', true, 'bulanan')`, tenantID, parentID(tenantID, "titik"))
	return err
}

func klinikLayananParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `insert into klinik_layanan (tenant_id, id, kode, nama) values ($1, $2, 'induk', 'Layanan Induk')`,
		tenantID, parentID(tenantID, "klinik_layanan"))
	return err
}

// klinikLayananParents writes anggotaParents service areas, a consultant,
// and anggotaParents tickets (one survey per ticket).
func klinikLayananParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := klinikLayananParent(ctx, tx, tenantID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `insert into klinik_konsultan (tenant_id, id, nama, slot_menit, kuota_harian) values ($1, $2, 'Konsultan Induk', 60, 4)`,
		tenantID, parentID(tenantID, "klinik_konsultan")); err != nil {
		return err
	}
	for i := range anggotaParents {
		if _, err := tx.Exec(ctx, `insert into klinik_layanan (tenant_id, id, kode, nama) values ($1, $2, $3, 'Layanan Induk')`,
			tenantID, parentID(tenantID, fmt.Sprintf("klinik_layanan-%d", i)), fmt.Sprintf("induk_%d", i)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into klinik_tiket (tenant_id, id, kode, saluran, nama, layanan_id, pertanyaan, status)
			values ($1, $2, $3, 'walk_in', 'Siti', $4, 'Apa itu NIB?', 'selesai')`,
			tenantID, parentID(tenantID, fmt.Sprintf("klinik_tiket-%d", i)), fmt.Sprintf("KIN-%d", i), parentID(tenantID, "klinik_layanan")); err != nil {
			return err
		}
	}
	return nil
}

// izinParents writes a programme and anggotaParents participants (one
// override per participant).
func izinParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := pesertaParents(ctx, tx, tenantID); err != nil {
		return err
	}
	for i := range anggotaParents {
		if _, err := tx.Exec(ctx, `insert into peserta (tenant_id, id, program_id, jenis_pemohon, koperasi_id) values ($1, $2, $3, 'koperasi', $4)`,
			tenantID, parentID(tenantID, fmt.Sprintf("peserta-%d", i)), parentID(tenantID, "program"),
			parentID(tenantID, fmt.Sprintf("koperasi-%d", i))); err != nil {
			return err
		}
	}
	return nil
}

// pengajuanParents writes one UMKM and anggotaParents funding
// applications of it.
func pengajuanParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := umkmParent(ctx, tx, tenantID); err != nil {
		return err
	}
	for i := range anggotaParents {
		if _, err := tx.Exec(ctx, `insert into pengajuan_dana (tenant_id, id, skema_kode, skema_berlaku, jenis, umkm_id, plafon, tahap)
			values ($1, $2, 'kur', '2023-01-01', 'kur', $3, 5000000, 'dirujuk')`,
			tenantID, parentID(tenantID, fmt.Sprintf("pengajuan-%d", i)), parentID(tenantID, "umkm")); err != nil {
			return err
		}
	}
	return nil
}

func agensiParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `insert into agensi (tenant_id, id, nama, jenis) values ($1, $2, 'Dinas Induk', 'kantor')`,
		tenantID, parentID(tenantID, "agensi"))
	return err
}

func programParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := agensiParent(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into program (tenant_id, id, nama, jenis, agensi_id, tahun, sumber_dana, satuan, kuota)
		values ($1, $2, 'Program Induk', 'pelatihan', $3, 2026, 'apbd', 'orang', 20)`, tenantID, parentID(tenantID, "program"), parentID(tenantID, "agensi"))
	return err
}

// pesertaParents writes a programme and anggotaParents cooperatives (one
// live participation per cooperative and programme).
func pesertaParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := wilayahParents(ctx, tx, tenantID); err != nil {
		return err
	}
	if err := programParent(ctx, tx, tenantID); err != nil {
		return err
	}
	return koperasiParents(ctx, tx, tenantID)
}

// hadirParents writes a programme, one participant and anggotaParents
// sessions.
func hadirParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := bastParents(ctx, tx, tenantID); err != nil {
		return err
	}
	for i := range anggotaParents {
		if _, err := tx.Exec(ctx, `insert into program_sesi (tenant_id, id, program_id, judul, tanggal) values ($1, $2, $3, 'Sesi Induk', current_date)`,
			tenantID, parentID(tenantID, fmt.Sprintf("program_sesi-%d", i)), parentID(tenantID, "program")); err != nil {
			return err
		}
	}
	return nil
}

// bastParents writes a programme and one participant (a cooperative).
func bastParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := koperasiParent(ctx, tx, tenantID); err != nil {
		return err
	}
	if err := programParent(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into peserta (tenant_id, id, program_id, jenis_pemohon, koperasi_id) values ($1, $2, $3, 'koperasi', $4)`,
		tenantID, parentID(tenantID, "peserta"), parentID(tenantID, "program"), parentID(tenantID, "koperasi"))
	return err
}

// anggotaParents is how many cooperatives the tables keyed by (cooperative,
// other parent) spread their rows over: more than any test seeds per tenant.
const anggotaParents = 16

func koperasiParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := wilayahParents(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, kecamatan_kode, kelurahan_kode) values ($1, $2, 'Koperasi Induk', $3, $4)`,
		tenantID, parentID(tenantID, "koperasi"), parentKecamatan, parentKelurahan)
	return err
}

func unitParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := koperasiParent(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into koperasi_unit (tenant_id, id, koperasi_id, jenis_unit) values ($1, $2, $3, 'toko')`,
		tenantID, parentID(tenantID, "koperasi_unit"), parentID(tenantID, "koperasi"))
	return err
}

// koperasiUMKMParents writes one UMKM and anggotaParents cooperatives.
func koperasiUMKMParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := umkmParent(ctx, tx, tenantID); err != nil {
		return err
	}
	return koperasiParents(ctx, tx, tenantID)
}

// koperasiParents writes anggotaParents cooperatives (their regions first).
func koperasiParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	for i := range anggotaParents {
		if _, err := tx.Exec(ctx, `insert into koperasi (tenant_id, id, nama, kecamatan_kode, kelurahan_kode) values ($1, $2, $3, $4, $5)`,
			tenantID, parentID(tenantID, fmt.Sprintf("koperasi-%d", i)), fmt.Sprintf("Koperasi Induk %d", i), parentKecamatan, parentKelurahan); err != nil {
			return err
		}
	}
	return nil
}

func kampanyeParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := koperasiUMKMParents(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into reklasifikasi_kampanye (tenant_id, id, status, kebijakan) values ($1, $2, 'berjalan', '{}')`,
		tenantID, parentID(tenantID, "reklasifikasi_kampanye"))
	return err
}

func pekerjaanParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `insert into pekerjaan (tenant_id, id, jenis, status) values ($1, $2, 'impor_umkm', 'antri')`,
		tenantID, parentID(tenantID, "pekerjaan"))
	return err
}

const parentKecamatan, parentKelurahan = "98.01.01", "98.01.01.1001"

// parentID is the id of a tenant's parent row of a kind.
func parentID(tenantID uuid.UUID, kind string) uuid.UUID { return uuid.NewSHA1(tenantID, []byte(kind)) }

func kemitraanMitraParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `insert into kemitraan_mitra (tenant_id, id, jenis, nama) values ($1, $2, 'sekolah', 'Sekolah Induk')`,
		tenantID, parentID(tenantID, "kemitraan_mitra"))
	return err
}

func kemitraanPerjanjianParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := kemitraanMitraParent(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into kemitraan_perjanjian (tenant_id, id, mitra_id, jenis, judul, mulai, berakhir)
		values ($1, $2, $3, 'pks', 'PKS Induk', '2026-01-01', '2027-01-01')`, tenantID, parentID(tenantID, "kemitraan_perjanjian"), parentID(tenantID, "kemitraan_mitra"))
	return err
}

func wilayahParents(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `insert into wilayah (tenant_id, kode, nama, level, tipe, parent_kode) values
		($1, $2, 'Kecamatan Induk', 'kecamatan', null, null), ($1, $3, 'Kelurahan Induk', 'desa_kelurahan', 'kelurahan', $2)`,
		tenantID, parentKecamatan, parentKelurahan)
	return err
}

func umkmParent(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	if err := wilayahParents(ctx, tx, tenantID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `insert into umkm (tenant_id, id, nama_pemilik, nama_usaha, sektor, sumber, kecamatan_kode, kelurahan_kode)
		values ($1, $2, 'Budi', 'Usaha Induk', 'kuliner', 'staf', $3, $4)`, tenantID, parentID(tenantID, "umkm"), parentKecamatan, parentKelurahan)
	return err
}

// singleRow are the tenant-owned tables with one row per tenant at most
// (keyed by tenant_id alone): seeded with one row whatever is asked.
var singleRow = map[string]bool{"tenant_billing": true}

// seed writes the parents of table and n rows of it for tenant, as tenant.
func seed(t *testing.T, d *db.DB, table string, tenant uuid.UUID, n int) {
	t.Helper()
	if singleRow[table] {
		n = min(n, 1)
	}
	insert, ok := factories[table]
	if !ok {
		t.Fatalf("tenant-owned table %s has no factory in internal/db/rls_test.go: add one, so its isolation is tested", table)
	}
	err := d.InTenantTx(t.Context(), tenant, func(tx pgx.Tx) error {
		if p := parents[table]; p != nil {
			if err := p(t.Context(), tx, tenant); err != nil {
				return fmt.Errorf("parents: %w", err)
			}
		}
		for range n {
			if err := insert(t.Context(), tx, tenant); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("insert into %s as its own tenant: %v", table, err)
	}
}

var seq atomic.Int64

// newTenant inserts a tenant (platform table: no RLS, writable by the app
// role with no tenant set) and returns its id.
func newTenant(t *testing.T, d *db.DB, slug string) uuid.UUID { return dbtest.NewTenant(t, d, slug).ID }

// adminConn connects as the superuser, to look behind RLS at what was
// really written.
func adminConn(t *testing.T, env *dbtest.Env) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), env.Admin)
	if err != nil {
		t.Fatalf("connect as superuser: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// tenantTables lists every table in schema public with a tenant_id column.
func tenantTables(t *testing.T, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) []string {
	t.Helper()
	rows, err := q.Query(t.Context(), `select c.relname from pg_class c
		join pg_namespace n on n.oid = c.relnamespace
		join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
		where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`)
	if err != nil {
		t.Fatalf("list tenant tables: %v", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("list tenant tables: %v", err)
	}
	if len(names) == 0 {
		t.Fatal("no tenant-owned tables found: the catalogue query is wrong")
	}
	return names
}

// The one predicate every tenant policy must have, as PostgreSQL deparses it.
const tenantPredicate = `(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)`

// The predicate of the one extra policy a rollup table has: province
// transactions read (never write) the rows of their province.
const provincePredicate = `(province_code = NULLIF(current_setting('app.province_code'::text, true), ''::text))`

// isRollup reports whether a tenant table is a rollup of the dashboards:
// only these may be read by a province transaction.
func isRollup(table string) bool { return strings.HasPrefix(table, "dasbor_") }

// predicateIsTenantScoped accepts the tenant predicate alone or ANDed with
// more conditions (which can only narrow it). pg_get_expr parenthesises
// fully, so "((pred) AND ..." can only be a top-level AND.
func predicateIsTenantScoped(expr string) bool {
	return expr == tenantPredicate || strings.HasPrefix(expr, "("+tenantPredicate+" AND ")
}

func TestTenantTablesForceRowLevelSecurityWithTenantPolicies(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	for _, table := range tenantTables(t, env.DB.Pool) {
		t.Run(table, func(t *testing.T) {
			var enabled, forced bool
			if err := env.DB.Pool.QueryRow(ctx, `select relrowsecurity, relforcerowsecurity from pg_class
				where oid = ('public.' || quote_ident($1))::regclass`, table).Scan(&enabled, &forced); err != nil {
				t.Fatal(err)
			}
			if !enabled || !forced {
				t.Errorf("row level security enabled=%v forced=%v, want both (ENABLE and FORCE ROW LEVEL SECURITY)", enabled, forced)
			}

			rows, err := env.DB.Pool.Query(ctx, `select policyname, permissive, cmd, qual, with_check
				from pg_policies where schemaname = 'public' and tablename = $1`, table)
			if err != nil {
				t.Fatal(err)
			}
			type policy struct {
				Name, Permissive, Cmd string
				Qual, WithCheck       *string
			}
			policies, err := pgx.CollectRows(rows, pgx.RowToStructByPos[policy])
			if err != nil {
				t.Fatal(err)
			}
			if len(policies) == 0 {
				t.Fatal("no policy: with RLS forced the table is unusable, without it open to all")
			}
			var full, provinceRead bool
			for _, p := range policies {
				// A rollup's province policy: permissive, SELECT only, exactly
				// the province predicate. Anything else about it (a write, a
				// widened predicate, another table) fails below like any
				// policy that is not tenant-scoped.
				if isRollup(table) && p.Permissive == "PERMISSIVE" && p.Cmd == "SELECT" && p.WithCheck == nil &&
					p.Qual != nil && *p.Qual == provincePredicate {
					provinceRead = true
					continue
				}
				for what, expr := range map[string]*string{"USING": p.Qual, "WITH CHECK": p.WithCheck} {
					if expr == nil {
						continue
					}
					if !strings.Contains(*expr, "current_setting('app.tenant_id'") || !strings.Contains(*expr, "NULLIF(") {
						t.Errorf("policy %s %s %s does not use nullif(current_setting('app.tenant_id', true), '')", p.Name, what, *expr)
					} else if p.Permissive == "PERMISSIVE" && !predicateIsTenantScoped(*expr) {
						// Permissive policies are ORed: any widening (e.g. "... OR true") opens every tenant.
						t.Errorf("permissive policy %s %s = %s, want %s (optionally AND more)", p.Name, what, *expr, tenantPredicate)
					}
				}
				if p.Cmd == "ALL" && p.Qual != nil && p.WithCheck != nil {
					full = true
				}
			}
			if !full {
				t.Errorf("no policy FOR ALL with both USING and WITH CHECK (%d policies)", len(policies))
			}
			if isRollup(table) && !provinceRead {
				t.Errorf("rollup table without the province read policy USING %s FOR SELECT", provincePredicate)
			}
		})
	}
}

func TestTenantIDLeadsEveryKeyAndForeignKey(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	for _, table := range tenantTables(t, env.DB.Pool) {
		t.Run(table, func(t *testing.T) {
			var rel uint32
			var tenantAtt int16
			if err := env.DB.Pool.QueryRow(ctx, `select c.oid, a.attnum from pg_class c
				join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
				where c.oid = ('public.' || quote_ident($1))::regclass`, table).Scan(&rel, &tenantAtt); err != nil {
				t.Fatal(err)
			}

			// Primary key, unique and exclusion constraints, and unique
			// indexes not declared as constraints.
			rows, err := env.DB.Pool.Query(ctx, `select indexrelid::regclass::text, indkey[0], indisprimary
				from pg_index where indrelid = $1 and indisunique
				union all
				select conname, conkey[1], false from pg_constraint where conrelid = $1 and contype = 'x'`, rel)
			if err != nil {
				t.Fatal(err)
			}
			var havePK bool
			var name string
			var first int16
			var primary bool
			if _, err := pgx.ForEachRow(rows, []any{&name, &first, &primary}, func() error {
				havePK = havePK || primary
				if first != tenantAtt {
					t.Errorf("unique index/constraint %s does not start with tenant_id", name)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !havePK {
				t.Error("no primary key")
			}

			// Foreign keys: tenant_id first on both sides, so a row can only
			// point at a row of its own tenant (or at its tenant itself).
			rows, err = env.DB.Pool.Query(ctx, `select con.conname, con.conkey, con.confrelid::regclass::text, con.confkey,
					coalesce((select attnum from pg_attribute where attrelid = con.confrelid and attname = 'tenant_id' and not attisdropped), 0),
					coalesce((select attnum from pg_attribute where attrelid = con.confrelid and attname = 'id' and not attisdropped), 0)
				from pg_constraint con where con.conrelid = $1 and con.contype = 'f'`, rel)
			if err != nil {
				t.Fatal(err)
			}
			var conkey, confkey []int16
			var target string
			var targetTenant, targetID int16
			if _, err := pgx.ForEachRow(rows, []any{&name, &conkey, &target, &confkey, &targetTenant, &targetID}, func() error {
				switch {
				case conkey[0] != tenantAtt:
					t.Errorf("foreign key %s does not start with tenant_id", name)
				case target == "tenants":
					if len(confkey) != 1 || confkey[0] != targetID {
						t.Errorf("foreign key %s to tenants must be (tenant_id) references tenants (id)", name)
					}
				case targetTenant == 0:
					t.Errorf("foreign key %s references %s, which is neither tenants nor tenant-owned", name, target)
				case confkey[0] != targetTenant:
					t.Errorf("foreign key %s references %s without tenant_id first", name, target)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAppRoleOwnsNothingAndCannotBypassRLS(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	var super, bypass, isApp bool
	if err := env.DB.Pool.QueryRow(ctx, `select rolsuper, rolbypassrls, current_user = $1 from pg_roles where rolname = $1`,
		db.AppRole).Scan(&super, &bypass, &isApp); err != nil {
		t.Fatalf("read role %s: %v", db.AppRole, err)
	}
	if !isApp {
		t.Fatalf("env.DB is not connected as %s", db.AppRole)
	}
	if super || bypass {
		t.Errorf("%s: rolsuper=%v rolbypassrls=%v, want both false", db.AppRole, super, bypass)
	}

	// Anything owned by the app role, or by a role it may become.
	rows, err := env.DB.Pool.Query(ctx, `with app as (
			select r.oid from pg_roles r where pg_has_role($1, r.oid, 'MEMBER')
		)
		select 'relation ' || c.oid::regclass::text from pg_class c where c.relowner in (select oid from app)
		union all select 'schema ' || nspname from pg_namespace where nspowner in (select oid from app)
		union all select 'function ' || p.oid::regprocedure::text from pg_proc p where p.proowner in (select oid from app)
		union all select 'type ' || t.oid::regtype::text from pg_type t where t.typowner in (select oid from app)
		union all select 'database ' || datname from pg_database where datdba in (select oid from app) and datname = current_database()
		union all select 'membership in privileged role ' || rolname from pg_roles
			where oid in (select oid from app) and (rolsuper or rolbypassrls)`, db.AppRole)
	if err != nil {
		t.Fatal(err)
	}
	owned, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range owned {
		t.Errorf("%s owns or can become the owner of %s", db.AppRole, o)
	}
}

func TestViewsAreSecurityInvokerAndNoSecurityDefinerFunctions(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()

	rows, err := env.DB.Pool.Query(ctx, `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind = 'v'
		and not coalesce(c.reloptions && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes'], false)`)
	if err != nil {
		t.Fatal(err)
	}
	views, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		t.Errorf("view %s lacks security_invoker = true: it would read tenant tables with its owner's rights", v)
	}

	// A materialized view cannot be under RLS at all.
	rows, err = env.DB.Pool.Query(ctx, `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
		join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
		where n.nspname = 'public' and c.relkind = 'm'`)
	if err != nil {
		t.Fatal(err)
	}
	matviews, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range matviews {
		t.Errorf("materialized view %s holds tenant rows outside RLS", v)
	}

	// LEAKPROOF lets a function run before the policy's filter; a superuser
	// marks it, and each one must have been reviewed (migrations/superuser.sql).
	reviewedLeakproof := []string{"word_similarity_op(text,text)", "word_similarity_commutator_op(text,text)", "similarity_op(text,text)"}
	rows, err = env.DB.Pool.Query(ctx, `select p.oid::regprocedure::text from pg_proc p
		join pg_namespace n on n.oid = p.pronamespace
		where p.proleakproof and n.nspname not in ('pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	leakproof, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range leakproof {
		if !slices.Contains(reviewedLeakproof, fn) {
			t.Errorf("function %s is LEAKPROOF without review: add it to reviewedLeakproof only after checking it cannot leak its arguments", fn)
		}
	}

	rows, err = env.DB.Pool.Query(ctx, `select p.oid::regprocedure::text, n.nspname = 'public',
			coalesce(exists (select from unnest(p.proconfig) c where c like 'search_path=%'), false)
		from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	var fn string
	var public, pinned bool
	if _, err := pgx.ForEachRow(rows, []any{&fn, &public, &pinned}, func() error {
		switch {
		case public:
			t.Errorf("SECURITY DEFINER function %s in schema public: move it to a private schema", fn)
		case !pinned:
			t.Errorf("SECURITY DEFINER function %s does not pin search_path", fn)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestTenantIsolation proves, table by table, that the application role sees
// and changes only the rows of the tenant set in its transaction, even with
// hand-written SQL that forgets WHERE tenant_id.
func TestTenantIsolation(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	admin := adminConn(t, env)
	const rowsA, rowsB = 2, 3 // different, so a count cannot match by accident

	tables := tenantTables(t, env.DB.Pool)
	for name := range factories {
		if !slices.Contains(tables, name) {
			// Harmless, but dead code: remove it once the table is gone for good.
			t.Logf("factory for %s, which is not a tenant-owned table (renamed? dropped?)", name)
		}
	}

	for _, table := range tables {
		t.Run(table, func(t *testing.T) {
			// Fresh tenants per table: parents written for one table must
			// not count as rows of another.
			a, b := newTenant(t, env.DB, "a-"+slug(table)), newTenant(t, env.DB, "b-"+slug(table))
			ra, rb := rowsA, rowsB
			if singleRow[table] {
				ra, rb = 1, 1
			}
			seed(t, env.DB, table, a, ra)
			seed(t, env.DB, table, b, rb)
			insert := factories[table]
			ident := pgx.Identifier{"public", table}.Sanitize()
			// Never t.Fatal inside a transaction callback: Goexit skips the
			// rollback and the leaked connection hangs the pool's Close.
			count := func(tx pgx.Tx, where string, args ...any) (int, error) {
				var n int
				err := tx.QueryRow(ctx, "select count(*) from "+ident+" "+where, args...).Scan(&n)
				return n, err
			}
			really := func(tenant uuid.UUID) int {
				t.Helper()
				var n int
				if err := admin.QueryRow(ctx, "select count(*) from "+ident+" where tenant_id = $1", tenant).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			expectRefused := func(step string, err error) {
				t.Helper()
				if err == nil {
					t.Errorf("%s: accepted, want refused by the row-level security policy", step)
				} else if sqlState(err) != pgerrcode.InsufficientPrivilege {
					t.Errorf("%s: %v, want SQLSTATE 42501 (row-level security violation)", step, err)
				}
			}

			if got := really(a) + really(b); got != ra+rb {
				t.Fatalf("superuser sees %d rows of A and B, want %d", got, ra+rb)
			}

			// (a) No tenant set: nothing visible, writes refused. Both for a
			// session that never set the tenant (the setting is NULL) and for
			// one that did before (the setting then reads '').
			fresh, err := pgx.Connect(ctx, env.AppURL)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			err = fresh.QueryRow(ctx, "select count(*) from "+ident).Scan(&n)
			fresh.Close(context.Background())
			if err != nil || n != 0 {
				t.Errorf("new session, no tenant ever set: select count(*) = %d, %v; want 0 and no error", n, err)
			}
			if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
				n, err := count(tx, "")
				if err == nil && n != 0 {
					t.Errorf("no tenant: select count(*) = %d, want 0", n)
				}
				return err
			}); err != nil {
				t.Errorf("no tenant: %v, want zero rows and no error", err)
			}
			if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', '', true)"); err != nil {
					return err
				}
				n, err := count(tx, "")
				if err == nil && n != 0 {
					t.Errorf("empty tenant setting: select count(*) = %d, want 0", n)
				}
				return err
			}); err != nil {
				t.Errorf("empty tenant setting: %v, want zero rows and no error", err)
			}
			expectRefused("insert with no tenant set", env.DB.InTx(ctx, func(tx pgx.Tx) error { return insert(ctx, tx, a) }))
			expectRefused("insert with an empty tenant setting", env.DB.InTx(ctx, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', '', true)"); err != nil {
					return err
				}
				return insert(ctx, tx, a)
			}))

			// (b) As A: a query without WHERE sees A's rows only; B's are absent.
			if err := env.DB.InTenantTx(ctx, a, func(tx pgx.Tx) error {
				n, err := count(tx, "")
				if err != nil {
					return err
				}
				if n != ra {
					t.Errorf("as A: select count(*) = %d, want %d (A's rows only)", n, ra)
				}
				if n, err = count(tx, "where tenant_id = $1", b); err == nil && n != 0 {
					t.Errorf("as A: select where tenant_id = B found %d rows, want 0", n)
				}
				return err
			}); err != nil {
				t.Errorf("as A: %v", err)
			}

			// (c) As A, writing a row of B is refused (WITH CHECK).
			expectRefused("as A, insert a row of B", env.DB.InTenantTx(ctx, a, func(tx pgx.Tx) error { return insert(ctx, tx, b) }))

			// (d) As A, B's rows can be neither updated nor deleted; A's rows
			// cannot be moved to B. Without the privilege at all (audit_log is
			// append-only), the statement is refused outright.
			var mayUpdate, mayDelete bool
			if err := env.DB.Pool.QueryRow(ctx, `select has_column_privilege($1, 'tenant_id', 'UPDATE'), has_table_privilege($1, 'DELETE')`,
				ident).Scan(&mayUpdate, &mayDelete); err != nil {
				t.Fatal(err)
			}
			for _, st := range []struct {
				name     string
				allowed  bool
				sql      string
				args     []any
				affected int64
			}{
				{"update B's rows to A", mayUpdate, "update " + ident + " set tenant_id = $1 where tenant_id = $2", []any{a, b}, 0},
				{"delete B's rows", mayDelete, "delete from " + ident + " where tenant_id = $1", []any{b}, 0},
				{"update every row (no WHERE)", mayUpdate, "update " + ident + " set tenant_id = tenant_id", nil, int64(ra)},
			} {
				err := env.DB.InTenantTx(ctx, a, func(tx pgx.Tx) error {
					tag, err := tx.Exec(ctx, st.sql, st.args...)
					if err != nil {
						return err
					}
					if tag.RowsAffected() != st.affected {
						t.Errorf("as A, %s: %d rows affected, want %d", st.name, tag.RowsAffected(), st.affected)
					}
					return nil
				})
				switch {
				case st.allowed && err != nil:
					t.Errorf("as A, %s: %v", st.name, err)
				case !st.allowed && (err == nil || !strings.Contains(err.Error(), "permission denied")):
					t.Errorf("as A, %s: %v, want permission denied (the app role has no such privilege)", st.name, err)
				}
			}
			if mayUpdate {
				expectRefused("as A, move A's rows to B", env.DB.InTenantTx(ctx, a, func(tx pgx.Tx) error {
					_, err := tx.Exec(ctx, "update "+ident+" set tenant_id = $1", b)
					return err
				}))
			}
			if got := really(b); got != rb {
				t.Errorf("after A's attempts, B has %d rows, want %d untouched", got, rb)
			}
			if got := really(a); got != ra {
				t.Errorf("after A's attempts, A has %d rows, want %d", got, ra)
			}
		})
	}
}

// TestEmptyTenantSettingIsNoTenant: after a connection's first transaction
// the setting exists and reads ” (not NULL); that must still mean no rows,
// not a cast error that would leak through as a 500.
func TestEmptyTenantSettingIsNoTenant(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	for _, table := range tenantTables(t, env.DB.Pool) {
		a := newTenant(t, env.DB, "e-"+slug(table))
		seed(t, env.DB, table, a, 1)
		err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "select set_config('app.tenant_id', '', true)"); err != nil {
				return err
			}
			var n int
			err := tx.QueryRow(ctx, "select count(*) from "+pgx.Identifier{table}.Sanitize()).Scan(&n)
			if err == nil && n != 0 {
				t.Errorf("%s: %d rows with an empty tenant setting, want 0", table, n)
			}
			return err
		})
		if err != nil {
			t.Errorf("%s with an empty tenant setting: %v, want zero rows and no error", table, err)
		}
	}
}

// slug makes a tenant slug from a table name.
func slug(table string) string {
	s := strings.ReplaceAll(table, "_", "-")
	if len(s) > 25 {
		s = s[:25]
	}
	return s
}

// TestRollupsHoldCountsOnly: the tables province viewers may read hold
// codes, counts and times, nothing that could name or locate a person. A
// new column must be added here on purpose.
func TestRollupsHoldCountsOnly(t *testing.T) {
	env := dbtest.New(t)
	allowed := map[string]string{ // column → type
		"tenant_id": "uuid", "province_code": "text", "tingkat": "smallint", "wilayah_kode": "text", "kode": "text",
		"induk_kode": "text", "nama_wilayah": "text", "dimensi": "text", "nilai": "text", "jumlah": "integer",
		"dihitung_at": "timestamp with time zone", "durasi_ms": "integer", "baris_diubah": "integer",
	}
	var rollups int
	for _, table := range tenantTables(t, env.DB.Pool) {
		if !isRollup(table) {
			continue
		}
		rollups++
		rows, err := env.DB.Pool.Query(t.Context(), `select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a
			where a.attrelid = ('public.' || quote_ident($1))::regclass and a.attnum > 0 and not a.attisdropped`, table)
		if err != nil {
			t.Fatal(err)
		}
		var name, typ string
		if _, err := pgx.ForEachRow(rows, []any{&name, &typ}, func() error {
			if want, ok := allowed[name]; !ok || want != typ {
				t.Errorf("rollup %s has column %s %s: not a count, code or time a province viewer may read", table, name, typ)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if rollups == 0 {
		t.Fatal("no rollup tables found")
	}
}

// TestRollupProvinceIsolation: a province transaction reads the rollup rows
// of the tenants of its province and nothing else, and writes nothing.
func TestRollupProvinceIsolation(t *testing.T) {
	env := dbtest.New(t)
	ctx := t.Context()
	inProvince := func(slug, province string) uuid.UUID {
		id := uuid.New()
		n := seq.Add(1)
		if err := env.DB.InTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `insert into provinces (code, name) values ($1, 'Provinsi ' || $1) on conflict do nothing`, province); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `insert into tenants (id, slug, name, kind, kemendagri_code, bps_code, province_code, timezone, locale)
				values ($1, $2, $2, 'kota', $3, $4, $5, 'Asia/Jakarta', 'id-ID')`,
				id, slug, fmt.Sprintf("%s.%02d", province, 71+n%28), fmt.Sprintf("%s%02d", province, 71+n%28), province)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	for _, table := range tenantTables(t, env.DB.Pool) {
		if !isRollup(table) {
			continue
		}
		t.Run(table, func(t *testing.T) {
			// Two tenants in 32 (row counts differ, so a sum cannot match by
			// accident), one in 36, one in 12.
			want := map[string]int{"32": 2 + 3, "36": 4, "12": 1}
			tenants := map[uuid.UUID]int{
				inProvince("p32a-"+slug(table), "32"): 2,
				inProvince("p32b-"+slug(table), "32"): 3,
				inProvince("p36-"+slug(table), "36"):  4,
				inProvince("p12-"+slug(table), "12"):  1,
			}
			for id, n := range tenants {
				seed(t, env.DB, table, id, n)
			}
			ident := pgx.Identifier{"public", table}.Sanitize()
			for province, n := range want {
				err := env.DB.InProvinceTx(ctx, province, func(tx pgx.Tx) error {
					var got, others int
					if err := tx.QueryRow(ctx, "select count(*), count(*) filter (where province_code <> $1) from "+ident, province).Scan(&got, &others); err != nil {
						return err
					}
					if got != n || others != 0 {
						t.Errorf("province %s sees %d rows (%d of other provinces), want %d, all its own", province, got, others, n)
					}
					// Read only: updates and deletes find nothing to change,
					// inserts are refused.
					for _, st := range []string{"update " + ident + " set province_code = province_code", "delete from " + ident} {
						tag, err := tx.Exec(ctx, st)
						if err != nil {
							return err
						}
						if tag.RowsAffected() != 0 {
							t.Errorf("province %s: %s changed %d rows, want 0", province, st, tag.RowsAffected())
						}
					}
					return nil
				})
				if err != nil {
					t.Errorf("province %s: %v", province, err)
				}
			}
			for id := range tenants {
				err := env.DB.InProvinceTx(ctx, "32", func(tx pgx.Tx) error { return factories[table](ctx, tx, id) })
				if err == nil || sqlState(err) != pgerrcode.InsufficientPrivilege {
					t.Errorf("province 32 inserting a row of a tenant: %v, want refused by row-level security", err)
				}
			}
			// A province with no tenants, and a province setting next to a
			// tenant setting, see nothing more than they should.
			if err := env.DB.InProvinceTx(ctx, "99", func(tx pgx.Tx) error {
				var n int
				err := tx.QueryRow(ctx, "select count(*) from "+ident).Scan(&n)
				if err == nil && n != 0 {
					t.Errorf("province 99 sees %d rows, want 0", n)
				}
				return err
			}); err != nil {
				t.Error(err)
			}
		})
	}
}
