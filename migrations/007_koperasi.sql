-- Cooperatives: the registry (ODS-style fields), business units with their
-- yearly volumes, RAT history, health assessments under their regime, UMKM
-- membership, and the campaign that moves legacy KSU cooperatives to one of
-- the five legal types (UU Cipta Kerja; Permenkop 9/2018 Pasal 67).

CREATE TABLE koperasi (
    tenant_id              uuid NOT NULL,
    id                     uuid NOT NULL,
    nama                   text NOT NULL CHECK (btrim(nama) <> ''),
    -- NIK Koperasi (ODS): digits, 13 to 16; nothing more is certain.
    nik_koperasi           text CHECK (nik_koperasi ~ '^[0-9]{13,16}$'),
    nik_berlaku_sampai     date,
    badan_hukum_nomor      text,
    badan_hukum_tanggal    date,
    perubahan_ad_nomor     text,
    perubahan_ad_tanggal   date,
    bentuk                 text NOT NULL DEFAULT 'primer' CHECK (bentuk IN ('primer', 'sekunder')),
    -- The legal type; NULL while not yet set (legacy KSU).
    jenis                  text CHECK (jenis IN ('konsumen', 'produsen', 'pemasaran', 'jasa', 'simpan_pinjam')),
    -- A grouping kept beside the type, and kept as history after a
    -- reclassification sets jenis.
    kelompok               text CHECK (kelompok IN ('ksu', 'kud', 'kpri', 'kopwan', 'kdmp', 'kopontren', 'kopkar', 'lainnya')),
    sektor                 text,
    alamat                 text,
    kecamatan_kode         text NOT NULL,
    kelurahan_kode         text NOT NULL,
    anggota_laki           integer NOT NULL DEFAULT 0 CHECK (anggota_laki >= 0),
    anggota_perempuan      integer NOT NULL DEFAULT 0 CHECK (anggota_perempuan >= 0),
    karyawan               integer NOT NULL DEFAULT 0 CHECK (karyawan >= 0),
    aktif                  boolean NOT NULL DEFAULT true,
    unit_toko              boolean NOT NULL DEFAULT false,
    pembukuan_digital      boolean NOT NULL DEFAULT false,
    pilot                  boolean NOT NULL DEFAULT false,
    peringkat              text CHECK (peringkat IN ('A', 'B', 'C', 'D')),
    -- Derived from the child tables, kept here so lists filter without joins.
    rat_terakhir           date,
    kesehatan_predikat     text,
    kesehatan_tahun        smallint,
    cari                   text GENERATED ALWAYS AS (lower(nama)) STORED,
    archived_at            timestamptz,
    version                bigint NOT NULL DEFAULT 1,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, kelurahan_kode, kecamatan_kode) REFERENCES wilayah (tenant_id, kode, parent_kode)
);
-- At most one pilot per kecamatan (seed 000: Depok pilots 11 of its 26, one
-- per kecamatan).
CREATE UNIQUE INDEX koperasi_pilot_key ON koperasi (tenant_id, kecamatan_kode) WHERE pilot AND archived_at IS NULL;
CREATE UNIQUE INDEX koperasi_nik_key ON koperasi (tenant_id, nik_koperasi) WHERE archived_at IS NULL AND nik_koperasi IS NOT NULL;
CREATE INDEX koperasi_kecamatan_idx ON koperasi (tenant_id, kecamatan_kode, id);
CREATE INDEX koperasi_kelompok_idx ON koperasi (tenant_id, kelompok, id);
CREATE INDEX koperasi_cari_idx ON koperasi USING gin (tenant_id, cari gin_trgm_ops);

