package dev.ranklab.items;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.ProblemException;

/** Marking items as gold (with their reference ranking) and back. */
@Path("/api/v1/items/{itemId}/gold")
@Tag(name = "Quality")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class GoldApi {

    /** The reference ranking: tiers of response ids, best first. */
    public record GoldBody(@Schema(required = true, minItems = 1) List<List<String>> ranking) {
    }

    @Inject
    ItemService items;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make the item a gold item with this reference ranking", description = "Gold items are "
            + "served on the campaign's gold schedule, look like any task, and measure each annotator against the "
            + "reference; their rankings stay out of exports, training and inter-annotator agreement.")
    public ItemApi.ItemView set(@PathParam("itemId") long itemId, GoldBody body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {\"ranking\": [[\"r2\"], [\"r1\", \"r3\"]]} is required");
        }
        return ItemApi.ItemView.of(items.setGold(itemId, body.ranking()));
    }

    @DELETE
    @Operation(summary = "Make a gold item an ordinary item again")
    public ItemApi.ItemView clear(@PathParam("itemId") long itemId) {
        return ItemApi.ItemView.of(items.clearGold(itemId));
    }
}
