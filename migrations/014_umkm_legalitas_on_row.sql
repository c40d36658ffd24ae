---- tern: disable-tx ----
-- A business's legal documents move onto its record (expand step). They are
-- values of the record, not things of their own: written whole with it
-- (create, update, import, merge), read whole with it, never looked up
-- across records, at most one per kind. In a table of their own every read
-- by id costs a second statement, and every imported document a row, a key
-- entry and a foreign-key check.
--
-- umkm.legalitas holds them as the API shows them, in kind order:
--   [{"jenis": "pirt", "nomor": "...", "status": "terbit", "berlaku_sampai": "2029-03-31T00:00:00Z"}]
--
-- Expand then contract (deploy/README.md): in this release the application
-- reads the column and writes both the column and umkm_legalitas, so the
-- previous binary keeps working beside it and after a rollback. Documents
-- the previous binary writes to the table reach the column through the
-- triggers below. The next release stops writing the table and drops the
-- triggers; a later one drops the table.
--
-- Outside a transaction (tern: disable-tx), so that the previous release
-- keeps serving while the column is filled: every step takes its lock only
-- briefly, the backfill commits every 1.000 records, and each step can run
-- again if the migration is retried.

SET lock_timeout = '10s';

ALTER TABLE umkm ADD COLUMN IF NOT EXISTS legalitas jsonb NOT NULL DEFAULT '[]';

-- One record's documents from umkm_legalitas, as the column keeps them.
CREATE OR REPLACE FUNCTION umkm_legalitas_json(tenant uuid, umkm uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
               'jenis', jenis, 'nomor', nomor, 'status', status,
               'berlaku_sampai', to_char(berlaku_sampai, 'YYYY-MM-DD"T00:00:00Z"'))) ORDER BY jenis COLLATE "C"), '[]')
    FROM umkm_legalitas WHERE tenant_id = tenant AND umkm_id = umkm
$$;

-- Writes of the previous binary to umkm_legalitas, carried to the column.
-- This release writes both itself and says so with sentra.legalitas_kolom,
-- so its imports are not written twice.
CREATE OR REPLACE FUNCTION umkm_legalitas_ke_kolom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('sentra.legalitas_kolom', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE umkm u SET legalitas = umkm_legalitas_json(u.tenant_id, u.id)
        WHERE u.id IN (SELECT umkm_id FROM baru);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE umkm u SET legalitas = umkm_legalitas_json(u.tenant_id, u.id)
        WHERE u.id IN (SELECT umkm_id FROM lama);
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER umkm_legalitas_ke_kolom_insert AFTER INSERT ON umkm_legalitas
    REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION umkm_legalitas_ke_kolom();
CREATE OR REPLACE TRIGGER umkm_legalitas_ke_kolom_update AFTER UPDATE ON umkm_legalitas
    REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION umkm_legalitas_ke_kolom();
CREATE OR REPLACE TRIGGER umkm_legalitas_ke_kolom_delete AFTER DELETE ON umkm_legalitas
    REFERENCING OLD TABLE AS lama FOR EACH STATEMENT EXECUTE FUNCTION umkm_legalitas_ke_kolom();

-- The column refuses anything the application could not read back, and the
-- kinds and statuses the table's checks refuse. One document per kind stays
-- the application's rule (and the table's key, while it is written).
-- Added NOT VALID and validated after the backfill: a scan that blocks no
-- one.
ALTER TABLE umkm DROP CONSTRAINT IF EXISTS umkm_legalitas_check;
ALTER TABLE umkm ADD CONSTRAINT umkm_legalitas_check CHECK (
    jsonb_typeof(legalitas) = 'array'
    -- strict: lax mode would look inside a nested array instead
    AND NOT jsonb_path_exists(legalitas, 'strict $[*] ? (@.type() != "object")')
    AND NOT jsonb_path_exists(legalitas, '$[*] ? (!(@.type() == "object"
        && @.jenis.type() == "string" && (@.jenis == "nib" || @.jenis == "pirt" || @.jenis == "halal"
            || @.jenis == "bpom_md" || @.jenis == "bpom_ml" || @.jenis == "hki" || @.jenis == "sni")
        && @.status.type() == "string" && (@.status == "terbit" || @.status == "dalam_proses" || @.status == "belum")
        && (!exists(@.nomor) || @.nomor.type() == "string")
        && (!exists(@.berlaku_sampai) || (@.berlaku_sampai.type() == "string"
            && @.berlaku_sampai like_regex "^[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00Z$"))))')
    -- and a real date: datetime() fails silently on 2029-02-30, so count.
    AND jsonb_array_length(jsonb_path_query_array(legalitas, '$[*].berlaku_sampai'))
        = jsonb_array_length(jsonb_path_query_array(legalitas,
            '$[*].berlaku_sampai.datetime("YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"")', '{}', true))) NOT VALID;

-- Backfill, tenant by tenant (row-level security is forced on the owner
-- too), 1.000 records per transaction. Each batch locks its records first:
-- the previous release locks a record before it changes the record's
-- documents, so the documents read after the lock are the committed ones.
DO $$
DECLARE
    t uuid;
    after uuid;
    batch uuid[];
BEGIN
    FOR t IN SELECT id FROM tenants ORDER BY id LOOP
        after := '00000000-0000-0000-0000-000000000000';
        LOOP
            PERFORM set_config('app.tenant_id', t::text, true);
            SELECT array_agg(umkm_id ORDER BY umkm_id) INTO batch FROM (
                SELECT DISTINCT umkm_id FROM umkm_legalitas WHERE tenant_id = t AND umkm_id > after
                ORDER BY umkm_id LIMIT 1000) b;
            EXIT WHEN batch IS NULL;
            PERFORM FROM umkm WHERE id = ANY (batch) ORDER BY id FOR UPDATE;
            UPDATE umkm u SET legalitas = umkm_legalitas_json(u.tenant_id, u.id) WHERE u.id = ANY (batch);
            after := batch[array_upper(batch, 1)];
            COMMIT;
        END LOOP;
    END LOOP;
END $$;

ALTER TABLE umkm VALIDATE CONSTRAINT umkm_legalitas_check;
