package dev.ranklab.users;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.ranklab.web.InvalidInputException;

/** Group labels on users ("team-a", "medical"), by which campaigns are assigned to many annotators at once. */
public final class Groups {

    public static final int MAX_GROUPS = 50;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");
    /** A group name as sent: any case (it is lowercased) and surrounding spaces (stripped); a blank one is skipped. */
    public static final String API_PATTERN = "^\\s*([A-Za-z0-9][A-Za-z0-9_-]{0,49})?\\s*$";

    /** One group name as the API document describes it. */
    @Schema(name = "GroupName", type = SchemaType.STRING, pattern = API_PATTERN)
    public static final class ApiName {

        private ApiName() {
        }
    }

    private Groups() {
    }

    /** Group names lowercased, each checked (errors reported against {@code field}), without repeats, sorted. */
    public static String[] validated(String field, List<String> names, InvalidInputException.Collector errors) {
        Set<String> groups = new TreeSet<>();
        for (String name : names) {
            if (name == null) {
                errors.add(field, "a group name is a string, not null");
                continue;
            }
            if (name.isBlank()) {
                continue;
            }
            String group = name.strip().toLowerCase(Locale.ROOT);
            if (!NAME.matcher(group).matches()) {
                errors.add(field, "group '" + (group.length() > 40 ? group.substring(0, 40) + "…" : group)
                        + "' must be 1 to 50 lowercase letters, digits, '_' or '-'");
            } else {
                groups.add(group);
            }
        }
        if (groups.size() > MAX_GROUPS) {
            errors.add(field, "at most " + MAX_GROUPS + " groups");
        }
        return groups.toArray(String[]::new);
    }
}
