package dasbor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Refresh (penyegaran): a tenant's figures recomputed from the source
// tables, set-based, in the tenant's own transaction. It runs as the River
// job dasbor_segarkan, which the triggers of migrations/010_dasbor.sql queue
// on every change to a source table.
//
// Cost at 150.000 businesses (2 cores, measured): one pass over the live
// businesses for the single-valued fields (one hash table per breakdown, all
// filled in the same pass), one for the two array fields (documents held,
// open constraint categories), both ~0.35 s together; the cooperatives,
// proposals and registrations are small. Kecamatan and office figures are
// summed from the kelurahan rows (each business lies in one kelurahan), so
// the large tables are read once. Only rows whose count changed are
// written.

// refreshLock keys the advisory lock that lets one refresh per tenant run
// at a time: a second one waits and then computes from everything committed
// before it got the lock.
const refreshLock = "dasbor_segarkan"

// Kept is how many refreshes of a tenant dasbor_penyegaran keeps.
const Kept = 10

// figuresSQL computes every figure of the tenant in scope ($1: its time
// zone) as (tingkat, wilayah_kode, dimensi, nilai, jumlah), writes the
// changed ones and deletes those that are gone, in one statement (one
// snapshot). It returns the rows written and the statement's start: the
// moment the figures describe.
//
// Dimensions (dimensi) and their values (nilai) are documented on the types
// of dasbor.go. Unknown values (NULL in the register) are counted as
// "tidak_diketahui", never folded into a known value.
const figuresSQL = `with
-- Who was helped, for the never-helped: internal/tumpang's definition
-- (belumDibantu), by business and by the owner's NIK, as two hashed sets
-- probed once per business in the pass below.
dibantu_umkm as (
	select umkm_id from peserta where umkm_id is not null and status not in ('batal', 'ditolak')
	union all
	select umkm_id from partisipasi_luar where umkm_id is not null
),
dibantu_nik as (
	select nik_hash from peserta where nik_hash is not null and status not in ('batal', 'ditolak')
	union all
	select nik_hash from partisipasi_luar where nik_hash is not null and status <> 'dibuang'
),
u as (
	select kelurahan_kode as kel,
		coalesce(skala_dilaporkan, 'tidak_diketahui') as sd,
		coalesce(skala_hitung, 'tidak_diketahui') as sh,
		-- The register's sectors come from a list checked by the service;
		-- anything else (written by an operator) is counted, as lainnya,
		-- rather than failing every refresh of the tenant on the rollup's
		-- CHECK.
		case when sektor ~ '^[a-z_]{1,32}$' then sektor else 'lainnya' end as sektor,
		coalesce(jenis_kelamin, 'tidak_diketahui') as jk,
		status_binaan as sb,
		case when legalitas_lengkap then 'ya' else 'tidak' end as ll,
		legalitas_terbit as lt,
		kendala_terbuka as kt,
		date_trunc('month', created_at, $1) as bl,
		tahun_mulai as tm,
		-- ya: no participation of any kind (a NULL NIK hash matches none).
		case when id in (select umkm_id from dibantu_umkm) or nik_hash in (select nik_hash from dibantu_nik)
			then 'tidak' else 'ya' end as bp
	from umkm where archived_at is null
),
-- One pass, one hash table per breakdown. The two arrays are grouped as
-- they are (few distinct combinations) and unnested below.
umkm_grup as (
	select kel,
		case when grouping(tm) = 0 then 'umkm.tahun_mulai'
			when grouping(sd) = 0 then 'umkm.skala_dilaporkan'
			when grouping(sh) = 0 then 'umkm.skala_hitung'
			when grouping(sektor) = 0 then 'umkm.sektor'
			when grouping(jk) = 0 then 'umkm.jenis_kelamin'
			when grouping(sb) = 0 then 'umkm.status_binaan'
			when grouping(ll) = 0 then 'umkm.legalitas_lengkap'
			when grouping(lt) = 0 then 'umkm.legalitas'
			when grouping(kt) = 0 then 'umkm.kendala'
			when grouping(bl) = 0 then 'umkm.bulan'
			when grouping(bp) = 0 then 'tumpang.belum_pernah'
			else 'umkm.total' end as dimensi,
		case when grouping(tm) = 0 then coalesce(tm::text, 'tidak_diketahui') || '/' || jk
			else coalesce(sd, sh, sektor, jk, sb, ll, to_char(bl at time zone $1, 'YYYY-MM'), bp, '') end as nilai,
		case when grouping(lt) = 0 then lt when grouping(kt) = 0 then kt end as larik,
		count(*)::int as jumlah
	from u
	group by grouping sets ((kel), (kel, sd), (kel, sh), (kel, sektor), (kel, jk), (kel, sb), (kel, ll), (kel, lt), (kel, kt),
		(kel, bl), (kel, tm, jk), (kel, bp))
),
umkm_halus as (
	-- Of the never-helped only their count is kept: the helped are what
	-- the programmes' figures count.
	select kel, dimensi, nilai, jumlah from umkm_grup where larik is null and not (dimensi = 'tumpang.belum_pernah' and nilai = 'tidak')
	union all
	-- Businesses holding each kind of document; with an open constraint of
	-- each category.
	select kel, dimensi, x, sum(jumlah)::int from umkm_grup, unnest(larik) x group by 1, 2, 3
	union all
	select kel, 'umkm.berkendala', case when cardinality(larik) > 0 then 'ya' else 'tidak' end, sum(jumlah)::int
	from umkm_grup where dimensi = 'umkm.kendala' group by 1, 3
),
k as (
	select kelurahan_kode as kel,
		coalesce(jenis, 'belum_ditetapkan') as jenis,
		coalesce(kelompok, 'tidak_diketahui') as kelompok,
		coalesce(kesehatan_predikat, 'belum_dinilai') as kesehatan,
		-- Two years without a meeting (counted from the founding while none
		-- was held): it may be dissolved (DOMAIN.md); the same rule as the
		-- register's rat_terlambat flag (internal/koperasi/rat.go). The RAT
		-- of book year Y is due by the end of June of Y+1: from July a
		-- cooperative needs a meeting this year, before it one last year.
		case when coalesce(rat_terakhir, badan_hukum_tanggal) is null
				or coalesce(rat_terakhir, badan_hukum_tanggal) < ((now() at time zone $1)::date - interval '2 years')::date then 'tidak_rat_2_tahun'
			when rat_terakhir is null then 'belum_pernah'
			when rat_terakhir >= date_trunc('year', (now() at time zone $1)::date - interval '6 months') then 'patuh'
			else 'terlambat' end as rat,
		case when aktif then 'ya' else 'tidak' end as aktif,
		case when pilot then 'ya' else 'tidak' end as pilot,
		case when unit_toko then 'ya' else 'tidak' end as toko,
		case when pembukuan_digital then 'ya' else 'tidak' end as digital,
		-- The legacy KSU (or any without a legal type) still to move to one
		-- of the five types (UU Cipta Kerja; Permenkop 9/2018).
		-- An inactive one is outside campaigns until it is active again.
		case when jenis is null and not aktif then 'belum_tidak_aktif' when jenis is null then 'belum'
			when kelompok = 'ksu' then 'sudah' else 'tidak_perlu' end as reklas,
		anggota_laki, anggota_perempuan
	from koperasi where archived_at is null
),
koperasi_tunggal as (
	select kel,
		case when grouping(jenis) = 0 then 'koperasi.jenis'
			when grouping(kelompok) = 0 then 'koperasi.kelompok'
			when grouping(kesehatan) = 0 then 'koperasi.kesehatan'
			when grouping(rat) = 0 then 'koperasi.rat'
			when grouping(aktif) = 0 then 'koperasi.aktif'
			when grouping(pilot) = 0 then 'koperasi.pilot'
			when grouping(toko) = 0 then 'koperasi.unit_toko'
			when grouping(digital) = 0 then 'koperasi.pembukuan_digital'
			when grouping(reklas) = 0 then 'koperasi.reklasifikasi'
			else 'koperasi.total' end as dimensi,
		coalesce(jenis, kelompok, kesehatan, rat, aktif, pilot, toko, digital, reklas, '') as nilai,
		count(*)::int as jumlah
	from k
	group by grouping sets ((kel), (kel, jenis), (kel, kelompok), (kel, kesehatan), (kel, rat), (kel, aktif), (kel, pilot),
		(kel, toko), (kel, digital), (kel, reklas))
	union all
	select kel, 'koperasi.anggota', v.nilai, sum(v.n)::int
	from k cross join lateral (values ('laki', k.anggota_laki), ('perempuan', k.anggota_perempuan)) v(nilai, n)
	group by kel, v.nilai
),
kampanye as (
	select id, status from reklasifikasi_kampanye order by dimulai_at desc, id desc limit 1
),
usulan as (
	select k.kelurahan_kode as kel,
		case when grouping(r.status) = 0 then 'reklasifikasi.keputusan' else 'reklasifikasi.usulan' end as dimensi,
		coalesce(r.status, case when r.hasil = 'usulan' then 'usulan_' || r.keyakinan else r.hasil end) as nilai,
		count(*)::int as jumlah
	from reklasifikasi_usulan r
	join koperasi k on k.tenant_id = r.tenant_id and k.id = r.koperasi_id
	where r.kampanye_id = (select id from kampanye)
	group by grouping sets ((k.kelurahan_kode, r.status), (k.kelurahan_kode, case when r.hasil = 'usulan' then 'usulan_' || r.keyakinan else r.hasil end))
),
-- Same-kind overlap (internal/tumpang's overlap report): businesses that
-- got the same kind of help two or more times in one year, from this
-- office's programmes or other agencies' lists, once per year and kind.
-- Counted where the business lies, as the report lists it.
ganda as (
	select u.kelurahan_kode as kel, 'tumpang.ganda' as dimensi, s.tahun || '/' || s.jenis as nilai, count(*)::int as jumlah
	from (
		select umkm_id, tahun, jenis from (
			select x.umkm_id, p.tahun, p.jenis from program p join peserta x on x.program_id = p.id
			where x.umkm_id is not null and x.status not in ('batal', 'ditolak')
			union all
			select umkm_id, tahun, jenis from partisipasi_luar where umkm_id is not null
		) a group by 1, 2, 3 having count(*) >= 2
	) s join umkm u on u.id = s.umkm_id
	group by 1, 3
),
halus as (
	select * from umkm_halus
	union all select * from koperasi_tunggal
	union all select * from usulan
	union all select * from ganda
),
baru as materialized (
	-- Growth by month and by starting year, and overlap, are kept down to
	-- kecamatan only.
	select 2::smallint as tingkat, kel as wilayah_kode, dimensi, nilai, jumlah
	from halus where dimensi not in ('umkm.bulan', 'umkm.tahun_mulai', 'tumpang.ganda')
	union all
	select case when grouping(left(kel, 8)) = 0 then 1 else 0 end::smallint, coalesce(left(kel, 8), ''), dimensi, nilai, sum(jumlah)::int
	from halus
	group by grouping sets ((left(kel, 8), dimensi, nilai), (dimensi, nilai))
	union all
	select 0::smallint, '', 'reklasifikasi.kampanye', status, 1 from kampanye
	union all
	select 0::smallint, '', 'registrasi.bulan', to_char(created_at at time zone $1, 'YYYY-MM') || '/' || status, count(*)::int
	from registrasi group by 4
	union all
	-- Participants of the office's live programmes per year and kind: given
	-- a place (terpilih, completed ones included) and completed.
	select 0::smallint, '', d.dimensi, p.tahun || '/' || p.jenis, count(*)::int
	from program p join peserta x on x.program_id = p.id
	cross join lateral (values ('program.terpilih', true), ('program.selesai', x.status = 'selesai')) d(dimensi, ikut)
	where p.archived_at is null and x.status in ('terpilih', 'selesai') and d.ikut
	group by 3, 4
	union all
	-- Funding applications by their current stage.
	select 0::smallint, '', 'pendanaan.tahap', tahap, count(*)::int from pengajuan_dana group by 4
),
tenant as (
	select id, province_code from tenants where id = nullif(current_setting('app.tenant_id', true), '')::uuid
),
tulis as (
	insert into dasbor_angka as a (tenant_id, province_code, tingkat, wilayah_kode, dimensi, nilai, jumlah)
	select t.id, t.province_code, b.tingkat, b.wilayah_kode, b.dimensi, b.nilai, b.jumlah from baru b, tenant t
	on conflict (tenant_id, tingkat, wilayah_kode, dimensi, nilai) do update
		set jumlah = excluded.jumlah, province_code = excluded.province_code
		where (a.jumlah, a.province_code) is distinct from (excluded.jumlah, excluded.province_code)
	returning 1
),
hapus as (
	-- NOT IN over the new figures runs as one hashed lookup per row, whatever
	-- the statistics of the freshly written table say (a NOT EXISTS was
	-- planned as a nested loop over both sets).
	delete from dasbor_angka a
	where (a.tingkat, a.wilayah_kode, a.dimensi, a.nilai) not in (select tingkat, wilayah_kode, dimensi, nilai from baru)
	returning 1
)
select (select count(*) from tulis) + (select count(*) from hapus), statement_timestamp()`

