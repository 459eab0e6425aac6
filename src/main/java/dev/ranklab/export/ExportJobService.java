package dev.ranklab.export;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.config.RanklabConfig;
import dev.ranklab.database.InstanceLiveness;
import dev.ranklab.web.ProblemException;

/**
 * Runs exports in the background for datasets too large to wait for. The file is written as {@code .part}, synced,
 * and renamed only when complete, so a half-written export is never served; its manifest records what it holds.
 */
@ApplicationScoped
public class ExportJobService {

    private static final Logger LOG = Logger.getLogger(ExportJobService.class);

    @Inject
    ExportService exports;

    @Inject
    ParquetExport parquet;

    @Inject
    ConsensusExport consensus;

    @Inject
    HfDatasetExport hf;

    @Inject
    ManagedExecutor executor;

    @Inject
    RanklabConfig config;

    @Inject
    AuditLog audit;

    @Inject
    InstanceLiveness liveness;

    /** The stop switch of each job running on this instance. */
    private final Map<Long, AtomicBoolean> stops = new ConcurrentHashMap<>();

    /** Where a test holds a run at a chosen point; {@link RunHook#NONE} outside tests. */
    private volatile RunHook hook = RunHook.NONE;

    /**
     * Points in a job's run where a test can hold it, to cancel it at an exact moment without waiting on a clock. Each
     * is called on the job's own thread.
     */
    interface RunHook {

        RunHook NONE = new RunHook() {
        };

        /** A line of the job's output (before any compression) has been written; {@code lines} counts them. */
        default void lineWritten(long jobId, long lines) {
        }

        /** The file is complete under its final name; that the job completed is recorded next. */
        default void beforeCompletion(long jobId) {
        }

        /** The run is over, whatever its outcome. */
        default void ended(long jobId) {
        }
    }

    /** Installs a hook for the runs that start from now on; {@link RunHook#NONE} removes it. */
    void hook(RunHook hook) {
        this.hook = hook;
    }

    /**
     * What a job writes: its lines to {@code sink}, returning how many. A writer that waits on something slow looks at
     * {@code stopped} meanwhile and, once it says true, ends by throwing {@link java.util.concurrent.CancellationException};
     * what it puts into {@code manifest} is added to the job's manifest.
     */
    @FunctionalInterface
    public interface Writer {

        long write(long jobId, OutputStream sink, BooleanSupplier stopped, Map<String, Object> manifest)
                throws IOException;
    }

    /**
     * A checked request, ready to run: the campaign it belongs to, its format and file kind ({@code jsonl},
     * {@code jsonl.gz} or {@code parquet}), its options as the job shows them, and every how many lines it reports
     * progress.
     */
    record Plan(Campaign campaign, String format, String file, Map<String, Object> options, long every,
            Writer writer) {
    }

