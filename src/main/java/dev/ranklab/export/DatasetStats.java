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

    /**
     * One bar: a label, a count, its length when drawn (a histogram's against its largest bar, a rate's against 100%)
     * and its share of all.
     */
    public record Bar(String label, long count, double width, double share) {

        public String percent() {
            return String.format("%.1f%%", share * 100);
        }
    }

    public String tieRatePercent() {
        return String.format("%.1f%%", tieRate * 100);
    }
}
