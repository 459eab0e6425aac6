package dev.ranklab.rewardmodel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.users.Role;

/** A campaign's responses scored by a reward-model version, and the model's agreement with the annotators. */
@Path("/api/v1/campaigns/{id}/scores")
@Tag(name = "Reward model")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class CampaignScoresApi {

    /** Body of the scoring request: the version to score with (absent: the serving one). */
    public record ScoreCampaignRequest(Integer version) {
    }

    @Inject
    CampaignScoring scoring;

    @Inject
    ScoringService models;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Score every response of the campaign in the background; 202 with the progress so far")
    @APIResponse(responseCode = "202", description = "Scoring started; the progress so far", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CampaignScoring.Summary.class)))
    public Response start(@PathParam("id") long campaignId, ScoreCampaignRequest request) {
        Integer version = request == null ? null : request.version();
        return Response.accepted(scoring.start(campaignId, version)).build();
    }

    @GET
    @Operation(summary = "How many items are scored by a version (default: the serving one), and how often it "
            + "orders a pair of responses as the annotators did")
    public CampaignScoring.Summary summary(@PathParam("id") long campaignId, @QueryParam("version") Integer version) {
        RewardModelVersion model = QuarkusTransaction.requiringNew().call(() -> models.resolve(version));
        return scoring.summary(campaignId, model.version);
    }
}
