-- Revisions: an annotator may revise submitted work while the campaign is ACTIVE and the work has not been
-- reviewed or rejected. The rankings and demonstrations rows always hold the latest revision, so every reader of
-- them (exports, agreement, gold scores, dashboards, reward-model training) sees that one and no other; each version
-- a revision replaced is kept, unchanged, in a *_revisions table beside it.

ALTER TABLE rankings ADD COLUMN revision integer NOT NULL DEFAULT 1 CONSTRAINT rankings_revision_positive CHECK (revision >= 1);
-- When the latest revision was made (NULL for the first, whose time is submitted_at), and the Idempotency-Key of the
-- request that made it, so that a retry of that request gets its first answer back.
ALTER TABLE rankings ADD COLUMN revised_at timestamptz;
ALTER TABLE rankings ADD COLUMN revision_key text;

CREATE TABLE ranking_revisions (
    ranking_id   bigint      NOT NULL REFERENCES rankings (id),
    revision     integer     NOT NULL,
    tiers        jsonb       NOT NULL,
    ratings      jsonb       NOT NULL,
    flags        jsonb       NOT NULL,
    comment      text,
    -- When this version was made, and the key of the request that made it (NULL for a first submission).
    made_at      timestamptz NOT NULL,
    revision_key text,
    replaced_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ranking_id, revision)
);

ALTER TABLE demonstrations ADD COLUMN revision integer NOT NULL DEFAULT 1 CONSTRAINT demonstrations_revision_positive CHECK (revision >= 1);
ALTER TABLE demonstrations ADD COLUMN revised_at timestamptz;
ALTER TABLE demonstrations ADD COLUMN revision_key text;

CREATE TABLE demonstration_revisions (
    demonstration_id bigint      NOT NULL REFERENCES demonstrations (id),
    revision         integer     NOT NULL,
    text             text        NOT NULL,
    made_at          timestamptz NOT NULL,
    revision_key     text,
    replaced_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (demonstration_id, revision)
);

-- The annotator's Done list walks this index, newest first.
CREATE INDEX tasks_finished_by_annotator_idx ON tasks (annotator_id, campaign_id, finished_at DESC, id DESC)
    WHERE finished_at IS NOT NULL;

COMMENT ON COLUMN rankings.revision IS
    'Owned by rankings (RankingService.revise), with revised_at, revision_key and the table ranking_revisions. '
    'Read by export (the rankings export''s revision) and by quality, whose agreement cache keys on it.';
COMMENT ON COLUMN demonstrations.revision IS
    'Owned by demonstrations (DemonstrationService.revise), with revised_at, revision_key and demonstration_revisions.';
COMMENT ON COLUMN items.reviewed_at IS
    'Owned by quality (review): an admin settled the item''s disputes. Read by tasks: reviewed work cannot be revised.';
COMMENT ON COLUMN rankings.rejected_at IS
    'Owned by quality (review), with rejected_by and rejection_reason. Read by tasks: rejected work cannot be revised.';
