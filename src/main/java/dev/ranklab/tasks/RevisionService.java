package dev.ranklab.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.demonstrations.Demonstration;
import dev.ranklab.demonstrations.DemonstrationService;
import dev.ranklab.items.Item;
import dev.ranklab.rankings.Ranking;
import dev.ranklab.rankings.RankingService;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Revises submitted work: a new version of the task's ranking or demonstration, the one it replaces kept. Like a
 * submission, the task row is locked first, so two revisions of one task sent at once are stored one after the
 * other (each replacing the version the other stored, none lost), and a retry with the same Idempotency-Key finds
 * its revision already made and gets the same answer back.
 */
@ApplicationScoped
@Transactional
public class RevisionService {

    @Inject
    EntityManager em;

    @Inject
    CampaignService campaigns;

    @Inject
    RankingService rankings;

    @Inject
    DemonstrationService demonstrations;

    @Inject
    AuditLog audit;

    /** A revision checked against its task, item and campaign, ready to store. */
    private record Checked(long taskId, RankingService.ValidRanking ranking, String demonstration,
            Integer activeSeconds) {
    }

    @Transactional(Transactional.TxType.NEVER)
    public RevisionResult revise(long taskId, long annotatorId, String idempotencyKey, SubmissionBody body) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > SubmissionService.MAX_KEY) {
            throw ProblemException.badRequest("the Idempotency-Key header is required, 1 to "
                    + SubmissionService.MAX_KEY + " characters: a retry with the same key gets the first answer "
                    + "and stores nothing twice");
        }
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        // As for submissions: the body is checked without locks, and only the short write takes them.
        Object checked = QuarkusTransaction.requiringNew()
                .call(() -> check(taskId, annotatorId, idempotencyKey, body));
        if (checked instanceof RevisionResult answered) {
            return answered;
        }
        return QuarkusTransaction.requiringNew().call(() -> store((Checked) checked, idempotencyKey));
    }

    /** The annotator's own task, or 404 when there is none and 409 when it is someone else's. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Task own(long taskId, long annotatorId) {
        Task task = Task.findById(taskId);
        if (task == null) {
            throw ProblemException.notFound("no task with id " + taskId);
        }
        if (task.annotatorId != annotatorId) {
            throw ProblemException.conflict("task " + taskId + " is another annotator's; you can revise only your "
                    + "own work");
        }
        return task;
    }

    /** Whether the task can be revised now; {@code lockItem} holds the item row until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public RevisionWindow window(Task task, Campaign campaign, boolean lockItem) {
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT i.reviewed_at IS NOT NULL,
                       EXISTS (SELECT 1 FROM rankings r WHERE r.task_id = ?2 AND r.rejected_at IS NOT NULL)
                  FROM items i WHERE i.id = ?1
                """ + (lockItem ? " FOR NO KEY UPDATE" : ""), Object[].class)
                .setParameter(1, task.itemId).setParameter(2, task.id).getSingleResult();
        return new RevisionWindow(task.status, campaign.name, campaign.status, (Boolean) row[0], (Boolean) row[1]);
    }

    private Object check(long taskId, long annotatorId, String key, SubmissionBody body) {
        Task task = own(taskId, annotatorId);
        Campaign campaign = campaigns.get(task.campaignId);
        if (task.status == TaskStatus.SUBMITTED) {
            RevisionResult replayed = replay(task, campaign, key, false);
            if (replayed != null) {
                return replayed;
            }
        }
        requireOpen(task, window(task, campaign, false));
        if (body.outcome() != null && !body.outcome().isBlank()
                && !body.outcome().strip().toUpperCase(Locale.ROOT).equals(TaskStatus.SUBMITTED.name())) {
            throw InvalidInputException.of("outcome", "a revision replaces submitted work: leave outcome out or "
                    + "send SUBMITTED");
        }
        AnswerShape.check(body, TaskStatus.SUBMITTED, campaign.kind);
        Item item = Item.findById(task.itemId);
        RankingService.ValidRanking ranking = null;
        String demonstration = null;
        if (campaign.kind == CampaignKind.RANKING) {
            ranking = rankings.validate(campaign, item, body.ranking(), body.ratings(), body.flags(), body.comment());
        } else {
            demonstration = demonstrations.validate(campaign, body.demonstration());
        }
        if (body.activeSeconds() != null && body.activeSeconds() < 0) {
            throw InvalidInputException.of("activeSeconds", "must not be negative");
        }
        return new Checked(task.id, ranking, demonstration, body.activeSeconds());
    }

    private RevisionResult store(Checked checked, String key) {
        // Revisions of one task queue on this lock: each one replaces the version the one before it stored.
        Task task = em.find(Task.class, checked.taskId(), LockModeType.PESSIMISTIC_WRITE);
        Campaign campaign = campaigns.get(task.campaignId);
        // The ranking's row is locked before the item's, in the order a rejection takes them, so the two never wait
        // on each other in a circle; a rejection or a review that comes first closes the revision.
        RevisionResult replayed = replay(task, campaign, key, true);
        if (replayed != null) {
            return replayed;
        }
        requireOpen(task, window(task, campaign, true));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("task", task.id);
        details.put("campaign", campaign.id);
        RevisionResult result;
        if (checked.ranking() != null) {
            Ranking ranking = rankings.lockByTask(task.id);
            String before = RankingService.describe(ranking.tiers);
            rankings.revise(ranking, checked.ranking(), key);
            details.put("ranking", ranking.id);
            details.put("revision", ranking.revision);
            details.put("before", before);
            details.put("after", RankingService.describe(ranking.tiers));
            result = new RevisionResult(ranking.id, task.id, ranking.revision, TaskStatus.SUBMITTED,
                    RankingService.contradictions(ranking.tiers, ranking.ratings));
        } else {
            Demonstration demonstration = demonstrations.lockByTask(task.id);
            int before = demonstration.text.strip().length();
            demonstrations.revise(demonstration, checked.demonstration(), key);
            details.put("demonstration", demonstration.id);
            details.put("revision", demonstration.revision);
            details.put("characters before", before);
            details.put("characters after", demonstration.text.strip().length());
            result = new RevisionResult(demonstration.id, task.id, demonstration.revision, TaskStatus.SUBMITTED,
                    List.of());
        }
        if (checked.activeSeconds() != null) {
            details.put("active seconds", checked.activeSeconds());
        }
        audit.record(checked.ranking() != null ? "ranking.revise" : "demonstration.revise", "item:" + task.itemId,
                details);
        return result;
    }

    /** The answer of the revision this key already made, or null; {@code lock} locks the submission's row. */
    private RevisionResult replay(Task task, Campaign campaign, String key, boolean lock) {
        if (campaign.kind == CampaignKind.RANKING) {
            Ranking ranking = lock ? rankings.lockByTask(task.id) : Ranking.findByTask(task.id);
            RankingService.Version made = ranking == null ? null : rankings.madeWith(ranking, key);
            return made == null
                    ? null
                    : new RevisionResult(ranking.id, task.id, made.revision(), TaskStatus.SUBMITTED,
                            RankingService.contradictions(made.tiers(), made.ratings()));
        }
        Demonstration demonstration = lock ? demonstrations.lockByTask(task.id) : Demonstration.findByTask(task.id);
        Integer made = demonstration == null ? null : demonstrations.revisionMadeWith(demonstration, key);
        return made == null
                ? null
                : new RevisionResult(demonstration.id, task.id, made, TaskStatus.SUBMITTED, List.of());
    }

    private static void requireOpen(Task task, RevisionWindow window) {
        String closed = window.closedBecause();
        if (closed == null) {
            return;
        }
        String how = task.status.isFinished()
                ? ""
                : "; submit it first (POST /api/v1/tasks/" + task.id + "/submission)";
        throw ProblemException.conflict("task " + task.id + " cannot be revised: " + closed + how);
    }
}
