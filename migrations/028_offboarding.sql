-- Offboarding an office (BILLING.md "Offboarding"): canceled → offboarding
-- (its admins download the full export bundle) → after the purge window
-- its rows are purged, a deletion record is kept with the invoice and
-- audit ledger, and it is archived.

-- The cancellation's reason, and the purge window: days from the start of
-- offboarding to the purge (policy data per office, like the export
-- window; a platform admin may change it before the day comes). 30 days:
-- long enough for an office to download, check and archive its bundle
-- through its own slow channels, short enough that Sentra does not keep
-- personal data of a former customer for months.
ALTER TABLE tenant_billing
    ADD COLUMN canceled_reason  text,
    ADD COLUMN purge_after_days integer NOT NULL DEFAULT 30 CHECK (purge_after_days BETWEEN 1 AND 365);

ALTER TABLE pekerjaan DROP CONSTRAINT pekerjaan_jenis_check;
ALTER TABLE pekerjaan ADD CONSTRAINT pekerjaan_jenis_check
    CHECK (jenis IN ('impor_umkm', 'ekspor_umkm', 'ekspor_koperasi', 'reklasifikasi', 'laporan_reklasifikasi', 'bundel_kantor'));

-- The export bundle (a zip) of a bundel_kantor pekerjaan, in pieces of at
-- most 8 MiB: written as the job streams the office's tables, read one
-- piece at a time by a download, so neither holds the whole bundle in
-- memory. Zip data is compressed already: stored without TOAST compression.
CREATE TABLE bundel_potongan (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    pekerjaan_id uuid NOT NULL,
    no           integer NOT NULL CHECK (no >= 0),
    isi          bytea NOT NULL CHECK (octet_length(isi) BETWEEN 1 AND 8388608),
    PRIMARY KEY (tenant_id, pekerjaan_id, no),
    FOREIGN KEY (tenant_id, pekerjaan_id) REFERENCES pekerjaan (tenant_id, id)
);
ALTER TABLE bundel_potongan ALTER COLUMN isi SET STORAGE EXTERNAL;
ALTER TABLE bundel_potongan ENABLE ROW LEVEL SECURITY;
ALTER TABLE bundel_potongan FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bundel_potongan
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON bundel_potongan TO sentra_app;

-- The deletion record of a purged office: a platform table (it outlives
-- the office's rows; its column is "tenant", not tenant_id, so the
-- catalogue does not take it for a tenant table). The rows deleted per
-- table grow with each committed batch, in the batch's transaction, so
-- they are exact even when the purge was interrupted and resumed.
CREATE TABLE penghapusan (
    tenant          uuid PRIMARY KEY REFERENCES tenants (id),
    slug            text NOT NULL,
    nama            text NOT NULL,
    bundel_id       uuid NOT NULL,
    manifest_sha256 text NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
    bundel_sha256   text NOT NULL CHECK (bundel_sha256 ~ '^[0-9a-f]{64}$'),
    baris           jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(baris) = 'object'),
    keanggotaan     integer NOT NULL DEFAULT 0, -- role assignments of the office removed
    dinonaktifkan   integer NOT NULL DEFAULT 0, -- accounts disabled (no role left anywhere)
    river_job_id    bigint NOT NULL,
    mulai_at        timestamptz NOT NULL DEFAULT now(),
    selesai_at      timestamptz
);
GRANT SELECT, INSERT, UPDATE ON penghapusan TO sentra_app;

-- Deleting a record checks that nothing references it, and the purge's
-- leaves-first batches ask the same of a table that references itself:
-- without an index on the referencing columns each deleted row would scan
-- the table (150.000 records: minutes per batch). Partial: only merged
-- records and accepted registrations point anywhere.
CREATE INDEX umkm_merged_into_idx ON umkm (tenant_id, merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX registrasi_umkm_idx ON registrasi (tenant_id, umkm_id) WHERE umkm_id IS NOT NULL;

-- The purge deletes what the application role may not: most tenant tables
-- grant it no DELETE (history is append-only), and none should be deleted
-- wholesale while an office lives. One reviewed SECURITY DEFINER function
-- in a private schema deletes, and only
--   * in a transaction of a tenant (app.tenant_id set) whose recorded
--     state is offboarding with its purge due (langganan.Evaluate decided
--     it; the daily clock stored it) and whose billing facts agree, by the
--     database's clock: two records a stray write would have to get both
--     wrong;
--   * from a tenant table of schema public (the catalogue) that is not of
--     the ledger kept with the deletion record (buku_besar);
--   * that tenant's rows (WHERE tenant_id, and the owner role is under the
--     tables' forced row-level security too), at most batas of them;
--   * for a table that references itself (wilayah: desa → kecamatan), only
--     rows no other row points at, so a batch never breaks a foreign key.
-- Its owner is the migration role (NOSUPERUSER, NOBYPASSRLS).
CREATE SCHEMA sentra_hapus;
REVOKE ALL ON SCHEMA sentra_hapus FROM PUBLIC;
GRANT USAGE ON SCHEMA sentra_hapus TO sentra_app;

-- The ledger kept: invoices and billing facts, and the audit log.
CREATE FUNCTION sentra_hapus.buku_besar() RETURNS text[] LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog AS $$ SELECT ARRAY['audit_log', 'invoices', 'tenant_billing'] $$;

CREATE FUNCTION sentra_hapus.hapus(tabel text, batas integer) RETURNS bigint
    -- public on the path for the tables' triggers (dasbor_berubah calls
    -- dasbor_antri unqualified); only the owner creates in public.
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    rel    oid;
    daun   text;
    n      bigint;
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'purge without a tenant' USING ERRCODE = '42501';
    END IF;
    IF batas IS NULL OR batas < 1 OR batas > 100000 THEN
        RAISE EXCEPTION 'purge batch of % rows', batas USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT FROM public.tenants t JOIN public.tenant_billing b ON b.tenant_id = t.id
                   WHERE t.id = tenant AND t.state = 'offboarding' AND t.state_reason = 'purge_due'
                     AND b.offboarding_at + make_interval(days => b.purge_after_days) <= now()) THEN
        RAISE EXCEPTION 'tenant % is not due for its purge', tenant USING ERRCODE = '55000';
    END IF;
    SELECT c.oid INTO rel FROM pg_class c
        JOIN pg_namespace ns ON ns.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE ns.nspname = 'public' AND c.relname = tabel AND c.relkind = 'r';
    IF rel IS NULL OR tabel = ANY (sentra_hapus.buku_besar()) THEN
        RAISE EXCEPTION 'not a purgeable tenant table: %', tabel USING ERRCODE = '42501';
    END IF;
    -- Leaves only, for each foreign key of the table to itself.
    SELECT string_agg(format('NOT EXISTS (SELECT FROM public.%I ch WHERE %s)', tabel,
               (SELECT string_agg(format('ch.%I = p.%I', ca.attname, ra.attname), ' AND ')
                FROM unnest(con.conkey, con.confkey) AS k(c, r)
                JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.c
                JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.r)), ' AND ')
        INTO daun
        FROM pg_constraint con WHERE con.conrelid = rel AND con.confrelid = rel AND con.contype = 'f';
    EXECUTE format('DELETE FROM public.%I WHERE ctid = ANY (ARRAY(SELECT p.ctid FROM public.%I p WHERE p.tenant_id = $1%s LIMIT $2))',
                   tabel, tabel, coalesce(' AND ' || daun, ''))
        USING tenant, batas;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION sentra_hapus.hapus(text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION sentra_hapus.buku_besar() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sentra_hapus.hapus(text, integer), sentra_hapus.buku_besar() TO sentra_app;

