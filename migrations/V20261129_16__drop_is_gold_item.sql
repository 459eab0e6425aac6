-- Queries exclude gold items with a NOT IN over the partial index of gold items, which PostgreSQL hashes once per
-- query; the per-row function it replaces could not be inlined and slowed exports down.
DROP FUNCTION is_gold_item(bigint);
