-- Partnerships (DOMAIN.md "Marketing points, consignment and partnerships",
-- Permendagri 22/2020): the office's partners, their written agreements
-- (a renewal is a new agreement linked to the one it renews, never a change
-- of the old one's dates), the duties an agreement gives as dated tasks,
-- its evaluations (at least twice a year), and the reminders the hourly
-- clock stores per office.

CREATE TABLE kemitraan_mitra (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    jenis        text NOT NULL CHECK (jenis IN ('hotel', 'rumah_sakit', 'sekolah', 'universitas', 'bank', 'ritel', 'bumd', 'asosiasi', 'lainnya')),
    nama         text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 200),
    -- The contact person and phone are personal data: masked without read-pii.
    kontak_nama  text,
    telepon      text,
    alamat       text,
    wilayah_kode text,
    archived_at  timestamptz,
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, wilayah_kode) REFERENCES wilayah (tenant_id, kode)
);
CREATE INDEX kemitraan_mitra_jenis_idx ON kemitraan_mitra (tenant_id, jenis, id);

CREATE TABLE kemitraan_perjanjian (
    tenant_id        uuid NOT NULL,
    id               uuid NOT NULL,
    mitra_id         uuid NOT NULL,
    jenis            text NOT NULL CHECK (jenis IN ('mou', 'pks', 'lainnya')),
    judul            text NOT NULL CHECK (btrim(judul) <> '' AND length(judul) <= 300),
    -- Each party numbers and dates its own copy.
    nomor_kantor     text,
    tanggal_kantor   date,
    nomor_mitra      text,
    tanggal_mitra    date,
    ruang_lingkup    text,
    mulai            date NOT NULL,
    berakhir         date NOT NULL CHECK (berakhir >= mulai),
    status           text NOT NULL DEFAULT 'draf' CHECK (status IN ('draf', 'berlaku', 'berakhir', 'diputus')),
    alasan_putus     text,
    diputus_tanggal  date,
    memperbarui_id   uuid,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, mitra_id) REFERENCES kemitraan_mitra (tenant_id, id),
    FOREIGN KEY (tenant_id, memperbarui_id) REFERENCES kemitraan_perjanjian (tenant_id, id),
    CHECK (status <> 'diputus' OR (alasan_putus IS NOT NULL AND btrim(alasan_putus) <> '' AND diputus_tanggal IS NOT NULL))
);
CREATE INDEX kemitraan_perjanjian_mitra_idx ON kemitraan_perjanjian (tenant_id, mitra_id, mulai);
CREATE INDEX kemitraan_perjanjian_berakhir_idx ON kemitraan_perjanjian (tenant_id, berakhir) WHERE status = 'berlaku';
-- An agreement is renewed once: a second renewal of the same one is a conflict.
CREATE UNIQUE INDEX kemitraan_perjanjian_memperbarui_key ON kemitraan_perjanjian (tenant_id, memperbarui_id) WHERE memperbarui_id IS NOT NULL;

CREATE TABLE kemitraan_tugas (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    perjanjian_id uuid NOT NULL,
    judul         text NOT NULL CHECK (btrim(judul) <> '' AND length(judul) <= 300),
    jatuh_tempo   date NOT NULL,
    selesai       date,
    catatan       text,
    version       bigint NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, perjanjian_id) REFERENCES kemitraan_perjanjian (tenant_id, id)
);
CREATE INDEX kemitraan_perjanjian_tugas_idx ON kemitraan_tugas (tenant_id, perjanjian_id, jatuh_tempo);
CREATE INDEX kemitraan_perjanjian_tugas_terbuka_idx ON kemitraan_tugas (tenant_id, jatuh_tempo) WHERE selesai IS NULL;

CREATE TABLE kemitraan_evaluasi (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    perjanjian_id uuid NOT NULL,
    tanggal       date NOT NULL,
    hasil         text NOT NULL CHECK (btrim(hasil) <> ''),
    skor          integer CHECK (skor BETWEEN 0 AND 100),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, perjanjian_id) REFERENCES kemitraan_perjanjian (tenant_id, id)
);
CREATE INDEX kemitraan_perjanjian_evaluasi_idx ON kemitraan_evaluasi (tenant_id, perjanjian_id, tanggal);

-- A reminder per agreement, kind, subject (a task, or the agreement) and
-- office day: the hourly clock reruns without duplicating.
CREATE TABLE kemitraan_pengingat (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    perjanjian_id uuid NOT NULL,
    jenis         text NOT NULL CHECK (jenis IN ('akan_berakhir', 'evaluasi_terlambat', 'tugas_terlambat')),
    tugas_id      uuid,
    hari          date NOT NULL,
    pesan         text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, perjanjian_id) REFERENCES kemitraan_perjanjian (tenant_id, id),
    FOREIGN KEY (tenant_id, tugas_id) REFERENCES kemitraan_tugas (tenant_id, id)
);
CREATE UNIQUE INDEX pengingat_kemitraan_key ON kemitraan_pengingat
    (tenant_id, perjanjian_id, jenis, coalesce(tugas_id, '00000000-0000-0000-0000-000000000000'::uuid), hari);
CREATE INDEX pengingat_kemitraan_hari_idx ON kemitraan_pengingat (tenant_id, hari DESC);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['kemitraan_mitra', 'kemitraan_perjanjian', 'kemitraan_tugas', 'kemitraan_evaluasi', 'kemitraan_pengingat'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON kemitraan_mitra, kemitraan_perjanjian, kemitraan_tugas TO sentra_app;
GRANT SELECT, INSERT ON kemitraan_evaluasi, kemitraan_pengingat TO sentra_app;
