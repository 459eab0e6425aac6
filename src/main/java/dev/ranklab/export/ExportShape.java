package dev.ranklab.export;

import java.util.Locale;

import dev.ranklab.web.ProblemException;

/**
 * How pairs are written: the margin as tier distance (default) or as the difference of the two ratings, and TRL's
 * conversational format (default) or its standard one with plain strings, for single-turn prompts; and which
 * reward-model version's scores ride along on rankings and pairs lines, if any.
 */
public record ExportShape(boolean ratingMargin, boolean trlStandard, Integer scoreVersion) {

    public static final ExportShape DEFAULT = new ExportShape(false, false, null);

    /** The same shape with the reward model's scores of this version on each line (null: none). */
    public ExportShape withScores(Integer version) {
        return new ExportShape(ratingMargin, trlStandard, version);
    }

    public static ExportShape parse(String margin, String trlFormat) {
        boolean ratings = switch (margin == null ? "tiers" : margin.strip().toLowerCase(Locale.ROOT)) {
            case "tiers", "" -> false;
            case "ratings" -> true;
            default -> throw ProblemException.badRequest("margin must be tiers or ratings");
        };
        boolean standard = switch (trlFormat == null ? "conversational" : trlFormat.strip().toLowerCase(Locale.ROOT)) {
            case "conversational", "" -> false;
            case "standard" -> true;
            default -> throw ProblemException.badRequest("trlFormat must be conversational or standard");
        };
        return new ExportShape(ratings, standard, null);
    }
}
