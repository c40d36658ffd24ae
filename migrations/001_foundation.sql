-- Foundation: provinces, tenants, wilayah, identity, sessions, audit,
-- idempotency. Runs as the owner role; sentra_app must already exist
-- (created by the bootstrap: deploy/postgres/bootstrap.sql or the embedded
-- cluster).

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sentra_app;

-- Provinces and tenants are platform data: every authenticated caller may
-- learn its own tenant; listing is filtered by the caller's domains.
CREATE TABLE provinces (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name text NOT NULL CHECK (btrim(name) <> '')
);

CREATE TABLE tenants (
    id              uuid PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,30}$'),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    kind            text NOT NULL CHECK (kind IN ('kota', 'kabupaten')),
    kemendagri_code text NOT NULL UNIQUE CHECK (kemendagri_code ~ '^[0-9]{2}\.[0-9]{2}$'),
    bps_code        text NOT NULL CHECK (bps_code ~ '^[0-9]{4}$'),
    province_code   text NOT NULL REFERENCES provinces (code),
    timezone        text NOT NULL,
    locale          text NOT NULL,
    settings        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_province_idx ON tenants (province_code);

-- Wilayah: the tenant's kecamatan and desa/kelurahan, keyed by Kemendagri code.
CREATE TABLE wilayah (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    kode        text NOT NULL CHECK (kode ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?$'),
    nama        text NOT NULL CHECK (btrim(nama) <> ''),
    level       text NOT NULL CHECK (level IN ('kecamatan', 'desa_kelurahan')),
    tipe        text CHECK (tipe IN ('kelurahan', 'desa', 'desa_adat')),
    parent_kode text,
    bps_kode    text,
    PRIMARY KEY (tenant_id, kode),
    FOREIGN KEY (tenant_id, parent_kode) REFERENCES wilayah (tenant_id, kode),
    CHECK ((level = 'kecamatan' AND tipe IS NULL AND parent_kode IS NULL)
        OR (level = 'desa_kelurahan' AND tipe IS NOT NULL AND parent_kode IS NOT NULL))
);
CREATE INDEX wilayah_parent_idx ON wilayah (tenant_id, parent_kode);

-- Identity is global: one person may hold roles in several domains (a tenant,
-- a province, the platform). What a user may see of a tenant is decided by
-- role_assignments and Casbin; which rows exist, by RLS on tenant tables.
CREATE TABLE users (
    id          uuid PRIMARY KEY,
    email       text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    disabled_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE credentials (
    user_id       uuid PRIMARY KEY REFERENCES users (id),
    password_hash text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Opaque bearer tokens and browser sessions, stored only as SHA-256 hashes.
CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    token_hash   bytea NOT NULL UNIQUE,
    kind         text NOT NULL CHECK (kind IN ('bearer', 'cookie')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- One role per user and domain: "change role" is an update, not a second row.
-- Not tenant-owned: an assignment names a tenant, a province or the platform.
CREATE TABLE role_assignments (
    user_id    uuid NOT NULL REFERENCES users (id),
    domain     text NOT NULL CHECK (domain = 'platform' OR domain ~ '^province:[0-9]{2}$' OR domain ~ '^[a-z][a-z0-9-]{1,30}$'),
    role       text NOT NULL CHECK (role IN ('admin', 'staf', 'viewer', 'province_viewer', 'platform_admin')),
    granted_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- A tenant admin disables a user's access to their tenant only: the
    -- account may hold roles elsewhere, which are not theirs to touch.
    disabled_at timestamptz,
    version    bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, domain),
    CHECK ((domain = 'platform') = (role = 'platform_admin')),
    CHECK ((domain LIKE 'province:%') = (role = 'province_viewer'))
);
CREATE INDEX role_assignments_domain_idx ON role_assignments (domain, user_id);

-- authz_state.version moves on every change to who may do what; every request
-- reads it with its session, so a revoke takes effect on the next request in
-- every process (the authorizer reloads when it sees a newer version).
CREATE TABLE authz_state (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL
);
INSERT INTO authz_state (version) VALUES (1);

CREATE FUNCTION bump_authz_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE authz_state SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER role_assignments_authz AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION bump_authz_version();
CREATE TRIGGER users_disabled_authz AFTER UPDATE OF disabled_at ON users
    FOR EACH STATEMENT EXECUTE FUNCTION bump_authz_version();

-- Failed logins, keyed by a hash of the account or the client address (not
-- the address itself: it is personal data), for throttling.
CREATE TABLE login_failures (
    key       bytea NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (key, failed_at);
CREATE INDEX login_failures_at_idx ON login_failures (failed_at);

-- Audit: append-only for the application (no UPDATE or DELETE granted).
CREATE TABLE audit_log (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    before     jsonb,
    after      jsonb,
    request_id text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity, entity_id, id);

-- Idempotency-Key: the first answer to a create, replayed to retries.
CREATE TABLE idempotency_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    user_id      uuid NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    operation    text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL,
    response     jsonb NOT NULL,
    location     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (tenant_id, created_at);

-- Row-level security on every tenant-owned table.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['wilayah', 'audit_log', 'idempotency_keys'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON provinces TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON tenants TO sentra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON wilayah TO sentra_app;
GRANT SELECT, INSERT, UPDATE ON users, credentials TO sentra_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, role_assignments, idempotency_keys TO sentra_app;
GRANT SELECT, UPDATE ON authz_state TO sentra_app;
GRANT SELECT, INSERT, DELETE ON login_failures TO sentra_app;
GRANT SELECT, INSERT ON audit_log TO sentra_app;
