-- The consultation clinic (issue 18 item 7; DOMAIN.md "Marketing points,
-- consignment and partnerships", seed 000): service areas, consultants with
-- weekly schedules and daily capacity, tickets with a booked slot and their
-- outcomes, and the satisfaction survey (SKM, PermenPANRB 14/2017).

-- Service areas: PLUT-KUMKM's seven plus legalitas, editable per office.
-- Offices that exist now get them here; an office created later gets them
-- on its first read of the list (internal/klinik, insert … on conflict).
CREATE TABLE klinik_layanan (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    kode        text NOT NULL CHECK (kode ~ '^[a-z][a-z0-9_]{1,39}$'),
    nama        text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 200),
    urutan      smallint NOT NULL DEFAULT 0,
    archived_at timestamptz,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kode)
);

INSERT INTO klinik_layanan (tenant_id, id, kode, nama, urutan)
SELECT t.id, gen_random_uuid(), l.kode, l.nama, l.urutan
  FROM tenants t CROSS JOIN (VALUES
    ('kelembagaan', 'Kelembagaan', 1), ('sdm', 'Sumber daya manusia (SDM)', 2), ('produksi', 'Produksi', 3),
    ('pembiayaan', 'Pembiayaan', 4), ('pemasaran', 'Pemasaran', 5), ('teknologi_informasi', 'Teknologi informasi', 6),
    ('jaringan_kerja_sama', 'Jaringan kerja sama', 7), ('legalitas', 'Legalitas dan perizinan', 8)) AS l(kode, nama, urutan)
ON CONFLICT DO NOTHING;

-- A consultant: a staff user (user_id) or someone from outside (name
-- only). Slots are slot_menit long inside the weekly schedule, at most
-- kuota_harian booked a day.
CREATE TABLE klinik_konsultan (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    nama         text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 200),
    user_id      uuid,
    slot_menit   smallint NOT NULL CHECK (slot_menit BETWEEN 10 AND 240),
    kuota_harian smallint NOT NULL CHECK (kuota_harian BETWEEN 1 AND 50),
    archived_at  timestamptz,
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE klinik_konsultan_layanan (
    tenant_id    uuid NOT NULL,
    konsultan_id uuid NOT NULL,
    layanan_id   uuid NOT NULL,
    PRIMARY KEY (tenant_id, konsultan_id, layanan_id),
    FOREIGN KEY (tenant_id, konsultan_id) REFERENCES klinik_konsultan (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, layanan_id) REFERENCES klinik_layanan (tenant_id, id)
);

-- Weekly schedule: ISO weekday (1 Monday … 7 Sunday), office local times.
CREATE TABLE klinik_jadwal (
    tenant_id    uuid NOT NULL,
    konsultan_id uuid NOT NULL,
    hari         smallint NOT NULL CHECK (hari BETWEEN 1 AND 7),
    mulai        time NOT NULL,
    selesai      time NOT NULL,
    tempat       text NOT NULL CHECK (btrim(tempat) <> '' AND length(tempat) <= 200),
    CHECK (selesai > mulai),
    PRIMARY KEY (tenant_id, konsultan_id, hari, mulai),
    FOREIGN KEY (tenant_id, konsultan_id) REFERENCES klinik_konsultan (tenant_id, id) ON DELETE CASCADE
);

-- A ticket. The business is a register record (umkm_id) or, for someone
-- not yet registered, a name and phone (personal data: masked without
-- read-pii). kecamatan_kode/kelurahan_kode place it for a petugas.
CREATE TABLE klinik_tiket (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    kode           text NOT NULL,
    saluran        text NOT NULL CHECK (saluran IN ('walk_in', 'online', 'kecamatan', 'whatsapp')),
    umkm_id        uuid,
    nama           text CHECK (nama IS NULL OR (btrim(nama) <> '' AND length(nama) <= 200)),
    telepon        text,
    nama_usaha     text CHECK (nama_usaha IS NULL OR length(nama_usaha) <= 200),
    kecamatan_kode text,
    kelurahan_kode text,
    layanan_id     uuid NOT NULL,
    pertanyaan     text NOT NULL CHECK (btrim(pertanyaan) <> '' AND length(pertanyaan) <= 4000),
    status         text NOT NULL DEFAULT 'baru' CHECK (status IN ('baru', 'dijadwalkan', 'selesai', 'batal')),
    konsultan_id   uuid,
    tanggal        date,
    mulai          time,
    tindak_lanjut  date,
    dibuat_oleh    uuid,
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kode),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    FOREIGN KEY (tenant_id, layanan_id) REFERENCES klinik_layanan (tenant_id, id),
    FOREIGN KEY (tenant_id, konsultan_id) REFERENCES klinik_konsultan (tenant_id, id),
    CHECK (umkm_id IS NOT NULL OR nama IS NOT NULL),
    CHECK ((konsultan_id IS NULL) = (tanggal IS NULL) AND (tanggal IS NULL) = (mulai IS NULL)),
    CHECK (status <> 'dijadwalkan' OR konsultan_id IS NOT NULL)
);
-- No double booking: a consultant's slot is held by one live ticket. Two
-- staff booking it at once: one insert waits on the other's index entry and
-- then fails (23505, answered 409).
CREATE UNIQUE INDEX klinik_tiket_slot_key ON klinik_tiket (tenant_id, konsultan_id, tanggal, mulai)
    WHERE status IN ('dijadwalkan', 'selesai');
