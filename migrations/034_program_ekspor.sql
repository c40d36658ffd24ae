-- Exports of the programmes (issue 17 items 1 and 4, "Data and privacy"):
-- the list of programmes, one programme's participants, and the
-- never-helped as an invitation list, each long work as the register's
-- exports.
ALTER TABLE pekerjaan DROP CONSTRAINT pekerjaan_jenis_check;
ALTER TABLE pekerjaan ADD CONSTRAINT pekerjaan_jenis_check
    CHECK (jenis IN ('impor_umkm', 'ekspor_umkm', 'ekspor_koperasi', 'reklasifikasi', 'laporan_reklasifikasi', 'bundel_kantor',
                     'impor_luar', 'ekspor_program', 'ekspor_peserta', 'ekspor_belum_pernah'));

-- A participant list shared: who exported it (oleh), when, of which
-- programme, for which agency and purpose. Written in the transaction that
-- queues the export's job, so there is no export without its row and no
-- row without its job; baris is the rows the file held, set when the job
-- wrote it. nik_penuh says whether the file carried full NIKs and phones
-- (the exporter's role) or masked ones.
CREATE TABLE program_ekspor (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    program_id   uuid NOT NULL,
    agensi_id    uuid NOT NULL,
    tujuan       text NOT NULL CHECK (length(btrim(tujuan)) >= 10 AND length(tujuan) <= 500),
    pekerjaan_id uuid NOT NULL,
    format       text NOT NULL CHECK (format IN ('csv', 'xlsx')),
    nik_penuh    boolean NOT NULL,
    baris        integer CHECK (baris >= 0),
    oleh         uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, pekerjaan_id),
    FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id),
    FOREIGN KEY (tenant_id, agensi_id) REFERENCES agensi (tenant_id, id),
    FOREIGN KEY (tenant_id, pekerjaan_id) REFERENCES pekerjaan (tenant_id, id)
);
-- The programme page lists its exports, newest first.
CREATE INDEX program_ekspor_program_idx ON program_ekspor (tenant_id, program_id, created_at DESC);

ALTER TABLE program_ekspor ENABLE ROW LEVEL SECURITY;
ALTER TABLE program_ekspor FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON program_ekspor
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- No UPDATE of who, what or why: only the row count, once the file is written.
GRANT SELECT, INSERT ON program_ekspor TO sentra_app;
GRANT UPDATE (baris) ON program_ekspor TO sentra_app;
