package dev.ranklab.tasks;

import java.time.OffsetDateTime;
import java.util.List;

import dev.ranklab.items.ChatMessage;

/**
 * A leased task as the annotator receives it: responses in this annotator's shuffled order, without model names.
 */
public record TaskView(long taskId, long campaignId, OffsetDateTime leaseExpiresAt, ItemView item) {

    /** The item, as much of it as an annotator may see. */
    public record ItemView(long id, List<ChatMessage> prompt, List<ResponseView> responses) {
    }

    /** A response to rank: its stable id and its text. */
    public record ResponseView(String id, String text) {
    }
}
