-- The heartbeat of every process that works River jobs. A worker process
-- killed mid-job leaves its jobs running in river_job; River itself hands
-- them on only after RescueStuckJobsAfter (20 minutes, beyond a long job's
-- timeout). A live process beats every few seconds, so a job whose worker
-- stopped beating is handed on within seconds (jobs.rescueDead). A
-- platform table: no tenant data, no RLS.
CREATE TABLE pekerja_detak (
    client_id text PRIMARY KEY,
    seen_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON pekerja_detak TO sentra_app;

-- An office's unfinished work is counted on every new import or export
-- (pekerjaan.QueuedCap): a few rows, however long the history.
CREATE INDEX pekerjaan_unfinished ON pekerjaan (tenant_id, updated_at) WHERE status IN ('antri', 'berjalan');
