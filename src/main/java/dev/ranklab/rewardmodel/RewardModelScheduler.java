package dev.ranklab.rewardmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
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

    @Inject
    CampaignScoring campaignScoring;

    @Inject
    AgroalDataSource dataSource;

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
        scoreForUncertaintyQueues();
    }

    /**
     * Active-learning campaigns need every open item scored by the serving version: new items, and all of them
     * after a promotion. Scoring runs on the training thread, so it waits for a training in progress.
     */
    void scoreForUncertaintyQueues() {
        RewardModelVersion serving = QuarkusTransaction.requiringNew()
                .call(() -> RewardModelVersion.serving());
        if (serving == null) {
            return;
        }
        String sql = """
                SELECT c.id FROM campaigns c
                 WHERE c.queue_policy = 'UNCERTAINTY_FIRST' AND c.status = 'ACTIVE' AND c.kind = 'RANKING'
                   AND EXISTS (SELECT 1 FROM items i WHERE i.campaign_id = c.id AND NOT i.complete
                                 AND NOT EXISTS (SELECT 1 FROM response_scores s
                                                  WHERE s.version = ? AND s.item_id = i.id))
                """;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, serving.version);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    campaignScoring.start(rows.getLong(1), serving.version);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("finding campaigns to score failed", e);
        }
    }

    /**
     * The rule: never before there are enough comparisons in all for the evaluation to judge a version
     * (ranklab.reward-model.auto-train-min-comparisons); then enough new comparisons, or the schedule has come round
     * and there is something new to learn.
     */
    Trigger decide(long totalComparisons, long freshComparisons, OffsetDateTime lastTrained, OffsetDateTime now) {
        RanklabConfig.RewardModel settings = config.rewardModel();
        if (totalComparisons < settings.autoTrainMinComparisons()) {
            return null;
        }
        if (freshComparisons >= settings.retrainAfterComparisons()) {
            return Trigger.NEW_COMPARISONS;
        }
        if (freshComparisons >= settings.minComparisons() && lastTrained != null
                && settings.retrainEvery().isPresent()
                && !lastTrained.plus(settings.retrainEvery().get()).isAfter(now)) {
            return Trigger.SCHEDULE;
        }
        return null;
    }

    /** Why a training is due now, or null when it is not. */
    Trigger due() {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (RewardModelVersion.count("status IN (?1, ?2)", Status.QUEUED, Status.RUNNING) > 0) {
                return null;
            }
            RewardModelVersion serving = RewardModelVersion.serving();
            // Automatic trainings cover every ranking campaign; a serving version scoped by an admin to one
            // campaign is left alone, its rankings counted against the newest unscoped version instead.
            RewardModelVersion last = RewardModelVersion
                    .find("status = ?1 AND campaignIds IS NULL ORDER BY version DESC", Status.READY).firstResult();
            RewardModelVersion reference = serving != null && serving.campaignIds == null ? serving : last;
            long watermark = reference == null || reference.watermark == null ? 0 : reference.watermark;
            long fresh = data.comparisonsAfter(watermark, null);
            long total = watermark == 0 ? fresh : data.comparisonsAfter(0, null);
            return decide(total, fresh, reference == null ? null : reference.finishedAt, OffsetDateTime.now());
        });
    }
}
