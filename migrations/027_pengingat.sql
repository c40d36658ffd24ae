-- The reminders the daily billing clock mailed an office (BILLING.md: trial
-- reminders and the overdue ladder), so each is sent once: by kind, the
-- threshold it was sent at (days left) and the day the state ends (a new
-- trial end or a new overdue invoice has reminders of its own).
CREATE TABLE pengingat (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    jenis      text NOT NULL CHECK (jenis IN ('uji_coba_berakhir', 'baca_saja_mendekat')),
    ambang     integer NOT NULL CHECK (ambang > 0),
    sampai     date NOT NULL,
    penerima   integer NOT NULL CHECK (penerima >= 0),
    dikirim_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, jenis, ambang, sampai)
);

ALTER TABLE pengingat ENABLE ROW LEVEL SECURITY;
ALTER TABLE pengingat FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pengingat
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON pengingat TO sentra_app;
