package dev.ranklab.tasks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.campaigns.CampaignStatus;
import dev.ranklab.demonstrations.Demonstration;
import dev.ranklab.demonstrations.DemonstrationService;
import dev.ranklab.items.Item;
import dev.ranklab.rankings.Ranking;
import dev.ranklab.rankings.RankingService;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Takes the work of a leased task. The task row is locked first, so a retry or a double click that races the
 * first request waits for it and then finds the task finished; with the same Idempotency-Key it gets the first
 * answer back, and nothing is stored twice.
 */
@ApplicationScoped
@Transactional
public class SubmissionService {

    static final int MAX_KEY = 200;
    static final int MAX_REASON = 2_000;

    @Inject
    EntityManager em;

    @Inject
    QueueService queue;

    @Inject
    CampaignService campaigns;

    @Inject
    RankingService rankings;

    @Inject
    DemonstrationService demonstrations;

    /** A submission checked against its task, item and campaign, ready to store. */
    private record Checked(Task task, Campaign campaign, Item item, TaskStatus outcome,
            RankingService.ValidRanking ranking, String demonstration, String reason, Integer activeSeconds) {
    }

    @Transactional(Transactional.TxType.NEVER)
    public SubmissionResult submit(long taskId, long annotatorId, String idempotencyKey, SubmissionBody body) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY)) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to " + MAX_KEY + " characters");
        }
        // Validation reads the item and campaign without locks; only the short write below takes them, so
        // annotators do not wait on each other's JSON parsing.
        Object checked = QuarkusTransaction.requiringNew()
                .call(() -> check(taskId, annotatorId, idempotencyKey, body));
        if (checked instanceof SubmissionResult answered) {
            return answered;
        }
        return QuarkusTransaction.requiringNew().call(() -> store((Checked) checked, idempotencyKey));
    }

    private Object check(long taskId, long annotatorId, String idempotencyKey, SubmissionBody body) {
        Task task = queue.ownTask(taskId, annotatorId);
        if (task.status.isFinished()) {
            return finishedAnswer(task, idempotencyKey);
        }
        requireLive(task);
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        Campaign campaign = campaigns.get(task.campaignId);
        if (campaign.status == CampaignStatus.ARCHIVED) {
            throw ProblemException.conflict("campaign " + campaign.id + " is archived and takes no more work");
        }
        Item item = Item.findById(task.itemId);
        TaskStatus outcome = outcome(body, campaign);
        AnswerShape.check(body, outcome, campaign.kind);
        RankingService.ValidRanking ranking = null;
        String demonstration = null;
        String reason = null;
        if (outcome == TaskStatus.SUBMITTED && campaign.kind == CampaignKind.RANKING) {
            ranking = rankings.validate(campaign, item, body.ranking(), body.ratings(), body.flags(), body.comment());
        } else if (outcome == TaskStatus.SUBMITTED) {
            demonstration = demonstrations.validate(campaign, body.demonstration());
        } else {
            reason = reason(body.reason(), outcome == TaskStatus.UNRANKABLE || campaign.skipReasonRequired);
        }
        if (body.activeSeconds() != null && body.activeSeconds() < 0) {
            throw InvalidInputException.of("activeSeconds", "must not be negative");
        }
        return new Checked(task, campaign, item, outcome, ranking, demonstration, reason, body.activeSeconds());
    }

    private SubmissionResult store(Checked checked, String idempotencyKey) {
        // A new transaction's persistence context: this read is fresh, and it takes the row lock.
        Task task = em.find(Task.class, checked.task().id, LockModeType.PESSIMISTIC_WRITE);
        // Re-checked under the lock: a concurrent retry may have finished the task since the unlocked read.
        if (task.status.isFinished()) {
            return finishedAnswer(task, idempotencyKey);
        }
        requireLive(task);
        Long id = null;
        List<String> warnings = List.of();
        if (checked.ranking() != null) {
            id = rankings.store(task.id, checked.item(), task.annotatorId, checked.ranking()).id;
            warnings = RankingService.contradictions(checked.ranking().tiers(), checked.ranking().ratings());
        } else if (checked.demonstration() != null) {
            id = demonstrations.store(task.id, checked.item(), task.annotatorId, checked.demonstration()).id;
        }
        OffsetDateTime now = OffsetDateTime.now();
        task.status = checked.outcome();
        task.reason = checked.reason();
        task.finishedAt = now;
        task.idempotencyKey = idempotencyKey;
        task.leaseSeconds = (int) Duration.between(task.leasedAt, now).toSeconds();
        task.activeSeconds = checked.activeSeconds() == null
                ? null
                : Math.min(checked.activeSeconds(), task.leaseSeconds + 1);
        boolean counts = checked.outcome() == TaskStatus.SUBMITTED || checked.campaign().skipsCountTowardOverlap;
        Object[] completion = (Object[]) em
                .createNativeQuery("WITH before AS (SELECT complete FROM items WHERE id = ?1) "
                        + "UPDATE items SET leased = leased - 1, finished = finished + ?2, "
                        + "complete = " + QueueService.completeWhen("finished + ?2", "?3")
                        + " WHERE id = ?1 RETURNING complete, (SELECT complete FROM before)",
                        Object[].class)
                .setParameter(1, task.itemId).setParameter(2, counts ? 1 : 0)
                .setParameter(3, checked.campaign().overlap)
                .getSingleResult();
        if (Boolean.TRUE.equals(completion[0]) && !Boolean.TRUE.equals(completion[1])) {
            itemCompleted.fire(new ItemCompleted(task.itemId, task.campaignId));
        }
        return new SubmissionResult(id, task.id, task.status, warnings);
    }

    /** Told, inside the submitting transaction, that an item just received its last annotation. */
    public record ItemCompleted(long itemId, long campaignId) {
    }

    @Inject
    Event<ItemCompleted> itemCompleted;

    private SubmissionResult finishedAnswer(Task task, String idempotencyKey) {
        if (idempotencyKey != null && idempotencyKey.equals(task.idempotencyKey)) {
            return previousAnswer(task);
        }
        throw ProblemException.conflict(task.status == TaskStatus.SUBMITTED
                ? "task " + task.id + " was already submitted; revise it with PUT /api/v1/tasks/" + task.id
                        + "/submission"
                : "task " + task.id + " is already finished ("
                        + (task.status == TaskStatus.SKIPPED ? "skipped" : "reported as unrankable") + ")");
    }

    private static void requireLive(Task task) {
        if (!task.isLive()) {
            throw ProblemException.conflict("your lease on task " + task.id + " expired at " + task.leaseExpiresAt
                    + "; lease it again (POST /api/v1/tasks/" + task.id + "/lease) to submit your work");
        }
    }

    private SubmissionResult previousAnswer(Task task) {
        if (task.status == TaskStatus.SUBMITTED) {
            Ranking ranking = Ranking.findByTask(task.id);
            if (ranking != null) {
                return new SubmissionResult(ranking.id, task.id, task.status,
                        RankingService.contradictions(ranking.tiers, ranking.ratings));
            }
            Demonstration demonstration = Demonstration.findByTask(task.id);
            return new SubmissionResult(demonstration.id, task.id, task.status, List.of());
        }
        return new SubmissionResult(null, task.id, task.status, List.of());
    }

    private static TaskStatus outcome(SubmissionBody body, Campaign campaign) {
        if (body.outcome() == null || body.outcome().isBlank()) {
            return TaskStatus.SUBMITTED;
        }
        String outcome = body.outcome().strip().toUpperCase(Locale.ROOT);
        switch (outcome) {
            case "SUBMITTED" :
                return TaskStatus.SUBMITTED;
            case "SKIPPED" :
                return TaskStatus.SKIPPED;
            case "UNRANKABLE" :
                if (campaign.kind != CampaignKind.RANKING) {
                    throw InvalidInputException.of("outcome", "UNRANKABLE applies only to ranking tasks; use SKIPPED");
                }
                return TaskStatus.UNRANKABLE;
            default :
                throw InvalidInputException.of("outcome", "must be SUBMITTED, SKIPPED or UNRANKABLE");
        }
    }

    /**
     * The reason as stored: null for a plain skip without one, where the campaign allows that; "cannot rank" always
     * needs one, since it reports an item to fix.
     */
    private static String reason(String reason, boolean required) {
        if (reason == null || reason.isBlank()) {
            if (!required) {
                return null;
            }
            throw InvalidInputException.of("reason", "say why the task is skipped or cannot be ranked");
        }
        String text = reason.strip();
        if (text.length() > MAX_REASON) {
            throw InvalidInputException.of("reason", "must be at most " + MAX_REASON + " characters");
        }
        if (text.indexOf('\0') >= 0) {
            throw InvalidInputException.of("reason", "must not contain NUL characters");
        }
        return text;
    }
}
