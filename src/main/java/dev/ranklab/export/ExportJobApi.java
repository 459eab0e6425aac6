package dev.ranklab.export;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.Problem;
import dev.ranklab.web.ProblemException;

/** A background export: watch it, download its file and manifest when complete. */
@Path("/api/v1/exports")
@Tag(name = "Exports")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class ExportJobApi {

    /** A job as the API shows it. */
    @Schema(name = "ExportJobView")
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

    @Inject
    ExportLinks links;

    @Inject
    AuditLog audit;

    @Inject
    ObjectMapper json;

    @Context
    UriInfo uri;

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
    @Operation(summary = "The finished file; 409 until the job is COMPLETED, so a partial file is never served", description = "A single Range: bytes=… is answered with 206 Partial Content, a range past the end "
            + "with 416.")
    @APIResponse(responseCode = "200", description = "The file, as the job's file option chose", content = {
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/gzip", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/vnd.apache.parquet", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "206", description = "The requested byte range (Content-Range)", content = {
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/gzip", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/vnd.apache.parquet", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "416", description = "The range lies past the end of the file (Content-Range: bytes */size)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response file(@PathParam("jobId") long jobId, @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange) {
        ExportJob job = visible(jobs.get(jobId));
        return JobFileResponse.of(job, jobs.file(job), range, ifRange);
    }

    /** A signed link as the API answers it. */
    @Schema(name = "ExportLinkView")
    public record LinkView(String url, OffsetDateTime expiresAt) {
    }

    /** What a signed link asks for: only its lifetime, and that optional. */
    @Schema(name = "ExportLinkRequest")
    public record LinkRequest(@Schema(minimum = "60", maximum = "86400", description = "How long the link works, in "
            + "seconds (default 3600)") Integer expiresInSeconds) {
    }

    @POST
    @Path("/{jobId}/link")
    @Operation(summary = "A short-lived signed link to the finished file that needs no Authorization header (for "
            + "polars, wget, a notebook); optional body {\"expiresInSeconds\": 60-86400}, default 3600", description = "The link serves that one file, with Range support, until it expires (410 after, 403 when "
                    + "altered). Making it is recorded in the audit log.")
    // The body is optional: a plain POST without one (and without a Content-Type, as curl -X POST sends it) asks for
    // the default lifetime, so the body is read here rather than by a reader chosen by its Content-Type.
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LinkRequest.class)))
    public LinkView link(@PathParam("jobId") long jobId, String text) {
        LinkRequest body = read(text);
        ExportJob job = visible(jobs.get(jobId));
        jobs.file(job);
        Duration lifetime = lifetime(body);
        ExportLinks.Link link = links.create(job, lifetime, uri.getBaseUri());
        audit.record("export.link", "campaign:" + job.campaignId, Map.of("jobId", job.id, "expiresAt",
                link.expiresAt().toString()));
        return new LinkView(link.url(), link.expiresAt().atOffset(ZoneOffset.UTC));
    }

    private LinkRequest read(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readValue(text, LinkRequest.class);
        } catch (JsonProcessingException e) {
            // Answered as any other unreadable JSON body: 400 naming the field.
            throw new BadRequestException(e);
        }
    }

    private static Duration lifetime(LinkRequest body) {
        if (body == null || body.expiresInSeconds() == null) {
            return ExportLinks.DEFAULT_LIFETIME;
        }
        long seconds = body.expiresInSeconds();
        long max = ExportLinks.MAX_LIFETIME.toSeconds();
        if (seconds < 60 || seconds > max) {
            throw ProblemException.badRequest("expiresInSeconds must be a whole number from 60 to " + max);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Exports with usernames are for admins only, like the streaming export that makes them. */
    private ExportJob visible(ExportJob job) {
        if (Boolean.TRUE.equals(job.options.get("realNames")) && !currentUser.isAdmin()) {
            throw ProblemException.forbidden("this export contains usernames; only admins may read it");
        }
        return job;
    }
}
