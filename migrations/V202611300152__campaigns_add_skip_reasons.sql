-- The preset reasons an annotator can pick when skipping a task (free text stays possible), and whether a plain
-- skip needs a reason at all. "Cannot rank" always needs one: it reports a broken item.
ALTER TABLE campaigns
    ADD COLUMN skip_reasons         text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN skip_reason_required boolean NOT NULL DEFAULT false;
