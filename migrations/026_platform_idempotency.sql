-- Idempotency-Key of the platform admins' POSTs (/v1/admin/...). Opening
-- an office has no office to keep its key under (idempotency_keys is a
-- tenant table under RLS), and a key is its caller's whatever office the
-- request names, so these keys are the platform's: a platform table (no
-- tenant_id column, see 025), the office and the body in request_hash.
-- The answers are sealed (one may carry an invitation link, whose token is
-- otherwise stored only as its hash).
CREATE TABLE platform_idempotency_keys (
    user_id      uuid NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    operation    text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL,
    response     jsonb NOT NULL,
    location     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX platform_idempotency_keys_created_idx ON platform_idempotency_keys (created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON platform_idempotency_keys TO sentra_app;
