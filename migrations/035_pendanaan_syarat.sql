-- Funding gates (issue 17 item 5; DOMAIN.md "Funding"): each scheme
-- version's requirements as data in its aturan, the papers recorded per
-- application, the applicant's declarations and the bank's SLIK result on
-- the application, and the gates it still fails as last computed.

-- A gate (syarat) is {kode, tahap, nama, sumber}: kode says what is checked
-- (internal/pendanaan/syarat.go knows each), tahap the stage it must hold
-- before (lengkap: before the file is complete; disetujui: before
-- approval), nama the office's words, sumber where it comes from. A
-- priority (prioritas) has the same shape and never blocks.
--
-- Depok's interest subsidy (Perwal Depok 73/2024; DOMAIN.md "Funding";
-- seed 000): a Depok KTP, NIB, not ASN, no bad credit (self-declared when
-- the file is complete), then the bank's SLIK/BI checking at its survey;
-- an earlier Pemkot training is a priority, not a gate. Papers the office
-- records: the KTP it saw (its address is the domicile; a NIK keeps the
-- region of its first issue for life, so it proves nothing) and the NIB.
UPDATE skema_dana SET aturan = (aturan - 'syarat') || $j$
{"syarat": [
   {"kode": "domisili", "tahap": "lengkap", "nama": "KTP Depok dan usaha di Kota Depok",
    "sumber": "Perwal Depok 73/2024; DOMAIN.md \"Funding\" (KTP Depok)"},
   {"kode": "nib", "tahap": "lengkap", "nama": "NIB (13 digit)",
    "sumber": "Perwal Depok 73/2024; DOMAIN.md \"Funding\" (NIB)"},
   {"kode": "bukan_asn", "tahap": "lengkap", "nama": "Pernyataan bukan ASN",
    "sumber": "Perwal Depok 73/2024; DOMAIN.md \"Funding\" (bukan ASN)"},
   {"kode": "tanpa_kredit_macet", "tahap": "lengkap", "nama": "Pernyataan tidak punya kredit bermasalah (termasuk pasangan dan keluarga dekat)",
    "sumber": "Perwal Depok 73/2024; DOMAIN.md \"Funding\" (no bad credit)"},
   {"kode": "slik_bersih", "tahap": "disetujui", "nama": "Hasil SLIK/BI checking bank bersih",
    "sumber": "Perwal Depok 73/2024 (bjb memverifikasi dan menyurvei); DOMAIN.md \"Funding\"; seed 000"}],
 "prioritas": [
   {"kode": "pelatihan_pemkot", "tahap": "lengkap", "nama": "Pernah mengikuti pelatihan Pemkot",
    "sumber": "DOMAIN.md \"Funding\" (an earlier Pemkot training, priority)"}],
 "dokumen": ["ktp", "nib"]}
$j$::jsonb
WHERE kode = 'subsidi_bunga_depok' AND berlaku_mulai = '2024-11-01';

-- Kredit Mesra: seed 001 (Depok, 2022) asks recommendations from the RT,
-- the RW and the kelurahan, and a group from one RT or RW up to one
-- kelurahan; the house of worship's managers (bank rules) is accepted as a
-- paper, not required. Each member's KTP, KK, PKM training certificate and
-- bjb savings account (DOMAIN.md "Funding"); a training completed in
-- Sentra counts as the certificate.
UPDATE skema_dana SET aturan = aturan || $j$
{"syarat": [
   {"kode": "satu_kelurahan", "tahap": "lengkap", "nama": "Anggota kelompok dari satu kelurahan",
    "sumber": "Forum Renja DKUM Kota Depok, 17 Februari 2022 (seed 001)"},
   {"kode": "rekomendasi", "tahap": "lengkap", "nama": "Rekomendasi RT, RW dan kelurahan",
    "sumber": "Forum Renja DKUM Kota Depok, 17 Februari 2022 (seed 001)"},
   {"kode": "dokumen_anggota", "tahap": "lengkap", "nama": "Berkas setiap anggota (KTP, KK, sertifikat PKM, rekening bjb)",
    "sumber": "bank bjb; DOMAIN.md \"Funding\""}],
 "rekomendasi": ["rt", "rw", "kelurahan"],
 "rekomendasi_lain": ["pengurus_rumah_ibadah"]}
