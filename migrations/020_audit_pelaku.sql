-- The audit page filters by who made a change (Log audit, "oleh"): the
-- newest entries of one user without reading the office's whole log.
CREATE INDEX audit_log_actor_idx ON audit_log (tenant_id, actor_id, id);
