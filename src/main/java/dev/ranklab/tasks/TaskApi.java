package dev.ranklab.tasks;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.ApiPatterns;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** A leased task: submit it, or lease it again after a lapse; a submitted one: revise it. */
@Path("/api/v1/tasks")
@Tag(name = "Tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ANNOTATOR_NAME)
public class TaskApi {

    @Inject
    QueueService queue;

    @Inject
    SubmissionService submissions;

    @Inject
    RevisionService revisions;

    @Inject
    CurrentUser currentUser;

    @POST
    @Path("/{taskId}/submission")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a leased task; with an Idempotency-Key, a retry returns the first answer")
    @APIResponse(responseCode = "201", description = "Stored (or, for a repeated Idempotency-Key, the first answer)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SubmissionResult.class)))
    public Response submit(@PathParam("taskId") long taskId,
            @HeaderParam("Idempotency-Key") @Parameter(schema = @Schema(type = SchemaType.STRING, maxLength = SubmissionService.MAX_KEY, pattern = ApiPatterns.NOT_BLANK)) String idempotencyKey,
            SubmissionBody body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        SubmissionResult result = submissions.submit(taskId, currentUser.requireId(), idempotencyKey, body);
        return Response.status(201).entity(result).build();
    }

    @PUT
    @Path("/{taskId}/submission")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revise submitted work: a new version of the task's ranking or demonstration, the old one kept", description = "The same body as a submission (outcome SUBMITTED or left out). Open while the campaign is "
            + "ACTIVE and the work is neither rejected nor its item reviewed; otherwise 409 says why. A retry "
            + "with the same Idempotency-Key returns the first answer and stores nothing; two revisions sent "
            + "at once are stored one after the other.")
    @APIResponse(responseCode = "200", description = "Stored as the latest revision (or, for a repeated Idempotency-Key, the first answer)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RevisionResult.class)))
    public RevisionResult revise(@PathParam("taskId") long taskId,
            @Parameter(required = true, description = "1 to 200 characters, new for each revision", schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = SubmissionService.MAX_KEY, pattern = ApiPatterns.NOT_BLANK)) @HeaderParam("Idempotency-Key") String idempotencyKey,
            SubmissionBody body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        return revisions.revise(taskId, currentUser.requireId(), idempotencyKey, body);
    }

    @POST
    @Path("/{taskId}/lease")
    @Operation(summary = "Extend a live lease, or lease an expired task again if its item still needs work")
    public TaskView renew(@PathParam("taskId") long taskId) {
        return queue.renew(taskId, currentUser.requireId());
    }
}
