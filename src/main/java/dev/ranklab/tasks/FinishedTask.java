package dev.ranklab.tasks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.ranklab.web.Markdown;

/**
 * One of the annotator's finished tasks with its latest submission: the ranking (tiers of response ids, best first),
 * ratings, flags and comment of a ranking task, or the text of a demonstration; nothing but the reason for a skip.
 * {@code revision} is 1 for work as first submitted; {@code submittedAt} is when the latest revision was made and
 * {@code finishedAt} when the task was first finished. {@code displayOrder} is the order the responses were shown
 * in (the page calls them Response 1, 2, … in that order). {@code revisable} says whether a PUT of the submission
 * would be taken now, and {@code notRevisableBecause} why not.
 */
public record FinishedTask(long taskId, long itemId, long campaignId, TaskStatus outcome, String promptStart,
        Long submissionId, Integer revision, OffsetDateTime finishedAt, OffsetDateTime submittedAt,
        List<List<String>> ranking, Map<String, Integer> ratings, Map<String, List<String>> flags, String comment,
        String demonstration, String reason, List<String> displayOrder, boolean revisable,
        String notRevisableBecause) {

    /**
     * The ranking as the annotator saw it, by the responses' numbers on the page: {@code 2 > 1 = 4 > 3}; null for a
     * task without a ranking.
     */
    public String rankingByNumber() {
        if (ranking == null) {
            return null;
        }
        return String.join(" > ", ranking.stream()
                .map(tier -> String.join(" = ", tier.stream().map(this::number).toList())).toList());
    }

    private String number(String responseId) {
        int index = displayOrder == null ? -1 : displayOrder.indexOf(responseId);
        return index < 0 ? responseId : Integer.toString(index + 1);
    }

    /** When the work on show was made: the latest revision, or the finish of a task without a submission. */
    public OffsetDateTime madeAt() {
        return submittedAt != null ? submittedAt : finishedAt;
    }

    /** The place (1 best) the ranking gives a response; null when it has none. */
    public Integer placeOf(String responseId) {
        for (int tier = 0; ranking != null && tier < ranking.size(); tier++) {
            if (ranking.get(tier).contains(responseId)) {
                return tier + 1;
            }
        }
        return null;
    }

    /** Whether the annotator ticked this flag on this response. */
    public boolean flagged(String responseId, String code) {
        return flags != null && flags.getOrDefault(responseId, List.of()).contains(code);
    }

    /** The first words of a demonstration as a reader sees it (Markdown reduced to its words), for a list. */
    public String demonstrationStart() {
        return demonstration == null ? null : HistoryService.firstWords(Markdown.toPlainText(demonstration), 16);
    }
}
