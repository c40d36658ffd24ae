-- UMKM registry: businesses with their owner, legal documents, reported
-- constraints, history of their figures, imports and online registrations.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- A desa/kelurahan must lie in the kecamatan a record names: the composite
-- foreign key below checks it against this key.
ALTER TABLE wilayah ADD CONSTRAINT wilayah_kode_parent_key UNIQUE (tenant_id, kode, parent_kode);

-- Size thresholds are reference data with their regulation and validity,
-- not constants in code (PP 7/2021 Pasal 35; UU 20/2008 for legacy data).
CREATE TABLE skala_batas (
    regulasi      text NOT NULL,
    berlaku_mulai date NOT NULL,
    skala         text NOT NULL CHECK (skala IN ('mikro', 'kecil', 'menengah')),
    modal_maks    bigint NOT NULL CHECK (modal_maks > 0),
    omzet_maks    bigint NOT NULL CHECK (omzet_maks > 0),
    sumber        text NOT NULL,
    PRIMARY KEY (regulasi, skala)
);
INSERT INTO skala_batas VALUES
    ('PP 7/2021', '2021-02-02', 'mikro',    1000000000,  2000000000, 'PP 7/2021 Pasal 35 ayat (3)-(5)'),
    ('PP 7/2021', '2021-02-02', 'kecil',    5000000000, 15000000000, 'PP 7/2021 Pasal 35 ayat (3)-(5)'),
    ('PP 7/2021', '2021-02-02', 'menengah',10000000000, 50000000000, 'PP 7/2021 Pasal 35 ayat (3)-(5)'),
    ('UU 20/2008', '2008-07-04', 'mikro',      50000000,   300000000, 'UU 20/2008 Pasal 6'),
    ('UU 20/2008', '2008-07-04', 'kecil',     500000000,  2500000000, 'UU 20/2008 Pasal 6'),
    ('UU 20/2008', '2008-07-04', 'menengah',10000000000, 50000000000, 'UU 20/2008 Pasal 6');

-- No foreign key to tenants or to the kecamatan alone: the composite key to
-- wilayah (desa/kelurahan within its kecamatan) already implies both, and
-- each foreign key costs a trigger per row on a bulk import.
CREATE TABLE umkm (
    tenant_id          uuid NOT NULL,
    id                 uuid NOT NULL,
    -- pelaku usaha (personal data: NIK sealed, matched by keyed hash)
    nama_pemilik       text NOT NULL CHECK (btrim(nama_pemilik) <> ''),
    nik_hash           bytea,
    nik_sealed         bytea,
    nik_masked         text,
    jenis_kelamin      text CHECK (jenis_kelamin IN ('L', 'P')),
    telepon            text,
    email              text,
    -- usaha
    nama_usaha         text NOT NULL CHECK (btrim(nama_usaha) <> ''),
    sektor             text NOT NULL,
    kbli               text CHECK (kbli ~ '^[0-9]{5}$'),
    produk             text,
    alamat             text,
    rt                 text CHECK (rt ~ '^[0-9]{1,3}$'),
    rw                 text CHECK (rw ~ '^[0-9]{1,3}$'),
    kecamatan_kode     text NOT NULL,
    kelurahan_kode     text NOT NULL,
    latitude           double precision CHECK (latitude BETWEEN -11 AND 6),
    longitude          double precision CHECK (longitude BETWEEN 95 AND 141),
    modal_usaha        bigint CHECK (modal_usaha >= 0),
    omzet_tahunan      bigint CHECK (omzet_tahunan >= 0),
    total_aset         bigint CHECK (total_aset >= 0),
    karyawan_laki      integer CHECK (karyawan_laki >= 0),
    karyawan_perempuan integer CHECK (karyawan_perempuan >= 0),
    tahun_mulai        smallint CHECK (tahun_mulai BETWEEN 1900 AND 2100),
    nib                text CHECK (nib ~ '^[0-9]{13}$'),
    status_binaan      text NOT NULL DEFAULT 'bukan_binaan' CHECK (status_binaan IN ('binaan', 'bukan_binaan')),
    saluran_penjualan  text[] NOT NULL DEFAULT '{}',
    sumber             text NOT NULL CHECK (sumber IN ('staf', 'registrasi_online', 'impor')),
    -- size as reported and as computed (criterion and regulation kept)
    skala_dilaporkan   text CHECK (skala_dilaporkan IN ('mikro', 'kecil', 'menengah', 'besar')),
    skala_hitung       text CHECK (skala_hitung IN ('mikro', 'kecil', 'menengah', 'besar')),
    skala_kriteria     text CHECK (skala_kriteria IN ('modal', 'omzet')),
    skala_regulasi     text,
    -- derived from the child tables, kept here so lists filter without joins
    legalitas_terbit   text[] NOT NULL DEFAULT '{}',
    legalitas_lengkap  boolean NOT NULL DEFAULT false,
    kendala_terbuka    text[] NOT NULL DEFAULT '{}',
    cari               text GENERATED ALWAYS AS (lower(nama_usaha || ' ' || nama_pemilik)) STORED,
    archived_at        timestamptz,
    merged_into        uuid,
    version            bigint NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, kelurahan_kode, kecamatan_kode) REFERENCES wilayah (tenant_id, kode, parent_kode),
    FOREIGN KEY (tenant_id, merged_into) REFERENCES umkm (tenant_id, id)
);
-- One live record per NIK and per NIB in a tenant.
CREATE UNIQUE INDEX umkm_nik_key ON umkm (tenant_id, nik_hash) WHERE archived_at IS NULL AND nik_hash IS NOT NULL;
CREATE UNIQUE INDEX umkm_nib_key ON umkm (tenant_id, nib) WHERE archived_at IS NULL AND nib IS NOT NULL;
-- Keyset lists by id (UUIDv7: time order), per selective filter. Filters on
-- fields with few values (skala: 93% mikro; gender; binaan) walk the primary
-- key and filter: an index there would cost every insert more than it saves.
CREATE INDEX umkm_kecamatan_idx ON umkm (tenant_id, kecamatan_kode, id);
CREATE INDEX umkm_kelurahan_idx ON umkm (tenant_id, kelurahan_kode, id);
CREATE INDEX umkm_sektor_idx ON umkm (tenant_id, sektor, id);
-- Typo-tolerant name search (trigram), scoped by tenant (btree_gin).
CREATE INDEX umkm_cari_idx ON umkm USING gin (tenant_id, cari gin_trgm_ops);

