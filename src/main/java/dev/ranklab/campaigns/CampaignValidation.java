package dev.ranklab.campaigns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ranklab.users.User;
import dev.ranklab.web.InvalidInputException;

/**
 * The checks of a campaign's settings, one per field (and one per rule across fields), each adding a message that
 * names the field and says what is allowed to the request's collector, so that every problem is reported at once.
 */
final class CampaignValidation {

    private static final Pattern FLAG_CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    private CampaignValidation() {
    }

    /** Usernames to user ids; each unknown name is reported. */
    static Long[] assignees(List<String> usernames, InvalidInputException.Collector errors) {
        Set<Long> ids = new TreeSet<>();
        for (String name : usernames) {
            if (name == null) {
                errors.add("assignedAnnotators", "a username is a string, not null");
                continue;
            }
            if (name.isBlank()) {
                continue;
            }
            User.findByUsername(name.strip()).ifPresentOrElse(user -> ids.add(user.id),
                    () -> errors.add("assignedAnnotators", "no user named '" + abbreviate(name.strip()) + "'"));
        }
        return ids.toArray(Long[]::new);
    }

    static String describe(Set<CampaignStatus> statuses) {
        return statuses.isEmpty()
                ? "nothing (it is final)"
                : statuses.stream().map(Enum::name).sorted().collect(Collectors.joining(" or "));
    }

    static String validName(String name, InvalidInputException.Collector errors) {
        if (name == null || name.isBlank()) {
            errors.add("name", "is required");
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.length() > CampaignService.MAX_NAME) {
            errors.add("name", "must be at most " + CampaignService.MAX_NAME + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            errors.add("name", "must not contain control characters");
        }
        return trimmed;
    }

    static CampaignKind parseKind(String kind, InvalidInputException.Collector errors) {
        if (kind == null || kind.isBlank()) {
            errors.add("kind", "is required: RANKING or DEMONSTRATION");
            return null;
        }
        try {
            return CampaignKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("kind", "must be RANKING or DEMONSTRATION, not '" + abbreviate(kind) + "'");
            return null;
        }
    }

    static CampaignStatus parseStatus(String status, InvalidInputException.Collector errors) {
        try {
            return CampaignStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add("status", "must be one of DRAFT, ACTIVE, PAUSED, ARCHIVED, not '" + abbreviate(status) + "'");
            return null;
        }
    }

    static Integer validK(CampaignKind kind, Integer k, boolean required,
            InvalidInputException.Collector errors) {
        if (kind == null) {
            return k;
        }
        if (kind == CampaignKind.DEMONSTRATION) {
            if (k != null) {
                errors.add("responsesPerItem", "applies only to RANKING campaigns; leave it out");
            }
            return null;
        }
        if (k == null) {
            if (required) {
                errors.add("responsesPerItem", "is required for a RANKING campaign: 2 to 9");
            }
            return null;
        }
        if (k < 2 || k > 9) {
            errors.add("responsesPerItem", "must be between 2 and 9, not " + k);
        }
        return k;
    }

    static int validOverlap(int overlap, InvalidInputException.Collector errors) {
        if (overlap < 1 || overlap > 10) {
            errors.add("overlap", "must be between 1 and 10 annotators per item, not " + overlap);
        }
        return overlap;
    }

    static String validGuidelines(String guidelines, InvalidInputException.Collector errors) {
        if (guidelines.length() > CampaignService.MAX_GUIDELINES) {
            errors.add("guidelines", "must be at most " + CampaignService.MAX_GUIDELINES + " characters");
        }
        if (guidelines.indexOf('\0') >= 0) {
            errors.add("guidelines", "must not contain NUL characters");
        }
        return guidelines;
    }

    static void validDemonstrationLengths(Campaign campaign, InvalidInputException.Collector errors) {
        if (campaign.demonstrationMinChars < 1) {
            errors.add("demonstrationMinChars", "must be at least 1");
        }
        if (campaign.demonstrationMaxChars > 200_000) {
            errors.add("demonstrationMaxChars", "must be at most 200000");
        }
        if (campaign.demonstrationMinChars > campaign.demonstrationMaxChars) {
            errors.add("demonstrationMaxChars", "must not be below demonstrationMinChars");
        }
    }

    static int validLease(int minutes, InvalidInputException.Collector errors) {
        if (minutes < 1 || minutes > 1440) {
            errors.add("leaseMinutes", "must be between 1 and 1440 minutes, not " + minutes);
        }
        return minutes;
    }

    static List<Flag> validFlags(List<CampaignInput.FlagInput> input, InvalidInputException.Collector errors) {
        if (input.size() > CampaignService.MAX_FLAGS) {
            errors.add("flags", "at most " + CampaignService.MAX_FLAGS + " flags");
            return List.of();
        }
        List<Flag> flags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            CampaignInput.FlagInput flag = input.get(i);
            String code = flag == null || flag.code() == null ? "" : flag.code().strip();
            if (!FLAG_CODE.matcher(code).matches()) {
                errors.add("flags", "flag " + (i + 1) + ": code '" + abbreviate(code)
                        + "' must be 1 to 50 lowercase letters, digits, '_' or '-'");
                continue;
            }
            if (!seen.add(code)) {
                errors.add("flags", "flag " + (i + 1) + ": code '" + code + "' appears twice");
                continue;
            }
            String label = flag.label() == null || flag.label().isBlank() ? code : flag.label().strip();
            if (label.length() > CampaignService.MAX_FLAG_LABEL) {
                errors.add("flags", "flag " + (i + 1) + ": label must be at most " + CampaignService.MAX_FLAG_LABEL
                        + " characters");
                continue;
            }
            flags.add(new Flag(code, label));
        }
        return List.copyOf(flags);
    }