    /**
     * Checks the options (the streaming export's, as a JSON object) and starts the job.
     *
     * @param body option name to a string, number or boolean
     */
    public ExportJob start(long campaignId, long userId, boolean admin, Map<String, ?> body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required: {\"format\": \"pairs\", ...}");
        }
        ExportOptions options = ExportOptions.parse(ExportOptions.strings(body), admin);
        Campaign campaign = exports.check(campaignId, options);
        String file = options.fileKind();
        // JSON lines report how far they got as they go; a Parquet file's or a dataset's rows are counted at its end.
        long every = file.equals("parquet") || file.equals("hf.zip") ? Long.MAX_VALUE : ProgressStream.EVERY;
        return start(new Plan(campaign, options.format().fileName(), file, options.describe(), every,
                (jobId, sink, stopped, manifest) -> writeExport(jobId, campaign, options, sink, manifest)), userId);
    }

    /**
     * Starts a job that another feature writes (such as rejection sampling), with the same progress, cancelling,
     * crash recovery and download as an export.
     *
     * @param file {@code jsonl} or {@code jsonl.gz}
     * @param every how many lines between progress reports
     */
    public ExportJob start(Campaign campaign, long userId, String format, String file, Map<String, Object> options,
            long every, Writer writer) {
        if (!file.equals("jsonl") && !file.equals("jsonl.gz")) {
            throw new IllegalArgumentException("a job written elsewhere is JSON lines: " + file);
        }
        return start(new Plan(campaign, format, file, options, every, writer), userId);
    }

    private ExportJob start(Plan plan, long userId) {
        long campaignId = plan.campaign().id;
        int runner = liveness.key();
        ExportJob job = QuarkusTransaction.requiringNew().call(() -> {
            ExportJob created = new ExportJob();
            created.campaignId = campaignId;
            created.userId = userId;
            created.format = plan.format();
            created.file = plan.file();
            created.options = plan.options();
            created.status = ExportJob.Status.QUEUED;
            created.runner = runner;
            created.createdAt = OffsetDateTime.now();
            created.persist();
            audit.record("export.start", "campaign:" + campaignId, Map.of("jobId", created.id, "format",
                    created.format, "file", created.file));
            return created;
        });
        long id = job.id;
        executor.runAsync(() -> run(id, plan));
        return job;
    }

    private void run(long id, Plan plan) {
        Path dir = directory();
        Path part = dir.resolve("export-" + id + ".part");
        Path done = file(id, plan.file());
        AtomicBoolean stop = new AtomicBoolean();
        stops.put(id, stop);
        RunHook hook = this.hook;
        try {
            if (advance(id, ExportJob.Status.QUEUED, job -> job.status = ExportJob.Status.RUNNING)) {
                write(id, plan, part, done, stop, hook);
            }
        } finally {
            stops.remove(id);
            hook.ended(id);
        }
    }

    private void write(long id, Plan plan, Path part, Path done, AtomicBoolean stop, RunHook hook) {
        Path dir = part.getParent();
        try {
            Files.createDirectories(dir);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            Map<String, Object> extra = new LinkedHashMap<>();
            long lines;
            long bytes;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                CountingStream counted = new CountingStream(new DigestOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16),
                        sha256));
                GZIPOutputStream zipped = plan.file().equals("jsonl.gz")
                        ? new GZIPOutputStream(counted, 1 << 16)
                        : null;
                // Every write stops at once if the job is cancelled on this instance; a cancellation on another
                // instance is seen at the next progress report, or at the end.
                OutputStream sink = new ProgressStream(zipped != null ? zipped : counted, plan.every(), stop::get,
                        written -> {
                            if (!advance(id, ExportJob.Status.RUNNING, job -> job.lines = written)) {
                                stop.set(true);
                                throw new Stopped();
                            }
                        }, written -> hook.lineWritten(id, written));
                lines = plan.writer().write(id, sink, stop::get, extra);
                if (zipped != null) {
                    zipped.finish();
                }
                counted.flush();
                bytes = counted.count;
                channel.force(true);
            }
            // Only a complete, synced file gets the name the download reads.
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
            hook.beforeCompletion(id);
            String digest = HexFormat.of().formatHex(sha256.digest());
            long rows = lines;
            boolean recorded = advance(id, ExportJob.Status.RUNNING, job -> {
                job.status = ExportJob.Status.COMPLETED;
                job.lines = rows;
                job.bytes = bytes;
                job.sha256 = digest;
                job.finishedAt = OffsetDateTime.now();
                job.manifest = manifest(job, plan, extra);
            });
            if (!recorded) {
                // Cancelled at the last moment, or swept as abandoned while the database was out of reach: the job
                // says so, and serves no file.
                Files.deleteIfExists(done);
            }
        } catch (Stopped | CancellationException e) {
            LOG.infof("Export job %d stopped: it was cancelled", id);
            deleteQuietly(part);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            LOG.warnf(e, "Export job %d failed", id);
            deleteQuietly(part);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            advance(id, ExportJob.Status.RUNNING, job -> {
                job.status = ExportJob.Status.FAILED;
                job.error = message.length() > 500 ? message.substring(0, 500) : message;
                job.finishedAt = OffsetDateTime.now();
            });
        }
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // the .part name is never served, so a leftover is only untidy
        }
    }

    /**
     * Cancels a queued or running job, for whoever started it or an admin. It says CANCELLED at once; its writer stops
     * at its next write here, or at its next progress report or its end on another instance, and leaves no file.
     */
    public ExportJob cancel(long id, long userId, String username, boolean admin) {
        ExportJob cancelled = QuarkusTransaction.requiringNew().call(() -> {
            ExportJob job = ExportJob.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (job == null) {
                throw ProblemException.notFound("no export job with id " + id);
            }
            if (job.userId != userId && !admin) {
                throw ProblemException.forbidden("only the researcher who started export job " + id
                        + " or an admin may cancel it");
            }
            if (!job.status.isUnfinished()) {
                throw ProblemException.conflict("export job " + id + " is " + job.status
                        + "; only a QUEUED or RUNNING job can be cancelled");
            }
            job.status = ExportJob.Status.CANCELLED;
            job.cancelledBy = userId;
            job.error = "cancelled by " + username;
            job.finishedAt = OffsetDateTime.now();
            audit.record("export.cancel", "campaign:" + job.campaignId, Map.of("jobId", id));
            return job;
        });
        AtomicBoolean stop = stops.get(id);
        if (stop != null) {
            stop.set(true);
        }
        return cancelled;
    }

    /** Writes an export of the campaign's data, and says in the manifest how to get the same lines again. */
    private long writeExport(long jobId, Campaign campaign, ExportOptions options, OutputStream sink,
            Map<String, Object> manifest) throws IOException {
        // The export as a streaming link, which gives the same lines as long as the data is unchanged.
        manifest.put("query", options.link(campaign.id));
        // The version whose scores the lines carry, if any: scores mean nothing without it.
        manifest.put("rewardModelVersion", options.shape().scoreVersion());
        PromptSplit split = options.split();
        manifest.put("split", split == null
                ? null
                : Map.of("by", "prompt", "testFraction", split.test(), "validationFraction", split.validation(),
                        "seed", split.seed()));
        if (options.fileKind().equals("hf.zip")) {
            String folder = "campaign-" + campaign.id + "-" + options.format().fileName() + "-" + jobId;
            return hf.write(campaign, options, folder, sink);
        }
        if (options.fileKind().equals("parquet")) {
            int k = campaign.responsesPerItem == null ? 0 : campaign.responsesPerItem;
            return parquet.write(campaign.id, options, k, sink);
        }
        if (options.consensus()) {
            return consensus.write(campaign.id, options, sink);
        }
        return exports.write(campaign.id, options, sink);
    }

    private static Map<String, Object> manifest(ExportJob job, Plan plan, Map<String, Object> extra) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", ExportSchema.VERSION);
        manifest.put("jobId", job.id);
        manifest.put("campaignId", plan.campaign().id);
        manifest.put("campaign", plan.campaign().name);
        manifest.put("format", plan.format());
        manifest.put("file", plan.file());
        manifest.put("lines", job.lines);
        manifest.put("bytes", job.bytes);
        manifest.put("sha256", job.sha256);
        manifest.put("options", plan.options());
        manifest.put("createdAt", job.createdAt.toString());
        manifest.put("finishedAt", job.finishedAt.toString());
        manifest.putAll(extra);
        return manifest;
    }

    public ExportJob get(long id) {
        ExportJob job = QuarkusTransaction.requiringNew().call(() -> ExportJob.<ExportJob>findById(id));
        if (job == null) {
            throw ProblemException.notFound("no export job with id " + id);
        }
        return job;
    }

    /** The campaign's latest jobs, newest first. */
    public List<ExportJob> recent(long campaignId, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> ExportJob.<ExportJob>find(
                "campaignId = ?1 order by id desc", campaignId).page(0, limit).list());
    }

    /** The finished file of a completed job. */
    public Path file(ExportJob job) {
        if (job.status != ExportJob.Status.COMPLETED) {
            throw ProblemException.conflict("export job " + job.id + " is " + job.status
                    + "; its file can be downloaded once it is COMPLETED");
        }
        Path path = file(job.id, job.file);
        if (!Files.isRegularFile(path)) {
            throw ProblemException.notFound("the file of export job " + job.id + " is no longer on this server");
        }
        return path;
    }

    private Path file(long id, String kind) {
        return directory().resolve("export-" + id + "." + kind);
    }

    private Path directory() {
        return Path.of(config.dataDir(), "exports");
    }

    /**
     * Jobs whose instance died (a crash, a kill, a restart, a database restart that cut its connections) can never
     * finish: say so instead of showing them as queued or running forever. Looks at startup and then every
     * {@code ranklab.export.sweep-every} (half a minute), on every instance; a job is abandoned when the instance recorded as its runner no longer holds its
     * liveness lock, which PostgreSQL drops the moment that instance's connection closes.
     */
    void onStart(@Observes StartupEvent event) {
        sweep();
        removeLeftoverParts();
    }

    @Scheduled(every = "${ranklab.export.sweep-every:30s}", delayed = "${ranklab.export.sweep-every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int failed = failAbandoned();
        if (failed > 0) {
            LOG.infof("%d export job(s) whose instance stopped marked FAILED", failed);
        }
    }

    int failAbandoned() {
        // Renews this instance's own lock first, so a sweep after a database restart cannot fail its own jobs.
        liveness.key();
        return QuarkusTransaction.requiringNew().call(() -> ExportJob.getEntityManager().createNativeQuery(
                "UPDATE export_jobs SET status = 'FAILED', finished_at = now(), error = ?1"
                        + " WHERE status IN ('QUEUED', 'RUNNING') AND NOT " + InstanceLiveness.alive("runner"))
                .setParameter(1, "interrupted: the instance running it stopped; start the export again")
                .executeUpdate());
    }

    /** A {@code .part} file whose job is not running any more is never finished or served: reclaim its space. */
    private void removeLeftoverParts() {
        Path dir = directory();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var parts = Files.newDirectoryStream(dir, "export-*.part")) {
            for (Path part : parts) {
                String name = part.getFileName().toString();
                long id = Long.parseLong(name.substring("export-".length(), name.length() - ".part".length()));
                ExportJob job = QuarkusTransaction.requiringNew().call(() -> ExportJob.<ExportJob>findById(id));
                if (job == null || !job.status.isUnfinished()) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not tidy unfinished export files", e);
        }
    }

    /** Applies a change if the job is still where this run left it; false when a sweep failed it meanwhile. */
    private boolean advance(long id, ExportJob.Status expected, Consumer<ExportJob> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ExportJob job = ExportJob.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (job == null || job.status != expected) {
                return false;
            }
            change.accept(job);
            return true;
        });
    }

    /** Thrown into a job's writer when the job was cancelled, to end it without calling it a failure. */
    static final class Stopped extends RuntimeException {

        Stopped() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * Counts lines on their way to the file and reports every {@code every} of them; refuses to write once its job is
     * told to stop.
     */
    static final class ProgressStream extends FilterOutputStream {

        static final long EVERY = 50_000;
        private final long every;
        private final BooleanSupplier stopped;
        private final LongConsumer report;
        private final LongConsumer eachLine;
        private long lines;

        ProgressStream(OutputStream out, long every, BooleanSupplier stopped, LongConsumer report) {
            this(out, every, stopped, report, written -> {
            });
        }

        /** @param eachLine told of every line once it is written */
        ProgressStream(OutputStream out, long every, BooleanSupplier stopped, LongConsumer report,
                LongConsumer eachLine) {
            super(out);
            this.every = every;
            this.stopped = stopped;
            this.report = report;
            this.eachLine = eachLine;
        }

        @Override
        public void write(int b) throws IOException {
            checkStop();
            out.write(b);
            if (b == '\n') {
                counted();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkStop();
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    counted();
                }
            }
        }

        private void counted() {
            lines++;
            if (lines % every == 0) {
                report.accept(lines);
            }
            eachLine.accept(lines);
        }

        private void checkStop() {
            if (stopped.getAsBoolean()) {
                throw new Stopped();
            }
        }
    }

    /** Counts the bytes that reach the file. */
    private static final class CountingStream extends FilterOutputStream {

        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
