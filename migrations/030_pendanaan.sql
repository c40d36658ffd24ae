-- Funding (DOMAIN.md "Funding", issue 17 item 5): schemes as dated
-- reference data with tenant overrides, applications and their stages, the
-- Kredit Mesra group's members, and Depok's interest-subsidy ledger with
-- the bank's claims and the year's budget.

-- A scheme's version in force from berlaku_mulai: the figures in aturan
-- (jsonb, its shape per jenis checked below and read by internal/pendanaan),
-- its legal basis and source. A platform table (reference data, like
-- plans): an office's own figure is an override in skema_dana_ubah.
-- provinsi_kode / kantor_slug limit a scheme to a province's or one
-- office's tenants (Kredit Mesra: Jawa Barat; the interest subsidy: Depok).
CREATE TABLE skema_dana (
    kode          text NOT NULL CHECK (kode ~ '^[a-z][a-z0-9_]{1,40}$'),
    berlaku_mulai date NOT NULL,
    jenis         text NOT NULL CHECK (jenis IN ('subsidi_bunga', 'kredit_mesra', 'kur', 'hibah')),
    nama          text NOT NULL CHECK (btrim(nama) <> ''),
    dasar_hukum   text NOT NULL CHECK (btrim(dasar_hukum) <> ''),
    sumber        text NOT NULL CHECK (btrim(sumber) <> ''),
    provinsi_kode text,
    kantor_slug   text,
    aturan        jsonb NOT NULL CHECK (jsonb_typeof(aturan) = 'object'),
    PRIMARY KEY (kode, berlaku_mulai),
    CHECK (CASE jenis
        WHEN 'subsidi_bunga' THEN aturan ?& ARRAY['pokok_min', 'tingkat', 'pagu_tahunan']
            AND jsonb_typeof(aturan -> 'tingkat') = 'array'
        WHEN 'kredit_mesra' THEN aturan ?& ARRAY['anggota_min', 'anggota_maks', 'plafon_min', 'plafon_maks', 'biaya', 'rekomendasi', 'dokumen']
            AND jsonb_typeof(aturan -> 'biaya') = 'array'
        WHEN 'kur' THEN aturan ? 'tingkat' AND jsonb_typeof(aturan -> 'tingkat') = 'array'
        WHEN 'hibah' THEN aturan ? 'penerima' AND jsonb_typeof(aturan -> 'penerima') = 'array'
    END)
);

-- Percentages are basis points (9000 = 90 %, 950 = 9,5 %): integers, so the
-- rupiah computed from them are exact.
INSERT INTO skema_dana (kode, berlaku_mulai, jenis, nama, dasar_hukum, sumber, provinsi_kode, kantor_slug, aturan) VALUES
    ('subsidi_bunga_depok', '2024-11-01', 'subsidi_bunga', 'Subsidi Bunga Pinjaman UMKM Kota Depok',
     'Peraturan Wali Kota Depok Nomor 73 Tahun 2024 (ditandatangani 1 November 2024), kerja sama dengan bank bjb',
     'Perwal Depok 73/2024; seed 000', NULL, 'depok',
     '{"pokok_min": 1000000,
       "tingkat": [{"pokok_maks": 25000000, "subsidi_bp": 9000}, {"pokok_maks": 50000000, "subsidi_bp": 8000}],
       "pembulatan": "subsidi_ke_bawah",
       "pagu_tahunan": {"2024": 100000000, "2025": 1500000000},
       "bank": ["bjb"],
       "syarat": ["ktp_depok", "nib", "pelatihan_pemkot", "slik_bersih", "bukan_asn"]}'),
    ('kredit_mesra', '2018-01-01', 'kredit_mesra', 'Kredit Mesra (Masyarakat Ekonomi Sejahtera)',
     'Program Pemerintah Provinsi Jawa Barat dengan bank bjb; biaya administrasi 8 % (6 bulan) dan 9,5 % (12 bulan) menurut bank bjb 2018, 2021, 2022',
     'bank bjb; DOMAIN.md "Funding"; seed 001', '32', NULL,
     '{"anggota_min": 5, "anggota_maks": 10, "plafon_min": 500000, "plafon_maks": 5000000,
       "biaya": [{"tenor_bulan": 6, "biaya_bp": 800}, {"tenor_bulan": 12, "biaya_bp": 950}],
       "bunga_bp": 0, "agunan": false, "tanggung_renteng": true,
       "rekomendasi": ["rt", "rw", "kelurahan", "pengurus_rumah_ibadah"],
       "dokumen": ["ktp", "kk", "sertifikat_pkm", "rekening_bjb"],
       "bank": ["bjb"]}'),
    ('kur', '2023-01-01', 'kur', 'Kredit Usaha Rakyat (rujukan)',
     'Permenko Perekonomian Nomor 1 Tahun 2023 sebagaimana telah diubah (terakhir Permenko 12/2025)',
     'Permenko 1/2023; DOMAIN.md "Funding"', NULL, NULL,
     '{"rujukan_saja": true,
       "tingkat": [{"nama": "super_mikro", "pokok_maks": 10000000, "bunga_bp": [300]},
                   {"nama": "mikro", "pokok_maks": 100000000, "bunga_bp": [600, 700, 800, 900]},
                   {"nama": "kecil", "pokok_maks": 500000000, "bunga_bp": [600, 700, 800, 900]}]}'),
    ('hibah', '2020-12-01', 'hibah', 'Hibah APBD',
     'Permendagri Nomor 77 Tahun 2020: hibah tidak diberikan kepada perorangan',
     'Permendagri 77/2020', NULL, NULL,
     '{"penerima": ["koperasi", "kelompok"], "perorangan": false,
       "tahap_dokumen": ["proposal", "evaluasi", "keputusan_kepala_daerah", "nphd", "pakta_integritas", "transfer", "laporan"]}');

