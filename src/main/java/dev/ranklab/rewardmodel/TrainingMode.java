package dev.ranklab.rewardmodel;

import dev.ranklab.rewardmodel.RewardModelVersion.Mode;

/**
 * Whether a training warm-starts from the serving version (incremental) or starts from scratch (full), and why. The
 * most consequential choice a training makes, so it is a pure function of what the runner found out, tested on its
 * own. An incremental retrain is only sound when the serving version learned from the same campaigns and there is
 * something new to learn; otherwise it would carry another scope's weights, or be a no-op dressed as a version.
 */
public final class TrainingMode {

    /** The mode, and the reason for it in words (stored on the version, printed by the benchmark). */
    public record Decision(Mode mode, String reason) {
    }

    /**
     * What the choice depends on.
     *
     * @param requested the mode asked for: FULL when a full retrain was requested
     * @param servingVersion the serving version's number, null when none serves
     * @param sameScope whether the serving version learned from the same campaigns
     * @param newTrainingRankings training rankings the serving version has not seen
     * @param incrementalsSinceFull incremental versions since the last full one
     * @param fullRetrainEvery every n-th version trains from scratch as a control
     */
    public record Facts(Mode requested, Integer servingVersion, boolean sameScope, int newTrainingRankings,
            long incrementalsSinceFull, int fullRetrainEvery) {
    }

    private TrainingMode() {
    }

    public static Decision decide(Facts facts) {
        if (facts.requested() == Mode.FULL) {
            return full("full retrain asked for");
        }
        if (facts.servingVersion() == null) {
            return full("no serving version to start from");
        }
        if (!facts.sameScope()) {
            return full("the serving version v" + facts.servingVersion() + " learned from other campaigns");
        }
        if (facts.newTrainingRankings() == 0) {
            return full("no new training rankings since v" + facts.servingVersion());
        }
        if (facts.incrementalsSinceFull() + 1 >= facts.fullRetrainEvery()) {
            return full("periodic full retrain (every " + facts.fullRetrainEvery() + " versions; "
                    + facts.incrementalsSinceFull() + " incremental since the last full one)");
        }
        return new Decision(Mode.INCREMENTAL, "warm start from v" + facts.servingVersion() + " with "
                + facts.newTrainingRankings() + " new training rankings");
    }

    private static Decision full(String reason) {
        return new Decision(Mode.FULL, reason);
    }
}
