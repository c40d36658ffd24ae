-- Programmes and assistance (DOMAIN.md "Programmes and assistance"): the
-- agencies that help businesses (the office itself and others), their
-- programmes with sessions and eligibility rules as versioned data, and
-- the participation ledger: applied → selected → attended (per session) →
-- completed (certificate) → followed up, with aid handed over (BAST).

-- A small per-tenant list of agencies; one of them is the office itself.
CREATE TABLE agensi (
    tenant_id   uuid NOT NULL,
    id          uuid NOT NULL,
    nama        text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 200),
    jenis       text NOT NULL CHECK (jenis IN ('kantor', 'opd', 'kelurahan', 'provinsi', 'baznas', 'bank', 'csr', 'lainnya')),
    archived_at timestamptz,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX agensi_nama_key ON agensi (tenant_id, lower(nama)) WHERE archived_at IS NULL;
-- At most one "this office" per tenant.
CREATE UNIQUE INDEX agensi_kantor_key ON agensi (tenant_id) WHERE jenis = 'kantor' AND archived_at IS NULL;

CREATE TABLE program (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    nama            text NOT NULL CHECK (btrim(nama) <> '' AND length(nama) <= 300),
    jenis           text NOT NULL CHECK (jenis IN ('pelatihan', 'pendampingan', 'bantuan_barang', 'bantuan_modal',
                                                   'fasilitasi_legalitas', 'fasilitasi_pemasaran', 'event')),
    agensi_id       uuid NOT NULL,
    tahun           smallint NOT NULL CHECK (tahun BETWEEN 2000 AND 2100),
    sumber_dana     text NOT NULL CHECK (sumber_dana IN ('apbd', 'apbn', 'dekon', 'provinsi', 'kelurahan', 'baznas', 'csr', 'bank', 'lainnya')),
    -- The Renja sub-activity with its indicator and the unit it counts in
    -- (training counts people; coaching and facilitation count businesses).
    renja_kode      text CHECK (renja_kode ~ '^[0-9]+(\.[0-9]+)*$'),
    renja_indikator text,
    satuan          text NOT NULL CHECK (satuan IN ('orang', 'usaha', 'koperasi')),
    target          integer NOT NULL DEFAULT 0 CHECK (target >= 0),
    kuota           integer NOT NULL CHECK (kuota > 0),
    -- Selected participants: moved only with the selection, in the same
    -- statement that checks the quota, so two staff filling the last place
    -- cannot both succeed.
    terisi          integer NOT NULL DEFAULT 0 CHECK (terisi >= 0 AND terisi <= kuota),
    status          text NOT NULL DEFAULT 'rencana' CHECK (status IN ('rencana', 'dibuka', 'berjalan', 'selesai', 'batal')),
    keterangan      text,
    -- The current eligibility rule set; each version is kept in
    -- program_aturan, and each decision names the version it used.
    aturan          jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(aturan) = 'array'),
    aturan_versi    integer NOT NULL DEFAULT 1 CHECK (aturan_versi > 0),
    cari            text GENERATED ALWAYS AS (lower(nama)) STORED,
    archived_at     timestamptz,
    version         bigint NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, agensi_id) REFERENCES agensi (tenant_id, id)
);
CREATE INDEX program_tahun_idx ON program (tenant_id, tahun, id);
CREATE INDEX program_agensi_idx ON program (tenant_id, agensi_id, id);
CREATE INDEX program_cari_idx ON program USING gin (tenant_id, cari gin_trgm_ops);

-- Every version of a programme's rule set, as it was decided with.
CREATE TABLE program_aturan (
    tenant_id  uuid NOT NULL,
    program_id uuid NOT NULL,
    versi      integer NOT NULL CHECK (versi > 0),
    aturan     jsonb NOT NULL CHECK (jsonb_typeof(aturan) = 'array'),
    dibuat_oleh uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, program_id, versi),
    FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE program_sesi (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    program_id uuid NOT NULL,
    judul      text NOT NULL CHECK (btrim(judul) <> '' AND length(judul) <= 200),
    tanggal    date NOT NULL,
    tempat     text,
    version    bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, program_id, id),
    FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX program_sesi_program_idx ON program_sesi (tenant_id, program_id, tanggal);

