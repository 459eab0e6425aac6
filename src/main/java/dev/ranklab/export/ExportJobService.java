package dev.ranklab.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.context.ManagedExecutor;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.database.InstanceLiveness;
import dev.ranklab.export.ExportJobRunner.Plan;
import dev.ranklab.web.ProblemException;

/**
 * Runs exports in the background for datasets too large to wait for: checks a request, records the job and hands it
 * to {@link ExportJobRunner}; cancels, finds and lists jobs. Their files are kept by {@link ExportJobFiles}, and jobs
 * whose instance died are failed by {@link AbandonedExportJobs}.
 */
@ApplicationScoped
public class ExportJobService {

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
    AuditLog audit;

    @Inject
    InstanceLiveness liveness;

    @Inject
    ExportJobRunner runner;

    @Inject
    ExportJobFiles files;

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
        int instance = liveness.key();
        ExportJob job = QuarkusTransaction.requiringNew().call(() -> {
            ExportJob created = new ExportJob();
            created.campaignId = campaignId;
            created.userId = userId;
            created.format = plan.format();
            created.file = plan.file();
            created.options = plan.options();
            created.status = ExportJob.Status.QUEUED;
            created.runner = instance;
            created.createdAt = OffsetDateTime.now();
            created.persist();
            audit.record("export.start", "campaign:" + campaignId, Map.of("jobId", created.id, "format",
                    created.format, "file", created.file));
            return created;
        });
        long id = job.id;
        executor.runAsync(() -> runner.run(id, plan));
        return job;
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
        runner.stop(id);
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
        return files.finished(job);
    }
}
