package dev.ranklab.tasks;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.campaigns.CampaignStatus;
import dev.ranklab.campaigns.QueuePolicy;
import dev.ranklab.items.Item;
import dev.ranklab.items.ItemService;
import dev.ranklab.users.UserService;
import dev.ranklab.web.ProblemException;

/**
 * Hands out items to annotators. Correct under concurrency with any number of app instances on one database:
 * <ul>
 * <li>an annotator's calls for one campaign are serialised by an advisory lock, so a refresh or a second tab gets
 * the same live lease instead of a second item;</li>
 * <li>the candidate item row is taken with {@code FOR UPDATE SKIP LOCKED}, and its counters change only under that
 * lock, so two annotators never both take the last open slot;</li>
 * <li>{@code UNIQUE (item_id, annotator_id)} makes "never twice to the same annotator" a database fact.</li>
 * </ul>
 * The tasks feature owns the queue counters on items ({@code finished}, {@code leased}, {@code complete}); nothing
 * else writes them. Whether an item is complete has one definition, {@link #completeWhen}; features that change one
 * of its inputs (the overlap, gold) fire an event that the queue observes.
 */
@ApplicationScoped
@Transactional
public class QueueService {

    // One statement takes the next item and leases it, so the item's row lock is held for one round trip:
    // open items this annotator has not had, most-annotated first (finish items before opening new ones), then in
    // import order; SKIP LOCKED lets concurrent annotators pass over a row another is taking. A task row exists
    // already only if this annotator's earlier lease on the item expired: it is renewed in place. The shown order
    // of the responses is a shuffle seeded by (item, annotator), so it is stable for the task. Items still waiting
    // for generated responses (generation IS NOT NULL) are never leased.
    /** Most annotated first: finishes items instead of spreading work thin. */
    private static final String MOST_ANNOTATED_FIRST = "i.finished DESC, i.id";
    /** Active learning: the smallest gap between the serving reward model's scores first; unscored items last. */
    private static final String UNCERTAINTY_FIRST = "i.model_margin ASC NULLS LAST, i.finished DESC, i.id";

    /** Ordinary items: open ones with a free slot. */
    private static final String OPEN_ITEMS = "NOT i.complete AND i.gold_ranking IS NULL AND i.finished + i.leased < ?2";
    /** Gold items: every annotator may get each one, whatever the overlap (?2 keeps the parameter list alike). */
    private static final String GOLD_ITEMS = "i.gold_ranking IS NOT NULL AND ?2 > 0";
    /** Gold items in a shuffled order of each annotator's own, so that no two see the same sequence. */
    private static final String GOLD_ORDER = "md5(i.id || ':' || ?3)";

    private static final String LEASE_NEXT = """
            WITH candidate AS (
                SELECT i.id, i.responses FROM items i
                WHERE i.campaign_id = ?1 AND i.generation IS NULL AND %s
                  AND NOT EXISTS (SELECT 1 FROM tasks t
                                  WHERE t.item_id = i.id AND t.annotator_id = ?3 AND t.status <> 'EXPIRED')
                ORDER BY %s
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED),
            leased AS (
                INSERT INTO tasks (item_id, campaign_id, annotator_id, status, display_order, leased_at,
                                   lease_expires_at)
                SELECT c.id, ?1, ?3, 'LEASED',
                       (SELECT coalesce(jsonb_agg(r -> 'id' ORDER BY md5((r ->> 'id') || ':' || c.id || ':' || ?3)),
                                        '[]'::jsonb)
                        FROM jsonb_array_elements(c.responses) r),
                       now(), now() + make_interval(mins => ?4)
                FROM candidate c
                ON CONFLICT (item_id, annotator_id) DO UPDATE
                    SET status = 'LEASED', leased_at = now(), lease_expires_at = EXCLUDED.lease_expires_at,
                        idempotency_key = NULL
                    WHERE tasks.status = 'EXPIRED'
                RETURNING id, item_id),
            counted AS (
                UPDATE items SET leased = items.leased + 1 FROM leased WHERE items.id = leased.item_id)
            SELECT id FROM leased
            """;

