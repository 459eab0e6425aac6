package dev.ranklab.campaigns;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.ProblemException;

/** Labeling campaigns. */
@Path("/api/v1/campaigns")
@Tag(name = "Campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignApi {

    @Inject
    CampaignService campaigns;

    @Inject
    CurrentUser currentUser;

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a campaign (status DRAFT)")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CampaignView.class)))
    public Response create(CampaignInput body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        Campaign campaign = campaigns.create(body, currentUser.getId());
        return Response.status(201).entity(campaigns.view(campaign)).build();
    }

    @GET
    @RolesAllowed({Role.ANNOTATOR_NAME, Role.RESEARCHER_NAME})
    @Operation(summary = "List campaigns; annotators see only ACTIVE ones")
    public List<CampaignView> list() {
        return campaigns.list(seesAll(), currentUser.requireId()).stream().map(this::view).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.ANNOTATOR_NAME, Role.RESEARCHER_NAME})
    @Operation(summary = "One campaign")
    public CampaignView get(@PathParam("id") long id) {
        return view(campaigns.getVisible(id, seesAll(), currentUser.requireId()));
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change settings or status (DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED)")
    public CampaignView update(@PathParam("id") long id, CampaignInput body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        return campaigns.view(campaigns.update(id, body));
    }

    /** Annotators are not told who else a campaign is assigned to. */
    private CampaignView view(Campaign campaign) {
        CampaignView view = campaigns.view(campaign);
        return seesAll() ? view : view.withoutAssignments();
    }

    private boolean seesAll() {
        return currentUser.isResearcher() || currentUser.isAdmin();
    }
}
