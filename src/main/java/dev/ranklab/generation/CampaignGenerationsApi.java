package dev.ranklab.generation;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

/** Generation jobs of a campaign: sample the K responses of items imported without them from model endpoints. */
@Path("/api/v1/campaigns/{id}/generations")
@Tag(name = "Generation")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class CampaignGenerationsApi {

    @Inject
    GenerationService generations;

    @Inject
    CurrentUser currentUser;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start generating responses for the campaign's items that wait for them: {sources: "
            + "[{endpointId, samples}] (the samples add up to K), temperature?, maxTokens?, seed?}; answers 202 "
            + "with the job")
    @APIResponse(responseCode = "202", description = "Started", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GenerationJobView.class)))
    public Response start(@PathParam("id") long id, GenerationRequest body) {
        return Response.accepted(generations.start(id, body, currentUser.getId())).build();
    }

    @GET
    @Operation(summary = "The campaign's latest generation jobs, newest first")
    public List<GenerationJobView> list(@PathParam("id") long id) {
        return generations.ofCampaign(id, 20);
    }

}
