-- Consignment (titip jual) ledger per listing (titik_kurasi: point ×
-- business × product), DOMAIN.md "Marketing points, consignment and
-- partnerships". The goods stay the business's until sold: receipts,
-- periodic sales reports, returns, expired stock with its compensation and
-- stock opname are movements; settlement to the business is a payment with
-- its proof. The head row carries the running totals, updated in the
-- movement's transaction with the head locked, so the balance
--   diterima = terjual + dikembalikan + kedaluwarsa + di_tangan - selisih
-- holds by construction and the database refuses a negative stock or an
-- overpayment even if a caller forgets to check.

-- The ledger of one listing, with its commission terms. The terms live here
-- until agreements (kemitraan) have their table: a percentage of gross in
-- basis points, or a fixed monthly fee in rupiah.
CREATE TABLE konsinyasi (
    tenant_id        uuid NOT NULL,
    kurasi_id        uuid NOT NULL,
    titik_id         uuid NOT NULL,
    komisi_bp        integer CHECK (komisi_bp BETWEEN 0 AND 10000),
    biaya_bulanan    bigint CHECK (biaya_bulanan >= 0),
    diterima         bigint NOT NULL DEFAULT 0 CHECK (diterima >= 0),
    terjual          bigint NOT NULL DEFAULT 0 CHECK (terjual >= 0),
    dikembalikan     bigint NOT NULL DEFAULT 0 CHECK (dikembalikan >= 0),
    kedaluwarsa      bigint NOT NULL DEFAULT 0 CHECK (kedaluwarsa >= 0),
    -- Sum of opname variances (counted − expected): negative is stock lost.
    selisih          bigint NOT NULL DEFAULT 0,
    bruto            bigint NOT NULL DEFAULT 0 CHECK (bruto >= 0),
    komisi           bigint NOT NULL DEFAULT 0 CHECK (komisi >= 0),
    kompensasi       bigint NOT NULL DEFAULT 0 CHECK (kompensasi >= 0),
    dibayar          bigint NOT NULL DEFAULT 0 CHECK (dibayar >= 0),
    -- The end of the last reported sales period, and the last period end a
    -- settlement closed: reports up to it are final.
    lapor_sampai     date,
    tutup_sampai     date,
    opname_terakhir  date,
    -- The last opname found a variance nobody explained.
    selisih_terbuka  boolean NOT NULL DEFAULT false,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kurasi_id),
    FOREIGN KEY (tenant_id, kurasi_id) REFERENCES titik_kurasi (tenant_id, id),
    FOREIGN KEY (tenant_id, titik_id) REFERENCES titik (tenant_id, id),
    CHECK ((komisi_bp IS NULL) <> (biaya_bulanan IS NULL)),
    CHECK (diterima - terjual - dikembalikan - kedaluwarsa + selisih >= 0),
    CHECK (komisi <= bruto),
    CHECK (dibayar <= bruto - komisi + kompensasi)
);
CREATE INDEX konsinyasi_titik_idx ON konsinyasi (tenant_id, titik_id);

-- A movement of stock: terima (received: batch, expiry), jual (a sales
-- report for a period: gross, commission, self-reported or verified),
-- retur (back to the business), kedaluwarsa (expired, with compensation),
-- opname (counted; jumlah is the variance).
CREATE TABLE konsinyasi_gerak (
    tenant_id        uuid NOT NULL,
    id               uuid NOT NULL,
    kurasi_id        uuid NOT NULL,
    jenis            text NOT NULL CHECK (jenis IN ('terima', 'jual', 'retur', 'kedaluwarsa', 'opname')),
    tanggal          date NOT NULL,
    jumlah           bigint NOT NULL,
    batch            text CHECK (length(batch) <= 100),
    tanggal_kedaluwarsa date,
    periode_mulai    date,
    periode_selesai  date,
    bruto            bigint CHECK (bruto >= 0),
    komisi           bigint CHECK (komisi >= 0),
    sumber           text CHECK (sumber IN ('mandiri', 'verifikasi')),
    kompensasi       bigint CHECK (kompensasi >= 0),
    dihitung         bigint CHECK (dihitung >= 0),
    keterangan       text CHECK (length(keterangan) <= 1000),
    dicatat_oleh     uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, kurasi_id) REFERENCES konsinyasi (tenant_id, kurasi_id),
    CHECK (jenis = 'opname' OR jumlah >= 0),
    CHECK (jenis NOT IN ('terima', 'retur', 'kedaluwarsa') OR jumlah > 0),
    CHECK ((jenis = 'jual') = (periode_mulai IS NOT NULL AND periode_selesai IS NOT NULL AND bruto IS NOT NULL AND komisi IS NOT NULL AND sumber IS NOT NULL)),
    CHECK (periode_selesai >= periode_mulai),
    CHECK ((jenis = 'kedaluwarsa') = (kompensasi IS NOT NULL)),
    CHECK ((jenis = 'opname') = (dihitung IS NOT NULL))
);
CREATE INDEX konsinyasi_gerak_kurasi_idx ON konsinyasi_gerak (tenant_id, kurasi_id, tanggal, id);
-- One sales report per listing and period start (overlaps are refused by
-- the service with the head locked; this catches the rest).
CREATE UNIQUE INDEX konsinyasi_gerak_periode_key ON konsinyasi_gerak (tenant_id, kurasi_id, periode_mulai) WHERE jenis = 'jual';

-- A settlement to the business with its proof. It closes every period
-- reported so far (tutup_sampai).
CREATE TABLE konsinyasi_bayar (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    kurasi_id    uuid NOT NULL,
    jumlah       bigint NOT NULL CHECK (jumlah > 0),
    tanggal      date NOT NULL,
    nomor_bukti  text NOT NULL CHECK (btrim(nomor_bukti) <> '' AND length(nomor_bukti) <= 100),
    tutup_sampai date,
    keterangan   text CHECK (length(keterangan) <= 1000),
    dicatat_oleh uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, kurasi_id) REFERENCES konsinyasi (tenant_id, kurasi_id)
);
CREATE INDEX konsinyasi_bayar_kurasi_idx ON konsinyasi_bayar (tenant_id, kurasi_id, tanggal, id);

-- An overdue sales report: a point whose period ended more than the grace
-- days ago with a listing still unreported. One row per point and period
-- (the hourly job may run many times); selesai_at is set once reported.
CREATE TABLE konsinyasi_terlambat (
    tenant_id       uuid NOT NULL,
    titik_id        uuid NOT NULL,
    periode_mulai   date NOT NULL,
    periode_selesai date NOT NULL CHECK (periode_selesai >= periode_mulai),
    created_at      timestamptz NOT NULL DEFAULT now(),
    selesai_at      timestamptz,
    PRIMARY KEY (tenant_id, titik_id, periode_mulai),
    FOREIGN KEY (tenant_id, titik_id) REFERENCES titik (tenant_id, id)
);
CREATE INDEX konsinyasi_terlambat_terbuka_idx ON konsinyasi_terlambat (tenant_id, titik_id) WHERE selesai_at IS NULL;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['konsinyasi', 'konsinyasi_gerak', 'konsinyasi_bayar', 'konsinyasi_terlambat'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON konsinyasi, konsinyasi_terlambat TO sentra_app;
GRANT SELECT, INSERT ON konsinyasi_gerak, konsinyasi_bayar TO sentra_app;
