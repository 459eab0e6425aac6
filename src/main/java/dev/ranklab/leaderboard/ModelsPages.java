package dev.ranklab.leaderboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.users.Role;

/** A campaign's Models page: the leaderboard and the pairwise win-rate matrix. */
@Path("/campaigns/{id}/models")
@RolesAllowed(Role.RESEARCHER_NAME)
@Produces(MediaType.TEXT_HTML)
public class ModelsPages {

    /** A leaderboard line as the page prints it. */
    public record Line(int rank, String model, long comparisons, long wins, long losses, long ties, String winRate,
            long rating, long low, long high) {
    }

    /** One cell of the matrix: its text and a shade class from 0 (always lost) to 10 (always won). */
    public record Cell(String text, String shade) {
    }

    /** A row of the matrix. */
    public record MatrixRow(String model, List<Cell> cells) {
    }

    @CheckedTemplate(basePath = "leaderboard")
    static class Templates {

        static native TemplateInstance models(Campaign campaign, ModelBoard board, List<Line> lines,
                List<MatrixRow> matrix);
    }

    @Inject
    CampaignService campaigns;

    @Inject
    LeaderboardService leaderboard;

    @GET
    public TemplateInstance show(@PathParam("id") long id) {
        Campaign campaign = campaigns.get(id);
        ModelBoard board = leaderboard.board(id);
        List<Line> lines = board.models().stream().map(s -> new Line(s.rank(), s.model(), s.comparisons(),
                s.wins(), s.losses(), s.ties(), percent(s.winRate()), Math.round(s.rating()),
                Math.round(s.ratingLow()), Math.round(s.ratingHigh()))).toList();
        List<MatrixRow> matrix = new ArrayList<>();
        for (int i = 0; i < board.matrixModels().size(); i++) {
            List<Cell> cells = new ArrayList<>();
            for (Double rate : board.winRates().get(i)) {
                cells.add(rate == null
                        ? new Cell("–", "none")
                        : new Cell(percent(rate), Long.toString(Math.round(rate * 10))));
            }
            matrix.add(new MatrixRow(board.matrixModels().get(i), cells));
        }
        return Templates.models(campaign, board, lines, matrix);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.0f%%", value * 100);
    }
}
