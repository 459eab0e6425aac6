package dev.ranklab.campaigns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.ranklab.web.InvalidInputException;

/**
 * The campaign form's fields as the user typed them, so that a rejected form comes back exactly as it was sent.
 * Flags are edited as text, one per line: {@code code: Label}; preset skip reasons likewise, one per line.
 */
public record CampaignForm(String name, String kind, String responsesPerItem, String overlap, String leaseMinutes,
        String guidelines, String flags, boolean skipsCountTowardOverlap, String demonstrationMinChars,
        String demonstrationMaxChars, String queuePolicy, boolean showScoresToAnnotators,
        String maxTasksPerAnnotator, String goldFirstTasks, String goldPercent, String assignedAnnotators,
        String assignedGroups, boolean ratingsOptional, String skipReasons, boolean skipReasonRequired) {

    static CampaignForm blank() {
        return new CampaignForm("", "RANKING", "4", "1", "30", "", flagsText(Flag.INSTRUCTGPT_DEFAULTS), false, "1",
                "20000", QueuePolicy.MOST_ANNOTATED_FIRST.name(), false, "", "0", "0", "", "", false,
                String.join("\n", CampaignService.DEFAULT_SKIP_REASONS), false);
    }

    /**
     * The form as sent, with what the edit form shows but does not send (disabled fields: the kind always, K once
     * items exist) taken from the stored campaign, so that a refused edit shows the campaign as it is.
     */
    CampaignForm keepingUnsent(Campaign stored, boolean kLocked) {
        return new CampaignForm(name, stored.kind.name(),
                kLocked
                        ? (stored.responsesPerItem == null ? "" : stored.responsesPerItem.toString())
                        : responsesPerItem,
                overlap, leaseMinutes, guidelines, flags, skipsCountTowardOverlap, demonstrationMinChars,
                demonstrationMaxChars, queuePolicy, showScoresToAnnotators, maxTasksPerAnnotator, goldFirstTasks,
                goldPercent, assignedAnnotators, assignedGroups, ratingsOptional, skipReasons, skipReasonRequired);
    }

    static CampaignForm of(Campaign campaign, CampaignView view) {
        return new CampaignForm(campaign.name, campaign.kind.name(),
                campaign.responsesPerItem == null ? "" : campaign.responsesPerItem.toString(),
                Integer.toString(campaign.overlap), Integer.toString(campaign.leaseMinutes), campaign.guidelines,
                flagsText(campaign.flags), campaign.skipsCountTowardOverlap,
                Integer.toString(campaign.demonstrationMinChars), Integer.toString(campaign.demonstrationMaxChars),
                campaign.queuePolicy.name(), campaign.showScoresToAnnotators,
                campaign.maxTasksPerAnnotator == null ? "" : campaign.maxTasksPerAnnotator.toString(),
                Integer.toString(campaign.goldFirstTasks), Integer.toString(campaign.goldPercent),
                String.join(", ", view.assignedAnnotators()), String.join(", ", view.assignedGroups()),
                !campaign.ratingsRequired, String.join("\n", campaign.skipReasons), campaign.skipReasonRequired);
    }

    static String flagsText(List<Flag> flags) {
        return flags.stream().map(f -> f.code() + ": " + f.label()).collect(Collectors.joining("\n"));
    }

    /** The typed values as API input; numbers that do not parse are reported against their field. */
    CampaignInput toInput(InvalidInputException.Collector errors) {
        boolean ranking = "RANKING".equals(kind);
        return new CampaignInput(name, kind, ranking ? number("responsesPerItem", responsesPerItem, errors) : null,
                number("overlap", overlap, errors), guidelines == null ? "" : guidelines,
                number("leaseMinutes", leaseMinutes, errors), parseFlags(flags), null, skipsCountTowardOverlap,
                ranking ? null : number("demonstrationMinChars", demonstrationMinChars, errors),
                ranking ? null : number("demonstrationMaxChars", demonstrationMaxChars, errors),
                queuePolicy == null || queuePolicy.isBlank() ? null : queuePolicy, showScoresToAnnotators,
                maxTasksPerAnnotator == null || maxTasksPerAnnotator.isBlank()
                        ? Integer.valueOf(0)
                        : number("maxTasksPerAnnotator", maxTasksPerAnnotator, errors),
                ranking ? zeroIfBlank("goldFirstTasks", goldFirstTasks, errors) : null,
                ranking ? zeroIfBlank("goldPercent", goldPercent, errors) : null, list(assignedAnnotators),
                groupList(assignedGroups), ranking ? !ratingsOptional : null, lines(skipReasons), skipReasonRequired);
    }

    private static Integer zeroIfBlank(String field, String value, InvalidInputException.Collector errors) {
        Integer number = number(field, value, errors);
        return number == null ? Integer.valueOf(0) : number;
    }

    /** A comma- or space-separated list as typed. */
    static List<String> list(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    /**
     * Group names as typed, separated by commas or lines only: "Team A" stays one name (and is refused as such)
     * rather than becoming the two groups "team" and "a" without a word.
     */
    public static List<String> groupList(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\n]+")).filter(s -> !s.isBlank()).toList();
    }

    /** The non-blank lines of a text area; null when the field was not sent, so the setting stays as it is. */
    static List<String> lines(String text) {
        if (text == null) {
            return null;
        }
        return Arrays.stream(text.split("\\R")).filter(s -> !s.isBlank()).toList();
    }

    private static Integer number(String field, String value, InvalidInputException.Collector errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            errors.add(field, "must be a whole number");
            return null;
        }
    }

    static List<CampaignInput.FlagInput> parseFlags(String text) {
        List<CampaignInput.FlagInput> flags = new ArrayList<>();
        if (text == null) {
            return flags;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String code = colon < 0 ? line.strip() : line.substring(0, colon).strip();
            String label = colon < 0 ? null : line.substring(colon + 1).strip();
            flags.add(new CampaignInput.FlagInput(code, label));
        }
        return flags;
    }
}
