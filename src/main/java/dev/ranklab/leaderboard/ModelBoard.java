package dev.ranklab.leaderboard;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Which model the annotators prefer in one campaign: each model's record and Bradley–Terry rating with its 95%
 * bootstrap interval, best first, and the pairwise win rates ({@code winRates[i][j]}: how often the i-th model
 * beat the j-th, ties as half; null where they never met).
 */
public record ModelBoard(long campaignId, int rankings, long comparisons, int bootstrapSamples, long bootstrapSeed,
        List<Standing> models, List<String> matrixModels, List<List<Double>> winRates) {

    /** One model's line of the leaderboard. */
    @Schema(name = "ModelStanding")
    public record Standing(int rank, String model, long comparisons, long wins, long losses, long ties,
            double winRate, double rating, double ratingLow, double ratingHigh) {
    }
}
