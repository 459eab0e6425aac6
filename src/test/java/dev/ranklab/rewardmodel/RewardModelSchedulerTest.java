package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.RewardModelVersion.Trigger;

class RewardModelSchedulerTest {

    static RewardModelScheduler scheduler(int threshold, int minimum, Duration every) {
        return scheduler(threshold, minimum, 0, every);
    }

    static RewardModelScheduler scheduler(int threshold, int minimum, int autoMinimum, Duration every) {
        RewardModelScheduler scheduler = new RewardModelScheduler();
        scheduler.config = (RanklabConfig) java.lang.reflect.Proxy.newProxyInstance(
                RanklabConfig.class.getClassLoader(), new Class<?>[]{RanklabConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("rewardModel")) {
                        return settings(threshold, minimum, autoMinimum, every);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return scheduler;
    }

    static RanklabConfig.RewardModel settings(int threshold, int minimum, int autoMinimum, Duration every) {
        return (RanklabConfig.RewardModel) java.lang.reflect.Proxy.newProxyInstance(
                RanklabConfig.class.getClassLoader(), new Class<?>[]{RanklabConfig.RewardModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "retrainAfterComparisons" -> threshold;
                    case "minComparisons" -> minimum;
                    case "autoTrainMinComparisons" -> autoMinimum;
                    case "retrainEvery" -> Optional.ofNullable(every);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void enoughNewComparisonsStartARetrain() {
        RewardModelScheduler scheduler = scheduler(500, 20, null);
        OffsetDateTime now = OffsetDateTime.now();
        assertNull(scheduler.decide(10_000, 499, now.minusDays(3), now));
        assertEquals(Trigger.NEW_COMPARISONS, scheduler.decide(10_000, 500, now.minusDays(3), now));
        assertEquals(Trigger.NEW_COMPARISONS, scheduler.decide(10_000, 500, null, now));
    }

    @Test
    void nothingStartsByItselfBeforeThereIsEnoughToJudgeIt() {
        RewardModelScheduler scheduler = scheduler(100, 20, 400, Duration.ofHours(24));
        OffsetDateTime now = OffsetDateTime.now();
        assertNull(scheduler.decide(399, 399, null, now));
        assertNull(scheduler.decide(399, 150, now.minusDays(3), now));
        assertEquals(Trigger.NEW_COMPARISONS, scheduler.decide(400, 400, null, now));
        assertEquals(Trigger.SCHEDULE, scheduler.decide(450, 50, now.minusDays(3), now));
    }

    @Test
    void theScheduleRetrainsOnlyWhenSomethingNewArrived() {
        RewardModelScheduler scheduler = scheduler(500, 20, Duration.ofHours(24));
        OffsetDateTime now = OffsetDateTime.now();
        assertEquals(Trigger.SCHEDULE, scheduler.decide(10_000, 20, now.minusHours(25), now));
        assertNull(scheduler.decide(10_000, 19, now.minusHours(25), now));
        assertNull(scheduler.decide(10_000, 100, now.minusHours(23), now));
        assertNull(scheduler.decide(10_000, 100, null, now));
    }
}
