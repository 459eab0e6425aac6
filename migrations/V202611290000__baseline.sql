-- The schema as one reviewed baseline. Later migrations add to it, one per change, named
-- V<yyyyMMddHHmm>__<feature>_<verb>_<noun>.sql; none, this one included, is ever edited once committed
-- (MigrationChecksumTest holds their checksums). Each table is owned by one feature; a column that another feature
-- adds to it, or that another feature reads for its own purpose, says its owner in a COMMENT ON COLUMN at the end.

-- users: accounts, their login sessions and API tokens, and the failed logins that drive throttling.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('ANNOTATOR', 'RESEARCHER', 'ADMIN')),
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- Labels ("team-a", "medical") kept on the user, so that a new team member gets the team's campaigns without
    -- editing each campaign.
    groups        text[]      NOT NULL DEFAULT '{}'
);
-- Usernames are compared case-insensitively so that "Alice" and "alice" cannot both exist.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

-- Browser sessions and API tokens are the same thing: a random secret, stored only as its SHA-256,
-- that expires and can be revoked. Sessions therefore survive restarts and end for real on logout.
CREATE TABLE auth_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('SESSION', 'API')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX auth_tokens_hash_key ON auth_tokens (token_hash);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id);

CREATE TABLE login_failures (
    id             bigserial PRIMARY KEY,
    username       text        NOT NULL,
    remote_address text        NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_user_idx ON login_failures (lower(username), failed_at);
CREATE INDEX login_failures_address_idx ON login_failures (remote_address, failed_at);

-- campaigns: what annotators are asked to do, for how many responses, by how many people, and who may do it.

CREATE TABLE campaigns (
    id                         bigserial PRIMARY KEY,
    name                       text        NOT NULL,
    kind                       text        NOT NULL CHECK (kind IN ('RANKING', 'DEMONSTRATION')),
    status                     text        NOT NULL DEFAULT 'DRAFT'
                                           CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED')),
    responses_per_item         integer CHECK (responses_per_item BETWEEN 2 AND 9),
    overlap                    integer     NOT NULL CHECK (overlap BETWEEN 1 AND 10),
    guidelines                 text        NOT NULL DEFAULT '',
    lease_minutes              integer     NOT NULL DEFAULT 30 CHECK (lease_minutes BETWEEN 1 AND 1440),
    -- The content flags annotators may attach to a response: [{"code": "...", "label": "..."}].
    flags                      jsonb       NOT NULL DEFAULT '[]',
    created_by                 bigint REFERENCES users (id),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    skips_count_toward_overlap boolean     NOT NULL DEFAULT false,
    demonstration_min_chars    integer     NOT NULL DEFAULT 1 CHECK (demonstration_min_chars >= 1),
    demonstration_max_chars    integer     NOT NULL DEFAULT 20000 CHECK (demonstration_max_chars <= 200000),
    show_scores_to_annotators  boolean     NOT NULL DEFAULT false,
    queue_policy               text        NOT NULL DEFAULT 'MOST_ANNOTATED_FIRST'
                                           CHECK (queue_policy IN ('MOST_ANNOTATED_FIRST', 'UNCERTAINTY_FIRST')),
    max_tasks_per_annotator    integer CHECK (max_tasks_per_annotator > 0),
    gold_first_tasks           integer     NOT NULL DEFAULT 0 CHECK (gold_first_tasks BETWEEN 0 AND 1000),
    gold_percent               integer     NOT NULL DEFAULT 0 CHECK (gold_percent BETWEEN 0 AND 100),
    assigned_annotators        bigint[]    NOT NULL DEFAULT '{}',
    assigned_groups            text[]      NOT NULL DEFAULT '{}',
    completed_at               timestamptz,
    -- K only means something for rankings, and a ranking campaign must have one.
    CONSTRAINT campaigns_k_matches_kind CHECK ((kind = 'RANKING') = (responses_per_item IS NOT NULL)),
    CONSTRAINT campaigns_demonstration_length CHECK (demonstration_min_chars <= demonstration_max_chars)
);
CREATE UNIQUE INDEX campaigns_name_key ON campaigns (lower(name));

-- items: a prompt and, for rankings, its K responses; and the record of every import.

CREATE TABLE items (
    id           bigserial PRIMARY KEY,
    campaign_id  bigint      NOT NULL REFERENCES campaigns (id),
    external_id  text        NOT NULL,
    -- Chat messages: [{"role": "system"|"user"|"assistant", "content": "..."}].
    prompt       jsonb       NOT NULL,
    -- [{"id": "r1", "text": "...", "model": "..."}]; ids are stable, display order is not.
    responses    jsonb       NOT NULL DEFAULT '[]',
    metadata     jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Kept on the item so that choosing the next item reads one row per candidate instead of counting tasks.
    -- They change only with the item row locked, in the transaction that changes the task.
    finished     integer     NOT NULL DEFAULT 0,
    leased       integer     NOT NULL DEFAULT 0,
    complete     boolean     NOT NULL DEFAULT false,
    model_margin real,
    reviewed_at  timestamptz,
    gold_ranking jsonb
        CHECK (gold_ranking IS NULL OR (jsonb_typeof(gold_ranking) = 'array' AND jsonb_array_length(gold_ranking) > 0)),
    agreement    double precision,
    -- Re-importing an externalId is a duplicate, never a second item; this index makes that race-free.
    CONSTRAINT items_campaign_external_key UNIQUE (campaign_id, external_id)
);
-- The queue walks this index: open items of a campaign, most-annotated first, then in import order.
CREATE INDEX items_queue_idx ON items (campaign_id, finished DESC, id) WHERE NOT complete;
-- The uncertainty-first queue walks this one as the default queue walks items_queue_idx.
CREATE INDEX items_uncertainty_idx ON items (campaign_id, model_margin, finished DESC, id) WHERE NOT complete;
-- Queries exclude gold items with a NOT IN over this partial index, which PostgreSQL hashes once per query.
CREATE INDEX items_gold_idx ON items (campaign_id, id) WHERE gold_ranking IS NOT NULL;

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

-- tasks: the work queue. A task is one annotator's lease on one item, and what became of it.

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

-- rankings and demonstrations: what a submission stores.

-- A ranking's number of pairs (responses in different tiers) and whether it has a tie, as stored generated columns:
-- statistics, export counts and the trainer's "new comparisons" read a column instead of walking every ranking's
-- JSON, and no writer can get them wrong.
CREATE FUNCTION ranking_pairs(tiers jsonb) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    -- K·(K−1)/2 minus the pairs inside each tier, which is (K² − Σ tier²) / 2.
    SELECT coalesce(((sum(jsonb_array_length(t)) ^ 2 - sum(jsonb_array_length(t) ^ 2)) / 2)::integer, 0)
    FROM jsonb_array_elements(tiers) t
$$;

CREATE FUNCTION ranking_has_tie(tiers jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT EXISTS (SELECT 1 FROM jsonb_array_elements(tiers) t WHERE jsonb_array_length(t) > 1)
$$;

CREATE TABLE rankings (
    id               bigserial PRIMARY KEY,
    task_id          bigint      NOT NULL UNIQUE REFERENCES tasks (id),
    item_id          bigint      NOT NULL REFERENCES items (id),
    campaign_id      bigint      NOT NULL REFERENCES campaigns (id),
    annotator_id     bigint      NOT NULL REFERENCES users (id),
    -- Best tier first; ids in one tier are tied: [["r3"],["r1","r4"],["r2"]].
    tiers            jsonb       NOT NULL,
    ratings          jsonb       NOT NULL DEFAULT '{}',
    flags            jsonb       NOT NULL DEFAULT '{}',
    comment          text,
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    -- An admin may reject a ranking with a reason and restore it later: rejected work stays stored but leaves
    -- exports, agreement and training.
    rejected_at      timestamptz,
    rejected_by      bigint REFERENCES users (id),
    rejection_reason text,
    pairs            integer GENERATED ALWAYS AS (ranking_pairs(tiers)) STORED,
    has_tie          boolean GENERATED ALWAYS AS (ranking_has_tie(tiers)) STORED,
    CONSTRAINT rankings_rejection_has_reason CHECK ((rejected_at IS NULL) = (rejection_reason IS NULL))
);
CREATE INDEX rankings_campaign_idx ON rankings (campaign_id, id);
CREATE INDEX rankings_item_idx ON rankings (item_id);

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

-- Settings that belong to this installation's data rather than to its configuration.

CREATE TABLE instance_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Salt for annotator pseudonyms in exports: stable for an installation, so the same annotator keeps the same
-- pseudonym in every export of a campaign, yet not derivable from user ids by anyone without the database.
INSERT INTO instance_settings (key, value)
VALUES ('pseudonym_salt', md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));

-- export: background jobs, written to a temporary file, renamed when complete, described by a manifest.

CREATE TABLE export_jobs (
    id           bigserial PRIMARY KEY,
    campaign_id  bigint      NOT NULL REFERENCES campaigns (id),
    user_id      bigint      NOT NULL REFERENCES users (id),
    format       text        NOT NULL,
    file         text        NOT NULL CHECK (file IN ('jsonl', 'jsonl.gz', 'parquet')),
    options      jsonb       NOT NULL DEFAULT '{}',
    status       text        NOT NULL
                             CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    lines        bigint      NOT NULL DEFAULT 0,
    bytes        bigint,
    sha256       text,
    manifest     jsonb,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    -- The instance that runs the job, by the key of its liveness lock (database.InstanceLiveness): a QUEUED or
    -- RUNNING job whose instance no longer holds that lock was cut off by a crash or restart and is marked FAILED by
    -- whichever instance looks first.
    runner       integer,
    -- Whoever cancelled it: its starter or an admin.
    cancelled_by bigint REFERENCES users (id)
);
CREATE INDEX export_jobs_campaign_idx ON export_jobs (campaign_id, id DESC);
CREATE INDEX export_jobs_unfinished_idx ON export_jobs (id) WHERE status IN ('QUEUED', 'RUNNING');

-- rewardmodel: cached sentence embeddings, trained versions, and the scores they gave.

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

-- quality: agreement in SQL, so exports can filter on it inside their snapshot (the same definition as
-- quality.Agreement), and each item's agreement stored on it.

-- The tier (0 = best) of a response in a ranking's tiers, or NULL when it is not there.
CREATE FUNCTION ranking_tier(tiers jsonb, response text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT (t.ord - 1)::integer
  FROM jsonb_array_elements(tiers) WITH ORDINALITY AS t(ids, ord)
 WHERE t.ids ? response
$$;

-- Pairwise agreement among an item's accepted rankings: the share of (response pair, ranking pair) in which both
-- rankings order the two responses the same way (better, worse or tied). NULL when fewer than two rankings exist.
CREATE FUNCTION item_agreement(item bigint) RETURNS double precision
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT avg((sign(ranking_tier(o1.tiers, p.a) - ranking_tier(o1.tiers, p.b))
          = sign(ranking_tier(o2.tiers, p.a) - ranking_tier(o2.tiers, p.b)))::integer)
  FROM rankings o1
  JOIN rankings o2 ON o2.item_id = o1.item_id AND o2.id > o1.id AND o2.rejected_at IS NULL
  JOIN items i ON i.id = o1.item_id
 CROSS JOIN LATERAL (SELECT e1 ->> 'id' AS a, e2 ->> 'id' AS b
                       FROM jsonb_array_elements(i.responses) e1, jsonb_array_elements(i.responses) e2
                      WHERE e1 ->> 'id' < e2 ->> 'id') p
 WHERE o1.item_id = item AND o1.rejected_at IS NULL
$$;

-- Runs after a ranking is added, rejected, restored or removed. The item's row is locked first, and the agreement is
-- computed by the next statement: in READ COMMITTED that statement sees every ranking committed while this one
-- waited for the lock, so two rankings of one item committed at once cannot leave a value that misses either.
-- The lock is FOR NO KEY UPDATE, the one an UPDATE of the counters takes anyway: it does not conflict with the KEY
-- SHARE lock that the foreign-key check of every ranking or task inserted for the item holds. (FOR UPDATE would:
-- two submissions of one item, each holding its foreign-key lock and waiting for the other's, deadlock under load.)
CREATE FUNCTION refresh_item_agreement() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    item bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.item_id ELSE NEW.item_id END;
BEGIN
    PERFORM 1 FROM items WHERE id = item FOR NO KEY UPDATE;
    UPDATE items SET agreement = item_agreement(item) WHERE id = item;
    RETURN NULL;
END
$$;

CREATE TRIGGER rankings_refresh_item_agreement
    AFTER INSERT OR DELETE OR UPDATE OF rejected_at, tiers ON rankings
    FOR EACH ROW EXECUTE FUNCTION refresh_item_agreement();

-- audit: every admin action (and what the system did on its own): who, when, what. Append-only.

CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor_id bigint REFERENCES users (id),
    -- The username at the time, or 'system' for what the app did by itself.
    actor    text        NOT NULL,
    -- What was done, e.g. campaign.create, user.deactivate, reward_model.promote, export.download.
    action   text        NOT NULL,
    -- What it was done to, e.g. campaign:12.
    target   text,
    details  jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);

-- Nothing rewrites history: updates and deletes are refused by the database itself.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- webhooks: signed POSTs to other systems on item completed, campaign completed and model promoted. Deliveries are
-- written in the transaction of the event (an outbox), so only committed events go out, and retried with backoff.

CREATE TABLE webhooks (
    id         bigserial PRIMARY KEY,
    url        text        NOT NULL,
    -- HMAC-SHA256 key for the X-Ranklab-Signature header.
    secret     text        NOT NULL,
    events     text[]      NOT NULL,
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    webhook_id      bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           text        NOT NULL,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id DESC);

-- Columns one feature writes on another feature's table, or that several features read: who owns each.

COMMENT ON COLUMN users.groups IS
    'Owned by users (UserService). Read by campaigns and tasks to decide who may work on an assigned campaign.';
COMMENT ON COLUMN campaigns.skips_count_toward_overlap IS 'Campaign setting owned by campaigns; read by tasks.';
COMMENT ON COLUMN campaigns.max_tasks_per_annotator IS 'Campaign setting owned by campaigns; read by tasks.';
COMMENT ON COLUMN campaigns.gold_first_tasks IS 'Campaign setting owned by campaigns; read by tasks (the gold schedule).';
COMMENT ON COLUMN campaigns.gold_percent IS 'Campaign setting owned by campaigns; read by tasks (the gold schedule).';
COMMENT ON COLUMN campaigns.assigned_annotators IS 'Campaign setting owned by campaigns; read by tasks. User ids.';
COMMENT ON COLUMN campaigns.assigned_groups IS 'Campaign setting owned by campaigns; read by tasks. Matched to users.groups.';
COMMENT ON COLUMN campaigns.show_scores_to_annotators IS 'Campaign setting owned by campaigns; read by tasks.';
COMMENT ON COLUMN campaigns.queue_policy IS
    'Campaign setting owned by campaigns; read by tasks, which orders by items.model_margin under UNCERTAINTY_FIRST.';
COMMENT ON COLUMN campaigns.completed_at IS
    'Owned by campaigns (its completion sweep): set when every non-gold item is complete, cleared when the campaign '
    'reopens. Webhooks observe the completion event; they never write this column.';
COMMENT ON COLUMN items.finished IS
    'Owned by tasks (the queue): submissions, plus skips where the campaign counts them. Changed with the item row locked.';
COMMENT ON COLUMN items.leased IS 'Owned by tasks (the queue): live leases. Changed with the item row locked.';
COMMENT ON COLUMN items.complete IS
    'Owned by tasks (the queue), one formula: finished >= campaigns.overlap AND gold_ranking IS NULL. '
    'Other features that change an input of it ask the queue to recompute it.';
COMMENT ON COLUMN items.model_margin IS
    'Owned by rewardmodel (campaign scoring): the smallest score gap between two responses under the promoted '
    'version, NULL when not scored. Read by tasks for the uncertainty-first queue.';
COMMENT ON COLUMN items.reviewed_at IS 'Owned by quality (review): an admin settled the item''s disputes.';
COMMENT ON COLUMN items.gold_ranking IS
    'Owned by items (import and the gold API): the reference ranking of a gold item. Read by tasks, quality, export, '
    'rewardmodel and dashboards, which leave gold items out of data.';
COMMENT ON COLUMN items.agreement IS
    'Owned by quality, written only by the trigger rankings_refresh_item_agreement: item_agreement() of the item.';
COMMENT ON COLUMN rankings.rejected_at IS 'Owned by quality (review), with rejected_by and rejection_reason.';
COMMENT ON COLUMN rankings.rejected_by IS 'Owned by quality (review).';
COMMENT ON COLUMN rankings.rejection_reason IS 'Owned by quality (review).';
COMMENT ON COLUMN rankings.pairs IS 'Computed by PostgreSQL (ranking_pairs); nobody writes it.';
COMMENT ON COLUMN rankings.has_tie IS 'Computed by PostgreSQL (ranking_has_tie); nobody writes it.';
COMMENT ON COLUMN export_jobs.runner IS
    'Owned by export; the key of the running instance''s liveness lock (database.InstanceLiveness).';
