package dev.ranklab.tasks;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an annotator sends for a task. A ranking task sends {@code ranking} (best tier first; ids in one tier are
 * tied), {@code ratings} (1–7 for every response, or for any of them where the campaign makes ratings optional),
 * optional {@code flags} and {@code comment}; a demonstration task sends {@code demonstration}. Either may instead
 * send {@code outcome} SKIPPED (with a {@code reason} where the campaign requires one) or UNRANKABLE (always with a
 * reason).
 * {@code activeSeconds} is the time the page saw the annotator working.
 */
public record SubmissionBody(
        List<List<String>> ranking,
        Map<String, Integer> ratings,
        Map<String, List<String>> flags,
        String comment,
        String demonstration,
        @Schema(enumeration = {
                "SUBMITTED", "SKIPPED", "UNRANKABLE"}, description = "Absent: SUBMITTED; "
                        + "UNRANKABLE for ranking tasks only") String outcome,
        @Schema(maxLength = SubmissionService.MAX_REASON, description = "Why the task was skipped or cannot be ranked: always required for UNRANKABLE, for SKIPPED where the campaign sets skipReasonRequired") String reason,
        @Schema(minimum = "0") Integer activeSeconds){
}
