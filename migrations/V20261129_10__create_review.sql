-- Review: an admin may reject a submitted ranking (with a reason) and restore it later. Rejected work stays in the
-- database but leaves exports, agreement and training.

ALTER TABLE rankings
    ADD COLUMN rejected_at      timestamptz,
    ADD COLUMN rejected_by      bigint REFERENCES users (id),
    ADD COLUMN rejection_reason text,
    ADD CONSTRAINT rankings_rejection_has_reason CHECK ((rejected_at IS NULL) = (rejection_reason IS NULL));

-- An admin has looked at the item's disputes and settled them.
ALTER TABLE items ADD COLUMN reviewed_at timestamptz;

CREATE OR REPLACE FUNCTION item_agreement(item bigint) RETURNS double precision
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
