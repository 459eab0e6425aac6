package dev.ranklab.tasks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ranklab.items.ChatMessage;

/**
 * A leased task as the annotator receives it: responses in this annotator's shuffled order, without model names.
 */
public record TaskView(long taskId, long campaignId, OffsetDateTime leaseExpiresAt, ItemView item) {

    /** The item, as much of it as an annotator may see. */
    @Schema(name = "TaskItem")
    public record ItemView(long id, List<ChatMessage> prompt, List<ResponseView> responses) {
    }

    /**
     * A response to rank: its stable id and its text, and the serving reward model's score only where an admin
     * turned that on for the campaign (otherwise absent: scores anchor annotators).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResponseView(String id, String text, Float modelScore) {

        /** The score as the page shows it. */
        public String scoreText() {
            return modelScore == null ? null : String.format(Locale.ROOT, "%.2f", modelScore);
        }
    }
}
