-- Mapping the constraints businesses report (seed 000: "pemetaan, terkait
-- kendala-kendala yang dialami oleh para pelaku UMKM"), and folding a
-- duplicate record into the one that stays.

-- The open constraints of a tenant, for the map (counts by kategori per
-- kelurahan) and for recomputing umkm.kendala_terbuka of one business: both
-- read only (tenant_id, umkm_id, kategori) of open rows, so this partial
-- index serves them index-only, and its size follows the open constraints,
-- not every constraint ever reported.
CREATE INDEX umkm_kendala_terbuka_idx ON umkm_kendala (tenant_id, umkm_id) INCLUDE (kategori) WHERE selesai_at IS NULL;

-- A merge re-points the duplicate's history to the surviving record (and
-- moves a row's time by microseconds when both hold one at the same
-- instant). Only these two columns: tenant_id and the figures stay as
-- written.
GRANT UPDATE (umkm_id, dicatat_at) ON umkm_riwayat TO sentra_app;
