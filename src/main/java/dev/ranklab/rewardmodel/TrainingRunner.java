package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.config.RanklabConfig;
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
    VersionTrainer trainer;

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
    /** Set at shutdown: no training is claimed or started any more. */
    private volatile boolean stopping;

    /** Asks the runner to look at the queue; calls while it is already due coalesce. */
    public void wake() {
        if (!stopping && pending.compareAndSet(false, true)) {
            executor.submit(() -> {
                pending.set(false);
                drain();
            });
        }
    }

    /** Runs other model work (batch scoring) on the same low-priority thread, so it never competes with training. */
    public void execute(Runnable work) {
        if (stopping) {
            return;
        }
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
                while (!stopping && (next = claimNext()) != null) {
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

    private void run(int versionNumber) {
        long started = System.nanoTime();
        try {
            RewardModelVersion job = QuarkusTransaction.requiringNew()
                    .call(() -> RewardModelVersion.<RewardModelVersion>findById(versionNumber));
            RewardModelVersion parent = QuarkusTransaction.requiringNew().call(RewardModelVersion::serving);
            VersionTrainer.Outcome outcome = trainer.train(job, parent, shown -> progress(versionNumber, shown));
            store(versionNumber, outcome, (System.nanoTime() - started) / 1e9);
            LOG.infof("reward model v%d: %s", versionNumber, outcome.decision().note());
        } catch (TrainingInterrupted e) {
            requeue(versionNumber);
        } catch (Exception | LinkageError e) {
            if (Thread.currentThread().isInterrupted()) {
                // Interrupted inside a library (a blocking call, a DJL step) that reported it as its own error.
                requeue(versionNumber);
                return;
            }
            LOG.errorf(e, "training reward model v%d failed", versionNumber);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            QuarkusTransaction.requiringNew().run(() -> RewardModelVersion.update(
                    "status = ?1, error = ?2, finishedAt = ?3, progress = ?4 WHERE version = ?5", Status.FAILED,
                    message, OffsetDateTime.now(), Map.of("phase", "failed"), versionNumber));
        }
    }

    /** Writes the parameter file, then records the version and, if the gate said so, makes it serve. */
    private void store(int versionNumber, VersionTrainer.Outcome outcome, double seconds) throws IOException {
        Path path = files.write(versionNumber, outcome.file());
        String sha256 = ModelFiles.sha256(outcome.file());
        PromotionGate.Decision decision = outcome.decision();
        QuarkusTransaction.requiringNew().run(() -> {
            RewardModelVersion version = RewardModelVersion.findById(versionNumber);
            version.mode = outcome.mode();
            version.parentVersion = outcome.parent();
            version.rankings = outcome.rankings();
            version.comparisons = outcome.comparisons();
            version.watermark = outcome.watermark();
            version.metrics = outcome.metrics().withTrainingSeconds(seconds);
            version.crossValidation = outcome.crossValidation();
            version.filePath = path.toString();
            version.fileSha256 = sha256;
            version.status = Status.READY;
            version.finishedAt = OffsetDateTime.now();
            version.progress = Map.of("phase", "done");
            version.promotionNote = decision.note();
            version.refusedReason = decision.promote() ? null : decision.note();
            audit.record(decision.promote() ? "reward_model.promote" : "reward_model.ready",
                    "reward_model:" + versionNumber, Map.of("note", decision.note()));
            if (decision.promote()) {
                RewardModelVersion.update("promoted = false WHERE promoted = true");
                RewardModelVersion.flush();
                version.promoted = true;
                version.promotedAt = OffsetDateTime.now();
                promoted.fire(new RewardModelService.Promoted(versionNumber, outcome.parent(), decision.note()));
            }
        });
    }

    /** A training the instance's shutdown interrupted starts again, from scratch, on the next instance to run. */
    private void requeue(int versionNumber) {
        String note = "interrupted at " + OffsetDateTime.now().withNano(0)
                + " because the instance stopped; it trains again when an instance starts";
        LOG.infof("reward model v%d: %s", versionNumber, note);
        // The flag is cleared so that the transaction below is not refused for an interrupted thread.
        Thread.interrupted();
        QuarkusTransaction.requiringNew().run(() -> RewardModelVersion.update(
                "status = ?1, startedAt = null, progress = ?2 WHERE version = ?3", Status.QUEUED,
                Map.of("phase", "interrupted", "note", note), versionNumber));
    }

    private void progress(int version, Map<String, Object> progress) {
        QuarkusTransaction.requiringNew()
                .run(() -> RewardModelVersion.update("progress = ?1 WHERE version = ?2", progress, version));
    }

    /** A training queued again by the last shutdown starts now, not at the scheduler's first tick. */
    void onStart(@Observes StartupEvent event) {
        wake();
    }

    /**
     * Before any bean is destroyed (ShutdownEvent comes first), the running training is interrupted and awaited,
     * so that it stops between two batches and queues itself again while the database and the models are still
     * there. The native models then close after their last user ({@link NativeModels}).
     */
    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(config.rewardModel().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the reward-model training did not stop within the shutdown grace");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
