-- The never-helped counts of a kecamatan or of the office
-- (tumpang.JumlahBelumPernah, the never-helped map): bench program, 150.000
-- businesses and 300.000 participations, CPU of one backend without
-- parallel workers, a kecamatan of 35.000 businesses 400 -> 160 ms, the
-- office 780 -> 335 ms.
--
-- The live businesses of a kecamatan with what the count reads of them,
-- so that both of its scans are index-only instead of reading the wide
-- umkm rows.
CREATE INDEX umkm_belum_idx ON umkm (tenant_id, kecamatan_kode, kelurahan_kode) INCLUDE (id, nik_hash)
    WHERE archived_at IS NULL;
-- The live participations by the owner's NIK: the never-helped and the
-- overlap check ask for live ones only, which peserta_nik_idx answers only
-- after reading each row's status.
CREATE INDEX peserta_nik_hidup_idx ON peserta (tenant_id, nik_hash)
    WHERE nik_hash IS NOT NULL AND status NOT IN ('batal', 'ditolak');