CREATE INDEX klinik_tiket_list_idx ON klinik_tiket (tenant_id, id DESC);
CREATE INDEX klinik_tiket_umkm_idx ON klinik_tiket (tenant_id, umkm_id) WHERE umkm_id IS NOT NULL;

-- Outcomes of a ticket, one row each.
CREATE TABLE klinik_hasil (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    tiket_id      uuid NOT NULL,
    jenis         text NOT NULL CHECK (jenis IN ('nasihat', 'rujuk_program', 'rujuk_instansi', 'rujuk_bank', 'dokumen_diperoleh')),
    catatan       text CHECK (catatan IS NULL OR length(catatan) <= 4000),
    program_id    uuid,
    instansi      text CHECK (instansi IN ('dinkes', 'dpmptsp', 'bpjph', 'lainnya')),
    instansi_nama text CHECK (instansi_nama IS NULL OR length(instansi_nama) <= 200),
    bank          text CHECK (bank IS NULL OR length(bank) <= 200),
    dokumen_jenis text CHECK (dokumen_jenis IN ('nib', 'pirt', 'halal', 'bpom_md', 'bpom_ml', 'hki', 'sni')),
    dokumen_nomor text CHECK (dokumen_nomor IS NULL OR length(dokumen_nomor) <= 40),
    tindak_lanjut date,
    dicatat_oleh  uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, tiket_id) REFERENCES klinik_tiket (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id),
    CHECK (jenis <> 'rujuk_program' OR program_id IS NOT NULL),
    CHECK (jenis <> 'rujuk_instansi' OR instansi IS NOT NULL),
    CHECK (instansi IS DISTINCT FROM 'lainnya' OR instansi_nama IS NOT NULL),
    CHECK (jenis <> 'rujuk_bank' OR bank IS NOT NULL),
    CHECK (jenis <> 'dokumen_diperoleh' OR dokumen_jenis IS NOT NULL)
);
CREATE INDEX klinik_hasil_tiket_idx ON klinik_hasil (tenant_id, tiket_id);

-- The satisfaction survey of a finished ticket: PermenPANRB 14/2017's nine
-- elements scored 1–4; an element not answered is NULL, never 0.
CREATE TABLE klinik_skm (
    tenant_id  uuid NOT NULL,
    tiket_id   uuid NOT NULL,
    u1 smallint CHECK (u1 BETWEEN 1 AND 4), u2 smallint CHECK (u2 BETWEEN 1 AND 4),
    u3 smallint CHECK (u3 BETWEEN 1 AND 4), u4 smallint CHECK (u4 BETWEEN 1 AND 4),
    u5 smallint CHECK (u5 BETWEEN 1 AND 4), u6 smallint CHECK (u6 BETWEEN 1 AND 4),
    u7 smallint CHECK (u7 BETWEEN 1 AND 4), u8 smallint CHECK (u8 BETWEEN 1 AND 4),
    u9 smallint CHECK (u9 BETWEEN 1 AND 4),
    saran      text CHECK (saran IS NULL OR length(saran) <= 2000),
    tanggal    date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, tiket_id),
    FOREIGN KEY (tenant_id, tiket_id) REFERENCES klinik_tiket (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX klinik_skm_tanggal_idx ON klinik_skm (tenant_id, tanggal);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['klinik_layanan', 'klinik_konsultan', 'klinik_konsultan_layanan', 'klinik_jadwal',
                             'klinik_tiket', 'klinik_hasil', 'klinik_skm'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON klinik_layanan, klinik_konsultan, klinik_tiket, klinik_skm TO sentra_app;
GRANT SELECT, INSERT, DELETE ON klinik_konsultan_layanan, klinik_jadwal TO sentra_app;
GRANT SELECT, INSERT ON klinik_hasil TO sentra_app;
