package dev.ranklab.campaigns;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

/**
 * A campaign's completion, a fact of its lifecycle: campaigns.completed_at is set when its last non-gold item
 * completes and cleared when it reopens (new items, a higher overlap, a gold item made ordinary), and each completion
 * is fired as a {@link Completed} event in the transaction that records it, for other features to observe.
 */
@ApplicationScoped
public class CampaignCompletion {

    /** Fired inside the transaction that marked the campaign complete. */
    public record Completed(long campaignId) {
    }

    @Inject
    EntityManager em;

    @Inject
    Event<Completed> completed;

    /**
     * A sweep rather than a check in every submission: the check would cost each submission a query, and two last
     * items completing at once would each see the other still open, so that neither marked it unless the checks were
     * serialised per campaign (which slowed every submission). The UPDATE decides once across all instances.
     */
    @Scheduled(every = "2s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void sweep() {
        em.createNativeQuery("""
                UPDATE campaigns c SET completed_at = NULL
                 WHERE c.completed_at IS NOT NULL
                   AND EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND NOT i.complete
                               AND i.gold_ranking IS NULL)
                """).executeUpdate();
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                UPDATE campaigns c SET completed_at = now()
                 WHERE c.completed_at IS NULL
                   AND EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND i.gold_ranking IS NULL)
                   AND NOT EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND NOT i.complete
                                   AND i.gold_ranking IS NULL)
                RETURNING c.id
                """).getResultList();
        ids.forEach(id -> completed.fire(new Completed(id.longValue())));
    }
}
