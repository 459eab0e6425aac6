-- The work queue: a task is one annotator's lease on one item, and what became of it.

ALTER TABLE campaigns
    ADD COLUMN skips_count_toward_overlap boolean NOT NULL DEFAULT false,
    ADD COLUMN demonstration_min_chars    integer NOT NULL DEFAULT 1 CHECK (demonstration_min_chars >= 1),
    ADD COLUMN demonstration_max_chars    integer NOT NULL DEFAULT 20000 CHECK (demonstration_max_chars <= 200000),
    ADD CONSTRAINT campaigns_demonstration_length CHECK (demonstration_min_chars <= demonstration_max_chars);

-- Kept on the item so that choosing the next item reads one row per candidate instead of counting tasks:
-- finished = submissions (and skips, where the campaign counts them); leased = live leases.
-- Both change only with the item row locked, in the transaction that changes the task.
ALTER TABLE items
    ADD COLUMN finished integer NOT NULL DEFAULT 0,
    ADD COLUMN leased   integer NOT NULL DEFAULT 0,
    ADD COLUMN complete boolean NOT NULL DEFAULT false;
-- The queue walks this index: open items of a campaign, most-annotated first, then in import order.
CREATE INDEX items_queue_idx ON items (campaign_id, finished DESC, id) WHERE NOT complete;

CREATE TABLE tasks (
    id               bigserial PRIMARY KEY,
    item_id          bigint      NOT NULL REFERENCES items (id),
    campaign_id      bigint      NOT NULL REFERENCES campaigns (id),
    annotator_id     bigint      NOT NULL REFERENCES users (id),
    status           text        NOT NULL CHECK (status IN ('LEASED', 'EXPIRED', 'SUBMITTED', 'SKIPPED', 'UNRANKABLE')),
    -- The order the responses were shown in, e.g. ["r3","r1","r2"]: shuffled per annotator against position bias.
    display_order    jsonb       NOT NULL DEFAULT '[]',
    leased_at        timestamptz NOT NULL,
    lease_expires_at timestamptz NOT NULL,
    finished_at      timestamptz,
    reason           text,
    idempotency_key  text,
    -- Seconds from lease to submit, and the seconds the page says the annotator was active.
    lease_seconds    integer,
    active_seconds   integer,
    -- An item goes to an annotator at most once; an expired lease is renewed in place, never duplicated.
    CONSTRAINT tasks_item_annotator_key UNIQUE (item_id, annotator_id)
);
CREATE INDEX tasks_annotator_idx ON tasks (annotator_id, campaign_id, status);
CREATE INDEX tasks_expiry_idx ON tasks (lease_expires_at) WHERE status = 'LEASED';
CREATE INDEX tasks_campaign_idx ON tasks (campaign_id, finished_at);

CREATE TABLE rankings (
    id           bigserial PRIMARY KEY,
    task_id      bigint      NOT NULL UNIQUE REFERENCES tasks (id),
    item_id      bigint      NOT NULL REFERENCES items (id),
    campaign_id  bigint      NOT NULL REFERENCES campaigns (id),
    annotator_id bigint      NOT NULL REFERENCES users (id),
    -- Best tier first; ids in one tier are tied: [["r3"],["r1","r4"],["r2"]].
    tiers        jsonb       NOT NULL,
    ratings      jsonb       NOT NULL DEFAULT '{}',
    flags        jsonb       NOT NULL DEFAULT '{}',
    comment      text,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rankings_campaign_idx ON rankings (campaign_id, id);

CREATE TABLE demonstrations (
    id           bigserial PRIMARY KEY,
    task_id      bigint      NOT NULL UNIQUE REFERENCES tasks (id),
    item_id      bigint      NOT NULL REFERENCES items (id),
    campaign_id  bigint      NOT NULL REFERENCES campaigns (id),
    annotator_id bigint      NOT NULL REFERENCES users (id),
    text         text        NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX demonstrations_campaign_idx ON demonstrations (campaign_id, id);
