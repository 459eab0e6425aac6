package dev.ranklab.demonstrations;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.items.Item;
import dev.ranklab.web.InvalidInputException;

/** Validates demonstrations against the campaign's length limits and stores them. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class DemonstrationService {

    public String validate(Campaign campaign, String demonstration) {
        if (demonstration == null || demonstration.isBlank()) {
            throw InvalidInputException.of("demonstration", "is required: the answer you would want the assistant "
                    + "to give");
        }
        String text = demonstration.strip();
        int length = text.codePointCount(0, text.length());
        if (length < campaign.demonstrationMinChars) {
            throw InvalidInputException.of("demonstration", "must be at least " + campaign.demonstrationMinChars
                    + " characters, got " + length);
        }
        if (length > campaign.demonstrationMaxChars) {
            throw InvalidInputException.of("demonstration", "must be at most " + campaign.demonstrationMaxChars
                    + " characters, got " + length);
        }
        if (text.indexOf('\0') >= 0) {
            throw InvalidInputException.of("demonstration", "must not contain NUL characters");
        }
        return text;
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
