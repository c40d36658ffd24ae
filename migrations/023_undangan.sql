-- Invitations of an office's first admin (and later ones): a single-use
-- link whose token is stored only as its SHA-256, expiring after 7 days.
CREATE TABLE undangan (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    token_hash bytea NOT NULL,
    email      text NOT NULL CHECK (email = lower(email)),
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('admin', 'staf', 'viewer')),
    created_by uuid,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    used_by    uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash)
);
ALTER TABLE undangan ENABLE ROW LEVEL SECURITY;
ALTER TABLE undangan FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON undangan
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE ON undangan TO sentra_app;
