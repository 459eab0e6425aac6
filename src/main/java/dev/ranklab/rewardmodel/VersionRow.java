package dev.ranklab.rewardmodel;

import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A version as the reward-model page shows it: numbers formatted, progress in words.
 *
 * @param crossValidated the cross-validated accuracy, {@code interval} its 95% interval and {@code cvShorterWins}
 *            "shorter wins" on the same folds ("–" when the version was not cross-validated)
 * @param refused whether the promotion gate refused it; {@code note} then says why
 */
public record VersionRow(int version, String status, boolean promoted, String mode, String trigger, String scope,
        Integer comparisons, String crossValidated, String interval, String cvShorterWins, String heldOutAccuracy,
        String shorterWins, String previousAccuracy, String drift, String trainedAt, String note, boolean refused,
        String progress, boolean promotable) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    static VersionRow of(RewardModelVersion v, Map<Long, String> campaignNames) {
        TrainingMetrics metrics = v.metrics;
        CrossValidation cv = v.crossValidation;
        String note = v.status == RewardModelVersion.Status.FAILED ? v.error : v.promotionNote;
        return new VersionRow(v.version, v.status.name(), v.promoted, v.mode == null ? "" : v.mode.name(),
                v.trigger.name(), v.campaignIds == null
                        ? "all ranking campaigns"
                        : String.join(", ", Arrays.stream(v.campaignIds)
                                .map(id -> campaignNames.getOrDefault(id, "campaign " + id)).toList()),
                v.comparisons, cv == null ? "–" : percent(cv.accuracy()),
                cv == null
                        ? ""
                        : String.format(Locale.ROOT, "%.1f–%.1f%%", cv.accuracyLow() * 100,
                                cv.accuracyHigh() * 100),
                cv == null ? "–" : percent(cv.shorterWins()),
                percent(metrics == null ? null : metrics.heldOutAccuracy()),
                percent(metrics == null ? null : metrics.shorterWinsAccuracy()),
                percent(metrics == null ? null : metrics.previousVersionAccuracy()),
                percent(metrics == null || metrics.drift() == null ? null : metrics.drift().servingVersionAccuracy()),
                v.finishedAt == null ? "" : WHEN.format(v.finishedAt), note == null ? "" : note,
                v.refusedReason != null, progress(v),
                v.status == RewardModelVersion.Status.READY && !v.promoted);
    }

    static String percent(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", n.doubleValue() * 100) : "–";
    }

    private static String progress(RewardModelVersion v) {
        if (v.status == RewardModelVersion.Status.QUEUED && v.progress != null
                && "interrupted".equals(v.progress.get("phase"))) {
            return String.valueOf(v.progress.get("note"));
        }
        if (v.status != RewardModelVersion.Status.RUNNING || v.progress == null) {
            return "";
        }
        Object phase = v.progress.get("phase");
        if ("training".equals(phase) && v.progress.get("epoch") instanceof Number epoch) {
            return "training, epoch " + epoch + " of at most " + v.progress.get("maxEpochs");
        }
        if ("cross-validating".equals(phase)) {
            return "cross-validating, fold " + v.progress.get("fold") + " of " + v.progress.get("folds");
        }
        return String.valueOf(phase);
    }
}
