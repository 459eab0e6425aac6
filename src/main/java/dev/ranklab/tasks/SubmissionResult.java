package dev.ranklab.tasks;

import java.util.List;

/**
 * The answer to a submission: {@code id} is the stored ranking's id (a ranking campaign) or the stored
 * demonstration's id (a demonstration campaign), and null for a skip or an unrankable task, which stores neither and
 * is recorded on the task {@code taskId} names; and warnings the annotator may want to look at, such as a ranking
 * that contradicts the ratings.
 */
public record SubmissionResult(Long id, long taskId, TaskStatus outcome, List<String> warnings) {
}
