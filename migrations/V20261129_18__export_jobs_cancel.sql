-- A queued or running export can be cancelled by whoever started it or an admin; the job keeps who did it.

ALTER TABLE export_jobs DROP CONSTRAINT export_jobs_status_check;
ALTER TABLE export_jobs ADD CONSTRAINT export_jobs_status_check
    CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));
ALTER TABLE export_jobs ADD COLUMN cancelled_by bigint REFERENCES users (id);
