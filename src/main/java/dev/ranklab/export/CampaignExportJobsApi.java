package dev.ranklab.export;

import java.util.List;
import java.util.Map;

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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;

/** A campaign's background exports: start one, list them. */
@Path("/api/v1/campaigns/{id}/exports")
@Tag(name = "Exports")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class CampaignExportJobsApi {

    @Inject
    ExportJobService jobs;

    @Inject
    CampaignService campaigns;

    @Inject
    CurrentUser currentUser;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a background export; the body is a JSON object of the streaming export's options, "
            + "e.g. {\"format\": \"trl\", \"file\": \"parquet\", \"split\": \"prompt\"}")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportJobApi.JobView.class)))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExportJobRequest.class), examples = @ExampleObject(name = "trl-parquet", value = "{\"format\": \"trl\", \"file\": \"parquet\", \"split\": \"prompt\"}")))
    public Response start(@PathParam("id") long campaignId, Map<String, Object> body) {
        ExportJob job = jobs.start(campaignId, currentUser.requireId(), currentUser.isAdmin(), body);
        return Response.accepted(ExportJobApi.JobView.of(job)).build();
    }

    @GET
    @Operation(summary = "A campaign's recent background exports")
    public List<ExportJobApi.JobView> list(@PathParam("id") long campaignId) {
        campaigns.get(campaignId);
        return jobs.recent(campaignId, 50).stream().map(ExportJobApi.JobView::of).toList();
    }
}
