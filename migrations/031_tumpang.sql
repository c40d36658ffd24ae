-- Overlap and the never-helped (DOMAIN.md "Programmes and assistance",
-- seed 004: aid overlaps between agencies while many businesses never got
-- any). Other agencies' participant lists are kept as external
-- participations; an overlap warning overridden before a selection is
-- recorded with its reason.

-- A participation in another agency's programme, from that agency's list.
-- umkm_id is the register record it was matched to (by NIK, then NIB,
-- then name + owner + kelurahan), null while unmatched: staff register
-- the business or discard the row, nothing is created silently. The
-- names, NIB and kelurahan are kept as the list gave them so an unmatched
-- row can be registered (personal data: masked in lists as the register).
CREATE TABLE partisipasi_luar (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    agensi_id      uuid NOT NULL,
    program_nama   text NOT NULL CHECK (btrim(program_nama) <> '' AND length(program_nama) <= 300),
    jenis          text NOT NULL CHECK (jenis IN ('pelatihan', 'pendampingan', 'bantuan_barang', 'bantuan_modal',
                                                  'fasilitasi_legalitas', 'fasilitasi_pemasaran', 'event')),
    tahun          smallint NOT NULL CHECK (tahun BETWEEN 2000 AND 2100),
    nik_hash       bytea,
    nib            text,
    nama_usaha     text,
    nama_pemilik   text,
    kelurahan_kode text,
    umkm_id        uuid,
    cocok_oleh     text CHECK (cocok_oleh IN ('nik', 'nib', 'nama', 'staf')),
    status         text NOT NULL DEFAULT 'belum_cocok' CHECK (status IN ('cocok', 'belum_cocok', 'dibuang')),
    baris          integer,
    pekerjaan_id   uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, agensi_id) REFERENCES agensi (tenant_id, id),
    FOREIGN KEY (tenant_id, umkm_id) REFERENCES umkm (tenant_id, id),
    CHECK ((status = 'cocok') = (umkm_id IS NOT NULL)),
    CHECK ((umkm_id IS NULL) = (cocok_oleh IS NULL))
);
-- The overlap check and the never-helped list probe these by subject.
CREATE INDEX partisipasi_luar_umkm_idx ON partisipasi_luar (tenant_id, umkm_id) WHERE umkm_id IS NOT NULL;
CREATE INDEX partisipasi_luar_nik_idx ON partisipasi_luar (tenant_id, nik_hash) WHERE nik_hash IS NOT NULL AND status <> 'dibuang';
-- The overlap report reads one type and year.
CREATE INDEX partisipasi_luar_jenis_idx ON partisipasi_luar (tenant_id, tahun, jenis, umkm_id) WHERE umkm_id IS NOT NULL;
-- Unmatched rows waiting for staff.
CREATE INDEX partisipasi_luar_belum_idx ON partisipasi_luar (tenant_id, id) WHERE status = 'belum_cocok';

-- An overlap warning overridden for a participant, with who and why (the
-- audit log has the same entry; this row is what the selection checks).
CREATE TABLE tumpang_izin (
    tenant_id  uuid NOT NULL,
    peserta_id uuid NOT NULL,
    alasan     text NOT NULL CHECK (length(btrim(alasan)) >= 10 AND length(alasan) <= 1000),
    jumlah     integer NOT NULL CHECK (jumlah > 0),
    oleh       uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, peserta_id),
    FOREIGN KEY (tenant_id, peserta_id) REFERENCES peserta (tenant_id, id) ON DELETE CASCADE
);

-- The overlap report joins a year's programmes' participants by type.
CREATE INDEX peserta_umkm_program_idx ON peserta (tenant_id, umkm_id, program_id) WHERE umkm_id IS NOT NULL AND status NOT IN ('batal', 'ditolak');

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['partisipasi_luar', 'tumpang_izin'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON partisipasi_luar TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON tumpang_izin TO sentra_app;
