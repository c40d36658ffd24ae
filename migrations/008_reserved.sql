-- Number 008 is reserved for the cooperative registry's migration, built on
-- another branch at the same time; this placeholder only keeps the sequence
-- whole (the migrator refuses gaps). It is replaced by that migration when
-- the branches meet: delete this file then.
SELECT 1;
