package dev.ranklab.items;

import java.util.Set;

/** One turn of a conversation, in the message format chat training code reads. */
public record ChatMessage(String role, String content) {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant");
}
