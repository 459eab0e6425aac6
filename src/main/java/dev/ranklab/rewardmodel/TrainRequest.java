package dev.ranklab.rewardmodel;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/reward-models/train}. Every field is optional.
 *
 * @param campaignId learn from this campaign's rankings only (default: every ranking campaign)
 * @param fullRetrain train from scratch even when an incremental retrain is possible
 * @param hidden hidden units beside the linear term (0–512)
 * @param l2 the L2 strength per training pair (0–100000; absent or 0: chosen on validation rankings)
 * @param maxEpochs at most this many passes over the data (1–500)
 * @param marginScale the loss margin per tier or rating point (0–10)
 * @param marginFrom "tiers" or "ratings"
 * @param replaceWiderScope allow a training on a subset of the serving version's campaigns to replace it (it still
 *            has to pass the promotion gate); without it such a training is refused with 409
 */
public record TrainRequest(Long campaignId, Boolean fullRetrain,
        @Schema(minimum = "0", maximum = "512") Integer hidden,
        @Schema(minimum = "0", maximum = "100000") Double l2,
        @Schema(minimum = "1", maximum = "500") Integer maxEpochs,
        @Schema(minimum = "0", maximum = "10") Double marginScale,
        @Schema(enumeration = {
                "tiers", "ratings"}) String marginFrom,
        Boolean replaceWiderScope){

    /** Only a scope and the full-retrain and confirmation choices; everything else by default. */
    public static TrainRequest of(Long campaignId, boolean fullRetrain, boolean replaceWiderScope) {
        return new TrainRequest(campaignId, fullRetrain, null, null, null, null, null, replaceWiderScope);
    }
}
