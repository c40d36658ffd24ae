-- Online and retail markets and government purchasing (DOMAIN.md
-- "Marketing points, consignment and partnerships", seed 004): a
-- business's marketplace shops and retail listings, the city's purchases
-- from UMKM and cooperatives, and the goods-and-services budget per fiscal
-- year that the 40% share (UU 11/2020 Pasal 97, Perpres 12/2021 Pasal 65)
-- is measured against.

CREATE TABLE toko_daring (
    tenant_id         uuid NOT NULL,
    id                uuid NOT NULL,
    umkm_id           uuid NOT NULL,
    platform          text NOT NULL CHECK (platform IN ('shopee', 'tokopedia', 'grab', 'gojek', 'tiktok_shop', 'bukalapak', 'lazada', 'lainnya')),
    -- Shown as a link: https only (checked again in Go, with the host).
    tautan            text NOT NULL CHECK (tautan ~ '^https://[^[:space:]]+$' AND length(tautan) <= 500),
    -- Who brought the business online: an office programme, its staff, or itself.
    dibina_oleh       text NOT NULL CHECK (dibina_oleh IN ('program', 'staf', 'mandiri')),
    tanggal_bergabung date,
    penjualan_pertama date,
    -- The last day the shop was seen selling; "active" is within 90 days
    -- of the office's today, so it is computed, never stored.
    aktif_terakhir    date,
    archived_at       timestamptz,
    version           bigint NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    CHECK (aktif_terakhir IS NULL OR penjualan_pertama IS NULL OR aktif_terakhir >= penjualan_pertama)
);
CREATE INDEX toko_daring_umkm_idx ON toko_daring (tenant_id, umkm_id) WHERE archived_at IS NULL;
CREATE INDEX toko_daring_aktif_idx ON toko_daring (tenant_id, aktif_terakhir) WHERE archived_at IS NULL;

CREATE TABLE gerai_ritel (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    umkm_id       uuid NOT NULL,
    peritel       text NOT NULL CHECK (peritel IN ('indomaret', 'alfamart', 'lokal')),
    -- The local retailer's name (required for lokal).
    peritel_nama  text CHECK (length(peritel_nama) <= 200),
    jumlah_gerai  integer NOT NULL CHECK (jumlah_gerai BETWEEN 1 AND 100000),
    jumlah_produk integer NOT NULL CHECK (jumlah_produk BETWEEN 1 AND 10000),
    sejak         date,
    archived_at   timestamptz,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    CHECK (peritel <> 'lokal' OR peritel_nama IS NOT NULL)
);
CREATE INDEX gerai_ritel_umkm_idx ON gerai_ritel (tenant_id, umkm_id) WHERE archived_at IS NULL;

-- A purchase by one of the city's offices (OPD) from a business of the
-- register or a cooperative.
CREATE TABLE belanja_pemerintah (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    opd         text NOT NULL CHECK (btrim(opd) <> '' AND length(opd) <= 200),
    acara       text CHECK (length(acara) <= 300),
    saluran     text NOT NULL CHECK (saluran IN ('e_katalog_lokal', 'toko_daring', 'pengadaan_langsung', 'lainnya')),
    tanggal     date NOT NULL,
    nilai       bigint NOT NULL CHECK (nilai > 0 AND nilai <= 10000000000000),
    umkm_id     uuid,
    koperasi_id uuid,
    catatan     text CHECK (length(catatan) <= 1000),
    archived_at timestamptz,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id),
    CHECK ((umkm_id IS NULL) <> (koperasi_id IS NULL)),
    -- Toko Daring / Bela Pengadaan takes purchases up to Rp50 juta.
    CHECK (saluran <> 'toko_daring' OR nilai <= 50000000)
);
CREATE INDEX belanja_pemerintah_tanggal_idx ON belanja_pemerintah (tenant_id, tanggal) WHERE archived_at IS NULL;

-- The office's record of the city's goods-and-services budget per fiscal year.
CREATE TABLE anggaran_belanja (
    tenant_id  uuid NOT NULL,
    tahun      smallint NOT NULL CHECK (tahun BETWEEN 2000 AND 2100),
    nilai      bigint NOT NULL CHECK (nilai > 0 AND nilai <= 1000000000000000),
    version    bigint NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, tahun)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['toko_daring', 'gerai_ritel', 'belanja_pemerintah', 'anggaran_belanja'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON toko_daring, gerai_ritel, belanja_pemerintah, anggaran_belanja TO sentra_app;
