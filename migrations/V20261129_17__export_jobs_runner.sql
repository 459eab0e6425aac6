-- The instance that runs an export job, by the key of its liveness lock (database.InstanceLiveness): a QUEUED or
-- RUNNING job whose instance no longer holds that lock was cut off by a crash or restart and is marked FAILED by
-- whichever instance looks first. Jobs from before this column have no runner and count as nobody's.

ALTER TABLE export_jobs ADD COLUMN runner integer;
CREATE INDEX export_jobs_unfinished_idx ON export_jobs (id) WHERE status IN ('QUEUED', 'RUNNING');
