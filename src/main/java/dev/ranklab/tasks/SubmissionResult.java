package dev.ranklab.tasks;

import java.util.List;

/**
 * The answer to a submission: the stored ranking's or demonstration's id (the task's for a skip), and warnings the
 * annotator may want to look at, such as a ranking that contradicts the ratings.
 */
public record SubmissionResult(long id, long taskId, TaskStatus outcome, List<String> warnings) {
}