CREATE TABLE umkm_legalitas (
    tenant_id      uuid NOT NULL,
    umkm_id        uuid NOT NULL,
    jenis          text NOT NULL CHECK (jenis IN ('nib', 'pirt', 'halal', 'bpom_md', 'bpom_ml', 'hki', 'sni')),
    nomor          text,
    status         text NOT NULL CHECK (status IN ('terbit', 'dalam_proses', 'belum')),
    berlaku_sampai date,
    PRIMARY KEY (tenant_id, umkm_id, jenis),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE umkm_kendala (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    umkm_id     uuid NOT NULL,
    kategori    text NOT NULL CHECK (kategori IN ('permodalan', 'pemasaran', 'bahan_baku', 'legalitas', 'sdm', 'teknologi', 'perizinan', 'lainnya')),
    catatan     text,
    dilaporkan  date NOT NULL,
    selesai_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id)
);
CREATE INDEX umkm_kendala_umkm_idx ON umkm_kendala (tenant_id, umkm_id);

-- Figures over time: when employees, sales, capital or size change, the
-- figures being replaced are kept here with the time they were recorded;
-- the record itself holds the latest.
CREATE TABLE umkm_riwayat (
    tenant_id          uuid NOT NULL,
    umkm_id            uuid NOT NULL,
    dicatat_at         timestamptz NOT NULL,
    karyawan_laki      integer,
    karyawan_perempuan integer,
    omzet_tahunan      bigint,
    modal_usaha        bigint,
    total_aset         bigint,
    skala_hitung       text,
    sumber             text NOT NULL,
    PRIMARY KEY (tenant_id, umkm_id, dicatat_at),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id)
);

-- Uploaded files (imports) and produced files (exports), kept in the
-- database like everything that must survive a restart.
CREATE TABLE berkas (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    nama        text NOT NULL,
    jenis_isi   text NOT NULL,
    ukuran      bigint NOT NULL CHECK (ukuran >= 0),
    isi         bytea NOT NULL,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- Long work (imports, exports) as seen by staff: state, progress, result.
CREATE TABLE pekerjaan (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    jenis       text NOT NULL CHECK (jenis IN ('impor_umkm', 'ekspor_umkm')),
    status      text NOT NULL CHECK (status IN ('antri', 'berjalan', 'selesai', 'gagal')),
    parameter   jsonb NOT NULL DEFAULT '{}',
    selesai     integer NOT NULL DEFAULT 0,
    total       integer,
    hasil       jsonb,
    berkas_id   uuid,
    hasil_berkas_id uuid,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, berkas_id) REFERENCES berkas (tenant_id, id),
    FOREIGN KEY (tenant_id, hasil_berkas_id) REFERENCES berkas (tenant_id, id)
);

-- The per-row report of an import.
CREATE TABLE impor_baris (
    tenant_id    uuid NOT NULL,
    pekerjaan_id uuid NOT NULL,
    baris        integer NOT NULL,
    hasil        text NOT NULL CHECK (hasil IN ('baru', 'diperbarui', 'sama', 'duplikat', 'tidak_valid')),
    umkm_id      uuid,
    detail       jsonb,
    PRIMARY KEY (tenant_id, pekerjaan_id, baris),
    FOREIGN KEY (tenant_id, pekerjaan_id) REFERENCES pekerjaan (tenant_id, id)
);

-- Online self-registration as mitra binaan (no account), reviewed by staff.
CREATE TABLE registrasi (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    kode_lacak   text NOT NULL,
    status       text NOT NULL CHECK (status IN ('menunggu', 'diterima', 'ditolak')),
    data         jsonb NOT NULL,
    nik_hash     bytea,
    nik_sealed   bytea,
    alasan       text,
    umkm_id      uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    diputuskan_at timestamptz,
    diputuskan_oleh uuid,
    version      bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kode_lacak),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id)
);
CREATE INDEX registrasi_status_idx ON registrasi (tenant_id, status, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['umkm', 'umkm_legalitas', 'umkm_kendala', 'umkm_riwayat', 'berkas', 'pekerjaan', 'impor_baris', 'registrasi'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT ON skala_batas TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON umkm, umkm_kendala, pekerjaan, registrasi TO sentra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON umkm_legalitas TO sentra_app;
GRANT SELECT, INSERT ON umkm_riwayat, impor_baris TO sentra_app;
GRANT SELECT, INSERT, DELETE ON berkas TO sentra_app;

-- petugas: a kecamatan or kelurahan officer who works only inside the
-- regions assigned to them (codes of kecamatan or desa/kelurahan).
ALTER TABLE role_assignments DROP CONSTRAINT role_assignments_role_check;
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_role_check
    CHECK (role IN ('admin', 'staf', 'viewer', 'petugas', 'province_viewer', 'platform_admin'));
ALTER TABLE role_assignments ADD COLUMN wilayah text[];
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_wilayah_check
    CHECK ((role = 'petugas') = (wilayah IS NOT NULL));
