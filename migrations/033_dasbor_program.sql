-- The dashboards gain the programme figures (issue 17 item 6): the
-- never-helped per desa/kelurahan, same-kind overlap per kecamatan,
-- participants per programme type and funding applications per stage.
-- They live in dasbor_angka with the other figures (its dimensi and nilai
-- CHECKs are patterns, not lists: nothing to extend), so a change to any
-- table they are computed from queues a refresh of its tenant, as the
-- register's tables do (migration 010).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['program', 'peserta', 'partisipasi_luar', 'pengajuan_dana'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER dasbor_berubah AFTER INSERT OR UPDATE OR DELETE ON %I
            FOR EACH STATEMENT EXECUTE FUNCTION dasbor_berubah()', t);
    END LOOP;
END $$;
