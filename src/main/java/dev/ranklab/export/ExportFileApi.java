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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
    public Response file(@PathParam("jobId") long jobId, @PathParam("expires") long expires,
            @PathParam("signature") String signature, @PathParam("name") String name,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        links.check(jobId, expires, signature, Instant.now());
        ExportJob job = jobs.get(jobId);
        if (!job.fileName().equals(name)) {
            throw ProblemException.notFound("export job " + jobId + "'s file is called " + job.fileName());
        }
        return JobFileResponse.of(job, jobs.file(job), range, ifRange);
    }
}