    private static final String RELEASE_EXPIRED = """
            WITH expired AS (
                UPDATE tasks SET status = 'EXPIRED'
                WHERE id IN (SELECT id FROM tasks WHERE status = 'LEASED' AND lease_expires_at < now()
                             ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED)
                RETURNING item_id)
            UPDATE items i SET leased = i.leased - e.n
            FROM (SELECT item_id, count(*) AS n FROM expired GROUP BY item_id) e
            WHERE i.id = e.item_id
            """;

    @Inject
    EntityManager em;

    @Inject
    CampaignService campaigns;

    /** This annotator's live task in the campaign, or a newly leased one; empty when nothing is left for them. */
    @Transactional(Transactional.TxType.NEVER)
    public Optional<TaskView> next(long campaignId, long annotatorId, boolean seesAll) {
        Optional<Long> taskId = QuarkusTransaction.requiringNew().call(() -> lease(campaignId, annotatorId, seesAll));
        // The lease is committed and its locks released; reading the item to show it needs no lock.
        return taskId.map(id -> QuarkusTransaction.requiringNew().call(() -> view(Task.findById(id))));
    }

    private Optional<Long> lease(long campaignId, long annotatorId, boolean seesAll) {
        Campaign campaign = campaigns.getVisible(campaignId, seesAll, annotatorId);
        if (campaign.status != CampaignStatus.ACTIVE) {
            throw ProblemException.conflict("campaign " + campaignId + " is " + campaign.status
                    + "; tasks are handed out only while it is ACTIVE");
        }
        lockAnnotator(annotatorId, campaignId);
        @SuppressWarnings("unchecked")
        List<Number> live = em.createNativeQuery("""
                SELECT id FROM tasks WHERE campaign_id = ?1 AND annotator_id = ?2 AND status = 'LEASED'
                AND lease_expires_at > now() ORDER BY id LIMIT 1""")
                .setParameter(1, campaignId).setParameter(2, annotatorId).getResultList();
        if (!live.isEmpty()) {
            return Optional.of(live.get(0).longValue());
        }
        if (campaign.maxTasksPerAnnotator != null) {
            Number finished = (Number) em.createNativeQuery("""
                    SELECT count(*) FROM tasks WHERE campaign_id = ?1 AND annotator_id = ?2
                    AND status IN ('SUBMITTED', 'SKIPPED', 'UNRANKABLE')""")
                    .setParameter(1, campaignId).setParameter(2, annotatorId).getSingleResult();
            if (finished.longValue() >= campaign.maxTasksPerAnnotator) {
                return Optional.empty();
            }
        }
        if (goldIsDue(campaign, annotatorId)) {
            Optional<Long> gold = leaseWhere(campaign, annotatorId, GOLD_ITEMS, GOLD_ORDER);
            if (gold.isPresent()) {
                return gold;
            }
        }
        String order = campaign.queuePolicy == QueuePolicy.UNCERTAINTY_FIRST
                ? UNCERTAINTY_FIRST
                : MOST_ANNOTATED_FIRST;
        return leaseWhere(campaign, annotatorId, OPEN_ITEMS, order);
    }

    private Optional<Long> leaseWhere(Campaign campaign, long annotatorId, String candidates, String order) {
        @SuppressWarnings("unchecked")
        List<Number> leased = em.createNativeQuery(LEASE_NEXT.formatted(candidates, order))
                .setParameter(1, campaign.id).setParameter(2, campaign.overlap).setParameter(3, annotatorId)
                .setParameter(4, campaign.leaseMinutes)
                .getResultList();
        return leased.isEmpty() ? Optional.empty() : Optional.of(leased.get(0).longValue());
    }

    /** Whether the gold schedule asks for a gold item now; when none is left for this annotator, work goes on. */
    private boolean goldIsDue(Campaign campaign, long annotatorId) {
        if (campaign.goldFirstTasks == 0 && campaign.goldPercent == 0) {
            return false;
        }
        Number handed = (Number) em.createNativeQuery("""
                SELECT count(*) FROM tasks WHERE campaign_id = ?1 AND annotator_id = ?2 AND status <> 'EXPIRED'""")
                .setParameter(1, campaign.id).setParameter(2, annotatorId).getSingleResult();
        return GoldSchedule.nextIsGold(campaign.id, annotatorId, handed.longValue(), campaign.goldFirstTasks,
                campaign.goldPercent);
    }

