package dev.ranklab.tasks;

import java.util.Collection;
import java.util.Map;

import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.web.InvalidInputException;

/**
 * Refuses the fields of a submission that belong to another kind of answer (a ranking sent with a skip, a
 * demonstration sent to a ranking task, a reason sent with work), each named: a client that sends them expects them
 * kept, and dropping them without a word would lose its work.
 */
final class AnswerShape {

    private AnswerShape() {
    }

    static void check(SubmissionBody body, TaskStatus outcome, CampaignKind kind) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        if (outcome != TaskStatus.SUBMITTED) {
            String answer = outcome == TaskStatus.SKIPPED ? "a skip" : "an unrankable report";
            String only = answer + " sends outcome and reason only";
            refuse(errors, "ranking", given(body.ranking()), only);
            refuse(errors, "ratings", given(body.ratings()), only);
            refuse(errors, "flags", given(body.flags()), only);
            refuse(errors, "comment", given(body.comment()), only + " (say it in the reason)");
            refuse(errors, "demonstration", given(body.demonstration()), only);
        } else {
            refuse(errors, "reason", given(body.reason()), "only a skip or an unrankable report has a reason"
                    + (kind == CampaignKind.RANKING ? "; a note on the ranking goes in comment" : ""));
            if (kind == CampaignKind.RANKING) {
                refuse(errors, "demonstration", given(body.demonstration()), "this is a ranking task: it takes a "
                        + "ranking, ratings, flags and a comment, not a demonstration");
            } else {
                String only = "this is a demonstration task: it takes the demonstration only";
                refuse(errors, "ranking", given(body.ranking()), only);
                refuse(errors, "ratings", given(body.ratings()), only);
                refuse(errors, "flags", given(body.flags()), only);
                refuse(errors, "comment", given(body.comment()), only);
            }
        }
        errors.throwIfAny();
    }

    private static void refuse(InvalidInputException.Collector errors, String field, boolean given, String why) {
        if (given) {
            errors.add(field, why);
        }
    }

    private static boolean given(String text) {
        return text != null && !text.isBlank();
    }

    private static boolean given(Collection<?> values) {
        return values != null && !values.isEmpty();
    }

    private static boolean given(Map<?, ?> values) {
        return values != null && !values.isEmpty();
    }
}
