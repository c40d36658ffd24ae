-- A refresh waits when its office was refreshed a moment ago
-- (dasbor.Paced): it is snoozed, and so scheduled rather than available.
-- Writers meanwhile join it as they join an available one (a share lock on
-- its row until they commit, so it cannot start before their change is
-- visible) instead of queueing one refresh each.
CREATE OR REPLACE FUNCTION dasbor_antri(tenant uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction and tenant (the common case: many statements of
    -- one tenant in one transaction).
    IF current_setting('sentra.dasbor_antri', true) = tenant::text THEN
        RETURN;
    END IF;
    PERFORM 1 FROM river.river_job
        WHERE state IN ('available', 'scheduled') AND queue = 'dasbor' AND kind = 'dasbor_segarkan'
          AND args ->> 'tenant_id' = tenant::text
        FOR SHARE;
    IF NOT FOUND THEN
        INSERT INTO river.river_job (state, max_attempts, priority, queue, kind, args)
            VALUES ('available', 10, 1, 'dasbor', 'dasbor_segarkan', jsonb_build_object('tenant_id', tenant));
        PERFORM pg_notify('river.river_insert', '{"queue": "dasbor"}');
    END IF;
    PERFORM set_config('sentra.dasbor_antri', tenant::text, true);
END $$;
