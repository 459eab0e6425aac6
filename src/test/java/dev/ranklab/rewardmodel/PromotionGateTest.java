package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PromotionGateTest {

    @Test
    void promotesWhenNotWorseByMoreThanTheTolerance() {
        assertTrue(PromotionGate.decide(0.70, 0.70, 0.01, 3).promote());
        assertTrue(PromotionGate.decide(0.695, 0.70, 0.01, 3).promote());
        assertTrue(PromotionGate.decide(0.75, 0.70, 0.01, 3).promote());
    }

    @Test
    void keepsTheServingVersionAndSaysWhyWhenWorse() {
        PromotionGate.Decision decision = PromotionGate.decide(0.68, 0.70, 0.01, 3);
        assertFalse(decision.promote());
        assertTrue(decision.note().contains("0.680 vs 0.700 for v3"), decision.note());
        assertTrue(decision.note().contains("v3 keeps serving"), decision.note());
    }

    @Test
    void withNothingToMeasureOnTheServingVersionStays() {
        assertFalse(PromotionGate.decide(null, 0.7, 0.01, 2).promote());
        assertTrue(PromotionGate.decide(0.6, null, 0.01, 2).promote());
    }
}
