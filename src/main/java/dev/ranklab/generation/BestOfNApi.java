package dev.ranklab.generation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemLineParser;
import dev.ranklab.users.Role;
import dev.ranklab.web.ProblemException;

/** Best-of-N through the serving reward model. */
@Path("/api/v1/reward-models/current/best-of-n")
@Tag(name = "Reward model")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class BestOfNApi {

    /** The request: a prompt as in an import line (a string or {role, content} messages). */
    @Schema(name = "BestOfNRequest")
    public record Request(@Schema(required = true) Long endpointId,
            @Schema(description = "A string (one user message) or chat messages", oneOf = {
                    String.class,
                    ChatMessage[].class}, required = true) JsonNode prompt,
            @Schema(required = true, minimum = "1", maximum = "" + BestOfN.MAX_N) Integer n,
            @Schema(minimum = "0", maximum = "2") Double temperature,
            @Schema(minimum = "1", maximum = "1000000") Integer maxTokens){
    }

    @Inject
    BestOfN bestOfN;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sample n (1-32) responses to the prompt from a model endpoint and score them with the "
            + "serving reward model: {endpointId, prompt, n, temperature?, maxTokens?} -> {version, samples: "
            + "[{text, score, finishReason}]}, best first")
    public BestOfN.Result sample(Request body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body {endpointId, prompt, n, temperature?} is required");
        }
        return bestOfN.sample(body.endpointId(), ItemLineParser.promptOf(body.prompt()), body.n(),
                body.temperature(), body.maxTokens());
    }
}
