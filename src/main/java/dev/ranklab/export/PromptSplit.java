package dev.ranklab.export;

import java.util.Locale;

import dev.ranklab.web.ProblemException;

/**
 * A train/validation/test split by prompt: each distinct prompt (its whole conversation) goes to one split, chosen
 * by a hash of the seed and the prompt, so every line of one prompt lands in the same split, the same options always
 * give the same split, and adding data never moves a prompt from one split to another.
 */
public record PromptSplit(double test, double validation, long seed) {

    static final double DEFAULT_TEST = 0.1;

    static PromptSplit parse(String split, String testFraction, String validationFraction, String seed) {
        String kind = split == null ? "none" : split.toLowerCase(Locale.ROOT);
        if (kind.equals("none")) {
            for (String[] option : new String[][]{{"testFraction", testFraction},
                    {"validationFraction", validationFraction}, {"seed", seed}}) {
                if (option[1] != null) {
                    throw ProblemException.badRequest(option[0] + " applies with split=prompt; add split=prompt or "
                            + "leave it out");
                }
            }
            return null;
        }
        if (!kind.equals("prompt")) {
            throw ProblemException.badRequest("split must be none or prompt");
        }
        double test = fraction("testFraction", testFraction, DEFAULT_TEST);
        double validation = fraction("validationFraction", validationFraction, 0);
        if (test + validation >= 1) {
            throw ProblemException.badRequest("testFraction + validationFraction must be below 1, leaving prompts to "
                    + "train on");
        }
        long number;
        try {
            number = seed == null ? 0 : Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("seed must be a whole number");
        }
        return new PromptSplit(test, validation, number);
    }

    private static double fraction(String name, String value, double fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            double share = Double.parseDouble(value);
            if (share >= 0 && share < 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(name + " must be a number from 0 to below 1, e.g. 0.1");
    }

    /**
     * SQL for the split of the prompt {@code prompt} (a jsonb expression): its canonical text hashed with the seed to
     * a number in [0, 1). The fractions and seed are checked numbers, so they are written into the SQL.
     */
    static String sql(PromptSplit split, String prompt) {
        if (split == null) {
            return "NULL::text";
        }
        String share = "(('x' || substr(md5('" + split.seed + ":' || " + prompt
                + "::text), 1, 8))::bit(32)::bigint / 4294967296.0)";
        return "(CASE WHEN " + share + " < " + split.test + " THEN 'test' WHEN " + share + " < "
                + (split.test + split.validation) + " THEN 'validation' ELSE 'train' END)";
    }
}