-- Managers and supervisors (names are personal data: never in aggregates).
CREATE TABLE koperasi_pengurus (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    koperasi_id uuid NOT NULL,
    nama        text NOT NULL CHECK (btrim(nama) <> ''),
    jabatan     text NOT NULL CHECK (jabatan IN ('ketua', 'wakil_ketua', 'sekretaris', 'bendahara', 'pengurus', 'ketua_pengawas', 'pengawas', 'manajer')),
    mulai       date,
    selesai     date CHECK (selesai IS NULL OR mulai IS NULL OR selesai >= mulai),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX koperasi_pengurus_koperasi_idx ON koperasi_pengurus (tenant_id, koperasi_id);

-- Business units. A savings-and-loan unit says whether it serves members
-- only (close loop: stays with Kemenkop, Permenkop 8/2023) or also
-- non-members (open loop: moves to OJK under UU 4/2023), and since when.
CREATE TABLE koperasi_unit (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    koperasi_id  uuid NOT NULL,
    jenis_unit   text NOT NULL CHECK (jenis_unit IN (
        'toko', 'waserda', 'sembako',
        'simpan_pinjam',
        'produksi', 'kerajinan', 'pengolahan', 'pertanian', 'peternakan', 'perikanan',
        'pemasaran_hasil',
        'transportasi', 'travel_umroh', 'klinik', 'apotek', 'listrik', 'wisata', 'rental', 'logistik', 'jasa_lain',
        'lainnya')),
    nama         text,
    pola_simpan_pinjam text CHECK (pola_simpan_pinjam IN ('close_loop', 'open_loop')),
    pola_sejak   date,
    aktif        boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id) ON DELETE CASCADE,
    CHECK (pola_simpan_pinjam IS NULL OR jenis_unit = 'simpan_pinjam'),
    CHECK (pola_sejak IS NULL OR pola_simpan_pinjam IS NOT NULL)
);
CREATE INDEX koperasi_unit_koperasi_idx ON koperasi_unit (tenant_id, koperasi_id);

-- Yearly volume of a unit: sales, or loans given for a savings-and-loan unit
-- (whole rupiah).
CREATE TABLE koperasi_unit_volume (
    tenant_id  uuid NOT NULL,
    unit_id    uuid NOT NULL,
    tahun      smallint NOT NULL CHECK (tahun BETWEEN 1945 AND 2100),
    volume     bigint NOT NULL CHECK (volume >= 0),
    PRIMARY KEY (tenant_id, unit_id, tahun),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES koperasi_unit (tenant_id, id) ON DELETE CASCADE
);

-- Annual members' meetings held.
CREATE TABLE koperasi_rat (
    tenant_id   uuid NOT NULL,
    koperasi_id uuid NOT NULL,
    tahun       smallint NOT NULL CHECK (tahun BETWEEN 1945 AND 2100),
    tanggal     date NOT NULL,
    catatan     text,
    PRIMARY KEY (tenant_id, koperasi_id, tahun),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id) ON DELETE CASCADE
);

-- Health assessment regimes: reference data with their source. Each aspect
-- has a score range and a weight; the total is the weighted score and the
-- predicate comes from the regime's bands, never typed by hand.
CREATE TABLE kesehatan_regime (
    kode       text PRIMARY KEY,
    nama       text NOT NULL,
    sumber     text NOT NULL,
    berlaku_mulai date NOT NULL
);
CREATE TABLE kesehatan_aspek (
    regime     text NOT NULL REFERENCES kesehatan_regime (kode),
    kode       text NOT NULL,
    nama       text NOT NULL,
    skor_min   numeric NOT NULL,
    skor_maks  numeric NOT NULL CHECK (skor_maks > skor_min),
    bobot      numeric NOT NULL CHECK (bobot > 0),
    urutan     smallint NOT NULL,
    PRIMARY KEY (regime, kode)
);
-- A band holds totals from skor_min (inclusive) up to skor_maks (inclusive
-- for the top band, exclusive otherwise: 75.5 is not Sehat under 76-100).
CREATE TABLE kesehatan_predikat (
    regime     text NOT NULL REFERENCES kesehatan_regime (kode),
    predikat   text NOT NULL,
    skor_min   numeric NOT NULL,
    skor_maks  numeric NOT NULL,
    PRIMARY KEY (regime, predikat)
);
INSERT INTO kesehatan_regime VALUES
    ('permenkop_9_2020', 'Permenkop 9/2020', 'Permenkop UKM 9/2020; Juknis Deputi Bidang Pengawasan 15/2021', '2020-12-01'),
    ('perdep_06_2016', 'Perdep 06/2016 (KSP/USP)', 'Peraturan Deputi Bidang Pengawasan Kemenkop UKM 06/Per/Dep.6/IV/2016', '2016-04-01');