    /** Preset skip reasons: each 1 to 200 characters on one line, none twice (case aside), at most 20. */
    static String[] validSkipReasons(List<String> input, InvalidInputException.Collector errors) {
        if (input.size() > CampaignService.MAX_SKIP_REASONS) {
            errors.add("skipReasons", "at most " + CampaignService.MAX_SKIP_REASONS + " reasons");
            return new String[0];
        }
        List<String> reasons = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            String reason = input.get(i) == null ? "" : input.get(i).strip();
            if (reason.isEmpty()) {
                errors.add("skipReasons", "reason " + (i + 1) + " is empty");
            } else if (reason.length() > CampaignService.MAX_SKIP_REASON) {
                errors.add("skipReasons",
                        "reason " + (i + 1) + " must be at most " + CampaignService.MAX_SKIP_REASON + " characters");
            } else if (reason.chars().anyMatch(Character::isISOControl)) {
                errors.add("skipReasons", "reason " + (i + 1) + " must be one line without control characters");
            } else if (!seen.add(reason.toLowerCase(Locale.ROOT))) {
                errors.add("skipReasons", "reason " + (i + 1) + " ('" + abbreviate(reason) + "') appears twice");
            } else {
                reasons.add(reason);
            }
        }
        return reasons.toArray(String[]::new);
    }

    static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /** 0 (or absent) means no cap. */
    static Integer validCap(Integer cap, InvalidInputException.Collector errors) {
        if (cap == null || cap == 0) {
            return null;
        }
        if (cap < 0 || cap > 1_000_000) {
            errors.add("maxTasksPerAnnotator", "must be between 1 and 1000000, or 0 for no cap");
            return null;
        }
        return cap;
    }

    static void validGoldKind(Campaign campaign, InvalidInputException.Collector errors) {
        if (campaign.kind == CampaignKind.DEMONSTRATION && (campaign.goldFirstTasks > 0 || campaign.goldPercent > 0)) {
            errors.add(campaign.goldFirstTasks > 0 ? "goldFirstTasks" : "goldPercent",
                    "gold items have a reference ranking, so they apply only to RANKING campaigns");
        }
    }

    static int validGoldFirst(int tasks, InvalidInputException.Collector errors) {
        if (tasks < 0 || tasks > 1000) {
            errors.add("goldFirstTasks", "must be between 0 and 1000 tasks, not " + tasks);
        }
        return tasks;
    }

    static int validGoldPercent(int percent, InvalidInputException.Collector errors) {
        if (percent < 0 || percent > 100) {
            errors.add("goldPercent", "must be between 0 and 100, not " + percent);
        }
        return percent;
    }

    static QueuePolicy parseQueuePolicy(String value, InvalidInputException.Collector errors) {
        try {
            return QueuePolicy.valueOf(value);
        } catch (IllegalArgumentException e) {
            errors.add("queuePolicy", "must be MOST_ANNOTATED_FIRST or UNCERTAINTY_FIRST");
            return QueuePolicy.MOST_ANNOTATED_FIRST;
        }
    }
}
