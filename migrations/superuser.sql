-- Run as a superuser in the application database, before `sentra migrate`
-- (the private cluster does this itself; deploy/postgres/bootstrap.sql
-- includes this file). Idempotent.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- Row-level security keeps a query's non-LEAKPROOF operators from running
-- before the policy, which keeps them out of index scans: typo-tolerant name
-- search (word similarity, <% and %>) would read every row of the tenant.
-- Reviewed: these two functions return a boolean computed from trigrams and
-- raise no error that depends on their arguments, so they cannot leak a
-- value of a row that the policy would hide. Only a superuser can mark them.
ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION word_similarity_commutator_op(text, text) LEAKPROOF;
