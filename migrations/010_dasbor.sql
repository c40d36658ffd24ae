-- Dashboards: rollups of the UMKM and cooperative registers for each office
-- and for province officials, and the machinery that keeps them fresh.
--
-- The rollup tables hold counts of records per region and per value of one
-- field, never a name, NIK, phone number, address or coordinate (the CHECKs
-- below keep their text columns to codes). Each row carries tenant_id and
-- the province_code of its tenant. A tenant transaction (app.tenant_id)
-- reads and writes its own rows; a province transaction (app.province_code,
-- db.InProvinceTx) only reads the rows of that province. Province views are
-- served from these tables alone: the tables holding personal data are
-- invisible to a province transaction.

-- The figures: one count per tenant, region and value of a field.
-- tingkat 0 is the whole office (wilayah_kode ''), 1 a kecamatan, 2 a
-- desa/kelurahan. No foreign key to tenants: a refresh rewrites thousands of
-- rows, and each foreign key costs a trigger per row; the rows are written
-- only by the refresh, which takes tenant and province from tenants.
CREATE TABLE dasbor_angka (
    tenant_id     uuid NOT NULL,
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    tingkat       smallint NOT NULL CHECK (tingkat BETWEEN 0 AND 2),
    wilayah_kode  text NOT NULL CHECK (wilayah_kode ~ '^([0-9]{2}\.[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?)?$'),
    dimensi       text NOT NULL CHECK (dimensi ~ '^[a-z_]+\.[a-z_]+$'),
    nilai         text NOT NULL CHECK (nilai ~ '^[a-zA-Z0-9_/-]{0,32}$'),
    jumlah        integer NOT NULL CHECK (jumlah >= 0),
    PRIMARY KEY (tenant_id, tingkat, wilayah_kode, dimensi, nilai),
    CHECK ((tingkat = 0) = (wilayah_kode = ''))
);
-- The province summary reads the office-level rows of every tenant of one
-- province.
CREATE INDEX dasbor_angka_province_idx ON dasbor_angka (province_code, tingkat);

-- The names of the regions, for views that cannot read wilayah (a province
-- transaction sees no tenant table but the rollups).
CREATE TABLE dasbor_wilayah (
    tenant_id     uuid NOT NULL,
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    kode          text NOT NULL CHECK (kode ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?$'),
    nama_wilayah  text NOT NULL,
    tingkat       smallint NOT NULL CHECK (tingkat IN (1, 2)),
    induk_kode    text,
    PRIMARY KEY (tenant_id, kode),
    CHECK ((tingkat = 1) = (induk_kode IS NULL))
);
CREATE INDEX dasbor_wilayah_province_idx ON dasbor_wilayah (province_code);

-- One row per refresh of a tenant's figures: when they were computed (the
-- moment of the snapshot they describe) and how long it took. Only the last
-- few are kept; the newest says how fresh every figure of the tenant is.
CREATE TABLE dasbor_penyegaran (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    dihitung_at   timestamptz NOT NULL,
    durasi_ms     integer NOT NULL CHECK (durasi_ms >= 0),
    baris_diubah  integer NOT NULL CHECK (baris_diubah >= 0),
    PRIMARY KEY (tenant_id, dihitung_at)
);
CREATE INDEX dasbor_penyegaran_province_idx ON dasbor_penyegaran (province_code, tenant_id, dihitung_at);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['dasbor_angka', 'dasbor_wilayah', 'dasbor_penyegaran'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
        -- Read only: a province transaction writes nothing (no policy lets
        -- it pass a WITH CHECK).
        EXECUTE format($p$CREATE POLICY province_read ON %I FOR SELECT
            USING (province_code = nullif(current_setting('app.province_code', true), ''))$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON dasbor_angka, dasbor_wilayah, dasbor_penyegaran TO sentra_app;

-- Keeping the figures fresh. Every statement that changes a table the
-- figures are computed from queues a refresh of its tenant: a statement
-- trigger, so no write path (API, import, merge, registration, campaign, an
-- operator's SQL) can forget it. The refresh is a River job (kind
-- dasbor_segarkan, queue dasbor; internal/jobs/dasbor.go) that recomputes
-- the tenant's figures from the source tables.
--
-- Debounced: a tenant has at most one refresh waiting. A writer finding one
-- waiting takes a share lock on its row until the writer commits; River
-- fetches jobs with FOR UPDATE SKIP LOCKED, so that refresh cannot start
-- before the change is committed and will see it. Finding none (the last
-- one already started, or none was queued), the writer inserts one in its
-- own transaction, visible (and runnable) only once the change commits. At
-- most one refresh runs per tenant at a time (an advisory lock in the job),
-- so a burst of writes costs one running refresh and one waiting.
--
-- Inserting into River's table from SQL ties this function to River's
-- schema (columns of river.river_job in River 0.51) and to its insert
-- notification ("river.river_insert"); the freshness tests run a real River
-- worker against it, so an incompatible upgrade fails them.
CREATE FUNCTION dasbor_antri(tenant uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction and tenant (the common case: many statements of
    -- one tenant in one transaction).
    IF current_setting('sentra.dasbor_antri', true) = tenant::text THEN
        RETURN;
    END IF;
    PERFORM 1 FROM river.river_job
        WHERE state = 'available' AND queue = 'dasbor' AND kind = 'dasbor_segarkan'
          AND args ->> 'tenant_id' = tenant::text
        FOR SHARE;
    IF NOT FOUND THEN
        INSERT INTO river.river_job (state, max_attempts, priority, queue, kind, args)
            VALUES ('available', 10, 1, 'dasbor', 'dasbor_segarkan', jsonb_build_object('tenant_id', tenant));
        PERFORM pg_notify('river.river_insert', '{"queue": "dasbor"}');
    END IF;
    PERFORM set_config('sentra.dasbor_antri', tenant::text, true);
END $$;

CREATE FUNCTION dasbor_berubah() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
BEGIN
    IF tenant IS NOT NULL THEN
        -- Row-level security let the statement touch this tenant's rows only.
        PERFORM dasbor_antri(tenant);
    ELSIF EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)) THEN
        -- Only a role that bypasses RLS can change rows with no tenant set
        -- (an operator): which tenants changed is unknown, so all are
        -- refreshed. Any other role changed nothing here.
        PERFORM dasbor_antri(id) FROM tenants;
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['umkm', 'koperasi', 'reklasifikasi_kampanye', 'reklasifikasi_usulan', 'registrasi', 'wilayah'] LOOP
        EXECUTE format('CREATE TRIGGER dasbor_berubah AFTER INSERT OR UPDATE OR DELETE ON %I
            FOR EACH STATEMENT EXECUTE FUNCTION dasbor_berubah()', t);
    END LOOP;
END $$;