// wilayahSQL copies the names of the tenant's regions for the views that
// cannot read wilayah; only what changed is written.
const wilayahSQL = `with
tenant as (
	select id, province_code from tenants where id = nullif(current_setting('app.tenant_id', true), '')::uuid
),
tulis as (
	insert into dasbor_wilayah as d (tenant_id, province_code, kode, nama_wilayah, tingkat, induk_kode)
	select w.tenant_id, t.province_code, w.kode, w.nama, case when w.level = 'kecamatan' then 1 else 2 end, w.parent_kode
	from wilayah w, tenant t
	on conflict (tenant_id, kode) do update
		set province_code = excluded.province_code, nama_wilayah = excluded.nama_wilayah, tingkat = excluded.tingkat, induk_kode = excluded.induk_kode
		where (d.province_code, d.nama_wilayah, d.tingkat, d.induk_kode)
			is distinct from (excluded.province_code, excluded.nama_wilayah, excluded.tingkat, excluded.induk_kode)
	returning 1
),
hapus as (
	delete from dasbor_wilayah d where not exists (select from wilayah w where w.kode = d.kode)
	returning 1
)
select (select count(*) from tulis) + (select count(*) from hapus)`

// logSQL records the refresh and keeps the last Kept of the tenant.
const logSQL = `with
tenant as (
	select id, province_code from tenants where id = nullif(current_setting('app.tenant_id', true), '')::uuid
),
catat as (
	insert into dasbor_penyegaran (tenant_id, province_code, dihitung_at, durasi_ms, baris_diubah)
	select id, province_code, $1, $2, $3 from tenant
)
delete from dasbor_penyegaran where dihitung_at < (
	select dihitung_at from dasbor_penyegaran order by dihitung_at desc offset $4 - 2 limit 1)`

