-- Marketing points, products and curation (DOMAIN.md "Marketing points,
-- consignment and partnerships"): the places where businesses' products are
-- shown or sold, the products with their photos, and the curation of a
-- product for a point through the legality gate. The later consignment
-- ledger hangs off a listing (titik_kurasi): one row per point × business ×
-- product.

-- Product categories: a small platform table (no tenant), the words the
-- gate's rules are written for.
CREATE TABLE produk_kategori (
    kode   text PRIMARY KEY,
    nama   text NOT NULL,
    pangan boolean NOT NULL,
    urut   smallint NOT NULL
);
INSERT INTO produk_kategori (kode, nama, pangan, urut) VALUES
    ('makanan_olahan_rumah', 'Makanan olahan rumah tangga (P-IRT)', true, 1),
    ('produk_hewan_olahan', 'Produk hewan olahan (BPOM MD)', true, 2),
    ('makanan_siap_saji', 'Makanan siap saji (laik higiene Dinkes)', true, 3),
    ('minuman', 'Minuman', true, 4),
    ('kerajinan', 'Kerajinan', false, 5),
    ('fesyen', 'Fesyen', false, 6),
    ('kosmetik', 'Kosmetik', false, 7),
    ('lainnya', 'Lainnya', false, 8);

-- The legality gate's rules as data, versioned per category: a decision
-- uses the newest version in force on its day (berlaku_mulai) and records
-- it. syarat is [{"dokumen": "nib"}, {"dokumen": "halal", "skala": ["mikro",
-- "kecil"]}, ...]: a document of the register's kinds (umkm.legalitas), and
-- optionally the business sizes it applies to (absent: all; a business of
-- unknown size counts as every size).
CREATE TABLE produk_aturan (
    kategori      text NOT NULL REFERENCES produk_kategori (kode),
    versi         integer NOT NULL CHECK (versi > 0),
    berlaku_mulai date NOT NULL,
    syarat        jsonb NOT NULL CHECK (jsonb_typeof(syarat) = 'array'),
    dasar         text NOT NULL,
    PRIMARY KEY (kategori, versi),
    UNIQUE (kategori, berlaku_mulai)
);
-- Version 1 (2 February 2021, PP 5/2021): NIB always, and each food
-- category's own document. Version 2 (17 October 2024): halal for medium
-- and large food businesses (PP 42/2024). Version 3 (17 October 2026): halal
-- also for micro and small ones. Ready-to-eat food needs the Dinkes hygiene
-- certificate (slhs), a kind the register does not hold yet: until it does,
-- such products go to the legalitas desk.
INSERT INTO produk_aturan (kategori, versi, berlaku_mulai, syarat, dasar)
SELECT k.kode, v.versi, v.mulai,
       '[{"dokumen": "nib"}]'::jsonb
        || CASE k.kode WHEN 'makanan_olahan_rumah' THEN '[{"dokumen": "pirt"}]'::jsonb
                       WHEN 'produk_hewan_olahan' THEN '[{"dokumen": "bpom_md"}]'::jsonb
                       WHEN 'makanan_siap_saji' THEN '[{"dokumen": "slhs"}]'::jsonb
                       ELSE '[]'::jsonb END
        || CASE WHEN NOT k.pangan OR v.versi = 1 THEN '[]'::jsonb
                WHEN v.versi = 2 THEN '[{"dokumen": "halal", "skala": ["menengah", "besar"]}]'::jsonb
                ELSE '[{"dokumen": "halal"}]'::jsonb END,
       CASE v.versi WHEN 1 THEN 'PP 5/2021 (NIB); PP 28/2004 dan Perka BPOM (izin pangan)'
                    ELSE 'PP 42/2024 (jaminan produk halal)' END
FROM produk_kategori k
CROSS JOIN (VALUES (1, date '2021-02-02'), (2, date '2024-10-17'), (3, date '2026-10-17')) AS v (versi, mulai)
WHERE k.pangan OR v.versi = 1;

-- A marketing point of the office.
CREATE TABLE titik (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    jenis          text NOT NULL CHECK (jenis IN ('galeri', 'pojok_umkm', 'pasar_mingguan', 'bazar', 'event', 'ritel_modern',
                                                  'marketplace', 'e_katalog', 'pojok_hotel', 'pojok_rumah_sakit', 'pojok_sekolah')),
    nama           text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 200),
    -- Optional: a marketplace or e-katalog has no place.
    kecamatan_kode text,
    kelurahan_kode text,
    alamat         text CHECK (length(alamat) <= 500),
    -- The operator: the office, a cooperative of the register, a partner
    -- (its name until partners have their table) or a retailer.
    operator_jenis text NOT NULL CHECK (operator_jenis IN ('kantor', 'koperasi', 'mitra', 'ritel')),
    koperasi_id    uuid,
    operator_nama  text CHECK (length(operator_nama) <= 200),
    dijaga         boolean NOT NULL,
    lapor_kadens   text NOT NULL CHECK (lapor_kadens IN ('mingguan', 'bulanan')),
    -- {"mingguan": [{"hari": 1, "mulai": "07:00", "selesai": "12:00"}], "tanggal": [{"tanggal": "2026-12-12", ...}]}
    jadwal         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(jadwal) = 'object'),
    status         text NOT NULL DEFAULT 'aktif' CHECK (status IN ('rencana', 'aktif', 'ditutup')),
    keterangan     text CHECK (length(keterangan) <= 2000),
    cari           text GENERATED ALWAYS AS (lower(nama)) STORED,
    archived_at    timestamptz,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, kecamatan_kode) REFERENCES wilayah (tenant_id, kode),
    FOREIGN KEY (tenant_id, kelurahan_kode, kecamatan_kode) REFERENCES wilayah (tenant_id, kode, parent_kode),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id),
    CHECK (kelurahan_kode IS NULL OR kecamatan_kode IS NOT NULL),
    CHECK ((operator_jenis = 'koperasi') = (koperasi_id IS NOT NULL)),
    CHECK (operator_jenis NOT IN ('mitra', 'ritel') OR operator_nama IS NOT NULL)
);
CREATE INDEX titik_kecamatan_idx ON titik (tenant_id, kecamatan_kode, id);
CREATE INDEX titik_cari_idx ON titik USING gin (tenant_id, cari gin_trgm_ops);