-- A participation: a business (umkm_id), a cooperative (koperasi_id), or a
-- business's owner as a person (jenis_pemohon 'perorangan': umkm_id names
-- the record, nik_hash the person). nik_hash is the register's pii.Sealer
-- hash, copied at application so the overlap check joins on the person.
CREATE TABLE peserta (
    tenant_id          uuid NOT NULL,
    id                 uuid NOT NULL,
    program_id         uuid NOT NULL,
    jenis_pemohon      text NOT NULL CHECK (jenis_pemohon IN ('umkm', 'koperasi', 'perorangan')),
    umkm_id            uuid,
    koperasi_id        uuid,
    nik_hash           bytea,
    status             text NOT NULL DEFAULT 'mendaftar' CHECK (status IN ('mendaftar', 'terpilih', 'ditolak', 'selesai', 'batal')),
    -- Self-declared on the application (BPUM audit: 42.487 civil servants,
    -- soldiers, police or state-firm staff among the paid).
    bukan_asn          boolean NOT NULL DEFAULT false,
    -- The last eligibility decision: the rule version it used and each
    -- failing rule in the people's words.
    layak              boolean,
    layak_versi        integer,
    layak_alasan       jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(layak_alasan) = 'array'),
    diperiksa_at       timestamptz,
    dipilih_at         timestamptz,
    alasan_tolak       text,
    selesai_tanggal    date,
    sertifikat_nomor   text CHECK (sertifikat_nomor IS NULL OR btrim(sertifikat_nomor) <> ''),
    tindak_lanjut      jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(tindak_lanjut) = 'array'),
    version            bigint NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, program_id, id),
    FOREIGN KEY (tenant_id, program_id) REFERENCES program (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    FOREIGN KEY (tenant_id, koperasi_id) REFERENCES koperasi (tenant_id, id),
    CHECK (CASE jenis_pemohon
        WHEN 'umkm' THEN umkm_id IS NOT NULL AND koperasi_id IS NULL
        WHEN 'perorangan' THEN umkm_id IS NOT NULL AND koperasi_id IS NULL
        ELSE koperasi_id IS NOT NULL AND umkm_id IS NULL AND nik_hash IS NULL END),
    CHECK (status <> 'selesai' OR selesai_tanggal IS NOT NULL)
);
-- One live participation per subject and programme.
CREATE UNIQUE INDEX peserta_subjek_key ON peserta (tenant_id, program_id, jenis_pemohon, coalesce(umkm_id, koperasi_id))
    WHERE status NOT IN ('batal', 'ditolak');
CREATE INDEX peserta_program_idx ON peserta (tenant_id, program_id, id);
CREATE INDEX peserta_umkm_idx ON peserta (tenant_id, umkm_id) WHERE umkm_id IS NOT NULL;
CREATE INDEX peserta_koperasi_idx ON peserta (tenant_id, koperasi_id) WHERE koperasi_id IS NOT NULL;
CREATE INDEX peserta_nik_idx ON peserta (tenant_id, nik_hash) WHERE nik_hash IS NOT NULL;

-- Attendance: a row per participant present at a session of its programme.
CREATE TABLE peserta_hadir (
    tenant_id  uuid NOT NULL,
    program_id uuid NOT NULL,
    sesi_id    uuid NOT NULL,
    peserta_id uuid NOT NULL,
    dicatat_oleh uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, sesi_id, peserta_id),
    FOREIGN KEY (tenant_id, program_id, sesi_id) REFERENCES program_sesi (tenant_id, program_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, program_id, peserta_id) REFERENCES peserta (tenant_id, program_id, id) ON DELETE CASCADE
);
CREATE INDEX peserta_hadir_peserta_idx ON peserta_hadir (tenant_id, peserta_id);

-- Aid handed over (Berita Acara Serah Terima): one row per item line;
-- the lines of one hand-over share its number and date.
CREATE TABLE bast_barang (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    program_id     uuid NOT NULL,
    peserta_id     uuid NOT NULL,
    nomor_bast     text NOT NULL CHECK (btrim(nomor_bast) <> ''),
    tanggal        date NOT NULL,
    nama_barang    text NOT NULL CHECK (btrim(nama_barang) <> '' AND length(nama_barang) <= 200),
    jumlah         integer NOT NULL CHECK (jumlah > 0),
    satuan         text NOT NULL CHECK (btrim(satuan) <> ''),
    harga_satuan   bigint NOT NULL CHECK (harga_satuan >= 0),
    -- The recipient's acknowledgement (name as signed: personal data).
    diterima_nama  text,
    diterima_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, program_id, peserta_id) REFERENCES peserta (tenant_id, program_id, id) ON DELETE CASCADE,
    CHECK ((diterima_nama IS NULL) = (diterima_at IS NULL))
);
CREATE INDEX bast_barang_peserta_idx ON bast_barang (tenant_id, peserta_id);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['agensi', 'program', 'program_aturan', 'program_sesi', 'peserta', 'peserta_hadir', 'bast_barang'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON agensi, program, peserta TO sentra_app;
GRANT SELECT, INSERT ON program_aturan TO sentra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON program_sesi, peserta_hadir, bast_barang TO sentra_app;
