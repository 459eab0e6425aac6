package dev.ranklab.items;

import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One turn of a conversation, in the message format chat training code reads. */
public record ChatMessage(@Schema(required = true, enumeration = {
        "system", "user", "assistant"}) String role,
        @Schema(required = true) String content){

    public static final Set<String> ROLES = Set.of("system", "user", "assistant");
}
