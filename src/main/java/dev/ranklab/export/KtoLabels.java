package dev.ranklab.export;

import java.util.Locale;

import dev.ranklab.rankings.RankingService;
import dev.ranklab.web.ProblemException;

/**
 * How the KTO export labels a ranked response desirable: by its rating (at least the threshold, 5 by default), or
 * by its tier (the top tier desirable, the bottom tier undesirable, tiers between and rankings of one tier left out).
 */
public record KtoLabels(boolean fromTiers, int threshold) {

    static final int DEFAULT_THRESHOLD = 5;

    static KtoLabels parse(String label, String threshold, ExportFormat format) {
        if (format != ExportFormat.KTO) {
            return null;
        }
        boolean tiers = switch (label == null ? "ratings" : label.toLowerCase(Locale.ROOT)) {
            case "ratings" -> false;
            case "tiers" -> true;
            default -> throw ProblemException.badRequest("ktoLabel must be ratings or tiers");
        };
        if (tiers && threshold != null) {
            throw ProblemException.badRequest("ktoThreshold applies with ktoLabel=ratings; leave it out");
        }
        int value = DEFAULT_THRESHOLD;
        if (threshold != null) {
            try {
                value = Integer.parseInt(threshold);
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < RankingService.MIN_RATING || value > RankingService.MAX_RATING) {
                throw ProblemException.badRequest("ktoThreshold must be a rating from " + RankingService.MIN_RATING
                        + " to " + RankingService.MAX_RATING);
            }
        }
        return new KtoLabels(tiers, value);
    }
}
