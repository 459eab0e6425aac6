package dev.ranklab.tasks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

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

    public SubmissionResult submit(long taskId, long annotatorId, String idempotencyKey, SubmissionBody body) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY)) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to " + MAX_KEY + " characters");
        }
        Task task = queue.ownTask(taskId, annotatorId);
        em.refresh(task, LockModeType.PESSIMISTIC_WRITE);
        if (task.status.isFinished()) {
            if (idempotencyKey != null && idempotencyKey.equals(task.idempotencyKey)) {
                return previousAnswer(task);
            }
            throw ProblemException.conflict("task " + taskId + " was already submitted");
        }
        if (!task.isLive()) {
            throw ProblemException.conflict("your lease on task " + taskId + " expired at " + task.leaseExpiresAt
                    + "; lease it again (POST /api/v1/tasks/" + taskId + "/lease) to submit your work");
        }
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        Campaign campaign = campaigns.get(task.campaignId);
        if (campaign.status == CampaignStatus.ARCHIVED) {
            throw ProblemException.conflict("campaign " + campaign.id + " is archived and takes no more work");
        }
        Item item = Item.findById(task.itemId);
        TaskStatus outcome = outcome(body, campaign);
        long id = taskId;
        List<String> warnings = List.of();
        if (outcome == TaskStatus.SUBMITTED && campaign.kind == CampaignKind.RANKING) {
            RankingService.ValidRanking ranking = rankings.validate(campaign, item, body.ranking(), body.ratings(),
                    body.flags(), body.comment());
            id = rankings.store(taskId, item, annotatorId, ranking).id;
            warnings = RankingService.contradictions(ranking.tiers(), ranking.ratings());
        } else if (outcome == TaskStatus.SUBMITTED) {
            String text = demonstrations.validate(campaign, body.demonstration());
            id = demonstrations.store(taskId, item, annotatorId, text).id;
        } else {
            task.reason = reason(body.reason());
        }
        OffsetDateTime now = OffsetDateTime.now();
        task.status = outcome;
        task.finishedAt = now;
        task.idempotencyKey = idempotencyKey;
        task.leaseSeconds = (int) Duration.between(task.leasedAt, now).toSeconds();
        task.activeSeconds = activeSeconds(body.activeSeconds(), task.leaseSeconds);
        boolean counts = outcome == TaskStatus.SUBMITTED || campaign.skipsCountTowardOverlap;
        em.createNativeQuery("UPDATE items SET leased = leased - 1, finished = finished + ?2, "
                + "complete = (finished + ?2 >= ?3) WHERE id = ?1")
                .setParameter(1, item.id).setParameter(2, counts ? 1 : 0).setParameter(3, campaign.overlap)
                .executeUpdate();
        return new SubmissionResult(id, taskId, outcome, warnings);
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
        return new SubmissionResult(task.id, task.id, task.status, List.of());
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

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
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

    /** The page's measure of active time, which cannot exceed the time the task was held. */
    private static Integer activeSeconds(Integer reported, int leaseSeconds) {
        if (reported == null) {
            return null;
        }
        if (reported < 0) {
            throw InvalidInputException.of("activeSeconds", "must not be negative");
        }
        return Math.min(reported, leaseSeconds + 1);
    }
}
