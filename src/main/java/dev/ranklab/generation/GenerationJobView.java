package dev.ranklab.generation;

import java.time.OffsetDateTime;
import java.util.List;

/** A generation job and how far it got; {@code errors} lists the failed items with the error in words. */
public record GenerationJobView(long jobId, long campaignId, String status, List<GenerationRequest.Source> sources,
        Double temperature, Integer maxTokens, Long seed, int items, long itemsDone, long itemsFailed,
        int requests, long promptTokens, long completionTokens, List<ItemError> errors, OffsetDateTime createdAt,
        OffsetDateTime finishedAt) {

    /** An item whose requests kept failing. */
    public record ItemError(long itemId, String externalId, String error) {
    }

    /** Percent of the job's items done, for the progress bar. */
    public int percentDone() {
        return items == 0 ? 100 : (int) Math.min(100, (itemsDone + itemsFailed) * 100 / items);
    }
}
