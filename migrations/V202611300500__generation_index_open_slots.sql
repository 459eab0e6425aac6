-- A job is complete when none of its slots is open: this index answers that per stored answer without scanning
-- the job's finished slots.
CREATE INDEX generation_slots_open_idx ON generation_slots (job_id) WHERE status IN ('PENDING', 'RUNNING');
