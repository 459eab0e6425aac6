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
        RewardModelScheduler scheduler = new RewardModelScheduler();
        scheduler.config = (RanklabConfig) java.lang.reflect.Proxy.newProxyInstance(
                RanklabConfig.class.getClassLoader(), new Class<?>[]{RanklabConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("rewardModel")) {
                        return settings(threshold, minimum, every);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return scheduler;
    }

    static RanklabConfig.RewardModel settings(int threshold, int minimum, Duration every) {
        return (RanklabConfig.RewardModel) java.lang.reflect.Proxy.newProxyInstance(
                RanklabConfig.class.getClassLoader(), new Class<?>[]{RanklabConfig.RewardModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "retrainAfterComparisons" -> threshold;
                    case "minComparisons" -> minimum;
                    case "retrainEvery" -> Optional.ofNullable(every);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void enoughNewComparisonsStartARetrain() {
        RewardModelScheduler scheduler = scheduler(500, 20, null);
        OffsetDateTime now = OffsetDateTime.now();
        assertNull(scheduler.decide(499, now.minusDays(3), now));
        assertEquals(Trigger.NEW_COMPARISONS, scheduler.decide(500, now.minusDays(3), now));
        assertEquals(Trigger.NEW_COMPARISONS, scheduler.decide(500, null, now));
    }

    @Test
    void theScheduleRetrainsOnlyWhenSomethingNewArrived() {
        RewardModelScheduler scheduler = scheduler(500, 20, Duration.ofHours(24));
        OffsetDateTime now = OffsetDateTime.now();
        assertEquals(Trigger.SCHEDULE, scheduler.decide(20, now.minusHours(25), now));
        assertNull(scheduler.decide(19, now.minusHours(25), now));
        assertNull(scheduler.decide(100, now.minusHours(23), now));
        assertNull(scheduler.decide(100, null, now));
    }
}
