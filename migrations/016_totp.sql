-- TOTP second factor (RFC 6238) for admins, its login challenges, and the
-- tenant setting that makes it mandatory for the tenant's admins. Identity is
-- global (a user is not owned by a tenant), so like credentials and sessions
-- these tables are not under row-level security; the application reaches
-- them only through internal/account.

-- One authenticator per user. The secret is sealed (AES-GCM under the data
-- key, bound to the user id): a database dump alone does not yield codes.
CREATE TABLE totp (
    user_id       uuid PRIMARY KEY REFERENCES users (id),
    secret_sealed bytea NOT NULL,
    -- null while enrolment waits for its first valid code; only then is the
    -- second factor asked for at login.
    confirmed_at  timestamptz,
    -- the last time step whose code was accepted: each code works once.
    last_step     bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A correct password of a user with TOTP opens a challenge, not a session:
-- a short-lived token (stored as its SHA-256) that, with a valid code, opens
-- the session. Wrong codes are counted per challenge.
CREATE TABLE login_challenges (
    id         uuid PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    user_id    uuid NOT NULL REFERENCES users (id),
    kind       text NOT NULL CHECK (kind IN ('bearer', 'cookie')),
    failures   integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);
CREATE INDEX login_challenges_expires_idx ON login_challenges (expires_at);

-- Set by the tenant's admins: every admin of the tenant must use TOTP. An
-- admin without it may log in, but then only enrol (account.Principal).
ALTER TABLE tenants ADD COLUMN wajib_totp_admin boolean NOT NULL DEFAULT false;

GRANT SELECT, INSERT, UPDATE, DELETE ON totp, login_challenges TO sentra_app;

-- Whether a session is limited to enrolment depends on these: announce their
-- changes to the session caches (migration 013). last_step moves on every
-- login and changes no principal, so it is not announced.
CREATE TRIGGER totp_auth_notify AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF confirmed_at ON totp
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
CREATE TRIGGER tenants_totp_auth_notify AFTER UPDATE OF wajib_totp_admin ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_change();