    /**
     * Leases a task again after its lease expired, if its item still needs work, so that an annotator who was
     * away can still submit what the page kept. A live lease is simply extended.
     */
    public TaskView renew(long taskId, long annotatorId) {
        Task task = ownTask(taskId, annotatorId);
        lockAnnotator(annotatorId, task.campaignId);
        Campaign campaign = campaigns.get(task.campaignId);
        if (campaign.status != CampaignStatus.ACTIVE) {
            throw ProblemException.conflict("campaign " + campaign.id + " is " + campaign.status
                    + "; its tasks cannot be leased now");
        }
        Item item = em.find(Item.class, task.itemId, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(task, LockModeType.PESSIMISTIC_WRITE);
        if (task.status.isFinished()) {
            throw ProblemException.conflict("task " + taskId + " was already submitted");
        }
        boolean counted = task.status == TaskStatus.LEASED;
        // An expired lease that the sweeper has not released yet still holds its slot, so only a released one
        // needs a free slot to come back.
        int taken = ((Number) em.createNativeQuery("SELECT finished + leased FROM items WHERE id = ?1")
                .setParameter(1, item.id).getSingleResult()).intValue();
        // Gold items have no overlap: anyone who had one may always lease it again.
        if (!counted && taken >= campaign.overlap && item.goldRanking == null) {
            throw ProblemException.conflict("item " + item.id + " no longer needs work: other annotators finished it");
        }
        task.status = TaskStatus.LEASED;
        task.leasedAt = OffsetDateTime.now();
        task.leaseExpiresAt = task.leasedAt.plusMinutes(campaign.leaseMinutes);
        if (!counted) {
            em.createNativeQuery("UPDATE items SET leased = leased + 1 WHERE id = ?1").setParameter(1, item.id)
                    .executeUpdate();
        }
        return view(task);
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void releaseExpiredLeasesRegularly() {
        releaseExpiredLeases();
    }

    /** What this annotator has done in the campaign, and how many items are still open to them. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public AnnotatorProgress progress(long campaignId, long annotatorId, int overlap) {
        Object[] done = (Object[]) em.createNativeQuery("""
                SELECT count(*) FILTER (WHERE status = 'SUBMITTED'),
                       count(*) FILTER (WHERE status IN ('SKIPPED', 'UNRANKABLE')),
                       coalesce(sum(coalesce(active_seconds, lease_seconds)) FILTER (WHERE finished_at IS NOT NULL), 0)
                FROM tasks WHERE campaign_id = ?1 AND annotator_id = ?2""")
                .setParameter(1, campaignId).setParameter(2, annotatorId).getSingleResult();
        Number remaining = (Number) em.createNativeQuery("""
                SELECT count(*) FROM items i
                WHERE i.campaign_id = ?1 AND NOT i.complete AND i.gold_ranking IS NULL AND i.generation IS NULL
                  AND i.finished + i.leased < ?3
                  AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.item_id = i.id AND t.annotator_id = ?2
                                  AND t.status <> 'EXPIRED')""")
                .setParameter(1, campaignId).setParameter(2, annotatorId).setParameter(3, overlap)
                .getSingleResult();
        return new AnnotatorProgress(((Number) done[0]).longValue(), ((Number) done[1]).longValue(),
                ((Number) done[2]).longValue(), remaining.longValue());
    }

    /** Returns expired leases' items to the pool, and says how many items got a slot back. */
    public int releaseExpiredLeases() {
        return em.createNativeQuery(RELEASE_EXPIRED).executeUpdate();
    }

    /**
     * The one definition of a complete item, as SQL over an items row: it has the annotations its campaign's overlap
     * asks for, and is not gold (gold items never complete). {@code finished} is the counter's expression, as an UPDATE
     * that also changes the counter sees its old value.
     */
    static String completeWhen(String finished, String overlap) {
        return "(" + finished + " >= " + overlap + " AND gold_ranking IS NULL)";
    }

    /** Recomputes an item's completion after it became gold or ordinary again. */
    void onGoldChanged(@Observes ItemService.GoldChanged event) {
        em.createNativeQuery("UPDATE items i SET complete = " + completeWhen("i.finished", "c.overlap")
                + " FROM campaigns c WHERE c.id = i.campaign_id AND i.id = ?1").setParameter(1, event.itemId())
                .executeUpdate();
    }

    /**
     * Recomputes which items are complete against the campaign's overlap, after its overlap or skip rule changed. It
     * does not recount items' finished counters: a new skip rule applies to skips submitted from then on, and skips
     * already recorded keep the weight they were given.
     */
    void onOverlapChanged(@Observes CampaignService.OverlapChanged event) {
        Campaign campaign = campaigns.get(event.campaignId());
        String complete = completeWhen("finished", "?2");
        em.createNativeQuery("UPDATE items SET complete = " + complete + " WHERE campaign_id = ?1 AND complete IS "
                + "DISTINCT FROM " + complete)
                .setParameter(1, event.campaignId()).setParameter(2, campaign.overlap).executeUpdate();
    }

    /** The caller's task; someone else's is a conflict, as the API promises for a foreign lease. */
    Task ownTask(long taskId, long annotatorId) {
        Task task = Task.findById(taskId);
        if (task == null) {
            throw ProblemException.notFound("no task with id " + taskId);
        }
        if (task.annotatorId != annotatorId) {
            throw ProblemException.conflict("task " + taskId + " is leased to another annotator");
        }
        return task;
    }

    /** A deactivated user's live leases go back to the pool at once, in the transaction that deactivates them. */
    void releaseLeasesOf(@Observes UserService.Deactivated event) {
        em.createNativeQuery("""
                WITH released AS (
                    UPDATE tasks SET status = 'EXPIRED', lease_expires_at = now()
                    WHERE annotator_id = ?1 AND status = 'LEASED'
                    RETURNING item_id)
                UPDATE items i SET leased = i.leased - r.n
                FROM (SELECT item_id, count(*) AS n FROM released GROUP BY item_id) r
                WHERE i.id = r.item_id
                """).setParameter(1, event.userId()).executeUpdate();
    }

    /** The serving reward model's scores of an item's responses, if it scored them. */
    private Map<String, Float> servingScores(long itemId) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT s.response_id, s.score FROM response_scores s
                  JOIN reward_models m ON m.version = s.version AND m.promoted
                 WHERE s.item_id = ?1
                """, Object[].class).setParameter(1, itemId).getResultList();
        Map<String, Float> scores = new HashMap<>();
        for (Object[] row : rows) {
            scores.put((String) row[0], ((Number) row[1]).floatValue());
        }
        return scores;
    }

    /** Serialises one annotator's queue calls for one campaign, across all app instances. */
    void lockAnnotator(long annotatorId, long campaignId) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, (int) annotatorId).setParameter(2, (int) campaignId).getSingleResult();
    }

    /** The task page's view of an item as a new annotator would get it, for an admin's preview; nothing leased. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public TaskView preview(Campaign campaign, Item item) {
        Map<String, Float> scores = campaign.showScoresToAnnotators ? servingScores(item.id) : Map.of();
        List<TaskView.ResponseView> responses = item.responses.stream()
                .map(r -> new TaskView.ResponseView(r.id(), r.text(), scores.get(r.id()))).toList();
        return new TaskView(0, campaign.id, OffsetDateTime.now().plusMinutes(campaign.leaseMinutes),
                new TaskView.ItemView(item.id, item.prompt, responses));
    }

    TaskView view(Task task) {
        Item item = Item.findById(task.itemId);
        Map<String, Float> scores = campaigns.get(task.campaignId).showScoresToAnnotators
                ? servingScores(item.id)
                : Map.of();
        List<TaskView.ResponseView> responses = new ArrayList<>();
        for (String id : task.displayOrder) {
            item.responses.stream().filter(r -> r.id().equals(id)).findFirst()
                    .ifPresent(r -> responses.add(new TaskView.ResponseView(r.id(), r.text(), scores.get(r.id()))));
        }
        return new TaskView(task.id, task.campaignId, task.leaseExpiresAt,
                new TaskView.ItemView(item.id, item.prompt, responses));
    }
}
