-- Each ranking's number of pairs (responses in different tiers) and whether it has a tie, kept beside its tiers so
-- that statistics, export counts and the trainer's "new comparisons" read a column instead of walking every
-- ranking's JSON on every page view (seconds on a campaign of 100,000 rankings). Stored generated columns: PostgreSQL
-- computes them on insert, so no writer can get them wrong.

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

ALTER TABLE rankings
    ADD COLUMN pairs   integer GENERATED ALWAYS AS (ranking_pairs(tiers)) STORED,
    ADD COLUMN has_tie boolean GENERATED ALWAYS AS (ranking_has_tie(tiers)) STORED;
