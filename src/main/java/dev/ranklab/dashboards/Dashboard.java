package dev.ranklab.dashboards;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.ranklab.export.DatasetStats;

/** Everything a campaign's dashboard shows, from the database as it is now. */
public record Dashboard(
        long campaignId,
        Progress progress,
        List<DayCount> perDay,
        List<HourCount> perHour,
        List<AnnotatorStats> annotators,
        List<DatasetStats.Bar> ratings,
        List<DatasetStats.Bar> flags,
        List<ModelPoint> rewardModel) {

    /**
     * Whether anyone has finished a task (submitted or skipped) yet: without one, every chart but the items' would
     * be bare axes.
     */
    public boolean anyFinished() {
        return !annotators.isEmpty();
    }

    /** Whether the last 30 days had a finished task, so that the per-day chart has a bar to draw. */
    public boolean anyLast30Days() {
        return perDay.stream().anyMatch(d -> d.submitted() > 0 || d.skipped() > 0);
    }

    /** Whether the last 48 hours had a submission, so that the per-hour chart has a point above zero. */
    public boolean anyLast48Hours() {
        return perHour.stream().anyMatch(h -> h.submitted() > 0);
    }

    /** Whether any response has been rated, so that the ratings chart has a bar to draw. */
    public boolean anyRatings() {
        return ratings.stream().anyMatch(b -> b.count() > 0);
    }

    /** Whether any rated response carries a flag, so that the flag-rate chart has a bar to draw. */
    public boolean anyFlags() {
        return flags.stream().anyMatch(b -> b.count() > 0);
    }

    /**
     * Items by status, annotations done out of those the overlap asks for, the pace over the last 7 days (or since
     * work began, if later, counted as at least a day) and the day the campaign finishes at that pace (null while
     * there is no pace or nothing is left).
     */
    @Schema(name = "CampaignProgress")
    public record Progress(long items, long open, long inProgress, long complete, long gold, long annotationsNeeded,
            long annotationsDone, double perDayLast7Days, LocalDate finishEstimate) {

        public String percentDone() {
            return annotationsNeeded == 0
                    ? "–"
                    : String.format(Locale.ROOT, "%.1f%%", 100.0 * annotationsDone / annotationsNeeded);
        }

        public String pace() {
            return String.format(Locale.ROOT, "%.1f", perDayLast7Days);
        }
    }

    /** Tasks finished on one day (UTC): submitted, and skipped or reported unrankable. */
    public record DayCount(LocalDate day, long submitted, long skipped) {
    }

    /** Tasks submitted in one hour (UTC). */
    public record HourCount(OffsetDateTime hour, long submitted) {
    }

    /**
     * One annotator: tasks submitted and skipped, the median seconds a submitted task took (active time where the
     * page measured it, else lease to submit), the median active time alone (null when the page measured none: tasks
     * submitted through the API), pairwise agreement with the other annotators and with gold references.
     */
    public record AnnotatorStats(String annotator, long submitted, long skipped, Double medianSeconds,
            Double medianActiveSeconds, Double agreement, Double goldAgreement, boolean flagged) {

        /**
         * The page shows active time only: lease-to-submit time of a task submitted through the API (often a second)
         * beside the minutes a person spent would read as nonsense.
         */
        public String medianText() {
            return medianActiveSeconds == null ? "–" : duration(medianActiveSeconds);
        }

        public String agreementText() {
            return percent(agreement);
        }

        public String goldText() {
            return percent(goldAgreement);
        }
    }

    /**
     * A reward-model version trained on this campaign's rankings: its held-out accuracy, and the accuracy of the
     * version it replaced on the new rankings it was trained on, measured before training on them.
     */
    public record ModelPoint(int version, OffsetDateTime trainedAt, Double heldOutAccuracy, Double newBatchAccuracy,
            boolean promoted) {

        public String heldOutText() {
            return percent(heldOutAccuracy);
        }

        public String newBatchText() {
            return percent(newBatchAccuracy);
        }
    }

    /** Seconds as a person reads them: "45 s", "3 min 5 s", "1 h 2 min". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }
}
