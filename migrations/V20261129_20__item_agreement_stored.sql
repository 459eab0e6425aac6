-- Each item's pairwise agreement among its accepted rankings, stored on the item and kept current by a trigger, so
-- that the review queue and exports filtered on agreement read a column instead of evaluating item_agreement() for
-- every item (a 30,000-item campaign's review queue took over a minute, and ran into the statement timeout).
-- Rankings are also found by item through an index now: item_agreement() and the queue's counts looked them up by
-- item with no index at all.

CREATE INDEX rankings_item_idx ON rankings (item_id);

ALTER TABLE items ADD COLUMN agreement double precision;

-- Runs after a ranking is added, rejected, restored or removed. The item's row is locked first, and the agreement is
-- computed by the next statement: in READ COMMITTED that statement sees every ranking committed while this one
-- waited for the lock, so two rankings of one item committed at once cannot leave a value that misses either.
-- The lock is FOR NO KEY UPDATE, the one an UPDATE of the counters takes anyway: it does not conflict with the KEY
-- SHARE lock that the foreign-key check of every ranking or task inserted for the item holds. (FOR UPDATE did: two
-- submissions of one item, each holding its foreign-key lock and waiting for the other's, deadlocked under load.)
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

UPDATE items SET agreement = item_agreement(id)
 WHERE id IN (SELECT item_id FROM rankings GROUP BY item_id HAVING count(*) > 1);
