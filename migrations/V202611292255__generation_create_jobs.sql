-- Generation jobs: fill RANKING items imported without responses with K responses sampled from model endpoints.

-- An item imported without responses waits for generation (never leased until it has all K); FAILED when one of
-- its requests kept failing, with the error in words.
ALTER TABLE items
    ADD COLUMN generation       text CHECK (generation IN ('WAITING', 'FAILED')),
    ADD COLUMN generation_error text;
CREATE INDEX items_generation_idx ON items (campaign_id, id) WHERE generation IS NOT NULL;

CREATE TABLE generation_jobs (
    id                bigserial PRIMARY KEY,
    campaign_id       bigint      NOT NULL REFERENCES campaigns (id),
    created_by        bigint REFERENCES users (id),
    status            text        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'CANCELLED')),
    -- [{"endpointId": 1, "samples": 2}, ...]: slots 1..2 from endpoint 1, and so on; the samples add up to K.
    sources           jsonb       NOT NULL,
    temperature       double precision,
    max_tokens        integer,
    seed              bigint,
    items             integer     NOT NULL DEFAULT 0,
    requests          integer     NOT NULL DEFAULT 0,
    prompt_tokens     bigint      NOT NULL DEFAULT 0,
    completion_tokens bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz
);
-- One running job per campaign: it owns the campaign's unfinished slots.
CREATE UNIQUE INDEX generation_jobs_one_running_idx ON generation_jobs (campaign_id) WHERE status = 'RUNNING';

-- One row per (item, slot): the primary key makes "a slot is generated and stored at most once" a database fact.
-- A worker claims a slot by setting its claim token and lease; only the holder of the current claim may store the
-- text (its UPDATE names the token), a lease that ran out (the instance died) lets another worker take the slot
-- over, and the trigger below keeps a stored text from ever being replaced.
CREATE TABLE generation_slots (
    item_id          bigint      NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    slot             integer     NOT NULL CHECK (slot >= 1),
    job_id           bigint      NOT NULL REFERENCES generation_jobs (id),
    endpoint_id      bigint REFERENCES model_endpoints (id) ON DELETE SET NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    claim            uuid,
    lease_expires_at timestamptz,
    text             text,
    model            text,
    finish_reason    text,
    last_error       text,
    PRIMARY KEY (item_id, slot),
    CONSTRAINT generation_slots_done_has_text CHECK ((status = 'DONE') = (text IS NOT NULL)),
    CONSTRAINT generation_slots_running_is_claimed CHECK ((status = 'RUNNING') = (claim IS NOT NULL))
);
CREATE INDEX generation_slots_due_idx ON generation_slots (next_attempt_at) WHERE status IN ('PENDING', 'RUNNING');
CREATE INDEX generation_slots_job_idx ON generation_slots (job_id);

CREATE FUNCTION generation_slots_keep_done() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'DONE' AND (NEW.status <> 'DONE' OR NEW.text IS DISTINCT FROM OLD.text) THEN
        RAISE EXCEPTION 'slot % of item % is already generated', OLD.slot, OLD.item_id;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER generation_slots_keep_done BEFORE UPDATE ON generation_slots
    FOR EACH ROW EXECUTE FUNCTION generation_slots_keep_done();
