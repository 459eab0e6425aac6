-- Exports run in the background: written to a temporary file, renamed when complete, described by a manifest.

CREATE TABLE export_jobs (
    id          bigserial PRIMARY KEY,
    campaign_id bigint      NOT NULL REFERENCES campaigns (id),
    user_id     bigint      NOT NULL REFERENCES users (id),
    format      text        NOT NULL,
    file        text        NOT NULL CHECK (file IN ('jsonl', 'jsonl.gz', 'parquet')),
    options     jsonb       NOT NULL DEFAULT '{}',
    status      text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
    lines       bigint      NOT NULL DEFAULT 0,
    bytes       bigint,
    sha256      text,
    manifest    jsonb,
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX export_jobs_campaign_idx ON export_jobs (campaign_id, id DESC);
