package dev.ranklab.rewardmodel;

import java.util.Locale;

/**
 * Whether a new version replaces the serving one. Two questions, in order:
 * <ol>
 * <li>Does it beat the length of the responses? On some data the shorter response wins most pairs, on other data
 * the longer one (then "shorter wins" scores below 50% and any model clears it): the baseline is whichever of the
 * two does better on the same pairs. A full training answers with its grouped cross-validation (the accuracy
 * against the baseline on the same out-of-fold pairs); an incremental one, which is not cross-validated, with the
 * held-out groups.</li>
 * <li>Is it not worse than the serving version? When both were cross-validated: not below the serving one's
 * cross-validated accuracy by more than the candidate's own 95% half-width (a smaller gap is within what the
 * measurement can tell apart). Otherwise both are scored on the same held-out pairs, which neither trained on, and
 * the candidate may trail by at most the configured tolerance.</li>
 * </ol>
 * A refused version stays READY and can still be promoted by hand; the note says why it was refused.
 */
public final class PromotionGate {

    /** What is known of the new version. */
    public record Candidate(CrossValidation crossValidation, Double heldOutAccuracy, Double heldOutShorterWins) {
    }

    /** The serving version: its own cross-validation (if any) and its accuracy on the candidate's held-out pairs. */
    public record Serving(int version, CrossValidation crossValidation, Double heldOutAccuracy) {
    }

    public record Decision(boolean promote, String note) {
    }

    private PromotionGate() {
    }

    /** @param serving null when no version serves yet */
    public static Decision decide(Candidate candidate, Serving serving, double tolerance) {
        CrossValidation cv = candidate.crossValidation();
        String keeps = serving == null ? "" : "; v" + serving.version() + " keeps serving";
        if (cv != null) {
            if (!beats(cv.accuracy(), byLength(cv.shorterWins()))) {
                return new Decision(false, "refused: cross-validated accuracy " + interval(cv) + " does not beat "
                        + lengthBaseline(cv.shorterWins()) + " on the same pairs" + keeps);
            }
        } else if (candidate.heldOutAccuracy() == null) {
            return new Decision(false, "refused: no held-out pairs to judge it on" + keeps);
        } else if (!beats(candidate.heldOutAccuracy(), byLength(candidate.heldOutShorterWins()))) {
            return new Decision(false, "refused: held-out accuracy " + percent(candidate.heldOutAccuracy())
                    + " does not beat " + lengthBaseline(candidate.heldOutShorterWins()) + " on the same pairs"
                    + keeps);
        }
        String own = cv != null
                ? "cross-validated accuracy " + interval(cv) + " beats " + lengthBaseline(cv.shorterWins())
                : "held-out accuracy " + percent(candidate.heldOutAccuracy()) + " beats "
                        + lengthBaseline(candidate.heldOutShorterWins());
        if (serving == null) {
            return new Decision(true, "promoted: the first version; " + own);
        }
        if (cv != null && serving.crossValidation() != null) {
            double floor = serving.crossValidation().accuracy() - cv.halfWidth();
            String comparison = String.format(Locale.ROOT, "v%d's %s (within %.1f points allowed)",
                    serving.version(), percent(serving.crossValidation().accuracy()), cv.halfWidth() * 100);
            if (cv.accuracy() >= floor) {
                return new Decision(true, "promoted: " + own + "; not worse than " + comparison);
            }
            return new Decision(false, "refused: cross-validated accuracy " + interval(cv) + " is below "
                    + comparison + keeps);
        }
        if (serving.heldOutAccuracy() == null) {
            return new Decision(true, "promoted: " + own + "; v" + serving.version()
                    + " could not be measured on the held-out pairs");
        }
        String comparison = String.format(Locale.ROOT, "held-out accuracy %s vs %s for v%d (tolerance %.1f points)",
                percent(candidate.heldOutAccuracy()), percent(serving.heldOutAccuracy()), serving.version(),
                tolerance * 100);
        if (candidate.heldOutAccuracy() != null && candidate.heldOutAccuracy() >= serving.heldOutAccuracy()
                - tolerance) {
            return new Decision(true, "promoted: " + own + "; " + comparison);
        }
        return new Decision(false, "refused: " + comparison + keeps);
    }

    /** Above the baseline; a perfect model passes even a perfect baseline, since nothing could do better. */
    static boolean beats(double accuracy, double baseline) {
        return accuracy > baseline || accuracy >= 1.0;
    }

    /** The better of "shorter wins" and "longer wins" (ties count half for both, so they add up to one). */
    static double byLength(double shorterWins) {
        return Math.max(shorterWins, 1 - shorterWins);
    }

    /** The length baseline in words, e.g. {@code "longer wins" 79.1%}. */
    static String lengthBaseline(double shorterWins) {
        return shorterWins >= 0.5
                ? "\"shorter wins\" " + percent(shorterWins)
                : "\"longer wins\" " + percent(1 - shorterWins);
    }

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }

    static String interval(CrossValidation cv) {
        return String.format(Locale.ROOT, "%.1f%% (95%% interval %.1f–%.1f%%)", cv.accuracy() * 100,
                cv.accuracyLow() * 100, cv.accuracyHigh() * 100);
    }
}
