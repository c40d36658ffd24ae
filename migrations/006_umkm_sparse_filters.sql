-- Filters on rare values (a kendala category, a legal document kind, the
-- larger sizes) must not walk every record of a tenant to find a few or
-- none. A GIN index on the arrays would not help under RLS: array
-- containment is not LEAKPROOF, so it never becomes an index condition. The
-- list query uses `value = any(array)` (texteq, LEAKPROOF); these partial
-- indexes answer it in keyset order, and hold only the rows that match, so
-- a bulk import pays for them only where a record has the value.
DO $$
DECLARE v text;
BEGIN
    FOREACH v IN ARRAY ARRAY['permodalan', 'pemasaran', 'bahan_baku', 'legalitas', 'sdm', 'teknologi', 'perizinan', 'lainnya'] LOOP
        EXECUTE format('CREATE INDEX umkm_kendala_%s_idx ON umkm (tenant_id, id) WHERE %L = any(kendala_terbuka)', v, v);
    END LOOP;
    FOREACH v IN ARRAY ARRAY['nib', 'pirt', 'halal', 'bpom_md', 'bpom_ml', 'hki', 'sni'] LOOP
        EXECUTE format('CREATE INDEX umkm_legalitas_%s_idx ON umkm (tenant_id, id) WHERE %L = any(legalitas_terbit)', v, v);
    END LOOP;
    FOREACH v IN ARRAY ARRAY['menengah', 'besar'] LOOP
        EXECUTE format('CREATE INDEX umkm_skala_%s_idx ON umkm (tenant_id, id) WHERE skala_hitung = %L', v, v);
    END LOOP;
END $$;
