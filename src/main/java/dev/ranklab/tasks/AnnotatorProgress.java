package dev.ranklab.tasks;

/**
 * One annotator's work in one campaign, for their home page: {@code skipped} counts skips and "cannot rank" reports
 * together.
 */
public record AnnotatorProgress(long submitted, long skipped, long activeSeconds, long remaining) {

    /** Every task the annotator finished, as the Done list shows them: submitted, skipped or reported unrankable. */
    public long finished() {
        return submitted + skipped;
    }

    /** Active time as people read it: "1 h 05 min", "12 min", "40 s". */
    public String activeTime() {
        if (activeSeconds >= 3600) {
            return String.format("%d h %02d min", activeSeconds / 3600, (activeSeconds % 3600) / 60);
        }
        return activeSeconds >= 60 ? (activeSeconds / 60) + " min" : activeSeconds + " s";
    }
}
