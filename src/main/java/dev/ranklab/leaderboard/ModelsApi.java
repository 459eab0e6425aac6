package dev.ranklab.leaderboard;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ranklab.users.Role;

/** Which model the annotators prefer: the campaign's model leaderboard. */
@Path("/api/v1/campaigns/{id}/models")
@Tag(name = "Model leaderboard")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public class ModelsApi {

    @Inject
    LeaderboardService leaderboard;

    @GET
    @Operation(summary = "Per model (from the responses' model): comparisons, wins, losses, ties, win rate and a "
            + "Bradley-Terry rating (1000 = the models' geometric mean, +400 = 10x the odds) with a 95% bootstrap "
            + "interval over rankings; and the pairwise win-rate matrix, ties counted as half")
    public ModelBoard get(@PathParam("id") long id) {
        return leaderboard.board(id);
    }
}
