package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.ranklab.rewardmodel.RewardModelVersion.Mode;

class TrainingModeTest {

    static TrainingMode.Decision decide(Mode requested, Integer serving, boolean sameScope, int fresh,
            long incrementals) {
        return TrainingMode.decide(new TrainingMode.Facts(requested, serving, sameScope, fresh, incrementals, 5));
    }

    @Test
    void warmStartsOnlyFromTheSameScopeWithSomethingNew() {
        assertEquals(new TrainingMode.Decision(Mode.INCREMENTAL, "warm start from v3 with 40 new training rankings"),
                decide(Mode.INCREMENTAL, 3, true, 40, 0));
    }

    @Test
    void saysWhyItTrainsFromScratch() {
        assertEquals(new TrainingMode.Decision(Mode.FULL, "full retrain asked for"),
                decide(Mode.FULL, 3, true, 40, 0));
        assertEquals(new TrainingMode.Decision(Mode.FULL, "no serving version to start from"),
                decide(Mode.INCREMENTAL, null, false, 40, 0));
        assertEquals(new TrainingMode.Decision(Mode.FULL, "the serving version v3 learned from other campaigns"),
                decide(Mode.INCREMENTAL, 3, false, 40, 0));
        assertEquals(new TrainingMode.Decision(Mode.FULL, "no new training rankings since v3"),
                decide(Mode.INCREMENTAL, 3, true, 0, 0));
        assertEquals(new TrainingMode.Decision(Mode.FULL,
                "periodic full retrain (every 5 versions; 4 incremental since the last full one)"),
                decide(Mode.INCREMENTAL, 3, true, 40, 4));
        assertEquals(Mode.INCREMENTAL, decide(Mode.INCREMENTAL, 3, true, 40, 3).mode());
    }
}
