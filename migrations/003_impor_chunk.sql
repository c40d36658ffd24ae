-- An import commits in chunks, each with its per-row results, so a crash
-- resumes after the last committed chunk without duplicates and the final
-- report still covers every row.
CREATE TABLE impor_chunk (
    tenant_id    uuid NOT NULL,
    pekerjaan_id uuid NOT NULL,
    baris_akhir  integer NOT NULL,
    hasil        jsonb NOT NULL,
    PRIMARY KEY (tenant_id, pekerjaan_id, baris_akhir),
    FOREIGN KEY (tenant_id, pekerjaan_id) REFERENCES pekerjaan (tenant_id, id)
);
ALTER TABLE impor_chunk ENABLE ROW LEVEL SECURITY;
ALTER TABLE impor_chunk FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON impor_chunk
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON impor_chunk TO sentra_app;

-- The per-row report lives in impor_chunk (one row per chunk, not per line).
DROP TABLE impor_baris;
