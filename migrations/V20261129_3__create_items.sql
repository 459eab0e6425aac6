-- Items (a prompt and, for rankings, its K responses) and the record of every import.

CREATE TABLE items (
    id          bigserial PRIMARY KEY,
    campaign_id bigint      NOT NULL REFERENCES campaigns (id),
    external_id text        NOT NULL,
    -- Chat messages: [{"role": "system"|"user"|"assistant", "content": "..."}].
    prompt      jsonb       NOT NULL,
    -- [{"id": "r1", "text": "...", "model": "..."}]; ids are stable, display order is not.
    responses   jsonb       NOT NULL DEFAULT '[]',
    metadata    jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Re-importing an externalId is a duplicate, never a second item; this index makes that race-free.
    CONSTRAINT items_campaign_external_key UNIQUE (campaign_id, external_id)
);

CREATE TABLE item_imports (
    id             bigserial PRIMARY KEY,
    campaign_id    bigint      NOT NULL REFERENCES campaigns (id),
    user_id        bigint REFERENCES users (id),
    source         text        NOT NULL CHECK (source IN ('API', 'UPLOAD')),
    file_name      text,
    status         text        NOT NULL CHECK (status IN ('COMPLETED', 'FAILED')),
    lines          integer     NOT NULL DEFAULT 0,
    imported       integer     NOT NULL DEFAULT 0,
    duplicates     integer     NOT NULL DEFAULT 0,
    rejected_count integer     NOT NULL DEFAULT 0,
    -- The first rejected lines with their reasons: [{"line": 3, "error": "..."}].
    rejected       jsonb       NOT NULL DEFAULT '[]',
    failure        text,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);
CREATE INDEX item_imports_campaign_idx ON item_imports (campaign_id, started_at DESC);
