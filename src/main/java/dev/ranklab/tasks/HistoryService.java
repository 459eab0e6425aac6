package dev.ranklab.tasks;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.web.Markdown;
import dev.ranklab.web.ProblemException;

/**
 * An annotator's finished tasks in a campaign, newest first, each with its latest submission and whether it can
 * still be revised: the Done list and the submitted-task page read it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class HistoryService {

    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 100;
    private static final int PROMPT_WORDS = 12;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ChatMessage>> PROMPT = new TypeReference<>() {
    };
    private static final TypeReference<List<List<String>>> TIERS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> RATINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, List<String>>> FLAGS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> ORDER = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    CampaignService campaigns;

    /** One finished task and its latest submission; the reviewed and rejected marks decide whether it is open. */
    private static final String SELECT = """
            SELECT t.id, t.item_id, t.status, t.reason, t.finished_at, t.display_order::text, i.prompt::text,
                   i.reviewed_at IS NOT NULL,
                   coalesce(r.id, d.id), coalesce(r.revision, d.revision),
                   coalesce(r.revised_at, r.submitted_at, d.revised_at, d.submitted_at),
                   r.tiers::text, r.ratings::text, r.flags::text, r.comment, r.rejected_at IS NOT NULL, d.text
              FROM tasks t
              JOIN items i ON i.id = t.item_id
              LEFT JOIN rankings r ON r.task_id = t.id
              LEFT JOIN demonstrations d ON d.task_id = t.id
             WHERE t.annotator_id = ?1 AND t.campaign_id = ?2 AND t.status IN ('SUBMITTED', 'SKIPPED', 'UNRANKABLE')
            """;

    /**
     * A page of the annotator's finished tasks, newest first; {@code before} (a task id from an earlier page) pages
     * back through the tasks finished before that one.
     */
    public List<FinishedTask> finished(long campaignId, long annotatorId, Long before, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_PAGE);
        }
        Campaign campaign = campaigns.get(campaignId);
        if (before != null) {
            requireOwnFinished(before, annotatorId, campaignId);
        }
        // Keyset paging on (finished_at, id), which no later submission or revision changes: a page never repeats
        // or skips a task however many are finished meanwhile.
        String page = before == null
                ? ""
                : " AND (t.finished_at, t.id) < (SELECT b.finished_at, b.id FROM tasks b WHERE b.id = ?4)";
        var query = em.createNativeQuery(SELECT + page + " ORDER BY t.finished_at DESC, t.id DESC LIMIT ?3",
                Object[].class).setParameter(1, annotatorId).setParameter(2, campaignId).setParameter(3, limit);
        if (before != null) {
            query.setParameter(4, before);
        }
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> of(row, campaign)).toList();
    }

    /** One of the annotator's finished tasks (404 unless it is theirs and finished). */
    public FinishedTask one(long taskId, long annotatorId) {
        Task task = Task.findById(taskId);
        if (task == null || task.annotatorId != annotatorId || !task.status.isFinished()) {
            throw ProblemException.notFound("you have no finished task with id " + taskId);
        }
        Campaign campaign = campaigns.get(task.campaignId);
        Object[] row = (Object[]) em.createNativeQuery(SELECT + " AND t.id = ?3", Object[].class)
                .setParameter(1, annotatorId).setParameter(2, task.campaignId).setParameter(3, taskId)
                .getSingleResult();
        return of(row, campaign);
    }

    /** The task the annotator finished last in the campaign, if any. */
    public Optional<Long> last(long campaignId, long annotatorId) {
        return finished(campaignId, annotatorId, null, 1).stream().map(FinishedTask::taskId).findFirst();
    }

    private void requireOwnFinished(long before, long annotatorId, long campaignId) {
        Number found = (Number) em.createNativeQuery("SELECT count(*) FROM tasks WHERE id = ?1 AND annotator_id = ?2 "
                + "AND campaign_id = ?3 AND finished_at IS NOT NULL").setParameter(1, before)
                .setParameter(2, annotatorId).setParameter(3, campaignId).getSingleResult();
        if (found.longValue() == 0) {
            throw ProblemException.badRequest("before must be the id of one of your finished tasks in campaign "
                    + campaignId + " (the taskId of the last task of the page before)");
        }
    }

    private static FinishedTask of(Object[] row, Campaign campaign) {
        TaskStatus status = TaskStatus.valueOf((String) row[2]);
        RevisionWindow window = new RevisionWindow(status, campaign.name, campaign.status, (Boolean) row[7],
                Boolean.TRUE.equals(row[15]));
        return new FinishedTask(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), campaign.id, status,
                promptStart(read((String) row[6], PROMPT)), row[8] == null ? null : ((Number) row[8]).longValue(),
                row[9] == null ? null : ((Number) row[9]).intValue(), time(row[4]), time(row[10]),
                read((String) row[11], TIERS), read((String) row[12], RATINGS), read((String) row[13], FLAGS),
                (String) row[14], (String) row[16], (String) row[3], read((String) row[5], ORDER), window.open(),
                window.closedBecause());
    }

    private static OffsetDateTime time(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime time) {
            return time;
        }
        if (value instanceof java.time.Instant instant) {
            return instant.atOffset(java.time.ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL returned JSON Jackson cannot read", e);
        }
    }

    /** The first words of the last user message: the question the responses answer. */
    static String promptStart(List<ChatMessage> prompt) {
        String text = "";
        for (ChatMessage message : prompt) {
            if ("user".equals(message.role()) || text.isEmpty()) {
                text = message.content();
            }
        }
        return firstWords(Markdown.toPlainText(text), PROMPT_WORDS);
    }

    /** At most {@code count} words of the text, on one line, with an ellipsis when there were more. */
    static String firstWords(String text, int count) {
        String[] words = text.strip().split("\\s+");
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < Math.min(count, words.length); i++) {
            kept.add(words[i]);
        }
        String start = String.join(" ", kept);
        if (start.length() > 120) {
            start = start.substring(0, 120);
        }
        return words.length > count || start.length() == 120 ? start + "\u2026" : start;
    }
}
