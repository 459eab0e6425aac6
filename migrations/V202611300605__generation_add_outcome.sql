-- A generation job's outcome is frozen when it ends (completed or cancelled): its slots move on to the next job that
-- generates the same items, so counting them later would rewrite an ended job's record. NULL while it runs.
ALTER TABLE generation_jobs
    ADD COLUMN items_done   integer,
    ADD COLUMN items_failed integer,
    -- [{"itemId": 7, "externalId": "q-7", "error": "response r2 (name): ..."}, ...], at most 50.
    ADD COLUMN errors       jsonb;