-- A product of a business.
CREATE TABLE produk (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    umkm_id     uuid NOT NULL,
    nama        text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 200),
    -- One of produk_kategori (a platform table: tenant tables point at
    -- platform rows by value, not by foreign key).
    kategori    text NOT NULL CHECK (kategori IN ('makanan_olahan_rumah', 'produk_hewan_olahan', 'makanan_siap_saji', 'minuman',
                                                  'kerajinan', 'fesyen', 'kosmetik', 'lainnya')),
    harga       bigint NOT NULL CHECK (harga >= 0),
    keterangan  text CHECK (length(keterangan) <= 2000),
    archived_at timestamptz,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- (tenant, umkm, id) is what a listing and the consignment ledger point at.
    UNIQUE (tenant_id, umkm_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id)
);

-- Photos live in the database (bytea): one backup holds everything. The
-- type is the one sniffed from the bytes, never the client's.
CREATE TABLE produk_foto (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    produk_id  uuid NOT NULL,
    tipe       text NOT NULL CHECK (tipe IN ('image/jpeg', 'image/png', 'image/webp')),
    ukuran     integer NOT NULL CHECK (ukuran > 0 AND ukuran <= 2097152),
    isi        bytea NOT NULL CHECK (length(isi) = ukuran),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, produk_id) REFERENCES produk (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX produk_foto_produk_idx ON produk_foto (tenant_id, produk_id, id);

-- A product applied to a point, the gate's decision and the listing that
-- follows: diterima → tampil → selesai; ditolak; dirujuk_legalitas (a
-- constraint of category legalitas on the business, for the legalitas desk).
CREATE TABLE titik_kurasi (
    tenant_id        uuid NOT NULL,
    id               uuid NOT NULL,
    titik_id         uuid NOT NULL,
    umkm_id          uuid NOT NULL,
    produk_id        uuid NOT NULL,
    status           text NOT NULL CHECK (status IN ('diterima', 'ditolak', 'dirujuk_legalitas', 'tampil', 'selesai')),
    -- The rule version used (produk_aturan, by value).
    aturan_kategori  text NOT NULL,
    aturan_versi     integer NOT NULL CHECK (aturan_versi > 0),
    tanggal_putusan  date NOT NULL,
    -- [{"dokumen": "pirt", "alasan": "..."}]: each failing requirement.
    gagal            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(gagal) = 'array'),
    alasan           text CHECK (length(alasan) <= 1000),
    kendala_id       uuid,
    tampil_mulai     date,
    tampil_selesai   date,
    diputuskan_oleh  uuid,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, titik_id) REFERENCES titik (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id, produk_id) REFERENCES produk (tenant_id, umkm_id, id),
    FOREIGN KEY (tenant_id, kendala_id) REFERENCES umkm_kendala (tenant_id, id),
    CHECK (status <> 'ditolak' OR alasan IS NOT NULL),
    CHECK (status <> 'dirujuk_legalitas' OR kendala_id IS NOT NULL),
    CHECK (status NOT IN ('tampil', 'selesai') OR tampil_mulai IS NOT NULL),
    CHECK (status <> 'selesai' OR (tampil_selesai IS NOT NULL AND tampil_selesai >= tampil_mulai))
);
-- One open listing of a product at a point (accepted or on display).
CREATE UNIQUE INDEX titik_kurasi_aktif_key ON titik_kurasi (tenant_id, titik_id, produk_id) WHERE status IN ('diterima', 'tampil');
CREATE INDEX titik_kurasi_titik_idx ON titik_kurasi (tenant_id, titik_id, id);
CREATE INDEX titik_kurasi_produk_idx ON titik_kurasi (tenant_id, produk_id, id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['titik', 'produk', 'produk_foto', 'titik_kurasi'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT ON produk_kategori, produk_aturan TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON titik, produk, titik_kurasi TO sentra_app;
GRANT SELECT, INSERT, DELETE ON produk_foto TO sentra_app;
