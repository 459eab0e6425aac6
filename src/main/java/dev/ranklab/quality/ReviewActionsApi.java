package dev.ranklab.quality;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.ApiPatterns;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** Reviewing one item: all its work, rejecting and restoring rankings, marking it reviewed. */
@Path("/api/v1/review")
@Tag(name = "Quality")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class ReviewActionsApi {

    /** Body of a rejection. */
    @Schema(name = "RankingRejection")
    public record Rejection(
            @Schema(required = true, pattern = ApiPatterns.NOT_BLANK, maxLength = ReviewService.MAX_REASON) String reason) {
    }

    @Inject
    ReviewService review;

    @Inject
    CurrentUser currentUser;

    @GET
    @Path("/items/{itemId}")
    @Operation(summary = "An item with every annotator's work on it (usernames: admins only)")
    public ReviewService.ItemReview item(@PathParam("itemId") long itemId) {
        return review.item(itemId);
    }

    @POST
    @Path("/items/{itemId}/reviewed")
    @Operation(summary = "Mark the item reviewed: it leaves the queue")
    @APIResponse(responseCode = "204", description = "Marked reviewed")
    public Response reviewed(@PathParam("itemId") long itemId) {
        review.markReviewed(itemId);
        return Response.noContent().build();
    }

    @POST
    @Path("/rankings/{rankingId}/rejection")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a ranking with a reason: it leaves exports, agreement and training")
    @APIResponse(responseCode = "204", description = "Rejected")
    public Response reject(@PathParam("rankingId") long rankingId, Rejection body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {\"reason\": \"...\"} is required");
        }
        review.reject(rankingId, body.reason(), currentUser.requireId());
        return Response.noContent().build();
    }

    @DELETE
    @Path("/rankings/{rankingId}/rejection")
    @Operation(summary = "Restore a rejected ranking")
    @APIResponse(responseCode = "204", description = "Restored")
    public Response restore(@PathParam("rankingId") long rankingId) {
        review.restore(rankingId);
        return Response.noContent().build();
    }
}
