-- Labeling campaigns: what annotators are asked to do, for how many responses, by how many people.

CREATE TABLE campaigns (
    id                 bigserial PRIMARY KEY,
    name               text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('RANKING', 'DEMONSTRATION')),
    status             text        NOT NULL DEFAULT 'DRAFT'
                                   CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED')),
    responses_per_item integer CHECK (responses_per_item BETWEEN 2 AND 9),
    overlap            integer     NOT NULL CHECK (overlap BETWEEN 1 AND 10),
    guidelines         text        NOT NULL DEFAULT '',
    lease_minutes      integer     NOT NULL DEFAULT 30 CHECK (lease_minutes BETWEEN 1 AND 1440),
    -- The content flags annotators may attach to a response: [{"code": "...", "label": "..."}].
    flags              jsonb       NOT NULL DEFAULT '[]',
    created_by         bigint REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- K only means something for rankings, and a ranking campaign must have one.
    CONSTRAINT campaigns_k_matches_kind CHECK ((kind = 'RANKING') = (responses_per_item IS NOT NULL))
);
CREATE UNIQUE INDEX campaigns_name_key ON campaigns (lower(name));
