-- Business composition (komposisi usaha) of a cooperative per year: each
-- unit's share in percent, for offices that know "toko 60%, simpan pinjam
-- 40%" but not the rupiah volumes. The reclassification policy uses it as
-- weights for a year without rupiah volumes (internal/koperasi/reklas.go).
--
-- One row per unit and year. The shares of a cooperative's year add up to
-- exactly 100: the service writes a year's rows together and checks their
-- sum (a constraint across rows would need a deferred trigger per row).
-- Deleting a unit deletes its shares with it.
CREATE TABLE koperasi_unit_porsi (
    tenant_id  uuid NOT NULL,
    unit_id    uuid NOT NULL,
    tahun      smallint NOT NULL CHECK (tahun BETWEEN 1945 AND 2100),
    persen     numeric(5,2) NOT NULL CHECK (persen BETWEEN 0 AND 100),
    PRIMARY KEY (tenant_id, unit_id, tahun),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES koperasi_unit (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE koperasi_unit_porsi ENABLE ROW LEVEL SECURITY;
ALTER TABLE koperasi_unit_porsi FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON koperasi_unit_porsi
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON koperasi_unit_porsi TO sentra_app;
