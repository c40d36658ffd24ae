-- Sentra: one-time DBA bootstrap. Run as a superuser (or a managed service's admin role)
-- against the maintenance database, BEFORE the first `sentra migrate`:
--
--   psql -v ON_ERROR_STOP=1 \
--        -v owner_password="$SENTRA_OWNER_PASSWORD" -v app_password="$SENTRA_APP_PASSWORD" \
--        [-v backup_password="$SENTRA_BACKUP_PASSWORD"] \
--        -d postgres -f deploy/postgres/bootstrap.sql
--
-- Safe to run again: it creates what is missing, re-asserts role attributes and sets the
-- passwords again (so it doubles as password rotation). Everything else (schemas, tables,
-- grants to sentra_app, RLS policies, pg_trgm) belongs to the migrations, run as sentra_owner.
--
-- Why psql variables are used outside DO blocks: psql does not substitute :'var' inside
-- dollar-quoted bodies, so the DO blocks only create missing roles and the passwords are set
-- with plain ALTER ROLE statements. The server hashes them (password_encryption, scram-sha-256
-- by default). If log_statement is 'ddl' or 'all' the statements would be logged with the
-- password: keep statement logging off while running this file.

\set ON_ERROR_STOP on

-- Refuse to run without both passwords (an error, not \quit, so the exit status says so).
\if :{?owner_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'bootstrap.sql: pass -v owner_password=...'; END $$;
\endif
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'bootstrap.sql: pass -v app_password=...'; END $$;
\endif

-- sentra_owner owns the database and every object in it; used only by `sentra migrate` and
-- `sentra tenants sync`. Not a superuser and NOBYPASSRLS: tenant tables use FORCE ROW LEVEL
-- SECURITY, so even the owner sees no rows without a tenant set.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sentra_owner') THEN
    CREATE ROLE sentra_owner;
  END IF;
END
$$;
ALTER ROLE sentra_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  INHERIT PASSWORD :'owner_password';

-- sentra_app is what the API and the workers connect as. It owns nothing (an owner could
-- ALTER TABLE ... NO FORCE ROW LEVEL SECURITY), cannot bypass RLS, and NOINHERIT so that
-- even an accidental GRANT of another role to it gives it no privileges. The migrations grant
-- it exactly what it needs, directly.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sentra_app') THEN
    CREATE ROLE sentra_app;
  END IF;
END
$$;
ALTER ROLE sentra_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  NOINHERIT PASSWORD :'app_password';

-- Optional: sentra_backup, for pg_dump. pg_dump cannot run as sentra_owner: tenant tables
-- FORCE row-level security, and pg_dump then fails ("query would be affected by row-level
-- security policy"; with --enable-row-security it silently dumps no tenant rows). A backup
-- role must read everything: BYPASSRLS (only a superuser can grant it) and pg_read_all_data.
-- Created only when -v backup_password=... is given.
\if :{?backup_password}
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sentra_backup') THEN
    CREATE ROLE sentra_backup;
  END IF;
END
$$;
-- INHERIT: it reads through pg_read_all_data's privileges while keeping its own BYPASSRLS
-- (SET ROLE pg_read_all_data would drop BYPASSRLS, which belongs to the current role).
ALTER ROLE sentra_backup WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS
  INHERIT PASSWORD :'backup_password';
GRANT pg_read_all_data TO sentra_backup;
\endif

-- CREATE DATABASE cannot run inside a DO block (nor any transaction), hence \gexec.
-- template0 + UTF8: names and addresses are Indonesian text; do not inherit template1's extras.
SELECT 'CREATE DATABASE sentra OWNER sentra_owner ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = 'sentra')
\gexec
ALTER DATABASE sentra OWNER TO sentra_owner;

-- Only Sentra's roles may connect. PUBLIC has CONNECT and TEMP on every new database by default.
REVOKE ALL ON DATABASE sentra FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE sentra TO sentra_app;
\if :{?backup_password}
GRANT CONNECT ON DATABASE sentra TO sentra_backup;
\endif

\connect sentra

-- No role may create objects in schema public except its owner (PostgreSQL 15 already does
-- this for new databases; older clusters and upgraded ones did not). On PostgreSQL >= 15
-- schema public is owned by pg_database_owner, i.e. sentra_owner; on older servers hand it
-- over explicitly so migrations can create tables there.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT 'ALTER SCHEMA public OWNER TO sentra_owner'
WHERE current_setting('server_version_num')::int < 150000
\gexec

-- Extensions and the LEAKPROOF markings that let typo-tolerant search use its
-- index under row-level security (only a superuser may set them). The same
-- file the private demo/test cluster runs; see its comments for the review.
\ir ../../migrations/superuser.sql
