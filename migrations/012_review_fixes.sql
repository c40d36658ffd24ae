-- A campaign keeps its review counts (proposals by status) beside its
-- summary: every decision and every campaign batch moves them in its own
-- transaction, so a progress poll reads one row instead of counting the
-- campaign's proposals.
ALTER TABLE reklasifikasi_kampanye
    ADD COLUMN menunggu   integer NOT NULL DEFAULT 0,
    ADD COLUMN disetujui  integer NOT NULL DEFAULT 0,
    ADD COLUMN ditolak    integer NOT NULL DEFAULT 0,
    ADD COLUMN digantikan integer NOT NULL DEFAULT 0;

-- Campaigns run before: counted once, tenant by tenant (row-level security
-- applies to the owner as well).
DO $$
DECLARE t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        UPDATE reklasifikasi_kampanye k SET
            menunggu = c.menunggu, disetujui = c.disetujui, ditolak = c.ditolak, digantikan = c.digantikan
        FROM (SELECT kampanye_id,
                     count(*) FILTER (WHERE status = 'menunggu') AS menunggu,
                     count(*) FILTER (WHERE status = 'disetujui') AS disetujui,
                     count(*) FILTER (WHERE status = 'ditolak') AS ditolak,
                     count(*) FILTER (WHERE status = 'digantikan') AS digantikan
              FROM reklasifikasi_usulan GROUP BY kampanye_id) c
        WHERE k.id = c.kampanye_id;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END $$;
