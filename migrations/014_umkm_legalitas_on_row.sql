-- A business's legal documents move onto its record. They are values of the
-- record, not things of their own: written whole with it (create, update,
-- import, merge), read whole with it, never looked up across records, at
-- most one per kind. In a table of their own every read by id cost a second
-- statement (about a tenth of its CPU), and every imported document a row,
-- a primary-key entry and a foreign-key check (about a tenth of an import).
--
-- The column holds them as the API shows them, in kind order:
--   [{"jenis": "pirt", "nomor": "...", "status": "terbit", "berlaku_sampai": "2029-03-31T00:00:00Z"}]
-- The check keeps the kinds and statuses the table's checks kept; one
-- document per kind is the application's rule, as before it was the key's.

ALTER TABLE umkm ADD COLUMN legalitas jsonb NOT NULL DEFAULT '[]';

-- Row-level security is forced on the owner too: copy tenant by tenant.
DO $$
DECLARE t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE umkm u SET legalitas = d.docs
        FROM (SELECT umkm_id, jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                    'jenis', jenis, 'nomor', nomor, 'status', status,
                    'berlaku_sampai', to_char(berlaku_sampai, 'YYYY-MM-DD"T00:00:00Z"'))) ORDER BY jenis) AS docs
              FROM umkm_legalitas GROUP BY umkm_id) d
        WHERE d.umkm_id = u.id;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END $$;

ALTER TABLE umkm ADD CONSTRAINT umkm_legalitas_check CHECK (
    jsonb_typeof(legalitas) = 'array'
    AND NOT jsonb_path_exists(legalitas, '$[*] ? (
        !(@.jenis == "nib" || @.jenis == "pirt" || @.jenis == "halal" || @.jenis == "bpom_md"
          || @.jenis == "bpom_ml" || @.jenis == "hki" || @.jenis == "sni")
        || !(@.status == "terbit" || @.status == "dalam_proses" || @.status == "belum"))'));

DROP TABLE umkm_legalitas;
