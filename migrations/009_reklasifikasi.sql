-- The reclassification campaign, continued (007 holds its tables).

-- A later campaign replaces the proposals an earlier one left waiting (the
-- cooperative's units may have changed since); decided proposals, approved
-- or rejected, are never touched.
ALTER TABLE reklasifikasi_usulan DROP CONSTRAINT reklasifikasi_usulan_status_check;
ALTER TABLE reklasifikasi_usulan ADD CONSTRAINT reklasifikasi_usulan_status_check
    CHECK (status IN ('menunggu', 'disetujui', 'ditolak', 'digantikan'));

-- Review order: high confidence first, then medium, needs review, needs
-- data. Lists filter by a range of it (hasil=usulan is 1-2) and page by
-- (peringkat, id), so every filter combination is one ordered index range.
ALTER TABLE reklasifikasi_usulan ADD COLUMN peringkat smallint GENERATED ALWAYS AS (
    CASE WHEN keyakinan = 'tinggi' THEN 1 WHEN keyakinan = 'sedang' THEN 2
         WHEN hasil = 'perlu_tinjauan' THEN 3 ELSE 4 END) STORED;
DROP INDEX reklasifikasi_usulan_hasil_idx;
CREATE INDEX reklasifikasi_usulan_peringkat_idx ON reklasifikasi_usulan (tenant_id, kampanye_id, peringkat, id);
CREATE INDEX reklasifikasi_usulan_status_idx ON reklasifikasi_usulan (tenant_id, kampanye_id, status, peringkat, id);

-- The campaign's work list, walked by id: cooperatives still without a
-- legal type.
CREATE INDEX koperasi_tanpa_jenis_idx ON koperasi (tenant_id, id) WHERE jenis IS NULL AND aktif AND archived_at IS NULL;
