package dev.ranklab.demonstrations;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.items.Item;
import dev.ranklab.web.InvalidInputException;

/**
 * Validates demonstrations against the campaign's length limits and stores them exactly as written: whitespace at
 * either end (a trailing newline, an indented code block at the start) is part of the answer a model learns from.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DemonstrationService {

    public String validate(Campaign campaign, String demonstration) {
        if (demonstration == null || demonstration.isBlank()) {
            throw InvalidInputException.of("demonstration", "is required: the answer you would want the assistant "
                    + "to give");
        }
        // Only the limits count the trimmed text, so that padding neither fills nor escapes them.
        String trimmed = demonstration.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < campaign.demonstrationMinChars) {
            throw InvalidInputException.of("demonstration", "must be at least " + campaign.demonstrationMinChars
                    + " characters, got " + length);
        }
        if (length > campaign.demonstrationMaxChars) {
            throw InvalidInputException.of("demonstration", "must be at most " + campaign.demonstrationMaxChars
                    + " characters, got " + length);
        }
        if (demonstration.indexOf('\0') >= 0) {
            throw InvalidInputException.of("demonstration", "must not contain NUL characters");
        }
        return demonstration;
    }

    public Demonstration store(long taskId, Item item, long annotatorId, String text) {
        Demonstration stored = new Demonstration();
        stored.taskId = taskId;
        stored.itemId = item.id;
        stored.campaignId = item.campaignId;
        stored.annotatorId = annotatorId;
        stored.text = text;
        stored.submittedAt = OffsetDateTime.now();
        stored.persist();
        return stored;
    }
}
