-- Agreement in SQL, so exports can filter on it inside their snapshot (the same definition as quality.Agreement).

-- The tier (0 = best) of a response in a ranking's tiers, or NULL when it is not there.
CREATE FUNCTION ranking_tier(tiers jsonb, response text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT (t.ord - 1)::integer
  FROM jsonb_array_elements(tiers) WITH ORDINALITY AS t(ids, ord)
 WHERE t.ids ? response
$$;

-- Pairwise agreement among an item's rankings: the share of (response pair, ranking pair) in which both rankings
-- order the two responses the same way (better, worse or tied). NULL when fewer than two rankings exist.
CREATE FUNCTION item_agreement(item bigint) RETURNS double precision
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT avg((sign(ranking_tier(o1.tiers, p.a) - ranking_tier(o1.tiers, p.b))
          = sign(ranking_tier(o2.tiers, p.a) - ranking_tier(o2.tiers, p.b)))::integer)
  FROM rankings o1
  JOIN rankings o2 ON o2.item_id = o1.item_id AND o2.id > o1.id
  JOIN items i ON i.id = o1.item_id
 CROSS JOIN LATERAL (SELECT e1 ->> 'id' AS a, e2 ->> 'id' AS b
                       FROM jsonb_array_elements(i.responses) e1, jsonb_array_elements(i.responses) e2
                      WHERE e1 ->> 'id' < e2 ->> 'id') p
 WHERE o1.item_id = item
$$;
