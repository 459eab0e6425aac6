package dev.ranklab.quality;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;

/** A campaign's review queue. */
@Path("/api/v1/campaigns/{id}/review")
@Tag(name = "Quality")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class ReviewApi {

    @Inject
    ReviewService review;

    @GET
    @Operation(summary = "Disputed items: agreement below the threshold, marked unrankable, or with rejected work; "
            + "least agreement first")
    public List<ReviewService.DisputedItem> queue(@PathParam("id") long campaignId,
            @QueryParam("threshold") @DefaultValue("0.5") @Parameter(schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1")) double threshold,
            @QueryParam("includeReviewed") @DefaultValue("false") boolean includeReviewed) {
        return review.queue(campaignId, threshold, includeReviewed);
    }
}