-- Permenkop 9/2020: four aspects, each scored 0-100 by its indicators and
-- weighted equally (the Juknis bands apply to each aspect and to the total).
INSERT INTO kesehatan_aspek VALUES
    ('permenkop_9_2020', 'tata_kelola',       'Tata kelola',       0, 100, 25, 1),
    ('permenkop_9_2020', 'profil_risiko',     'Profil risiko',     0, 100, 25, 2),
    ('permenkop_9_2020', 'kinerja_keuangan',  'Kinerja keuangan',  0, 100, 25, 3),
    ('permenkop_9_2020', 'permodalan',        'Permodalan',        0, 100, 25, 4),
    ('perdep_06_2016', 'permodalan',            'Permodalan',                  0, 100, 15, 1),
    ('perdep_06_2016', 'kualitas_aktiva',       'Kualitas aktiva produktif',   0, 100, 25, 2),
    ('perdep_06_2016', 'manajemen',             'Manajemen',                   0, 100, 15, 3),
    ('perdep_06_2016', 'efisiensi',             'Efisiensi',                   0, 100, 10, 4),
    ('perdep_06_2016', 'likuiditas',            'Likuiditas',                  0, 100, 15, 5),
    ('perdep_06_2016', 'kemandirian',           'Kemandirian dan pertumbuhan', 0, 100, 10, 6),
    ('perdep_06_2016', 'jatidiri',              'Jatidiri koperasi',           0, 100, 10, 7);
INSERT INTO kesehatan_predikat VALUES
    ('permenkop_9_2020', 'sehat',          76, 100),
    ('permenkop_9_2020', 'cukup_sehat',    51, 76),
    ('permenkop_9_2020', 'kurang_sehat',   26, 51),
    ('permenkop_9_2020', 'tidak_sehat',     0, 26),
    ('perdep_06_2016', 'sehat',                     80, 100),
    ('perdep_06_2016', 'cukup_sehat',               66, 80),
    ('perdep_06_2016', 'dalam_pengawasan',          51, 66),
    ('perdep_06_2016', 'dalam_pengawasan_khusus',    0, 51);

CREATE TABLE koperasi_kesehatan (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    koperasi_id uuid NOT NULL,
    -- Checked against kesehatan_regime and its bands by the service: a
    -- foreign key from a tenant table must start with tenant_id.
    regime      text NOT NULL,
    tahun       smallint NOT NULL CHECK (tahun BETWEEN 2000 AND 2100),
    skor        jsonb NOT NULL CHECK (jsonb_typeof(skor) = 'object'),
    skor_total  numeric NOT NULL,
    predikat    text NOT NULL,
    dinilai_oleh uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, koperasi_id, regime, tahun),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id) ON DELETE CASCADE
);

-- UMKM members of a cooperative (an UMKM may belong to several); the
-- cooperative may facilitate its member businesses (seed 000, 002).
CREATE TABLE koperasi_anggota_umkm (
    tenant_id    uuid NOT NULL,
    koperasi_id  uuid NOT NULL,
    umkm_id      uuid NOT NULL,
    sejak        date,
    difasilitasi boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, koperasi_id, umkm_id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id)
);
CREATE INDEX koperasi_anggota_umkm_umkm_idx ON koperasi_anggota_umkm (tenant_id, umkm_id);

