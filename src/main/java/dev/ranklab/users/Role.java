package dev.ranklab.users;

import java.util.Locale;
import java.util.Set;

import dev.ranklab.web.InvalidInputException;

/** What a user may do. An admin may do everything, so an admin's identity carries all three roles. */
public enum Role {

    ANNOTATOR, RESEARCHER, ADMIN;

    public static final String ANNOTATOR_NAME = "ANNOTATOR";
    public static final String RESEARCHER_NAME = "RESEARCHER";
    public static final String ADMIN_NAME = "ADMIN";

    /** The role names granted to a user holding this role. */
    public Set<String> grantedRoles() {
        return switch (this) {
            case ADMIN -> Set.of(ADMIN_NAME, RESEARCHER_NAME, ANNOTATOR_NAME);
            case RESEARCHER -> Set.of(RESEARCHER_NAME);
            case ANNOTATOR -> Set.of(ANNOTATOR_NAME);
        };
    }

    /** The role a form or JSON body names, in any case; a clear error on the field {@code role} otherwise. */
    public static Role parse(String role) {
        if (role == null || role.isBlank()) {
            throw InvalidInputException.of("role", "is required: ANNOTATOR, RESEARCHER or ADMIN");
        }
        try {
            return valueOf(role.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("role", "must be ANNOTATOR, RESEARCHER or ADMIN");
        }
    }
}
