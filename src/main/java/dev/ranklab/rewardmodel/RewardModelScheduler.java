package dev.ranklab.rewardmodel;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.RewardModelVersion.Status;
import dev.ranklab.rewardmodel.RewardModelVersion.Trigger;

/** Starts retrainings by itself: when enough new comparisons arrived, or on the configured schedule. */
@ApplicationScoped
public class RewardModelScheduler {

    @Inject
    RanklabConfig config;

    @Inject
    RewardModelService models;

    @Inject
    TrainingData data;

    @Inject
    TrainingRunner runner;

    @Scheduled(every = "30s", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.rewardModel().autoTrain()) {
            Trigger trigger = due();
            if (trigger != null) {
                models.requestTraining(null, trigger, null);
            }
        }
        // Another instance may have queued a training it could not run while this one held the lock, or stopped.
        runner.wake();
    }

    /** Why a training is due now, or null when it is not. */
    Trigger due() {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (RewardModelVersion.count("status IN (?1, ?2)", Status.QUEUED, Status.RUNNING) > 0) {
                return null;
            }
            RewardModelVersion serving = RewardModelVersion.find("promoted = true").firstResult();
            // Automatic trainings cover every ranking campaign; a serving version scoped by an admin to one
            // campaign is left alone, its rankings counted against the newest unscoped version instead.
            RewardModelVersion last = RewardModelVersion
                    .find("status = ?1 AND campaignIds IS NULL ORDER BY version DESC", Status.READY).firstResult();
            RewardModelVersion reference = serving != null && serving.campaignIds == null ? serving : last;
            long watermark = reference == null || reference.watermark == null ? 0 : reference.watermark;
            long fresh = data.comparisonsAfter(watermark, null);
            if (fresh >= config.rewardModel().retrainAfterComparisons()) {
                return Trigger.NEW_COMPARISONS;
            }
            if (fresh >= config.rewardModel().minComparisons() && reference != null
                    && config.rewardModel().retrainEvery().isPresent() && reference.finishedAt != null
                    && reference.finishedAt.plus(config.rewardModel().retrainEvery().get())
                            .isBefore(OffsetDateTime.now())) {
                return Trigger.SCHEDULE;
            }
            return null;
        });
    }
}
