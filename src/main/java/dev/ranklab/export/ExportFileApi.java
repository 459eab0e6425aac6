package dev.ranklab.export;

import java.time.Instant;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.web.Problem;
import dev.ranklab.web.ProblemException;

/**
 * Export files fetched through a signed link ({@code POST /api/v1/exports/{jobId}/link}): no header needed, the
 * link itself is the permission, for that one file and until it expires.
 */
@Path(ExportLinks.PATH)
@Tag(name = "Exports")
@PermitAll
public class ExportFileApi {

    @Inject
    ExportLinks links;

    @Inject
    ExportJobService jobs;

    @GET
    @Path("/{jobId}/{expires}/{signature}/{name}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "A finished export file through a signed link, without Authorization", description = "403 when the link was altered, 410 once it expired; Range is answered as on "
            + "GET /api/v1/exports/{jobId}/file.")
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
    @APIResponse(responseCode = "403", description = "The link was altered: its signature does not match", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "The link expired; ask for a new one (POST /api/v1/exports/{jobId}/link)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "416", description = "The range lies past the end of the file (Content-Range: bytes */size)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response file(@PathParam("jobId") long jobId, @PathParam("expires") long expires,
            @PathParam("signature") String signature, @PathParam("name") String name,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        links.check(jobId, expires, signature, Instant.now());
        ExportJob job = jobs.get(jobId);
        if (!job.fileName().equals(name)) {
            // Part of the link as much as its signature: a changed name is an altered link.
            throw ProblemException.forbidden("this download link is not valid (its file name was changed); use the "
                    + "link as it was given, or ask for a new one");
        }
        return JobFileResponse.of(job, jobs.file(job), range, ifRange);
    }
}
