package dev.ranklab.export;

import java.util.Locale;
import java.util.Set;

import dev.ranklab.web.ProblemException;

/** The datasets a campaign can be exported as, one JSON object a line. */
public enum ExportFormat {

    /** One line per finished ranking task: tiers, ratings, flags, comment, or the skip and its reason. */
    RANKINGS,
    /** One line per pair of responses in different tiers of one ranking, best first: the analysis format. */
    PAIRS,
    /** The same pairs in TRL's preference format, for reward modelling and DPO. */
    TRL,
    /** One line per ranked response with a desirable/undesirable label, TRL's unpaired preference format. */
    KTO,
    /** One line per demonstration, as chat messages ending with the assistant's answer. */
    SFT;

    /** The formats made from rankings. */
    static final Set<ExportFormat> RANKED = Set.of(RANKINGS, PAIRS, TRL, KTO);

    public static ExportFormat parse(String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("format is required: rankings, pairs, trl, kto or sft");
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("format must be rankings, pairs, trl, kto or sft");
        }
    }

    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
