-- The reward model loop: cached sentence embeddings, trained versions, and the scores they gave.

-- One row per (encoder, truncation, text): no text is embedded twice, across retrains and restarts.
CREATE TABLE text_embeddings (
    -- sha256 of encoder id, truncation and text
    key        bytea PRIMARY KEY,
    -- float32 little-endian, SentenceEncoder.DIMENSIONS of them
    vector     bytea       NOT NULL,
    truncated  boolean     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reward_models (
    version         serial PRIMARY KEY,
    status          text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'READY', 'FAILED')),
    promoted        boolean     NOT NULL DEFAULT false,
    mode            text        NOT NULL CHECK (mode IN ('FULL', 'INCREMENTAL')),
    trigger         text        NOT NULL CHECK (trigger IN ('ADMIN', 'NEW_COMPARISONS', 'SCHEDULE')),
    -- The version it started from (incremental) or was compared against (full).
    parent_version  integer REFERENCES reward_models (version),
    -- The campaigns whose rankings it learns from; NULL: every ranking campaign.
    campaign_ids    bigint[],
    requested_by    bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    promoted_at     timestamptz,
    rankings        integer,
    comparisons     integer,
    -- The id of the last ranking it includes: comparisons after it are "new" for the next version.
    watermark       bigint,
    metrics         jsonb       NOT NULL DEFAULT '{}',
    hyperparameters jsonb       NOT NULL DEFAULT '{}',
    progress        jsonb       NOT NULL DEFAULT '{}',
    file_path       text,
    file_sha256     text,
    -- Why it was, or was not, promoted when it finished.
    promotion_note  text,
    error           text
);
-- At most one version serves at a time.
CREATE UNIQUE INDEX reward_models_one_promoted ON reward_models ((true)) WHERE promoted;
CREATE INDEX reward_models_status_idx ON reward_models (status, version);

-- Scores of a campaign's responses by one version, for researchers' pages, exports and the active-learning queue.
CREATE TABLE response_scores (
    version     integer NOT NULL REFERENCES reward_models (version),
    item_id     bigint  NOT NULL REFERENCES items (id),
    response_id text    NOT NULL,
    score       real    NOT NULL,
    PRIMARY KEY (version, item_id, response_id)
);
CREATE INDEX response_scores_item_idx ON response_scores (item_id, version);

ALTER TABLE campaigns
    -- Annotators never see model scores (no anchoring) unless an admin turns this on.
    ADD COLUMN show_scores_to_annotators boolean NOT NULL DEFAULT false,
    -- MOST_ANNOTATED_FIRST fills items to their overlap; UNCERTAINTY_FIRST serves first the items whose responses
    -- the reward model separates least.
    ADD COLUMN queue_policy text NOT NULL DEFAULT 'MOST_ANNOTATED_FIRST'
        CHECK (queue_policy IN ('MOST_ANNOTATED_FIRST', 'UNCERTAINTY_FIRST'));

-- The smallest score gap between two responses of an item under the promoted version (NULL: not scored).
ALTER TABLE items ADD COLUMN model_margin real;
-- The uncertainty-first queue walks this index as the default queue walks items_queue_idx.
CREATE INDEX items_uncertainty_idx ON items (campaign_id, model_margin, finished DESC, id) WHERE NOT complete;
