package dev.ranklab.items;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The items side of generation: an item imported without responses waits ({@code generation = 'WAITING'}) until a
 * generation job hands it all K responses, which makes it leasable. The items feature keeps ownership of the
 * items' columns; the generation feature calls these in its own transactions.
 */
@ApplicationScoped
public class GeneratedResponses {

    @Inject
    EntityManager em;

    /** Locks a waiting item's row for the caller's transaction; false when the item waits no more. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean lockWaiting(long itemId) {
        return !em.createNativeQuery("SELECT 1 FROM items WHERE id = ?1 AND generation IS NOT NULL FOR UPDATE")
                .setParameter(1, itemId).getResultList().isEmpty();
    }

    /** Gives a waiting item its K responses ({@code [{"id","text","model"}]} as JSON) and opens it for leasing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean fill(long itemId, String responsesJson) {
        return em.createNativeQuery("""
                UPDATE items SET responses = CAST(?2 AS jsonb), generation = NULL, generation_error = NULL
                 WHERE id = ?1 AND generation IS NOT NULL""")
                .setParameter(1, itemId).setParameter(2, responsesJson).executeUpdate() == 1;
    }

    /** Marks a waiting item as failed, with the error in words (shown on its page and in the item browser). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void fail(long itemId, String error) {
        em.createNativeQuery("""
                UPDATE items SET generation = 'FAILED', generation_error = ?2
                 WHERE id = ?1 AND generation IS NOT NULL""")
                .setParameter(1, itemId).setParameter(2, error.length() > 1000 ? error.substring(0, 1000) : error)
                .executeUpdate();
    }

    /** Puts a campaign's failed items back to waiting, for a new generation job to try again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int retryFailed(long campaignId) {
        return em.createNativeQuery("""
                UPDATE items SET generation = 'WAITING', generation_error = NULL
                 WHERE campaign_id = ?1 AND generation = 'FAILED'""").setParameter(1, campaignId).executeUpdate();
    }
}
