-- Gold items: items with a reference ranking, served to every annotator on a schedule to measure them against it.
-- Their rankings are quality checks, not data: exports, training, inter-annotator agreement and review leave them
-- out (is_gold_item), and they never complete, so they never hold up a campaign's completion.
ALTER TABLE items ADD COLUMN gold_ranking jsonb
    CHECK (gold_ranking IS NULL OR (jsonb_typeof(gold_ranking) = 'array' AND jsonb_array_length(gold_ranking) > 0));
CREATE INDEX items_gold_idx ON items (campaign_id, id) WHERE gold_ranking IS NOT NULL;

-- The schedule: an annotator's first gold_first_tasks tasks are gold, then gold_percent of the rest.
ALTER TABLE campaigns
    ADD COLUMN gold_first_tasks integer NOT NULL DEFAULT 0 CHECK (gold_first_tasks BETWEEN 0 AND 1000),
    ADD COLUMN gold_percent     integer NOT NULL DEFAULT 0 CHECK (gold_percent BETWEEN 0 AND 100);

CREATE FUNCTION is_gold_item(item bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT gold_ranking IS NOT NULL FROM items WHERE id = item
$$;