// Refreshed is what one refresh did.
type Refreshed struct {
	DihitungAt time.Time // the moment the figures describe
	Durasi     time.Duration
	Baris      int // figures and region names written or deleted
}

// ErrBusy says a refresh of the same tenant is running elsewhere: the
// caller tries again shortly instead of holding a worker and a connection
// while it waits.
var ErrBusy = errors.New("dasbor: a refresh of this tenant is running")

// Paced says how long a refresh of the tenant tx is scoped to must wait so
// that refreshes take at most half of a worker's time for one office: the
// next one begins no sooner than the last one's duration after it ended. A
// first change after a quiet while is refreshed at once; under a stream of
// edits an office of 150.000 businesses (0,8 s a refresh) is refreshed
// every ~1,6 s instead of back to back, which had kept both cores of the
// machine busy with four offices editing (bench load).
func Paced(ctx context.Context, tx pgx.Tx) (time.Duration, error) {
	var ms float64
	err := tx.QueryRow(ctx, `select coalesce(max(extract(epoch from dihitung_at + 2 * durasi_ms * interval '1 ms' - clock_timestamp()) * 1000), 0)
		from (select dihitung_at, durasi_ms from dasbor_penyegaran order by dihitung_at desc limit 1) last`).Scan(&ms)
	if err != nil || ms <= 0 {
		return 0, err
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

// HoldRefresh waits for a refresh of the tenant that runs now to end and
// keeps any other from starting until tx ends: the purge's last
// transaction sweeps what a refresh wrote during the purge, and none
// writes after it.
func HoldRefresh(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) error {
	_, err := tx.Exec(ctx, `select pg_advisory_xact_lock(hashtext($1), hashtext($2))`, refreshLock, tenantID.String())
	return err
}

// Refresh recomputes the figures of the tenant tx is scoped to, or returns
// ErrBusy when a refresh of the same tenant runs elsewhere: two never
// interleave their writes, and each commits figures computed from
// everything committed before it began.
func Refresh(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) (Refreshed, error) {
	start := time.Now()
	// The hash aggregates need memory, not disk; JIT compilation costs more
	// than it saves on a query that runs once in a while.
	var locked bool
	if err := tx.QueryRow(ctx, `select pg_try_advisory_xact_lock(hashtext($1), hashtext($2)),
		set_config('work_mem', '64MB', true) is not null and set_config('jit', 'off', true) is not null`,
		refreshLock, tenantID.String()).Scan(&locked, new(bool)); err != nil {
		return Refreshed{}, fmt.Errorf("refresh dasbor: lock: %w", err)
	}
	if !locked {
		return Refreshed{}, ErrBusy
	}
	// An office being purged or purged has no figures to keep (the purge
	// deletes them): no rows, as for a tenant that is gone.
	var tz string
	if err := tx.QueryRow(ctx, `select timezone from tenants where id = $1 and state <> 'archived'
		and not (state = 'offboarding' and state_reason = 'purge_due')`, tenantID).Scan(&tz); err != nil {
		return Refreshed{}, fmt.Errorf("refresh dasbor: tenant: %w", err)
	}
	var r Refreshed
	if err := tx.QueryRow(ctx, figuresSQL, tz).Scan(&r.Baris, &r.DihitungAt); err != nil {
		return Refreshed{}, fmt.Errorf("refresh dasbor: figures: %w", err)
	}
	var names int
	if err := tx.QueryRow(ctx, wilayahSQL).Scan(&names); err != nil {
		return Refreshed{}, fmt.Errorf("refresh dasbor: regions: %w", err)
	}
	r.Baris += names
	r.Durasi = time.Since(start)
	if _, err := tx.Exec(ctx, logSQL, r.DihitungAt, r.Durasi.Milliseconds(), r.Baris, Kept); err != nil {
		return Refreshed{}, fmt.Errorf("refresh dasbor: log: %w", err)
	}
	return r, nil
}
