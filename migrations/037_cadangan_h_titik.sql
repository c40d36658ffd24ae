-- Placeholder: number 037 belongs to another issue-18 branch. This branch
-- needs a contiguous sequence to migrate on its own; DROP THIS FILE AT
-- MERGE (it does nothing).
SELECT 1;
