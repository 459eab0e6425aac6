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
     * page measured it), pairwise agreement with the other annotators and with gold references.
     */
    public record AnnotatorStats(String annotator, long submitted, long skipped, Double medianSeconds,
            Double agreement, Double goldAgreement, boolean flagged) {

        public String medianText() {
            return medianSeconds == null ? "–" : String.format(Locale.ROOT, "%.0f s", medianSeconds);
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

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }
}
