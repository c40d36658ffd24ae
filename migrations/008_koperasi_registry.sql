-- Indexes for the cooperative list's selective filters, each in keyset
-- order (tenant_id, <filter>, id) so a page costs the same in a tenant of 26
-- cooperatives or of 10,000. kecamatan and kelompok are served by 007.

-- jenis, including "not yet set" (NULL: legacy KSU).
CREATE INDEX koperasi_jenis_idx ON koperasi (tenant_id, jenis, id);
CREATE INDEX koperasi_kelurahan_idx ON koperasi (tenant_id, kelurahan_kode, id);
CREATE INDEX koperasi_predikat_idx ON koperasi (tenant_id, kesehatan_predikat, id);
-- Inactive cooperatives are the few; active ones are most of a tenant.
CREATE INDEX koperasi_nonaktif_idx ON koperasi (tenant_id, id) WHERE NOT aktif;
-- RAT overdue: the last RAT held, or the founding when none yet, before a
-- cut-off (see internal/koperasi/rat.go).
CREATE INDEX koperasi_rat_idx ON koperasi (tenant_id, (coalesce(rat_terakhir, badan_hukum_tanggal)), id);
-- Pilots are at most one per kecamatan: the pilot filter walks this.
CREATE INDEX koperasi_pilot_idx ON koperasi (tenant_id, id) WHERE pilot;

-- The cooperatives of one UMKM, in keyset order.
DROP INDEX koperasi_anggota_umkm_umkm_idx;
CREATE INDEX koperasi_anggota_umkm_umkm_idx ON koperasi_anggota_umkm (tenant_id, umkm_id, koperasi_id);
-- Managers of a cooperative in a stable order.
DROP INDEX koperasi_pengurus_koperasi_idx;
CREATE INDEX koperasi_pengurus_koperasi_idx ON koperasi_pengurus (tenant_id, koperasi_id, id);
