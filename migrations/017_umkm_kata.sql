-- Name search by whole words, typo-tolerant through a dictionary of the
-- words in use, and the contract step of migration 014.
--
-- Until now every record put every trigram of its business and owner names
-- (~40 entries) into a GIN index, and a search compared the typed words
-- with every candidate's names. Now a record puts its words (~5 entries)
-- into a full-text index, and the tenant's distinct words (tens of
-- thousands, however many records) go into a small dictionary with a
-- trigram index. A search looks its words up in the dictionary (exact,
-- prefix, or within one or two typos) and then asks the register for the
-- records holding those words: a few index probes, whatever the register's
-- size or the word's popularity (the technique of the pg_trgm
-- documentation, "Text Search Integration").
--
-- Sentra is pre-launch: no environment runs the release before 014, so the
-- register stops writing umkm_legalitas and the table goes now. After
-- launch, contract steps wait a release (deploy/README.md).

DROP TRIGGER IF EXISTS umkm_legalitas_ke_kolom_insert ON umkm_legalitas;
DROP TRIGGER IF EXISTS umkm_legalitas_ke_kolom_update ON umkm_legalitas;
DROP TRIGGER IF EXISTS umkm_legalitas_ke_kolom_delete ON umkm_legalitas;
DROP FUNCTION IF EXISTS umkm_legalitas_ke_kolom();
DROP FUNCTION IF EXISTS umkm_legalitas_json(uuid, uuid);
DROP TABLE IF EXISTS umkm_legalitas;

-- The words of a name as search sees them: lower case, accents removed
-- ("Pâtisserie" is found by "patisserie"), split as PostgreSQL's parser
-- splits ("Laki-laki" gives laki-laki and laki), no stemming or stop words
-- (names are not prose). IMMUTABLE so that a generated column may use it:
-- true as long as the unaccent rules file does not change, and a change
-- there would only need the column recomputed.
CREATE FUNCTION sentra_kata(nama text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN to_tsvector('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, nama));

DROP INDEX umkm_cari_idx;
ALTER TABLE umkm DROP COLUMN cari;
ALTER TABLE umkm ADD COLUMN kata tsvector GENERATED ALWAYS AS (sentra_kata(nama_usaha || ' ' || nama_pemilik)) STORED;
-- Scoped by tenant (btree_gin), so that a search reads only its own
-- office's matches, however many offices share a word. A pending list of
-- 256 kB instead of 4 MB: inserts still go in sorted batches (an import's
-- words cost a fifth less than one by one), and a search reads at most 32
-- unmerged pages instead of up to 512 until a vacuum merges them.
CREATE INDEX umkm_kata_idx ON umkm USING gin (tenant_id, kata) WITH (fastupdate = on, gin_pending_list_limit = 256);

-- A list by kecamatan walks the primary key in id order until the page is
-- full: a kecamatan holds 1-15% of an office's businesses, so a page reads
-- a few thousand entries at most, while the index cost every insert a
-- descent and a split now and then (a fifth of an import's insert).
DROP INDEX umkm_kecamatan_idx;
-- Likewise a third of the businesses have an issued NIB: a page of
-- punya_legalitas=nib is full after ~150 records of the primary key. The
-- partial indexes of 006 are for rare values.
DROP INDEX umkm_legalitas_nib_idx;

-- The tenant's words, each once. Words are only ever added: a word no
-- record holds any more costs a row here and finds nothing.
CREATE TABLE umkm_kata (
    tenant_id uuid NOT NULL,
    kata      text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant_id, kata)
);
CREATE INDEX umkm_kata_trgm_idx ON umkm_kata USING gin (tenant_id, kata gin_trgm_ops) WITH (fastupdate = off);
ALTER TABLE umkm_kata ENABLE ROW LEVEL SECURITY;
ALTER TABLE umkm_kata FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON umkm_kata
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON umkm_kata TO sentra_app;

-- Every statement that writes names adds their new words, in the writer's
-- transaction, so a word is searchable with typos as soon as its record is
-- visible. Sorted, so that two writers adding the same new words wait for
-- each other in one order and never deadlock within a statement; ON
-- CONFLICT, so that an existing word costs one index probe.
CREATE FUNCTION umkm_kata_tambah() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO umkm_kata (tenant_id, kata)
    SELECT DISTINCT b.tenant_id, k FROM baru b, unnest(tsvector_to_array(b.kata)) k
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER umkm_kata_insert AFTER INSERT ON umkm
    REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION umkm_kata_tambah();
CREATE TRIGGER umkm_kata_update AFTER UPDATE ON umkm
    REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION umkm_kata_tambah();

-- The words already in the register, tenant by tenant (row-level security
-- is forced on the owner too).
DO $$
DECLARE t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants ORDER BY id LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        INSERT INTO umkm_kata (tenant_id, kata)
        SELECT DISTINCT tenant_id, k FROM umkm, unnest(tsvector_to_array(kata)) k
        ON CONFLICT DO NOTHING;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END $$;
