package dev.ranklab.rewardmodel;

import java.util.ArrayList;
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

import com.fasterxml.jackson.databind.JsonNode;

import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemLineParser;
import dev.ranklab.rewardmodel.RewardModelVersion.Trigger;
import dev.ranklab.users.Role;
import dev.ranklab.web.CurrentUser;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** The reward model's versions, its training, and scoring with it. */
@Path("/api/v1/reward-models")
@Tag(name = "Reward model")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class RewardModelApi {

    static final int MAX_RESPONSES = 100;
    static final int MAX_RESPONSE_CHARS = 200_000;

    /** Body of the scoring calls: a prompt (a string or chat messages) and the responses to score. */
    public record ScoreRequest(
            @Schema(description = "A string (one user message) or chat messages", oneOf = {
                    String.class,
                    ChatMessage[].class}, required = true) JsonNode prompt,
            @Schema(required = true, minItems = 1, maxItems = MAX_RESPONSES) List<String> responses){
    }

    public record ScoreResponse(int version, float[] scores) {
    }

    @Inject
    RewardModelService models;

    @Inject
    ScoringService scoring;

    @Inject
    CurrentUser currentUser;

    @GET
    @Operation(summary = "Every version, newest first, with its status, metrics and whether it serves")
    public List<RewardModelView> list() {
        return models.list().stream().map(RewardModelView::of).toList();
    }

    @GET
    // Digits only, so that /reward-models/train (POST only) is not also this route (a GET there is 405).
    @Path("/{version: [0-9]+}")
    @Operation(summary = "One version, with its progress while it trains")
    public RewardModelView get(@PathParam("version") String version) {
        return RewardModelView.of(models.get(versionNumber(version)));
    }

    @POST
    @Path("/train")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a (re)training; 202 with the queued version as jobId")
    @APIResponse(responseCode = "202", description = "Queued: jobId is the version that will train", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RewardModelView.Queued.class)))
    public Response train(TrainRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required: {} trains on every ranking campaign, "
                    + "{\"campaignId\": 7} on one");
        }
        RewardModelVersion version = models.requestTraining(request, Trigger.ADMIN, currentUser.getId());
        return Response.accepted(new RewardModelView.Queued(version.version, version.version, version.status))
                .build();
    }

    @POST
    @Path("/{version}/promote")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Make a READY version serve (promoting an older one rolls back)")
    public RewardModelView promote(@PathParam("version") String version) {
        int number = versionNumber(version);
        return RewardModelView.of(models.promote(number,
                "promoted by " + currentUser.getUsername()));
    }

    @POST
    @Path("/current/score")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Score responses to a prompt with the serving version")
    public ScoreResponse scoreWithCurrent(ScoreRequest request) {
        return score(null, request);
    }

    @POST
    @Path("/{version}/score")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Score responses to a prompt with a given version")
    public ScoreResponse scoreWithVersion(@PathParam("version") String version, ScoreRequest request) {
        return score(versionNumber(version), request);
    }

    private ScoreResponse score(Integer version, ScoreRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body is required: {\"prompt\": \"...\", \"responses\": [...]}");
        }
        List<ChatMessage> prompt = ItemLineParser.promptOf(request.prompt());
        List<String> responses = checkedResponses(request.responses());
        ScoringService.Scores scores = scoring.score(scoring.resolve(version), prompt, responses);
        return new ScoreResponse(scores.version(), scores.scores());
    }

    static List<String> checkedResponses(List<String> responses) {
        if (responses == null || responses.isEmpty()) {
            throw InvalidInputException.of("responses", "required: a list of 1 to " + MAX_RESPONSES + " strings");
        }
        if (responses.size() > MAX_RESPONSES) {
            throw InvalidInputException.of("responses", "at most " + MAX_RESPONSES + " responses per call");
        }
        List<String> checked = new ArrayList<>(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            String text = responses.get(i);
            if (text == null) {
                throw InvalidInputException.of("responses[" + i + "]", "must be a string");
            }
            if (text.length() > MAX_RESPONSE_CHARS) {
                throw InvalidInputException.of("responses[" + i + "]", "at most " + MAX_RESPONSE_CHARS
                        + " characters");
            }
            checked.add(text);
        }
        return checked;
    }

    static int versionNumber(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.notFound("no reward model version '" + version + "': versions are 1, 2, 3, …");
    }
}
