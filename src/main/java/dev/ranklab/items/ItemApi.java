package dev.ranklab.items;

import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import io.smallrye.common.annotation.Blocking;

import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** A campaign's items: import and read. */
@Path("/api/v1/campaigns/{id}")
@Tag(name = "Items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemApi {

    public static final String NDJSON = "application/x-ndjson";

    /** An item as researchers see it, with the model names annotators never see. */
    @Schema(name = "Item")
    public record ItemView(long id, String externalId, List<ChatMessage> prompt, List<ItemResponse> responses,
            Map<String, Object> metadata, List<List<String>> goldRanking, OffsetDateTime createdAt) {

        static ItemView of(Item item) {
            return new ItemView(item.id, item.externalId, item.prompt, item.responses, item.metadata,
                    item.goldRanking, item.createdAt);
        }
    }

    @Inject
    ImportService importer;

    @Inject
    ItemService items;

    @Inject
    CampaignService campaigns;

    @Inject
    CurrentUser currentUser;

    @POST
    @Path("/items")
    @Blocking
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes({NDJSON, "application/jsonl", MediaType.TEXT_PLAIN})
    @Operation(summary = "Import items from NDJSON, one JSON object a line", description = "Valid lines are stored; rejected lines are reported with their number and reason; "
            + "an externalId already in the campaign counts as a duplicate.")
    public ImportReport importItems(@PathParam("id") long id, InputStream body) {
        return importer.importItems(id, body, ItemImport.Source.API, null, currentUser.getId());
    }

    @GET
    @Path("/items")
    @RolesAllowed(Role.RESEARCHER_NAME)
    @Operation(summary = "A page of items in import order, after the given item id", description = "q searches "
            + "external ids, prompts and responses (case-insensitive); status is OPEN, IN_PROGRESS, COMPLETE, GOLD, "
            + "WAITING, GENERATION_FAILED or ALL.")
    public List<ItemView> list(@PathParam("id") long id, @QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = ""
                    + ItemService.MAX_PAGE)) int limit,
            @QueryParam("q") String query,
            @QueryParam("status") @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"OPEN",
                    "IN_PROGRESS", "COMPLETE", "GOLD",
                    "WAITING", "GENERATION_FAILED", "ALL"})) String status) {
        if (limit < 1 || limit > ItemService.MAX_PAGE) {
            throw ProblemException.badRequest("limit must be between 1 and " + ItemService.MAX_PAGE);
        }
        campaigns.get(id);
        if ((query == null || query.isBlank()) && (status == null || status.isBlank())) {
            return items.page(id, after, limit).stream().map(ItemView::of).toList();
        }
        List<Long> ids = items.search(id, query, status, after, limit).stream().map(ItemService.ItemRow::id).toList();
        return items.byIds(ids).stream().map(ItemView::of).toList();
    }

    @GET
    @Path("/imports")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "The campaign's most recent imports with their reports")
    public List<ImportReport> imports(@PathParam("id") long id) {
        campaigns.get(id);
        return items.recentImports(id, 50).stream().map(ImportReport::of).toList();
    }
}
