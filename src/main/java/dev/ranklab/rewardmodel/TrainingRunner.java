package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.RewardModelVersion.Mode;
import dev.ranklab.rewardmodel.RewardModelVersion.Status;

/**
 * Runs queued trainings one at a time on a low-priority background thread. One training at a time across every
 * instance sharing the database: the runner holds a PostgreSQL advisory lock while it trains, and an instance that
 * cannot take it leaves the queue to the one that has it. A failed training is recorded and changes nothing else:
 * the serving version keeps serving.
 */
@ApplicationScoped
public class TrainingRunner {

    /** "RKRM": the advisory lock every instance's runner takes before training. */
    static final long LOCK_KEY = 0x524B524DL;
    private static final Logger LOG = Logger.getLogger(TrainingRunner.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TrainingData data;

    @Inject
    ModelFiles files;

    @Inject
    RanklabConfig config;

    @Inject
    AuditLog audit;

    @Inject
    Event<RewardModelService.Promoted> promoted;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reward-model-training");
        thread.setDaemon(true);
        // Annotators' requests come first: training only gets the cores they leave idle.
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });
    private final AtomicBoolean pending = new AtomicBoolean();

    /** Asks the runner to look at the queue; calls while it is already due coalesce. */
    public void wake() {
        if (pending.compareAndSet(false, true)) {
            executor.submit(() -> {
                pending.set(false);
                drain();
            });
        }
    }

    /** Runs other model work (batch scoring) on the same low-priority thread, so it never competes with training. */
    public void execute(Runnable work) {
        executor.submit(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("reward-model background work failed", e);
            }
        });
    }

    /** Trains every queued version, if this instance can take the lock. Returns how many it ran. */
    int drain() {
        if (!config.rewardModel().trainer()) {
            // Queued here, trained by the instance that is the trainer (ranklab.reward-model.trainer).
            return 0;
        }
        int ran = 0;
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                return 0;
            }
            try {
                failOrphans();
                Integer next;
                while ((next = claimNext()) != null) {
                    run(next);
                    ran++;
                }
            } finally {
                unlock(lock);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("the reward-model runner failed", e);
        }
        return ran;
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }

    /** With the lock held no training can be running: RUNNING rows were left by a crash or a restart. */
    private void failOrphans() {
        QuarkusTransaction.requiringNew().run(() -> RewardModelVersion.update(
                "status = ?1, error = ?2, finishedAt = ?3 WHERE status = ?4", Status.FAILED,
                "interrupted: the instance training it stopped", OffsetDateTime.now(), Status.RUNNING));
    }

    private Integer claimNext() {
        return QuarkusTransaction.requiringNew().call(() -> {
            RewardModelVersion next = RewardModelVersion.find("status = ?1 ORDER BY version", Status.QUEUED)
                    .firstResult();
            if (next == null) {
                return null;
            }
            next.status = Status.RUNNING;
            next.startedAt = OffsetDateTime.now();
            next.progress = Map.of("phase", "loading rankings");
            return next.version;
        });
    }

    /** What the training of one version found out, to be stored in one transaction at the end. */
    private record Outcome(Mode mode, Integer parent, byte[] file, int rankings, int comparisons, long watermark,
            Map<String, Object> metrics, boolean promote, String note) {
    }

    private void run(int versionNumber) {
        long started = System.nanoTime();
        try {
            Outcome outcome = train(versionNumber);
            Path path = files.write(versionNumber, outcome.file());
            String sha256 = ModelFiles.sha256(outcome.file());
            outcome.metrics().put("trainingSeconds", (System.nanoTime() - started) / 1e9);
            QuarkusTransaction.requiringNew().run(() -> {
                RewardModelVersion version = RewardModelVersion.findById(versionNumber);
                version.mode = outcome.mode();
                version.parentVersion = outcome.parent();
                version.rankings = outcome.rankings();
                version.comparisons = outcome.comparisons();
                version.watermark = outcome.watermark();
                version.metrics = outcome.metrics();
                version.filePath = path.toString();
                version.fileSha256 = sha256;
                version.status = Status.READY;
                version.finishedAt = OffsetDateTime.now();
                version.progress = Map.of("phase", "done");
                version.promotionNote = outcome.note();
                audit.record(outcome.promote() ? "reward_model.promote" : "reward_model.ready",
                        "reward_model:" + versionNumber, Map.of("note", outcome.note()));
                if (outcome.promote()) {
                    RewardModelVersion.update("promoted = false WHERE promoted = true");
                    RewardModelVersion.flush();
                    version.promoted = true;
                    version.promotedAt = OffsetDateTime.now();
                    promoted.fire(new RewardModelService.Promoted(versionNumber, outcome.parent(), outcome.note()));
                }
            });
            LOG.infof("reward model v%d: %s", versionNumber, outcome.note());
        } catch (Exception | LinkageError e) {
            LOG.errorf(e, "training reward model v%d failed", versionNumber);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            QuarkusTransaction.requiringNew().run(() -> RewardModelVersion.update(
                    "status = ?1, error = ?2, finishedAt = ?3, progress = ?4 WHERE version = ?5", Status.FAILED,
                    message, OffsetDateTime.now(), Map.of("phase", "failed"), versionNumber));
        }
    }

    private Outcome train(int versionNumber) throws IOException {
        RewardModelVersion job = QuarkusTransaction.requiringNew()
                .call(() -> RewardModelVersion.<RewardModelVersion>findById(versionNumber));
        RewardModelVersion parent = QuarkusTransaction.requiringNew()
                .call(() -> RewardModelVersion.<RewardModelVersion>find("promoted = true").firstResult());
        Hyperparameters hyperparameters = HyperparameterMaps.fromMap(job.hyperparameters);

        TrainingData.Loaded loaded = data.load(job.campaignIds);
        List<RankedExample> training = new ArrayList<>();
        List<RankedExample> validation = new ArrayList<>();
        List<RankedExample> heldOut = new ArrayList<>();
        for (RankedExample example : loaded.examples()) {
            switch (example.split()) {
                case TRAINING -> training.add(example);
                case VALIDATION -> validation.add(example);
                case HELD_OUT -> heldOut.add(example);
            }
        }
        int comparisons = loaded.examples().stream().mapToInt(e -> e.pairs().size()).sum();
        if (comparisons < config.rewardModel().minComparisons()) {
            throw new IllegalStateException("a training needs at least " + config.rewardModel().minComparisons()
                    + " comparisons; the rankings in scope have " + comparisons);
        }

        boolean sameScope = parent != null && Arrays.equals(parent.campaignIds, job.campaignIds);
        long parentWatermark = parent == null || parent.watermark == null ? 0 : parent.watermark;
        List<RankedExample> fresh = training.stream().filter(e -> e.rankingId() > parentWatermark).toList();
        String modeReason;
        Mode mode = Mode.FULL;
        if (job.mode == Mode.FULL) {
            modeReason = "full retrain asked for";
        } else if (parent == null) {
            modeReason = "no serving version to start from";
        } else if (!sameScope) {
            modeReason = "the serving version learned from other campaigns";
        } else if (fresh.isEmpty()) {
            modeReason = "no new training rankings since v" + parent.version;
        } else if (fullRetrainDue()) {
            modeReason = "periodic full retrain (every " + config.rewardModel().fullRetrainEvery() + " versions)";
        } else {
            mode = Mode.INCREMENTAL;
            modeReason = "warm start from v" + parent.version;
        }

        byte[] parentFile = parent == null ? null : files.read(parent);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("modeReason", modeReason);
        metrics.put("splitRankings", Map.of("training", training.size(), "validation", validation.size(),
                "heldOut", heldOut.size()));
        metrics.put("truncatedTexts", loaded.truncatedTexts());
        metrics.put("encodedTexts", loaded.encodedTexts());
        if (parent != null) {
            List<RankedExample> allFresh = loaded.examples().stream().filter(e -> e.rankingId() > parentWatermark)
                    .toList();
            try (ScoringNetwork previous = ScoringNetwork.load(parentFile)) {
                // The drift signal: how well the serving model predicted the rankings it has not seen.
                Map<String, Object> drift = new LinkedHashMap<>();
                drift.put("newRankings", allFresh.size());
                double accuracy = Evaluation.accuracy(previous, allFresh);
                drift.put("servingVersionAccuracy", Double.isNaN(accuracy) ? null : accuracy);
                drift.put("servingVersion", parent.version);
                metrics.put("drift", drift);
            }
        }

        List<RankedExample> fit = training;
        if (mode == Mode.INCREMENTAL) {
            List<RankedExample> older = new ArrayList<>(
                    training.stream().filter(e -> e.rankingId() <= parentWatermark).toList());
            Collections.shuffle(older, new Random(hyperparameters.seed() + versionNumber));
            int replay = Math.min(older.size(), Math.round(fresh.size() * hyperparameters.replayRatio()));
            fit = new ArrayList<>(fresh);
            fit.addAll(older.subList(0, replay));
            metrics.put("incremental", Map.of("newRankings", fresh.size(), "replayedRankings", replay));
        }
        if (fit.stream().allMatch(e -> e.pairs().isEmpty())) {
            throw new IllegalStateException("no training ranking has two responses in different tiers");
        }
        progress(versionNumber, Map.of("phase", "training", "epoch", 0, "maxEpochs", hyperparameters.maxEpochs()));
        int trainingPairs = training.stream().mapToInt(e -> e.pairs().size()).sum();
        RewardTrainer.Result result = new RewardTrainer(hyperparameters).train(fit, validation,
                mode == Mode.INCREMENTAL ? parentFile : null, trainingPairs,
                (epoch, max, trainingLoss, validationLoss) -> {
                    Map<String, Object> progress = new LinkedHashMap<>();
                    progress.put("phase", "training");
                    progress.put("epoch", epoch);
                    progress.put("maxEpochs", max);
                    progress.put("trainingLoss", trainingLoss);
                    progress.put("validationLoss", validationLoss);
                    progress(versionNumber, progress);
                    return true;
                });
        progress(versionNumber, Map.of("phase", "evaluating"));
        metrics.put("epochs", result.epochs());
        metrics.put("bestEpoch", result.bestEpoch());
        metrics.put("temperature", result.temperature());
        metrics.put("l2", result.l2());
        metrics.put("trainedOnRankings", result.trainingRankings());
        metrics.put("trainedOnPairs", result.trainingPairs());

        List<RankedExample> evaluated = heldOut.isEmpty() ? validation : heldOut;
        metrics.put("evaluatedOn", heldOut.isEmpty() ? "validation (no held-out prompts yet)" : "held-out");
        Map<String, Object> heldOutMetrics;
        try (ScoringNetwork trained = ScoringNetwork.load(result.file())) {
            heldOutMetrics = Evaluation.of(trained, evaluated);
        }
        metrics.put("heldOut", heldOutMetrics);
        Object accuracy = heldOutMetrics.get("accuracy");
        metrics.put("heldOutAccuracy", accuracy);
        metrics.put("shorterWinsAccuracy", heldOutMetrics.get("shorterWinsAccuracy"));

        boolean promote;
        String note;
        if (parent == null) {
            promote = true;
            note = "promoted: the first version";
        } else {
            Double previousAccuracy;
            try (ScoringNetwork previous = ScoringNetwork.load(parentFile)) {
                double measured = Evaluation.accuracy(previous, evaluated);
                previousAccuracy = Double.isNaN(measured) ? null : measured;
            }
            metrics.put("previousVersion", parent.version);
            metrics.put("previousVersionAccuracy", previousAccuracy);
            PromotionGate.Decision decision = PromotionGate.decide(accuracy instanceof Number n
                    ? n.doubleValue()
                    : null, previousAccuracy, config.rewardModel().promotionTolerance(), parent.version);
            promote = decision.promote();
            note = decision.note();
        }
        return new Outcome(mode, parent == null ? null : parent.version, result.file(), loaded.examples().size(),
                comparisons, loaded.watermark(), metrics, promote, note);
    }

    /** Whether enough incremental versions followed the last full one that the next should start from scratch. */
    private boolean fullRetrainDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            RewardModelVersion lastFull = RewardModelVersion
                    .find("status = ?1 AND mode = ?2 ORDER BY version DESC", Status.READY, Mode.FULL).firstResult();
            long since = RewardModelVersion.count("status = ?1 AND mode = ?2 AND version > ?3", Status.READY,
                    Mode.INCREMENTAL, lastFull == null ? 0 : lastFull.version);
            return since + 1 >= config.rewardModel().fullRetrainEvery();
        });
    }

    private void progress(int version, Map<String, Object> progress) {
        QuarkusTransaction.requiringNew()
                .run(() -> RewardModelVersion.update("progress = ?1 WHERE version = ?2", progress, version));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
