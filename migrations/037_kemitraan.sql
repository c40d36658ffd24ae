-- Placeholder on branch h-klinik only, so that 039 loads (tern wants no gaps):
-- the real 037_kemitraan.sql comes from its own branch and replaces this file at merge.
SELECT 1;