GRANT SELECT ON skema_dana TO sentra_app;

-- An office's override of a scheme's figures from a day (seed 001's 8,5 %
-- Kredit Mesra fee): its keys replace the reference's (jsonb ||) for the
-- days it is in force, with the reason written down.
CREATE TABLE skema_dana_ubah (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    kode          text NOT NULL,
    berlaku_mulai date NOT NULL,
    aturan        jsonb NOT NULL CHECK (jsonb_typeof(aturan) = 'object'),
    alasan        text NOT NULL CHECK (btrim(alasan) <> ''),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kode, berlaku_mulai)
);

-- An application for funding: of one business (umkm_id), of a cooperative
-- (koperasi_id, hibah), or of a group (nama_kelompok, its members in
-- pengajuan_dana_anggota). The scheme's version it was decided under is
-- skema_berlaku. tahap is the current stage; its history with the time of
-- each is pengajuan_dana_tahap.
CREATE TABLE pengajuan_dana (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    skema_kode    text NOT NULL,
    skema_berlaku date NOT NULL,
    jenis         text NOT NULL CHECK (jenis IN ('subsidi_bunga', 'kredit_mesra', 'kur', 'hibah')),
    umkm_id       uuid,
    koperasi_id   uuid,
    nama_kelompok text,
    sk_kelompok   text,
    plafon        bigint NOT NULL CHECK (plafon > 0),
    tenor_bulan   integer CHECK (tenor_bulan BETWEEN 1 AND 360),
    biaya_admin   bigint CHECK (biaya_admin >= 0),
    bank          text,
    tahap         text NOT NULL CHECK (tahap IN ('diajukan', 'lengkap', 'dikirim_bank', 'disurvei', 'disetujui', 'ditolak',
                                                 'akad', 'sk', 'aktif', 'lunas', 'macet', 'dirujuk')),
    alasan_tolak  text CHECK (alasan_tolak IN ('slik', 'pinjaman_lain', 'paylater', 'dokumen', 'lainnya')),
    nomor_akad    text,
    tanggal_akad  date,
    nomor_sk      text,
    tanggal_sk    date,
    catatan       text,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id),
    -- Exactly one applicant.
    CHECK (num_nonnulls(umkm_id, koperasi_id, nama_kelompok) = 1),
    CHECK ((tahap = 'ditolak') = (alasan_tolak IS NOT NULL)),
    CHECK (jenis <> 'hibah' OR umkm_id IS NULL)
);
CREATE INDEX pengajuan_dana_tahap_idx ON pengajuan_dana (tenant_id, tahap, id);
CREATE INDEX pengajuan_dana_umkm_idx ON pengajuan_dana (tenant_id, umkm_id) WHERE umkm_id IS NOT NULL;

