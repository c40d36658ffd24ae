-- Other agencies' participant lists, imported (issue 17 item 3): the
-- import is long work as the register's, and its rows land in
-- partisipasi_luar (migration 031).
ALTER TABLE pekerjaan DROP CONSTRAINT pekerjaan_jenis_check;
ALTER TABLE pekerjaan ADD CONSTRAINT pekerjaan_jenis_check
    CHECK (jenis IN ('impor_umkm', 'ekspor_umkm', 'ekspor_koperasi', 'reklasifikasi', 'laporan_reklasifikasi', 'bundel_kantor',
                     'impor_luar'));

-- kunci is who a row is within its programme (the NIK's hash, else the
-- NIB, else kelurahan + business + owner, case-folded), so importing the
-- same list again finds its rows instead of adding them twice. Rows from
-- before this migration have none and are never matched by it.
-- nik_masked shows which person an unmatched row is without the NIK;
-- keterangan is the list's own status or remark.
ALTER TABLE partisipasi_luar
    ADD COLUMN kunci      text CHECK (length(kunci) <= 1000),
    ADD COLUMN nik_masked text CHECK (nik_masked ~ '^[0-9]{4}x{8}[0-9]{4}$'),
    ADD COLUMN keterangan text CHECK (length(keterangan) <= 500);
CREATE UNIQUE INDEX partisipasi_luar_kunci_key ON partisipasi_luar (tenant_id, agensi_id, tahun, jenis, program_nama, kunci);
-- An import's rows, for its list.
CREATE INDEX partisipasi_luar_pekerjaan_idx ON partisipasi_luar (tenant_id, pekerjaan_id) WHERE pekerjaan_id IS NOT NULL;
