package dev.ranklab.items;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** Reads a campaign's items and its import history. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ItemService {

    @Inject
    AuditLog audit;

    @Inject
    Event<GoldChanged> goldChanged;

    /**
     * Fired inside the transaction that made an item gold or ordinary again. Whether an item is complete depends on
     * it; the queue, which owns items.complete, recomputes it.
     */
    public record GoldChanged(long itemId) {
    }

    public static final int MAX_PAGE = 1000;

    public long countIn(long campaignId) {
        return Item.countInCampaign(campaignId);
    }

    public List<Item> page(long campaignId, long afterId, int limit) {
        return Item.pageInCampaign(campaignId, afterId, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    /** Where an item stands in the queue, as the item browser filters it. */
    public enum ItemState {

        OPEN, IN_PROGRESS, COMPLETE, GOLD,
        /** Imported without responses: waits for a generation job (never leased meanwhile). */
        WAITING,
        /** Its generation kept failing; a new generation job tries again. */
        GENERATION_FAILED;

        static ItemState parse(String value) {
            if (value == null || value.isBlank() || "ALL".equalsIgnoreCase(value.strip())) {
                return null;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.of("status", "must be OPEN, IN_PROGRESS, COMPLETE, GOLD, WAITING, "
                        + "GENERATION_FAILED or ALL");
            }
        }

        /** The SQL condition on items {@code i} for this state. */
        String condition() {
            return switch (this) {
                case OPEN -> "i.gold_ranking IS NULL AND NOT i.complete AND i.finished = 0 AND i.leased = 0"
                        + " AND i.generation IS NULL";
                case IN_PROGRESS -> "i.gold_ranking IS NULL AND NOT i.complete AND (i.finished > 0 OR i.leased > 0)";
                case COMPLETE -> "i.gold_ranking IS NULL AND i.complete";
                case GOLD -> "i.gold_ranking IS NOT NULL";
                case WAITING -> "i.generation = 'WAITING'";
                case GENERATION_FAILED -> "i.generation = 'FAILED'";
            };
        }
    }

    /**
     * One row of the item browser; agreement is null until two annotators have ranked the item, the generation
     * error null unless its generation failed.
     */
    public record ItemRow(long id, String externalId, String prompt, ItemState state, int finished, int leased,
            Double agreement, String generationError) {

        public String agreementText() {
            return agreement == null ? "–" : String.format(Locale.ROOT, "%.0f%%", agreement * 100);
        }
    }

    /**
     * The orders the item browser offers, by the name its links carry: only these reach the SQL. Items without an
     * agreement (ranked by fewer than two) come last either way.
     */
    public enum ItemSort {

        IMPORT("import", "i.id"), AGREEMENT("agreement", "i.agreement ASC NULLS LAST, i.id"), AGREEMENT_DESC(
                "-agreement", "i.agreement DESC NULLS LAST, i.id"), FINISHED("finished",
                        "i.finished ASC, i.id"), FINISHED_DESC("-finished", "i.finished DESC, i.id");

        public final String param;
        final String orderBy;

        ItemSort(String param, String orderBy) {
            this.param = param;
            this.orderBy = orderBy;
        }

        public static ItemSort parse(String value) {
            if (value == null || value.isBlank()) {
                return IMPORT;
            }
            for (ItemSort sort : values()) {
                if (sort.param.equals(value.strip())) {
                    return sort;
                }
            }
            throw InvalidInputException.of("sort", "must be import, agreement, -agreement, finished or -finished");
        }
    }

    /** Where an item imported without responses stands: WAITING or FAILED, and the last failure in words. */
    public record Generation(String status, String error) {
    }

    /** The item's generation state, or null when it has its responses. */
    public Generation generation(long itemId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Item.getEntityManager().createNativeQuery(
                "SELECT generation, generation_error FROM items WHERE id = ?1 AND generation IS NOT NULL")
                .setParameter(1, itemId).getResultList();
        return rows.isEmpty() ? null : new Generation((String) rows.get(0)[0], (String) rows.get(0)[1]);
    }

    /**
     * A page of a campaign's items matching a search (in the external id, the prompt or the responses, case
     * insensitive) and a state, in import order after the given id.
     */
    public List<ItemRow> search(long campaignId, String query, String state, long afterId, int limit) {
        return search(campaignId, query, state, ItemSort.IMPORT, afterId, 0, limit);
    }

    /**
     * A page of matching items in the given order: import order pages after an id (a keyset, stable while items
     * are added), the other orders page by offset, since agreement and counts change as work comes in.
     */
    public List<ItemRow> search(long campaignId, String query, String state, ItemSort sort, long afterId, long offset,
            int limit) {
        ItemState wanted = ItemState.parse(state);
        String text = query == null ? "" : query.strip();
        if (text.length() > 200) {
            throw InvalidInputException.of("q", "at most 200 characters");
        }
        if (text.indexOf('\0') >= 0) {
            throw InvalidInputException.of("q", "must not contain NUL characters");
        }
        String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Item.getEntityManager().createNativeQuery("""
                SELECT i.id, i.external_id, left(i.prompt -> -1 ->> 'content', 200),
                       CASE WHEN i.generation = 'WAITING' THEN 'WAITING'
                            WHEN i.generation = 'FAILED' THEN 'GENERATION_FAILED'
                            WHEN i.gold_ranking IS NOT NULL THEN 'GOLD' WHEN i.complete THEN 'COMPLETE'
                            WHEN i.finished > 0 OR i.leased > 0 THEN 'IN_PROGRESS' ELSE 'OPEN' END,
                       i.finished, i.leased, i.agreement, i.generation_error
                  FROM items i
                 WHERE i.campaign_id = ?1 AND i.id > ?2 AND %s
                   AND (?3 = '' OR i.external_id ILIKE ?4 OR i.prompt::text ILIKE ?4 OR i.responses::text ILIKE ?4)
                 ORDER BY %s LIMIT ?5 OFFSET ?6""".formatted(wanted == null ? "true" : wanted.condition(),
                sort.orderBy))
                .setParameter(1, campaignId).setParameter(2, afterId).setParameter(3, text).setParameter(4, like)
                .setParameter(5, Math.max(1, Math.min(limit, MAX_PAGE))).setParameter(6, Math.max(0, offset))
                .getResultList();
        return rows.stream().map(r -> new ItemRow(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                ItemState.valueOf((String) r[3]), ((Number) r[4]).intValue(), ((Number) r[5]).intValue(),
                r[6] == null ? null : ((Number) r[6]).doubleValue(), (String) r[7])).toList();
    }

    /** Makes an item a gold item with this reference ranking (tiers of its response ids, best first). */
    @Transactional
    public Item setGold(long itemId, List<List<String>> tiers) {
        Item item = get(itemId);
        Campaign campaign = Campaign.findById(item.campaignId);
        if (campaign.kind != CampaignKind.RANKING) {
            throw ProblemException.conflict("item " + itemId + " is in a demonstration campaign; gold items need a "
                    + "reference ranking");
        }
        String problem = GoldRanking.problem(tiers, item.responses.stream().map(ItemResponse::id).toList());
        if (problem != null) {
            throw InvalidInputException.of("ranking", problem);
        }
        item.goldRanking = tiers.stream().map(List::copyOf).toList();
        item.flush();
        goldChanged.fire(new GoldChanged(itemId));
        audit.record("item.gold", "item:" + itemId, Map.of("ranking", item.goldRanking));
        return item;
    }

    /** Makes a gold item an ordinary one again: it rejoins the queue and its rankings rejoin the data. */
    @Transactional
    public Item clearGold(long itemId) {
        Item item = get(itemId);
        if (item.goldRanking == null) {
            throw ProblemException.conflict("item " + item.externalId + " is not a gold item");
        }
        item.goldRanking = null;
        item.flush();
        goldChanged.fire(new GoldChanged(itemId));
        audit.record("item.gold.clear", "item:" + itemId, Map.of());
        return item;
    }

    /** These items, in id order, in one query. */
    public List<Item> byIds(List<Long> ids) {
        return ids.isEmpty() ? List.of() : Item.list("id in ?1 order by id", ids);
    }

    public Item get(long itemId) {
        Item item = Item.findById(itemId);
        if (item == null) {
            throw ProblemException.notFound("no item with id " + itemId);
        }
        return item;
    }

    public List<ItemImport> recentImports(long campaignId, int limit) {
        return ItemImport.recentInCampaign(campaignId, limit);
    }

    public ItemImport findImport(long campaignId, long importId) {
        ItemImport record = ItemImport.findById(importId);
        return record != null && record.campaignId == campaignId ? record : null;
    }
}
