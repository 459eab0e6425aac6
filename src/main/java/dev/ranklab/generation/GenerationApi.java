package dev.ranklab.generation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;

/** A generation job: its progress, and cancelling it. */
@Path("/api/v1/generations")
@Tag(name = "Generation")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class GenerationApi {

    @Inject
    GenerationService generations;

    @GET
    @Path("/{jobId}")
    @Operation(summary = "A generation job: status, items, itemsDone, itemsFailed, requests, tokens, and the "
            + "failed items' errors in words")
    public GenerationJobView get(@PathParam("jobId") long jobId) {
        return generations.get(jobId);
    }

    @POST
    @Path("/{jobId}/cancel")
    @Operation(summary = "Cancel a running generation job; responses already generated are kept")
    public GenerationJobView cancel(@PathParam("jobId") long jobId) {
        return generations.cancel(jobId);
    }
}
