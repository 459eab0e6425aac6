package dev.ranklab.tasks;

import java.util.List;

/**
 * The answer to a revision: {@code id} is the revised ranking's or demonstration's id (the same for every revision
 * of one submission), {@code revision} the number of the version now stored (2 for the first revision), and the
 * warnings a submission would get for the same work.
 */
public record RevisionResult(long id, long taskId, int revision, TaskStatus outcome, List<String> warnings) {
}
