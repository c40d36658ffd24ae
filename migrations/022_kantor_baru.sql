-- An office opened from its Kemendagri code (POST /v1/admin/tenants) may
-- not know its BPS code yet: it is never derived from the Kemendagri code
-- (they differ for some regions), so it stays empty until someone enters it.
ALTER TABLE tenants ALTER COLUMN bps_code DROP NOT NULL;
