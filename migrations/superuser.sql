-- Run as a superuser in the application database, before `sentra migrate`
-- (the private cluster does this itself; deploy/postgres/bootstrap.sql
-- includes this file). Idempotent.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Row-level security keeps a query's non-LEAKPROOF operators from running
-- before the policy, which keeps them out of index scans: typo-tolerant name
-- search (word similarity, <% and %>) would read every row of the tenant.
-- Reviewed: these two functions return a boolean computed from trigrams and
-- raise no error that depends on their arguments, so they cannot leak a
-- value of a row that the policy would hide. Only a superuser can mark them.
ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION word_similarity_commutator_op(text, text) LEAKPROOF;
-- The same for name search by words (migration 017): a match of a record's
-- words (tsvector @@ tsquery) and a word's similarity in the tenant's
-- dictionary (%). Both compute a boolean from their arguments; their errors
-- (a malformed query) depend on the query, never on a row.
ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF;
ALTER FUNCTION similarity_op(text, text) LEAKPROOF;

-- unaccent with a named dictionary depends only on the dictionary's rules
-- file, as sentra_kata (migration 017) already assumes when it calls it
-- from an IMMUTABLE function. Marked so, sentra_kata's body is immutable
-- and PostgreSQL inlines it; otherwise every call runs it as a small SQL
-- function of its own (~0,7 µs per imported record, and ~0,05 ms of every
-- search, which plans its body anew each time). Only the owner of the
-- extension's function (a superuser) can mark it.
ALTER FUNCTION public.unaccent(regdictionary, text) IMMUTABLE;

-- Nothing the application starts may hold a connection without bound: a
-- statement, a wait for a lock, or a transaction left open between
-- statements ends with an error instead (the work retries or answers 503).
-- The longest single statements (an import chunk, an export page) take
-- seconds at 150.000 records; migrations run as the owner role, unbounded.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sentra_app') THEN
        ALTER ROLE sentra_app SET statement_timeout = '60s';
        ALTER ROLE sentra_app SET lock_timeout = '10s';
        ALTER ROLE sentra_app SET idle_in_transaction_session_timeout = '120s';
    END IF;
END $$;
