package dev.ranklab.rewardmodel;

import java.util.Locale;

/**
 * Whether a new version replaces the serving one: only if its held-out pairwise accuracy is not worse by more than
 * the tolerance, both measured on the same held-out rankings. Otherwise the old one keeps serving, and the note
 * says why.
 */
public final class PromotionGate {

    public record Decision(boolean promote, String note) {
    }

    private PromotionGate() {
    }

    public static Decision decide(Double candidate, Double serving, double tolerance, int servingVersion) {
        if (candidate == null) {
            return new Decision(false, "not promoted: no held-out pairs to measure it on; v" + servingVersion
                    + " keeps serving");
        }
        if (serving == null) {
            return new Decision(true, "promoted: v" + servingVersion + " could not be measured on these pairs");
        }
        String comparison = String.format(Locale.ROOT, "held-out accuracy %.3f vs %.3f for v%d (tolerance %.3f)",
                candidate, serving, servingVersion, tolerance);
        if (candidate >= serving - tolerance) {
            return new Decision(true, "promoted: " + comparison);
        }
        return new Decision(false, "not promoted: " + comparison + "; v" + servingVersion + " keeps serving");
    }
}
