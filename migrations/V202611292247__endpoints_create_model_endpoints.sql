-- Model endpoints: OpenAI-compatible chat/completions servers that Ranklab samples responses from. The API key is
-- stored encrypted with the instance secret (AES-GCM), never in the clear.

CREATE TABLE model_endpoints (
    id                  bigserial PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    base_url            text        NOT NULL,
    model               text        NOT NULL,
    api_key_encrypted   text,
    max_concurrency     integer     NOT NULL DEFAULT 4 CHECK (max_concurrency BETWEEN 1 AND 256),
    requests_per_minute integer CHECK (requests_per_minute BETWEEN 1 AND 100000),
    timeout_seconds     integer     NOT NULL DEFAULT 60 CHECK (timeout_seconds BETWEEN 1 AND 3600),
    temperature         double precision CHECK (temperature BETWEEN 0 AND 2),
    top_p               double precision CHECK (top_p > 0 AND top_p <= 1),
    max_tokens          integer CHECK (max_tokens BETWEEN 1 AND 1000000),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Every request to an endpoint holds one row from before it is sent until it is answered (or its lease runs out,
-- when the instance sending it died). Counting the live rows under the endpoint's row lock keeps max_concurrency
-- and requests_per_minute across all instances sharing the database.
CREATE TABLE endpoint_calls (
    id          bigserial PRIMARY KEY,
    endpoint_id bigint      NOT NULL REFERENCES model_endpoints (id) ON DELETE CASCADE,
    started_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    finished    boolean     NOT NULL DEFAULT false
);
CREATE INDEX endpoint_calls_live_idx ON endpoint_calls (endpoint_id, started_at);