-- The reclassification campaign: one run classifies every cooperative still
-- in the KSU group (or without jenis); a second start while one runs gets
-- the same run (the partial unique index), never a second one.
CREATE TABLE reklasifikasi_kampanye (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    status       text NOT NULL CHECK (status IN ('berjalan', 'selesai', 'gagal')),
    -- The policy thresholds read from the tenant's settings at the start.
    kebijakan    jsonb NOT NULL,
    total        integer,
    diproses     integer NOT NULL DEFAULT 0,
    ringkasan    jsonb NOT NULL DEFAULT '{}',
    pekerjaan_id uuid,
    dimulai_oleh uuid,
    dimulai_at   timestamptz NOT NULL DEFAULT now(),
    selesai_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX reklasifikasi_kampanye_berjalan_key ON reklasifikasi_kampanye (tenant_id) WHERE status = 'berjalan';

CREATE TABLE reklasifikasi_usulan (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    kampanye_id   uuid NOT NULL,
    koperasi_id   uuid NOT NULL,
    hasil         text NOT NULL CHECK (hasil IN ('usulan', 'perlu_tinjauan', 'perlu_data')),
    jenis_usulan  text CHECK (jenis_usulan IN ('konsumen', 'produsen', 'pemasaran', 'jasa', 'simpan_pinjam')),
    keyakinan     text CHECK (keyakinan IN ('tinggi', 'sedang')),
    -- The shares the policy saw, per jenis, and the volumes behind them.
    porsi         jsonb NOT NULL DEFAULT '{}',
    -- A savings-and-loan unit exists but the proposal is another jenis: the
    -- USP must keep separate books and be close loop.
    flag_simpan_pinjam boolean NOT NULL DEFAULT false,
    status        text NOT NULL DEFAULT 'menunggu' CHECK (status IN ('menunggu', 'disetujui', 'ditolak')),
    jenis_disetujui text CHECK (jenis_disetujui IN ('konsumen', 'produsen', 'pemasaran', 'jasa', 'simpan_pinjam')),
    alasan        text,
    dasar_hukum   text,
    diputuskan_oleh uuid,
    diputuskan_at timestamptz,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- One proposal per cooperative per campaign: a re-run of the job after a
    -- crash cannot duplicate one.
    UNIQUE (tenant_id, kampanye_id, koperasi_id),
    FOREIGN KEY (tenant_id, kampanye_id) REFERENCES reklasifikasi_kampanye (tenant_id, id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id),
    CHECK ((hasil = 'usulan') = (jenis_usulan IS NOT NULL AND keyakinan IS NOT NULL)),
    CHECK ((status = 'disetujui') = (jenis_disetujui IS NOT NULL))
);
CREATE INDEX reklasifikasi_usulan_hasil_idx ON reklasifikasi_usulan (tenant_id, kampanye_id, hasil, keyakinan, id);
CREATE INDEX reklasifikasi_usulan_koperasi_idx ON reklasifikasi_usulan (tenant_id, koperasi_id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['koperasi', 'koperasi_pengurus', 'koperasi_unit', 'koperasi_unit_volume', 'koperasi_rat',
                             'koperasi_kesehatan', 'koperasi_anggota_umkm', 'reklasifikasi_kampanye', 'reklasifikasi_usulan'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT ON kesehatan_regime, kesehatan_aspek, kesehatan_predikat TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON koperasi, reklasifikasi_kampanye, reklasifikasi_usulan TO sentra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON koperasi_pengurus, koperasi_unit, koperasi_unit_volume, koperasi_rat,
    koperasi_kesehatan, koperasi_anggota_umkm TO sentra_app;

-- Long work on cooperatives, as staff see it.
ALTER TABLE pekerjaan DROP CONSTRAINT pekerjaan_jenis_check;
ALTER TABLE pekerjaan ADD CONSTRAINT pekerjaan_jenis_check
    CHECK (jenis IN ('impor_umkm', 'ekspor_umkm', 'ekspor_koperasi', 'reklasifikasi', 'laporan_reklasifikasi'));
