package dev.ranklab.rewardmodel;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A reward-model version as the API shows it: its state, what it trained on, how it did, and whether it serves. */
@Schema(name = "RewardModelVersion")
public record RewardModelView(
        int version,
        RewardModelVersion.Status status,
        @Schema(description = "whether this version serves scores now") boolean promoted,
        RewardModelVersion.Mode mode,
        RewardModelVersion.Trigger trigger,
        @Schema(description = "the version an incremental training started from") Integer parentVersion,
        @Schema(description = "the campaigns it trained on; null: every ranking campaign") List<Long> campaignIds,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime trainedAt,
        OffsetDateTime promotedAt,
        Integer rankings,
        Integer comparisons,
        @Schema(description = "the newest ranking id included") Long watermark,
        CrossValidation crossValidation,
        @Schema(minimum = "0", maximum = "1") Double heldOutAccuracy,
        TrainingMetrics metrics,
        Map<String, Object> hyperparameters,
        @Schema(description = "while it trains: its phase, epoch and counts") Map<String, Object> progress,
        String fileSha256,
        String promotionNote,
        @Schema(description = "whether the promotion gate refused it") boolean refused,
        String refusedReason,
        String error) {

    public static RewardModelView of(RewardModelVersion version) {
        return new RewardModelView(version.version, version.status, version.promoted, version.mode, version.trigger,
                version.parentVersion, version.campaignIds == null ? null : List.of(version.campaignIds),
                version.createdAt, version.startedAt, version.finishedAt, version.promotedAt, version.rankings,
                version.comparisons, version.watermark, version.crossValidation, version.heldOutAccuracy(),
                version.metrics, version.hyperparameters, version.progress, version.fileSha256,
                version.promotionNote, version.refusedReason != null, version.refusedReason, version.error);
    }

    /** The answer to a training request: the version that will train. */
    @Schema(name = "TrainingQueued")
    public record Queued(@Schema(description = "the version that will train (also as version)") int jobId,
            int version, RewardModelVersion.Status status) {
    }
}
