package dev.ranklab.export;

import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** A background export: watch it, download its file and manifest when complete. */
@Path("/api/v1/exports")
@Tag(name = "Exports")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class ExportJobApi {

    /** A job as the API shows it. */
    public record JobView(long jobId, long campaignId, String format, String file, String status, long lines,
            Long bytes, String sha256, Map<String, Object> manifest, String error, OffsetDateTime createdAt,
            OffsetDateTime finishedAt) {

        public static JobView of(ExportJob job) {
            return new JobView(job.id, job.campaignId, job.format, job.file, job.status.name(), job.lines, job.bytes,
                    job.sha256, job.manifest, job.error, job.createdAt, job.finishedAt);
        }
    }

    @Inject
    ExportJobService jobs;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/{jobId}")
    @Operation(summary = "A background export's status, progress and manifest")
    public JobView get(@PathParam("jobId") long jobId) {
        return JobView.of(visible(jobs.get(jobId)));
    }

    @POST
    @Path("/{jobId}/cancel")
    @Operation(summary = "Cancel a QUEUED or RUNNING export (its starter or an admin); it leaves no file; 409 once it "
            + "has finished")
    public JobView cancel(@PathParam("jobId") long jobId) {
        visible(jobs.get(jobId));
        return JobView.of(jobs.cancel(jobId, currentUser.requireId(), currentUser.getUsername(),
                currentUser.isAdmin()));
    }

    @GET
    @Path("/{jobId}/file")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "The finished file; 409 until the job is COMPLETED, so a partial file is never served")
    public Response file(@PathParam("jobId") long jobId) {
        ExportJob job = visible(jobs.get(jobId));
        java.nio.file.Path file = jobs.file(job);
        String type = switch (job.file) {
            case "parquet" -> "application/vnd.apache.parquet";
            case "jsonl.gz" -> "application/gzip";
            default -> "application/x-ndjson";
        };
        return Response.ok(file.toFile(), type)
                .header("Content-Disposition", "attachment; filename=\"campaign-" + job.campaignId + "-" + job.format
                        + "-" + job.id + "." + job.file + "\"")
                .header("X-Checksum-SHA256", job.sha256)
                .build();
    }

    /** Exports with usernames are for admins only, like the streaming export that makes them. */
    private ExportJob visible(ExportJob job) {
        if (Boolean.TRUE.equals(job.options.get("realNames")) && !currentUser.isAdmin()) {
            throw ProblemException.forbidden("this export contains usernames; only admins may read it");
        }
        return job;
    }
}
