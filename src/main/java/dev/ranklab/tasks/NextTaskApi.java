package dev.ranklab.tasks;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;

/** The annotator's queue in a campaign, and the tasks they finished there. */
@Path("/api/v1/campaigns/{id}/tasks")
@Tag(name = "Tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ANNOTATOR_NAME)
public class NextTaskApi {

    @Inject
    QueueService queue;

    @Inject
    HistoryService history;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/next")
    @Operation(summary = "Lease the next task; the same task again while a lease is live; 204 when none is left")
    @APIResponse(responseCode = "200", description = "The leased task", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "204", description = "No task is left for this annotator")
    public Response next(@PathParam("id") long campaignId) {
        return queue.next(campaignId, currentUser.requireId(), currentUser.isResearcher())
                .map(task -> Response.ok(task).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @GET
    @Path("/mine")
    @Operation(summary = "The caller's finished tasks in the campaign, newest first, each with its latest submission", description = "Keyset-paged: pass the taskId of a page's last task as before= for the page after it. "
            + "revisable says whether PUT /api/v1/tasks/{taskId}/submission would be taken now, and "
            + "notRevisableBecause why not.")
    public List<FinishedTask> mine(@PathParam("id") long campaignId,
            @Parameter(description = "a taskId from the page before: only tasks finished before it") @QueryParam("before") Long before,
            @Parameter(description = "1 to "
                    + HistoryService.MAX_PAGE) @QueryParam("limit") @DefaultValue("20") int limit) {
        return history.finished(campaignId, currentUser.requireId(), before, limit);
    }
}
