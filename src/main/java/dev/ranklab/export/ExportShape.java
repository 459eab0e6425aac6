package dev.ranklab.export;

import java.util.Locale;

import dev.ranklab.web.ProblemException;

/**
 * How pairs are written: the margin as tier distance (default) or as the difference of the two ratings, and TRL's
 * conversational format (default) or its standard one with plain strings, for single-turn prompts.
 */
public record ExportShape(boolean ratingMargin, boolean trlStandard) {

    public static final ExportShape DEFAULT = new ExportShape(false, false);

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
        return new ExportShape(ratings, standard);
    }
}
