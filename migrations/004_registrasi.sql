-- Rate limits of the public endpoints (online registration, its status
-- lookup). Several API processes serve the same tenants, so the counts live
-- here, not in memory. One row per request admitted, keyed by a keyed hash
-- (HMAC with the data key, per tenant) of what is limited: the tenant with a
-- client address, or the tenant alone. Not the address itself: it is
-- personal data, and a plain hash of an IPv4 address is reversed by trying
-- all 2^32. Platform table (no tenant_id): the hash already binds the tenant.
-- Rows older than the longest window are pruned as requests arrive.
CREATE TABLE throttle_hits (
    key bytea NOT NULL,
    at  timestamptz NOT NULL
);
CREATE INDEX throttle_hits_key_idx ON throttle_hits (key, at);
CREATE INDEX throttle_hits_at_idx ON throttle_hits (at);

-- UPDATE only for the row locks of the pruning (FOR UPDATE SKIP LOCKED:
-- concurrent requests prune different rows instead of waiting on each other).
GRANT SELECT, INSERT, UPDATE, DELETE ON throttle_hits TO sentra_app;

COMMENT ON COLUMN registrasi.data IS 'The form as submitted and normalised, without the NIK (nik_hash, nik_sealed).';
