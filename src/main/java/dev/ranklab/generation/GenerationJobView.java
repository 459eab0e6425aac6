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
        return items == 0 ? 0 : (int) Math.min(100, itemsDone * 100 / items);
    }

    /** Percent of the job's items that failed, for the failure bar. */
    public int percentFailed() {
        return items == 0 ? 0 : (int) Math.min(100, itemsFailed * 100 / items);
    }

    /** The badge's words: an ended job with failures says how many, rather than a plain "completed". */
    public String outcome() {
        String status = this.status.toLowerCase(java.util.Locale.ROOT);
        return itemsFailed > 0 && !"RUNNING".equals(this.status)
                ? status + ", " + itemsFailed + " of " + items + " failed"
                : status;
    }

    /** The badge's style: failures make an ended job a warning, or a failure when nothing was done. */
    public String outcomeStyle() {
        if (itemsFailed == 0 || "RUNNING".equals(status)) {
            return status.toLowerCase(java.util.Locale.ROOT);
        }
        return itemsDone == 0 ? "failed" : "warning";
    }
}