$j$::jsonb
WHERE kode = 'kredit_mesra' AND berlaku_mulai = '2018-01-01';

-- The gates join the keys each kind must carry; a gate names its kode and
-- one of the two stages.
-- 030's check was unnamed: found by what it says.
DO $$
DECLARE c text;
BEGIN
    SELECT conname INTO STRICT c FROM pg_constraint
     WHERE conrelid = 'skema_dana'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%pagu_tahunan%';
    EXECUTE format('ALTER TABLE skema_dana DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE skema_dana ADD CONSTRAINT skema_dana_jenis_aturan_check CHECK (
    CASE jenis
        WHEN 'subsidi_bunga' THEN aturan ?& ARRAY['pokok_min', 'tingkat', 'pagu_tahunan', 'syarat']
            AND jsonb_typeof(aturan -> 'tingkat') = 'array'
        WHEN 'kredit_mesra' THEN aturan ?& ARRAY['anggota_min', 'anggota_maks', 'plafon_min', 'plafon_maks', 'biaya', 'rekomendasi', 'dokumen', 'syarat']
            AND jsonb_typeof(aturan -> 'biaya') = 'array'
        WHEN 'kur' THEN aturan ? 'tingkat' AND jsonb_typeof(aturan -> 'tingkat') = 'array'
        WHEN 'hibah' THEN aturan ? 'penerima' AND jsonb_typeof(aturan -> 'penerima') = 'array'
    END
    AND (NOT aturan ? 'syarat' OR jsonb_typeof(aturan -> 'syarat') = 'array')
    AND NOT jsonb_path_exists(aturan, '$.syarat[*] ? (!exists(@.kode) || !exists(@.nama) || !(@.tahap == "lengkap" || @.tahap == "disetujui"))')
);

-- The declarations (at the step to lengkap) and the bank's SLIK result
-- (at the step to disurvei); syarat_kurang is the gates it failed when
-- last written ({kode, tahap, umkm_id?, pesan}), for lists and the board.
ALTER TABLE pengajuan_dana
    ADD COLUMN pernyataan_bukan_asn          boolean,
    ADD COLUMN pernyataan_tanpa_kredit_macet boolean,
    ADD COLUMN slik                          text CHECK (slik IN ('bersih', 'bermasalah')),
    ADD COLUMN syarat_kurang                 jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(syarat_kurang) = 'array'),
    ADD COLUMN syarat_diperiksa_at           timestamptz;

-- A paper the office saw for an application: which (jenis, from the
-- scheme's dokumen and rekomendasi), for a group's member which member
-- (umkm_id; absent: the application's own), its number, date and notes.
-- Reference data about the paper, not the file. One per kind and member.
CREATE TABLE pengajuan_dana_berkas (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    pengajuan_id uuid NOT NULL,
    umkm_id      uuid,
    jenis        text NOT NULL CHECK (jenis ~ '^[a-z][a-z0-9_]{1,40}$'),
    nomor        text CHECK (nomor IS NULL OR (btrim(nomor) <> '' AND length(nomor) <= 100)),
    tanggal      date,
    catatan      text CHECK (catatan IS NULL OR length(catatan) <= 1000),
    oleh         uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pengajuan_id) REFERENCES pengajuan_dana (tenant_id, id),
    -- A member's paper is of a member of that group.
    FOREIGN KEY (tenant_id, pengajuan_id, umkm_id) REFERENCES pengajuan_dana_anggota (tenant_id, pengajuan_id, umkm_id)
);
CREATE UNIQUE INDEX pengajuan_dana_berkas_jenis_key ON pengajuan_dana_berkas
    (tenant_id, pengajuan_id, coalesce(umkm_id, '00000000-0000-0000-0000-000000000000'::uuid), jenis);

ALTER TABLE pengajuan_dana_berkas ENABLE ROW LEVEL SECURITY;
ALTER TABLE pengajuan_dana_berkas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pengajuan_dana_berkas
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON pengajuan_dana_berkas TO sentra_app;
