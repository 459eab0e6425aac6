package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PromotionGateTest {

    /** A cross-validation with the given accuracy, 95% half-width and "shorter wins". */
    static CrossValidation cv(double accuracy, double halfWidth, double shorterWins) {
        return new CrossValidation(5, 1000, 1165, accuracy, accuracy - halfWidth, accuracy + halfWidth, shorterWins,
                shorterWins - 0.03, shorterWins + 0.03, accuracy - shorterWins, accuracy - shorterWins - 0.03,
                accuracy - shorterWins + 0.03, List.of(accuracy));
    }

    static PromotionGate.Candidate full(double accuracy, double halfWidth, double shorterWins) {
        return new PromotionGate.Candidate(cv(accuracy, halfWidth, shorterWins), 0.6, 0.55);
    }

    @Test
    void aFirstVersionServesOnlyWhenItBeatsShorterWinsOnTheSameFolds() {
        assertTrue(PromotionGate.decide(full(0.60, 0.03, 0.558), null, 0.01).promote());
        PromotionGate.Decision refused = PromotionGate.decide(full(0.545, 0.03, 0.547), null, 0.01);
        assertFalse(refused.promote());
        assertTrue(refused.note().startsWith("refused: cross-validated accuracy 54.5% (95% interval 51.5–57.5%) "
                + "does not beat \"shorter wins\" 54.7%"), refused.note());
    }

    /** Where longer answers win most pairs, "shorter wins" scores below 50%: the bar is "longer wins". */
    @Test
    void theLengthBaselineIsWhicheverOfShorterAndLongerDoesBetter() {
        PromotionGate.Decision refused = PromotionGate.decide(full(0.511, 0.08, 0.209), null, 0.01);
        assertFalse(refused.promote(), refused.note());
        assertTrue(refused.note().contains("does not beat \"longer wins\" 79.1%"), refused.note());
        PromotionGate.Decision promoted = PromotionGate.decide(full(0.83, 0.03, 0.209), null, 0.01);
        assertTrue(promoted.promote(), promoted.note());
        assertTrue(promoted.note().contains("beats \"longer wins\" 79.1%"), promoted.note());
        PromotionGate.Decision incremental = PromotionGate.decide(new PromotionGate.Candidate(null, 0.6, 0.3),
                null, 0.01);
        assertFalse(incremental.promote(), "held out: 60% does not beat longer wins at 70%");
        // Where length alone orders every pair, a model that orders every pair too is not worse than it.
        assertTrue(PromotionGate.decide(full(1.0, 0.0, 0.0), null, 0.01).promote());
    }

    @Test
    void notWorseThanTheServingVersionBeyondTheInterval() {
        PromotionGate.Serving serving = new PromotionGate.Serving(3, cv(0.62, 0.03, 0.558), 0.61);
        assertTrue(PromotionGate.decide(full(0.60, 0.03, 0.558), serving, 0.01).promote());
        assertTrue(PromotionGate.decide(full(0.595, 0.03, 0.558), serving, 0.01).promote());
        PromotionGate.Decision refused = PromotionGate.decide(full(0.585, 0.03, 0.558), serving, 0.01);
        assertFalse(refused.promote());
        assertTrue(refused.note().contains("below v3's 62.0% (within 3.0 points allowed); v3 keeps serving"),
                refused.note());
    }

    @Test
    void anIncrementalVersionIsJudgedOnTheHeldOutGroups() {
        PromotionGate.Serving serving = new PromotionGate.Serving(3, cv(0.62, 0.03, 0.558), 0.70);
        assertTrue(PromotionGate.decide(new PromotionGate.Candidate(null, 0.695, 0.55), serving, 0.01).promote());
        PromotionGate.Decision worse = PromotionGate.decide(new PromotionGate.Candidate(null, 0.68, 0.55), serving,
                0.01);
        assertFalse(worse.promote());
        assertTrue(worse.note().contains("held-out accuracy 68.0% vs 70.0% for v3"), worse.note());
        assertFalse(PromotionGate.decide(new PromotionGate.Candidate(null, 0.54, 0.56), serving, 0.01).promote());
        assertFalse(PromotionGate.decide(new PromotionGate.Candidate(null, null, null), serving, 0.01).promote());
    }
}