-- The members of a group application, each a registered business of the
-- office, with the amount each borrows and its fee under the figures in
-- force when the group applied (an override from a later day does not
-- change a decided fee).
CREATE TABLE pengajuan_dana_anggota (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    pengajuan_id uuid NOT NULL,
    umkm_id      uuid NOT NULL,
    plafon       bigint NOT NULL CHECK (plafon > 0),
    biaya_admin  bigint CHECK (biaya_admin >= 0), -- Kredit Mesra: as computed when applied
    PRIMARY KEY (tenant_id, pengajuan_id, umkm_id),
    FOREIGN KEY (tenant_id, pengajuan_id) REFERENCES pengajuan_dana (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id)
);
CREATE INDEX pengajuan_dana_anggota_umkm_idx ON pengajuan_dana_anggota (tenant_id, umkm_id);

-- The stages an application went through: no 0 is diajukan (or dirujuk);
-- the time in a stage is the next one's mulai_at minus its own.
CREATE TABLE pengajuan_dana_tahap (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    pengajuan_id uuid NOT NULL,
    no           integer NOT NULL CHECK (no >= 0),
    tahap        text NOT NULL,
    mulai_at     timestamptz NOT NULL,
    oleh         uuid,
    catatan      text,
    PRIMARY KEY (tenant_id, pengajuan_id, no),
    FOREIGN KEY (tenant_id, pengajuan_id) REFERENCES pengajuan_dana (tenant_id, id)
);

-- The bank's claim for a month's subsidy of its debtors: diajukan →
-- diverifikasi → dibayar (SP2D). Its amount is committed against the
-- year's budget when it is made.
CREATE TABLE klaim_subsidi (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    bank           text NOT NULL CHECK (btrim(bank) <> ''),
    bulan          date NOT NULL CHECK (extract(day FROM bulan) = 1),
    jumlah         bigint NOT NULL CHECK (jumlah > 0),
    baris          integer NOT NULL CHECK (baris > 0),
    status         text NOT NULL CHECK (status IN ('diajukan', 'diverifikasi', 'dibayar')),
    diverifikasi_at timestamptz,
    nomor_sp2d     text,
    tanggal_sp2d   date,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK ((status = 'dibayar') = (nomor_sp2d IS NOT NULL AND tanggal_sp2d IS NOT NULL))
);

-- The interest-subsidy ledger: one row per debtor (an active application
-- of the subsidy scheme) per month. bunga = subsidi + debitur, always (the
-- subsidy is rounded down to the rupiah, the debtor pays the rest).
CREATE TABLE subsidi_bunga (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    pengajuan_id uuid NOT NULL,
    bulan        date NOT NULL CHECK (extract(day FROM bulan) = 1),
    pokok        bigint NOT NULL CHECK (pokok > 0),
    bunga        bigint NOT NULL CHECK (bunga > 0),
    subsidi_bp   integer NOT NULL CHECK (subsidi_bp BETWEEN 0 AND 10000),
    subsidi      bigint NOT NULL CHECK (subsidi >= 0),
    debitur      bigint NOT NULL CHECK (debitur >= 0),
    klaim_id     uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, pengajuan_id, bulan),
    FOREIGN KEY (tenant_id, pengajuan_id) REFERENCES pengajuan_dana (tenant_id, id),
    FOREIGN KEY (tenant_id, klaim_id) REFERENCES klaim_subsidi (tenant_id, id),
    CHECK (subsidi + debitur = bunga)
);
CREATE INDEX subsidi_bunga_bulan_idx ON subsidi_bunga (tenant_id, bulan, id);

-- The subsidy budget used per year: the row a claim locks (FOR UPDATE) so
-- two claims cannot both pass the ceiling. The ceiling itself is the
-- scheme's figure (pagu_tahunan, overridable), read at the claim.
CREATE TABLE subsidi_pagu (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    tahun     integer NOT NULL CHECK (tahun BETWEEN 2000 AND 2100),
    terpakai  bigint NOT NULL DEFAULT 0 CHECK (terpakai >= 0),
    PRIMARY KEY (tenant_id, tahun)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['skema_dana_ubah', 'pengajuan_dana', 'pengajuan_dana_anggota', 'pengajuan_dana_tahap',
                             'klaim_subsidi', 'subsidi_bunga', 'subsidi_pagu'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT ON skema_dana_ubah, pengajuan_dana_anggota, pengajuan_dana_tahap TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON pengajuan_dana, klaim_subsidi, subsidi_bunga, subsidi_pagu TO sentra_app;
