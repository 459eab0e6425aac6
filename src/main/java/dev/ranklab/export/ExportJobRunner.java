package dev.ranklab.export;

import java.io.BufferedOutputStream;
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
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.campaigns.Campaign;

/**
 * Runs one export job on this instance: writes its file as {@code .part}, syncs it, and renames it only when complete,
 * so a half-written export is never served; records progress, the outcome and a manifest of what the file holds; and
 * stops at once when the job is cancelled here.
 */
@ApplicationScoped
class ExportJobRunner {

    private static final Logger LOG = Logger.getLogger(ExportJobRunner.class);

    @Inject
    ExportJobFiles files;

    /** The stop switch of each job running on this instance. */
    private final Map<Long, AtomicBoolean> stops = new ConcurrentHashMap<>();

    /** Where a test holds a run at a chosen point; {@link RunHook#NONE} outside tests. */
    private volatile RunHook hook = RunHook.NONE;

    /**
     * A checked request, ready to run: the campaign it belongs to, its format and file kind ({@code jsonl},
     * {@code jsonl.gz} or {@code parquet}), its options as the job shows them, and every how many lines it reports
     * progress.
     */
    record Plan(Campaign campaign, String format, String file, Map<String, Object> options,
            long every, ExportJobService.Writer writer) {
    }

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

    /** Tells the job's writer to stop, if it runs on this instance. */
    void stop(long id) {
        AtomicBoolean stop = stops.get(id);
        if (stop != null) {
            stop.set(true);
        }
    }

    /** Runs a queued job to its end: COMPLETED with its file, FAILED, or stopped because it was cancelled. */
    void run(long id, Plan plan) {
        AtomicBoolean stop = new AtomicBoolean();
        stops.put(id, stop);
        RunHook hook = this.hook;
        try {
            if (advance(id, ExportJob.Status.QUEUED, job -> job.status = ExportJob.Status.RUNNING)) {
                write(id, plan, files.part(id), files.finished(id, plan.file()), stop, hook);
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
                ByteCountingStream counted = new ByteCountingStream(new DigestOutputStream(
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
                                throw new ExportCancelled();
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
        } catch (ExportCancelled | CancellationException e) {
            LOG.infof("Export job %d stopped: it was cancelled", id);
            ExportJobFiles.deleteQuietly(part);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            LOG.warnf(e, "Export job %d failed", id);
            ExportJobFiles.deleteQuietly(part);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            advance(id, ExportJob.Status.RUNNING, job -> {
                job.status = ExportJob.Status.FAILED;
                job.error = message.length() > 500 ? message.substring(0, 500) : message;
                job.finishedAt = OffsetDateTime.now();
            });
        }
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
}
