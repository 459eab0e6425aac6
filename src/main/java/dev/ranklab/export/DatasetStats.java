package dev.ranklab.export;

import java.util.List;

/** What a campaign's data holds, for researchers deciding what to export. */
public record DatasetStats(
        long items,
        long rankings,
        long skipped,
        long unrankable,
        long pairs,
        double tieRate,
        List<Bar> ratings,
        List<Bar> flags,
        long demonstrations,
        long medianDemonstrationChars,
        long annotators) {

    /** One bar of a histogram: a label, a count, and its share of the largest bar (for drawing) and of all. */
    public record Bar(String label, long count, double width, double share) {

        public String percent() {
            return String.format("%.1f%%", share * 100);
        }
    }

    public String tieRatePercent() {
        return String.format("%.1f%%", tieRate * 100);
    }
}
