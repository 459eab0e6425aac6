package dev.ranklab.rewardmodel;

import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** A version as the reward-model page shows it: numbers formatted, progress in words. */
public record VersionRow(int version, String status, boolean promoted, String mode, String trigger, String scope,
        Integer comparisons, String heldOutAccuracy, String shorterWins, String previousAccuracy, String drift,
        String trainedAt, String note, String progress, boolean promotable) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    static VersionRow of(RewardModelVersion v, Map<Long, String> campaignNames) {
        Map<String, Object> metrics = v.metrics == null ? Map.of() : v.metrics;
        Object drift = metrics.get("drift") instanceof Map<?, ?> d ? d.get("servingVersionAccuracy") : null;
        String note = v.status == RewardModelVersion.Status.FAILED ? v.error : v.promotionNote;
        return new VersionRow(v.version, v.status.name(), v.promoted, v.mode == null ? "" : v.mode.name(),
                v.trigger.name(), v.campaignIds == null
                        ? "all ranking campaigns"
                        : String.join(", ", Arrays.stream(v.campaignIds)
                                .map(id -> campaignNames.getOrDefault(id, "campaign " + id)).toList()),
                v.comparisons, percent(metrics.get("heldOutAccuracy")), percent(metrics.get("shorterWinsAccuracy")),
                percent(metrics.get("previousVersionAccuracy")), percent(drift),
                v.finishedAt == null ? "" : WHEN.format(v.finishedAt), note == null ? "" : note, progress(v),
                v.status == RewardModelVersion.Status.READY && !v.promoted);
    }

    static String percent(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", n.doubleValue() * 100) : "–";
    }

    private static String progress(RewardModelVersion v) {
        if (v.status != RewardModelVersion.Status.RUNNING || v.progress == null) {
            return "";
        }
        Object phase = v.progress.get("phase");
        if ("training".equals(phase) && v.progress.get("epoch") instanceof Number epoch) {
            return "training, epoch " + epoch + " of at most " + v.progress.get("maxEpochs");
        }
        return String.valueOf(phase);
    }
}
